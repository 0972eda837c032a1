/* tests/unit/test_exec_fuzz.c: random code on the real run loop (cpu/exec.c) must never
 * crash ember, hang it, or break the invariants of the hart, TLB and translation cache. */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>

#include "cpu/exec.h"
#include "cpu/tb.h"
#include "softmmu/tlb.h"
#include "tests/unit/harness.h"
#include "tests/xorshift.h"
#include "util/log.h"

/* The random code: a few pages the trap vectors and jumps also point into. */
#define CODE_BASE (TEST_RAM_BASE + 0x100000)
#define CODE_PAGES 4
#define CODE_SIZE (CODE_PAGES * PAGE_SIZE)
/* Data the generated loads, stores and AMOs aim at. */
#define DATA_BASE (TEST_RAM_BASE + 0x200000)
#define DATA_SIZE (64 * 1024)
/* Random page tables: satp and the PTEs point at these pages. */
#define PT_BASE (TEST_RAM_BASE + 0x300000)
#define PT_PAGES 16

#define INSNS_PER_SEED 200000
#define INSNS_PER_CALL 1000
#define N_SEEDS 10     /* with the default arena */
#define N_SEEDS_TINY 2 /* with a 16 KiB arena */
/* Far above what one call takes, even under the sanitizers. */
#define WATCHDOG_SECONDS 2

enum {
    CSR_SSTATUS = 0x100,
    CSR_SIE = 0x104,
    CSR_STVEC = 0x105,
    CSR_SEPC = 0x141,
    CSR_SIP = 0x144,
    CSR_STIMECMP = 0x14d,
    CSR_SATP = 0x180,
    CSR_MSTATUS = 0x300,
    CSR_MEDELEG = 0x302,
    CSR_MIDELEG = 0x303,
    CSR_MIE = 0x304,
    CSR_MTVEC = 0x305,
    CSR_MENVCFG = 0x30a,
    CSR_MEPC = 0x341,
    CSR_MIP = 0x344,
    CSR_PMPCFG0 = 0x3a0,
    CSR_PMPADDR0 = 0x3b0,
    CSR_MINSTRET = 0xb02,
    CSR_CYCLE = 0xc00,
    CSR_TIME = 0xc01,
};

static TestHart *h;
static RiscvCpu *cpu;
static TbCache *cache;

/* xorshift64*: every run of a seed is the same run. */
static uint64_t rng_state;

static uint64_t rng(void)
{
    return xorshift64star(&rng_state);
}

static unsigned rnd(unsigned n)
{
    return (unsigned)(rng() % n);
}

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
    log_mask = 0;
    h = test_hart_new();
    cpu = h->cpu;
    cache = malloc(sizeof(*cache));
    ck_assert_ptr_nonnull(cache);
    ck_assert(tb_cache_init(cache, &h->as, arena_size));
    tb_cache_add_cpu(cache, cpu);
    h->as.flagged_write = invalidate_code;
    h->as.flagged_write_opaque = cache;
}

static void setup(void)
{
    setup_with_arena(1u << 20);
}

static void teardown(void)
{
    tb_cache_destroy(cache);
    free(cache);
    test_hart_free(h);
}

/* cpu_exec has no way out but its budget, WFI and exit_request; a run
 * that never returns would hang the whole machine, so a watchdog turns it
 * into a test failure instead of a timeout. */
static RiscvCpu *volatile watched_cpu;
static volatile sig_atomic_t watchdog_fired;

static void watchdog(int sig)
{
    (void)sig;
    watchdog_fired = 1;
    if (watched_cpu)
        watched_cpu->exit_request = true;
}

/* Runs the hart; false if the watchdog had to stop it. */
static bool run(uint64_t max_insns)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = watchdog;
    sigaction(SIGALRM, &sa, NULL);
    watchdog_fired = 0;
    watched_cpu = cpu;
    struct itimerval arm = {.it_value = {.tv_sec = WATCHDOG_SECONDS}};
    setitimer(ITIMER_REAL, &arm, NULL);
    cpu_exec(cpu, max_insns);
    struct itimerval disarm;
    memset(&disarm, 0, sizeof(disarm));
    setitimer(ITIMER_REAL, &disarm, NULL);
    watched_cpu = NULL;
    cpu->exit_request = false;
    return !watchdog_fired;
}

/* ---- Instruction encoders (unprivileged spec chapter 2 formats) ---- */

static uint32_t enc_r(uint32_t opcode, uint32_t rd, uint32_t f3, uint32_t rs1, uint32_t rs2,
                      uint32_t f7)
{
    return opcode | (rd << 7) | (f3 << 12) | (rs1 << 15) | (rs2 << 20) | (f7 << 25);
}

static uint32_t enc_i(uint32_t opcode, uint32_t rd, uint32_t f3, uint32_t rs1, int32_t imm)
{
    return opcode | (rd << 7) | (f3 << 12) | (rs1 << 15) | ((uint32_t)imm << 20);
}

static uint32_t enc_s(uint32_t f3, uint32_t rs1, uint32_t rs2, int32_t imm)
{
    uint32_t u = (uint32_t)imm;
    return 0x23 | ((u & 0x1f) << 7) | (f3 << 12) | (rs1 << 15) | (rs2 << 20) |
           (((u >> 5) & 0x7f) << 25);
}

static uint32_t enc_b(uint32_t f3, uint32_t rs1, uint32_t rs2, int32_t imm)
{
    uint32_t u = (uint32_t)imm;
    return 0x63 | (((u >> 11) & 1) << 7) | (((u >> 1) & 0xf) << 8) | (f3 << 12) | (rs1 << 15) |
           (rs2 << 20) | (((u >> 5) & 0x3f) << 25) | (((u >> 12) & 1) << 31);
}

