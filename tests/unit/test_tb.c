/* tests/unit/test_tb.c: unit tests for cpu/tb.c: inserting and finding
 * blocks, code-page tracking, invalidation by stores, flushes, a full arena. */
#include <stdlib.h>
#include <string.h>

#include "cpu/riscv/tlb_fill.h"
#include "cpu/tb.h"
#include "softmmu/tlb.h"
#include "tests/unit/harness.h"

#define CODE_A (TEST_RAM_BASE + 0x10000)
#define CODE_B (TEST_RAM_BASE + 0x20000)
#define DATA (TEST_RAM_BASE + 0x30000)

static TestHart *h;
static RiscvCpu *cpu;
static TbCache *cache;
static MemFault fault;

/* What machine/virt.c does with stores to flagged pages. */
static void invalidate_code(void *opaque, uint64_t paddr, unsigned size)
{
    (void)size;
    TbCache *c = opaque;
    MemoryRegion *r = memory_find(c->as, paddr);
    if (r && r->page_flags && (r->page_flags[(paddr - r->base) >> PAGE_SHIFT] & PAGE_HAS_CODE))
        tb_invalidate_page(c, paddr);
}

static void setup_with_arena(size_t arena_size)
{
    h = test_hart_new();
    cpu = h->cpu;
    cache = malloc(sizeof(*cache));
    ck_assert_ptr_nonnull(cache);
    ck_assert(tb_cache_init(cache, &h->as, arena_size));
    tb_cache_add_cpu(cache, cpu);
    ck_assert_ptr_eq(cpu->tb_cache, cache);
    h->as.flagged_write = invalidate_code;
    h->as.flagged_write_opaque = cache;
}

static void setup(void)
{
    setup_with_arena(1u << 20);
}

static void setup_tiny(void)
{
    setup_with_arena(4096);
}

static void teardown(void)
{
    tb_cache_destroy(cache);
    free(cache);
    test_hart_free(h);
}

/* A block of n_ops "addi x0, x0, k" ops at phys_pc, as exec.c would build. */
static TranslationBlock *build(uint64_t phys_pc, uint32_t n_ops)
{
    TranslationBlock *tb = calloc(1, tb_alloc_size(n_ops));
    ck_assert_ptr_nonnull(tb);
    tb->phys_pc = phys_pc;
    tb->phys_page2 = TB_ONE_PAGE;
    tb->n_ops = tb->n_insns = n_ops;
    for (uint32_t i = 0; i < n_ops; i++) {
        riscv_decode(0x00000013 | (i << 20), riscv_ext_defaults(), &tb->ops[i]);
        tb->ops[i].pc_off = (uint16_t)(4 * i);
    }
    /* Garbage a fresh copy must not inherit. */
    tb->chain[0] = tb->chain[1] = (TranslationBlock *)tb;
    tb->hash_next = tb->page_next = (TranslationBlock *)tb;
    return tb;
}

static TranslationBlock *insert(uint64_t phys_pc, uint32_t n_ops)
{
    TranslationBlock *src = build(phys_pc, n_ops);
    TranslationBlock *tb = tb_insert(cache, src);
    free(src);
    return tb;
}

static uint8_t page_flags(uint64_t paddr)
{
    return h->ram->page_flags[(paddr - h->ram->base) >> PAGE_SHIFT];
}

START_TEST(test_insert_and_lookup)
{
    TranslationBlock *src = build(CODE_A, 5);
    TranslationBlock *tb = tb_insert(cache, src);
    ck_assert_ptr_nonnull(tb);
    ck_assert_ptr_ne(tb, src);
    free(src);
    ck_assert(tb->valid);
    ck_assert_ptr_null(tb->chain[0]);
    ck_assert_ptr_null(tb->chain[1]);
    ck_assert_uint_eq(tb->n_ops, 5);
    ck_assert_uint_eq(tb->ops[4].kind, OP_ADDI);
    ck_assert_int_eq(tb->ops[4].imm, 4);
    ck_assert_uint_eq(tb->ops[4].pc_off, 16);
    ck_assert_ptr_eq(tb_lookup(cache, CODE_A), tb);
    ck_assert_ptr_null(tb_lookup(cache, CODE_A + 4));
    ck_assert_ptr_null(tb_lookup(cache, CODE_B));
    ck_assert_uint_eq(cache->stats.translated, 1);
}
END_TEST

