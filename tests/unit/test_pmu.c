/* tests/unit/test_pmu.c: unit tests for cpu/riscv/pmu.c through the CSR
 * file, traps and the run loop: events, mcountinhibit, the counters that
 * read zero, Sscofpmf's masks, privilege filters, overflow and LCOFI, and
 * the PMU's part of the hart's state. */
#include <stdlib.h>
#include <string.h>

#include "cpu/exec.h"
#include "cpu/riscv/csr.h"
#include "cpu/riscv/pmu.h"
#include "cpu/tb.h"
#include "tests/unit/harness.h"

#define LCOFI_CAUSE ((1ull << 63) | IRQ_LCOF)

static TestHart *h;
static RiscvCpu *cpu;

static void setup(void)
{
    h = test_hart_new();
    cpu = h->cpu;
}

static void teardown(void)
{
    test_hart_free(h);
}

/* The hart with Sscofpmf, as -cpu rv64,sscofpmf=on makes it. */
static void with_sscofpmf(void)
{
    cpu->ext |= RISCV_EXT_BIT(SSCOFPMF);
    riscv_cpu_reset(cpu, TEST_RAM_BASE);
}

static uint64_t rd(unsigned csr)
{
    uint64_t value = 0;
    ck_assert_msg(riscv_csr_read(cpu, csr, &value), "read of CSR 0x%x failed", csr);
    return value;
}

/* A CSR instruction's write: it retires, as the interpreter counts it. */
static void csrw(unsigned csr, uint64_t value)
{
    ck_assert_msg(riscv_csr_write(cpu, csr, value), "write of CSR 0x%x failed", csr);
    cpu->instret++;
}

/* n instructions run without a trap or xRET. */
static void run(uint64_t n)
{
    cpu->instret += n;
}

START_TEST(test_counts_selected_event)
{
    csrw(CSR_MHPMEVENT3, PMU_EVENT_INSTRUCTIONS);
    csrw(CSR_MHPMEVENT3 + 2, PMU_EVENT_CYCLES);
    csrw(CSR_MHPMEVENT3 + 3, 0x1234); /* an event ember does not count */
    csrw(CSR_MHPMCOUNTER3, 100);
    csrw(CSR_MHPMCOUNTER3 + 1, 200);
    csrw(CSR_MHPMCOUNTER3 + 2, 300);
    csrw(CSR_MHPMCOUNTER3 + 3, 400);
    /* Counter 3 counted the three writes after its own. */
    ck_assert_uint_eq(rd(CSR_MHPMCOUNTER3), 103);
    run(50);
    ck_assert_uint_eq(rd(CSR_MHPMCOUNTER3), 153);
    ck_assert_uint_eq(rd(CSR_HPMCOUNTER3), 153);
    ck_assert_uint_eq(rd(CSR_MHPMCOUNTER3 + 1), 200); /* no event */
    ck_assert_uint_eq(rd(CSR_MHPMCOUNTER3 + 2), 351); /* cycles are instructions */
    ck_assert_uint_eq(rd(CSR_MHPMCOUNTER3 + 3), 400);
    ck_assert_uint_eq(rd(CSR_MHPMEVENT3 + 3), 0x1234);
}
END_TEST

START_TEST(test_tlb_miss_events)
{
    csrw(CSR_MHPMEVENT3, PMU_EVENT_DTLB_READ_MISS);
    csrw(CSR_MHPMEVENT3 + 1, PMU_EVENT_DTLB_WRITE_MISS);
    csrw(CSR_MHPMEVENT3 + 2, PMU_EVENT_ITLB_READ_MISS);
    cpu->stats.tlb_fills[ACCESS_READ] += 5;
    cpu->stats.tlb_fills[ACCESS_WRITE] += 3;
    cpu->stats.tlb_fills[ACCESS_FETCH] += 7;
    run(1000);
    ck_assert_uint_eq(rd(CSR_MHPMCOUNTER3), 5);
    ck_assert_uint_eq(rd(CSR_MHPMCOUNTER3 + 1), 3);
    ck_assert_uint_eq(rd(CSR_MHPMCOUNTER3 + 2), 7);
}
END_TEST