static uint32_t enc_j(uint32_t rd, int32_t imm)
{
    uint32_t u = (uint32_t)imm;
    return 0x6f | (rd << 7) | (((u >> 12) & 0xff) << 12) | (((u >> 11) & 1) << 20) |
           (((u >> 1) & 0x3ff) << 21) | (((u >> 20) & 1) << 31);
}

#define OPC_LOAD 0x03
#define OPC_OP_IMM 0x13
#define OPC_OP_IMM_32 0x1b
#define OPC_OP 0x33
#define OPC_LUI 0x37
#define OPC_AMO 0x2f
#define OPC_SYSTEM 0x73
#define OPC_JALR 0x67

/* ---- The code generator ---- */

typedef struct Emitter {
    uint32_t *words;
    unsigned n, cap;
} Emitter;

static void emit(Emitter *e, uint32_t word)
{
    if (e->n < e->cap)
        e->words[e->n++] = word;
}

static uint32_t random_reg(void)
{
    return 1 + rnd(31);
}

/* rd = addr, a 32-bit physical address: lui and addiw build it sign-extended
 * (RV64 li), the shifts clear the upper half again. */
static void emit_load_address(Emitter *e, uint32_t rd, uint64_t addr)
{
    uint32_t a = (uint32_t)addr;
    int32_t low = (int32_t)(a << 20) >> 20;
    emit(e, OPC_LUI | (rd << 7) | ((a - (uint32_t)low) & 0xfffff000u));
    emit(e, enc_i(OPC_OP_IMM_32, rd, 0, rd, low)); /* addiw rd, rd, low */
    emit(e, enc_i(OPC_OP_IMM, rd, 1, rd, 32));     /* slli rd, rd, 32 */
    emit(e, enc_i(OPC_OP_IMM, rd, 5, rd, 32));     /* srli rd, rd, 32 */
}

/* An address loads, stores and AMOs aim at: mostly data, often the code
 * itself (self-modifying code), sometimes the page tables or past RAM. */
static uint64_t random_target(void)
{
    switch (rnd(10)) {
    case 0:
    case 1:
    case 2:
        return CODE_BASE + rnd(CODE_SIZE);
    case 3:
        return PT_BASE + rnd(PT_PAGES * PAGE_SIZE);
    case 4:
        return TEST_RAM_BASE + TEST_RAM_SIZE - 8 + rnd(16); /* the end of RAM */
    default:
        return DATA_BASE + rnd(DATA_SIZE);
    }
}

static uint64_t random_aligned_target(unsigned size)
{
    uint64_t addr = random_target();
    return rnd(8) ? addr & ~(uint64_t)(size - 1) : addr;
}

static const unsigned interesting_csrs[] = {
    CSR_SSTATUS, CSR_SIE,     CSR_STVEC,    CSR_SEPC,     CSR_SIP,   CSR_STIMECMP, CSR_SATP,
    CSR_MSTATUS, CSR_MEDELEG, CSR_MIDELEG,  CSR_MIE,      CSR_MTVEC, CSR_MENVCFG,  CSR_MEPC,
    CSR_MIP,     CSR_PMPCFG0, CSR_PMPADDR0, CSR_MINSTRET, CSR_CYCLE, CSR_TIME,
};

static unsigned random_csr(void)
{
    if (rnd(2))
        return rnd(4096);
    return interesting_csrs[rnd(sizeof(interesting_csrs) / sizeof(interesting_csrs[0]))];
}

static void emit_memory_access(Emitter *e)
{
    uint32_t base = random_reg();
    unsigned size = 1u << rnd(4);
    uint64_t addr = random_aligned_target(size);
    int32_t imm = (int32_t)rnd(4096) - 2048;
    emit_load_address(e, base, addr - (uint64_t)(int64_t)imm);
    if (rnd(2)) {
        static const uint32_t load_f3[4][2] = {{0, 4}, {1, 5}, {2, 6}, {3, 3}};
        uint32_t f3 = load_f3[rnd(4)][rnd(2)];
        emit(e, enc_i(OPC_LOAD, random_reg(), f3, base, imm));
    } else {
        emit(e, enc_s(rnd(4), base, random_reg(), imm));
    }
}

static void emit_amo(Emitter *e)
{
    static const uint32_t funct5[] = {0x00, 0x01, 0x02, 0x03, 0x04, 0x08,
                                      0x0c, 0x10, 0x14, 0x18, 0x1c};
    uint32_t base = random_reg();
    bool dword = rnd(2);
    emit_load_address(e, base, random_aligned_target(dword ? 8 : 4));
    uint32_t f5 = funct5[rnd(sizeof(funct5) / sizeof(funct5[0]))];
    uint32_t rs2 = f5 == 0x02 ? 0 : random_reg();
    emit(e, enc_r(OPC_AMO, random_reg(), dword ? 3 : 2, base, rs2, (f5 << 2) | rnd(4)));
}

static void emit_csr(Emitter *e)
{
    static const uint32_t f3s[] = {1, 2, 3, 5, 6, 7};
    uint32_t rd = rnd(4) ? random_reg() : 0;
    uint32_t rs1 = rnd(4) ? random_reg() : 0;
    emit(e, enc_i(OPC_SYSTEM, rd, f3s[rnd(6)], rs1, (int32_t)random_csr()));
}

/* csrw csr, addr: trap vectors and xEPCs into the code, satp at the tables. */
static void emit_csr_write(Emitter *e, unsigned csr, uint64_t value_low32, uint64_t high)
{
    uint32_t r = random_reg();
    emit_load_address(e, r, value_low32);
    if (high) {
        uint32_t t = r == 31 ? 30 : r + 1;
        emit(e, enc_i(OPC_OP_IMM, t, 0, 0, (int32_t)high)); /* addi t, x0, high */
        emit(e, enc_i(OPC_OP_IMM, t, 1, t, 60));            /* slli t, t, 60 */
        emit(e, enc_r(OPC_OP, r, 6, r, t, 0));              /* or r, r, t */
    }
    emit(e, enc_i(OPC_SYSTEM, rnd(2) ? random_reg() : 0, 1, r, (int32_t)csr));
}

