/* softmmu/memory.h: the guest physical address space: RAM and ROM backed by
 * host memory, MMIO regions served by device ops. */
#ifndef EMBER_SOFTMMU_MEMORY_H
#define EMBER_SOFTMMU_MEMORY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PAGE_SHIFT 12
#define PAGE_SIZE (1ull << PAGE_SHIFT)
#define PAGE_MASK (~(PAGE_SIZE - 1))

/* A device's MMIO ops. Offsets are relative to the region base; sizes are
 * 1, 2, 4 or 8 and always within [min_size, max_size] and naturally aligned
 * (other accesses are access faults, as on real buses). */
typedef struct MemoryOps {
    uint64_t (*read)(void *opaque, uint64_t offset, unsigned size);
    void (*write)(void *opaque, uint64_t offset, uint64_t value, unsigned size);
    unsigned min_size;
    unsigned max_size;
} MemoryOps;

/* Per-page flags of RAM: any flagged page is kept out of the write TLB so
 * stores to it take the slow path, which calls the address space's hook. */
enum page_flag {
    PAGE_HAS_CODE = 1u << 0, /* translated blocks were built from this page */
    PAGE_WATCHED = 1u << 1,  /* a device watches stores here (HTIF tohost) */
    /* Dirty logging: clean since the last sync, so the first store is
     * recorded (and clears the flag: later stores go fast). */
    PAGE_DIRTY_LOG = 1u << 2,
};

typedef struct MemoryRegion {
    const char *name;
    uint64_t base;
    uint64_t size;
    uint8_t *host;        /* RAM and ROM: backing memory */
    uint8_t *page_flags;  /* RAM only: one byte per page */
    uint64_t *dirty;      /* RAM being logged: a bit a page written since the last sync */
    bool readonly;        /* ROM: guest stores fault */
    const MemoryOps *ops; /* MMIO */
    void *opaque;
} MemoryRegion;

#define MEMORY_MAX_REGIONS 32

typedef struct AddressSpace {
    MemoryRegion regions[MEMORY_MAX_REGIONS];
    int count;
    /* Called after a store to a flagged RAM page has been performed. */
    void (*flagged_write)(void *opaque, uint64_t paddr, unsigned size);
    void *flagged_write_opaque;
} AddressSpace;

/* Regions must not overlap; returns NULL (after one error message) if they
 * do or when the table is full. RAM is mmap'ed so untouched pages cost
 * nothing. */
MemoryRegion *memory_add_ram(AddressSpace *as, const char *name, uint64_t base, uint64_t size);
MemoryRegion *memory_add_rom(AddressSpace *as, const char *name, uint64_t base, uint64_t size);
MemoryRegion *memory_add_mmio(AddressSpace *as, const char *name, uint64_t base, uint64_t size,
                              const MemoryOps *ops, void *opaque);
void memory_destroy(AddressSpace *as);

/* Dirty logging of a RAM region (migration): after start every page is
 * clean; a store by the CPU (its pages take the slow path while flagged)
 * or a device (memory_dma_written) marks it. sync ORs the pages marked
 * since the last sync into bitmap, cleans them again and returns how many
 * it added; the caller then flushes the harts' TLBs, whose write entries
 * may let stores to those pages through unseen. Costs nothing unless
 * started. false: out of memory. */
bool memory_dirty_log_start(MemoryRegion *r);
uint64_t memory_dirty_log_sync(MemoryRegion *r, uint64_t *bitmap);
void memory_dirty_log_stop(MemoryRegion *r);

MemoryRegion *memory_find(AddressSpace *as, uint64_t paddr);

static inline bool region_contains(const MemoryRegion *r, uint64_t paddr, uint64_t len)
{
    return paddr >= r->base && len <= r->size && paddr - r->base <= r->size - len;
}

/* Guest-visible accesses of 1, 2, 4 or 8 bytes; false means access fault. */
bool memory_read(AddressSpace *as, uint64_t paddr, unsigned size, uint64_t *value);
bool memory_write(AddressSpace *as, uint64_t paddr, unsigned size, uint64_t value);
/* Whether memory_write of size bytes at paddr would succeed. */
bool memory_can_write(AddressSpace *as, uint64_t paddr, unsigned size);

/* Loader and DMA access to RAM/ROM: the whole range must lie in one region.
 * Writes honour page flags (translated code is invalidated). */
bool memory_load_image(AddressSpace *as, uint64_t paddr, const void *data, uint64_t len);

/* Host pointer to len bytes of RAM/ROM at paddr, or NULL. */
uint8_t *memory_host_ptr(AddressSpace *as, uint64_t paddr, uint64_t len);

/* Device DMA: a host pointer to len bytes of memory in one region that the
 * device may read (RAM or ROM) or, with write, write (RAM only); NULL if the
 * range is anything else. After writing, a device calls memory_dma_written
 * so translated code on those pages is invalidated. */
uint8_t *memory_dma_ptr(AddressSpace *as, uint64_t paddr, uint64_t len, bool write);
void memory_dma_written(AddressSpace *as, uint64_t paddr, uint64_t len);

void memory_set_page_flag(MemoryRegion *r, uint64_t paddr, uint8_t flag);
void memory_clear_page_flag(MemoryRegion *r, uint64_t paddr, uint8_t flag);

#endif