/* A counter keeps its value when its event changes, then follows the new one. */
START_TEST(test_event_change_keeps_value)
{
    csrw(CSR_MHPMEVENT3, PMU_EVENT_INSTRUCTIONS);
    csrw(CSR_MHPMCOUNTER3, 10);
    run(9);
    /* The write that changes the event no longer counts as an instruction. */
    csrw(CSR_MHPMEVENT3, PMU_EVENT_DTLB_READ_MISS);
    run(100);
    ck_assert_uint_eq(rd(CSR_MHPMCOUNTER3), 19);
    cpu->stats.tlb_fills[ACCESS_READ] += 2;
    ck_assert_uint_eq(rd(CSR_MHPMCOUNTER3), 21);
    csrw(CSR_MHPMEVENT3, 0);
    cpu->stats.tlb_fills[ACCESS_READ] += 2;
    run(100);
    ck_assert_uint_eq(rd(CSR_MHPMCOUNTER3), 21);
}
END_TEST

START_TEST(test_inhibit)
{
    csrw(CSR_MCOUNTINHIBIT, ~0ull);
    ck_assert_uint_eq(rd(CSR_MCOUNTINHIBIT), PMU_COUNTER_MASK);
    ck_assert_uint_eq(rd(CSR_MCOUNTINHIBIT) & 2, 0); /* TM has no inhibit */
    csrw(CSR_MHPMEVENT3, PMU_EVENT_INSTRUCTIONS);
    csrw(CSR_MHPMCOUNTER3, 77);
    csrw(CSR_MINSTRET, 1000);
    csrw(CSR_MCYCLE, 2000);
    run(500);
    ck_assert_uint_eq(rd(CSR_MHPMCOUNTER3), 77);
    ck_assert_uint_eq(rd(CSR_MINSTRET), 1000);
    ck_assert_uint_eq(rd(CSR_INSTRET), 1000);
    ck_assert_uint_eq(rd(CSR_MCYCLE), 2000);
    /* IR runs again, the others stay; the write counts for IR. */
    csrw(CSR_MCOUNTINHIBIT, ~4ull);
    run(9);
    ck_assert_uint_eq(rd(CSR_MINSTRET), 1010);
    ck_assert_uint_eq(rd(CSR_MCYCLE), 2000);
    ck_assert_uint_eq(rd(CSR_MHPMCOUNTER3), 77);
    csrw(CSR_MCOUNTINHIBIT, 0);
    run(10);
    ck_assert_uint_eq(rd(CSR_MHPMCOUNTER3), 88);
    ck_assert_uint_eq(rd(CSR_MCYCLE), 2011);
    /* Stopping: the stopping write itself is not counted. */
    csrw(CSR_MCOUNTINHIBIT, 1u << 3);
    run(10);
    ck_assert_uint_eq(rd(CSR_MHPMCOUNTER3), 88);
    ck_assert_uint_eq(rd(CSR_MCYCLE), 2022);
}
END_TEST

/* QEMU 7.2's pmu-num=16: 19..31 read zero and keep nothing. */
START_TEST(test_unimplemented_counters_read_zero)
{
    for (unsigned i = PMU_LAST_HPM + 1; i < 32; i++) {
        csrw(CSR_MHPMEVENT3 + i - 3, PMU_EVENT_INSTRUCTIONS);
        csrw(CSR_MHPMCOUNTER3 + i - 3, 1234);
        run(10);
        ck_assert_uint_eq(rd(CSR_MHPMEVENT3 + i - 3), 0);
        ck_assert_uint_eq(rd(CSR_MHPMCOUNTER3 + i - 3), 0);
        ck_assert_uint_eq(rd(CSR_HPMCOUNTER3 + i - 3), 0);
    }
    csrw(CSR_MHPMCOUNTER3 + PMU_LAST_HPM - 3, 5);
    ck_assert_uint_eq(rd(CSR_MHPMCOUNTER3 + PMU_LAST_HPM - 3), 5);
}
END_TEST

START_TEST(test_event_masks)
{
    /* Without Sscofpmf mhpmevent is all event selector up to bit 55. */
    csrw(CSR_MHPMEVENT3, ~0ull);
    ck_assert_uint_eq(rd(CSR_MHPMEVENT3), MHPMEVENT_SELECTOR_MASK);
    with_sscofpmf();
    csrw(CSR_MHPMEVENT3, ~0ull);
    /* VSINH and VUINH need the H extension; bits 57:56 are reserved. */
    ck_assert_uint_eq(rd(CSR_MHPMEVENT3), MHPMEVENT_SELECTOR_MASK | MHPMEVENT_OF | MHPMEVENT_MINH |
                                              MHPMEVENT_SINH | MHPMEVENT_UINH);
}
END_TEST

