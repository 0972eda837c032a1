/* cpu/riscv/dump.c: register and page-table reports in QEMU 7.2's exact text
 * (target/riscv/cpu.c, target/riscv/monitor.c), so users, scripts and trace
 * diffs that know QEMU's output read ember's unchanged. */
#include "cpu/riscv/dump.h"

#include <inttypes.h>

#include "cpu/riscv/csr.h"

static const char *const gpr_names[32] = {
    "x0/zero", "x1/ra",  "x2/sp",   "x3/gp",   "x4/tp",  "x5/t0",  "x6/t1",  "x7/t2",
    "x8/s0",   "x9/s1",  "x10/a0",  "x11/a1",  "x12/a2", "x13/a3", "x14/a4", "x15/a5",
    "x16/a6",  "x17/a7", "x18/s2",  "x19/s3",  "x20/s4", "x21/s5", "x22/s6", "x23/s7",
    "x24/s8",  "x25/s9", "x26/s10", "x27/s11", "x28/t3", "x29/t4", "x30/t5", "x31/t6"};

static const char *const fpr_names[32] = {
    "f0/ft0",  "f1/ft1",  "f2/ft2",   "f3/ft3",   "f4/ft4",  "f5/ft5",  "f6/ft6",   "f7/ft7",
    "f8/fs0",  "f9/fs1",  "f10/fa0",  "f11/fa1",  "f12/fa2", "f13/fa3", "f14/fa4",  "f15/fa5",
    "f16/fa6", "f17/fa7", "f18/fs2",  "f19/fs3",  "f20/fs4", "f21/fs5", "f22/fs6",  "f23/fs7",
    "f24/fs8", "f25/fs9", "f26/fs10", "f27/fs11", "f28/ft8", "f29/ft9", "f30/ft10", "f31/ft11"};

/* QEMU's dump_csrs[] less what a hart without H or pointer masking lacks
 * (hstatus, vsstatus, hideleg, hedeleg, vstvec, vsepc, vscause, htval,
 * mtval2, the *pm* CSRs): QEMU skips those too, and mstatush on RV64. */
static const struct {
    unsigned csr;
    const char *name;
} dumped_csrs[] = {
    {CSR_MHARTID, "mhartid"},   {CSR_MSTATUS, "mstatus"},   {CSR_MSTATUSH, "mstatush"},
    {CSR_MIP, "mip"},           {CSR_MIE, "mie"},           {CSR_MIDELEG, "mideleg"},
    {CSR_MEDELEG, "medeleg"},   {CSR_MTVEC, "mtvec"},       {CSR_STVEC, "stvec"},
    {CSR_MEPC, "mepc"},         {CSR_SEPC, "sepc"},         {CSR_MCAUSE, "mcause"},
    {CSR_SCAUSE, "scause"},     {CSR_MTVAL, "mtval"},       {CSR_STVAL, "stval"},
    {CSR_MSCRATCH, "mscratch"}, {CSR_SSCRATCH, "sscratch"}, {CSR_SATP, "satp"},
};

/* QEMU prints XLEN-wide values with XLEN/4 digits (the FP registers are
 * 64 bits on either). */
static void dump_row_entry(StrBuf *out, int i, const char *name, uint64_t value, int digits)
{
    strbuf_printf(out, " %-8s %0*" PRIx64 "%s", name, digits, value, (i & 3) == 3 ? "\n" : "");
}

void riscv_cpu_dump_state(const RiscvCpu *cpu, StrBuf *out, bool with_fpu)
{
    /* CSR reads of these registers change nothing: the accessor is not
     * const only for the FP flags and the clock behind mip. Going through
     * it gives the views a guest reads (mstatus.SD, mip's device lines). */
    RiscvCpu *hart = (RiscvCpu *)cpu;
    bool rv32 = riscv_is_rv32(cpu);
    int digits = rv32 ? 8 : 16;
    uint64_t mask = rv32 ? UINT32_MAX : UINT64_MAX;
    strbuf_printf(out, " %-8s %0*" PRIx64 "\n", "pc", digits, cpu->pc);
    for (size_t i = 0; i < sizeof(dumped_csrs) / sizeof(dumped_csrs[0]); i++) {
        uint64_t value;
        if ((rv32 || dumped_csrs[i].csr != CSR_MSTATUSH) &&
            riscv_csr_read(hart, dumped_csrs[i].csr, &value))
            strbuf_printf(out, " %-8s %0*" PRIx64 "\n", dumped_csrs[i].name, digits, value);
    }
    for (int i = 0; i < 32; i++)
        dump_row_entry(out, i, gpr_names[i], cpu->x[i] & mask, digits);
    for (int i = 0; with_fpu && i < 32; i++)
        dump_row_entry(out, i, fpr_names[i], cpu->f[i], 16);
}

/* Leaf and pointer bits of a PTE (priv spec 4.4.1). */
#define PTE_V (1u << 0)
#define PTE_R (1u << 1)
#define PTE_W (1u << 2)
#define PTE_X (1u << 3)
#define PTE_U (1u << 4)
#define PTE_G (1u << 5)
#define PTE_A (1u << 6)
#define PTE_D (1u << 7)
#define PTE_PPN_SHIFT 10
#define PT_INDEX_BITS 9
#define PT_ENTRIES (1u << PT_INDEX_BITS)

/* A guest can point every entry back at its own table, making the walk
 * 512^levels entries long (QEMU then walks for hours). No real kernel needs
 * more tables (32 GiB mapped in 4 KiB pages) or lines than these. */
