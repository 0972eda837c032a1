/* tests/unit/test_cpu_dump.c: unit tests for cpu/riscv/dump.c. The expected
 * texts are QEMU 7.2's own output (`info registers`, `info mem` with
 * -cpu rv64,h=false) for guests that left the same state, so a difference
 * here is a difference a user comparing the two would see. */
#include <string.h>

#include "cpu/riscv/dump.h"
#include "tests/unit/harness.h"

static TestHart *h;
static StrBuf out;

static void setup(void)
{
    h = test_hart_new();
    out = (StrBuf)STRBUF_INIT;
}

static void teardown(void)
{
    strbuf_free(&out);
    test_hart_free(h);
}

/* Registers */

/* QEMU's `info registers` after a guest set FS dirty, mideleg 0x222 and a
 * few registers (the "CPU#0" line above it is the monitor's). */
static const char qemu_registers[] =
    " pc       000000008000002e\n"
    " mhartid  0000000000000000\n"
    " mstatus  8000000a00006000\n"
    " mip      0000000000000080\n"
    " mie      0000000000000000\n"
    " mideleg  0000000000000222\n"
    " medeleg  0000000000000000\n"
    " mtvec    0000000000000000\n"
    " stvec    0000000000000000\n"
    " mepc     0000000000000000\n"
    " sepc     0000000000000000\n"
    " mcause   0000000000000000\n"
    " scause   0000000000000000\n"
    " mtval    0000000000000000\n"
    " stval    0000000000000000\n"
    " mscratch 0000000000000000\n"
    " sscratch 0000000000000000\n"
    " satp     0000000000000000\n"
    " x0/zero  0000000000000000 x1/ra    0000000000000000 x2/sp    0000000000000000 x3/gp    "
    "0000000000000000\n"
    " x4/tp    0000000000000000 x5/t0    0000000000000222 x6/t1    0000000000000000 x7/t2    "
    "0000000000000000\n"
    " x8/s0    0000000000000000 x9/s1    0000000000000000 x10/a0   ffffffffffffffff x11/a1   "
    "0000000087e00000\n"
    " x12/a2   0000000000001028 x13/a3   0000000000000000 x14/a4   0000000000000000 x15/a5   "
    "0000000000000000\n"
    " x16/a6   0000000000000000 x17/a7   0000000000000000 x18/s2   0000000000000000 x19/s3   "
    "0000000000000000\n"
    " x20/s4   0000000000000000 x21/s5   0000000000000000 x22/s6   0000000000000000 x23/s7   "
    "0000000000000000\n"
    " x24/s8   0000000000000000 x25/s9   0000000000000000 x26/s10  0000000000000000 x27/s11  "
    "0000000000001234\n"
    " x28/t3   0000000000000000 x29/t4   0000000000000000 x30/t5   0000000000000000 x31/t6   "
    "0000000000000000\n"
    " f0/ft0   0000000000000000 f1/ft1   3ff0000000000000 f2/ft2   0000000000000000 f3/ft3   "
    "0000000000000000\n"
    " f4/ft4   0000000000000000 f5/ft5   0000000000000000 f6/ft6   0000000000000000 f7/ft7   "
    "0000000000000000\n"
    " f8/fs0   0000000000000000 f9/fs1   0000000000000000 f10/fa0  ffffffff3f800000 f11/fa1  "
    "0000000000000000\n"
    " f12/fa2  0000000000000000 f13/fa3  0000000000000000 f14/fa4  0000000000000000 f15/fa5  "
    "0000000000000000\n"
    " f16/fa6  0000000000000000 f17/fa7  0000000000000000 f18/fs2  0000000000000000 f19/fs3  "
    "0000000000000000\n"
    " f20/fs4  0000000000000000 f21/fs5  0000000000000000 f22/fs6  0000000000000000 f23/fs7  "
    "0000000000000000\n"
    " f24/fs8  0000000000000000 f25/fs9  0000000000000000 f26/fs10 0000000000000000 f27/fs11 "
    "0000000000000000\n"
    " f28/ft8  0000000000000000 f29/ft9  0000000000000000 f30/ft10 0000000000000000 f31/ft11 "
    "0000000000000000\n";

