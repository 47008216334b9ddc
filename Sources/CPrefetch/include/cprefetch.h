#ifndef CPREFETCH_H
#define CPREFETCH_H

/// Asks the processor to start loading the cache line at `address`. A hint with no effect on
/// results: loops that read scattered memory (hash tables of millions of keys) issue it a few
/// iterations ahead, so the reads overlap instead of each waiting on main memory in turn.
static inline void recon_prefetch(const void *address) {
    __builtin_prefetch(address, 0, 3);
}

#endif
