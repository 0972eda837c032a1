/* tests/unit/test_mmu.c: unit tests for cpu/riscv/mmu.c: Sv39/Sv48/Sv57
 * walks, permissions, A/D updates, superpages, Svnapot, Svpbmt, MPRV and PMP,
 * as riscv_translate sees them. */
#include <string.h>

#include "cpu/riscv/csr.h"
#include "cpu/riscv/dump.h"
#include "cpu/riscv/mmu.h"
#include "cpu/riscv/tlb_fill.h"
#include "tests/unit/harness.h"

#define DATA_PA (TEST_RAM_BASE + 0x100000)
#define OTHER_PA (TEST_RAM_BASE + 0x205000)
#define MEGA_PA (TEST_RAM_BASE + 0x400000) /* 2 MiB aligned */

static TestHart *h;
static uint64_t cause;
static bool uniform;

static void setup_sv39(void)
{
    h = test_hart_new();
    pt_init(h, SATP_MODE_SV39);
    test_pmp_allow_all(h);
    test_set_priv(h, PRV_S);
}

static void setup_sv48(void)
{
    h = test_hart_new();
    pt_init(h, SATP_MODE_SV48);
    test_pmp_allow_all(h);
    test_set_priv(h, PRV_S);
}

/* A reset hart: M-mode, satp bare, no PMP entries. */
static void setup_reset(void)
{
    h = test_hart_new();
}

static void teardown(void)
{
    test_hart_free(h);
}

static uint64_t leaf_size;

static bool translate(uint64_t va, enum access_type type, uint64_t *pa)
{
    cause = ~0ull;
    Translation t = {.page_uniform = false};
    bool ok = riscv_translate(h->cpu, va, type, &t, &cause);
    uniform = t.page_uniform;
    leaf_size = ok ? t.leaf_size : 0;
    if (ok)
        *pa = t.paddr;
    return ok;
}

static const char *const type_names[] = {"read", "write", "fetch"};

static void assert_maps(uint64_t va, enum access_type type, uint64_t expected)
{
    uint64_t pa = 0;
    ck_assert_msg(translate(va, type, &pa), "%s of 0x%llx faulted with cause %llu",
                  type_names[type], (unsigned long long)va, (unsigned long long)cause);
    ck_assert_msg(pa == expected, "%s of 0x%llx: pa 0x%llx, expected 0x%llx", type_names[type],
                  (unsigned long long)va, (unsigned long long)pa, (unsigned long long)expected);
}

static void assert_faults(uint64_t va, enum access_type type, uint64_t expected_cause)
{
    uint64_t pa = 0;
    ck_assert_msg(!translate(va, type, &pa), "%s of 0x%llx succeeded (pa 0x%llx)", type_names[type],
                  (unsigned long long)va, (unsigned long long)pa);
    ck_assert_msg(cause == expected_cause, "%s of 0x%llx: cause %llu, expected %llu",
                  type_names[type], (unsigned long long)va, (unsigned long long)cause,
                  (unsigned long long)expected_cause);
}

static void assert_page_faults_all(uint64_t va)
{
    assert_faults(va, ACCESS_READ, EXC_LOAD_PAGE_FAULT);
    assert_faults(va, ACCESS_WRITE, EXC_STORE_PAGE_FAULT);
    assert_faults(va, ACCESS_FETCH, EXC_INSN_PAGE_FAULT);
}

static void assert_access_faults_all(uint64_t va)
{
    assert_faults(va, ACCESS_READ, EXC_LOAD_ACCESS);
    assert_faults(va, ACCESS_WRITE, EXC_STORE_ACCESS);
    assert_faults(va, ACCESS_FETCH, EXC_INSN_ACCESS);
}

/* Cause helpers */

START_TEST(test_fault_causes)
{
    ck_assert_uint_eq(riscv_page_fault_cause(ACCESS_FETCH), 12);
    ck_assert_uint_eq(riscv_page_fault_cause(ACCESS_READ), 13);
    ck_assert_uint_eq(riscv_page_fault_cause(ACCESS_WRITE), 15);
    ck_assert_uint_eq(riscv_access_fault_cause(ACCESS_FETCH), 1);
    ck_assert_uint_eq(riscv_access_fault_cause(ACCESS_READ), 5);
    ck_assert_uint_eq(riscv_access_fault_cause(ACCESS_WRITE), 7);
}
END_TEST

/* Bare mode and M-mode */

START_TEST(test_bare_s_mode_is_identity)
{
    h->cpu->satp = 0;
    riscv_flush_translation(h->cpu);
    assert_maps(0x80001234, ACCESS_READ, 0x80001234);
    assert_maps(0x1234, ACCESS_WRITE, 0x1234);
    ck_assert(uniform);
}
END_TEST

START_TEST(test_m_mode_ignores_satp)
{
    test_set_priv(h, PRV_M);
    assert_maps(0x80001234, ACCESS_READ, 0x80001234);
    assert_maps(0x80001234, ACCESS_WRITE, 0x80001234);
    assert_maps(0x80001234, ACCESS_FETCH, 0x80001234);
}
END_TEST

/* Sv39 */

START_TEST(test_sv39_4k_page)
{
    pt_map(h, 0x1000, DATA_PA, PTE_V | PTE_RWX | PTE_A | PTE_D, 0);
    assert_maps(0x1abc, ACCESS_READ, DATA_PA + 0xabc);
    assert_maps(0x1abc, ACCESS_WRITE, DATA_PA + 0xabc);
    assert_maps(0x1ffe, ACCESS_FETCH, DATA_PA + 0xffe);
    ck_assert(uniform);
    assert_page_faults_all(0x2000);
    assert_page_faults_all(0x0fff);
}
END_TEST

START_TEST(test_sv39_invalid_pte)
{
    pt_map(h, 0x1000, DATA_PA, PTE_RWX | PTE_A | PTE_D, 0); /* V clear */
    assert_page_faults_all(0x1000);
}
END_TEST

START_TEST(test_sv39_accessed_and_dirty)
{
    uint64_t pte = pt_map(h, 0x1000, DATA_PA, PTE_V | PTE_R | PTE_W | PTE_X, 0);
    assert_maps(0x1000, ACCESS_READ, DATA_PA);
    ck_assert_uint_eq(test_read64(h, pte) & (PTE_A | PTE_D), PTE_A);
    assert_maps(0x1008, ACCESS_WRITE, DATA_PA + 8);
    ck_assert_uint_eq(test_read64(h, pte) & (PTE_A | PTE_D), PTE_A | PTE_D);

    uint64_t code = pt_map(h, 0x3000, OTHER_PA, PTE_V | PTE_R | PTE_X, 0);
    assert_maps(0x3000, ACCESS_FETCH, OTHER_PA);
    ck_assert_uint_eq(test_read64(h, code) & (PTE_A | PTE_D), PTE_A);
}
END_TEST

START_TEST(test_sv39_write_sets_a_and_d_together)
{
    uint64_t pte = pt_map(h, 0x1000, DATA_PA, PTE_V | PTE_R | PTE_W, 0);
    assert_maps(0x1000, ACCESS_WRITE, DATA_PA);
    ck_assert_uint_eq(test_read64(h, pte) & (PTE_A | PTE_D), PTE_A | PTE_D);
}
END_TEST

START_TEST(test_sv39_failed_access_leaves_pte_alone)
{
    uint64_t pte = pt_map(h, 0x1000, DATA_PA, PTE_V | PTE_R, 0);
    uint64_t before = test_read64(h, pte);
    assert_faults(0x1000, ACCESS_WRITE, EXC_STORE_PAGE_FAULT);
    assert_faults(0x1000, ACCESS_FETCH, EXC_INSN_PAGE_FAULT);
    ck_assert_uint_eq(test_read64(h, pte), before);
}
END_TEST

START_TEST(test_sv39_permissions)
{
    pt_map(h, 0x1000, DATA_PA, PTE_V | PTE_R | PTE_A | PTE_D, 0);
    assert_maps(0x1000, ACCESS_READ, DATA_PA);
    assert_faults(0x1000, ACCESS_WRITE, EXC_STORE_PAGE_FAULT);
    assert_faults(0x1000, ACCESS_FETCH, EXC_INSN_PAGE_FAULT);

    pt_map(h, 0x2000, DATA_PA, PTE_V | PTE_X | PTE_A | PTE_D, 0);
    assert_maps(0x2000, ACCESS_FETCH, DATA_PA);
    assert_faults(0x2000, ACCESS_READ, EXC_LOAD_PAGE_FAULT);
    assert_faults(0x2000, ACCESS_WRITE, EXC_STORE_PAGE_FAULT);

    pt_map(h, 0x3000, DATA_PA, PTE_V | PTE_R | PTE_W | PTE_A | PTE_D, 0);
    assert_maps(0x3000, ACCESS_WRITE, DATA_PA);
    assert_faults(0x3000, ACCESS_FETCH, EXC_INSN_PAGE_FAULT);
}
END_TEST

