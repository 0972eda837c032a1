/* tests/unit/test_tlb.c: unit tests for the software TLB (softmmu/tlb.c)
 * and its RISC-V fills (cpu/riscv/tlb_fill.c): fills and host pointers,
 * stale entries until sfence.vma, address spaces kept by ASID, slow
 * entries, page-crossing accesses. */
#include <string.h>

#include "cpu/riscv/mmu.h"
#include "cpu/riscv/tlb_fill.h"
#include "softmmu/tlb.h"
#include "tests/unit/harness.h"

#define PAGE_A 0x10000ull /* -> DATA_A */
#define PAGE_B 0x11000ull /* -> DATA_B, not physically after DATA_A */
#define PAGE_C 0x13000ull /* -> DATA_C, followed by the unmapped PAGE_C + 4K */
#define PAGE_RO 0x15000ull
#define PAGE_USER 0x16000ull
#define PAGE_NOMEM 0x17000ull /* maps to a physical address with no memory */

#define DATA_A (TEST_RAM_BASE + 0x100000)
#define DATA_B (TEST_RAM_BASE + 0x205000)
#define DATA_C (TEST_RAM_BASE + 0x300000)
#define DATA_RO (TEST_RAM_BASE + 0x301000)
#define DATA_USER (TEST_RAM_BASE + 0x302000)

#define ROM_BASE 0x1000ull
#define MMIO_BASE 0x10000000ull

static TestHart *h;
static RiscvCpu *cpu;
static MemFault fault;
static int device_reads, device_writes;

static uint64_t device_read(void *opaque, uint64_t offset, unsigned size)
{
    (void)opaque;
    (void)size;
    device_reads++;
    return 0x1000 + offset;
}

static void device_write(void *opaque, uint64_t offset, uint64_t value, unsigned size)
{
    (void)opaque;
    (void)offset;
    (void)value;
    (void)size;
    device_writes++;
}

static const MemoryOps device_ops = {device_read, device_write, 4, 4};

static void setup(void)
{
    h = test_hart_new();
    cpu = h->cpu;
    device_reads = device_writes = 0;
    ck_assert_ptr_nonnull(memory_add_rom(&h->as, "rom", ROM_BASE, 0x1000));
    ck_assert_ptr_nonnull(memory_add_mmio(&h->as, "dev", MMIO_BASE, 0x1000, &device_ops, NULL));
    pt_init(h, SATP_MODE_SV39);
    uint64_t rwx = PTE_V | PTE_RWX | PTE_A | PTE_D;
    pt_map(h, PAGE_A, DATA_A, rwx, 0);
    pt_map(h, PAGE_B, DATA_B, rwx, 0);
    pt_map(h, PAGE_C, DATA_C, rwx, 0);
    pt_map(h, PAGE_RO, DATA_RO, PTE_V | PTE_R | PTE_A, 0);
    pt_map(h, PAGE_USER, DATA_USER, rwx | PTE_U, 0);
    pt_map(h, PAGE_NOMEM, 0x40000000, rwx, 0);
    pt_map(h, MMIO_BASE, MMIO_BASE, rwx, 0);
    test_pmp_allow_all(h);
    test_set_priv(h, PRV_S);
    memset(&fault, 0, sizeof(fault));
}

static void teardown(void)
{
    test_hart_free(h);
}

static uint8_t *host_of(const TlbEntry *e, uint64_t vaddr)
{
    return (uint8_t *)(e->addend + (uintptr_t)vaddr);
}

static uint8_t *ram(uint64_t paddr)
{
    uint8_t *p = memory_host_ptr(&h->as, paddr, 1);
    ck_assert_ptr_nonnull(p);
    return p;
}

static void remap(uint64_t va, uint64_t pa)
{
    pt_map(h, va, pa, PTE_V | PTE_RWX | PTE_A | PTE_D, 0);
}

/* Fills */

START_TEST(test_fill_gives_host_pointer)
{
    TlbEntry *e = riscv_tlb_fill(cpu, PAGE_A + 0x123, ACCESS_READ, &fault);
    ck_assert_ptr_nonnull(e);
    ck_assert_uint_eq(e->phys, DATA_A);
    ck_assert_uint_eq(e->tag, PAGE_A);
    ck_assert_ptr_eq(host_of(e, PAGE_A + 0x123), ram(DATA_A + 0x123));
    ck_assert_ptr_eq(e, tlb_entry(cpu->dtlb->read, PAGE_A));
    /* The fast-path test: same page, naturally aligned. */
    ck_assert(tlb_hit(e, PAGE_A + 0x128, 8));
    ck_assert(tlb_hit(e, PAGE_A + 0xfff, 1));
    ck_assert(!tlb_hit(e, PAGE_A + 0x124, 8));
    ck_assert(!tlb_hit(e, PAGE_A + 0x121, 2));
    ck_assert(!tlb_hit(e, PAGE_B, 1));
}
END_TEST