START_TEST(test_many_blocks_found)
{
    TranslationBlock *blocks[300];
    for (int i = 0; i < 300; i++) {
        blocks[i] = insert(CODE_A + 2ull * i * 7, 3);
        ck_assert_ptr_nonnull(blocks[i]);
    }
    for (int i = 0; i < 300; i++)
        ck_assert_ptr_eq(tb_lookup(cache, CODE_A + 2ull * i * 7), blocks[i]);
}
END_TEST

START_TEST(test_insert_marks_page_as_code)
{
    ck_assert_uint_eq(page_flags(CODE_A), 0);
    ck_assert_ptr_nonnull(insert(CODE_A + 0x7fc, 1));
    ck_assert(page_flags(CODE_A) & PAGE_HAS_CODE);
    ck_assert_uint_eq(page_flags(CODE_B), 0);
    ck_assert_uint_eq(page_flags(CODE_A + PAGE_SIZE), 0);
}
END_TEST

START_TEST(test_insert_drops_write_tlb_entries)
{
    TlbEntry *code_w = riscv_tlb_fill(cpu, CODE_A, ACCESS_WRITE, &fault);
    TlbEntry *data_w = riscv_tlb_fill(cpu, DATA, ACCESS_WRITE, &fault);
    TlbEntry *code_r = riscv_tlb_fill(cpu, CODE_A, ACCESS_READ, &fault);
    ck_assert(code_w && data_w && code_r);
    ck_assert_uint_eq(code_w->tag, CODE_A);
    ck_assert_ptr_nonnull(insert(CODE_A + 0x40, 2));
    /* A store to the page can no longer take the fast path. */
    ck_assert(!tlb_hit(code_w, CODE_A + 8, 8));
    ck_assert(tlb_hit(data_w, DATA + 8, 8));
    ck_assert(tlb_hit(code_r, CODE_A + 8, 8));
    TlbEntry *refilled = riscv_tlb_fill(cpu, CODE_A, ACCESS_WRITE, &fault);
    ck_assert_ptr_nonnull(refilled);
    ck_assert(refilled->tag & TLB_SLOW);
    ck_assert(!tlb_hit(refilled, CODE_A + 8, 8));
}
END_TEST

START_TEST(test_insert_drops_virtual_aliases)
{
    /* S-mode maps two virtual pages onto the code page. */
    pt_init(h, SATP_MODE_SV39);
    pt_map(h, 0x5000, CODE_A, PTE_V | PTE_RWX | PTE_A | PTE_D, 0);
    pt_map(h, 0x9000, CODE_A, PTE_V | PTE_RWX | PTE_A | PTE_D, 0);
    test_pmp_allow_all(h);
    test_set_priv(h, PRV_S);
    TlbEntry *a = riscv_tlb_fill(cpu, 0x5000, ACCESS_WRITE, &fault);
    TlbEntry *b = riscv_tlb_fill(cpu, 0x9000, ACCESS_WRITE, &fault);
    ck_assert(a && b && tlb_hit(a, 0x5000, 4) && tlb_hit(b, 0x9000, 4));
    test_set_priv(h, PRV_M);
    TlbEntry *m = riscv_tlb_fill(cpu, CODE_A, ACCESS_WRITE, &fault);
    ck_assert(m && tlb_hit(m, CODE_A, 4));
    ck_assert_ptr_nonnull(insert(CODE_A, 1));
    ck_assert(!tlb_hit(a, 0x5000, 4));
    ck_assert(!tlb_hit(b, 0x9000, 4));
    ck_assert(!tlb_hit(m, CODE_A, 4));
}
END_TEST