/* The state that guest left: QEMU's reset values plus its writes. */
static void set_qemu_guest_state(RiscvCpu *cpu)
{
    cpu->pc = 0x8000002e;
    cpu->mstatus = MSTATUS_RESET | MSTATUS_FS; /* SD is the read's summary */
    cpu->mip = MIP_MTIP;                       /* QEMU's mtimecmp resets to 0 */
    cpu->mideleg = 0x222;
    cpu->x[5] = 0x222;
    cpu->x[10] = ~0ull;
    cpu->x[11] = 0x87e00000;
    cpu->x[12] = 0x1028;
    cpu->x[27] = 0x1234;
    cpu->f[1] = 0x3ff0000000000000ull;
    cpu->f[10] = 0xffffffff3f800000ull; /* a NaN-boxed 1.0f, printed raw */
}

START_TEST(test_registers_match_qemu)
{
    set_qemu_guest_state(h->cpu);
    riscv_cpu_dump_state(h->cpu, &out, true);
    ck_assert_str_eq(strbuf_text(&out), qemu_registers);
}
END_TEST

START_TEST(test_registers_without_fpu_end_after_x31)
{
    set_qemu_guest_state(h->cpu);
    riscv_cpu_dump_state(h->cpu, &out, false);
    size_t gpr_end = (size_t)(strstr(qemu_registers, " f0/ft0") - qemu_registers);
    ck_assert_uint_eq(out.len, gpr_end);
    ck_assert_int_eq(strncmp(strbuf_text(&out), qemu_registers, gpr_end), 0);
}
END_TEST

START_TEST(test_registers_show_the_views_a_guest_reads)
{
    /* mip includes the PLIC's SEIP line; x0 reads zero whatever the sink
     * register (x[32]) holds. */
    h->cpu->mip_seip = true;
    h->cpu->x[32] = 0xdead;
    h->cpu->satp = (8ull << SATP_MODE_SHIFT) | 0x80123;
    riscv_cpu_dump_state(h->cpu, &out, false);
    ck_assert_ptr_nonnull(strstr(strbuf_text(&out), "\n mip      0000000000000200\n"));
    ck_assert_ptr_nonnull(strstr(strbuf_text(&out), "\n satp     8000000000080123\n"));
    ck_assert_ptr_nonnull(strstr(strbuf_text(&out), "\n x0/zero  0000000000000000 x1/ra"));
    ck_assert_ptr_null(strstr(strbuf_text(&out), "dead"));
}
END_TEST

/* Page tables */

#define V PTE_V
#define R PTE_R
#define W PTE_W
#define X PTE_X
#define U PTE_U
#define G PTE_G
#define A PTE_A
#define D PTE_D

static uint64_t pte_to(uint64_t paddr)
{
    return (paddr >> PAGE_SHIFT) << 10;
}

static void put(uint64_t table, unsigned index, uint64_t pte)
{
    test_write64(h, table + index * 8, pte);
}

static void set_satp(unsigned mode, uint64_t root)
{
    h->cpu->satp = ((uint64_t)mode << SATP_MODE_SHIFT) | (root >> PAGE_SHIFT);
}

/* RV32: XLEN-wide values in 8 digits, mstatush after mstatus, as
 * qemu-system-riscv32 prints them; the FP registers stay 64 bits. */