START_TEST(test_fill_write_and_fetch)
{
    TlbEntry *w = riscv_tlb_fill(cpu, PAGE_B + 8, ACCESS_WRITE, &fault);
    ck_assert_ptr_nonnull(w);
    ck_assert_uint_eq(w->tag, PAGE_B);
    uint64_t value = 0x1122334455667788ull;
    memcpy(host_of(w, PAGE_B + 8), &value, 8);
    uint64_t seen;
    ck_assert(memory_read(&h->as, DATA_B + 8, 8, &seen));
    ck_assert_uint_eq(seen, value);

    uint64_t paddr;
    const uint8_t *code = riscv_tlb_fetch_host(cpu, PAGE_B + 0x10, &paddr, &fault);
    ck_assert_ptr_eq(code, ram(DATA_B + 0x10));
    ck_assert_uint_eq(paddr, DATA_B + 0x10);
}
END_TEST

START_TEST(test_fill_faults)
{
    ck_assert_ptr_null(riscv_tlb_fill(cpu, 0x20123, ACCESS_READ, &fault));
    ck_assert_uint_eq(fault.cause, EXC_LOAD_PAGE_FAULT);
    ck_assert_uint_eq(fault.tval, 0x20123);
    ck_assert_ptr_null(riscv_tlb_fill(cpu, PAGE_RO + 4, ACCESS_WRITE, &fault));
    ck_assert_uint_eq(fault.cause, EXC_STORE_PAGE_FAULT);
    ck_assert_uint_eq(fault.tval, PAGE_RO + 4);
    ck_assert_ptr_null(riscv_tlb_fill(cpu, 0x20002, ACCESS_FETCH, &fault));
    ck_assert_uint_eq(fault.cause, EXC_INSN_PAGE_FAULT);
    ck_assert_uint_eq(fault.tval, 0x20002);
    /* A read entry does not make the page writable or executable. */
    ck_assert_ptr_nonnull(riscv_tlb_fill(cpu, PAGE_RO, ACCESS_READ, &fault));
    ck_assert_ptr_null(riscv_tlb_fill(cpu, PAGE_RO, ACCESS_WRITE, &fault));
}
END_TEST

/* Staleness and flushes */

START_TEST(test_second_fill_hits_without_walking)
{
    TlbEntry *first = riscv_tlb_fill(cpu, PAGE_A, ACCESS_READ, &fault);
    ck_assert_ptr_nonnull(first);
    /* Retarget the PTE without sfence.vma: the TLB keeps the old page. */
    remap(PAGE_A, DATA_B);
    TlbEntry *second = riscv_tlb_fill(cpu, PAGE_A + 0x10, ACCESS_READ, &fault);
    ck_assert_ptr_eq(second, first);
    ck_assert_uint_eq(second->phys, DATA_A);
    /* Even an invalid PTE is not noticed until the flush. */
    pt_map(h, PAGE_A, DATA_B, 0, 0);
    ck_assert_ptr_nonnull(riscv_tlb_fill(cpu, PAGE_A, ACCESS_READ, &fault));
}
END_TEST

START_TEST(test_sfence_vma_one_page)
{
    ck_assert_ptr_nonnull(riscv_tlb_fill(cpu, PAGE_A, ACCESS_READ, &fault));
    ck_assert_ptr_nonnull(riscv_tlb_fill(cpu, PAGE_A, ACCESS_WRITE, &fault));
    ck_assert_ptr_nonnull(riscv_tlb_fill(cpu, PAGE_B, ACCESS_READ, &fault));
    remap(PAGE_A, DATA_C);
    remap(PAGE_B, DATA_C);
    uint64_t va = PAGE_A + 0x44; /* any address in the page */
    riscv_sfence_vma(cpu, &va, NULL);
    ck_assert_uint_eq(riscv_tlb_fill(cpu, PAGE_A, ACCESS_READ, &fault)->phys, DATA_C);
    ck_assert_uint_eq(riscv_tlb_fill(cpu, PAGE_A, ACCESS_WRITE, &fault)->phys, DATA_C);
    /* Other pages keep their (now stale) entries. */
    ck_assert_uint_eq(riscv_tlb_fill(cpu, PAGE_B, ACCESS_READ, &fault)->phys, DATA_B);
}
END_TEST

