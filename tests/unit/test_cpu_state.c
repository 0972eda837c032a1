/* tests/unit/test_cpu_state.c: the hart's state table (cpu/riscv/cpu_state.c).
 * A round trip of random state is exact once loaded; a hart saved
 * mid-program and loaded into a fresh one runs on exactly as the saved one
 * does; a stream's illegal values come out as a csrw would leave them; a bad
 * stream leaves the hart untouched; a load drops every cached translation. */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "cpu/exec.h"
#include "cpu/riscv/csr.h"
#include "cpu/riscv/fpu.h"
#include "cpu/tb.h"
#include "tests/unit/harness.h"
#include "tests/xorshift.h"

/* Registers by ABI name. */
enum { A0 = 10, A1, A2, A3, A4, A5, A6, A7, S2, S3, S4, S5 };

#define CODE_VA 0x40000000ull
#define CODE_PA (TEST_RAM_BASE + 0x100000)
#define DATA_VA 0x40001000ull
#define DATA_PA (TEST_RAM_BASE + 0x200000)
#define HANDLER_OFF 0x200

/* A hart with a translation cache, so it can run code. */
typedef struct Runner {
    TestHart *h;
    TbCache *cache;
} Runner;

static Runner runner_new(void)
{
    Runner r = {.h = test_hart_new(), .cache = malloc(sizeof(TbCache))};
    ck_assert_ptr_nonnull(r.cache);
    ck_assert(tb_cache_init(r.cache, &r.h->as, 1u << 20));
    tb_cache_add_cpu(r.cache, r.h->cpu);
    return r;
}

static void runner_free(Runner *r)
{
    tb_cache_destroy(r->cache);
    free(r->cache);
    test_hart_free(r->h);
}

static StateBuffer save(RiscvCpu *cpu)
{
    StateBuffer buf = {0};
    state_save(&buf, &riscv_cpu_state, cpu);
    ck_assert(!buf.failed);
    return buf;
}

static void load(RiscvCpu *cpu, const StateBuffer *buf)
{
    char err[256];
    size_t pos = 0;
    ck_assert_msg(state_load(buf->data, buf->len, &pos, &riscv_cpu_state, cpu, err, sizeof(err)),
                  "%s", err);
    ck_assert_uint_eq(pos, buf->len);
}

static void assert_same_stream(const StateBuffer *a, const StateBuffer *b, const char *what)
{
    ck_assert_uint_eq(a->len, b->len);
    for (size_t i = 0; i < a->len; i++)
        ck_assert_msg(a->data[i] == b->data[i], "%s: the streams differ at byte %zu", what, i);
}

/* What every load must leave: a privilege the interpreter knows, and the
 * TLB sets and jump cache that privilege and mstatus select. */
static void assert_consistent(RiscvCpu *cpu)
{
    ck_assert(cpu->priv == PRV_U || cpu->priv == PRV_S || cpu->priv == PRV_M);
    TlbSet *dtlb = cpu->dtlb, *itlb = cpu->itlb;
    JumpCache *jc = cpu->jump_cache;
    riscv_update_mmu_mode(cpu);
    ck_assert_ptr_eq(dtlb, cpu->dtlb);
    ck_assert_ptr_eq(itlb, cpu->itlb);
    ck_assert_ptr_eq(jc, cpu->jump_cache);
    ck_assert_uint_eq(cpu->x[0], 0);
    ck_assert_uint_eq(cpu->pc & 1, 0);
}

/* Random values in every state field (booleans 0 or 1), in embedded
 * structs too (the PMU). */
static void randomize_fields(uint8_t *object, const StateField *fields, uint64_t *rng)
{
    for (const StateField *f = fields; f->name; f++) {
        for (size_t i = 0; i < f->count; i++) {
            uint8_t *elem = object + f->offset + i * f->size;
            if (f->kind == FIELD_STRUCT) {
                randomize_fields(elem, f->sub->fields, rng);
                continue;
            }
            if (f->kind == FIELD_BOOL) {
                *(bool *)elem = xorshift64star(rng) & 1;
                continue;
            }
            for (size_t b = 0; b < f->size; b++)
                elem[b] = (uint8_t)xorshift64star(rng);
        }
    }
}