START_TEST(test_sv39_write_without_read_is_reserved)
{
    pt_map(h, 0x1000, DATA_PA, PTE_V | PTE_W | PTE_A | PTE_D, 0);
    assert_page_faults_all(0x1000);
    pt_map(h, 0x2000, DATA_PA, PTE_V | PTE_W | PTE_X | PTE_A | PTE_D, 0);
    assert_page_faults_all(0x2000);
}
END_TEST

START_TEST(test_sv39_mxr)
{
    pt_map(h, 0x2000, DATA_PA, PTE_V | PTE_X | PTE_A, 0);
    assert_faults(0x2000, ACCESS_READ, EXC_LOAD_PAGE_FAULT);
    test_set_mstatus(h, MSTATUS_MXR, 0);
    riscv_flush_translation(h->cpu);
    assert_maps(0x2000, ACCESS_READ, DATA_PA);
    assert_faults(0x2000, ACCESS_WRITE, EXC_STORE_PAGE_FAULT);
}
END_TEST

START_TEST(test_sv39_user_page_from_supervisor)
{
    pt_map(h, 0x1000, DATA_PA, PTE_V | PTE_RWX | PTE_U | PTE_A | PTE_D, 0);
    assert_page_faults_all(0x1000);
    test_set_mstatus(h, MSTATUS_SUM, 0);
    assert_maps(0x1000, ACCESS_READ, DATA_PA);
    assert_maps(0x1000, ACCESS_WRITE, DATA_PA);
    /* SUM never allows S to execute user code (priv spec 4.3.1). */
    assert_faults(0x1000, ACCESS_FETCH, EXC_INSN_PAGE_FAULT);
}
END_TEST

START_TEST(test_sv39_user_mode)
{
    pt_map(h, 0x1000, DATA_PA, PTE_V | PTE_RWX | PTE_U | PTE_A | PTE_D, 0);
    pt_map(h, 0x2000, DATA_PA, PTE_V | PTE_RWX | PTE_A | PTE_D, 0);
    test_set_priv(h, PRV_U);
    assert_maps(0x1000, ACCESS_READ, DATA_PA);
    assert_maps(0x1000, ACCESS_WRITE, DATA_PA);
    assert_maps(0x1000, ACCESS_FETCH, DATA_PA);
    assert_page_faults_all(0x2000);
    test_set_mstatus(h, MSTATUS_SUM, 0); /* SUM is about S only */
    assert_page_faults_all(0x2000);
}
END_TEST

START_TEST(test_sv39_megapage)
{
    pt_map(h, 0x40000000, MEGA_PA, PTE_V | PTE_RWX | PTE_A | PTE_D, 1);
    assert_maps(0x40000000, ACCESS_READ, MEGA_PA);
    assert_maps(0x40123456, ACCESS_WRITE, MEGA_PA + 0x123456);
    assert_maps(0x401ffffe, ACCESS_FETCH, MEGA_PA + 0x1ffffe);
    assert_page_faults_all(0x40200000);
}
END_TEST

START_TEST(test_sv39_gigapage)
{
    pt_map(h, 0xc0000000, 0x80000000, PTE_V | PTE_RWX | PTE_A | PTE_D, 2);
    assert_maps(0xc0345678, ACCESS_READ, 0x80345678);
    assert_maps(0xfffffff8, ACCESS_WRITE, 0xbffffff8);
}
END_TEST

START_TEST(test_sv39_misaligned_superpages)
{
    pt_map(h, 0x40000000, MEGA_PA + 0x1000, PTE_V | PTE_RWX | PTE_A | PTE_D, 1);
    assert_page_faults_all(0x40000000);
    assert_page_faults_all(0x40001000);
    pt_map(h, 0xc0000000, 0x80200000, PTE_V | PTE_RWX | PTE_A | PTE_D, 2);
    assert_page_faults_all(0xc0000000);
}
END_TEST

START_TEST(test_sv39_misaligned_superpage_keeps_a_clear)
{
    uint64_t pte = pt_map(h, 0x40000000, MEGA_PA + 0x1000, PTE_V | PTE_RWX, 1);
    assert_page_faults_all(0x40000000);
    ck_assert_uint_eq(test_read64(h, pte) & (PTE_A | PTE_D), 0);
}
END_TEST

START_TEST(test_sv39_canonical_addresses)
{
    /* Bits 63:39 must all equal bit 38. */
    pt_map(h, 0xffffffffc0000000ull, 0x80000000, PTE_V | PTE_RWX | PTE_A | PTE_D, 2);
    assert_maps(0xffffffffc0001000ull, ACCESS_READ, 0x80001000);
    pt_map(h, 0x3fc0000000ull, 0x80000000, PTE_V | PTE_RWX | PTE_A | PTE_D, 2);
    assert_maps(0x3fc0001000ull, ACCESS_READ, 0x80001000);
    /* Same table index as above, but not sign-extended. */
    assert_page_faults_all(0x7fc0001000ull);
    assert_page_faults_all(0xffffff7fc0001000ull);
    assert_page_faults_all(0x4000000000ull);
    assert_page_faults_all(0x8000000000000000ull);
}
END_TEST

START_TEST(test_sv39_pointer_with_a_d_u_is_invalid)
{
    pt_map(h, 0x1000, DATA_PA, PTE_V | PTE_RWX | PTE_A | PTE_D, 0);
    assert_maps(0x1000, ACCESS_READ, DATA_PA);
    uint64_t root_entry = pt_entry_addr(h, 0x1000, 2);
    uint64_t pointer = test_read64(h, root_entry);
    static const uint64_t reserved[] = {PTE_A, PTE_D, PTE_U};
    for (int i = 0; i < 3; i++) {
        test_write64(h, root_entry, pointer | reserved[i]);
        riscv_flush_translation(h->cpu);
        assert_page_faults_all(0x1000);
    }
}
END_TEST

START_TEST(test_sv39_pointer_at_last_level_is_invalid)
{
    pt_map(h, 0x1000, DATA_PA, PTE_V, 0); /* a "pointer" where a leaf must be */
    assert_page_faults_all(0x1000);
}
END_TEST

START_TEST(test_sv39_reserved_pte_bits)
{
    static const int bits[] = {54, 60, 61, 62, 63};
    for (int i = 0; i < 5; i++) {
        pt_map(h, 0x1000, DATA_PA, PTE_V | PTE_RWX | PTE_A | PTE_D | (1ull << bits[i]), 0);
        assert_page_faults_all(0x1000);
    }
    /* The software bits (RSW, 9:8) and G are free. */
    pt_map(h, 0x1000, DATA_PA, PTE_V | PTE_RWX | PTE_A | PTE_D | PTE_G | (3ull << 8), 0);
    assert_maps(0x1000, ACCESS_READ, DATA_PA);
}
END_TEST

START_TEST(test_sv39_table_outside_memory)
{
    /* The root table lies where there is no memory: an access fault. */
    h->cpu->satp = ((uint64_t)SATP_MODE_SV39 << SATP_MODE_SHIFT) | (0x1000 >> PAGE_SHIFT);
    riscv_flush_translation(h->cpu);
    assert_access_faults_all(0x1000);
}
END_TEST

START_TEST(test_sv39_leaf_outside_memory_translates)
{
    /* Whether the target exists is the memory system's business. */
    pt_map(h, 0x1000, 0x40000000, PTE_V | PTE_RWX | PTE_A | PTE_D, 0);
    assert_maps(0x1010, ACCESS_READ, 0x40000010);
}
END_TEST

/* Sv48 */

START_TEST(test_sv48_four_levels)
{
    pt_map(h, 0x1000, DATA_PA, PTE_V | PTE_RWX | PTE_A | PTE_D, 0);
    assert_maps(0x1234, ACCESS_READ, DATA_PA + 0x234);
    /* Canonical in Sv48 but not in Sv39. */
    pt_map(h, 0x8000000000ull, OTHER_PA, PTE_V | PTE_RWX | PTE_A | PTE_D, 0);
    assert_maps(0x8000000010ull, ACCESS_WRITE, OTHER_PA + 0x10);
    pt_map(h, 0xffff800000000000ull, DATA_PA, PTE_V | PTE_R | PTE_A, 0);
    assert_maps(0xffff800000000ff8ull, ACCESS_READ, DATA_PA + 0xff8);
}
END_TEST

START_TEST(test_sv48_canonical_addresses)
{
    pt_map(h, 0x7fffc0000000ull, 0x80000000, PTE_V | PTE_RWX | PTE_A | PTE_D, 2);
    assert_maps(0x7fffc0000000ull, ACCESS_READ, 0x80000000);
    assert_page_faults_all(0x800000000000ull);
    assert_page_faults_all(0xffff7fffc0000000ull);
}
END_TEST