static uint64_t random_code_address(void)
{
    return CODE_BASE + (rnd(CODE_SIZE) & ~1u);
}

static void emit_satp(Emitter *e)
{
    static const uint64_t modes[] = {SATP_MODE_SV39, SATP_MODE_SV48, SATP_MODE_BARE, 5, 10};
    uint64_t ppn = (PT_BASE >> PAGE_SHIFT) + rnd(PT_PAGES);
    if (rnd(4) == 0)
        ppn = (TEST_RAM_BASE >> PAGE_SHIFT) + rnd(TEST_RAM_SIZE >> PAGE_SHIFT);
    /* A few ASIDs, so address spaces are switched back to with their
     * translations kept. */
    uint32_t r = random_reg(), t = r == 31 ? 30 : r + 1;
    emit_load_address(e, r, ppn);
    emit(e, enc_i(OPC_OP_IMM, t, 0, 0, (int32_t)modes[rnd(5)])); /* addi t, x0, mode */
    emit(e, enc_i(OPC_OP_IMM, t, 1, t, 16));                     /* slli t, t, 16 */
    emit(e, enc_i(OPC_OP_IMM, t, 6, t, (int32_t)rnd(4)));        /* ori t, t, asid */
    emit(e, enc_i(OPC_OP_IMM, t, 1, t, SATP_ASID_SHIFT));        /* slli t, t, 44 */
    emit(e, enc_r(OPC_OP, r, 6, r, t, 0));                       /* or r, r, t */
    emit(e, enc_i(OPC_SYSTEM, rnd(2) ? random_reg() : 0, 1, r, CSR_SATP));
    if (rnd(2))
        emit(e, enc_r(OPC_SYSTEM, 0, 0, 0, 0, 0x09)); /* sfence.vma */
}

static void emit_system(Emitter *e)
{
    static const uint32_t words[] = {
        0x00000073, /* ecall */
        0x00100073, /* ebreak */
        0x30200073, /* mret */
        0x10200073, /* sret */
        0x10500073, /* wfi */
        0x0000100f, /* fence.i */
        0x0ff0000f, /* fence */
    };
    if (rnd(8) == 0)
        emit(e, enc_r(OPC_SYSTEM, 0, 0, rnd(32), rnd(32), 0x09)); /* sfence.vma rs1, rs2 */
    else
        emit(e, words[rnd(sizeof(words) / sizeof(words[0]))]);
}

static void emit_control(Emitter *e)
{
    switch (rnd(4)) {
    case 0: {
        static const uint32_t f3s[] = {0, 1, 4, 5, 6, 7};
        emit(e, enc_b(f3s[rnd(6)], rnd(32), rnd(32), ((int32_t)rnd(256) - 128) & ~1));
        break;
    }
    case 1:
        emit(e, enc_j(rnd(32), ((int32_t)rnd(1024) - 512) & ~1));
        break;
    default: { /* jalr into the code, sometimes odd or misaligned */
        uint32_t r = random_reg();
        emit_load_address(e, r, random_code_address());
        emit(e, enc_i(OPC_JALR, rnd(32), 0, r, (int32_t)rnd(8) - 4));
        break;
    }
    }
}

static void generate_code(uint32_t *words, unsigned n)
{
    Emitter e = {words, 0, n};
    while (e.n < n) {
        unsigned pick = rnd(100);
        if (pick < 25)
            emit(&e, (uint32_t)rng());
        else if (pick < 35)
            emit(&e, (uint32_t)(rng() & 0xfffcfffc) | (rnd(3) << 16) | rnd(3)); /* 2x16-bit */
        else if (pick < 50)
            emit_memory_access(&e);
        else if (pick < 55)
            emit_amo(&e);
        else if (pick < 65)
            emit_csr(&e);
        else if (pick < 68)
            emit_csr_write(&e, rnd(2) ? CSR_MTVEC : CSR_STVEC, random_code_address() & ~3u, 0);
        else if (pick < 71)
            emit_csr_write(&e, rnd(2) ? CSR_MEPC : CSR_SEPC, random_code_address(), 0);
        else if (pick < 74)
            emit_satp(&e);
        else if (pick < 80)
            emit_system(&e);
        else if (pick < 90)
            emit_control(&e);
        else /* plain ALU work: op-imm and op with random fields */
            emit(&e, ((uint32_t)rng() & ~0x7fu) | (rnd(2) ? 0x13 : 0x33));
    }
}

/* ---- Random page tables ---- */

static uint64_t random_pte(unsigned index)
{
    uint64_t flags = rng() & 0xff;
    switch (rnd(8)) {
    case 0:
        return rng(); /* anything, reserved bits included */
    case 1:
        return 0;
    case 2:
    case 3: /* a pointer to another table */
        return (((PT_BASE >> PAGE_SHIFT) + rnd(PT_PAGES)) << 10) | PTE_V | (rnd(8) ? 0 : flags);
    default: {
        /* A leaf: the gigapage holding RAM at its identity address (VPN[2]
         * of 0x80000000 is 2), or a page in RAM. */
        uint64_t ppn = index == 2
                           ? TEST_RAM_BASE >> PAGE_SHIFT
                           : (TEST_RAM_BASE >> PAGE_SHIFT) + rnd(TEST_RAM_SIZE >> PAGE_SHIFT);
        uint64_t perms = rnd(4) ? (PTE_R | PTE_W | PTE_X | PTE_A | PTE_D) : flags & 0xfe;
        return (ppn << 10) | PTE_V | perms | (rnd(4) ? 0 : PTE_U);
    }
    }
}