START_TEST(test_scountovf)
{
    ck_assert(!riscv_csr_accessible(cpu, CSR_SCOUNTOVF, false));
    with_sscofpmf();
    ck_assert(riscv_csr_accessible(cpu, CSR_SCOUNTOVF, false));
    ck_assert(!riscv_csr_accessible(cpu, CSR_SCOUNTOVF, true)); /* read-only */
    csrw(CSR_MHPMEVENT3, MHPMEVENT_OF);
    csrw(CSR_MHPMEVENT3 + 5, MHPMEVENT_OF | PMU_EVENT_CYCLES);
    ck_assert_uint_eq(rd(CSR_SCOUNTOVF), (1u << 3) | (1u << 8));
    /* Below M, mcounteren decides which bits show. */
    cpu->mcounteren = 1u << 8;
    test_set_priv(h, PRV_S);
    ck_assert(riscv_csr_accessible(cpu, CSR_SCOUNTOVF, false));
    ck_assert_uint_eq(rd(CSR_SCOUNTOVF), 1u << 8);
    test_set_priv(h, PRV_U);
    ck_assert(!riscv_csr_accessible(cpu, CSR_SCOUNTOVF, false));
}
END_TEST

START_TEST(test_lcofi_bits_need_sscofpmf)
{
    csrw(CSR_MIE, ~0ull);
    csrw(CSR_MIDELEG, ~0ull);
    csrw(CSR_MIP, ~0ull);
    ck_assert_uint_eq(rd(CSR_MIE) & MIP_LCOFIP, 0);
    ck_assert_uint_eq(rd(CSR_MIDELEG) & MIP_LCOFIP, 0);
    ck_assert_uint_eq(rd(CSR_MIP) & MIP_LCOFIP, 0);
    with_sscofpmf();
    csrw(CSR_MIE, ~0ull);
    ck_assert_uint_eq(rd(CSR_MIE), MIP_ALL | MIP_LCOFIP);
    csrw(CSR_MIDELEG, ~0ull);
    ck_assert_uint_eq(rd(CSR_MIDELEG), MIP_S_MASK | MIP_LCOFIP);
    csrw(CSR_MIP, MIP_LCOFIP);
    ck_assert_uint_eq(rd(CSR_MIP) & MIP_LCOFIP, MIP_LCOFIP);
    ck_assert_uint_eq(rd(CSR_SIP) & MIP_LCOFIP, MIP_LCOFIP);
    ck_assert_uint_eq(rd(CSR_SIE) & MIP_LCOFIP, MIP_LCOFIP);
    /* The overflow handler in S clears it through sip. */
    csrw(CSR_SIP, 0);
    ck_assert_uint_eq(rd(CSR_MIP) & MIP_LCOFIP, 0);
    /* Not delegated: sip cannot touch it. */
    csrw(CSR_MIDELEG, 0);
    csrw(CSR_SIP, MIP_LCOFIP);
    ck_assert_uint_eq(rd(CSR_MIP) & MIP_LCOFIP, 0);
}
END_TEST

/* An mret to U, U's instructions, an ecall back: the interpreter calls
 * riscv_mret with cpu->instret behind (the mret counted already) and the
 * run loop catches up before the next instruction. */
static void round_trip_through_user(uint64_t m_before, uint64_t u_insns, uint64_t m_after)
{
    cpu->mstatus &= ~MSTATUS_MPP; /* MPP = U */
    cpu->mepc = TEST_RAM_BASE;
    run(m_before);
    riscv_mret(cpu);
    ck_assert(!riscv_take_interrupt(cpu));
    run(u_insns);
    riscv_raise_exception(cpu, EXC_ECALL_U, 0);
    ck_assert_int_eq(cpu->priv, PRV_M);
    run(m_after);
}