START_TEST(test_sv48_superpages)
{
    pt_map(h, 0x40000000, MEGA_PA, PTE_V | PTE_RWX | PTE_A | PTE_D, 1);
    assert_maps(0x40012345, ACCESS_READ, MEGA_PA + 0x12345);
    pt_map(h, 0xc0000000, 0x80000000, PTE_V | PTE_RWX | PTE_A | PTE_D, 2);
    assert_maps(0xc0012345, ACCESS_READ, 0x80012345);
    /* A 512 GiB page: VA 1 TiB maps to PA 0. */
    pt_map(h, 0x10000000000ull, 0, PTE_V | PTE_RWX | PTE_A | PTE_D, 3);
    assert_maps(0x10080001234ull, ACCESS_READ, 0x80001234);
    pt_map(h, 0x18000000000ull, 0x40000000, PTE_V | PTE_RWX | PTE_A | PTE_D, 3);
    assert_page_faults_all(0x18000000000ull);
}
END_TEST

/* MPRV */

START_TEST(test_access_priv)
{
    test_set_priv(h, PRV_M);
    ck_assert_int_eq(riscv_access_priv(h->cpu, ACCESS_READ), PRV_M);
    test_set_mstatus(h, MSTATUS_MPRV | (1ull << MSTATUS_MPP_SHIFT), MSTATUS_MPP);
    ck_assert_int_eq(riscv_access_priv(h->cpu, ACCESS_READ), PRV_S);
    ck_assert_int_eq(riscv_access_priv(h->cpu, ACCESS_WRITE), PRV_S);
    ck_assert_int_eq(riscv_access_priv(h->cpu, ACCESS_FETCH), PRV_M);
    test_set_mstatus(h, 0, MSTATUS_MPP);
    ck_assert_int_eq(riscv_access_priv(h->cpu, ACCESS_READ), PRV_U);
    /* MPRV only means something in M-mode. */
    test_set_priv(h, PRV_S);
    ck_assert_int_eq(riscv_access_priv(h->cpu, ACCESS_READ), PRV_S);
}
END_TEST

START_TEST(test_mprv_translates_loads_and_stores_only)
{
    pt_map(h, 0x1000, DATA_PA, PTE_V | PTE_RWX | PTE_A | PTE_D, 0);
    test_set_priv(h, PRV_M);
    test_set_mstatus(h, MSTATUS_MPRV | (1ull << MSTATUS_MPP_SHIFT), MSTATUS_MPP);
    assert_maps(0x1000, ACCESS_READ, DATA_PA);
    assert_maps(0x1000, ACCESS_WRITE, DATA_PA);
    assert_maps(0x80000000, ACCESS_FETCH, 0x80000000);
    assert_faults(0x80000000, ACCESS_READ, EXC_LOAD_PAGE_FAULT);
}
END_TEST

START_TEST(test_mprv_user_permissions)
{
    pt_map(h, 0x1000, DATA_PA, PTE_V | PTE_RWX | PTE_A | PTE_D, 0);
    pt_map(h, 0x2000, OTHER_PA, PTE_V | PTE_RWX | PTE_U | PTE_A | PTE_D, 0);
    test_set_priv(h, PRV_M);
    test_set_mstatus(h, MSTATUS_MPRV, MSTATUS_MPP); /* MPP = U */
    assert_faults(0x1000, ACCESS_READ, EXC_LOAD_PAGE_FAULT);
    assert_maps(0x2000, ACCESS_WRITE, OTHER_PA);
    /* MPP = S with SUM reaches the user page too. */
    test_set_mstatus(h, (1ull << MSTATUS_MPP_SHIFT) | MSTATUS_SUM, MSTATUS_MPP);
    assert_maps(0x2000, ACCESS_READ, OTHER_PA);
    assert_maps(0x1000, ACCESS_READ, DATA_PA);
}
END_TEST

START_TEST(test_mprv_with_mpp_m_is_bare)
{
    test_set_priv(h, PRV_M);
    test_set_mstatus(h, MSTATUS_MPRV | MSTATUS_MPP, 0);
    assert_maps(0x80001000, ACCESS_READ, 0x80001000);
}
END_TEST

/* PMP */

START_TEST(test_pmp_no_entries_denies_s_and_u)
{
    /* Priv spec 3.7.1: with no matching entry, S and U accesses fail. */
    test_set_priv(h, PRV_S);
    assert_access_faults_all(TEST_RAM_BASE);
    test_set_priv(h, PRV_U);
    assert_access_faults_all(TEST_RAM_BASE);
    test_set_priv(h, PRV_M);
    assert_maps(TEST_RAM_BASE, ACCESS_WRITE, TEST_RAM_BASE);
    assert_maps(TEST_RAM_BASE, ACCESS_FETCH, TEST_RAM_BASE);
}
END_TEST

START_TEST(test_pmp_napot_allows)
{
    test_set_pmp(h, 0, PMPCFG_NAPOT | PMPCFG_R | PMPCFG_W | PMPCFG_X,
                 pmp_napot(TEST_RAM_BASE, TEST_RAM_SIZE));
    test_set_priv(h, PRV_S);
    assert_maps(TEST_RAM_BASE, ACCESS_READ, TEST_RAM_BASE);
    assert_maps(TEST_RAM_BASE + TEST_RAM_SIZE - 8, ACCESS_WRITE, TEST_RAM_BASE + TEST_RAM_SIZE - 8);
    assert_maps(TEST_RAM_BASE + 0x1000, ACCESS_FETCH, TEST_RAM_BASE + 0x1000);
    ck_assert(uniform);
    assert_access_faults_all(TEST_RAM_BASE + TEST_RAM_SIZE);
    assert_access_faults_all(TEST_RAM_BASE - PAGE_SIZE);
}
END_TEST

START_TEST(test_pmp_permission_bits)
{
    test_set_pmp(h, 0, PMPCFG_NAPOT | PMPCFG_R, pmp_napot(TEST_RAM_BASE, TEST_RAM_SIZE));
    test_set_priv(h, PRV_U);
    assert_maps(TEST_RAM_BASE, ACCESS_READ, TEST_RAM_BASE);
    assert_faults(TEST_RAM_BASE, ACCESS_WRITE, EXC_STORE_ACCESS);
    assert_faults(TEST_RAM_BASE, ACCESS_FETCH, EXC_INSN_ACCESS);
    test_set_pmp(h, 0, PMPCFG_NAPOT | PMPCFG_X, pmp_napot(TEST_RAM_BASE, TEST_RAM_SIZE));
    assert_maps(TEST_RAM_BASE, ACCESS_FETCH, TEST_RAM_BASE);
    assert_faults(TEST_RAM_BASE, ACCESS_READ, EXC_LOAD_ACCESS);
}
END_TEST

START_TEST(test_pmp_unlocked_does_not_restrict_m)
{
    test_set_pmp(h, 0, PMPCFG_NAPOT, pmp_napot(TEST_RAM_BASE, TEST_RAM_SIZE));
    assert_maps(TEST_RAM_BASE, ACCESS_WRITE, TEST_RAM_BASE);
    assert_maps(TEST_RAM_BASE, ACCESS_FETCH, TEST_RAM_BASE);
}
END_TEST

START_TEST(test_pmp_locked_restricts_m)
{
    test_set_pmp(h, 0, PMPCFG_NAPOT | PMPCFG_R | PMPCFG_L, pmp_napot(TEST_RAM_BASE, 0x10000));
    assert_maps(TEST_RAM_BASE, ACCESS_READ, TEST_RAM_BASE);
    assert_faults(TEST_RAM_BASE, ACCESS_WRITE, EXC_STORE_ACCESS);
    assert_faults(TEST_RAM_BASE + 0xfffc, ACCESS_FETCH, EXC_INSN_ACCESS);
    assert_maps(TEST_RAM_BASE + 0x10000, ACCESS_WRITE, TEST_RAM_BASE + 0x10000);
}
END_TEST

START_TEST(test_pmp_locked_applies_to_mprv)
{
    test_set_pmp(h, 0, PMPCFG_NAPOT | PMPCFG_R | PMPCFG_W | PMPCFG_X | PMPCFG_L,
                 pmp_napot(TEST_RAM_BASE, TEST_RAM_SIZE));
    test_set_mstatus(h, MSTATUS_MPRV, MSTATUS_MPP); /* data accesses as U, bare */
    assert_maps(TEST_RAM_BASE, ACCESS_READ, TEST_RAM_BASE);
    assert_faults(TEST_RAM_BASE - 8, ACCESS_READ, EXC_LOAD_ACCESS);
    assert_maps(TEST_RAM_BASE - 8, ACCESS_FETCH, TEST_RAM_BASE - 8); /* fetch stays M */
}
END_TEST

