// The target's one function is inline, in include/cprefetch.h.
#include "cprefetch.h"
