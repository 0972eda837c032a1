/* softmmu/memory.c: the guest physical address space: RAM and ROM backed by
 * host memory, MMIO regions served by device ops. */
#include "softmmu/memory.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "util/log.h"
#include "util/le.h"

static MemoryRegion *add_region(AddressSpace *as, const char *name, uint64_t base, uint64_t size)
{
    if (as->count >= MEMORY_MAX_REGIONS) {
        error_report("too many memory regions (adding %s)", name);
        return NULL;
    }
    if (size == 0 || base + size < base) {
        error_report("memory region %s has an invalid range", name);
        return NULL;
    }
    for (int i = 0; i < as->count; i++) {
        const MemoryRegion *r = &as->regions[i];
        if (base < r->base + r->size && r->base < base + size) {
            error_report("memory region %s overlaps %s", name, r->name);
            return NULL;
        }
    }
    MemoryRegion *r = &as->regions[as->count++];
    *r = (MemoryRegion){.name = name, .base = base, .size = size};
    return r;
}

static uint8_t *map_anonymous(uint64_t size)
{
    void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
                   -1, 0);
    return p == MAP_FAILED ? NULL : p;
}

MemoryRegion *memory_add_ram(AddressSpace *as, const char *name, uint64_t base, uint64_t size)
{
    MemoryRegion *r = add_region(as, name, base, size);
    if (!r)
        return NULL;
    r->host = map_anonymous(size);
    r->page_flags = calloc(size >> PAGE_SHIFT, 1);
    if (!r->host || !r->page_flags) {
        error_report("cannot allocate %llu MiB of guest RAM", (unsigned long long)(size >> 20));
        if (r->host)
            munmap(r->host, size);
        free(r->page_flags);
        as->count--;
        return NULL;
    }
    return r;
}

MemoryRegion *memory_add_rom(AddressSpace *as, const char *name, uint64_t base, uint64_t size)
{
    MemoryRegion *r = memory_add_ram(as, name, base, size);
    if (r)
        r->readonly = true;
    return r;
}

MemoryRegion *memory_add_mmio(AddressSpace *as, const char *name, uint64_t base, uint64_t size,
                              const MemoryOps *ops, void *opaque)
{
    MemoryRegion *r = add_region(as, name, base, size);
    if (r) {
        r->ops = ops;
        r->opaque = opaque;
    }
    return r;
}

void memory_destroy(AddressSpace *as)
{
    for (int i = 0; i < as->count; i++) {
        MemoryRegion *r = &as->regions[i];
        if (r->host)
            munmap(r->host, r->size);
        free(r->page_flags);
        free(r->dirty);
    }
    as->count = 0;
}

MemoryRegion *memory_find(AddressSpace *as, uint64_t paddr)
{
    for (int i = 0; i < as->count; i++) {
        MemoryRegion *r = &as->regions[i];
        if (paddr - r->base < r->size)
            return r;
    }
    return NULL;
}

static bool mmio_access_ok(const MemoryRegion *r, uint64_t offset, unsigned size)
{
    return size >= r->ops->min_size && size <= r->ops->max_size && (offset & (size - 1)) == 0;
}

bool memory_read(AddressSpace *as, uint64_t paddr, unsigned size, uint64_t *value)
{
    MemoryRegion *r = memory_find(as, paddr);
    if (!r || !region_contains(r, paddr, size))
        return false;
    uint64_t offset = paddr - r->base;
    if (r->host) {
        *value = ld_le(r->host + offset, size);
        return true;
    }
    if (!r->ops->read || !mmio_access_ok(r, offset, size))
        return false;
    *value = r->ops->read(r->opaque, offset, size);
    return true;
}

static void notify_flagged_write(AddressSpace *as, MemoryRegion *r, uint64_t paddr, uint64_t len)
{
    uint64_t first = (paddr - r->base) >> PAGE_SHIFT;
    uint64_t last = (paddr - r->base + len - 1) >> PAGE_SHIFT;
    for (uint64_t page = first; page <= last; page++) {
        if (r->page_flags[page] & PAGE_DIRTY_LOG) {
            r->dirty[page / 64] |= 1ull << (page % 64);
            r->page_flags[page] &= (uint8_t)~PAGE_DIRTY_LOG;
        }
        if (r->page_flags[page] && as->flagged_write) {
            uint64_t start = page == first ? paddr : r->base + (page << PAGE_SHIFT);
            uint64_t end = page == last ? paddr + len : r->base + ((page + 1) << PAGE_SHIFT);
            as->flagged_write(as->flagged_write_opaque, start, (unsigned)(end - start));
        }
    }
}