START_TEST(test_pmp_tor)
{
    /* Entry 0 as TOR covers [0, top). */
    test_set_pmp(h, 0, PMPCFG_TOR | PMPCFG_R, (TEST_RAM_BASE + 0x10000) >> 2);
    test_set_priv(h, PRV_S);
    assert_maps(0x1000, ACCESS_READ, 0x1000);
    assert_maps(TEST_RAM_BASE + 0xf000, ACCESS_READ, TEST_RAM_BASE + 0xf000);
    assert_faults(TEST_RAM_BASE + 0x10000, ACCESS_READ, EXC_LOAD_ACCESS);
    /* Entry 1 as TOR covers [pmpaddr0, pmpaddr1). */
    test_set_pmp(h, 1, PMPCFG_TOR | PMPCFG_R | PMPCFG_W, (TEST_RAM_BASE + 0x20000) >> 2);
    assert_maps(TEST_RAM_BASE + 0x10000, ACCESS_WRITE, TEST_RAM_BASE + 0x10000);
    assert_faults(TEST_RAM_BASE + 0x20000, ACCESS_WRITE, EXC_STORE_ACCESS);
    assert_faults(TEST_RAM_BASE, ACCESS_WRITE, EXC_STORE_ACCESS); /* entry 0 wins */
}
END_TEST

START_TEST(test_pmp_tor_empty_range_matches_nothing)
{
    test_set_pmp(h, 0, 0, 0);
    test_set_pmp(h, 1, PMPCFG_TOR | PMPCFG_R | PMPCFG_W | PMPCFG_X | PMPCFG_L, 0);
    /* pmpaddr1 <= pmpaddr0: the locked entry matches nothing, M is free. */
    assert_maps(TEST_RAM_BASE, ACCESS_WRITE, TEST_RAM_BASE);
}
END_TEST

START_TEST(test_pmp_off_entry_ignored)
{
    test_set_pmp(h, 0, PMPCFG_R | PMPCFG_W | PMPCFG_X, pmp_napot(TEST_RAM_BASE, TEST_RAM_SIZE));
    test_set_priv(h, PRV_S);
    assert_access_faults_all(TEST_RAM_BASE);
}
END_TEST

START_TEST(test_pmp_lowest_entry_wins)
{
    test_set_pmp(h, 0, PMPCFG_NAPOT, pmp_napot(TEST_RAM_BASE + 0x2000, 0x1000));
    test_pmp_allow_all(h);
    test_set_priv(h, PRV_S);
    assert_access_faults_all(TEST_RAM_BASE + 0x2000);
    assert_maps(TEST_RAM_BASE + 0x3000, ACCESS_READ, TEST_RAM_BASE + 0x3000);
    assert_maps(TEST_RAM_BASE + 0x1ff8, ACCESS_READ, TEST_RAM_BASE + 0x1ff8);
}
END_TEST

START_TEST(test_pmp_partial_page_not_uniform)
{
    /* An NA4 hole inside a page: the page's translation must not be cached. */
    test_set_pmp(h, 0, PMPCFG_NA4, (TEST_RAM_BASE + 0x100) >> 2);
    test_pmp_allow_all(h);
    test_set_priv(h, PRV_S);
    assert_maps(TEST_RAM_BASE + 0x200, ACCESS_READ, TEST_RAM_BASE + 0x200);
    ck_assert(!uniform);
    assert_faults(TEST_RAM_BASE + 0x100, ACCESS_READ, EXC_LOAD_ACCESS);
    assert_faults(TEST_RAM_BASE + 0x103, ACCESS_WRITE, EXC_STORE_ACCESS);
    assert_maps(TEST_RAM_BASE + 0x104, ACCESS_READ, TEST_RAM_BASE + 0x104);
    assert_maps(TEST_RAM_BASE + 0x1000, ACCESS_READ, TEST_RAM_BASE + 0x1000);
    ck_assert(uniform);
}
END_TEST

START_TEST(test_pmp_allows_exact_ranges)
{
    test_set_pmp(h, 0, PMPCFG_NA4, (TEST_RAM_BASE + 0x100) >> 2);
    test_pmp_allow_all(h);
    const RiscvCpu *cpu = h->cpu;
    ck_assert(riscv_pmp_allows(cpu, TEST_RAM_BASE + 0xf8, 8, ACCESS_READ, PRV_S));
    ck_assert(!riscv_pmp_allows(cpu, TEST_RAM_BASE + 0xfc, 8, ACCESS_READ, PRV_S));
    ck_assert(!riscv_pmp_allows(cpu, TEST_RAM_BASE + 0x100, 4, ACCESS_READ, PRV_S));
    ck_assert(!riscv_pmp_allows(cpu, TEST_RAM_BASE + 0x103, 2, ACCESS_READ, PRV_S));
    ck_assert(riscv_pmp_allows(cpu, TEST_RAM_BASE + 0x104, 8, ACCESS_READ, PRV_S));
    /* Unlocked entries never stop M, even for a partial match. */
    ck_assert(riscv_pmp_allows(cpu, TEST_RAM_BASE + 0x100, 4, ACCESS_WRITE, PRV_M));
}
END_TEST

START_TEST(test_pmp_covers_page_table_walk)
{
    /* The page tables lie in a region S may not read: an access fault, not a
     * page fault (priv spec 4.3.2 step 2). */
    pt_map(h, 0x1000, DATA_PA, PTE_V | PTE_RWX | PTE_A | PTE_D, 0);
    test_set_pmp(h, 0, PMPCFG_NAPOT, pmp_napot(TEST_PT_BASE, 4ull << 20));
    assert_access_faults_all(0x1000);
}
END_TEST

START_TEST(test_pmp_covers_translated_address)
{
    pt_map(h, 0x1000, DATA_PA, PTE_V | PTE_RWX | PTE_A | PTE_D, 0);
    test_set_pmp(h, 0, PMPCFG_NAPOT | PMPCFG_R, pmp_napot(DATA_PA, PAGE_SIZE));
    assert_maps(0x1000, ACCESS_READ, DATA_PA);
    assert_faults(0x1000, ACCESS_WRITE, EXC_STORE_ACCESS);
    assert_faults(0x1000, ACCESS_FETCH, EXC_INSN_ACCESS);
}
END_TEST

START_TEST(test_pmp_blocks_a_d_update)
{
    /* Page tables readable but not writable by S: setting D would need a
     * store, so the access faults and the PTE is unchanged. */
    uint64_t pte = pt_map(h, 0x1000, DATA_PA, PTE_V | PTE_R | PTE_W | PTE_A, 0);
    test_set_pmp(h, 0, PMPCFG_NAPOT | PMPCFG_R, pmp_napot(TEST_PT_BASE, 4ull << 20));
    assert_maps(0x1000, ACCESS_READ, DATA_PA);
    assert_faults(0x1000, ACCESS_WRITE, EXC_STORE_ACCESS);
    ck_assert_uint_eq(test_read64(h, pte) & PTE_D, 0);
}
END_TEST

/* Sv57. harness.c's builder knows three and four levels; five come from
 * here, with tables from RAM the other tests leave alone. */

#define SV57_TABLES (TEST_RAM_BASE + 0x800000)
#define PTE_N (1ull << 63)
#define PTE_PBMT_NC (1ull << 61)
#define PTE_PBMT_IO (2ull << 61)
#define PTE_PBMT_RESERVED (3ull << 61)
#define SV57_DATA_VA 0x0012345678001000ull /* bit 52: beyond Sv48 */

static uint64_t sv57_next_table;

static uint64_t sv57_alloc_table(void)
{
    uint64_t table = sv57_next_table;
    sv57_next_table += PAGE_SIZE;
    for (unsigned i = 0; i < 512; i++)
        test_write64(h, table + i * 8, 0);
    return table;
}

static void setup_sv57(void)
{
    h = test_hart_new();
    sv57_next_table = SV57_TABLES;
    uint64_t root = sv57_alloc_table();
    h->cpu->satp = ((uint64_t)SATP_MODE_SV57 << SATP_MODE_SHIFT) | (root >> PAGE_SHIFT);
    riscv_flush_translation(h->cpu);
    test_pmp_allow_all(h);
    test_set_priv(h, PRV_S);
}

/* The address of the PTE translating va at level, tables created on the way. */
static uint64_t sv57_entry(uint64_t va, int leaf_level)
{
    uint64_t table = (h->cpu->satp & SATP_PPN_MASK) << PAGE_SHIFT;
    for (int level = 4; level > leaf_level; level--) {
        uint64_t pte_addr = table + ((va >> (PAGE_SHIFT + 9 * level)) & 0x1ff) * 8;
        uint64_t pte = test_read64(h, pte_addr);
        if (!(pte & PTE_V)) {
            pte = ((sv57_alloc_table() >> PAGE_SHIFT) << 10) | PTE_V;
            test_write64(h, pte_addr, pte);
        }
        table = ((pte >> 10) & ((1ull << 44) - 1)) << PAGE_SHIFT;
    }
    return table + ((va >> (PAGE_SHIFT + 9 * leaf_level)) & 0x1ff) * 8;
}

