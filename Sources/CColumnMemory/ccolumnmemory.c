#define _GNU_SOURCE
#include "ccolumnmemory.h"

#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

void *recon_map(size_t bytes) {
    void *address = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    return address == MAP_FAILED ? NULL : address;
}

void *recon_remap(void *address, size_t old_bytes, size_t new_bytes) {
#ifdef __linux__
    void *moved = mremap(address, old_bytes, new_bytes, MREMAP_MAYMOVE);
    return moved == MAP_FAILED ? NULL : moved;
#else
    void *fresh = recon_map(new_bytes);
    if (fresh == NULL) return NULL;
    memcpy(fresh, address, old_bytes);
    munmap(address, old_bytes);
    return fresh;
#endif
}

void recon_unmap(void *address, size_t bytes) {
    munmap(address, bytes);
}

size_t recon_page_size(void) {
    return (size_t)sysconf(_SC_PAGESIZE);
}
