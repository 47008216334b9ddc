#ifndef CCSV_SHIM_H
#define CCSV_SHIM_H
#include <csv.h>

#endif
