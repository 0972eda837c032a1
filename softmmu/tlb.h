/* softmmu/tlb.h: the per-hart software TLB: separate fetch, read and write
 * entries per MMU mode, each holding the addend from guest virtual address to
 * host pointer, so a RAM hit is one compare and one add. */
#ifndef EMBER_SOFTMMU_TLB_H
#define EMBER_SOFTMMU_TLB_H

#include <stdbool.h>
#include <stdint.h>

#include "softmmu/memory.h"

#define TLB_BITS 10
#define TLB_ENTRIES (1u << TLB_BITS)
#define TLB_INVALID_TAG (~0ull) /* never equals a page-aligned address */

/* Set in a tag so the fast-path compare fails while the entry still
 * records the translation: MMIO pages, and pages whose stores must be seen
 * (translated code, watched words). Bit 11 is inside the page offset, above
 * the alignment bits the compare looks at. */
#define TLB_SLOW (1ull << 11)

typedef struct TlbEntry {
    uint64_t tag;     /* virtual page address, maybe with TLB_SLOW */
    uintptr_t addend; /* host address = guest virtual address + addend */
    uint64_t phys;    /* guest physical page address */
} TlbEntry;

/* One set per MMU mode (the effective privilege for that access type). */
typedef struct TlbSet {
    TlbEntry read[TLB_ENTRIES];
    TlbEntry write[TLB_ENTRIES];
    TlbEntry fetch[TLB_ENTRIES];
    /* Filled since the last flush: Linux flushes on every address-space
     * switch, and most sets (M-mode's, say) are then still empty. */
    bool used;
} TlbSet;

enum access_type { ACCESS_READ, ACCESS_WRITE, ACCESS_FETCH };

static inline TlbEntry *tlb_entry(TlbEntry *table, uint64_t vaddr)
{
    return &table[(vaddr >> PAGE_SHIFT) & (TLB_ENTRIES - 1)];
}

/* The fast-path test: hit only if the page matches and the access of size
 * bytes is naturally aligned (misaligned ones take the slow path). */
static inline bool tlb_hit(const TlbEntry *e, uint64_t vaddr, unsigned size)
{
    return e->tag == (vaddr & (PAGE_MASK | (size - 1)));
}

/* Whether e holds a translation of vaddr's page, fast or TLB_SLOW. */
static inline bool tlb_entry_maps(const TlbEntry *e, uint64_t vaddr)
{
    return (e->tag & ~TLB_SLOW) == (vaddr & PAGE_MASK);
}

/* Makes e translate vaddr's page to the guest physical page of paddr in as,
 * for accesses of this type: RAM and ROM get a host addend; MMIO pages, and
 * for writes read-only and flagged pages, are marked TLB_SLOW. */
void tlb_map_page(TlbEntry *e, AddressSpace *as, uint64_t vaddr, uint64_t paddr,
                  enum access_type type);

/* Invalidates every entry, whatever used says (a set never emptied holds
 * zeros, which map page 0). */
void tlb_empty_set(TlbSet *set);
/* The same for a set filled since it was last emptied. */
void tlb_flush_set(TlbSet *set);
void tlb_flush_page_in_set(TlbSet *set, uint64_t vaddr);
/* Drops the set's write entries for the guest physical page phys_page, so
 * stores to it take the slow path from now on. */
void tlb_flush_phys_page_writes(TlbSet *set, uint64_t phys_page);

#endif