START_TEST(test_sfence_vma_one_page_all_modes)
{
    /* Entries of the S+SUM set go too, though SUM is clear right now. */
    test_set_mstatus(h, MSTATUS_SUM, 0);
    ck_assert_ptr_nonnull(riscv_tlb_fill(cpu, PAGE_A, ACCESS_READ, &fault));
    test_set_mstatus(h, 0, MSTATUS_SUM);
    remap(PAGE_A, DATA_C);
    uint64_t va = PAGE_A;
    riscv_sfence_vma(cpu, &va, NULL);
    test_set_mstatus(h, MSTATUS_SUM, 0);
    ck_assert_uint_eq(riscv_tlb_fill(cpu, PAGE_A, ACCESS_READ, &fault)->phys, DATA_C);
}
END_TEST

START_TEST(test_sfence_vma_all)
{
    ck_assert_ptr_nonnull(riscv_tlb_fill(cpu, PAGE_A, ACCESS_READ, &fault));
    ck_assert_ptr_nonnull(riscv_tlb_fill(cpu, PAGE_B, ACCESS_FETCH, &fault));
    remap(PAGE_A, DATA_C);
    remap(PAGE_B, DATA_C);
    riscv_sfence_vma(cpu, NULL, NULL);
    ck_assert_uint_eq(riscv_tlb_fill(cpu, PAGE_A, ACCESS_READ, &fault)->phys, DATA_C);
    ck_assert_uint_eq(riscv_tlb_fill(cpu, PAGE_B, ACCESS_FETCH, &fault)->phys, DATA_C);
}
END_TEST

START_TEST(test_flush_translation)
{
    ck_assert_ptr_nonnull(riscv_tlb_fill(cpu, PAGE_A, ACCESS_WRITE, &fault));
    remap(PAGE_A, DATA_C);
    riscv_flush_translation(cpu);
    ck_assert_uint_eq(riscv_tlb_fill(cpu, PAGE_A, ACCESS_WRITE, &fault)->phys, DATA_C);
}
END_TEST

START_TEST(test_unmapping_faults_after_sfence)
{
    ck_assert_ptr_nonnull(riscv_tlb_fill(cpu, PAGE_A, ACCESS_READ, &fault));
    pt_map(h, PAGE_A, DATA_A, 0, 0);
    uint64_t va = PAGE_A;
    riscv_sfence_vma(cpu, &va, NULL);
    ck_assert_ptr_null(riscv_tlb_fill(cpu, PAGE_A, ACCESS_READ, &fault));
    ck_assert_uint_eq(fault.cause, EXC_LOAD_PAGE_FAULT);
}
END_TEST

/* Address spaces (ASIDs): the translations of each satp are kept across
 * switches, and fences with an ASID drop only that address space's. */

#define SPACE_VA 0x40000ull             /* A: DATA_A, B: DATA_B */
#define GLOBAL_VA 0xffffffffc0041000ull /* global (G), kernel half, mapped in A only */

static uint64_t space_a, space_b;

static uint64_t walks(void)
{
    return cpu->stats.tlb_fills[ACCESS_READ] + cpu->stats.tlb_fills[ACCESS_FETCH];
}

static void two_spaces(void)
{
    uint64_t rwx = PTE_V | PTE_RWX | PTE_A | PTE_D;
    pt_init(h, SATP_MODE_SV39);
    space_a = cpu->satp | (1ull << SATP_ASID_SHIFT);
    riscv_set_satp(cpu, space_a);
    pt_map(h, SPACE_VA, DATA_A, rwx, 0);
    pt_map(h, GLOBAL_VA, DATA_C, rwx | PTE_G, 0);
    pt_init(h, SATP_MODE_SV39);
    space_b = cpu->satp | (2ull << SATP_ASID_SHIFT);
    riscv_set_satp(cpu, space_b);
    pt_map(h, SPACE_VA, DATA_B, rwx, 0);
}

/* The physical page vaddr reads from in the address space of satp. */
static uint64_t phys_in(uint64_t satp, uint64_t vaddr)
{
    riscv_set_satp(cpu, satp);
    TlbEntry *e = riscv_tlb_fill(cpu, vaddr, ACCESS_READ, &fault);
    return e ? e->phys : ~0ull;
}

/* vaddr still reads from expected in the address space of satp, from the
 * translation kept there: no page walk. */
static void assert_kept(uint64_t satp, uint64_t vaddr, uint64_t expected)
{
    uint64_t before = walks();
    ck_assert_uint_eq(phys_in(satp, vaddr), expected);
    ck_assert_uint_eq(walks(), before);
}

START_TEST(test_switch_keeps_each_space)
{
    two_spaces();
    ck_assert_uint_eq(phys_in(space_a, SPACE_VA), DATA_A);
    ck_assert_uint_eq(phys_in(space_b, SPACE_VA), DATA_B);
    uint64_t reuses = cpu->stats.context_reuses;
    assert_kept(space_a, SPACE_VA, DATA_A);
    assert_kept(space_b, SPACE_VA, DATA_B);
    ck_assert_uint_eq(cpu->stats.context_reuses, reuses + 2);
}
END_TEST

