/* cpu/riscv/cpu.c: the hart's life cycle and the state the interpreter, the
 * CSR file and trap entry all act on: MMU mode and translation flushes, FP
 * flags, time and interrupt lines. */
#include "cpu/riscv/cpu.h"

#include <string.h>

#include "cpu/riscv/fpu.h"
#include "util/log.h"

#define MISA_MXL_64 (2ull << 62)
#define MISA_MXL_32 (1ull << 30)
#define MISA_EXT(letter) (1ull << ((letter) - 'A'))

void riscv_cpu_init(RiscvCpu *cpu, AddressSpace *as, uint64_t hartid)
{
    memset(cpu, 0, sizeof(*cpu));
    cpu->as = as;
    cpu->mhartid = hartid;
    cpu->ext = riscv_ext_defaults();
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
    /* Whatever the sets hold (zeros after init), they all start empty. */
    for (int mode = 0; mode < MMU_MODE_COUNT; mode++)
        cpu->tlb[mode].used = true;
    riscv_flush_translation(cpu);
    memset(cpu->jump_caches, 0, sizeof(cpu->jump_caches));
    riscv_update_mmu_mode(cpu);
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
    cpu->dtlb = &cpu->tlb[data_mode];
    cpu->itlb = &cpu->tlb[fetch_modes[cpu->priv]];
    cpu->jump_cache = &cpu->jump_caches[cpu->priv];
}

void riscv_flush_translation(RiscvCpu *cpu)
{
    cpu->stats.tlb_flushes++;
    for (int mode = 0; mode < MMU_MODE_COUNT; mode++)
        tlb_flush_set(&cpu->tlb[mode]);
    memset(cpu->superpages, 0, sizeof(cpu->superpages));
    /* M-mode fetches never translate, so only PMP changes affect them; the
     * caller flushes that table itself when PMP changes. */
    jump_cache_flush(&cpu->jump_caches[PRV_U]);
    jump_cache_flush(&cpu->jump_caches[PRV_S]);
    LOG(LOG_MMU, "mmu: TLB flush\n");
}

void riscv_sfence_vma(RiscvCpu *cpu, const uint64_t *vaddr)
{
    const VaRange *superpages = vaddr ? &cpu->superpages[*vaddr >> 63] : NULL;
    if (!vaddr || (superpages->mask && (*vaddr & superpages->mask) == superpages->base)) {
        riscv_flush_translation(cpu);
        return;
    }
    /* The ASID operand is not used: entries are not tagged by ASID, so a
     * flush of one address covers every address space. */
    for (int mode = 0; mode < MMU_MODE_COUNT; mode++)
        tlb_flush_page_in_set(&cpu->tlb[mode], *vaddr);
    jump_cache_flush_page(&cpu->jump_caches[PRV_U], *vaddr);
    jump_cache_flush_page(&cpu->jump_caches[PRV_S], *vaddr);
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