START_TEST(test_rv32_registers)
{
    h->cpu->ext |= RISCV_XLEN32;
    riscv_cpu_reset(h->cpu, 0x80000000);
    h->cpu->x[10] = 0xffffffff80001234ull; /* a register holds it sign-extended */
    riscv_cpu_dump_state(h->cpu, &out, true);
    static const char head[] = " pc       80000000\n mhartid  00000000\n"
                               " mstatus  00000000\n mstatush 00000000\n";
    const char *text = strbuf_text(&out);
    ck_assert_int_eq(strncmp(text, head, strlen(head)), 0);
    ck_assert_ptr_nonnull(strstr(text, " x10/a0   80001234 x11/a1   00000000"));
    ck_assert_ptr_nonnull(strstr(text, " f0/ft0   0000000000000000 f1/ft1"));
}
END_TEST

START_TEST(test_bare_has_no_translation)
{
    riscv_dump_page_tables(h->cpu, &out);
    ck_assert_str_eq(strbuf_text(&out), "No translation or protection\n");
}
END_TEST

#define HEADER                                                                                     \
    "vaddr            paddr            size             attr\n"                                    \
    "---------------- ---------------- ---------------- -------\n"

/* The tables of a guest run under QEMU (same addresses, same entries), and
 * QEMU's listing of them: runs within one table merge (0x0: two pages;
 * 0xc00000: two megapages), a virtual gap (0x3000), a physical gap
 * (0x5000), a change of attributes (0x4000) or a change of table (0x1ff000
 * then 0x200000) splits them; W alone and X alone are leaves; V clear,
 * a pointer out of RAM and a pointer from level 0 show nothing; reserved
 * bit 60 lands in the address; high addresses are sign-extended. */
START_TEST(test_sv39_matches_qemu)
{
    const uint64_t root = 0x80100000, l1 = 0x80101000, l0 = 0x80102000, l0b = 0x80103000;
    put(root, 0, pte_to(l1) | V);
    put(root, 2, pte_to(0x80000000) | V | R | W | X | A | D);
    put(root, 256, pte_to(0x80000000) | V | R | W | X | G | A | D);
    put(root, 511, pte_to(0xc0000000) | V | R | W | X | G | A | D);
    put(l1, 0, pte_to(l0) | V);
    put(l1, 1, pte_to(0x80400000) | V | R | W | X | U | A | D);
    put(l1, 2, pte_to(0x1000000000) | V);
    put(l1, 4, pte_to(l0b) | V);
    put(l1, 5, pte_to(0x80800000) | V | R | A | (1ull << 60));
    put(l1, 6, pte_to(0x80a00000) | V | R | A | U | D);
    put(l1, 7, pte_to(0x80c00000) | V | R | A | U | D);
    put(l1, 9, pte_to(0x80e00000) | V | R | A | U | D);
    put(l0, 0, pte_to(0x80200000) | V | R | A);
    put(l0, 1, pte_to(0x80201000) | V | R | A);
    put(l0, 3, pte_to(0x80202000) | V | R | A);
    put(l0, 4, pte_to(0x80203000) | V | R | W | A | D);
    put(l0, 5, pte_to(0x80300000) | V | R | W | A | D);
    put(l0, 6, pte_to(0x80301000) | V | W);
    put(l0, 7, pte_to(0x80302000) | R);
    put(l0, 511, pte_to(0x803ff000) | V | R | W | X | U | A | D);
    put(l0b, 0, pte_to(l0) | V);
    put(l0b, 1, pte_to(0x80500000) | V | X);
    set_satp(SATP_MODE_SV39, root);

    riscv_dump_page_tables(h->cpu, &out);
    ck_assert_str_eq(strbuf_text(&out),
                     HEADER "0000000000000000 0000000080200000 0000000000002000 r----a-\n"
                            "0000000000003000 0000000080202000 0000000000001000 r----a-\n"
                            "0000000000004000 0000000080203000 0000000000001000 rw---ad\n"
                            "0000000000005000 0000000080300000 0000000000001000 rw---ad\n"
                            "0000000000006000 0000000080301000 0000000000001000 -w-----\n"
                            "00000000001ff000 00000000803ff000 0000000000001000 rwxu-ad\n"
                            "0000000000200000 0000000080400000 0000000000200000 rwxu-ad\n"
                            "0000000000801000 0000000080500000 0000000000001000 --x----\n"
                            "0000000000a00000 4000000080800000 0000000000200000 r----a-\n"
                            "0000000000c00000 0000000080a00000 0000000000400000 r--u-ad\n"
                            "0000000001200000 0000000080e00000 0000000000200000 r--u-ad\n"
                            "0000000080000000 0000000080000000 0000000040000000 rwx--ad\n"
                            "ffffffc000000000 0000000080000000 0000000040000000 rwx-gad\n"
                            "ffffffffc0000000 00000000c0000000 0000000040000000 rwx-gad\n");
}
END_TEST