START_TEST(test_invalidate_page)
{
    TranslationBlock *a1 = insert(CODE_A, 2);
    TranslationBlock *a2 = insert(CODE_A + 0x100, 2);
    TranslationBlock *b = insert(CODE_B, 2);
    ck_assert(a1 && a2 && b);
    cpu->stop_block = false;
    tb_invalidate_page(cache, CODE_A + 0x800);
    ck_assert(!a1->valid);
    ck_assert(!a2->valid);
    ck_assert(b->valid);
    ck_assert_ptr_null(tb_lookup(cache, CODE_A));
    ck_assert_ptr_null(tb_lookup(cache, CODE_A + 0x100));
    ck_assert_ptr_eq(tb_lookup(cache, CODE_B), b);
    ck_assert_uint_eq(page_flags(CODE_A) & PAGE_HAS_CODE, 0);
    ck_assert(page_flags(CODE_B) & PAGE_HAS_CODE);
    ck_assert(cpu->stop_block);
    ck_assert_uint_eq(cache->stats.invalidated, 2);
}
END_TEST

START_TEST(test_invalidate_page_without_blocks)
{
    TranslationBlock *b = insert(CODE_B, 2);
    tb_invalidate_page(cache, CODE_A);
    tb_invalidate_page(cache, 0x1000); /* not even memory */
    ck_assert(b->valid);
    ck_assert_ptr_eq(tb_lookup(cache, CODE_B), b);
    ck_assert_uint_eq(cache->stats.invalidated, 0);
}
END_TEST

START_TEST(test_reinsert_after_invalidate)
{
    ck_assert_ptr_nonnull(insert(CODE_A, 2));
    tb_invalidate_page(cache, CODE_A);
    /* Meanwhile a write entry for the page is cached again... */
    TlbEntry *w = riscv_tlb_fill(cpu, CODE_A, ACCESS_WRITE, &fault);
    ck_assert_ptr_nonnull(w);
    /* ...and the new translation must take it away again. */
    TranslationBlock *again = insert(CODE_A, 3);
    ck_assert_ptr_nonnull(again);
    ck_assert_ptr_eq(tb_lookup(cache, CODE_A), again);
    ck_assert(page_flags(CODE_A) & PAGE_HAS_CODE);
    ck_assert(!tlb_hit(w, CODE_A, 4));
    tb_invalidate_page(cache, CODE_A);
    ck_assert(!again->valid);
    ck_assert_ptr_null(tb_lookup(cache, CODE_A));
}
END_TEST

START_TEST(test_flush)
{
    TranslationBlock *a = insert(CODE_A, 2);
    TranslationBlock *b = insert(CODE_B, 2);
    ck_assert(a && b);
    jump_cache_fill(&cpu->jump_caches[PRV_M], CODE_A, a);
    jump_cache_fill(&cpu->jump_caches[PRV_S], 0x1000, b);
    cpu->last_tb = a;
    tb_flush(cache);
    ck_assert_ptr_null(tb_lookup(cache, CODE_A));
    ck_assert_ptr_null(tb_lookup(cache, CODE_B));
    ck_assert_uint_eq(page_flags(CODE_A), 0);
    ck_assert_uint_eq(page_flags(CODE_B), 0);
    ck_assert_ptr_null(jump_cache_entry(&cpu->jump_caches[PRV_M], CODE_A)->tb);
    ck_assert_ptr_null(jump_cache_entry(&cpu->jump_caches[PRV_S], 0x1000)->tb);
    ck_assert_ptr_null(cpu->last_tb);
    ck_assert_uint_eq(cache->stats.flushes, 1);
    ck_assert_uint_eq(cache->arena_used, 0);
    /* And it is usable afterwards. */
    TranslationBlock *c = insert(CODE_A, 4);
    ck_assert_ptr_eq(tb_lookup(cache, CODE_A), c);
}
END_TEST

START_TEST(test_flush_keeps_watched_flags)
{
    memory_set_page_flag(h->ram, DATA, PAGE_WATCHED);
    ck_assert_ptr_nonnull(insert(DATA, 1));
    tb_flush(cache);
    ck_assert_uint_eq(page_flags(DATA), PAGE_WATCHED);
}
END_TEST