START_TEST(test_privilege_filters)
{
    with_sscofpmf();
    csrw(CSR_MHPMEVENT3, PMU_EVENT_INSTRUCTIONS | MHPMEVENT_UINH);
    csrw(CSR_MHPMEVENT3 + 1, PMU_EVENT_INSTRUCTIONS | MHPMEVENT_MINH);
    csrw(CSR_MHPMEVENT3 + 2, PMU_EVENT_INSTRUCTIONS | MHPMEVENT_SINH);
    csrw(CSR_MHPMEVENT3 + 3, PMU_EVENT_INSTRUCTIONS);
    /* Four writes as if by one instruction. */
    for (unsigned i = 0; i < 4; i++)
        ck_assert(riscv_csr_write(cpu, CSR_MHPMCOUNTER3 + i, 0));
    run(1);
    round_trip_through_user(10, 100, 5);
    ck_assert_uint_eq(rd(CSR_MHPMCOUNTER3), 15);      /* M only */
    ck_assert_uint_eq(rd(CSR_MHPMCOUNTER3 + 1), 100); /* U only */
    ck_assert_uint_eq(rd(CSR_MHPMCOUNTER3 + 2), 115); /* S inhibited: all */
    ck_assert_uint_eq(rd(CSR_MHPMCOUNTER3 + 3), 115);
    /* A read in U itself: the filtered counter holds while U runs. */
    cpu->mstatus &= ~MSTATUS_MPP;
    riscv_mret(cpu);
    ck_assert(!riscv_take_interrupt(cpu));
    uint64_t held = rd(CSR_MHPMCOUNTER3);
    run(30);
    ck_assert_uint_eq(rd(CSR_MHPMCOUNTER3), held);
    ck_assert_uint_eq(rd(CSR_MHPMCOUNTER3 + 1), 130);
}
END_TEST

START_TEST(test_filters_need_sscofpmf)
{
    csrw(CSR_MHPMEVENT3, PMU_EVENT_INSTRUCTIONS | MHPMEVENT_MINH);
    csrw(CSR_MHPMCOUNTER3, 0);
    round_trip_through_user(10, 100, 5);
    ck_assert_uint_eq(rd(CSR_MHPMCOUNTER3), 115);
    ck_assert(!cpu->pmu.filtering); /* traps need not sync at all */
}
END_TEST

/* In M with MIE and LCOFIE: an overflow is taken at the instruction count
 * the counter wraps at, once. */
START_TEST(test_overflow_raises_lcofi)
{
    with_sscofpmf();
    cpu->mtvec = TEST_RAM_BASE + 0x100;
    cpu->mie = MIP_LCOFIP;
    cpu->mstatus |= MSTATUS_MIE;
    csrw(CSR_MHPMEVENT3, PMU_EVENT_INSTRUCTIONS);
    uint64_t at = cpu->instret + 1 + 10;
    csrw(CSR_MHPMCOUNTER3, -10ull);
    ck_assert_uint_eq(cpu->pmu.overflow_at, at);
    cpu->instret = at - 1;
    ck_assert(!riscv_take_interrupt(cpu));
    ck_assert_uint_eq(rd(CSR_MHPMCOUNTER3), -1ull);
    cpu->instret = at;
    ck_assert(riscv_take_interrupt(cpu));
    ck_assert_uint_eq(cpu->mcause, LCOFI_CAUSE);
    ck_assert_uint_eq(rd(CSR_MHPMCOUNTER3), 0);
    ck_assert_uint_eq(rd(CSR_MHPMEVENT3) & MHPMEVENT_OF, MHPMEVENT_OF);
    ck_assert_uint_eq(rd(CSR_SCOUNTOVF), 1u << 3);
    ck_assert_uint_eq(rd(CSR_MIP) & MIP_LCOFIP, MIP_LCOFIP);
    ck_assert_uint_eq(cpu->pmu.overflow_at, UINT64_MAX);

    /* With OF set, a wrap requests nothing. */
    csrw(CSR_MIP, 0);
    cpu->mstatus |= MSTATUS_MIE;
    csrw(CSR_MHPMCOUNTER3, -5ull);
    run(20);
    ck_assert(!riscv_take_interrupt(cpu));
    ck_assert_uint_eq(rd(CSR_MIP) & MIP_LCOFIP, 0);
    ck_assert_uint_eq(rd(CSR_MHPMCOUNTER3), 15);
    /* OF cleared: the next wrap is an interrupt again. */
    csrw(CSR_MHPMEVENT3, PMU_EVENT_INSTRUCTIONS);
    csrw(CSR_MHPMCOUNTER3, -3ull);
    run(3);
    ck_assert(riscv_take_interrupt(cpu));
    ck_assert_uint_eq(cpu->mcause, LCOFI_CAUSE);
}
END_TEST

/* Written values next to the wrap: 0 is no overflow, all-ones overflows
 * after one more instruction. */
