/* cpu/tb.c: the translation-block cache: pre-decoded blocks keyed by guest
 * physical pc, grouped by physical page so writes to code invalidate them. */
#include "cpu/tb.h"

#include <string.h>
#include <sys/mman.h>

#include "cpu/riscv/cpu.h"
#include "util/log.h"

typedef struct TbPage {
    uint64_t page;
    TranslationBlock *first;  /* blocks starting here (page_next) */
    TranslationBlock *second; /* blocks ending here, begun on another (page2_next) */
    struct TbPage *next;
} TbPage;

static inline unsigned tb_hash(uint64_t phys_pc)
{
    uint64_t h = (phys_pc >> 1) * 0x9e3779b97f4a7c15ull;
    return (unsigned)(h >> (64 - TB_HASH_BITS));
}

static inline unsigned page_hash(uint64_t page)
{
    uint64_t h = (page >> PAGE_SHIFT) * 0x9e3779b97f4a7c15ull;
    return (unsigned)(h >> (64 - TB_PAGE_HASH_BITS));
}

bool tb_cache_init(TbCache *cache, AddressSpace *as, size_t arena_size)
{
    memset(cache, 0, sizeof(*cache));
    void *p = mmap(NULL, arena_size, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p == MAP_FAILED)
        return false;
    cache->arena = p;
    cache->arena_size = arena_size;
    cache->as = as;
    return true;
}

void tb_cache_destroy(TbCache *cache)
{
    if (cache->arena)
        munmap(cache->arena, cache->arena_size);
    cache->arena = NULL;
}

void tb_cache_add_cpu(TbCache *cache, RiscvCpu *cpu)
{
    if (cache->n_cpus < TB_MAX_CPUS)
        cache->cpus[cache->n_cpus++] = cpu;
    cpu->tb_cache = cache;
}

TranslationBlock *tb_find(TbCache *cache, uint64_t phys_pc, uint64_t phys_page2)
{
    for (TranslationBlock *tb = cache->hash[tb_hash(phys_pc)]; tb; tb = tb->hash_next)
        if (tb->phys_pc == phys_pc && tb->phys_page2 == phys_page2)
            return tb;
    return NULL;
}

static void *arena_alloc(TbCache *cache, size_t size)
{
    size = (size + 15) & ~(size_t)15;
    if (cache->arena_used + size > cache->arena_size)
        return NULL;
    void *p = cache->arena + cache->arena_used;
    cache->arena_used += size;
    return p;
}

static void clear_code_flags(TbCache *cache)
{
    AddressSpace *as = cache->as;
    for (int i = 0; i < as->count; i++) {
        MemoryRegion *r = &as->regions[i];
        if (!r->page_flags)
            continue;
        for (uint64_t p = 0; p < (r->size >> PAGE_SHIFT); p++)
            r->page_flags[p] &= (uint8_t)~PAGE_HAS_CODE;
    }
}

void tb_flush(TbCache *cache)
{
    memset(cache->hash, 0, sizeof(cache->hash));
    memset(cache->pages, 0, sizeof(cache->pages));
    cache->arena_used = 0;
    cache->stats.flushes++;
    clear_code_flags(cache);
    for (int i = 0; i < cache->n_cpus; i++) {
        RiscvCpu *cpu = cache->cpus[i];
        for (size_t priv = 0; priv < sizeof(cpu->jump_caches) / sizeof(cpu->jump_caches[0]); priv++)
            jump_cache_flush(&cpu->jump_caches[priv]);
        cpu->last_tb = NULL;
    }
}

static void drop_writes_in_set(TlbSet *set, void *page)
{
    tlb_flush_phys_page_writes(set, *(uint64_t *)page);
}

/* A page that holds code must take the store slow path from now on. */
static void drop_write_mappings(TbCache *cache, uint64_t page)
{
    for (int i = 0; i < cache->n_cpus; i++)
        riscv_for_each_tlb_set(cache->cpus[i], drop_writes_in_set, &page);
}