/* Fills the jump cache of priv for n pages from vbase, k targets each. */
static void fill_jump_cache(enum privilege priv, uint64_t vbase, unsigned n, unsigned k,
                            TranslationBlock *tb)
{
    for (unsigned page = 0; page < n; page++)
        for (unsigned i = 0; i < k; i++)
            jump_cache_fill(&cpu->jump_caches[priv], vbase + page * PAGE_SIZE + i * 36, tb);
}

static unsigned jump_cache_count(enum privilege priv)
{
    unsigned n = 0;
    for (unsigned i = 0; i < JUMP_CACHE_SIZE; i++)
        n += cpu->jump_caches[priv].entries[i].tb != NULL;
    return n;
}

/* A translation flush (satp, sfence.vma without an address) empties the U
 * and S jump caches whichever groups were filled, and keeps M's (M-mode
 * fetches do not translate). */
START_TEST(test_translation_flush_empties_jump_caches)
{
    TranslationBlock *a = insert(CODE_A, 2);
    fill_jump_cache(PRV_U, 0x10000, 3 * JUMP_CACHE_GROUPS, 5, a);
    fill_jump_cache(PRV_S, 0xffffffff80000000ull, 7, 40, a);
    fill_jump_cache(PRV_M, CODE_A, 1, 3, a);
    ck_assert_uint_gt(jump_cache_count(PRV_U), JUMP_CACHE_GROUPS);
    riscv_flush_translation(cpu);
    ck_assert_uint_eq(jump_cache_count(PRV_U), 0);
    ck_assert_uint_eq(jump_cache_count(PRV_S), 0);
    ck_assert_uint_eq(jump_cache_count(PRV_M), 3);
    /* Filled again after a flush, emptied again by the next one. */
    fill_jump_cache(PRV_S, 0x5000, 2, 4, a);
    ck_assert_uint_eq(jump_cache_count(PRV_S), 8);
    riscv_flush_translation(cpu);
    ck_assert_uint_eq(jump_cache_count(PRV_S), 0);
}
END_TEST

/* sfence.vma with an address drops that page's targets in U and S and
 * keeps other pages', which a later full flush still finds. */
START_TEST(test_sfence_page_empties_its_jump_cache_group)
{
    TranslationBlock *a = insert(CODE_A, 2);
    uint64_t page = 0x40000, other = page + PAGE_SIZE;
    fill_jump_cache(PRV_U, other, 1, 10, a);
    unsigned others = jump_cache_count(PRV_U); /* 10 less the slots two of them share */
    fill_jump_cache(PRV_U, page, 1, 10, a);
    fill_jump_cache(PRV_S, page, 1, 10, a);
    riscv_sfence_vma(cpu, &page, NULL);
    ck_assert_ptr_null(jump_cache_entry(&cpu->jump_caches[PRV_U], page)->tb);
    ck_assert_ptr_null(jump_cache_entry(&cpu->jump_caches[PRV_S], page + 36)->tb);
    ck_assert_ptr_eq(jump_cache_entry(&cpu->jump_caches[PRV_U], other + 36)->tb, a);
    ck_assert_uint_eq(jump_cache_count(PRV_U), others);
    ck_assert_uint_eq(jump_cache_count(PRV_S), 0);
    riscv_flush_translation(cpu);
    ck_assert_uint_eq(jump_cache_count(PRV_U), 0);
}
END_TEST

/* Keys sharing a slot: the newest takes it, the one there moves to the
 * neighbour, and a third drops the oldest. 0x1000, 0x1202 and 0x1404 hash
 * to one slot of one group. */