START_TEST(test_asid_fence_drops_only_its_space)
{
    two_spaces();
    ck_assert_uint_eq(phys_in(space_a, SPACE_VA), DATA_A);
    ck_assert_uint_eq(phys_in(space_b, SPACE_VA), DATA_B);
    riscv_set_satp(cpu, space_a);
    remap(SPACE_VA, DATA_RO);
    /* A fence of B's ASID leaves A's translation, stale until its own. */
    uint64_t asid = 2;
    riscv_sfence_vma(cpu, NULL, &asid);
    ck_assert_uint_eq(phys_in(space_a, SPACE_VA), DATA_A);
    ck_assert_uint_eq(phys_in(space_b, SPACE_VA), DATA_B);
    asid = 1;
    riscv_sfence_vma(cpu, NULL, &asid);
    ck_assert_uint_eq(phys_in(space_a, SPACE_VA), DATA_RO);
    assert_kept(space_b, SPACE_VA, DATA_B);
}
END_TEST

START_TEST(test_page_fence_with_asid)
{
    two_spaces();
    ck_assert_uint_eq(phys_in(space_a, SPACE_VA), DATA_A);
    ck_assert_uint_eq(phys_in(space_b, SPACE_VA), DATA_B);
    riscv_set_satp(cpu, space_b);
    remap(SPACE_VA, DATA_RO);
    uint64_t va = SPACE_VA, asid = 2;
    riscv_sfence_vma(cpu, &va, &asid);
    ck_assert_uint_eq(phys_in(space_b, SPACE_VA), DATA_RO);
    assert_kept(space_a, SPACE_VA, DATA_A);
}
END_TEST

START_TEST(test_global_translation_shared)
{
    two_spaces();
    ck_assert_uint_eq(phys_in(space_a, GLOBAL_VA), DATA_C);
    /* B's tables lack it (software must keep global mappings alike in
     * all, priv spec 4.3.1): it comes from A's global entry, unwalked. */
    assert_kept(space_b, GLOBAL_VA, DATA_C);
    ck_assert_uint_eq(cpu->stats.global_fills, 1);
    /* A fence with an ASID keeps global translations... */
    uint64_t asid = 2;
    riscv_sfence_vma(cpu, NULL, &asid);
    ck_assert_uint_eq(phys_in(space_b, GLOBAL_VA), DATA_C);
    /* ...one without drops them from every address space. */
    uint64_t va = GLOBAL_VA;
    riscv_sfence_vma(cpu, &va, NULL);
    ck_assert_uint_eq(phys_in(space_b, GLOBAL_VA), ~0ull);
    ck_assert_uint_eq(fault.cause, EXC_LOAD_PAGE_FAULT);
}
END_TEST

START_TEST(test_recycled_space_walks_again)
{
    two_spaces();
    ck_assert_uint_eq(phys_in(space_a, SPACE_VA), DATA_A);
    riscv_set_satp(cpu, space_a);
    remap(SPACE_VA, DATA_RO);
    /* As many other address spaces as are kept push A's out. */
    for (uint64_t asid = 3; asid < 3 + TLB_CONTEXTS; asid++)
        riscv_set_satp(cpu, (space_b & ~(SATP_ASID_MASK << SATP_ASID_SHIFT)) |
                                (asid << SATP_ASID_SHIFT));
    uint64_t before = walks();
    ck_assert_uint_eq(phys_in(space_a, SPACE_VA), DATA_RO);
    ck_assert_uint_eq(walks(), before + 1);
}
END_TEST

/* Modes */

START_TEST(test_sum_entries_not_used_without_sum)
{
    ck_assert_ptr_null(riscv_tlb_fill(cpu, PAGE_USER, ACCESS_READ, &fault));
    test_set_mstatus(h, MSTATUS_SUM, 0);
    ck_assert_ptr_nonnull(riscv_tlb_fill(cpu, PAGE_USER, ACCESS_READ, &fault));
    ck_assert_ptr_nonnull(riscv_tlb_fill(cpu, PAGE_USER, ACCESS_WRITE, &fault));
    test_set_mstatus(h, 0, MSTATUS_SUM);
    ck_assert_ptr_null(riscv_tlb_fill(cpu, PAGE_USER, ACCESS_READ, &fault));
    ck_assert_uint_eq(fault.cause, EXC_LOAD_PAGE_FAULT);
    ck_assert_ptr_null(riscv_tlb_fill(cpu, PAGE_USER, ACCESS_WRITE, &fault));
}
END_TEST