START_TEST(test_overflow_edges)
{
    with_sscofpmf();
    csrw(CSR_MHPMEVENT3, PMU_EVENT_INSTRUCTIONS);
    csrw(CSR_MHPMCOUNTER3, 0);
    run(5);
    riscv_pmu_catch_up(cpu);
    ck_assert_uint_eq(rd(CSR_MIP) & MIP_LCOFIP, 0);
    csrw(CSR_MHPMCOUNTER3, -1ull);
    riscv_pmu_catch_up(cpu);
    ck_assert_uint_eq(rd(CSR_MIP) & MIP_LCOFIP, 0);
    ck_assert_uint_eq(rd(CSR_MHPMCOUNTER3), -1ull);
    run(1);
    riscv_pmu_catch_up(cpu);
    ck_assert_uint_eq(rd(CSR_MIP) & MIP_LCOFIP, MIP_LCOFIP);
}
END_TEST

/* A debugger's write is no instruction: reads before the hart runs on see
 * the value less the increment it expects, and nothing overflows. */
START_TEST(test_write_then_read_in_place)
{
    with_sscofpmf();
    csrw(CSR_MHPMEVENT3, PMU_EVENT_INSTRUCTIONS);
    ck_assert(riscv_csr_write(cpu, CSR_MHPMCOUNTER3, 0));
    rd(CSR_MHPMCOUNTER3);
    csrw(CSR_MHPMEVENT3 + 1, 0); /* a configuration change in between */
    run(1);
    riscv_pmu_catch_up(cpu);
    ck_assert_uint_eq(rd(CSR_MHPMCOUNTER3), 1);
    ck_assert_uint_eq(cpu->mip & MIP_LCOFIP, 0);
}
END_TEST

START_TEST(test_no_overflow_where_filtered_or_inhibited)
{
    with_sscofpmf();
    csrw(CSR_MHPMEVENT3, PMU_EVENT_INSTRUCTIONS | MHPMEVENT_MINH);
    csrw(CSR_MHPMCOUNTER3, -1ull);
    csrw(CSR_MHPMEVENT3 + 1, PMU_EVENT_INSTRUCTIONS);
    csrw(CSR_MHPMCOUNTER3 + 1, -1ull);
    csrw(CSR_MCOUNTINHIBIT, 1u << 4);
    ck_assert_uint_eq(cpu->pmu.overflow_at, UINT64_MAX);
    run(1000);
    riscv_pmu_catch_up(cpu);
    ck_assert_uint_eq(rd(CSR_MIP) & MIP_LCOFIP, 0);
    ck_assert_uint_eq(rd(CSR_MHPMCOUNTER3), -1ull);
    ck_assert_uint_eq(rd(CSR_MHPMCOUNTER3 + 1), -1ull);
    /* Without Sscofpmf nothing overflows either: the counters just wrap. */
    riscv_cpu_reset(cpu, TEST_RAM_BASE);
    cpu->ext &= ~RISCV_EXT_BIT(SSCOFPMF);
    riscv_cpu_reset(cpu, TEST_RAM_BASE);
    csrw(CSR_MHPMEVENT3, PMU_EVENT_INSTRUCTIONS);
    csrw(CSR_MHPMCOUNTER3, -1ull);
    run(10);
    riscv_pmu_catch_up(cpu);
    ck_assert_uint_eq(cpu->mip & MIP_LCOFIP, 0);
    ck_assert_uint_eq(rd(CSR_MHPMCOUNTER3), 9);
}
END_TEST

START_TEST(test_tlb_counter_overflow)
{
    with_sscofpmf();
    csrw(CSR_MHPMEVENT3, PMU_EVENT_ITLB_READ_MISS);
    csrw(CSR_MHPMCOUNTER3, -2ull);
    ck_assert(cpu->pmu.watch_tlb);
    cpu->stats.tlb_fills[ACCESS_FETCH]++;
    riscv_pmu_catch_up(cpu);
    ck_assert_uint_eq(cpu->mip & MIP_LCOFIP, 0);
    cpu->stats.tlb_fills[ACCESS_FETCH]++;
    riscv_pmu_catch_up(cpu);
    ck_assert_uint_eq(cpu->mip & MIP_LCOFIP, MIP_LCOFIP);
    ck_assert_uint_eq(rd(CSR_MHPMEVENT3) & MHPMEVENT_OF, MHPMEVENT_OF);
}
END_TEST