static void randomise_pte(uint64_t table, unsigned index)
{
    test_write64(h, table + index * 8, random_pte(index));
}

static void build_page_tables(void)
{
    for (unsigned p = 0; p < PT_PAGES; p++) {
        uint64_t table = PT_BASE + p * PAGE_SIZE;
        for (unsigned i = 0; i < 512; i++)
            test_write64(h, table + i * 8, rnd(4) ? 0 : random_pte(i));
        /* Make walks reach RAM often: index 0 leads on (Sv48's top level),
         * index 2 maps RAM (Sv39's top level, Sv48's second). */
        randomise_pte(table, 0);
        randomise_pte(table, 2);
        randomise_pte(table, (CODE_BASE >> 12) & 0x1ff);
        randomise_pte(table, (CODE_BASE >> 21) & 0x1ff);
    }
}

/* ---- Trap handlers that make progress ---- */

/* Handlers inside the random code that step over the trapping instruction
 * (xepc += 4, xret), so runs get past faults instead of retrying one
 * instruction; random stores can still overwrite them. */
static uint64_t m_handler, s_handler;

static void write_handler(uint64_t addr, unsigned epc_csr, uint32_t xret)
{
    const uint32_t words[4] = {
        enc_i(OPC_SYSTEM, 31, 2, 0, (int32_t)epc_csr), /* csrr t6, xepc */
        enc_i(OPC_OP_IMM, 31, 0, 31, 4),               /* addi t6, t6, 4 */
        enc_i(OPC_SYSTEM, 0, 1, 31, (int32_t)epc_csr), /* csrw xepc, t6 */
        xret,
    };
    ck_assert(memory_load_image(&h->as, addr, words, sizeof(words)));
}

static void place_handlers(void)
{
    m_handler = CODE_BASE + (rnd(CODE_SIZE / 16) * 16);
    do {
        s_handler = CODE_BASE + (rnd(CODE_SIZE / 16) * 16);
    } while (s_handler == m_handler);
    write_handler(m_handler, CSR_MEPC, 0x30200073);
    write_handler(s_handler, CSR_SEPC, 0x10200073);
}

/* A trap vector: mostly a stepping handler, else anywhere in the code
 * (direct or vectored). */
static void random_trap_vectors(void)
{
    cpu->mtvec = rnd(4) ? m_handler : (random_code_address() & ~3ull) | rnd(2);
    cpu->stvec = rnd(4) ? s_handler : (random_code_address() & ~3ull) | rnd(2);
}

/* ---- Host-side pokes between runs: what the generated code rarely reaches ---- */

static void random_satp(void)
{
    static const uint64_t modes[] = {SATP_MODE_BARE, SATP_MODE_SV39, SATP_MODE_SV48};
    uint64_t ppn = (PT_BASE >> PAGE_SHIFT) + rnd(PT_PAGES);
    if (rnd(8) == 0)
        ppn = rng() & SATP_PPN_MASK; /* not RAM at all */
    uint64_t asid = rnd(2) ? rnd(4) : rng() & SATP_ASID_MASK;
    riscv_set_satp(cpu, (modes[rnd(3)] << SATP_MODE_SHIFT) | (asid << SATP_ASID_SHIFT) | ppn);
    if (rnd(2))
        riscv_flush_translation(cpu);
}

static void perturb(void)
{
    switch (rnd(10)) {
    case 0:
        random_satp();
        break;
    case 1: {
        static const enum privilege privs[] = {PRV_U, PRV_S, PRV_M};
        test_set_priv(h, privs[rnd(3)]);
        break;
    }
    case 2: {
        uint64_t bits = MSTATUS_MPRV | MSTATUS_SUM | MSTATUS_MXR | MSTATUS_TVM | MSTATUS_TW |
                        MSTATUS_TSR | MSTATUS_MIE | MSTATUS_SIE | MSTATUS_SPP;
        uint64_t set = rng() & bits;
        uint64_t mpp = (uint64_t)(rnd(2) ? PRV_S : rnd(2) ? PRV_U : PRV_M) << MSTATUS_MPP_SHIFT;
        test_set_mstatus(h, set | mpp, bits | MSTATUS_MPP);
        break;
    }
    case 3:
        random_trap_vectors();
        cpu->medeleg = rng();
        cpu->mideleg = rng() & MIP_S_MASK;
        break;
    case 4: /* interrupts: devices raise lines, the guest may have enabled them */
        riscv_set_irq_line(cpu, MIP_MTIP, rnd(2));
        riscv_set_irq_line(cpu, MIP_MSIP, rnd(2));
        riscv_set_irq_line(cpu, MIP_MEIP, rnd(2));
        riscv_set_irq_line(cpu, MIP_SEIP, rnd(2));
        cpu->mie = rng() & MIP_ALL;
        break;
    case 5:
        for (int i = 0; i < 16; i++)
            randomise_pte(PT_BASE + rnd(PT_PAGES) * PAGE_SIZE, rnd(512));
        break;
    case 6: { /* a PMP entry, often smaller than a page (uncached translations) */
        static const uint8_t modes[] = {PMPCFG_TOR, PMPCFG_NA4, PMPCFG_NAPOT};
        uint64_t addr = (random_target() >> 2) | (rnd(2) ? rng() & 0x3f : 0);
        test_set_pmp(h, (int)rnd(15), (uint8_t)(modes[rnd(3)] | (rng() & 7)), addr);
        break;
    }
    case 7:
        cpu->pc = random_code_address();
        break;
    default: /* fresh registers, many of them pointing into RAM */
        for (int r = 1; r < 32; r++)
            cpu->x[r] = rnd(2) ? rng() : random_target();
        break;
    }
}

/* ---- Invariants ---- */

/* Checked hundreds of thousands of times: check's assertions log every
 * pass, so test first and only fail through check. */