static uint64_t sv57_map(uint64_t va, uint64_t pa, uint64_t flags, int level)
{
    uint64_t pte_addr = sv57_entry(va, level);
    test_write64(h, pte_addr, ((pa >> PAGE_SHIFT) << 10) | flags);
    riscv_flush_translation(h->cpu);
    return pte_addr;
}

START_TEST(test_sv57_five_levels)
{
    sv57_map(SV57_DATA_VA, DATA_PA, PTE_V | PTE_RWX | PTE_A | PTE_D, 0);
    assert_maps(SV57_DATA_VA + 0x234, ACCESS_READ, DATA_PA + 0x234);
    assert_maps(SV57_DATA_VA + 0xff8, ACCESS_WRITE, DATA_PA + 0xff8);
    assert_maps(SV57_DATA_VA + 0xffe, ACCESS_FETCH, DATA_PA + 0xffe);
    /* VPN[4] = 256: the upper half, sign-extended from bit 56 */
    sv57_map(0xff00000000002000ull, OTHER_PA, PTE_V | PTE_R | PTE_A, 0);
    assert_maps(0xff00000000002010ull, ACCESS_READ, OTHER_PA + 0x10);
    assert_page_faults_all(SV57_DATA_VA + 0x1000);
    uint64_t pa;
    ck_assert(riscv_debug_translate(h->cpu, SV57_DATA_VA + 8, &pa));
    ck_assert_uint_eq(pa, DATA_PA + 8);
}
END_TEST

START_TEST(test_sv57_canonical_addresses)
{
    sv57_map(0x00ff800000000000ull, DATA_PA, PTE_V | PTE_RWX | PTE_A | PTE_D, 0);
    assert_maps(0x00ff800000000100ull, ACCESS_READ, DATA_PA + 0x100);
    /* Same table indices, bits 63:57 not copies of bit 56. */
    assert_page_faults_all(0x01ff800000000100ull);
    assert_page_faults_all(0xfeff800000000100ull);
    assert_page_faults_all(0x0100000000000000ull);
    assert_page_faults_all(0x8000000000000000ull);
}
END_TEST

START_TEST(test_sv57_superpages)
{
    sv57_map(0x40000000, MEGA_PA, PTE_V | PTE_RWX | PTE_A | PTE_D, 1);
    assert_maps(0x401ffff8, ACCESS_WRITE, MEGA_PA + 0x1ffff8);
    sv57_map(0xc0000000, 0x80000000, PTE_V | PTE_RWX | PTE_A | PTE_D, 2);
    assert_maps(0xc0012345, ACCESS_READ, 0x80012345);
    /* 512 GiB at level 3 and 256 TiB at level 4 */
    sv57_map(0x10000000000ull, 0, PTE_V | PTE_RWX | PTE_A | PTE_D, 3);
    assert_maps(0x10080001234ull, ACCESS_FETCH, 0x80001234);
    sv57_map(0x0001000000000000ull, 0, PTE_V | PTE_RWX | PTE_A | PTE_D, 4);
    assert_maps(0x0001000080000ff8ull, ACCESS_READ, 0x80000ff8);
    assert_maps(0x0001ffff00000000ull, ACCESS_READ, 0xffff00000000ull);
    /* misaligned: PPN[3:0] of a level-4 leaf not zero */
    sv57_map(0x0002000000000000ull, 0x80000000, PTE_V | PTE_RWX | PTE_A | PTE_D, 4);
    assert_page_faults_all(0x0002000000000000ull);
    sv57_map(0x0003000000000000ull, 1ull << 47, PTE_V | PTE_RWX | PTE_A | PTE_D, 4);
    assert_page_faults_all(0x0003000000000000ull);
}
END_TEST

START_TEST(test_sv57_accessed_and_dirty_at_every_level)
{
    for (int level = 0; level < 5; level++) {
        uint64_t va = (uint64_t)(level + 1) << 48;
        uint64_t pte = sv57_map(va, level == 0 ? DATA_PA : 0, PTE_V | PTE_R | PTE_W, level);
        assert_maps(va, ACCESS_READ, level == 0 ? DATA_PA : 0);
        ck_assert_uint_eq(test_read64(h, pte) & (PTE_A | PTE_D), PTE_A);
        assert_maps(va + 8, ACCESS_WRITE, (level == 0 ? DATA_PA : 0) + 8);
        ck_assert_uint_eq(test_read64(h, pte) & (PTE_A | PTE_D), PTE_A | PTE_D);
    }
}
END_TEST

START_TEST(test_sv57_sum_and_mxr)
{
    sv57_map(SV57_DATA_VA, DATA_PA, PTE_V | PTE_RWX | PTE_U | PTE_A | PTE_D, 0);
    assert_page_faults_all(SV57_DATA_VA);
    test_set_mstatus(h, MSTATUS_SUM, 0);
    assert_maps(SV57_DATA_VA, ACCESS_WRITE, DATA_PA);
    assert_faults(SV57_DATA_VA, ACCESS_FETCH, EXC_INSN_PAGE_FAULT);
    sv57_map(SV57_DATA_VA + 0x1000, DATA_PA, PTE_V | PTE_X | PTE_A, 0);
    assert_faults(SV57_DATA_VA + 0x1000, ACCESS_READ, EXC_LOAD_PAGE_FAULT);
    test_set_mstatus(h, MSTATUS_MXR, 0);
    riscv_flush_translation(h->cpu);
    assert_maps(SV57_DATA_VA + 0x1000, ACCESS_READ, DATA_PA);
}
END_TEST

START_TEST(test_sv57_pmp_covers_every_level)
{
    sv57_map(SV57_DATA_VA, DATA_PA, PTE_V | PTE_RWX | PTE_A | PTE_D, 0);
    for (int level = 4; level >= 0; level--) {
        uint64_t table = sv57_entry(SV57_DATA_VA, level) & PAGE_MASK;
        test_set_pmp(h, 0, PMPCFG_NAPOT, pmp_napot(table, PAGE_SIZE));
        assert_access_faults_all(SV57_DATA_VA);
    }
    test_set_pmp(h, 0, 0, 0);
    assert_maps(SV57_DATA_VA, ACCESS_READ, DATA_PA);
}
END_TEST

START_TEST(test_sv57_high_pte_bits_at_every_level)
{
    /* Svnapot and Svpbmt are off by default: bits 63:54 are all reserved. */
    sv57_map(SV57_DATA_VA, DATA_PA, PTE_V | PTE_RWX | PTE_A | PTE_D, 0);
    static const int bits[] = {54, 57, 60, 61, 62, 63};
    for (int level = 4; level >= 0; level--) {
        uint64_t pte_addr = sv57_entry(SV57_DATA_VA, level);
        uint64_t pte = test_read64(h, pte_addr);
        for (int i = 0; i < 6; i++) {
            test_write64(h, pte_addr, pte | (1ull << bits[i]));
            riscv_flush_translation(h->cpu);
            assert_page_faults_all(SV57_DATA_VA);
        }
        test_write64(h, pte_addr, pte);
    }
    riscv_flush_translation(h->cpu);
    assert_maps(SV57_DATA_VA, ACCESS_READ, DATA_PA);
}
END_TEST

/* `info mem` over five levels: QEMU 7.2 printed exactly this for the same
 * entries (leaves at every level, the upper half sign-extended, NAPOT PTEs
 * as their own PPN page by page, PBMT's bits 61 and 62 shifted into and out
 * of the address as QEMU does). */