/* LCOFI ranks below the standard interrupts, and goes to S when delegated. */
START_TEST(test_lcofi_priority_and_delegation)
{
    with_sscofpmf();
    csrw(CSR_MIDELEG, MIP_STIP | MIP_LCOFIP);
    csrw(CSR_MIE, MIP_STIP | MIP_LCOFIP);
    cpu->stvec = TEST_RAM_BASE + 0x200;
    cpu->mip |= MIP_STIP | MIP_LCOFIP;
    test_set_priv(h, PRV_U);
    ck_assert(riscv_take_interrupt(cpu));
    ck_assert_int_eq(cpu->priv, PRV_S);
    ck_assert_uint_eq(cpu->scause, (1ull << 63) | IRQ_S_TIMER);
    cpu->mip &= ~MIP_STIP;
    test_set_priv(h, PRV_U);
    ck_assert(riscv_take_interrupt(cpu));
    ck_assert_uint_eq(cpu->scause, LCOFI_CAUSE);
}
END_TEST

static void write_code(uint64_t pa, const uint32_t *code, size_t n)
{
    for (size_t i = 0; i < n; i++)
        ck_assert(memory_write(&h->as, pa + 4 * i, 4, code[i]));
}

/* The run loop ends a run of blocks where a counter overflows, so a long
 * loop is interrupted within an iteration of the wrap, not at the end of
 * the time slice. */
START_TEST(test_run_loop_stops_at_overflow)
{
    TbCache *cache = malloc(sizeof(TbCache));
    ck_assert_ptr_nonnull(cache);
    ck_assert(tb_cache_init(cache, &h->as, 1u << 20));
    tb_cache_add_cpu(cache, cpu);
    with_sscofpmf();
    static const uint32_t loop[] = {
        0x00a00313, /* li t1, 10 */
        0x01431313, /* slli t1, t1, 20 */
        0xfff30313, /* 1: addi t1, t1, -1 */
        0xfe031ee3, /* bnez t1, 1b */
        0x10500073, /* wfi */
    };
    static const uint32_t handler[] = {
        0xb0302573, /* csrr a0, mhpmcounter3 */
        0x30401073, /* csrw mie, zero */
        0x10500073, /* wfi */
    };
    write_code(TEST_RAM_BASE, loop, 5);
    write_code(TEST_RAM_BASE + 0x100, handler, 3);
    cpu->pc = TEST_RAM_BASE;
    cpu->mtvec = TEST_RAM_BASE + 0x100;
    ck_assert(riscv_csr_write(cpu, CSR_MHPMEVENT3, PMU_EVENT_INSTRUCTIONS));
    ck_assert(riscv_csr_write(cpu, CSR_MHPMCOUNTER3, -1001ull));
    ck_assert(riscv_csr_write(cpu, CSR_MIE, MIP_LCOFIP));
    cpu->mstatus |= MSTATUS_MIE;
    cpu_exec(cpu, 100000);
    ck_assert_uint_eq(cpu->mcause, LCOFI_CAUSE);
    ck_assert_msg(cpu->x[10] < 8, "the interrupt came %llu instructions after the wrap",
                  (unsigned long long)cpu->x[10]);
    ck_assert(cpu->wfi);
    tb_cache_destroy(cache);
    free(cache);
}
END_TEST

static StateBuffer save(RiscvCpu *c)
{
    StateBuffer buf = {0};
    state_save(&buf, &riscv_cpu_state, c);
    ck_assert(!buf.failed);
    return buf;
}

static void load(RiscvCpu *c, const StateBuffer *buf)
{
    char err[256];
    size_t pos = 0;
    ck_assert_msg(state_load(buf->data, buf->len, &pos, &riscv_cpu_state, c, err, sizeof(err)),
                  "%s", err);
}

/* A fresh hart loaded from a stream reads the same counters and counts on
 * the same way, though its own instret is another. */
