#ifndef CCOLUMNMEMORY_H
#define CCOLUMNMEMORY_H

#include <stddef.h>

/// Anonymous memory of `bytes` (a multiple of the page size), zeroed by the kernel as it is first
/// touched; NULL when it cannot be had.
void *recon_map(size_t bytes);

/// Grows the mapping at `address` from `old_bytes` to `new_bytes` (multiples of the page size),
/// moving its pages rather than copying them where the system can (Linux's mremap); otherwise a
/// new mapping with the bytes copied. NULL, with the old mapping intact, when it cannot.
void *recon_remap(void *address, size_t old_bytes, size_t new_bytes);

/// Returns the mapping at `address` of `bytes` to the system.
void recon_unmap(void *address, size_t bytes);

/// The size of a page.
size_t recon_page_size(void);

#endif