START_TEST(test_privilege_change_switches_sets)
{
    ck_assert_ptr_nonnull(riscv_tlb_fill(cpu, PAGE_A, ACCESS_READ, &fault));
    test_set_priv(h, PRV_U);
    ck_assert_ptr_null(riscv_tlb_fill(cpu, PAGE_A, ACCESS_READ, &fault)); /* not a U page */
    ck_assert_ptr_nonnull(riscv_tlb_fill(cpu, PAGE_USER, ACCESS_READ, &fault));
    test_set_priv(h, PRV_M);
    TlbEntry *e = riscv_tlb_fill(cpu, PAGE_A, ACCESS_READ, &fault); /* M: bare */
    ck_assert_ptr_nonnull(e);
    ck_assert_uint_eq(e->phys, PAGE_A);
}
END_TEST

START_TEST(test_mprv_fills_data_side_only)
{
    test_set_priv(h, PRV_M);
    test_set_mstatus(h, MSTATUS_MPRV | (1ull << MSTATUS_MPP_SHIFT), MSTATUS_MPP);
    TlbEntry *e = riscv_tlb_fill(cpu, PAGE_A, ACCESS_READ, &fault);
    ck_assert_ptr_nonnull(e);
    ck_assert_uint_eq(e->phys, DATA_A);
    uint64_t paddr;
    ck_assert_ptr_nonnull(riscv_tlb_fetch_host(cpu, TEST_RAM_BASE, &paddr, &fault));
    ck_assert_uint_eq(paddr, TEST_RAM_BASE);
    /* Leaving MPRV returns to M's own bare entries. */
    test_set_mstatus(h, 0, MSTATUS_MPRV);
    ck_assert_uint_eq(riscv_tlb_fill(cpu, DATA_A, ACCESS_READ, &fault)->phys, DATA_A);
}
END_TEST

/* Slow entries */

START_TEST(test_code_page_write_entry_is_slow)
{
    memory_set_page_flag(h->ram, DATA_A, PAGE_HAS_CODE);
    TlbEntry *w = riscv_tlb_fill(cpu, PAGE_A, ACCESS_WRITE, &fault);
    ck_assert_ptr_nonnull(w);
    ck_assert_uint_eq(w->tag, PAGE_A | TLB_SLOW);
    ck_assert(!tlb_hit(w, PAGE_A, 1));
    ck_assert(!tlb_hit(w, PAGE_A + 8, 8));
    TlbEntry *r = riscv_tlb_fill(cpu, PAGE_A, ACCESS_READ, &fault);
    ck_assert_uint_eq(r->tag, PAGE_A);
    ck_assert(tlb_hit(r, PAGE_A + 8, 8));
    /* The slow entry is still a hit for riscv_tlb_fill: no re-walk. */
    ck_assert_ptr_eq(riscv_tlb_fill(cpu, PAGE_A + 4, ACCESS_WRITE, &fault), w);
}
END_TEST

START_TEST(test_watched_page_write_entry_is_slow)
{
    memory_set_page_flag(h->ram, DATA_B, PAGE_WATCHED);
    TlbEntry *w = riscv_tlb_fill(cpu, PAGE_B, ACCESS_WRITE, &fault);
    ck_assert_ptr_nonnull(w);
    ck_assert(w->tag & TLB_SLOW);
}
END_TEST

START_TEST(test_rom_write_entry_is_slow)
{
    test_set_priv(h, PRV_M);
    TlbEntry *w = riscv_tlb_fill(cpu, ROM_BASE, ACCESS_WRITE, &fault);
    ck_assert_ptr_nonnull(w);
    ck_assert(w->tag & TLB_SLOW);
    ck_assert(!riscv_tlb_store_slow(cpu, ROM_BASE + 8, 4, 1, &fault));
    ck_assert_uint_eq(fault.cause, EXC_STORE_ACCESS);
    ck_assert_uint_eq(fault.tval, ROM_BASE + 8);
    TlbEntry *r = riscv_tlb_fill(cpu, ROM_BASE, ACCESS_READ, &fault);
    ck_assert(!(r->tag & TLB_SLOW));
}
END_TEST

