/* cpu/tb.h: the translation-block cache: pre-decoded blocks keyed by guest
 * physical pc, grouped by physical page so writes to code invalidate them. */
#ifndef EMBER_CPU_TB_H
#define EMBER_CPU_TB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cpu/riscv/decode.h"
#include "softmmu/memory.h"

/* Longest block in guest instructions; blocks also end at page ends. */
#define TB_MAX_INSNS 128

/* phys_page2 of a block that lies in one page. */
#define TB_ONE_PAGE (~0ull)

typedef struct TranslationBlock {
    uint64_t phys_pc;
    /* A block of one instruction that straddles a page boundary also
     * depends on the page holding its second half: writes to either page
     * invalidate it, and it is never a chain's target, since a chain does
     * not look at the second page's translation (cpu/exec.c checks it). */
    uint64_t phys_page2;
    struct TranslationBlock *hash_next;
    struct TranslationBlock *page_next;
    struct TranslationBlock *page2_next; /* in its second page's list */
    /* Successors for static targets (0: taken/jump, 1: fall-through), only
     * ever on the same page, so invalidating a page drops both ends. */
    struct TranslationBlock *chain[2];
    uint32_t n_insns; /* guest instructions (the trailing FALLTHROUGH is not one) */
    /* Loads in the low 32 bits, stores in the high 32 (-d stats): one add
     * per block run. */
    uint64_t mem_ops;
    uint32_t n_ops;
    bool valid;
    Op ops[];
} TranslationBlock;

typedef struct TbStats {
    uint64_t translated;
    uint64_t invalidated;
    uint64_t flushes;
} TbStats;

#define TB_HASH_BITS 15
#define TB_PAGE_HASH_BITS 12
#define TB_MAX_CPUS 8

struct RiscvCpu;
struct TbPage;

typedef struct TbCache {
    uint8_t *arena;
    size_t arena_size;
    size_t arena_used;
    TranslationBlock *hash[1u << TB_HASH_BITS];
    struct TbPage *pages[1u << TB_PAGE_HASH_BITS];
    AddressSpace *as;
    struct RiscvCpu *cpus[TB_MAX_CPUS];
    int n_cpus;
    TbStats stats;
} TbCache;

bool tb_cache_init(TbCache *cache, AddressSpace *as, size_t arena_size);
void tb_cache_destroy(TbCache *cache);
void tb_cache_add_cpu(TbCache *cache, struct RiscvCpu *cpu);

/* The block at phys_pc whose second page is phys_page2 (TB_ONE_PAGE: a
 * block within one page). */
TranslationBlock *tb_find(TbCache *cache, uint64_t phys_pc, uint64_t phys_page2);

static inline TranslationBlock *tb_lookup(TbCache *cache, uint64_t phys_pc)
{
    return tb_find(cache, phys_pc, TB_ONE_PAGE);
}

/* Copies a block built elsewhere into the cache and marks its page as
 * holding code (which removes the page from every write TLB). May flush the
 * whole cache first when the arena is full. */
TranslationBlock *tb_insert(TbCache *cache, const TranslationBlock *tb);

/* Drops every block with code on the page holding paddr. */
void tb_invalidate_page(TbCache *cache, uint64_t paddr);
void tb_flush(TbCache *cache);

static inline size_t tb_alloc_size(uint32_t n_ops)
{
    return sizeof(TranslationBlock) + n_ops * sizeof(Op);
}

#endif
