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

/* MMU modes: S-mode with SUM set is its own mode so Linux's frequent SUM
 * toggles need no flush. */
enum mmu_mode { MMU_MODE_U, MMU_MODE_S, MMU_MODE_S_SUM, MMU_MODE_M, MMU_MODE_COUNT };

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

void tlb_flush_set(TlbSet *set);
void tlb_flush_page_in_set(TlbSet *set, uint64_t vaddr);

struct RiscvCpu;

/* A faulting access: the exception cause and the value for xtval. */
typedef struct MemFault {
    uint64_t cause;
    uint64_t tval;
} MemFault;

/* Returns the entry translating vaddr for this access type, filling it on a
 * miss; NULL with *fault set if the access faults. Entries whose PMP grant
 * is not uniform across the page come from a scratch entry that is never
 * looked up again, so each such access is checked in full. */
TlbEntry *tlb_fill(struct RiscvCpu *cpu, uint64_t vaddr, enum access_type type, MemFault *fault);

/* The slow paths behind the op handlers' inline fast paths: misaligned
 * accesses, MMIO, stores to code or watched pages, TLB misses. Values are
 * zero-extended; false means *fault is set. */
bool tlb_load_slow(struct RiscvCpu *cpu, uint64_t vaddr, unsigned size, uint64_t *value,
                   MemFault *fault);
bool tlb_store_slow(struct RiscvCpu *cpu, uint64_t vaddr, unsigned size, uint64_t value,
                    MemFault *fault);

/* Host pointer for an instruction fetch at vaddr (RAM or ROM only) and the
 * guest physical address; NULL with *fault set otherwise. On a page PMP
 * grants only in part, only the two bytes at vaddr are checked, and no
 * fetch entry for the page is left in the TLB. */
const uint8_t *tlb_fetch_host(struct RiscvCpu *cpu, uint64_t vaddr, uint64_t *paddr,
                              MemFault *fault);

#endif