START_TEST(test_jump_cache_keeps_two_keys_of_a_slot)
{
    TranslationBlock *a = insert(CODE_A, 1), *b = insert(CODE_A + 8, 1), *c = insert(CODE_B, 1);
    JumpCache *jc = &cpu->jump_caches[PRV_U];
    ck_assert_ptr_eq(jump_cache_entry(jc, 0x1000), jump_cache_entry(jc, 0x1202));
    ck_assert_ptr_eq(jump_cache_entry(jc, 0x1000), jump_cache_entry(jc, 0x1404));
    jump_cache_fill(jc, 0x1000, a);
    jump_cache_fill(jc, 0x1202, b);
    ck_assert_ptr_eq(jump_cache_find(jc, 0x1000, 0), a);
    ck_assert_ptr_eq(jump_cache_find(jc, 0x1202, 0), b);
    jump_cache_fill(jc, 0x1404, c);
    ck_assert_ptr_eq(jump_cache_find(jc, 0x1404, 0), c);
    ck_assert_ptr_eq(jump_cache_find(jc, 0x1202, 0), b);
    ck_assert_ptr_null(jump_cache_find(jc, 0x1000, 0));
    /* A fence of the page drops both ways. */
    uint64_t page = 0x1000;
    riscv_sfence_vma(cpu, &page, NULL);
    ck_assert_ptr_null(jump_cache_find(jc, 0x1404, 0));
    ck_assert_ptr_null(jump_cache_find(jc, 0x1202, 0));
}
END_TEST

START_TEST(test_second_cpu)
{
    RiscvCpu *other = malloc(sizeof(*other));
    ck_assert_ptr_nonnull(other);
    riscv_cpu_init(other, &h->as, 1);
    riscv_cpu_reset(other, TEST_RAM_BASE);
    tb_cache_add_cpu(cache, other);
    TlbEntry *w = riscv_tlb_fill(other, CODE_A, ACCESS_WRITE, &fault);
    ck_assert(w && tlb_hit(w, CODE_A, 4));
    ck_assert_ptr_nonnull(insert(CODE_A, 1));
    ck_assert(!tlb_hit(w, CODE_A, 4));
    other->stop_block = cpu->stop_block = false;
    tb_invalidate_page(cache, CODE_A);
    ck_assert(other->stop_block && cpu->stop_block);
    free(other);
}
END_TEST

/* A full arena */

START_TEST(test_full_arena_flushes_and_continues)
{
    size_t block_size = tb_alloc_size(8);
    int n = (int)(10 * cache->arena_size / block_size);
    TranslationBlock *last = NULL;
    for (int i = 0; i < n; i++) {
        uint64_t pc = CODE_A + (uint64_t)(i % 64) * PAGE_SIZE + 4u * (uint64_t)(i / 64);
        last = insert(pc, 8);
        ck_assert_msg(last != NULL, "insert %d of %d failed", i, n);
        ck_assert_ptr_eq(tb_lookup(cache, pc), last);
        ck_assert_uint_eq(last->n_ops, 8);
        ck_assert(page_flags(pc) & PAGE_HAS_CODE);
        ck_assert_uint_le(cache->arena_used, cache->arena_size);
    }
    ck_assert_uint_ge(cache->stats.flushes, 5);
    ck_assert_ptr_null(tb_lookup(cache, CODE_A)); /* the first block went in a flush */
}
END_TEST

START_TEST(test_block_larger_than_arena)
{
    ck_assert_ptr_null(insert(CODE_A, 1000));
    /* Refused, but the cache keeps working. */
    TranslationBlock *tb = insert(CODE_B, 2);
    ck_assert_ptr_nonnull(tb);
    ck_assert_ptr_eq(tb_lookup(cache, CODE_B), tb);
    ck_assert_ptr_null(tb_lookup(cache, CODE_A));
}
END_TEST

/* Through the store path, as a guest writing its own code */

START_TEST(test_store_to_code_page_invalidates)
{
    TranslationBlock *tb = insert(CODE_A + 0x20, 4);
    TranslationBlock *other = insert(CODE_B, 4);
    cpu->stop_block = false;
    ck_assert(riscv_tlb_store_slow(cpu, CODE_A + 0x24, 4, 0x00100093, &fault));
    ck_assert(!tb->valid);
    ck_assert_ptr_null(tb_lookup(cache, CODE_A + 0x20));
    ck_assert(cpu->stop_block);
    ck_assert(other->valid);
    uint64_t value;
    ck_assert(memory_read(&h->as, CODE_A + 0x24, 4, &value));
    ck_assert_uint_eq(value, 0x00100093);
}
END_TEST