/* Likewise for Sv48: 48-bit sign extension and a 512 GiB page. */
START_TEST(test_sv48_matches_qemu)
{
    const uint64_t root = 0x80100000;
    put(root, 0, pte_to(0x80101000) | V);
    put(root, 256, pte_to(0x80102000) | V);
    put(root, 511, pte_to(0x80000000) | 0xcf);
    put(0x80101000, 1, pte_to(0x80103000) | V);
    put(0x80103000, 0, pte_to(0x80000000) | 0xc3);
    put(0x80103000, 1, pte_to(0x80104000) | V);
    put(0x80104000, 5, pte_to(0x80005000) | 0xdb);
    put(0x80104000, 6, pte_to(0x80006000) | 0xdb);
    put(0x80102000, 0, pte_to(0x40000000) | 0xe7);
    set_satp(SATP_MODE_SV48, root);

    riscv_dump_page_tables(h->cpu, &out);
    ck_assert_str_eq(strbuf_text(&out),
                     HEADER "0000000040000000 0000000080000000 0000000000200000 r----ad\n"
                            "0000000040205000 0000000080005000 0000000000002000 r-xu-ad\n"
                            "ffff800000000000 0000000040000000 0000000040000000 rw--gad\n"
                            "ffffff8000000000 0000000080000000 0000008000000000 rwx--ad\n");
}
END_TEST

/* Built with the harness's page-table builder: a run of contiguous pages,
 * a megapage, and no A/D update or TLB fill from the walk. */
START_TEST(test_sv39_runs_and_no_side_effects)
{
    pt_init(h, SATP_MODE_SV39);
    for (int i = 0; i < 4; i++)
        pt_map(h, 0x10000 + i * PAGE_SIZE, 0x80010000 + i * PAGE_SIZE, V | R | W, 0);
    uint64_t mega = pt_map(h, 0x40000000, 0x80200000, V | R | X | G, 1);
    uint64_t mega_pte = test_read64(h, mega);
    CpuStats before = h->cpu->stats;

    riscv_dump_page_tables(h->cpu, &out);
    ck_assert_str_eq(strbuf_text(&out),
                     HEADER "0000000000010000 0000000080010000 0000000000004000 rw-----\n"
                            "0000000040000000 0000000080200000 0000000000200000 r-x-g--\n");
    ck_assert_uint_eq(test_read64(h, mega), mega_pte);
    ck_assert_int_eq(memcmp(&before, &h->cpu->stats, sizeof(before)), 0);
}
END_TEST

static unsigned mmio_reads;

static uint64_t counting_read(void *opaque, uint64_t offset, unsigned size)
{
    (void)opaque;
    (void)offset;
    (void)size;
    mmio_reads++;
    return pte_to(0x80000000) | V | R | W | X;
}

static const MemoryOps counting_ops = {.read = counting_read, .min_size = 1, .max_size = 8};

/* Tables in a device or beyond every region read as empty, and the
 * device's registers are never read. */