#define require(cond, ...)                                                                         \
    do {                                                                                           \
        if (!(cond))                                                                               \
            ck_abort_msg(__VA_ARGS__);                                                             \
    } while (0)

static uint8_t page_flags_of(uint64_t paddr)
{
    MemoryRegion *r = memory_find(&h->as, paddr);
    return r && r->page_flags ? r->page_flags[(paddr - r->base) >> PAGE_SHIFT] : 0;
}

/* A cached block must still be what memory holds: every store to code, by
 * any path, has to invalidate it. */
static void check_block(const TranslationBlock *tb, const char *where)
{
    require(tb->valid, "%s: invalid block 0x%llx still in the hash", where,
            (unsigned long long)tb->phys_pc);
    require(tb->n_insns >= 1 && tb->n_insns <= TB_MAX_INSNS && tb->n_ops <= tb->n_insns + 1,
            "%s: block 0x%llx has %u insns, %u ops", where, (unsigned long long)tb->phys_pc,
            tb->n_insns, tb->n_ops);
    require(page_flags_of(tb->phys_pc) & PAGE_HAS_CODE,
            "%s: block 0x%llx on a page not marked as code", where,
            (unsigned long long)tb->phys_pc);
    if (tb->phys_page2 != TB_ONE_PAGE) {
        /* One instruction across a page boundary: its halves on two pages,
         * both marked as code. */
        require(tb->n_insns == 1 && (tb->phys_pc & ~PAGE_MASK) == PAGE_SIZE - 2 &&
                    tb->ops[0].len == 4,
                "%s: block 0x%llx on two pages is not one straddling instruction", where,
                (unsigned long long)tb->phys_pc);
        require(page_flags_of(tb->phys_page2) & PAGE_HAS_CODE,
                "%s: second page 0x%llx of block 0x%llx not marked as code", where,
                (unsigned long long)tb->phys_page2, (unsigned long long)tb->phys_pc);
        const uint8_t *lo = memory_host_ptr(&h->as, tb->phys_pc, 2);
        const uint8_t *hi = memory_host_ptr(&h->as, tb->phys_page2, 2);
        require(lo && hi, "%s: block 0x%llx runs outside RAM", where,
                (unsigned long long)tb->phys_pc);
        uint16_t half[2];
        memcpy(&half[0], lo, 2);
        memcpy(&half[1], hi, 2);
        require(tb->ops[0].insn == (half[0] | (uint32_t)half[1] << 16),
                "%s: stale straddling block 0x%llx", where, (unsigned long long)tb->phys_pc);
    }
    for (uint32_t i = 0; i < tb->n_insns && tb->phys_page2 == TB_ONE_PAGE; i++) {
        const Op *op = &tb->ops[i];
        const uint8_t *host = memory_host_ptr(&h->as, tb->phys_pc + op->pc_off, op->len);
        require(host != NULL, "%s: block 0x%llx runs outside RAM", where,
                (unsigned long long)tb->phys_pc);
        require(((tb->phys_pc + op->pc_off + op->len - 1) & PAGE_MASK) == (tb->phys_pc & PAGE_MASK),
                "%s: cached block 0x%llx crosses a page", where, (unsigned long long)tb->phys_pc);
        uint32_t word = 0;
        memcpy(&word, host, op->len);
        require(word == op->insn, "%s: stale block 0x%llx: op %u is 0x%08x, memory holds 0x%08x",
                where, (unsigned long long)tb->phys_pc, i, op->insn, word);
    }
    for (int s = 0; s < 2; s++) {
        const TranslationBlock *next = tb->chain[s];
        if (!next)
            continue;
        /* tb.h: chains stay on one page, so invalidating it drops both ends. */
        require(next->phys_page2 == TB_ONE_PAGE, "%s: block 0x%llx chains to a straddling one",
                where, (unsigned long long)tb->phys_pc);
        require((next->phys_pc & PAGE_MASK) == (tb->phys_pc & PAGE_MASK),
                "%s: block 0x%llx chains to 0x%llx on another page", where,
                (unsigned long long)tb->phys_pc, (unsigned long long)next->phys_pc);
        require(next->valid, "%s: valid block 0x%llx chains to an invalid one", where,
                (unsigned long long)tb->phys_pc);
    }
}

/* No fast-path write entry may reach a page holding code: that store
 * would skip the invalidation. */
static void check_write_entries(TlbSet *set, void *where)
{
    for (unsigned i = 0; i < TLB_ENTRIES && set->used; i++) {
        const TlbEntry *e = &set->write[i];
        if (e->tag == TLB_INVALID_TAG || (e->tag & TLB_SLOW))
            continue;
        require(!(page_flags_of(e->phys) & PAGE_HAS_CODE),
                "%s: fast write entry for code page 0x%llx", (const char *)where,
                (unsigned long long)e->phys);
    }
}