START_TEST(test_store_elsewhere_keeps_blocks)
{
    TranslationBlock *tb = insert(CODE_A, 4);
    cpu->stop_block = false;
    ck_assert(riscv_tlb_store_slow(cpu, DATA, 8, 1, &fault));
    ck_assert(riscv_tlb_store_slow(cpu, CODE_A - 8, 8, 1, &fault)); /* the page below */
    ck_assert(tb->valid);
    ck_assert(!cpu->stop_block);
}
END_TEST

START_TEST(test_store_through_virtual_alias_invalidates)
{
    pt_init(h, SATP_MODE_SV39);
    pt_map(h, 0x5000, CODE_A, PTE_V | PTE_RWX | PTE_A | PTE_D, 0);
    test_pmp_allow_all(h);
    test_set_priv(h, PRV_S);
    TranslationBlock *tb = insert(CODE_A + 0x100, 2);
    ck_assert(riscv_tlb_store_slow(cpu, 0x5ff0, 2, 0, &fault));
    ck_assert(!tb->valid);
}
END_TEST

START_TEST(test_store_across_into_code_page_invalidates)
{
    TranslationBlock *tb = insert(CODE_A, 2);
    ck_assert(riscv_tlb_store_slow(cpu, CODE_A - 2, 4, 0xffffffff, &fault));
    ck_assert(!tb->valid);
}
END_TEST

START_TEST(test_image_load_invalidates)
{
    TranslationBlock *tb = insert(CODE_B + 0x10, 2);
    static uint8_t image[2 * 4096];
    ck_assert(memory_load_image(&h->as, CODE_B - 0x1000, image, sizeof(image)));
    ck_assert(!tb->valid);
    ck_assert_ptr_null(tb_lookup(cache, CODE_B + 0x10));
}
END_TEST

static Suite *tb_suite(void)
{
    Suite *s = suite_create("tb");
    TCase *cache_tc = tcase_create("cache");
    tcase_add_checked_fixture(cache_tc, setup, teardown);
    tcase_add_test(cache_tc, test_insert_and_lookup);
    tcase_add_test(cache_tc, test_many_blocks_found);
    tcase_add_test(cache_tc, test_insert_marks_page_as_code);
    tcase_add_test(cache_tc, test_insert_drops_write_tlb_entries);
    tcase_add_test(cache_tc, test_insert_drops_virtual_aliases);
    tcase_add_test(cache_tc, test_invalidate_page);
    tcase_add_test(cache_tc, test_invalidate_page_without_blocks);
    tcase_add_test(cache_tc, test_reinsert_after_invalidate);
    tcase_add_test(cache_tc, test_flush);
    tcase_add_test(cache_tc, test_flush_keeps_watched_flags);
    tcase_add_test(cache_tc, test_jump_cache_keeps_two_keys_of_a_slot);
    tcase_add_test(cache_tc, test_second_cpu);
    tcase_add_test(cache_tc, test_translation_flush_empties_jump_caches);
    tcase_add_test(cache_tc, test_sfence_page_empties_its_jump_cache_group);
    suite_add_tcase(s, cache_tc);

    TCase *arena = tcase_create("arena");
    tcase_add_checked_fixture(arena, setup_tiny, teardown);
    tcase_add_test(arena, test_full_arena_flushes_and_continues);
    tcase_add_test(arena, test_block_larger_than_arena);
    suite_add_tcase(s, arena);

    TCase *stores = tcase_create("stores");
    tcase_add_checked_fixture(stores, setup, teardown);
    tcase_add_test(stores, test_store_to_code_page_invalidates);
    tcase_add_test(stores, test_store_elsewhere_keeps_blocks);
    tcase_add_test(stores, test_store_through_virtual_alias_invalidates);
    tcase_add_test(stores, test_store_across_into_code_page_invalidates);
    tcase_add_test(stores, test_image_load_invalidates);
    suite_add_tcase(s, stores);
    return s;
}

int main(void)
{
    return run_suite(tb_suite());
}
