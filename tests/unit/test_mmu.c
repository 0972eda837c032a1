/* tests/unit/test_mmu.c: unit tests for cpu/riscv/mmu.c: Sv39/Sv48 walks,
 * permissions, A/D updates, superpages, MPRV and PMP, as riscv_translate sees them. */
#include <string.h>

#include "cpu/riscv/mmu.h"
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

static bool translate(uint64_t va, enum access_type type, uint64_t *pa)
{
    cause = ~0ull;
    uniform = false;
    return riscv_translate(h->cpu, va, type, pa, &uniform, &cause);
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