START_TEST(test_mmio_goes_to_the_device)
{
    TlbEntry *r = riscv_tlb_fill(cpu, MMIO_BASE, ACCESS_READ, &fault);
    ck_assert_ptr_nonnull(r);
    ck_assert(r->tag & TLB_SLOW);
    uint64_t value;
    ck_assert(riscv_tlb_load_slow(cpu, MMIO_BASE + 0x10, 4, &value, &fault));
    ck_assert_uint_eq(value, 0x1010);
    ck_assert(riscv_tlb_store_slow(cpu, MMIO_BASE + 0x10, 4, 5, &fault));
    ck_assert_int_eq(device_reads, 1);
    ck_assert_int_eq(device_writes, 1);
    /* Sizes the device refuses are access faults. */
    ck_assert(!riscv_tlb_load_slow(cpu, MMIO_BASE + 0x10, 8, &value, &fault));
    ck_assert_uint_eq(fault.cause, EXC_LOAD_ACCESS);
    ck_assert_uint_eq(fault.tval, MMIO_BASE + 0x10);
    ck_assert(!riscv_tlb_store_slow(cpu, MMIO_BASE + 0x11, 1, 0, &fault));
    ck_assert_uint_eq(fault.cause, EXC_STORE_ACCESS);
    /* No instruction fetch from devices. */
    uint64_t paddr;
    ck_assert_ptr_null(riscv_tlb_fetch_host(cpu, MMIO_BASE, &paddr, &fault));
    ck_assert_uint_eq(fault.cause, EXC_INSN_ACCESS);
    ck_assert_uint_eq(fault.tval, MMIO_BASE);
}
END_TEST

START_TEST(test_missing_memory_is_access_fault)
{
    uint64_t value;
    ck_assert(!riscv_tlb_load_slow(cpu, PAGE_NOMEM + 8, 8, &value, &fault));
    ck_assert_uint_eq(fault.cause, EXC_LOAD_ACCESS);
    ck_assert_uint_eq(fault.tval, PAGE_NOMEM + 8);
    ck_assert(!riscv_tlb_store_slow(cpu, PAGE_NOMEM, 4, 0, &fault));
    ck_assert_uint_eq(fault.cause, EXC_STORE_ACCESS);
    uint64_t paddr;
    ck_assert_ptr_null(riscv_tlb_fetch_host(cpu, PAGE_NOMEM, &paddr, &fault));
    ck_assert_uint_eq(fault.cause, EXC_INSN_ACCESS);
}
END_TEST

/* Slow-path accesses */

START_TEST(test_load_store_misaligned_within_page)
{
    ck_assert(riscv_tlb_store_slow(cpu, PAGE_A + 3, 8, 0x0102030405060708ull, &fault));
    uint64_t value;
    ck_assert(riscv_tlb_load_slow(cpu, PAGE_A + 3, 8, &value, &fault));
    ck_assert_uint_eq(value, 0x0102030405060708ull);
    ck_assert(riscv_tlb_load_slow(cpu, PAGE_A + 5, 2, &value, &fault));
    ck_assert_uint_eq(value, 0x0506); /* zero-extended */
    ck_assert_uint_eq(*ram(DATA_A + 3), 0x08);
}
END_TEST

START_TEST(test_load_across_pages)
{
    /* The two virtual pages are not physically contiguous. */
    static const uint8_t low[4] = {0x11, 0x22, 0x33, 0x44};
    static const uint8_t high[4] = {0x55, 0x66, 0x77, 0x88};
    memcpy(ram(DATA_A + 0xffc), low, 4);
    memcpy(ram(DATA_B), high, 4);
    uint64_t value;
    ck_assert(riscv_tlb_load_slow(cpu, PAGE_A + 0xffc, 8, &value, &fault));
    ck_assert_uint_eq(value, 0x8877665544332211ull);
    ck_assert(riscv_tlb_load_slow(cpu, PAGE_A + 0xfff, 2, &value, &fault));
    ck_assert_uint_eq(value, 0x5544);
}
END_TEST

START_TEST(test_store_across_pages)
{
    ck_assert(riscv_tlb_store_slow(cpu, PAGE_A + 0xffa, 8, 0x8877665544332211ull, &fault));
    ck_assert_uint_eq(*ram(DATA_A + 0xffa), 0x11);
    ck_assert_uint_eq(*ram(DATA_A + 0xfff), 0x66);
    ck_assert_uint_eq(*ram(DATA_B), 0x77);
    ck_assert_uint_eq(*ram(DATA_B + 1), 0x88);
    ck_assert_uint_eq(*ram(DATA_A + 0x1000), 0); /* the physical neighbour is untouched */
}
END_TEST

START_TEST(test_load_across_into_unmapped_page)
{
    uint64_t value = 0xabcd;
    ck_assert(!riscv_tlb_load_slow(cpu, PAGE_C + 0xffc, 8, &value, &fault));
    ck_assert_uint_eq(fault.cause, EXC_LOAD_PAGE_FAULT);
    /* Priv spec 3.1.16: tval is the first faulting byte, the page boundary. */
    ck_assert_uint_eq(fault.tval, PAGE_C + 0x1000);
}
END_TEST