static void randomize(RiscvCpu *cpu, uint64_t *rng)
{
    randomize_fields((uint8_t *)cpu, riscv_cpu_state.fields, rng);
}

#define N_CSRS 4096

/* Every CSR as the guest reads it (a marker for those that do not exist). */
static void read_csrs(RiscvCpu *cpu, uint64_t *values)
{
    for (unsigned csr = 0; csr < N_CSRS; csr++)
        if (!riscv_csr_read(cpu, csr, &values[csr]))
            values[csr] = 0xbadc5bad;
}

START_TEST(test_random_round_trip)
{
    Runner r = runner_new();
    RiscvCpu *cpu = r.h->cpu;
    uint64_t rng = 0xc0ffee00u + (uint64_t)_i;
    /* Through the CSR file too, so that a CSR the table leaves out shows. */
    for (unsigned csr = 0; csr < N_CSRS; csr++)
        riscv_csr_write(cpu, csr, xorshift64star(&rng));
    randomize(cpu, &rng);
    /* The first load makes the random values legal; from then on a round
     * trip through a reset hart is exact. */
    StateBuffer first = save(cpu);
    load(cpu, &first);
    assert_consistent(cpu);
    uint64_t *before = malloc(2 * N_CSRS * sizeof(uint64_t));
    ck_assert_ptr_nonnull(before);
    uint64_t *after = before + N_CSRS;
    read_csrs(cpu, before);
    StateBuffer a = save(cpu);
    riscv_cpu_reset(cpu, TEST_RAM_BASE);
    load(cpu, &a);
    read_csrs(cpu, after);
    for (unsigned csr = 0; csr < N_CSRS; csr++)
        ck_assert_msg(before[csr] == after[csr], "csr 0x%x: 0x%llx before, 0x%llx after", csr,
                      (unsigned long long)before[csr], (unsigned long long)after[csr]);
    free(before);
    StateBuffer b = save(cpu);
    assert_same_stream(&a, &b, "random state");
    /* Whatever the stream held, the interpreter can run on from it. */
    cpu_exec(cpu, 200);
    assert_consistent(cpu);
    state_buffer_free(&first);
    state_buffer_free(&a);
    state_buffer_free(&b);
    runner_free(&r);
}
END_TEST

/* Instruction encodings (unpriv spec chapter 34). */
static uint32_t enc_i(uint32_t opcode, unsigned rd, unsigned funct3, unsigned rs1, int32_t imm)
{
    return ((uint32_t)imm << 20) | (rs1 << 15) | (funct3 << 12) | (rd << 7) | opcode;
}

static uint32_t enc_amo_d(unsigned funct5, unsigned rd, unsigned rs1, unsigned rs2)
{
    return (funct5 << 27) | (rs2 << 20) | (rs1 << 15) | (3u << 12) | (rd << 7) | 0x2f;
}

static uint32_t csrr(unsigned rd, unsigned csr)
{
    return enc_i(0x73, rd, 2, 0, (int32_t)csr); /* csrrs rd, csr, zero */
}

#define WFI 0x10500073u
#define LR_D(rd, rs1) enc_amo_d(0x02, rd, rs1, 0)
#define SC_D(rd, rs2, rs1) enc_amo_d(0x03, rd, rs1, rs2)
#define ADDI(rd, rs1, imm) enc_i(0x13, rd, 0, rs1, imm)
#define LD(rd, rs1, imm) enc_i(0x03, rd, 3, rs1, imm)
#define CSRSI(csr, uimm) enc_i(0x73, 0, 6, uimm, csr)
#define CSRW_ZERO(csr) enc_i(0x73, 0, 1, 0, csr)
/* fadd.d rd, rs1, rs2 with the dynamic rounding mode */
#define FADD_D(rd, rs1, rs2)                                                                       \
    ((1u << 25) | ((rs2) << 20) | ((rs1) << 15) | (7u << 12) | ((rd) << 7) | 0x53)