static void check_invariants(const char *where)
{
    require(cpu->x[0] == 0, "%s: x0 = 0x%llx", where, (unsigned long long)cpu->x[0]);
    require(cpu->priv == PRV_U || cpu->priv == PRV_S || cpu->priv == PRV_M, "%s: priv %d", where,
            (int)cpu->priv);
    require((cpu->pc & 1) == 0, "%s: odd pc 0x%llx", where, (unsigned long long)cpu->pc);
    require(((cpu->mstatus & MSTATUS_MPP) >> MSTATUS_MPP_SHIFT) != 2, "%s: MPP = 2", where);
    require(!cpu->exit_request, "%s: exit_request set", where);

    /* The TLB sets and jump cache in use follow priv, MPRV, MPP and SUM. */
    static const enum mmu_mode modes[4] = {MMU_MODE_U, MMU_MODE_S, MMU_MODE_S, MMU_MODE_M};
    enum privilege data_priv = cpu->priv;
    if (cpu->priv == PRV_M && (cpu->mstatus & MSTATUS_MPRV))
        data_priv = (enum privilege)((cpu->mstatus & MSTATUS_MPP) >> MSTATUS_MPP_SHIFT);
    enum mmu_mode data_mode = modes[data_priv];
    if (data_mode == MMU_MODE_S && (cpu->mstatus & MSTATUS_SUM))
        data_mode = MMU_MODE_S_SUM;
    require(cpu->itlb == riscv_tlb_set(cpu, modes[cpu->priv]), "%s: fetch TLB of another mode",
            where);
    require(cpu->dtlb == riscv_tlb_set(cpu, data_mode), "%s: data TLB of another mode", where);
    require(cpu->jump_cache == &cpu->jump_caches[cpu->priv], "%s: jump cache of another mode",
            where);

    /* The address space in use is satp's; each kept one has a salt of its
     * own, which no entry of a later salt can match. */
    require(cpu->context->satp == cpu->satp, "%s: TLB context of another satp", where);
    require(cpu->jump_salt == (cpu->priv == PRV_M ? 0 : cpu->context->jump_salt),
            "%s: jump-cache salt of another address space", where);
    for (unsigned i = 0; i < TLB_CONTEXTS; i++) {
        uint64_t salt = cpu->contexts[i].jump_salt >> JUMP_SALT_SHIFT;
        require(salt >= 1 && salt < cpu->next_jump_salt, "%s: context %u has salt %llu", where, i,
                (unsigned long long)salt);
        for (unsigned j = 0; j < i; j++)
            require(cpu->contexts[j].jump_salt != cpu->contexts[i].jump_salt,
                    "%s: contexts %u and %u share a salt", where, j, i);
    }

    riscv_for_each_tlb_set(cpu, check_write_entries, (void *)where);

    require(cache->arena_used <= cache->arena_size, "%s: arena overrun", where);
    for (unsigned b = 0; b < (1u << TB_HASH_BITS); b++)
        for (const TranslationBlock *tb = cache->hash[b]; tb; tb = tb->hash_next)
            check_block(tb, where);

    /* A valid block the jump cache hands out is the one the cache holds
     * (not an invalidated copy, not recycled arena memory); a group holding
     * entries is marked used, or a flush would keep them. */
    for (int p = 0; p < 4; p++) {
        const JumpCache *jc = &cpu->jump_caches[p];
        for (unsigned i = 0; i < JUMP_CACHE_SIZE; i++) {
            const JumpCacheEntry *e = &jc->entries[i];
            if (e->tb && e->tb->valid)
                require(tb_lookup(cache, e->tb->phys_pc) == e->tb,
                        "%s: jump cache entry for 0x%llx holds a stale block", where,
                        (unsigned long long)e->vpc);
            uint64_t salt = ((e->vpc ^ (uint64_t)((int64_t)e->vpc >> 63)) >> JUMP_SALT_SHIFT) & 63;
            if (e->tb)
                require(salt < cpu->next_jump_salt,
                        "%s: jump cache entry for 0x%llx of a salt not given yet", where,
                        (unsigned long long)e->vpc);
            if (e->tb)
                require(jc->used & (1ull << (i / JUMP_CACHE_RUN_ENTRIES)),
                        "%s: jump cache entry for 0x%llx in a group not marked used", where,
                        (unsigned long long)e->vpc);
        }
    }
}

/* ---- The fuzz run ---- */

static void start_seed(uint64_t seed)
{
    rng_state = seed * 0x9e3779b97f4a7c15ull + 1;
    uint32_t *code = (uint32_t *)memory_host_ptr(&h->as, CODE_BASE, CODE_SIZE);
    ck_assert_ptr_nonnull(code);
    generate_code(code, CODE_SIZE / 4);
    uint8_t *data = memory_host_ptr(&h->as, DATA_BASE, DATA_SIZE);
    for (unsigned i = 0; i < DATA_SIZE; i++)
        data[i] = (uint8_t)rng();
    build_page_tables();
    test_pmp_allow_all(h);
    place_handlers();
    random_trap_vectors();
    cpu->mepc = random_code_address();
    cpu->sepc = random_code_address();
    cpu->pc = random_code_address();
    for (int r = 1; r < 32; r++)
        cpu->x[r] = rnd(2) ? rng() : random_target();
    random_satp();
}

static void fuzz_seed(uint64_t seed)
{
    start_seed(seed);
    char where[96];
    for (unsigned call = 0; call < INSNS_PER_SEED / INSNS_PER_CALL; call++) {
        snprintf(where, sizeof(where), "seed %llu, run %u", (unsigned long long)seed, call);
        uint64_t instret = cpu->instret;
        uint64_t pc = cpu->pc;
        ck_assert_msg(run(INSNS_PER_CALL),
                      "%s: cpu_exec(%u) did not return within %d s (entered at pc 0x%llx; now "
                      "pc 0x%llx, priv %d, mcause 0x%llx, mtvec 0x%llx, scause 0x%llx, "
                      "stvec 0x%llx; %llu instructions retired)",
                      where, INSNS_PER_CALL, WATCHDOG_SECONDS, (unsigned long long)pc,
                      (unsigned long long)cpu->pc, (int)cpu->priv, (unsigned long long)cpu->mcause,
                      (unsigned long long)cpu->mtvec, (unsigned long long)cpu->scause,
                      (unsigned long long)cpu->stvec, (unsigned long long)(cpu->instret - instret));
        check_invariants(where);
        cpu->wfi = false;
        /* Tight loops and trap storms would eat the budget: move on. */
        if (rnd(4))
            cpu->pc = random_code_address();
        if (rnd(2))
            perturb();
    }
}

START_TEST(test_random_code)
{
    fuzz_seed((uint64_t)_i);
}
END_TEST

START_TEST(test_random_code_tiny_arena)
{
    /* A cache that fills every few blocks: flushes happen mid-run. */
    fuzz_seed(1000 + (uint64_t)_i);
    ck_assert_uint_gt(cache->stats.flushes, 0);
}
END_TEST

