/* cpu/riscv/trap.c: taking exceptions and interrupts (with delegation and
 * priority), and xRET. */
#include "cpu/riscv/cpu.h"
#include "cpu/riscv/pmu.h"
#include "util/log.h"

#define CAUSE_INTERRUPT (1ull << 63)

static const char *cause_name(uint64_t cause)
{
    static const char *const exceptions[16] = {"instruction address misaligned",
                                               "instruction access fault",
                                               "illegal instruction",
                                               "breakpoint",
                                               "load address misaligned",
                                               "load access fault",
                                               "store/AMO address misaligned",
                                               "store/AMO access fault",
                                               "ecall from U-mode",
                                               "ecall from S-mode",
                                               "reserved",
                                               "ecall from M-mode",
                                               "instruction page fault",
                                               "load page fault",
                                               "reserved",
                                               "store/AMO page fault"};
    static const char *const interrupts[14] = {
        "reserved", "supervisor software",   "reserved", "machine software",
        "reserved", "supervisor timer",      "reserved", "machine timer",
        "reserved", "supervisor external",   "reserved", "machine external",
        "reserved", "local counter overflow"};
    uint64_t code = cause & ~CAUSE_INTERRUPT;
    if (cause & CAUSE_INTERRUPT)
        return code < 14 ? interrupts[code] : "reserved";
    return code < 16 ? exceptions[code] : "reserved";
}

static void take_trap(RiscvCpu *cpu, uint64_t cause, uint64_t tval)
{
    bool interrupt = (cause & CAUSE_INTERRUPT) != 0;
    if (interrupt)
        cpu->stats.interrupts++;
    else
        cpu->stats.exceptions++;
    uint64_t code = cause & ~CAUSE_INTERRUPT;
    uint64_t deleg = interrupt ? cpu->mideleg : cpu->medeleg;
    bool to_s = cpu->priv <= PRV_S && code < 64 && ((deleg >> code) & 1);

    LOG(LOG_INT,
        "riscv_cpu_do_interrupt: hart:%llu, async:%d, cause:%016llx, epc:0x%016llx, "
        "tval:0x%016llx, desc=%s\n",
        (unsigned long long)cpu->mhartid, interrupt, (unsigned long long)cause,
        (unsigned long long)cpu->pc, (unsigned long long)tval, cause_name(cause));

    uint64_t status = cpu->mstatus;
    uint64_t tvec;
    if (to_s) {
        cpu->scause = cause;
        cpu->sepc = cpu->pc;
        cpu->stval = tval;
        status &= ~(MSTATUS_SPIE | MSTATUS_SPP);
        if (status & MSTATUS_SIE)
            status |= MSTATUS_SPIE;
        if (cpu->priv == PRV_S)
            status |= MSTATUS_SPP;
        status &= ~MSTATUS_SIE;
        cpu->priv = PRV_S;
        tvec = cpu->stvec;
    } else {
        cpu->mcause = cause;
        cpu->mepc = cpu->pc;
        cpu->mtval = tval;
        status &= ~(MSTATUS_MPIE | MSTATUS_MPP);
        if (status & MSTATUS_MIE)
            status |= MSTATUS_MPIE;
        status |= (uint64_t)cpu->priv << MSTATUS_MPP_SHIFT;
        status &= ~MSTATUS_MIE;
        cpu->priv = PRV_M;
        tvec = cpu->mtvec;
    }
    cpu->mstatus = status;
    uint64_t base = tvec & ~3ull;
    /* Vectored mode sends interrupts to base + 4 * cause (priv spec 3.1.7). */
    cpu->pc = (interrupt && (tvec & 3) == 1) ? base + 4 * code : base;
    cpu->wfi = false;
    riscv_update_mmu_mode(cpu);
    /* Every caller has cpu->instret up to date. */
    if (cpu->pmu.filtering)
        riscv_pmu_priv_changed(cpu, true);
}

void riscv_raise_exception(RiscvCpu *cpu, uint64_t cause, uint64_t tval)
{
    take_trap(cpu, cause, tval);
}

/* Priv spec 3.1.9: MEI, MSI, MTI, SEI, SSI, STI; then Sscofpmf's LCOFI,
 * below them as in the AIA's default order (and QEMU's). */
static int highest_priority(uint64_t pending)
{
    static const int order[] = {IRQ_M_EXT,  IRQ_M_SOFT,  IRQ_M_TIMER, IRQ_S_EXT,
                                IRQ_S_SOFT, IRQ_S_TIMER, IRQ_LCOF};
    for (unsigned i = 0; i < sizeof(order) / sizeof(order[0]); i++)
        if (pending & (1ull << order[i]))
            return order[i];
    return -1;
}

bool riscv_take_interrupt(RiscvCpu *cpu)
{
    /* Between runs of blocks: a counter overflow that came due, and an
     * xRET's privilege change, are accounted before anything else. */
    if (riscv_pmu_due(&cpu->pmu, cpu->instret, cpu->stats.tlb_fills))
        riscv_pmu_sync(cpu);
    uint64_t pending = riscv_pending_interrupts(cpu);
    if (!pending)
        return false;
    /* M-level interrupts are enabled below M, or in M with MIE; S-level ones
     * (delegated) below S, or in S with SIE, and never in M. */
    uint64_t m_pending = pending & ~cpu->mideleg;
    bool m_enabled = cpu->priv < PRV_M || (cpu->mstatus & MSTATUS_MIE);
    uint64_t s_pending = pending & cpu->mideleg;
    bool s_enabled = cpu->priv < PRV_S || (cpu->priv == PRV_S && (cpu->mstatus & MSTATUS_SIE));
    uint64_t takeable = (m_enabled ? m_pending : 0);
    if (!takeable)
        takeable = s_enabled ? s_pending : 0;
    int irq = highest_priority(takeable);
    if (irq < 0)
        return false;
    take_trap(cpu, CAUSE_INTERRUPT | (uint64_t)irq, 0);
    return true;
}

void riscv_mret(RiscvCpu *cpu)
{
    uint64_t status = cpu->mstatus;
    enum privilege target = (enum privilege)((status & MSTATUS_MPP) >> MSTATUS_MPP_SHIFT);
    status &= ~MSTATUS_MIE;
    if (status & MSTATUS_MPIE)
        status |= MSTATUS_MIE;
    status |= MSTATUS_MPIE;
    status &= ~MSTATUS_MPP; /* MPP becomes U, the least-privileged mode */
    if (target != PRV_M)
        status &= ~MSTATUS_MPRV;
    cpu->mstatus = status;
    cpu->priv = target;
    cpu->pc = cpu->mepc;
    riscv_update_mmu_mode(cpu);
    /* The interpreter has not written cpu->instret back yet: the sync
     * waits for the run loop. */
    if (cpu->pmu.filtering)
        riscv_pmu_priv_changed(cpu, false);
}

void riscv_sret(RiscvCpu *cpu)
{
    uint64_t status = cpu->mstatus;
    enum privilege target = (status & MSTATUS_SPP) ? PRV_S : PRV_U;
    status &= ~MSTATUS_SIE;
    if (status & MSTATUS_SPIE)
        status |= MSTATUS_SIE;
    status |= MSTATUS_SPIE;
    status &= ~MSTATUS_SPP;
    status &= ~MSTATUS_MPRV; /* priv spec 3.1.6.1: xRET to a mode below M clears MPRV */
    cpu->mstatus = status;
    cpu->priv = target;
    cpu->pc = cpu->sepc;
    riscv_update_mmu_mode(cpu);
    if (cpu->pmu.filtering)
        riscv_pmu_priv_changed(cpu, false);
}
