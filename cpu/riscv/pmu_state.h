/* cpu/riscv/pmu_state.h: the performance monitor's state in the hart
 * (RiscvCpu.pmu), its counters, events and mhpmevent fields; cpu.h holds
 * it, pmu.h has the functions (pmu.c), which need cpu.h. */
#ifndef EMBER_CPU_RISCV_PMU_STATE_H
#define EMBER_CPU_RISCV_PMU_STATE_H

#include <stdbool.h>
#include <stdint.h>

#include "softmmu/tlb.h"

/* QEMU 7.2's virt hart (pmu-num=16): mhpmcounter3..18 count, 19..31 are
 * read-only zero. Counters are numbered as mcountinhibit's bits: 0 is
 * mcycle, 2 minstret, 3.. the programmable ones. */
#define PMU_FIRST_HPM 3
#define PMU_NUM_HPM 16
#define PMU_LAST_HPM (PMU_FIRST_HPM + PMU_NUM_HPM - 1)
/* mcountinhibit's implemented bits: CY, IR and the programmable counters. */
#define PMU_COUNTER_MASK ((((1u << PMU_NUM_HPM) - 1) << PMU_FIRST_HPM) | 5u)

/* The events the counters count, as the SBI PMU extension numbers them
 * (OpenSBI writes these into mhpmevent): QEMU's pmu.c set. Cycles are
 * retired instructions in an interpreter, as mcycle is. */
enum pmu_event {
    PMU_EVENT_CYCLES = 0x1,
    PMU_EVENT_INSTRUCTIONS = 0x2,
    PMU_EVENT_DTLB_READ_MISS = 0x10019,
    PMU_EVENT_DTLB_WRITE_MISS = 0x1001b,
    PMU_EVENT_ITLB_READ_MISS = 0x10021,
};

/* mhpmevent's Sscofpmf fields; the event selector is below them. */
#define MHPMEVENT_OF (1ull << 63)
#define MHPMEVENT_MINH (1ull << 62)
#define MHPMEVENT_SINH (1ull << 61)
#define MHPMEVENT_UINH (1ull << 60)
#define MHPMEVENT_VSINH (1ull << 59)
#define MHPMEVENT_VUINH (1ull << 58)
#define MHPMEVENT_SSCOF_MASK (0xfcull << 56)
#define MHPMEVENT_SELECTOR_MASK ((1ull << 56) - 1)

/* What a counter counts: a running count the hart keeps anyway. */
enum pmu_source {
    PMU_SRC_NONE,    /* no event: the counter holds its value */
    PMU_SRC_INSTRET, /* cpu->instret */
    PMU_SRC_DTLB_READ,
    PMU_SRC_DTLB_WRITE,
    PMU_SRC_ITLB, /* cpu->stats.tlb_fills by access type */
    PMU_SOURCES
};

/* Every counter is its source's running count plus a delta, so nothing
 * happens per instruction or per TLB miss. A counter that does not count
 * (inhibited, or filtered out in the privilege the hart runs in) keeps its
 * value by having its delta lowered by what its source ran meanwhile; that
 * happens at a sync, which the CSR file runs before it reads or changes a
 * counter and trap entry and xRET run when counting depends on privilege.
 * mcycle and minstret keep their deltas in RiscvCpu (cycle_delta,
 * instret_delta). */
typedef struct RiscvPmu {
    /* Guest state. */
    uint64_t mhpmevent[PMU_NUM_HPM];
    uint64_t mcountinhibit;
    /* The counters' values as a state stream holds them (pre_save). */
    uint64_t mhpmcounter[PMU_NUM_HPM];

    /* Derived from the above (riscv_pmu_configure). */
    int64_t delta[PMU_NUM_HPM]; /* value minus the source's count */
    /* What each had when last looked at as one that may overflow, or what a
     * CSR write gave it: one that counts is below it once it has wrapped. */
    uint64_t last[PMU_NUM_HPM];
    uint8_t source[PMU_NUM_HPM];
    /* By privilege: counters whose source runs but which do not count
     * there (bit i: counter i), and the programmable ones that count there
     * and can overflow (Sscofpmf). */
    uint32_t stopped[4], overflows[4];
    bool filtering; /* stopped differs between privileges: traps must sync */
    bool watch_tlb; /* a TLB-miss counter may overflow */

    /* The sources' counts at the last sync, and the privilege the hart has
     * run in since. */
    uint64_t synced[PMU_SOURCES];
    uint8_t synced_priv;
    /* An xRET changed privilege while cpu->instret was behind (the
     * interpreter writes it back when it leaves its blocks): the next sync,
     * before any further instruction, accounts up to it. */
    bool sync_pending;
    /* The next overflow: cpu->instret (the run loop ends its run of blocks
     * there) and the TLB miss counts at which a counter wraps; UINT64_MAX
     * for none. */
    uint64_t overflow_at;
    uint64_t tlb_overflow_at[3]; /* by access_type, as CpuStats.tlb_fills */
} RiscvPmu;

/* Whether a sync is due: an overflow may have come (by the hart's instret
 * and TLB miss counts) or an xRET waits to be accounted. Inline: the run
 * loop asks between every two runs of blocks. */
static inline bool riscv_pmu_due(const RiscvPmu *p, uint64_t instret, const uint64_t tlb_fills[3])
{
    if (p->sync_pending || instret >= p->overflow_at)
        return true;
    return p->watch_tlb && (tlb_fills[ACCESS_READ] >= p->tlb_overflow_at[ACCESS_READ] ||
                            tlb_fills[ACCESS_WRITE] >= p->tlb_overflow_at[ACCESS_WRITE] ||
                            tlb_fills[ACCESS_FETCH] >= p->tlb_overflow_at[ACCESS_FETCH]);
}

#endif