START_TEST(test_store_across_into_unmapped_page)
{
    memset(ram(DATA_C + 0xff8), 0x5a, 8);
    ck_assert(!riscv_tlb_store_slow(cpu, PAGE_C + 0xffc, 8, 0, &fault));
    ck_assert_uint_eq(fault.cause, EXC_STORE_PAGE_FAULT);
    ck_assert_uint_eq(fault.tval, PAGE_C + 0x1000);
    for (int i = 0; i < 8; i++)
        ck_assert_msg(*ram(DATA_C + 0xff8 + i) == 0x5a, "byte %d was written", i);
}
END_TEST

START_TEST(test_store_across_into_readonly_page)
{
    /* A writable page just below the read-only one. */
    remap(PAGE_RO - 0x1000, DATA_C);
    memset(ram(DATA_C + 0xffc), 0x5a, 4);
    ck_assert(!riscv_tlb_store_slow(cpu, PAGE_RO - 4, 8, 0, &fault));
    ck_assert_uint_eq(fault.cause, EXC_STORE_PAGE_FAULT);
    ck_assert_uint_eq(fault.tval, PAGE_RO);
    for (int i = 0; i < 4; i++)
        ck_assert_msg(*ram(DATA_C + 0xffc + i) == 0x5a, "byte %d was written", i);
}
END_TEST

START_TEST(test_store_across_end_of_ram)
{
    /* A page-crossing store whose second half has no memory behind it
     * faults without writing the first half. */
    test_set_priv(h, PRV_M);
    uint64_t end = TEST_RAM_BASE + TEST_RAM_SIZE;
    memset(ram(end - 4), 0x5a, 4);
    ck_assert(!riscv_tlb_store_slow(cpu, end - 4, 8, 0, &fault));
    ck_assert_uint_eq(fault.cause, EXC_STORE_ACCESS);
    ck_assert_uint_eq(fault.tval, end);
    for (int i = 0; i < 4; i++)
        ck_assert_msg(*ram(end - 4 + i) == 0x5a, "byte %d was written", i);
}
END_TEST

START_TEST(test_store_across_into_mmio_page)
{
    /* As above, when the second page is a device that refuses byte
     * accesses. */
    test_set_priv(h, PRV_M);
    MemoryRegion *below = memory_add_ram(&h->as, "below-dev", MMIO_BASE - 0x1000, 0x1000);
    ck_assert_ptr_nonnull(below);
    memset(below->host + 0xffc, 0x5a, 4);
    ck_assert(!riscv_tlb_store_slow(cpu, MMIO_BASE - 4, 8, 0, &fault));
    ck_assert_uint_eq(fault.cause, EXC_STORE_ACCESS);
    ck_assert_uint_eq(fault.tval, MMIO_BASE);
    for (int i = 0; i < 4; i++)
        ck_assert_msg(below->host[0xffc + i] == 0x5a, "byte %d was written", i);
    ck_assert_int_eq(device_writes, 0);
}
END_TEST

START_TEST(test_store_across_pages_with_pmp_hole)
{
    /* As above, with a PMP hole inside the first page's part of the
     * store. */
    test_set_pmp(h, 0, PMPCFG_NA4, (DATA_A + 0xffc) >> 2);
    memset(ram(DATA_A + 0xff8), 0x5a, 8);
    ck_assert(!riscv_tlb_store_slow(cpu, PAGE_A + 0xffa, 8, 0, &fault));
    ck_assert_uint_eq(fault.cause, EXC_STORE_ACCESS);
    for (int i = 0; i < 8; i++)
        ck_assert_msg(*ram(DATA_A + 0xff8 + i) == 0x5a, "byte %d was written", i);
    ck_assert_uint_eq(*ram(DATA_B), 0);
}
END_TEST

/* PMP holes smaller than a page */

START_TEST(test_partial_pmp_page_checked_every_time)
{
    /* Entry 0: a 4-byte hole at DATA_A + 0x100; entry 15 allows the rest. */
    test_set_pmp(h, 0, PMPCFG_NA4, (DATA_A + 0x100) >> 2);
    uint64_t value;
    for (int round = 0; round < 2; round++) {
        ck_assert(riscv_tlb_load_slow(cpu, PAGE_A + 0x108, 8, &value, &fault));
        ck_assert(!riscv_tlb_load_slow(cpu, PAGE_A + 0x100, 4, &value, &fault));
        ck_assert_uint_eq(fault.cause, EXC_LOAD_ACCESS);
        ck_assert_uint_eq(fault.tval, PAGE_A + 0x100);
        ck_assert(!riscv_tlb_load_slow(cpu, PAGE_A + 0xfc, 8, &value, &fault));
    }
    *ram(DATA_A + 0x102) = 0x77;
    ck_assert(!riscv_tlb_store_slow(cpu, PAGE_A + 0x102, 1, 0, &fault));
    ck_assert_uint_eq(fault.cause, EXC_STORE_ACCESS);
    ck_assert_uint_eq(*ram(DATA_A + 0x102), 0x77);
    /* Such a page never gets a fast-path entry. */
    TlbEntry *e = riscv_tlb_fill(cpu, PAGE_A + 0x200, ACCESS_READ, &fault);
    ck_assert_ptr_nonnull(e);
    ck_assert(!tlb_hit(e, PAGE_A + 0x100, 4));
    ck_assert(!tlb_hit(tlb_entry(cpu->dtlb->read, PAGE_A), PAGE_A + 0x100, 4));
}
END_TEST

