/* cpu/riscv/pmu.c: the performance monitor (priv spec 3.1.10, 3.1.12 and
 * Sscofpmf): counters derived from counts the hart keeps anyway, synced
 * only where a CSR reads or changes them or where privilege changes while
 * counting depends on it, and overflow raised as LCOFI. */
#include "cpu/riscv/pmu.h"

#include <string.h>

#define HPM_MASK (PMU_COUNTER_MASK & ~5u)
#define FIXED_MASK 5u /* mcycle and minstret */

static bool has_sscofpmf(const RiscvCpu *cpu)
{
    return riscv_has_ext(cpu, RISCV_EXT_SSCOFPMF);
}

static void read_sources(const RiscvCpu *cpu, uint64_t now[PMU_SOURCES])
{
    now[PMU_SRC_NONE] = 0;
    now[PMU_SRC_INSTRET] = cpu->instret;
    now[PMU_SRC_DTLB_READ] = cpu->stats.tlb_fills[ACCESS_READ];
    now[PMU_SRC_DTLB_WRITE] = cpu->stats.tlb_fills[ACCESS_WRITE];
    now[PMU_SRC_ITLB] = cpu->stats.tlb_fills[ACCESS_FETCH];
}

static enum pmu_source event_source(uint64_t mhpmevent)
{
    switch (mhpmevent & MHPMEVENT_SELECTOR_MASK) {
    case PMU_EVENT_CYCLES:
    case PMU_EVENT_INSTRUCTIONS:
        return PMU_SRC_INSTRET;
    case PMU_EVENT_DTLB_READ_MISS:
        return PMU_SRC_DTLB_READ;
    case PMU_EVENT_DTLB_WRITE_MISS:
        return PMU_SRC_DTLB_WRITE;
    case PMU_EVENT_ITLB_READ_MISS:
        return PMU_SRC_ITLB;
    default:
        return PMU_SRC_NONE;
    }
}

static enum pmu_source counter_source(const RiscvPmu *p, unsigned i)
{
    return i < PMU_FIRST_HPM ? PMU_SRC_INSTRET : (enum pmu_source)p->source[i - PMU_FIRST_HPM];
}

static int64_t *counter_delta(RiscvCpu *cpu, unsigned i)
{
    if (i == 0)
        return &cpu->cycle_delta;
    if (i == 2)
        return &cpu->instret_delta;
    return &cpu->pmu.delta[i - PMU_FIRST_HPM];
}

/* Counter i's value at the last sync. */
static uint64_t synced_value(RiscvCpu *cpu, unsigned i)
{
    return cpu->pmu.synced[counter_source(&cpu->pmu, i)] + (uint64_t)*counter_delta(cpu, i);
}

static unsigned next_counter(uint32_t *mask)
{
    unsigned i = (unsigned)__builtin_ctz(*mask);
    *mask &= *mask - 1;
    return i;
}

/* The privileges a programmable counter does not count in (Sscofpmf's
 * xINH bits; without the extension they are not there). */
static bool filtered_in(const RiscvCpu *cpu, uint64_t mhpmevent, unsigned priv)
{
    if (!has_sscofpmf(cpu))
        return false;
    static const uint64_t inhibit_bit[4] = {MHPMEVENT_UINH, MHPMEVENT_SINH, 0, MHPMEVENT_MINH};
    return (mhpmevent & inhibit_bit[priv]) != 0;
}

/* The next source counts at which a counter counting in the privilege of
 * the last sync wraps to zero. */
static void update_deadlines(RiscvCpu *cpu)
{
    RiscvPmu *p = &cpu->pmu;
    uint64_t at[PMU_SOURCES];
    for (unsigned s = 0; s < PMU_SOURCES; s++)
        at[s] = UINT64_MAX;
    for (uint32_t m = p->overflows[p->synced_priv]; m;) {
        unsigned i = next_counter(&m);
        enum pmu_source s = counter_source(p, i);
        uint64_t left = 0 - synced_value(cpu, i); /* 0: 2^64 away, never */
        uint64_t when = p->synced[s] + left;
        if (left != 0 && when > p->synced[s] && when < at[s])
            at[s] = when;
    }
    p->overflow_at = at[PMU_SRC_INSTRET];
    p->tlb_overflow_at[ACCESS_READ] = at[PMU_SRC_DTLB_READ];
    p->tlb_overflow_at[ACCESS_WRITE] = at[PMU_SRC_DTLB_WRITE];
    p->tlb_overflow_at[ACCESS_FETCH] = at[PMU_SRC_ITLB];
    p->watch_tlb =
        (at[PMU_SRC_DTLB_READ] & at[PMU_SRC_DTLB_WRITE] & at[PMU_SRC_ITLB]) != UINT64_MAX;
}

/* Sscofpmf: a counter that wraps sets its OF bit and, if OF was clear,
 * requests LCOFI. */