START_TEST(test_sv57_dump_matches_qemu)
{
    const uint64_t rw = PTE_V | PTE_R | PTE_W | PTE_A | PTE_D;
    sv57_map(0x80000000, 0x80000000, rw | PTE_X, 2);
    sv57_map(0x0012345678001000ull, 0x80100000, rw, 0);
    sv57_map(0x0012345678002000ull, 0x80101000, rw, 0);
    sv57_map(0xff00000000002000ull, 0x80102000, PTE_V | PTE_R | PTE_A | PTE_U, 0);
    sv57_map(0x0001000000000000ull, 0, rw, 4);
    sv57_map(0x0002000000000000ull, 1ull << 48, PTE_V | PTE_R | PTE_X | PTE_A | PTE_G, 4);
    sv57_map(0x0000800000000000ull, 0, rw, 3);
    sv57_map(0x40200000, 0x80400000, rw, 1);
    sv57_map(0xfff0000000000000ull, 0x80000000, rw, 2);
    sv57_map(0x10000, 0x80418000, rw | PTE_N, 0);
    sv57_map(0x11000, 0x80418000, rw | PTE_N, 0);
    sv57_map(0x12000, 0x80419000, rw | PTE_PBMT_NC, 0);
    sv57_map(0x13000, 0x8041a000, rw | PTE_PBMT_IO, 0);
    StrBuf out = STRBUF_INIT;
    riscv_dump_page_tables(h->cpu, &out);
    ck_assert_str_eq(strbuf_text(&out),
                     "vaddr            paddr            size             attr\n"
                     "---------------- ---------------- ---------------- -------\n"
                     "0000000000010000 0000000080418000 0000000000001000 rw---ad\n"
                     "0000000000011000 0000000080418000 0000000000001000 rw---ad\n"
                     "0000000000012000 8000000080419000 0000000000001000 rw---ad\n"
                     "0000000000013000 000000008041a000 0000000000001000 rw---ad\n"
                     "0000000040200000 0000000080400000 0000000000200000 rw---ad\n"
                     "0000000080000000 0000000080000000 0000000040000000 rwx--ad\n"
                     "0000800000000000 0000000000000000 0000008000000000 rw---ad\n"
                     "0001000000000000 0000000000000000 0001000000000000 rw---ad\n"
                     "0002000000000000 0001000000000000 0001000000000000 r-x-ga-\n"
                     "0012345678001000 0000000080100000 0000000000002000 rw---ad\n"
                     "ff00000000002000 0000000080102000 0000000000001000 r--u-a-\n"
                     "fff0000000000000 0000000080000000 0000000040000000 rw---ad\n");
    strbuf_free(&out);
}
END_TEST

/* satp is WARL: MODE 10 stays only on a hart with Sv57 (priv 4.1.11). */
START_TEST(test_satp_sv57_needs_the_extension)
{
    RiscvCpu *cpu = h->cpu;
    test_set_priv(h, PRV_M);
    uint64_t sv39 = ((uint64_t)SATP_MODE_SV39 << SATP_MODE_SHIFT) | 0x80000;
    uint64_t sv57 = ((uint64_t)SATP_MODE_SV57 << SATP_MODE_SHIFT) | 0x80123;
    ck_assert(riscv_has_ext(cpu, RISCV_EXT_SV57)); /* QEMU 7.2's default */
    ck_assert(riscv_satp_mode_supported(cpu, SATP_MODE_SV57));
    ck_assert(riscv_csr_write(cpu, CSR_SATP, sv39));
    ck_assert(riscv_csr_write(cpu, CSR_SATP, sv57));
    ck_assert_uint_eq(cpu->satp, sv57);
    cpu->ext &= ~RISCV_EXT_BIT(SV57);
    ck_assert(!riscv_satp_mode_supported(cpu, SATP_MODE_SV57));
    ck_assert(riscv_csr_write(cpu, CSR_SATP, sv39));
    ck_assert(riscv_csr_write(cpu, CSR_SATP, sv57));
    ck_assert_uint_eq(cpu->satp, sv39);
    static const unsigned others[] = {1, 5, 7, 11, 15};
    for (int i = 0; i < 5; i++)
        ck_assert(!riscv_satp_mode_supported(cpu, others[i]));
}
END_TEST

/* Svnapot (Sv39 here; the NAPOT check is the same at every depth) */

#define NAPOT_VA 0x40000000ull
#define NAPOT_PA (TEST_RAM_BASE + 0x600000) /* 64 KiB aligned */
#define NAPOT_OTHER_PA (TEST_RAM_BASE + 0x610000)

static void setup_napot(void)
{
    setup_sv39();
    h->cpu->ext |= RISCV_EXT_BIT(SVNAPOT);
}

/* The 16 PTEs of a 64 KiB range, as an OS writes them: alike, N set and
 * ppn[3:0] = 1000. */
static void map_napot_range(uint64_t va, uint64_t pa, uint64_t flags)
{
    for (uint64_t page = 0; page < 16; page++)
        pt_map(h, va + page * PAGE_SIZE, pa | 0x8000, flags | PTE_N, 0);
    riscv_flush_translation(h->cpu);
}

START_TEST(test_napot_maps_64k)
{
    map_napot_range(NAPOT_VA, NAPOT_PA, PTE_V | PTE_RWX | PTE_A | PTE_D);
    for (uint64_t page = 0; page < 16; page++) {
        assert_maps(NAPOT_VA + page * PAGE_SIZE + 0x18, ACCESS_READ,
                    NAPOT_PA + page * PAGE_SIZE + 0x18);
        assert_maps(NAPOT_VA + page * PAGE_SIZE, ACCESS_WRITE, NAPOT_PA + page * PAGE_SIZE);
        assert_maps(NAPOT_VA + page * PAGE_SIZE + 0xffe, ACCESS_FETCH,
                    NAPOT_PA + page * PAGE_SIZE + 0xffe);
    }
    /* Only the accessed page's own PTE is read: one PTE alone serves its
     * page of the range. */
    pt_map(h, NAPOT_VA + 0x15000, NAPOT_OTHER_PA | 0x8000, PTE_V | PTE_R | PTE_A | PTE_N, 0);
    riscv_flush_translation(h->cpu);
    assert_maps(NAPOT_VA + 0x15008, ACCESS_READ, NAPOT_OTHER_PA + 0x5008);
    assert_page_faults_all(NAPOT_VA + 0x16000);
    uint64_t pa;
    ck_assert(riscv_debug_translate(h->cpu, NAPOT_VA + 0x7010, &pa));
    ck_assert_uint_eq(pa, NAPOT_PA + 0x7010);
}
END_TEST

START_TEST(test_napot_reserved_encodings)
{
    /* ppn[3:0] other than 1000: x0xx, xxx1, xx1x, x1xx */
    static const uint64_t low[] = {0x0, 0x1, 0x2, 0x4, 0x9, 0xa, 0xc, 0xf, 0x7};
    for (int i = 0; i < 9; i++) {
        pt_map(h, NAPOT_VA, NAPOT_PA | (low[i] << PAGE_SHIFT),
               PTE_V | PTE_RWX | PTE_A | PTE_D | PTE_N, 0);
        riscv_flush_translation(h->cpu);
        assert_page_faults_all(NAPOT_VA);
    }
    /* N on a superpage leaf: ppn[i] for i >= 1 has no NAPOT encoding. */
    pt_map(h, 0x40200000, MEGA_PA, PTE_V | PTE_RWX | PTE_A | PTE_D | PTE_N, 1);
    pt_map(h, 0x40400000, MEGA_PA | 0x8000, PTE_V | PTE_RWX | PTE_A | PTE_D | PTE_N, 1);
    pt_map(h, 0xc0000000, 0x80000000, PTE_V | PTE_RWX | PTE_A | PTE_D | PTE_N, 2);
    riscv_flush_translation(h->cpu);
    assert_page_faults_all(0x40200000);
    assert_page_faults_all(0x40400000);
    assert_page_faults_all(0xc0000000);
}
END_TEST

START_TEST(test_napot_on_a_pointer_is_reserved)
{
    map_napot_range(NAPOT_VA, NAPOT_PA, PTE_V | PTE_RWX | PTE_A | PTE_D);
    assert_maps(NAPOT_VA, ACCESS_READ, NAPOT_PA);
    for (int level = 2; level >= 1; level--) {
        uint64_t entry = pt_entry_addr(h, NAPOT_VA, level);
        uint64_t pointer = test_read64(h, entry);
        test_write64(h, entry, pointer | PTE_N);
        riscv_flush_translation(h->cpu);
        assert_page_faults_all(NAPOT_VA);
        test_write64(h, entry, pointer);
    }
}
END_TEST

START_TEST(test_napot_without_the_extension)
{
    h->cpu->ext &= ~RISCV_EXT_BIT(SVNAPOT);
    map_napot_range(NAPOT_VA, NAPOT_PA, PTE_V | PTE_RWX | PTE_A | PTE_D);
    assert_page_faults_all(NAPOT_VA);
    assert_page_faults_all(NAPOT_VA + 0x3000);
}
END_TEST

START_TEST(test_napot_reserved_bits_and_pbmt)
{
    map_napot_range(NAPOT_VA, NAPOT_PA, PTE_V | PTE_RWX | PTE_A | PTE_D);
    uint64_t entry = pt_entry_addr(h, NAPOT_VA, 0);
    uint64_t pte = test_read64(h, entry);
    /* Bits 60:54 stay reserved; PBMT needs Svpbmt (off here). */
    static const int bits[] = {54, 60, 61, 62};
    for (int i = 0; i < 4; i++) {
        test_write64(h, entry, pte | (1ull << bits[i]));
        riscv_flush_translation(h->cpu);
        assert_page_faults_all(NAPOT_VA);
    }
}
END_TEST