START_TEST(test_state_round_trip)
{
    with_sscofpmf();
    csrw(CSR_MHPMEVENT3, PMU_EVENT_INSTRUCTIONS);
    csrw(CSR_MHPMCOUNTER3, 5000);
    csrw(CSR_MHPMEVENT3 + 1, PMU_EVENT_INSTRUCTIONS | MHPMEVENT_OF | MHPMEVENT_MINH);
    csrw(CSR_MHPMCOUNTER3 + 1, 7);
    csrw(CSR_MHPMEVENT3 + 2, PMU_EVENT_INSTRUCTIONS);
    csrw(CSR_MHPMCOUNTER3 + 2, 99);
    csrw(CSR_MCOUNTINHIBIT, (1u << 5) | 4);
    run(1234);
    StateBuffer buf = save(cpu);

    TestHart *other = test_hart_new();
    other->cpu->ext |= RISCV_EXT_BIT(SSCOFPMF);
    riscv_cpu_reset(other->cpu, TEST_RAM_BASE);
    other->cpu->instret = 42;
    load(other->cpu, &buf);
    RiscvCpu *b = other->cpu;
    for (unsigned csr = CSR_MHPMCOUNTER3; csr <= CSR_MHPMCOUNTER3 + 3; csr++) {
        uint64_t va, vb;
        ck_assert(riscv_csr_read(cpu, csr, &va) && riscv_csr_read(b, csr, &vb));
        ck_assert_uint_eq(va, vb);
    }
    uint64_t v;
    ck_assert(riscv_csr_read(b, CSR_MHPMEVENT3 + 1, &v));
    ck_assert_uint_eq(v, PMU_EVENT_INSTRUCTIONS | MHPMEVENT_OF | MHPMEVENT_MINH);
    ck_assert(riscv_csr_read(b, CSR_MCOUNTINHIBIT, &v));
    ck_assert_uint_eq(v, (1u << 5) | 4);
    ck_assert(riscv_csr_read(b, CSR_MINSTRET, &v));
    ck_assert_uint_eq(v, rd(CSR_MINSTRET));
    /* Both run on alike: counter 3 counts, 4 is filtered in M, 5 inhibited. */
    run(10);
    b->instret += 10;
    for (unsigned csr = CSR_MHPMCOUNTER3; csr <= CSR_MHPMCOUNTER3 + 2; csr++) {
        uint64_t va, vb;
        ck_assert(riscv_csr_read(cpu, csr, &va) && riscv_csr_read(b, csr, &vb));
        ck_assert_uint_eq(va, vb);
    }
    ck_assert_uint_eq(rd(CSR_MHPMCOUNTER3), 5000 + 5 + 1234 + 10);

    /* A hart without Sscofpmf keeps only what it has of the stream. */
    TestHart *plain = test_hart_new();
    load(plain->cpu, &buf);
    ck_assert(riscv_csr_read(plain->cpu, CSR_MHPMEVENT3 + 1, &v));
    ck_assert_uint_eq(v, PMU_EVENT_INSTRUCTIONS);
    state_buffer_free(&buf);
    test_hart_free(other);
    test_hart_free(plain);
}
END_TEST

static Suite *pmu_suite(void)
{
    Suite *s = suite_create("pmu");
    TCase *counting = tcase_create("counting");
    tcase_add_checked_fixture(counting, setup, teardown);
    tcase_add_test(counting, test_counts_selected_event);
    tcase_add_test(counting, test_tlb_miss_events);
    tcase_add_test(counting, test_event_change_keeps_value);
    tcase_add_test(counting, test_inhibit);
    tcase_add_test(counting, test_unimplemented_counters_read_zero);
    suite_add_tcase(s, counting);
    TCase *sscofpmf = tcase_create("sscofpmf");
    tcase_add_checked_fixture(sscofpmf, setup, teardown);
    tcase_add_test(sscofpmf, test_event_masks);
    tcase_add_test(sscofpmf, test_scountovf);
    tcase_add_test(sscofpmf, test_lcofi_bits_need_sscofpmf);
    tcase_add_test(sscofpmf, test_privilege_filters);
    tcase_add_test(sscofpmf, test_filters_need_sscofpmf);
    tcase_add_test(sscofpmf, test_overflow_raises_lcofi);
    tcase_add_test(sscofpmf, test_overflow_edges);
    tcase_add_test(sscofpmf, test_write_then_read_in_place);
    tcase_add_test(sscofpmf, test_no_overflow_where_filtered_or_inhibited);
    tcase_add_test(sscofpmf, test_tlb_counter_overflow);
    tcase_add_test(sscofpmf, test_lcofi_priority_and_delegation);
    tcase_add_test(sscofpmf, test_run_loop_stops_at_overflow);
    tcase_add_test(sscofpmf, test_state_round_trip);
    suite_add_tcase(s, sscofpmf);
    return s;
}

int main(void)
{
    return run_suite(pmu_suite());
}