static void write_code(TestHart *h, uint64_t pa, const uint32_t *code, size_t n)
{
    for (size_t i = 0; i < n; i++)
        ck_assert(memory_write(&h->as, pa + 4 * i, 4, code[i]));
}

/* S-mode under Sv39 with SUM, FS Initial and frm RUP, a minstret the guest
 * wrote, SSIP pending but not enabled, SEIE enabled with SIE clear, and
 * PMP that lets S reach memory. The program takes a reservation and stops
 * in WFI; a rising external line then wakes it, it completes the SC, reads
 * counters, CSRs and FP state, enables SIE and takes the interrupt. */
static void prepare_mid_program(TestHart *h)
{
    const uint32_t before_save[] = {
        LR_D(A1, A0),
        ADDI(A2, A1, 1),
        WFI,
    };
    const uint32_t after_wake[] = {
        SC_D(A3, A2, A0),
        LD(A4, A0, 0),
        csrr(A5, CSR_INSTRET),
        csrr(A6, CSR_SIP),
        csrr(A7, CSR_SSCRATCH),
        FADD_D(3, 1, 2),
        csrr(S2, CSR_FFLAGS),
        csrr(S3, CSR_SSTATUS),
        CSRSI(CSR_SSTATUS, 2), /* SIE: the pending SEI is taken */
        WFI,                   /* not reached */
    };
    const uint32_t handler[] = {
        csrr(S4, CSR_SCAUSE),
        csrr(S5, CSR_SEPC),
        CSRW_ZERO(CSR_SIE), /* nothing enabled: the WFI below stops */
        WFI,
    };
    write_code(h, CODE_PA, before_save, 3);
    write_code(h, CODE_PA + 12, after_wake, sizeof(after_wake) / sizeof(after_wake[0]));
    write_code(h, CODE_PA + HANDLER_OFF, handler, sizeof(handler) / sizeof(handler[0]));
    test_write64(h, DATA_PA, 41);

    RiscvCpu *cpu = h->cpu;
    pt_init(h, SATP_MODE_SV39);
    pt_map(h, CODE_VA, CODE_PA, PTE_V | PTE_R | PTE_X | PTE_A, 0);
    pt_map(h, DATA_VA, DATA_PA, PTE_V | PTE_R | PTE_W | PTE_A | PTE_D, 0);
    cpu->satp |= 0x5ull << SATP_ASID_SHIFT;
    test_pmp_allow_all(h);
    ck_assert(riscv_csr_write(cpu, CSR_MINSTRET, 1000000));
    ck_assert(riscv_csr_write(cpu, CSR_MCYCLE, 7777777));
    ck_assert(riscv_csr_write(cpu, CSR_MCOUNTEREN, 7));
    ck_assert(riscv_csr_write(cpu, CSR_MIDELEG, MIP_S_MASK));
    ck_assert(riscv_csr_write(cpu, CSR_MIE, MIP_SEIP));
    ck_assert(riscv_csr_write(cpu, CSR_STVEC, CODE_VA + HANDLER_OFF));
    ck_assert(riscv_csr_write(cpu, CSR_SSCRATCH, 0x5c5c5c));
    ck_assert(riscv_csr_write(cpu, CSR_FFLAGS, 0));
    cpu->frm = FRM_RUP;
    cpu->mip |= MIP_SSIP;
    cpu->f[1] = 0x3ff0000000000000ull; /* 1.0 */
    cpu->f[2] = 0x3c00000000000000ull; /* 2^-63: 1.0 + it rounds up under RUP */
    cpu->x[A0] = DATA_VA;
    /* FS Initial (the FP ops make it Dirty), SUM: S data accesses take
     * their own TLB set. */
    test_set_mstatus(h, (1ull << 13) | MSTATUS_SUM, MSTATUS_FS | MSTATUS_SIE);
    test_set_priv(h, PRV_S);
    cpu->pc = CODE_VA;
}

