/* cpu/riscv/cpu.c: the hart's life cycle and the state the interpreter, the
 * CSR file and trap entry all act on: MMU mode and translation flushes, FP
 * flags, time and interrupt lines. */
#include "cpu/riscv/cpu.h"

#include <stdlib.h>
#include <string.h>

#include "cpu/riscv/fpu.h"
#include "util/log.h"

#define MISA_MXL_64 (2ull << 62)
#define MISA_MXL_32 (1ull << 30)
#define MISA_EXT(letter) (1ull << ((letter) - 'A'))

/* On zeroed memory. The jump caches are empty when zero; the TLB sets are
 * not (a zero tag maps page 0), and reset and riscv_set_satp empty each
 * one before its first use, so that memory no hart uses is never touched
 * (megabytes: a hart's start-up time was its page faults). */
static void setup(RiscvCpu *cpu, AddressSpace *as, uint64_t hartid)
{
    cpu->as = as;
    cpu->mhartid = hartid;
    cpu->ext = riscv_ext_defaults();
}

void riscv_cpu_init(RiscvCpu *cpu, AddressSpace *as, uint64_t hartid)
{
    memset(cpu, 0, sizeof(*cpu));
    setup(cpu, as, hartid);
}

RiscvCpu *riscv_cpu_new(AddressSpace *as, uint64_t hartid)
{
    RiscvCpu *cpu = calloc(1, sizeof(*cpu));
    if (cpu)
        setup(cpu, as, hartid);
    return cpu;
}

void riscv_reset_translation(RiscvCpu *cpu)
{
    for (unsigned i = 0; i < TLB_CONTEXTS; i++) {
        cpu->contexts[i].satp = TLB_CONTEXT_FREE;
        cpu->contexts[i].last_used = 0;
    }
    cpu->context_clock = 0;
    cpu->contexts[0].satp = cpu->satp;
    cpu->context = &cpu->contexts[0];
    /* The sets in use from now on start empty, whatever they held; the
     * other contexts' are emptied when they are taken. */
    tlb_empty_set(&cpu->m_tlb);
    for (int mode = 0; mode < MMU_MODE_M; mode++) {
        tlb_empty_set(&cpu->global.sets[mode]);
        tlb_empty_set(&cpu->context->sets[mode]);
    }
    riscv_flush_translation(cpu);
}

void riscv_cpu_reset(RiscvCpu *cpu, uint64_t reset_pc)
{
    memset(cpu->x, 0, sizeof(cpu->x));
    memset(cpu->f, 0, sizeof(cpu->f));
    cpu->fflags = cpu->frm = 0;
    cpu->pc = reset_pc;
    cpu->priv = PRV_M;
    /* The width comes with the extensions (-cpu), set after init. */
    cpu->misa = (riscv_is_rv32(cpu) ? MISA_MXL_32 : MISA_MXL_64) | MISA_EXT('I') | MISA_EXT('M') |
                MISA_EXT('A') | MISA_EXT('F') | MISA_EXT('D') | MISA_EXT('C') | MISA_EXT('S') |
                MISA_EXT('U');
    /* Priv spec 3.4: MIE and MPRV reset to 0; UXL/SXL are fixed at 64-bit.
     * FS starts Off, as on QEMU: firmware turns the FPU on. */
    cpu->mstatus = riscv_is_rv32(cpu) ? 0 : MSTATUS_RESET;
    cpu->mip = 0;
    cpu->mie = cpu->medeleg = cpu->mideleg = 0;
    cpu->mtvec = cpu->stvec = 0;
    cpu->mepc = cpu->sepc = cpu->mcause = cpu->scause = cpu->mtval = cpu->stval = 0;
    cpu->mscratch = cpu->sscratch = 0;
    cpu->satp = 0;
    cpu->mcounteren = cpu->scounteren = 0;
    cpu->menvcfg = cpu->senvcfg = 0;
    cpu->stimecmp = UINT64_MAX;
    cpu->cycle_delta = cpu->instret_delta = 0;
    cpu->instret = 0;
    memset(cpu->pmpcfg, 0, sizeof(cpu->pmpcfg));
    memset(cpu->pmpaddr, 0, sizeof(cpu->pmpaddr));
    cpu->reservation_valid = false;
    cpu->wfi = false;
    cpu->last_tb = NULL;
    riscv_reset_translation(cpu);
    for (int priv = 0; priv < 4; priv++)
        jump_cache_flush(&cpu->jump_caches[priv]);
    riscv_pmu_reset(cpu);
    /* As QEMU's: address triggers that match in no mode. */
    cpu->triggers = (RiscvTriggers){.armed = 0};
    for (unsigned i = 0; i < RISCV_TRIGGERS; i++)
        cpu->triggers.tdata1[i] = TDATA1_RESET;
}