static void setup_tiny(void)
{
    setup_with_arena(16u << 10);
}

/* ---- Trap storms: a handler that faults at once retires nothing ---- */

static void write_word(uint64_t paddr, uint32_t word)
{
    ck_assert(memory_load_image(&h->as, paddr, &word, 4));
}

START_TEST(test_trap_storm_illegal_handler_returns)
{
    /* mtvec points at an illegal instruction: each trap lands on the next. */
    write_word(CODE_BASE, 0x00000000);
    cpu->mtvec = CODE_BASE;
    cpu->pc = CODE_BASE;
    ck_assert_msg(run(1000),
                  "cpu_exec(1000) never returned from an illegal-instruction storm "
                  "(mcause %llu)",
                  (unsigned long long)cpu->mcause);
    ck_assert_uint_eq(cpu->mcause, EXC_ILLEGAL_INSN);
    ck_assert_uint_eq(cpu->pc, CODE_BASE);
}
END_TEST

START_TEST(test_trap_storm_unmapped_handler_returns)
{
    /* mtvec outside RAM: every fetch of the handler faults again. */
    cpu->mtvec = 0x1000;
    cpu->pc = 0x1000;
    ck_assert_msg(run(1000), "cpu_exec(1000) never returned from a fetch-fault storm (mcause %llu)",
                  (unsigned long long)cpu->mcause);
    ck_assert_uint_eq(cpu->mcause, EXC_INSN_ACCESS);
}
END_TEST

START_TEST(test_trap_storm_page_fault_returns)
{
    /* S-mode with stvec on an unmapped page: instruction page faults, all
     * delegated, forever. */
    pt_init(h, SATP_MODE_SV39);
    test_pmp_allow_all(h);
    cpu->medeleg = 1ull << EXC_INSN_PAGE_FAULT;
    cpu->stvec = 0x40000000;
    cpu->pc = 0x40000000;
    test_set_priv(h, PRV_S);
    ck_assert_msg(run(1000), "cpu_exec(1000) never returned from a page-fault storm (scause %llu)",
                  (unsigned long long)cpu->scause);
    ck_assert_uint_eq(cpu->scause, EXC_INSN_PAGE_FAULT);
    ck_assert_int_eq(cpu->priv, PRV_S);
}
END_TEST

START_TEST(test_busy_loop_returns)
{
    /* The reference: a loop that does retire instructions stops on budget. */
    write_word(CODE_BASE, 0x0000006f); /* j . */
    cpu->pc = CODE_BASE;
    ck_assert(run(100000));
    ck_assert_uint_ge(cpu->instret, 100000);
    check_invariants("busy loop");
}
END_TEST

/* ---- Translation corner cases met while writing this fuzzer ---- */

#define WFI 0x10500073u
#define VIRT_CODE 0x10000000ull /* an S-mode virtual page */

/* addi x5, x0, value */
static uint32_t set_x5(int32_t value)
{
    return enc_i(OPC_OP_IMM, 5, 0, 0, value);
}

START_TEST(test_fetch_from_page_partly_under_pmp)
{
    /* Priv spec 3.7.1: PMP decides per access, so an entry covering only
     * part of a page must not stop M-mode code elsewhere on that page. */
    write_word(CODE_BASE, set_x5(7));
    write_word(CODE_BASE + 4, WFI);
    write_word(DATA_BASE, WFI); /* the trap handler, on a page of its own */
    cpu->mtvec = DATA_BASE;
    test_set_pmp(h, 0, PMPCFG_NA4 | PMPCFG_R, (CODE_BASE + 0x800) >> 2);
    cpu->pc = CODE_BASE;
    ck_assert(run(100));
    ck_assert_msg(cpu->mcause == 0 && cpu->x[5] == 7,
                  "M-mode fetch from a page partly covered by PMP trapped with mcause %llu at "
                  "0x%llx",
                  (unsigned long long)cpu->mcause, (unsigned long long)cpu->mepc);
}
END_TEST

/* Runs S-mode code at va until its wfi. */
static void run_s_mode_at(uint64_t va)
{
    cpu->wfi = false;
    cpu->pc = va;
    ck_assert(run(100));
    ck_assert_msg(cpu->wfi, "no wfi reached from 0x%llx (pc 0x%llx, scause %llu, mcause %llu)",
                  (unsigned long long)va, (unsigned long long)cpu->pc,
                  (unsigned long long)cpu->scause, (unsigned long long)cpu->mcause);
}

START_TEST(test_remapped_code_after_sfence)
{
    /* A page is remapped without sfence.vma (allowed: either translation
     * may be used until the fence), then fenced. After sfence.vma the new
     * mapping must be used (priv spec 4.2.1), however the jump cache and
     * block chains were built in between. */
    const uint64_t old_page = CODE_BASE, new_page = CODE_BASE + PAGE_SIZE;
    const uint64_t evictor = CODE_BASE + 2 * PAGE_SIZE;
    const uint64_t evictor_va = VIRT_CODE + TLB_ENTRIES * PAGE_SIZE; /* same TLB slot */
    write_word(old_page + 0x100, set_x5(1));
    write_word(old_page + 0x104, WFI);
    write_word(new_page + 0x000, enc_j(0, 0x100)); /* j .+0x100 */
    write_word(new_page + 0x100, set_x5(2));
    write_word(new_page + 0x104, WFI);
    write_word(evictor, WFI);
    write_word(evictor + 8, enc_r(OPC_SYSTEM, 0, 0, 0, 0, 0x09)); /* sfence.vma */
    write_word(evictor + 12, WFI);

    pt_init(h, SATP_MODE_SV39);
    test_pmp_allow_all(h);
    const uint64_t rwx = PTE_V | PTE_R | PTE_W | PTE_X | PTE_A | PTE_D;
    uint64_t pte = pt_map(h, VIRT_CODE, old_page, rwx, 0);
    pt_map(h, evictor_va, evictor, rwx, 0);
    test_set_priv(h, PRV_S);

    run_s_mode_at(VIRT_CODE + 0x100); /* jump-caches the old block */
    ck_assert_uint_eq(cpu->x[5], 1);
    /* The guest rewrites the PTE, and a fetch elsewhere evicts the stale
     * TLB entry, so the next fetch from the page walks again. */
    test_write64(h, pte, ((new_page >> PAGE_SHIFT) << 10) | rwx);
    run_s_mode_at(evictor_va);
    run_s_mode_at(VIRT_CODE); /* new page, jumping into the old block */

    run_s_mode_at(evictor_va + 8); /* the guest fences */
    cpu->x[5] = 0;
    run_s_mode_at(VIRT_CODE);
    ck_assert_msg(cpu->x[5] == 2,
                  "after sfence.vma the code of the old mapping ran (x5 = %llu): a block "
                  "chain crosses physical pages",
                  (unsigned long long)cpu->x[5]);
    check_invariants("remapped code");
}
END_TEST