START_TEST(test_fetch_and_data_tlbs_are_separate)
{
    pt_map(h, PAGE_A, DATA_A, PTE_V | PTE_R | PTE_W | PTE_A | PTE_D, 0);
    uint64_t va = PAGE_A;
    riscv_sfence_vma(cpu, &va, NULL);
    ck_assert_ptr_nonnull(riscv_tlb_fill(cpu, PAGE_A, ACCESS_READ, &fault));
    uint64_t paddr;
    ck_assert_ptr_null(riscv_tlb_fetch_host(cpu, PAGE_A, &paddr, &fault));
    ck_assert_uint_eq(fault.cause, EXC_INSN_PAGE_FAULT);
    ck_assert_uint_eq(fault.tval, PAGE_A);
}
END_TEST

static Suite *tlb_suite(void)
{
    Suite *s = suite_create("tlb");
    TCase *fills = tcase_create("fill");
    tcase_add_checked_fixture(fills, setup, teardown);
    tcase_add_test(fills, test_fill_gives_host_pointer);
    tcase_add_test(fills, test_fill_write_and_fetch);
    tcase_add_test(fills, test_fill_faults);
    tcase_add_test(fills, test_fetch_and_data_tlbs_are_separate);
    suite_add_tcase(s, fills);

    TCase *flush = tcase_create("flush");
    tcase_add_checked_fixture(flush, setup, teardown);
    tcase_add_test(flush, test_second_fill_hits_without_walking);
    tcase_add_test(flush, test_sfence_vma_one_page);
    tcase_add_test(flush, test_sfence_vma_one_page_all_modes);
    tcase_add_test(flush, test_sfence_vma_all);
    tcase_add_test(flush, test_flush_translation);
    tcase_add_test(flush, test_unmapping_faults_after_sfence);
    suite_add_tcase(s, flush);

    TCase *spaces = tcase_create("address spaces");
    tcase_add_checked_fixture(spaces, setup, teardown);
    tcase_add_test(spaces, test_switch_keeps_each_space);
    tcase_add_test(spaces, test_asid_fence_drops_only_its_space);
    tcase_add_test(spaces, test_page_fence_with_asid);
    tcase_add_test(spaces, test_global_translation_shared);
    tcase_add_test(spaces, test_recycled_space_walks_again);
    suite_add_tcase(s, spaces);

    TCase *modes = tcase_create("modes");
    tcase_add_checked_fixture(modes, setup, teardown);
    tcase_add_test(modes, test_sum_entries_not_used_without_sum);
    tcase_add_test(modes, test_privilege_change_switches_sets);
    tcase_add_test(modes, test_mprv_fills_data_side_only);
    suite_add_tcase(s, modes);

    TCase *slow = tcase_create("slow");
    tcase_add_checked_fixture(slow, setup, teardown);
    tcase_add_test(slow, test_code_page_write_entry_is_slow);
    tcase_add_test(slow, test_watched_page_write_entry_is_slow);
    tcase_add_test(slow, test_rom_write_entry_is_slow);
    tcase_add_test(slow, test_mmio_goes_to_the_device);
    tcase_add_test(slow, test_missing_memory_is_access_fault);
    tcase_add_test(slow, test_partial_pmp_page_checked_every_time);
    suite_add_tcase(s, slow);

    TCase *access = tcase_create("access");
    tcase_add_checked_fixture(access, setup, teardown);
    tcase_add_test(access, test_load_store_misaligned_within_page);
    tcase_add_test(access, test_load_across_pages);
    tcase_add_test(access, test_store_across_pages);
    tcase_add_test(access, test_load_across_into_unmapped_page);
    tcase_add_test(access, test_store_across_into_unmapped_page);
    tcase_add_test(access, test_store_across_into_readonly_page);
    tcase_add_test(access, test_store_across_end_of_ram);
    tcase_add_test(access, test_store_across_into_mmio_page);
    tcase_add_test(access, test_store_across_pages_with_pmp_hole);
    suite_add_tcase(s, access);
    return s;
}

int main(void)
{
    return run_suite(tlb_suite());
}
