#ifndef CWRITEBACK_H
#define CWRITEBACK_H

#include <stdint.h>

/// Asks the system to start writing the file's bytes from `offset` on, `count` of them, to disk
/// now, without waiting for them (Linux's sync_file_range with SYNC_FILE_RANGE_WRITE). A hint: a
/// later fsync still makes them durable, and waits less. Does nothing where it is not available.
void recon_start_writeback(int descriptor, int64_t offset, int64_t count);

#endif