void riscv_update_mmu_mode(RiscvCpu *cpu)
{
    static const enum mmu_mode fetch_modes[4] = {MMU_MODE_U, MMU_MODE_S, MMU_MODE_S, MMU_MODE_M};
    enum privilege data_priv = cpu->priv;
    if (cpu->priv == PRV_M && (cpu->mstatus & MSTATUS_MPRV))
        data_priv = (enum privilege)((cpu->mstatus & MSTATUS_MPP) >> MSTATUS_MPP_SHIFT);
    enum mmu_mode data_mode = fetch_modes[data_priv];
    if (data_mode == MMU_MODE_S && (cpu->mstatus & MSTATUS_SUM))
        data_mode = MMU_MODE_S_SUM;
    cpu->dtlb = riscv_tlb_set(cpu, data_mode);
    cpu->itlb = riscv_tlb_set(cpu, fetch_modes[cpu->priv]);
    cpu->jump_cache = &cpu->jump_caches[cpu->priv];
    cpu->jump_salt = cpu->priv == PRV_M ? 0 : cpu->context->jump_salt;
}

/* Gives every context a salt of its own again, the salted entries gone. */
static void restart_jump_salts(RiscvCpu *cpu)
{
    for (unsigned i = 0; i < TLB_CONTEXTS; i++)
        cpu->contexts[i].jump_salt = (uint64_t)(i + 1) << JUMP_SALT_SHIFT;
    cpu->next_jump_salt = TLB_CONTEXTS + 1;
}

/* A flushed context's old jump-cache entries must never match again: it
 * takes an unused salt, and when none is left, the salted entries go (the
 * global ones stay) and the salts start over. */
static void renew_jump_salt(RiscvCpu *cpu, TlbContext *c)
{
    if (cpu->next_jump_salt > JUMP_SALTS) {
        jump_cache_drop_salted(&cpu->jump_caches[PRV_U]);
        jump_cache_drop_salted(&cpu->jump_caches[PRV_S]);
        restart_jump_salts(cpu);
    } else {
        c->jump_salt = cpu->next_jump_salt++ << JUMP_SALT_SHIFT;
    }
}

static void flush_sets(TlbContext *c)
{
    for (int mode = 0; mode < MMU_MODE_M; mode++)
        tlb_flush_set(&c->sets[mode]);
    memset(c->superpages, 0, sizeof(c->superpages));
}

static void flush_context(RiscvCpu *cpu, TlbContext *c)
{
    cpu->stats.context_flushes++;
    flush_sets(c);
    renew_jump_salt(cpu, c);
}

void riscv_flush_translation(RiscvCpu *cpu)
{
    cpu->stats.tlb_flushes++;
    tlb_flush_set(&cpu->m_tlb);
    flush_sets(&cpu->global);
    for (unsigned i = 0; i < TLB_CONTEXTS; i++)
        flush_sets(&cpu->contexts[i]);
    /* M-mode fetches never translate, so only PMP changes affect its jump
     * cache; the callers that change PMP flush that one themselves. */
    jump_cache_flush(&cpu->jump_caches[PRV_U]);
    jump_cache_flush(&cpu->jump_caches[PRV_S]);
    restart_jump_salts(cpu);
    riscv_update_mmu_mode(cpu);
    LOG(LOG_MMU, "mmu: TLB flush\n");
}

void riscv_for_each_tlb_set(RiscvCpu *cpu, void (*fn)(TlbSet *set, void *opaque), void *opaque)
{
    fn(&cpu->m_tlb, opaque);
    for (int mode = 0; mode < MMU_MODE_M; mode++)
        fn(&cpu->global.sets[mode], opaque);
    for (unsigned i = 0; i < TLB_CONTEXTS; i++)
        for (int mode = 0; mode < MMU_MODE_M; mode++)
            fn(&cpu->contexts[i].sets[mode], opaque);
}