bool memory_write(AddressSpace *as, uint64_t paddr, unsigned size, uint64_t value)
{
    MemoryRegion *r = memory_find(as, paddr);
    if (!r || !region_contains(r, paddr, size))
        return false;
    uint64_t offset = paddr - r->base;
    if (r->host) {
        if (r->readonly)
            return false;
        st_le(r->host + offset, size, value);
        notify_flagged_write(as, r, paddr, size);
        return true;
    }
    if (!r->ops->write || !mmio_access_ok(r, offset, size))
        return false;
    r->ops->write(r->opaque, offset, value, size);
    return true;
}

bool memory_can_write(AddressSpace *as, uint64_t paddr, unsigned size)
{
    MemoryRegion *r = memory_find(as, paddr);
    if (!r || !region_contains(r, paddr, size))
        return false;
    if (r->host)
        return !r->readonly;
    return r->ops->write && mmio_access_ok(r, paddr - r->base, size);
}

bool memory_load_image(AddressSpace *as, uint64_t paddr, const void *data, uint64_t len)
{
    if (len == 0)
        return true;
    MemoryRegion *r = memory_find(as, paddr);
    if (!r || !r->host || !region_contains(r, paddr, len))
        return false;
    memcpy(r->host + (paddr - r->base), data, len);
    notify_flagged_write(as, r, paddr, len);
    return true;
}

uint8_t *memory_host_ptr(AddressSpace *as, uint64_t paddr, uint64_t len)
{
    return memory_dma_ptr(as, paddr, len, false);
}

uint8_t *memory_dma_ptr(AddressSpace *as, uint64_t paddr, uint64_t len, bool write)
{
    MemoryRegion *r = memory_find(as, paddr);
    if (!r || !r->host || (write && r->readonly) || !region_contains(r, paddr, len))
        return NULL;
    return r->host + (paddr - r->base);
}

void memory_dma_written(AddressSpace *as, uint64_t paddr, uint64_t len)
{
    MemoryRegion *r = memory_find(as, paddr);
    if (len != 0 && r && r->page_flags && region_contains(r, paddr, len))
        notify_flagged_write(as, r, paddr, len);
}

bool memory_dirty_log_start(MemoryRegion *r)
{
    uint64_t pages = r->size >> PAGE_SHIFT;
    if (!r->dirty && !(r->dirty = calloc((pages + 63) / 64, 8)))
        return false;
    for (uint64_t p = 0; p < pages; p++)
        r->page_flags[p] |= PAGE_DIRTY_LOG;
    return true;
}

uint64_t memory_dirty_log_sync(MemoryRegion *r, uint64_t *bitmap)
{
    uint64_t words = ((r->size >> PAGE_SHIFT) + 63) / 64, added = 0;
    for (uint64_t w = 0; w < words; w++) {
        uint64_t bits = r->dirty[w];
        if (!bits)
            continue;
        r->dirty[w] = 0;
        added += (uint64_t)__builtin_popcountll(bits & ~bitmap[w]);
        bitmap[w] |= bits;
        for (; bits; bits &= bits - 1)
            r->page_flags[w * 64 + (uint64_t)__builtin_ctzll(bits)] |= PAGE_DIRTY_LOG;
    }
    return added;
}

void memory_dirty_log_stop(MemoryRegion *r)
{
    uint64_t pages = r->size >> PAGE_SHIFT;
    for (uint64_t p = 0; p < pages; p++)
        r->page_flags[p] &= (uint8_t)~PAGE_DIRTY_LOG;
    free(r->dirty);
    r->dirty = NULL;
}

void memory_set_page_flag(MemoryRegion *r, uint64_t paddr, uint8_t flag)
{
    r->page_flags[(paddr - r->base) >> PAGE_SHIFT] |= flag;
}

void memory_clear_page_flag(MemoryRegion *r, uint64_t paddr, uint8_t flag)
{
    r->page_flags[(paddr - r->base) >> PAGE_SHIFT] &= (uint8_t)~flag;
}