START_TEST(test_mid_program_continues)
{
    Runner a = runner_new(), b = runner_new();
    prepare_mid_program(a.h);
    cpu_exec(a.h->cpu, 100);
    ck_assert_msg(a.h->cpu->wfi && a.h->cpu->pc == CODE_VA + 12,
                  "the program did not stop in its first WFI (pc 0x%llx, scause %llu)",
                  (unsigned long long)a.h->cpu->pc, (unsigned long long)a.h->cpu->scause);
    ck_assert(a.h->cpu->reservation_valid);

    /* The machine restores RAM (code, data, page tables) with the hart. */
    memcpy(memory_host_ptr(&b.h->as, TEST_RAM_BASE, TEST_RAM_SIZE),
           memory_host_ptr(&a.h->as, TEST_RAM_BASE, TEST_RAM_SIZE), TEST_RAM_SIZE);
    StateBuffer saved = save(a.h->cpu);
    load(b.h->cpu, &saved);
    RiscvCpu *cpus[2] = {a.h->cpu, b.h->cpu};
    /* The fresh hart has retired nothing, yet reads the saved counters. */
    ck_assert_uint_ne(b.h->cpu->instret, a.h->cpu->instret);
    ck_assert_uint_eq(riscv_minstret(b.h->cpu), riscv_minstret(a.h->cpu));
    ck_assert_uint_eq(riscv_mcycle(b.h->cpu), riscv_mcycle(a.h->cpu));
    ck_assert_ptr_eq(b.h->cpu->dtlb, riscv_tlb_set(b.h->cpu, MMU_MODE_S_SUM));
    ck_assert_ptr_eq(b.h->cpu->itlb, riscv_tlb_set(b.h->cpu, MMU_MODE_S));
    ck_assert_uint_eq(b.h->cpu->context->satp, b.h->cpu->satp);
    ck_assert_ptr_eq(b.h->cpu->jump_cache, &b.h->cpu->jump_caches[PRV_S]);

    for (int i = 0; i < 2; i++) {
        /* Still waiting: nothing enabled is pending. */
        cpu_exec(cpus[i], 100);
        ck_assert_msg(cpus[i]->wfi && cpus[i]->pc == CODE_VA + 12, "hart %d left its WFI", i);
        riscv_set_irq_line(cpus[i], MIP_SEIP, true);
        cpu_exec(cpus[i], 100);
    }
    RiscvCpu *cpu = a.h->cpu;
    ck_assert_msg(cpu->wfi && cpu->pc == CODE_VA + HANDLER_OFF + 16,
                  "the program did not end in its handler (pc 0x%llx)",
                  (unsigned long long)cpu->pc);
    ck_assert_uint_eq(cpu->x[A3], 0); /* the SC succeeded */
    ck_assert_uint_eq(cpu->x[A4], 42);
    /* minstret was written 1000000 a few instructions before. */
    ck_assert_uint_ge(cpu->x[A5], 1000000);
    ck_assert_uint_lt(cpu->x[A5], 1000000 + 8);
    ck_assert_uint_eq(cpu->x[A6], MIP_SSIP | MIP_SEIP);
    ck_assert_uint_eq(cpu->x[A7], 0x5c5c5c);
    ck_assert_uint_eq(cpu->f[3], 0x3ff0000000000001ull);
    ck_assert_uint_eq(cpu->x[S2], FFLAG_NX);
    ck_assert_uint_eq(cpu->x[S3] & MSTATUS_FS, MSTATUS_FS);
    ck_assert_uint_eq(cpu->x[S4], (1ull << 63) | IRQ_S_EXT);
    ck_assert_uint_eq(cpu->x[S5], CODE_VA + 12 + 9 * 4);

    /* Both harts are now in the same state, field by field. */
    for (int i = 0; i < 32; i++)
        ck_assert_msg(a.h->cpu->x[i] == b.h->cpu->x[i], "x%d differs", i);
    StateBuffer end_a = save(a.h->cpu), end_b = save(b.h->cpu);
    assert_same_stream(&end_a, &end_b, "after running on");
    state_buffer_free(&saved);
    state_buffer_free(&end_a);
    state_buffer_free(&end_b);
    runner_free(&a);
    runner_free(&b);
}
END_TEST

