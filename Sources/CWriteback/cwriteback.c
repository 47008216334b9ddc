#define _GNU_SOURCE
#include "cwriteback.h"

#include <fcntl.h>

void recon_start_writeback(int descriptor, int64_t offset, int64_t count) {
#ifdef __linux__
    (void)sync_file_range(descriptor, offset, count, SYNC_FILE_RANGE_WRITE);
#else
    (void)descriptor;
    (void)offset;
    (void)count;
#endif
}