#define DUMP_MAX_TABLES (1u << 14)
#define DUMP_MAX_LINES (1u << 20)

/* QEMU's walk state: the run of mappings being gathered, printed when a
 * mapping breaks it. */
typedef struct PageTableDump {
    AddressSpace *as;
    StrBuf *out;
    unsigned va_bits;
    uint64_t vbase, pbase;          /* where the run starts */
    uint64_t last_paddr, last_size; /* the run's last page */
    unsigned last_attr;             /* PTE bits 7:0 shared by the run */
    unsigned tables_left, lines_left;
    bool stopped;
} PageTableDump;

static uint64_t read_pte(AddressSpace *as, uint64_t paddr)
{
    /* RAM and ROM only: a device register's read may change the device.
     * Where nothing is mapped QEMU reads zero, an invalid PTE. */
    uint64_t pte;
    if (!memory_host_ptr(as, paddr, 8) || !memory_read(as, paddr, 8, &pte))
        return 0;
    return pte;
}

static void print_run(PageTableDump *d)
{
    uint64_t size = d->last_paddr + d->last_size - d->pbase;
    /* QEMU's checks: the first call has no run (vbase is all ones). */
    if (d->vbase >= (1ull << d->va_bits) || size == 0)
        return;
    if (d->lines_left == 0) {
        d->stopped = true;
        return;
    }
    d->lines_left--;
    uint64_t vaddr = d->vbase;
    if (vaddr & (1ull << (d->va_bits - 1)))
        vaddr |= ~((1ull << d->va_bits) - 1); /* sign-extended, as the hart sees it */
    unsigned a = d->last_attr;
    strbuf_printf(d->out, "%016" PRIx64 " %016" PRIx64 " %016" PRIx64 " %c%c%c%c%c%c%c\n", vaddr,
                  d->pbase, size, a & PTE_R ? 'r' : '-', a & PTE_W ? 'w' : '-',
                  a & PTE_X ? 'x' : '-', a & PTE_U ? 'u' : '-', a & PTE_G ? 'g' : '-',
                  a & PTE_A ? 'a' : '-', a & PTE_D ? 'd' : '-');
}

/* QEMU's walk_pte, whose quirks show in the text and so are kept: any of
 * R/W/X makes a leaf (even W alone), reserved bits are neither checked nor
 * masked off the address, a pointer from level 0 leads nowhere, and a run
 * only grows by the next entry of the same table (last_start is per table):
 * neighbouring pages in different tables are separate lines. */
static void walk_table(PageTableDump *d, uint64_t table, uint64_t start, int level)
{
    if (level < 0)
        return;
    if (d->tables_left == 0) {
        d->stopped = true;
        return;
    }
    d->tables_left--;
    uint64_t page_size = 1ull << (PAGE_SHIFT + PT_INDEX_BITS * level);
    uint64_t last_start = UINT64_MAX;
    for (unsigned i = 0; i < PT_ENTRIES && !d->stopped; i++, start += page_size) {
        uint64_t pte = read_pte(d->as, table + i * 8);
        uint64_t paddr = (pte >> PTE_PPN_SHIFT) << PAGE_SHIFT;
        unsigned attr = (unsigned)(pte & 0xff);
        if (!(attr & PTE_V))
            continue;
        if (!(attr & (PTE_R | PTE_W | PTE_X))) {
            walk_table(d, paddr, start, level - 1);
            continue;
        }
        if (attr != d->last_attr || d->last_paddr + d->last_size != paddr ||
            last_start + d->last_size != start) {
            print_run(d);
            d->vbase = start;
            d->pbase = paddr;
            d->last_attr = attr;
        }
        last_start = start;
        d->last_paddr = paddr;
        d->last_size = page_size;
    }
}

void riscv_dump_page_tables(RiscvCpu *cpu, StrBuf *out)
{
    unsigned mode = (unsigned)(cpu->satp >> SATP_MODE_SHIFT);
    if (mode == SATP_MODE_BARE) {
        strbuf_printf(out, "No translation or protection\n");
        return;
    }
    /* Sv39, Sv48 and Sv57 (mode 10) differ only in their number of levels;
     * csr.c keeps any other mode out of satp. */
    if (mode < SATP_MODE_SV39 || mode > SATP_MODE_SV39 + 2) {
        strbuf_printf(out, "Unsupported satp mode %u\n", mode);
        return;
    }
    int levels = 3 + (int)(mode - SATP_MODE_SV39);
    PageTableDump d = {
        .as = cpu->as,
        .out = out,
        .va_bits = PAGE_SHIFT + PT_INDEX_BITS * (unsigned)levels,
        .vbase = UINT64_MAX,
        .pbase = UINT64_MAX,
        .last_paddr = UINT64_MAX,
        .last_size = 0,
        .last_attr = 0,
        .tables_left = DUMP_MAX_TABLES,
        .lines_left = DUMP_MAX_LINES,
        .stopped = false,
    };
    strbuf_printf(out, "vaddr            paddr            size             attr\n");
    strbuf_printf(out, "---------------- ---------------- ---------------- -------\n");
    walk_table(&d, (cpu->satp & SATP_PPN_MASK) << PAGE_SHIFT, 0, levels - 1);
    print_run(&d); /* the run still open (unless out of lines) */
    if (d.stopped)
        strbuf_printf(out, "(listing stopped: more than %u page tables or %u lines)\n",
                      DUMP_MAX_TABLES, DUMP_MAX_LINES);
}