static void overflowed(RiscvCpu *cpu, unsigned i)
{
    uint64_t *event = &cpu->pmu.mhpmevent[i - PMU_FIRST_HPM];
    if (*event & MHPMEVENT_OF)
        return;
    *event |= MHPMEVENT_OF;
    cpu->mip |= MIP_LCOFIP;
}

/* The privilege the counters were synced in, as an index of the per-mode
 * masks. A running hart's is 0, 1 or 3; a state about to be saved before
 * any load made it legal (a unit test's random one) may hold anything. */
static uint8_t sync_priv(const RiscvCpu *cpu)
{
    return (uint8_t)(cpu->priv & 3);
}

void riscv_pmu_sync(RiscvCpu *cpu)
{
    RiscvPmu *p = &cpu->pmu;
    uint64_t now[PMU_SOURCES];
    read_sources(cpu, now);
    unsigned priv = p->synced_priv;
    /* A counter that ran since the last sync wrapped if it is now below
     * where it was (it cannot have run 2^64). */
    for (uint32_t m = p->overflows[priv]; m;) {
        unsigned i = next_counter(&m);
        enum pmu_source s = counter_source(p, i);
        if (now[s] == p->synced[s])
            continue; /* last may be a write's value, one ahead of the count */
        uint64_t after = now[s] + (uint64_t)*counter_delta(cpu, i);
        if (after < p->last[i - PMU_FIRST_HPM])
            overflowed(cpu, i);
        p->last[i - PMU_FIRST_HPM] = after;
    }
    for (uint32_t m = p->stopped[priv]; m;) {
        unsigned i = next_counter(&m);
        enum pmu_source s = counter_source(p, i);
        *counter_delta(cpu, i) -= (int64_t)(now[s] - p->synced[s]);
    }
    memcpy(p->synced, now, sizeof(now));
    p->synced_priv = sync_priv(cpu);
    p->sync_pending = false;
    update_deadlines(cpu);
}

void riscv_pmu_catch_up(RiscvCpu *cpu)
{
    if (riscv_pmu_due(&cpu->pmu, cpu->instret, cpu->stats.tlb_fills))
        riscv_pmu_sync(cpu);
}

void riscv_pmu_priv_changed(RiscvCpu *cpu, bool instret_exact)
{
    /* The instructions since the last sync all ran in its privilege, so a
     * sync before the next instruction accounts for them. */
    if (instret_exact)
        riscv_pmu_sync(cpu);
    else
        cpu->pmu.sync_pending = true;
}

/* Derives sources, masks and deadlines from mhpmevent and mcountinhibit,
 * keeping every counter's value: called right after a sync. A counter that
 * could overflow before and still counts the same keeps last (a write's
 * value, maybe); the others start watching from their value. */
static void configure(RiscvCpu *cpu)
{
    RiscvPmu *p = &cpu->pmu;
    uint64_t values[PMU_NUM_HPM];
    for (unsigned k = 0; k < PMU_NUM_HPM; k++)
        values[k] = synced_value(cpu, PMU_FIRST_HPM + k);
    uint32_t watched = p->overflows[p->synced_priv];
    uint32_t live = FIXED_MASK;
    for (unsigned k = 0; k < PMU_NUM_HPM; k++) {
        enum pmu_source s = event_source(p->mhpmevent[k]);
        if (s != p->source[k] || !((watched >> (PMU_FIRST_HPM + k)) & 1))
            p->last[k] = values[k];
        p->source[k] = (uint8_t)s;
        p->delta[k] = (int64_t)(values[k] - p->synced[s]);
        if (s != PMU_SRC_NONE)
            live |= 1u << (PMU_FIRST_HPM + k);
    }
    static const unsigned privs[] = {PRV_U, PRV_S, PRV_M};
    for (unsigned n = 0; n < 3; n++) {
        unsigned priv = privs[n];
        uint32_t filtered = 0;
        for (unsigned k = 0; k < PMU_NUM_HPM; k++)
            if (filtered_in(cpu, p->mhpmevent[k], priv))
                filtered |= 1u << (PMU_FIRST_HPM + k);
        p->stopped[priv] = live & ((uint32_t)p->mcountinhibit | filtered);
        p->overflows[priv] = has_sscofpmf(cpu) ? live & HPM_MASK & ~p->stopped[priv] : 0;
    }
    /* Priv 2 (reserved) is never run in; it mirrors M to stay harmless. */
    p->stopped[2] = p->stopped[PRV_M];
    p->overflows[2] = p->overflows[PRV_M];
    p->filtering = p->stopped[PRV_U] != p->stopped[PRV_S] || p->stopped[PRV_S] != p->stopped[PRV_M];
    update_deadlines(cpu);
}