/* The hart's value of a CSR whose stored value a stream set to value. */
typedef struct WarlCsr {
    unsigned csr;
    size_t offset; /* of the member; SIZE_MAX: pmpcfg0/2, 8 entries */
} WarlCsr;

static const WarlCsr warl_csrs[] = {
    {CSR_MSTATUS, offsetof(RiscvCpu, mstatus)},
    {CSR_SATP, offsetof(RiscvCpu, satp)},
    {CSR_MEDELEG, offsetof(RiscvCpu, medeleg)},
    {CSR_MIDELEG, offsetof(RiscvCpu, mideleg)},
    {CSR_MIE, offsetof(RiscvCpu, mie)},
    {CSR_MTVEC, offsetof(RiscvCpu, mtvec)},
    {CSR_STVEC, offsetof(RiscvCpu, stvec)},
    {CSR_MEPC, offsetof(RiscvCpu, mepc)},
    {CSR_SEPC, offsetof(RiscvCpu, sepc)},
    {CSR_MCOUNTEREN, offsetof(RiscvCpu, mcounteren)},
    {CSR_SCOUNTEREN, offsetof(RiscvCpu, scounteren)},
    {CSR_MENVCFG, offsetof(RiscvCpu, menvcfg)},
    {CSR_SENVCFG, offsetof(RiscvCpu, senvcfg)},
    {CSR_PMPADDR0 + 3, offsetof(RiscvCpu, pmpaddr[3])},
    {CSR_PMPCFG0, SIZE_MAX},
    {CSR_PMPCFG0 + 2, SIZE_MAX},
    {CSR_MHPMEVENT3 + 2, offsetof(RiscvCpu, pmu.mhpmevent[2])},
    {CSR_MCOUNTINHIBIT, offsetof(RiscvCpu, pmu.mcountinhibit)},
};

static void store_raw(RiscvCpu *cpu, const WarlCsr *c, uint64_t value)
{
    if (c->offset != SIZE_MAX) {
        memcpy((uint8_t *)cpu + c->offset, &value, sizeof(value));
        return;
    }
    unsigned first = (c->csr - CSR_PMPCFG0) * 4;
    for (unsigned i = 0; i < 8; i++)
        cpu->pmpcfg[first + i] = (uint8_t)(value >> (8 * i));
}

/* A loaded WARL CSR holds what a csrw of the same value gives a reset hart. */
START_TEST(test_loaded_csrs_as_csrw_leaves_them)
{
    TestHart *src = test_hart_new(), *dst = test_hart_new(), *ref = test_hart_new();
    uint64_t rng = 0x3a11u;
    for (int round = 0; round < 200; round++) {
        for (size_t i = 0; i < sizeof(warl_csrs) / sizeof(warl_csrs[0]); i++) {
            const WarlCsr *c = &warl_csrs[i];
            uint64_t value = xorshift64star(&rng);
            /* Every satp mode and MPP value turns up. */
            if (c->csr == CSR_SATP)
                value = (value & ~(0xfull << SATP_MODE_SHIFT)) | ((uint64_t)(round % 16) << 60);
            riscv_cpu_reset(src->cpu, TEST_RAM_BASE);
            riscv_cpu_reset(ref->cpu, TEST_RAM_BASE);
            store_raw(src->cpu, c, value);
            StateBuffer buf = save(src->cpu);
            load(dst->cpu, &buf);
            state_buffer_free(&buf);
            ck_assert(riscv_csr_write(ref->cpu, c->csr, value));
            uint64_t got, want;
            ck_assert(riscv_csr_read(dst->cpu, c->csr, &got));
            ck_assert(riscv_csr_read(ref->cpu, c->csr, &want));
            ck_assert_msg(got == want, "csr 0x%x loaded from 0x%016llx: 0x%llx, csrw gives 0x%llx",
                          c->csr, (unsigned long long)value, (unsigned long long)got,
                          (unsigned long long)want);
        }
    }
    test_hart_free(src);
    test_hart_free(dst);
    test_hart_free(ref);
}
END_TEST

