/* cpu/riscv/cpu_state.c: the hart's state table. Saved: what the guest can
 * see (registers, privilege, CSRs, counters, the LR reservation, the
 * interrupt lines devices drive, WFI). Not saved: wiring, the host-side
 * caches, statistics, and what post_load derives. */
#include "cpu/riscv/cpu.h"
#include "cpu/riscv/pmu.h"
#include "cpu/riscv/trigger.h"

/* The raw instret is this process's count (the run loop's budgets and
 * -d stats are relative to it), so the counters travel as the values the
 * guest reads. */
static void hart_pre_save(void *object)
{
    RiscvCpu *cpu = object;
    /* Brings mcycle's and minstret's deltas up to date too (inhibited
     * counters keep theirs only at syncs). */
    riscv_pmu_pre_save(cpu);
    cpu->mcycle = riscv_mcycle(cpu);
    cpu->minstret = riscv_minstret(cpu);
}

/* A stream is input like any other: every value is made one the
 * interpreter can meet, then everything cached from the old state goes. */
static void hart_post_load(void *object)
{
    RiscvCpu *cpu = object;
    /* An impossible privilege (2 is the reserved H level) becomes the one a
     * hart resets into; the MMU mode and the jump caches index by it. */
    unsigned priv = (unsigned)cpu->priv;
    if (priv != PRV_U && priv != PRV_S && priv != PRV_M)
        cpu->priv = PRV_M;
    riscv_csr_legalize(cpu);
    cpu->x[0] = 0;
    /* IALIGN is 16 with the C extension: pc is always even. */
    cpu->pc &= ~1ull;
    cpu->mip_seip = cpu->mip_seip != 0;
    cpu->cycle_delta = (int64_t)(cpu->mcycle - cpu->instret);
    cpu->instret_delta = (int64_t)(cpu->minstret - cpu->instret);
    riscv_pmu_post_load(cpu);
    riscv_trigger_post_load(cpu);

    cpu->last_tb = NULL;
    riscv_reset_translation(cpu);
    /* M-mode fetches do not translate: riscv_flush_translation keeps their
     * jump cache, which a new PMP and new memory invalidate too. */
    jump_cache_flush(&cpu->jump_caches[PRV_M]);
    riscv_update_mmu_mode(cpu);
}

/* The PMU's guest state; the rest is derived (riscv_pmu_post_load). */
static const StateField pmu_fields[] = {
    STATE_UINT_ARRAY(RiscvPmu, mhpmevent),
    STATE_UINT(RiscvPmu, mcountinhibit),
    STATE_UINT_ARRAY(RiscvPmu, mhpmcounter),
    STATE_END,
};

static const StateField pmu_unsaved[] = {
    STATE_UNSAVED(RiscvPmu, delta),
    STATE_UNSAVED(RiscvPmu, last),
    STATE_UNSAVED(RiscvPmu, source),
    STATE_UNSAVED(RiscvPmu, stopped),
    STATE_UNSAVED(RiscvPmu, overflows),
    STATE_UNSAVED(RiscvPmu, filtering),
    STATE_UNSAVED(RiscvPmu, watch_tlb),
    STATE_UNSAVED(RiscvPmu, synced),
    STATE_UNSAVED(RiscvPmu, synced_priv),
    STATE_UNSAVED(RiscvPmu, sync_pending),
    STATE_UNSAVED(RiscvPmu, overflow_at),
    STATE_UNSAVED(RiscvPmu, tlb_overflow_at),
    STATE_END,
};

static const StateDescription pmu_state = {
    .name = "riscv-pmu",
    .c_type = "RiscvPmu",
    .version = 1,
    .struct_size = sizeof(RiscvPmu),
    .fields = pmu_fields,
    .unsaved = pmu_unsaved,
};

/* Sdtrig: the registers; what they arm is derived again after a load. */
static const StateField trigger_fields[] = {
    STATE_UINT(RiscvTriggers, tselect),
    STATE_UINT_ARRAY(RiscvTriggers, tdata1),
    STATE_UINT_ARRAY(RiscvTriggers, tdata2),
    STATE_END,
};

static const StateField trigger_unsaved[] = {
    STATE_UNSAVED(RiscvTriggers, armed),
    STATE_END,
};

static const StateDescription trigger_state = {
    .name = "riscv-triggers",
    .c_type = "RiscvTriggers",
    .version = 1,
    .struct_size = sizeof(RiscvTriggers),
    .fields = trigger_fields,
    .unsaved = trigger_unsaved,
};