START_TEST(test_napot_a_and_d_in_own_pte)
{
    map_napot_range(NAPOT_VA, NAPOT_PA, PTE_V | PTE_R | PTE_W);
    assert_maps(NAPOT_VA + 0x3000, ACCESS_READ, NAPOT_PA + 0x3000);
    assert_maps(NAPOT_VA + 0x5000, ACCESS_WRITE, NAPOT_PA + 0x5000);
    for (uint64_t page = 0; page < 16; page++) {
        uint64_t pte = test_read64(h, pt_entry_addr(h, NAPOT_VA + page * PAGE_SIZE, 0));
        uint64_t expected = page == 3 ? PTE_A : page == 5 ? PTE_A | PTE_D : 0;
        ck_assert_msg((pte & (PTE_A | PTE_D)) == expected, "page %llu: A/D 0x%llx",
                      (unsigned long long)page, (unsigned long long)(pte & (PTE_A | PTE_D)));
    }
}
END_TEST

/* The TLB holds a NAPOT range as 4 KiB entries, each from its own PTE;
 * sfence.vma with any address in a page drops that page's entry (Svnapot:
 * an OS changing a range fences each of its 4 KiB pages, or everything). */
START_TEST(test_napot_tlb_entries_and_sfence)
{
    map_napot_range(NAPOT_VA, NAPOT_PA, PTE_V | PTE_RWX | PTE_A | PTE_D);
    MemFault fault;
    TlbEntry *e = riscv_tlb_fill(h->cpu, NAPOT_VA + 0x9123, ACCESS_READ, &fault);
    ck_assert_ptr_nonnull(e);
    ck_assert_uint_eq(e->phys, NAPOT_PA + 0x9000);
    ck_assert_uint_eq(e->tag & PAGE_MASK, NAPOT_VA + 0x9000);
    /* Another range behind the same page: the cached entry stays until a
     * fence names an address in the page. */
    pt_map(h, NAPOT_VA + 0x9000, NAPOT_OTHER_PA | 0x8000, PTE_V | PTE_RWX | PTE_A | PTE_D | PTE_N,
           0);
    e = riscv_tlb_fill(h->cpu, NAPOT_VA + 0x9000, ACCESS_READ, &fault);
    ck_assert_uint_eq(e->phys, NAPOT_PA + 0x9000);
    uint64_t inside = NAPOT_VA + 0x9ff8;
    riscv_sfence_vma(h->cpu, &inside, NULL);
    e = riscv_tlb_fill(h->cpu, NAPOT_VA + 0x9000, ACCESS_READ, &fault);
    ck_assert_ptr_nonnull(e);
    ck_assert_uint_eq(e->phys, NAPOT_OTHER_PA + 0x9000);
}
END_TEST

/* TLB entries are per 4 KiB page: an sfence.vma anywhere in a superpage
 * must still drop the entries of its other pages (priv spec 4.2.1), while
 * one outside every cached superpage stays a one-page flush. */
START_TEST(test_sfence_inside_superpage_drops_its_pages)
{
    pt_map(h, 0x40200000, MEGA_PA, PTE_V | PTE_RWX | PTE_A | PTE_D, 1);
    pt_map(h, 0x1000, DATA_PA, PTE_V | PTE_RWX | PTE_A | PTE_D, 0);
    MemFault fault;
    TlbEntry *e = riscv_tlb_fill(h->cpu, 0x40323000, ACCESS_READ, &fault);
    ck_assert_uint_eq(e->phys, MEGA_PA + 0x123000);
    ck_assert_ptr_nonnull(riscv_tlb_fill(h->cpu, 0x1000, ACCESS_READ, &fault));
    uint64_t flushes = h->cpu->stats.tlb_flushes;
    uint64_t outside = 0x1000;
    riscv_sfence_vma(h->cpu, &outside, NULL);
    ck_assert_uint_eq(h->cpu->stats.tlb_flushes, flushes);
    pt_map(h, 0x40200000, 0x80000000, PTE_V | PTE_RWX | PTE_A | PTE_D, 1);
    uint64_t inside = 0x403ff008;
    riscv_sfence_vma(h->cpu, &inside, NULL);
    e = riscv_tlb_fill(h->cpu, 0x40323000, ACCESS_READ, &fault);
    ck_assert_uint_eq(e->phys, 0x80123000);
    /* The same for a NAPOT range: a fence in page 2 drops page 9's entry. */
    map_napot_range(NAPOT_VA, NAPOT_PA, PTE_V | PTE_RWX | PTE_A | PTE_D);
    e = riscv_tlb_fill(h->cpu, NAPOT_VA + 0x9000, ACCESS_READ, &fault);
    ck_assert_uint_eq(e->phys, NAPOT_PA + 0x9000);
    for (uint64_t page = 0; page < 16; page++)
        pt_map(h, NAPOT_VA + page * PAGE_SIZE, NAPOT_OTHER_PA | 0x8000,
               PTE_V | PTE_RWX | PTE_A | PTE_D | PTE_N, 0);
    inside = NAPOT_VA + 0x2010;
    riscv_sfence_vma(h->cpu, &inside, NULL);
    e = riscv_tlb_fill(h->cpu, NAPOT_VA + 0x9000, ACCESS_READ, &fault);
    ck_assert_uint_eq(e->phys, NAPOT_OTHER_PA + 0x9000);
}
END_TEST

/* Svpbmt */

static void setup_pbmt(void)
{
    setup_sv39();
    h->cpu->ext |= RISCV_EXT_BIT(SVPBMT);
    ck_assert(riscv_csr_write(h->cpu, CSR_MENVCFG, MENVCFG_PBMTE));
}

START_TEST(test_pbmt_menvcfg_warl)
{
    ck_assert_uint_eq(h->cpu->menvcfg & MENVCFG_PBMTE, MENVCFG_PBMTE);
    ck_assert(riscv_csr_write(h->cpu, CSR_MENVCFG, 0));
    ck_assert_uint_eq(h->cpu->menvcfg, 0);
    h->cpu->ext &= ~RISCV_EXT_BIT(SVPBMT);
    ck_assert(riscv_csr_write(h->cpu, CSR_MENVCFG, ~0ull));
    ck_assert_uint_eq(h->cpu->menvcfg & MENVCFG_PBMTE, 0);
}
END_TEST

START_TEST(test_pbmt_types_on_leaves)
{
    pt_map(h, 0x1000, DATA_PA, PTE_V | PTE_RWX | PTE_A | PTE_D | PTE_PBMT_NC, 0);
    pt_map(h, 0x2000, DATA_PA, PTE_V | PTE_RWX | PTE_A | PTE_D | PTE_PBMT_IO, 0);
    pt_map(h, 0x40000000, MEGA_PA, PTE_V | PTE_RWX | PTE_A | PTE_D | PTE_PBMT_IO, 1);
    pt_map(h, 0xc0000000, 0x80000000, PTE_V | PTE_RWX | PTE_A | PTE_D | PTE_PBMT_NC, 2);
    pt_map(h, 0x3000, DATA_PA, PTE_V | PTE_RWX | PTE_A | PTE_D | PTE_PBMT_RESERVED, 0);
    riscv_flush_translation(h->cpu);
    assert_maps(0x1010, ACCESS_READ, DATA_PA + 0x10);
    assert_maps(0x1010, ACCESS_WRITE, DATA_PA + 0x10);
    assert_maps(0x2ffe, ACCESS_FETCH, DATA_PA + 0xffe);
    assert_maps(0x40123456, ACCESS_WRITE, MEGA_PA + 0x123456);
    assert_maps(0xc0001000, ACCESS_FETCH, 0x80001000);
    assert_page_faults_all(0x3000);
}
END_TEST

START_TEST(test_pbmt_keeps_its_bits_through_a_d)
{
    uint64_t pte = pt_map(h, 0x1000, DATA_PA, PTE_V | PTE_R | PTE_W | PTE_PBMT_IO, 0);
    uint64_t before = test_read64(h, pte);
    assert_maps(0x1000, ACCESS_WRITE, DATA_PA);
    ck_assert_uint_eq(test_read64(h, pte), before | PTE_A | PTE_D);
}
END_TEST

START_TEST(test_pbmt_on_a_pointer_is_reserved)
{
    pt_map(h, 0x1000, DATA_PA, PTE_V | PTE_RWX | PTE_A | PTE_D, 0);
    for (int level = 2; level >= 1; level--) {
        uint64_t entry = pt_entry_addr(h, 0x1000, level);
        uint64_t pointer = test_read64(h, entry);
        static const uint64_t types[] = {PTE_PBMT_NC, PTE_PBMT_IO, PTE_PBMT_RESERVED};
        for (int i = 0; i < 3; i++) {
            test_write64(h, entry, pointer | types[i]);
            riscv_flush_translation(h->cpu);
            assert_page_faults_all(0x1000);
        }
        test_write64(h, entry, pointer);
    }
    riscv_flush_translation(h->cpu);
    assert_maps(0x1000, ACCESS_READ, DATA_PA);
}
END_TEST