START_TEST(test_tables_outside_ram_are_empty)
{
    ck_assert_ptr_nonnull(
        memory_add_mmio(&h->as, "dev", 0x10000000, PAGE_SIZE, &counting_ops, NULL));
    const uint64_t root = 0x80100000;
    put(root, 0, pte_to(0x10000000) | V);            /* a table in the device */
    put(root, 1, pte_to(0xfffffffffffff000ull) | V); /* the top of the address space */
    put(root, 2, ~0ull & ~(uint64_t)(R | W | X));    /* every bit but R/W/X */
    put(root, 3, pte_to(TEST_RAM_BASE + TEST_RAM_SIZE - PAGE_SIZE) | V); /* RAM's last page */
    set_satp(SATP_MODE_SV39, root);
    mmio_reads = 0;

    riscv_dump_page_tables(h->cpu, &out);
    ck_assert_str_eq(strbuf_text(&out), HEADER);
    ck_assert_uint_eq(mmio_reads, 0);
}
END_TEST

/* Every entry of every level points back at the root: QEMU walks 512^4
 * entries; the dump stops, says so, and keeps what it listed. */
START_TEST(test_self_referencing_tables_stop)
{
    const uint64_t root = 0x80100000;
    for (unsigned i = 0; i < 512; i++)
        put(root, i, pte_to(root) | V);
    set_satp(SATP_MODE_SV48, root);

    riscv_dump_page_tables(h->cpu, &out);
    ck_assert_str_eq(strbuf_text(&out),
                     HEADER "(listing stopped: more than 16384 page tables or 1048576 lines)\n");
}
END_TEST

/* Leaves whose attributes alternate make one line each; with every
 * pointer leading to the same tables there are 512^3 of them, and the
 * listing stops at its line limit. */
START_TEST(test_line_limit)
{
    const uint64_t root = 0x80100000, mid = 0x80101000, leaves = 0x80102000;
    for (unsigned i = 0; i < 512; i++) {
        put(root, i, pte_to(mid) | V);
        put(mid, i, pte_to(leaves) | V);
        put(leaves, i, pte_to(0x80000000 + i * PAGE_SIZE) | V | R | (i & 1 ? W : 0));
    }
    set_satp(SATP_MODE_SV39, root);

    riscv_dump_page_tables(h->cpu, &out);
    const char *text = strbuf_text(&out);
    unsigned lines = 0;
    for (const char *p = text; (p = strchr(p, '\n')) != NULL; p++)
        lines++;
    ck_assert_uint_eq(lines, 2 + (1u << 20) + 1);
    ck_assert_ptr_nonnull(strstr(text,
                                 "0000000000000000 0000000080000000 0000000000001000 r------\n"
                                 "0000000000001000 0000000080001000 0000000000001000 rw-----\n"));
    ck_assert_ptr_nonnull(strstr(text, "\n(listing stopped"));
}
END_TEST

static Suite *cpu_dump_suite(void)
{
    Suite *s = suite_create("cpu_dump");

    TCase *regs = tcase_create("registers");
    tcase_add_checked_fixture(regs, setup, teardown);
    tcase_add_test(regs, test_registers_match_qemu);
    tcase_add_test(regs, test_registers_without_fpu_end_after_x31);
    tcase_add_test(regs, test_rv32_registers);
    tcase_add_test(regs, test_registers_show_the_views_a_guest_reads);
    suite_add_tcase(s, regs);

    TCase *mem = tcase_create("page_tables");
    tcase_add_checked_fixture(mem, setup, teardown);
    tcase_set_timeout(mem, 60);
    tcase_add_test(mem, test_bare_has_no_translation);
    tcase_add_test(mem, test_sv39_matches_qemu);
    tcase_add_test(mem, test_sv48_matches_qemu);
    tcase_add_test(mem, test_sv39_runs_and_no_side_effects);
    tcase_add_test(mem, test_tables_outside_ram_are_empty);
    tcase_add_test(mem, test_self_referencing_tables_stop);
    tcase_add_test(mem, test_line_limit);
    suite_add_tcase(s, mem);
    return s;
}

int main(void)
{
    return run_suite(cpu_dump_suite());
}