/* Values no guest could produce come out legal, and the hart runs. */
START_TEST(test_illegal_values_made_legal)
{
    static const uint32_t privs[] = {2, 4, 0xffffffffu};
    Runner src = runner_new(), dst = runner_new();
    RiscvCpu *s = src.h->cpu, *d = dst.h->cpu;
    for (size_t p = 0; p < sizeof(privs) / sizeof(privs[0]); p++) {
        riscv_cpu_reset(s, TEST_RAM_BASE);
        uint32_t priv = privs[p];
        memcpy(&s->priv, &priv, sizeof(priv));
        s->satp = (5ull << SATP_MODE_SHIFT) | 0x1234; /* a reserved mode */
        s->mstatus = ~0ull & ~MSTATUS_MPP;
        s->mstatus |= 2ull << MSTATUS_MPP_SHIFT; /* the reserved H level */
        s->x[0] = 0xdead;
        s->pc = TEST_RAM_BASE + 1;
        s->mtvec = 0x1003;   /* a reserved mode */
        s->pmpcfg[0] = 0x62; /* W without R, reserved bits */
        s->pmpcfg[1] = 0xff;
        s->mip = ~0ull;
        s->mip_seip = 7;
        s->fflags = ~0u;
        s->frm = ~0u;
        StateBuffer buf = save(s);
        load(d, &buf);
        state_buffer_free(&buf);

        ck_assert_int_eq(d->priv, PRV_M);
        ck_assert_uint_eq(d->satp, 0);
        ck_assert_uint_ne((d->mstatus & MSTATUS_MPP) >> MSTATUS_MPP_SHIFT, 2);
        ck_assert_uint_eq(d->mstatus & (MSTATUS_UXL | MSTATUS_SXL), MSTATUS_RESET);
        ck_assert_uint_eq(d->mstatus & (MSTATUS_SD | MSTATUS_XS | MSTATUS_VS | MSTATUS_UBE), 0);
        ck_assert_uint_eq(d->mtvec, 0);
        ck_assert_uint_eq(d->pmpcfg[0], 0);
        ck_assert_uint_eq(d->pmpcfg[1], 0x9f);
        ck_assert_uint_eq(d->mip, MIP_ALL);
        ck_assert_uint_eq(d->mip_seip, 1);
        ck_assert_uint_eq(d->fflags, FFLAGS_MASK);
        ck_assert_uint_eq(d->frm, 7);
        assert_consistent(d);
        /* MPRV with MPP U: M's loads and stores go through U's TLB set. */
        ck_assert_ptr_eq(d->dtlb, riscv_tlb_set(d, MMU_MODE_U));
        ck_assert_ptr_eq(d->jump_cache, &d->jump_caches[PRV_M]);
        cpu_exec(d, 50);
        assert_consistent(d);
    }
    runner_free(&src);
    runner_free(&dst);
}
END_TEST

/* A refused stream leaves every byte of the hart as it was. */
static void assert_refused(RiscvCpu *cpu, const uint8_t *data, size_t len, const char *needle,
                           const uint8_t *before)
{
    char err[256] = "";
    size_t pos = 0;
    ck_assert(!state_load(data, len, &pos, &riscv_cpu_state, cpu, err, sizeof(err)));
    ck_assert_msg(strstr(err, needle), "error '%s' does not mention '%s'", err, needle);
    ck_assert_uint_eq(pos, 0);
    /* All of the hart but its caches of translations, which no load reads
     * or writes (megabytes: compared for every truncation, they would
     * dominate the test). */
    size_t caches = offsetof(RiscvCpu, m_tlb);
    size_t after = offsetof(RiscvCpu, jump_caches) + sizeof(cpu->jump_caches);
    ck_assert(memcmp(before, cpu, caches) == 0);
    ck_assert(memcmp(before + after, (const uint8_t *)cpu + after, sizeof(*cpu) - after) == 0);
}