void riscv_pmu_reset(RiscvCpu *cpu)
{
    RiscvPmu *p = &cpu->pmu;
    memset(p->mhpmevent, 0, sizeof(p->mhpmevent));
    memset(p->mhpmcounter, 0, sizeof(p->mhpmcounter));
    p->mcountinhibit = 0;
    read_sources(cpu, p->synced);
    p->synced_priv = sync_priv(cpu);
    p->sync_pending = false;
    for (unsigned k = 0; k < PMU_NUM_HPM; k++) {
        p->source[k] = PMU_SRC_NONE;
        p->delta[k] = 0;
    }
    memset(p->overflows, 0, sizeof(p->overflows));
    configure(cpu);
}

static bool implemented(unsigned i)
{
    return i < 32 && ((PMU_COUNTER_MASK >> i) & 1);
}

uint64_t riscv_pmu_read_counter(RiscvCpu *cpu, unsigned i)
{
    if (!implemented(i))
        return 0;
    riscv_pmu_sync(cpu);
    return synced_value(cpu, i);
}

void riscv_pmu_write_counter(RiscvCpu *cpu, unsigned i, uint64_t value)
{
    if (!implemented(i))
        return;
    riscv_pmu_sync(cpu);
    RiscvPmu *p = &cpu->pmu;
    enum pmu_source s = counter_source(p, i);
    /* The write replaces this instruction's own increment (Zicsr 9.1) in a
     * counter that counts it: the next instruction reads value. */
    bool counts_this = s == PMU_SRC_INSTRET && !((p->stopped[p->synced_priv] >> i) & 1);
    *counter_delta(cpu, i) = (int64_t)(value - p->synced[s] - (counts_this ? 1 : 0));
    if (i >= PMU_FIRST_HPM)
        p->last[i - PMU_FIRST_HPM] = value;
    update_deadlines(cpu);
}

uint64_t riscv_pmu_read_event(const RiscvCpu *cpu, unsigned i)
{
    if (i < PMU_FIRST_HPM || i > PMU_LAST_HPM)
        return 0;
    return cpu->pmu.mhpmevent[i - PMU_FIRST_HPM];
}

/* WARL: the event selector holds anything (events ember does not count
 * count nothing); the Sscofpmf bits exist only with the extension, and
 * VSINH/VUINH only with the H extension, which ember has not. */
static uint64_t legal_event(const RiscvCpu *cpu, uint64_t value)
{
    uint64_t mask = MHPMEVENT_SELECTOR_MASK;
    if (has_sscofpmf(cpu))
        mask |= MHPMEVENT_OF | MHPMEVENT_MINH | MHPMEVENT_SINH | MHPMEVENT_UINH;
    return value & mask;
}

void riscv_pmu_write_event(RiscvCpu *cpu, unsigned i, uint64_t value)
{
    if (i < PMU_FIRST_HPM || i > PMU_LAST_HPM)
        return;
    riscv_pmu_sync(cpu);
    cpu->pmu.mhpmevent[i - PMU_FIRST_HPM] = legal_event(cpu, value);
    configure(cpu);
}

uint64_t riscv_pmu_read_inhibit(const RiscvCpu *cpu)
{
    return cpu->pmu.mcountinhibit;
}

void riscv_pmu_write_inhibit(RiscvCpu *cpu, uint64_t value)
{
    riscv_pmu_sync(cpu);
    /* TM has no inhibit (time is not the hart's), nor have the counters
     * that read zero. */
    cpu->pmu.mcountinhibit = value & PMU_COUNTER_MASK;
    configure(cpu);
}

uint64_t riscv_pmu_read_scountovf(const RiscvCpu *cpu)
{
    uint64_t ovf = 0;
    for (unsigned k = 0; k < PMU_NUM_HPM; k++)
        if (cpu->pmu.mhpmevent[k] & MHPMEVENT_OF)
            ovf |= 1ull << (PMU_FIRST_HPM + k);
    /* Below M, only the counters mcounteren grants show. */
    if (cpu->priv < PRV_M)
        ovf &= cpu->mcounteren;
    return ovf;
}

void riscv_pmu_pre_save(RiscvCpu *cpu)
{
    riscv_pmu_sync(cpu);
    for (unsigned k = 0; k < PMU_NUM_HPM; k++)
        cpu->pmu.mhpmcounter[k] = synced_value(cpu, PMU_FIRST_HPM + k);
}

void riscv_pmu_post_load(RiscvCpu *cpu)
{
    RiscvPmu *p = &cpu->pmu;
    for (unsigned k = 0; k < PMU_NUM_HPM; k++)
        p->mhpmevent[k] = legal_event(cpu, p->mhpmevent[k]);
    p->mcountinhibit &= PMU_COUNTER_MASK;
    read_sources(cpu, p->synced);
    p->synced_priv = sync_priv(cpu);
    p->sync_pending = false;
    for (unsigned k = 0; k < PMU_NUM_HPM; k++) {
        p->source[k] = (uint8_t)event_source(p->mhpmevent[k]);
        p->delta[k] = (int64_t)(p->mhpmcounter[k] - p->synced[p->source[k]]);
    }
    memset(p->overflows, 0, sizeof(p->overflows));
    configure(cpu);
}