static const StateField hart_fields[] = {
    /* x0 to x31: x[32] is where writes to x0 go, never read. */
    STATE_FIELD_(RiscvCpu, x, FIELD_UINT, sizeof(uint64_t), 32),
    STATE_UINT(RiscvCpu, pc),
    STATE_UINT(RiscvCpu, priv),
    STATE_BOOL(RiscvCpu, wfi),
    STATE_UINT_ARRAY(RiscvCpu, f),
    STATE_UINT(RiscvCpu, fflags),
    STATE_UINT(RiscvCpu, frm),
    STATE_BOOL(RiscvCpu, reservation_valid),
    STATE_UINT(RiscvCpu, reservation),
    STATE_UINT(RiscvCpu, mstatus),
    STATE_UINT(RiscvCpu, medeleg),
    STATE_UINT(RiscvCpu, mideleg),
    STATE_UINT(RiscvCpu, mie),
    STATE_UINT(RiscvCpu, mip),
    STATE_UINT(RiscvCpu, mip_seip),
    STATE_UINT(RiscvCpu, mtvec),
    STATE_UINT(RiscvCpu, mscratch),
    STATE_UINT(RiscvCpu, mepc),
    STATE_UINT(RiscvCpu, mcause),
    STATE_UINT(RiscvCpu, mtval),
    STATE_UINT(RiscvCpu, stvec),
    STATE_UINT(RiscvCpu, sscratch),
    STATE_UINT(RiscvCpu, sepc),
    STATE_UINT(RiscvCpu, scause),
    STATE_UINT(RiscvCpu, stval),
    STATE_UINT(RiscvCpu, satp),
    STATE_UINT(RiscvCpu, mcounteren),
    STATE_UINT(RiscvCpu, scounteren),
    STATE_UINT(RiscvCpu, menvcfg),
    STATE_UINT(RiscvCpu, senvcfg),
    STATE_UINT(RiscvCpu, stimecmp),
    STATE_UINT(RiscvCpu, mcycle),
    STATE_UINT(RiscvCpu, minstret),
    STATE_UINT_ARRAY(RiscvCpu, pmpcfg),
    STATE_UINT_ARRAY(RiscvCpu, pmpaddr),
    STATE_STRUCT(RiscvCpu, pmu, &pmu_state),
    STATE_STRUCT(RiscvCpu, triggers, &trigger_state),
    STATE_END,
};

/* mhartid, misa and the extensions (-cpu) are the board's choice, fixed at
 * init: no guest write changes them, and a stream's could only contradict
 * the machine. The
 * time CSR is the ACLINT's mtime, saved with it. */
static const StateField hart_unsaved[] = {
    STATE_UNSAVED(RiscvCpu, instret),
    STATE_UNSAVED(RiscvCpu, cycle_delta),
    STATE_UNSAVED(RiscvCpu, instret_delta),
    STATE_UNSAVED(RiscvCpu, mhartid),
    STATE_UNSAVED(RiscvCpu, ext),
    STATE_UNSAVED(RiscvCpu, misa),
    STATE_UNSAVED(RiscvCpu, dtlb),
    STATE_UNSAVED(RiscvCpu, itlb),
    STATE_UNSAVED(RiscvCpu, jump_cache),
    STATE_UNSAVED(RiscvCpu, jump_salt),
    STATE_UNSAVED(RiscvCpu, context),
    STATE_UNSAVED(RiscvCpu, m_tlb),
    STATE_UNSAVED(RiscvCpu, global),
    STATE_UNSAVED(RiscvCpu, contexts),
    STATE_UNSAVED(RiscvCpu, context_clock),
    STATE_UNSAVED(RiscvCpu, next_jump_salt),
    STATE_UNSAVED(RiscvCpu, jump_caches),
    STATE_UNSAVED(RiscvCpu, last_tb),
    STATE_UNSAVED(RiscvCpu, last_exit_slot),
    STATE_UNSAVED(RiscvCpu, stop_block),
    STATE_UNSAVED(RiscvCpu, no_chain),
    STATE_UNSAVED(RiscvCpu, debug),
    STATE_UNSAVED(RiscvCpu, exit_request),
    STATE_UNSAVED(RiscvCpu, yield_on_spin),
    STATE_UNSAVED(RiscvCpu, stats),
    STATE_UNSAVED(RiscvCpu, time),
    STATE_UNSAVED(RiscvCpu, as),
    STATE_UNSAVED(RiscvCpu, tb_cache),
    STATE_END,
};

const StateDescription riscv_cpu_state = {
    .name = "riscv-hart",
    .c_type = "RiscvCpu",
    /* 2: the PMU (mhpmevent, mcountinhibit, mhpmcounter). */
    .version = 2,
    .struct_size = sizeof(RiscvCpu),
    .fields = hart_fields,
    .unsaved = hart_unsaved,
    .post_load = hart_post_load,
    .pre_save = hart_pre_save,
};