START_TEST(test_bad_streams_refused)
{
    Runner src = runner_new(), dst = runner_new();
    prepare_mid_program(src.h);
    cpu_exec(src.h->cpu, 100);
    StateBuffer buf = save(src.h->cpu);
    /* The target has run too, so its caches hold something to keep. */
    prepare_mid_program(dst.h);
    dst.h->cpu->x[5] = 0x1234;
    cpu_exec(dst.h->cpu, 2);
    uint8_t *before = malloc(sizeof(RiscvCpu));
    ck_assert_ptr_nonnull(before);
    memcpy(before, dst.h->cpu, sizeof(RiscvCpu));

    for (size_t len = 0; len < buf.len; len++)
        assert_refused(dst.h->cpu, buf.data, len, "ends inside", before);
    size_t version_at = 4 + 2 + strlen(riscv_cpu_state.name);
    buf.data[version_at] ^= 2;
    assert_refused(dst.h->cpu, buf.data, buf.len, "version", before);
    buf.data[version_at] ^= 2;
    buf.data[6] = 'X'; /* the section's name */
    assert_refused(dst.h->cpu, buf.data, buf.len, "section 'Xiscv-hart'", before);
    free(before);
    state_buffer_free(&buf);
    runner_free(&src);
    runner_free(&dst);
}
END_TEST

/* Nothing translated, jump-cached or chained under the old state
 * survives a load, M-mode's jump cache included. */
static void assert_set_unused(TlbSet *set, void *opaque)
{
    (void)opaque;
    ck_assert_msg(!set->used, "a TLB set kept its entries");
}

START_TEST(test_load_drops_cached_translations)
{
    Runner a = runner_new(), b = runner_new();
    StateBuffer reset_state = save(a.h->cpu);
    RiscvCpu *cpu = b.h->cpu;
    prepare_mid_program(b.h);
    cpu_exec(cpu, 100);
    test_set_priv(b.h, PRV_M);
    cpu->wfi = false;
    cpu->pc = DATA_PA + 8; /* zeros: an illegal instruction, jump-cached */
    ck_assert(riscv_csr_write(cpu, CSR_MTVEC, DATA_PA + 8));
    cpu_exec(cpu, 3);
    ck_assert(cpu->jump_caches[PRV_M].used && cpu->jump_caches[PRV_S].used);
    ck_assert(riscv_tlb_set(cpu, MMU_MODE_S)->used && riscv_tlb_set(cpu, MMU_MODE_S_SUM)->used);

    /* As if a block had just exited towards a chain. */
    cpu->last_tb = tb_lookup(b.cache, CODE_PA);
    ck_assert_ptr_nonnull(cpu->last_tb);
    load(cpu, &reset_state);
    riscv_for_each_tlb_set(cpu, assert_set_unused, NULL);
    ck_assert_uint_eq(cpu->context->satp, cpu->satp);
    for (int priv = 0; priv < 4; priv++)
        ck_assert_msg(cpu->jump_caches[priv].used == 0, "jump cache %d kept", priv);
    ck_assert_ptr_null(cpu->last_tb);
    assert_consistent(cpu);
    state_buffer_free(&reset_state);
    runner_free(&a);
    runner_free(&b);
}
END_TEST

static Suite *cpu_state_suite(void)
{
    Suite *s = suite_create("cpu_state");
    TCase *tc = tcase_create("hart");
    tcase_add_loop_test(tc, test_random_round_trip, 0, 8);
    tcase_add_test(tc, test_mid_program_continues);
    tcase_add_test(tc, test_loaded_csrs_as_csrw_leaves_them);
    tcase_add_test(tc, test_illegal_values_made_legal);
    tcase_add_test(tc, test_bad_streams_refused);
    tcase_add_test(tc, test_load_drops_cached_translations);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return run_suite(cpu_state_suite());
}