static TbPage *find_page(TbCache *cache, uint64_t page, TbPage ***link_out)
{
    TbPage **link = &cache->pages[page_hash(page)];
    for (; *link; link = &(*link)->next) {
        if ((*link)->page == page) {
            if (link_out)
                *link_out = link;
            return *link;
        }
    }
    if (link_out)
        *link_out = link;
    return NULL;
}

/* The node of page, made if missing (the arena has room: tb_insert). */
static TbPage *page_node(TbCache *cache, uint64_t page)
{
    TbPage **link;
    TbPage *node = find_page(cache, page, &link);
    if (!node) {
        node = arena_alloc(cache, sizeof(TbPage));
        *node = (TbPage){.page = page};
        *link = node;
    }
    return node;
}

/* From now on, stores to page take the slow path, which invalidates. */
static void mark_code_page(TbCache *cache, uint64_t page)
{
    MemoryRegion *r = memory_find(cache->as, page);
    if (r && r->page_flags && !(r->page_flags[(page - r->base) >> PAGE_SHIFT] & PAGE_HAS_CODE)) {
        memory_set_page_flag(r, page, PAGE_HAS_CODE);
        drop_write_mappings(cache, page);
    }
}

TranslationBlock *tb_insert(TbCache *cache, const TranslationBlock *src)
{
    size_t size = tb_alloc_size(src->n_ops);
    uint64_t page = src->phys_pc & PAGE_MASK;
    /* Room for the block and two page nodes; a full arena starts over. */
    if (cache->arena_used + size + 2 * sizeof(TbPage) + 48 > cache->arena_size)
        tb_flush(cache);
    TbPage *node = page_node(cache, page);
    TbPage *node2 = src->phys_page2 != TB_ONE_PAGE ? page_node(cache, src->phys_page2) : NULL;
    TranslationBlock *tb = arena_alloc(cache, size);
    if (!tb)
        return NULL;
    memcpy(tb, src, size);
    tb->valid = true;
    tb->chain[0] = tb->chain[1] = NULL;
    unsigned h = tb_hash(tb->phys_pc);
    tb->hash_next = cache->hash[h];
    cache->hash[h] = tb;
    tb->page_next = node->first;
    node->first = tb;
    cache->stats.translated++;
    mark_code_page(cache, page);
    if (node2) {
        tb->page2_next = node2->second;
        node2->second = tb;
        mark_code_page(cache, src->phys_page2);
    }
    return tb;
}

static void unlink_from_hash(TbCache *cache, TranslationBlock *tb)
{
    TranslationBlock **link = &cache->hash[tb_hash(tb->phys_pc)];
    while (*link && *link != tb)
        link = &(*link)->hash_next;
    if (*link)
        *link = tb->hash_next;
}

static void invalidate(TbCache *cache, TranslationBlock *tb)
{
    if (!tb->valid)
        return; /* through its other page already */
    unlink_from_hash(cache, tb);
    tb->valid = false;
    cache->stats.invalidated++;
}

void tb_invalidate_page(TbCache *cache, uint64_t paddr)
{
    uint64_t page = paddr & PAGE_MASK;
    TbPage **link;
    TbPage *node = find_page(cache, page, &link);
    if (node) {
        /* Blocks stay in the arena until the next flush: the jump caches and
         * a block that is running may still point at them, so they are only
         * marked invalid here (and stay in their other page's list). */
        for (TranslationBlock *tb = node->first; tb; tb = tb->page_next)
            invalidate(cache, tb);
        for (TranslationBlock *tb = node->second; tb; tb = tb->page2_next)
            invalidate(cache, tb);
        *link = node->next;
    }
    MemoryRegion *r = memory_find(cache->as, page);
    if (r && r->page_flags)
        memory_clear_page_flag(r, page, PAGE_HAS_CODE);
    for (int i = 0; i < cache->n_cpus; i++)
        cache->cpus[i]->stop_block = true;
}