START_TEST(test_straddling_instruction_cached_and_remapped)
{
    /* addi x5, x0, n across a page boundary: its high half (the
     * immediate) on the next virtual page, which maps to P1 and then P2.
     * The block is cached with both pages; a fence of the second page
     * alone must bring the new half in, and a write to the second page
     * must drop the block. */
    const uint64_t p0 = CODE_BASE, p1 = CODE_BASE + PAGE_SIZE, p2 = CODE_BASE + 2 * PAGE_SIZE;
    const uint64_t va = VIRT_CODE + PAGE_SIZE - 2, va2 = VIRT_CODE + PAGE_SIZE;
    write_word(p0 + PAGE_SIZE - 2, set_x5(1)); /* into p1's first halfword */
    write_word(p1 + 2, WFI);
    uint16_t high = (uint16_t)(set_x5(2) >> 16);
    ck_assert(memory_load_image(&h->as, p2, &high, 2));
    write_word(p2 + 2, WFI);

    pt_init(h, SATP_MODE_SV39);
    test_pmp_allow_all(h);
    const uint64_t rwx = PTE_V | PTE_R | PTE_W | PTE_X | PTE_A | PTE_D;
    pt_map(h, VIRT_CODE, p0, rwx, 0);
    uint64_t pte = pt_map(h, va2, p1, rwx, 0);
    test_set_priv(h, PRV_S);

    run_s_mode_at(va);
    ck_assert_uint_eq(cpu->x[5], 1);
    TranslationBlock *tb = tb_find(cache, p0 + PAGE_SIZE - 2, p1);
    ck_assert_msg(tb && tb->valid, "the straddling instruction was not cached");
    uint64_t hits = cpu->stats.jump_cache_hits + cpu->stats.block_cache_hits;
    run_s_mode_at(va);
    ck_assert_uint_eq(cpu->x[5], 1);
    ck_assert_uint_gt(cpu->stats.jump_cache_hits + cpu->stats.block_cache_hits, hits);

    /* The second page remapped and fenced (the first page is not). */
    test_write64(h, pte, ((p2 >> PAGE_SHIFT) << 10) | rwx);
    riscv_sfence_vma(cpu, &va2, NULL);
    run_s_mode_at(va);
    ck_assert_msg(cpu->x[5] == 2, "after the second page's sfence.vma the old half ran (x5 = %llu)",
                  (unsigned long long)cpu->x[5]);

    /* Code written on the second page drops the block that ends there. */
    TranslationBlock *now = tb_find(cache, p0 + PAGE_SIZE - 2, p2);
    ck_assert_ptr_nonnull(now);
    tb_invalidate_page(cache, p2);
    ck_assert(!now->valid);
    ck_assert_ptr_null(tb_find(cache, p0 + PAGE_SIZE - 2, p2));
    check_invariants("straddling instruction");
}
END_TEST

static Suite *exec_fuzz_suite(void)
{
    Suite *s = suite_create("exec_fuzz");

    TCase *storms = tcase_create("trap_storm");
    tcase_add_checked_fixture(storms, setup, teardown);
    tcase_set_timeout(storms, 4 * WATCHDOG_SECONDS);
    tcase_add_test(storms, test_busy_loop_returns);
    tcase_add_test(storms, test_trap_storm_illegal_handler_returns);
    tcase_add_test(storms, test_trap_storm_unmapped_handler_returns);
    tcase_add_test(storms, test_trap_storm_page_fault_returns);
    suite_add_tcase(s, storms);

    TCase *found = tcase_create("translation");
    tcase_add_checked_fixture(found, setup, teardown);
    tcase_set_timeout(found, 4 * WATCHDOG_SECONDS);
    tcase_add_test(found, test_fetch_from_page_partly_under_pmp);
    tcase_add_test(found, test_remapped_code_after_sfence);
    tcase_add_test(found, test_straddling_instruction_cached_and_remapped);
    suite_add_tcase(s, found);

    TCase *fuzz = tcase_create("random_code");
    tcase_add_checked_fixture(fuzz, setup, teardown);
    tcase_set_timeout(fuzz, 120);
    tcase_add_loop_test(fuzz, test_random_code, 1, 1 + N_SEEDS);
    suite_add_tcase(s, fuzz);

    TCase *tiny = tcase_create("random_code_tiny_arena");
    tcase_add_checked_fixture(tiny, setup_tiny, teardown);
    tcase_set_timeout(tiny, 120);
    tcase_add_loop_test(tiny, test_random_code_tiny_arena, 0, N_SEEDS_TINY);
    suite_add_tcase(s, tiny);
    return s;
}

int main(void)
{
    return run_suite(exec_fuzz_suite());
}