void riscv_set_satp(RiscvCpu *cpu, uint64_t value)
{
    cpu->satp = value;
    TlbContext *c = cpu->context;
    if (c->satp != value) {
        cpu->stats.satp_switches++;
        TlbContext *oldest = &cpu->contexts[0];
        for (c = cpu->contexts; c < cpu->contexts + TLB_CONTEXTS; c++) {
            if (c->satp == value)
                break;
            if (c->last_used < oldest->last_used)
                oldest = c;
        }
        if (c < cpu->contexts + TLB_CONTEXTS) {
            cpu->stats.context_reuses++;
        } else {
            /* Recycled, or free: its sets may never have been emptied. */
            c = oldest;
            for (int mode = 0; mode < MMU_MODE_M; mode++)
                tlb_empty_set(&c->sets[mode]);
            flush_context(cpu, c);
            c->satp = value;
        }
        cpu->context = c;
        LOG(LOG_MMU, "mmu: satp %016llx: address space %u\n", (unsigned long long)value,
            (unsigned)(c - cpu->contexts));
    }
    c->last_used = ++cpu->context_clock;
    riscv_update_mmu_mode(cpu);
}

/* sfence.vma of one address in one context: a fence inside a superpage
 * it cached drops all of the context (see TlbContext.superpages). */
static void fence_page(RiscvCpu *cpu, TlbContext *c, uint64_t vaddr)
{
    const VaRange *superpages = &c->superpages[vaddr >> 63];
    if (superpages->mask && (vaddr & superpages->mask) == superpages->base) {
        if (c == &cpu->global)
            flush_sets(c);
        else
            flush_context(cpu, c);
        return;
    }
    for (int mode = 0; mode < MMU_MODE_M; mode++)
        tlb_flush_page_in_set(&c->sets[mode], vaddr);
}

static uint64_t satp_asid(const RiscvCpu *cpu, uint64_t satp)
{
    /* RV32's ASID is 9 bits (in RV64's place: cpu.h). */
    return (satp >> SATP_ASID_SHIFT) & (riscv_is_rv32(cpu) ? 0x1ff : SATP_ASID_MASK);
}

void riscv_sfence_vma(RiscvCpu *cpu, const uint64_t *vaddr, const uint64_t *asid)
{
    if (!vaddr && !asid) {
        riscv_flush_translation(cpu);
        return;
    }
    /* Priv spec 4.2.1: with an ASID, global translations stay; the copies
     * a context holds go with it and come back from cpu->global. */
    for (TlbContext *c = cpu->contexts; c < cpu->contexts + TLB_CONTEXTS; c++) {
        if (c->satp == TLB_CONTEXT_FREE ||
            (asid && satp_asid(cpu, c->satp) != satp_asid(cpu, *asid << SATP_ASID_SHIFT)))
            continue;
        if (vaddr)
            fence_page(cpu, c, *vaddr);
        else
            flush_context(cpu, c);
    }
    if (vaddr) {
        if (!asid)
            fence_page(cpu, &cpu->global, *vaddr);
        /* Every salt's entries for the page: more than the fence names,
         * which is allowed. */
        jump_cache_flush_page(&cpu->jump_caches[PRV_U], *vaddr);
        jump_cache_flush_page(&cpu->jump_caches[PRV_S], *vaddr);
    }
    riscv_update_mmu_mode(cpu);
}

void riscv_fp_sync_flags(RiscvCpu *cpu)
{
    cpu->fflags |= fp_host_take_flags();
}

uint64_t riscv_read_time(RiscvCpu *cpu)
{
    return cpu->time.read_time ? cpu->time.read_time(cpu->time.opaque) : 0;
}

uint64_t riscv_next_timer_deadline(RiscvCpu *cpu)
{
    return riscv_sstc_enabled(cpu) ? cpu->stimecmp : UINT64_MAX;
}

uint64_t riscv_effective_mip(RiscvCpu *cpu)
{
    uint64_t mip = cpu->mip | (cpu->mip_seip ? MIP_SEIP : 0);
    if (riscv_sstc_enabled(cpu)) {
        mip &= ~MIP_STIP;
        if (riscv_read_time(cpu) >= cpu->stimecmp)
            mip |= MIP_STIP;
    }
    return mip;
}

uint64_t riscv_pending_interrupts(RiscvCpu *cpu)
{
    return riscv_effective_mip(cpu) & cpu->mie;
}

void riscv_set_irq_line(RiscvCpu *cpu, uint64_t mip_bit, bool level)
{
    if (mip_bit == MIP_SEIP) {
        cpu->mip_seip = level;
        return;
    }
    if (level)
        cpu->mip |= mip_bit;
    else
        cpu->mip &= ~mip_bit;
}

void riscv_ops_init(void)
{
    riscv_ops_init32();
    riscv_ops_init64();
}

void riscv_execute(RiscvCpu *cpu, struct TranslationBlock *tb, uint64_t vpc, uint64_t insn_limit)
{
    if (riscv_is_rv32(cpu))
        riscv_execute32(cpu, tb, vpc, insn_limit);
    else
        riscv_execute64(cpu, tb, vpc, insn_limit);
}