START_TEST(test_pbmt_needs_pbmte_and_the_extension)
{
    pt_map(h, 0x1000, DATA_PA, PTE_V | PTE_RWX | PTE_A | PTE_D | PTE_PBMT_NC, 0);
    assert_maps(0x1000, ACCESS_READ, DATA_PA);
    /* Clearing PBMTE drops what the TLB holds: the PTE is invalid now. */
    MemFault fault;
    ck_assert_ptr_nonnull(riscv_tlb_fill(h->cpu, 0x1000, ACCESS_READ, &fault));
    ck_assert(riscv_csr_write(h->cpu, CSR_MENVCFG, 0));
    ck_assert_ptr_null(riscv_tlb_fill(h->cpu, 0x1000, ACCESS_READ, &fault));
    ck_assert_uint_eq(fault.cause, EXC_LOAD_PAGE_FAULT);
    assert_page_faults_all(0x1000);
    /* PBMTE without the extension (as a stream could hold) means nothing. */
    h->cpu->ext &= ~RISCV_EXT_BIT(SVPBMT);
    h->cpu->menvcfg = MENVCFG_PBMTE;
    riscv_flush_translation(h->cpu);
    assert_page_faults_all(0x1000);
}
END_TEST

START_TEST(test_pbmt_leaves_n_and_reserved_bits_reserved)
{
    uint64_t pte = pt_map(h, 0x1000, DATA_PA, PTE_V | PTE_RWX | PTE_A | PTE_D | PTE_PBMT_NC, 0);
    uint64_t value = test_read64(h, pte);
    static const int bits[] = {54, 60, 63};
    for (int i = 0; i < 3; i++) {
        test_write64(h, pte, value | (1ull << bits[i]));
        riscv_flush_translation(h->cpu);
        assert_page_faults_all(0x1000);
    }
    /* With Svnapot too, a NAPOT PTE may carry a memory type. */
    h->cpu->ext |= RISCV_EXT_BIT(SVNAPOT);
    map_napot_range(NAPOT_VA, NAPOT_PA, PTE_V | PTE_RWX | PTE_A | PTE_D | PTE_PBMT_IO);
    assert_maps(NAPOT_VA + 0xa008, ACCESS_WRITE, NAPOT_PA + 0xa008);
}
END_TEST

static Suite *mmu_suite(void)
{
    Suite *s = suite_create("mmu");
    TCase *basics = tcase_create("basics");
    tcase_add_checked_fixture(basics, setup_sv39, teardown);
    tcase_add_test(basics, test_fault_causes);
    tcase_add_test(basics, test_bare_s_mode_is_identity);
    tcase_add_test(basics, test_m_mode_ignores_satp);
    suite_add_tcase(s, basics);

    TCase *sv39 = tcase_create("sv39");
    tcase_add_checked_fixture(sv39, setup_sv39, teardown);
    tcase_add_test(sv39, test_sv39_4k_page);
    tcase_add_test(sv39, test_sv39_invalid_pte);
    tcase_add_test(sv39, test_sv39_accessed_and_dirty);
    tcase_add_test(sv39, test_sv39_write_sets_a_and_d_together);
    tcase_add_test(sv39, test_sv39_failed_access_leaves_pte_alone);
    tcase_add_test(sv39, test_sv39_permissions);
    tcase_add_test(sv39, test_sv39_write_without_read_is_reserved);
    tcase_add_test(sv39, test_sv39_mxr);
    tcase_add_test(sv39, test_sv39_user_page_from_supervisor);
    tcase_add_test(sv39, test_sv39_user_mode);
    tcase_add_test(sv39, test_sv39_megapage);
    tcase_add_test(sv39, test_sv39_gigapage);
    tcase_add_test(sv39, test_sv39_misaligned_superpages);
    tcase_add_test(sv39, test_sv39_misaligned_superpage_keeps_a_clear);
    tcase_add_test(sv39, test_sv39_canonical_addresses);
    tcase_add_test(sv39, test_sv39_pointer_with_a_d_u_is_invalid);
    tcase_add_test(sv39, test_sv39_pointer_at_last_level_is_invalid);
    tcase_add_test(sv39, test_sv39_reserved_pte_bits);
    tcase_add_test(sv39, test_sv39_table_outside_memory);
    tcase_add_test(sv39, test_sv39_leaf_outside_memory_translates);
    suite_add_tcase(s, sv39);

    TCase *sv48 = tcase_create("sv48");
    tcase_add_checked_fixture(sv48, setup_sv48, teardown);
    tcase_add_test(sv48, test_sv48_four_levels);
    tcase_add_test(sv48, test_sv48_canonical_addresses);
    tcase_add_test(sv48, test_sv48_superpages);
    suite_add_tcase(s, sv48);

    TCase *sv57 = tcase_create("sv57");
    tcase_add_checked_fixture(sv57, setup_sv57, teardown);
    tcase_add_test(sv57, test_sv57_five_levels);
    tcase_add_test(sv57, test_sv57_canonical_addresses);
    tcase_add_test(sv57, test_sv57_superpages);
    tcase_add_test(sv57, test_sv57_accessed_and_dirty_at_every_level);
    tcase_add_test(sv57, test_sv57_sum_and_mxr);
    tcase_add_test(sv57, test_sv57_pmp_covers_every_level);
    tcase_add_test(sv57, test_sv57_high_pte_bits_at_every_level);
    tcase_add_test(sv57, test_sv57_dump_matches_qemu);
    tcase_add_test(sv57, test_satp_sv57_needs_the_extension);
    suite_add_tcase(s, sv57);

    TCase *napot = tcase_create("svnapot");
    tcase_add_checked_fixture(napot, setup_napot, teardown);
    tcase_add_test(napot, test_napot_maps_64k);
    tcase_add_test(napot, test_napot_reserved_encodings);
    tcase_add_test(napot, test_napot_on_a_pointer_is_reserved);
    tcase_add_test(napot, test_napot_without_the_extension);
    tcase_add_test(napot, test_napot_reserved_bits_and_pbmt);
    tcase_add_test(napot, test_napot_a_and_d_in_own_pte);
    tcase_add_test(napot, test_napot_tlb_entries_and_sfence);
    tcase_add_test(napot, test_sfence_inside_superpage_drops_its_pages);
    suite_add_tcase(s, napot);

    TCase *pbmt = tcase_create("svpbmt");
    tcase_add_checked_fixture(pbmt, setup_pbmt, teardown);
    tcase_add_test(pbmt, test_pbmt_menvcfg_warl);
    tcase_add_test(pbmt, test_pbmt_types_on_leaves);
    tcase_add_test(pbmt, test_pbmt_keeps_its_bits_through_a_d);
    tcase_add_test(pbmt, test_pbmt_on_a_pointer_is_reserved);
    tcase_add_test(pbmt, test_pbmt_needs_pbmte_and_the_extension);
    tcase_add_test(pbmt, test_pbmt_leaves_n_and_reserved_bits_reserved);
    suite_add_tcase(s, pbmt);

    TCase *mprv = tcase_create("mprv");
    tcase_add_checked_fixture(mprv, setup_sv39, teardown);
    tcase_add_test(mprv, test_access_priv);
    tcase_add_test(mprv, test_mprv_translates_loads_and_stores_only);
    tcase_add_test(mprv, test_mprv_user_permissions);
    tcase_add_test(mprv, test_mprv_with_mpp_m_is_bare);
    suite_add_tcase(s, mprv);

    TCase *pmp = tcase_create("pmp");
    tcase_add_checked_fixture(pmp, setup_reset, teardown);
    tcase_add_test(pmp, test_pmp_no_entries_denies_s_and_u);
    tcase_add_test(pmp, test_pmp_napot_allows);
    tcase_add_test(pmp, test_pmp_permission_bits);
    tcase_add_test(pmp, test_pmp_unlocked_does_not_restrict_m);
    tcase_add_test(pmp, test_pmp_locked_restricts_m);
    tcase_add_test(pmp, test_pmp_locked_applies_to_mprv);
    tcase_add_test(pmp, test_pmp_tor);
    tcase_add_test(pmp, test_pmp_tor_empty_range_matches_nothing);
    tcase_add_test(pmp, test_pmp_off_entry_ignored);
    tcase_add_test(pmp, test_pmp_lowest_entry_wins);
    tcase_add_test(pmp, test_pmp_partial_page_not_uniform);
    tcase_add_test(pmp, test_pmp_allows_exact_ranges);
    suite_add_tcase(s, pmp);

    TCase *pmp_walk = tcase_create("pmp_walk");
    tcase_add_checked_fixture(pmp_walk, setup_sv39, teardown);
    tcase_add_test(pmp_walk, test_pmp_covers_page_table_walk);
    tcase_add_test(pmp_walk, test_pmp_covers_translated_address);
    tcase_add_test(pmp_walk, test_pmp_blocks_a_d_update);
    suite_add_tcase(s, pmp_walk);
    return s;
}

int main(void)
{
    return run_suite(mmu_suite());
}
