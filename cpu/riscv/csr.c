/* cpu/riscv/csr.c: the CSR file: access checks, WARL behaviour, derived
 * counters. */
#include "cpu/riscv/cpu.h"

#include <string.h>

#include "cpu/riscv/csr.h"
#include "cpu/riscv/trigger.h"
#include "cpu/riscv/fpu.h"
#include "cpu/riscv/pmu.h"
#include "cpu/riscv/mmu.h"

/* Exceptions that may be delegated to S-mode: everything but ecall from M
 * (which can never be taken in S) and the reserved causes 10 and 14. */
#define MEDELEG_WRITABLE                                                                           \
    ((1ull << EXC_INSN_MISALIGNED) | (1ull << EXC_INSN_ACCESS) | (1ull << EXC_ILLEGAL_INSN) |      \
     (1ull << EXC_BREAKPOINT) | (1ull << EXC_LOAD_MISALIGNED) | (1ull << EXC_LOAD_ACCESS) |        \
     (1ull << EXC_STORE_MISALIGNED) | (1ull << EXC_STORE_ACCESS) | (1ull << EXC_ECALL_U) |         \
     (1ull << EXC_ECALL_S) | (1ull << EXC_INSN_PAGE_FAULT) | (1ull << EXC_LOAD_PAGE_FAULT) |       \
     (1ull << EXC_STORE_PAGE_FAULT))

#define MSTATUS_WRITABLE                                                                           \
    (MSTATUS_SIE | MSTATUS_MIE | MSTATUS_SPIE | MSTATUS_MPIE | MSTATUS_SPP | MSTATUS_MPP |         \
     MSTATUS_FS | MSTATUS_MPRV | MSTATUS_SUM | MSTATUS_MXR | MSTATUS_TVM | MSTATUS_TW |            \
     MSTATUS_TSR)
#define SSTATUS_MASK                                                                               \
    (MSTATUS_SIE | MSTATUS_SPIE | MSTATUS_UBE | MSTATUS_SPP | MSTATUS_VS | MSTATUS_FS |            \
     MSTATUS_XS | MSTATUS_SUM | MSTATUS_MXR | MSTATUS_UXL | MSTATUS_SD)

/* The interrupts this hart has: Sscofpmf adds the counter overflow. */
static uint64_t interrupts_implemented(const RiscvCpu *cpu)
{
    return MIP_ALL | (riscv_has_ext(cpu, RISCV_EXT_SSCOFPMF) ? MIP_LCOFIP : 0);
}

static uint64_t interrupts_delegable(const RiscvCpu *cpu)
{
    return MIP_S_MASK | (riscv_has_ext(cpu, RISCV_EXT_SSCOFPMF) ? MIP_LCOFIP : 0);
}

/* Entries a pmpcfg register holds: 8 on RV64 (the even ones), 4 on RV32. */
static unsigned pmpcfg_entries(const RiscvCpu *cpu)
{
    return riscv_is_rv32(cpu) ? 4 : 8;
}

/* Counter CSRs readable from S/U only when mcounteren (and scounteren for
 * U) enable them (priv spec 3.1.11). */
static bool counter_enabled(const RiscvCpu *cpu, unsigned csr)
{
    unsigned bit = csr & 0x1f;
    if (cpu->priv < PRV_M && !((cpu->mcounteren >> bit) & 1))
        return false;
    if (cpu->priv < PRV_S && !((cpu->scounteren >> bit) & 1))
        return false;
    return true;
}

/* Sdtrig's tselect, tdata1-3 and tinfo (trigger.c). */
static bool is_trigger_csr(unsigned csr)
{
    return csr >= CSR_TSELECT && csr <= CSR_TINFO;
}

static bool csr_exists(unsigned csr, bool rv32)
{
    if (is_trigger_csr(csr))
        return true;
    switch (csr) {
    case CSR_FFLAGS:
    case CSR_FRM:
    case CSR_FCSR:
    case CSR_CYCLE:
    case CSR_TIME:
    case CSR_INSTRET:
    case CSR_SSTATUS:
    case CSR_SIE:
    case CSR_STVEC:
    case CSR_SCOUNTEREN:
    case CSR_SENVCFG:
    case CSR_SSCRATCH:
    case CSR_SEPC:
    case CSR_SCAUSE:
    case CSR_STVAL:
    case CSR_SIP:
    case CSR_STIMECMP:
    case CSR_SATP:
    case CSR_MVENDORID:
    case CSR_MARCHID:
    case CSR_MIMPID:
    case CSR_MHARTID:
    case CSR_MCONFIGPTR:
    case CSR_MSTATUS:
    case CSR_MISA:
    case CSR_MEDELEG:
    case CSR_MIDELEG:
    case CSR_MIE:
    case CSR_MTVEC:
    case CSR_MCOUNTEREN:
    case CSR_MENVCFG:
    case CSR_MCOUNTINHIBIT:
    case CSR_MSCRATCH:
    case CSR_MEPC:
    case CSR_MCAUSE:
    case CSR_MTVAL:
    case CSR_MIP:
    case CSR_MCYCLE:
    case CSR_MINSTRET:
    case CSR_SCOUNTOVF:
        return true;
    }
    if (csr >= CSR_HPMCOUNTER3 && csr <= CSR_HPMCOUNTER31)
        return true;
    if (csr >= CSR_MHPMCOUNTER3 && csr <= CSR_MHPMCOUNTER31)
        return true;
    if (csr >= CSR_MHPMEVENT3 && csr <= CSR_MHPMEVENT31)
        return true;
    /* RV64 has only the even pmpcfg registers. */
    if (csr >= CSR_PMPCFG0 && csr <= CSR_PMPCFG15)
        return (csr & 1) == 0 || rv32;
    if (csr >= CSR_PMPADDR0 && csr <= CSR_PMPADDR63)
        return true;
    return false;
}

/* RV32 (priv spec 2.2): a high half is bits 63:32 of a 64-bit register;
 * this returns that register's number, or 0. */
static unsigned rv32_low_half_of(unsigned csr)
{
    if ((csr >= CSR_CYCLEH && csr <= CSR_HPMCOUNTER31H) || csr == CSR_MCYCLEH ||
        (csr >= CSR_MINSTRETH && csr <= CSR_MHPMCOUNTER31H))
        return csr - (CSR_CYCLEH - CSR_CYCLE);
    if (csr >= CSR_MHPMEVENT3H && csr <= CSR_MHPMEVENT31H)
        return csr - (CSR_MHPMEVENT3H - CSR_MHPMEVENT3);
    switch (csr) {
    case CSR_STIMECMPH:
    case CSR_MSTATUSH:
    case CSR_MENVCFGH:
        return csr - (CSR_MSTATUSH - CSR_MSTATUS);
    }
    return 0;
}

bool riscv_csr_accessible(RiscvCpu *cpu, unsigned csr, bool write)
{
    unsigned low = riscv_is_rv32(cpu) ? rv32_low_half_of(csr) : 0;
    if (low) {
        /* The events' high halves hold Sscofpmf's fields only. */
        if (low >= CSR_MHPMEVENT3 && low <= CSR_MHPMEVENT31 &&
            !riscv_has_ext(cpu, RISCV_EXT_SSCOFPMF))
            return false;
        return riscv_csr_accessible(cpu, low, write);
    }
    if (!csr_exists(csr, riscv_is_rv32(cpu)))
        return false;
    unsigned min_priv = (csr >> 8) & 3;
    if (cpu->priv < min_priv)
        return false;
    if (write && (csr >> 10) == 3)
        return false;
    if ((csr >= CSR_CYCLE && csr <= CSR_HPMCOUNTER31) && !counter_enabled(cpu, csr))
        return false;
    if (csr == CSR_SCOUNTOVF && !riscv_has_ext(cpu, RISCV_EXT_SSCOFPMF))
        return false;
    if (cpu->priv == PRV_S && csr == CSR_SATP && (cpu->mstatus & MSTATUS_TVM))
        return false;
    /* Unpriv spec 11.1: with FS Off the FP CSRs are illegal too. */
    if (csr <= CSR_FCSR && !(cpu->mstatus & MSTATUS_FS))
        return false;
    /* Sstc: stimecmp needs menvcfg.STCE, and mcounteren.TM below M. */
    if (csr == CSR_STIMECMP) {
        if (!riscv_has_ext(cpu, RISCV_EXT_SSTC))
            return false;
        if (cpu->priv < PRV_M && (!riscv_sstc_enabled(cpu) || !(cpu->mcounteren & 2)))
            return false;
    }
    return true;
}

/* The fields menvcfg and senvcfg share: FIOM, and the cache-block
 * operations' enables of the extensions the hart has. */
static uint64_t envcfg_writable(const RiscvCpu *cpu)
{
    uint64_t writable = 1; /* FIOM */
    if (riscv_has_ext(cpu, RISCV_EXT_ZICBOM))
        writable |= ENVCFG_CBIE | ENVCFG_CBCFE;
    if (riscv_has_ext(cpu, RISCV_EXT_ZICBOZ))
        writable |= ENVCFG_CBZE;
    return writable;
}

/* CBIE's 10 is reserved (WARL): it reads as 00, cbo.inval illegal. */
static uint64_t envcfg_legal(uint64_t value)
{
    return (value & ENVCFG_CBIE) == (2ull << 4) ? value & ~ENVCFG_CBIE : value;
}

static uint64_t mstatus_read(const RiscvCpu *cpu)
{
    /* SD summarises a Dirty FS (VS and XS are always Off). */
    bool dirty = (cpu->mstatus & MSTATUS_FS) == MSTATUS_FS;
    return cpu->mstatus | (dirty ? MSTATUS_SD : 0);
}

/* Any write to fflags, frm or fcsr changes FP state: FS becomes Dirty. */
static void write_fp_csr(RiscvCpu *cpu, unsigned csr, uint64_t value)
{
    riscv_fp_sync_flags(cpu);
    if (csr == CSR_FFLAGS || csr == CSR_FCSR)
        cpu->fflags = (uint32_t)value & FFLAGS_MASK;
    if (csr == CSR_FRM)
        cpu->frm = (uint32_t)value & 7;
    if (csr == CSR_FCSR)
        cpu->frm = (uint32_t)(value >> 5) & 7;
    cpu->mstatus |= MSTATUS_FS;
}

/* The CSRs as RV64 has them (RV32's views are made from these, below). */
static bool csr_read64(RiscvCpu *cpu, unsigned csr, uint64_t *value)
{
    if (is_trigger_csr(csr))
        return riscv_trigger_csr_read(cpu, (enum trigger_csr)(csr - CSR_TSELECT), value);
    switch (csr) {
    case CSR_FFLAGS:
        riscv_fp_sync_flags(cpu);
        *value = cpu->fflags;
        return true;
    case CSR_FRM:
        *value = cpu->frm;
        return true;
    case CSR_FCSR:
        riscv_fp_sync_flags(cpu);
        *value = (cpu->frm << 5) | cpu->fflags;
        return true;
    case CSR_CYCLE:
    case CSR_MCYCLE:
        *value = riscv_pmu_read_counter(cpu, 0);
        return true;
    case CSR_INSTRET:
    case CSR_MINSTRET:
        *value = riscv_pmu_read_counter(cpu, 2);
        return true;
    case CSR_SCOUNTOVF:
        *value = riscv_pmu_read_scountovf(cpu);
        return true;
    case CSR_MCOUNTINHIBIT:
        *value = riscv_pmu_read_inhibit(cpu);
        return true;
    case CSR_TIME:
        *value = riscv_read_time(cpu);
        return true;
    case CSR_SSTATUS:
        *value = mstatus_read(cpu) & SSTATUS_MASK;
        return true;
    case CSR_SIE:
        *value = cpu->mie & cpu->mideleg;
        return true;
    case CSR_SIP:
        *value = riscv_effective_mip(cpu) & cpu->mideleg;
        return true;
    case CSR_STVEC:
        *value = cpu->stvec;
        return true;
    case CSR_SCOUNTEREN:
        *value = cpu->scounteren;
        return true;
    case CSR_SENVCFG:
        *value = cpu->senvcfg;
        return true;
    case CSR_SSCRATCH:
        *value = cpu->sscratch;
        return true;
    case CSR_SEPC:
        *value = cpu->sepc;
        return true;
    case CSR_SCAUSE:
        *value = cpu->scause;
        return true;
    case CSR_STVAL:
        *value = cpu->stval;
        return true;
    case CSR_STIMECMP:
        *value = cpu->stimecmp;
        return true;
    case CSR_SATP:
        *value = cpu->satp;
        return true;
    case CSR_MVENDORID:
    case CSR_MARCHID:
    case CSR_MIMPID:
    case CSR_MCONFIGPTR:
        *value = 0;
        return true;
    case CSR_MHARTID:
        *value = cpu->mhartid;
        return true;
    case CSR_MSTATUS:
        *value = mstatus_read(cpu);
        return true;
    case CSR_MISA:
        *value = cpu->misa;
        return true;
    case CSR_MEDELEG:
        *value = cpu->medeleg;
        return true;
    case CSR_MIDELEG:
        *value = cpu->mideleg;
        return true;
    case CSR_MIE:
        *value = cpu->mie;
        return true;
    case CSR_MIP:
        *value = riscv_effective_mip(cpu);
        return true;
    case CSR_MTVEC:
        *value = cpu->mtvec;
        return true;
    case CSR_MCOUNTEREN:
        *value = cpu->mcounteren;
        return true;
    case CSR_MENVCFG:
        *value = cpu->menvcfg;
        return true;
    case CSR_MSCRATCH:
        *value = cpu->mscratch;
        return true;
    case CSR_MEPC:
        *value = cpu->mepc;
        return true;
    case CSR_MCAUSE:
        *value = cpu->mcause;
        return true;
    case CSR_MTVAL:
        *value = cpu->mtval;
        return true;
    }
    if (csr >= CSR_PMPCFG0 && csr <= CSR_PMPCFG15 && csr_exists(csr, riscv_is_rv32(cpu))) {
        unsigned first = (csr - CSR_PMPCFG0) * 4;
        uint64_t v = 0;
        for (unsigned i = 0; i < pmpcfg_entries(cpu) && first + i < PMP_ENTRIES; i++)
            v |= (uint64_t)cpu->pmpcfg[first + i] << (8 * i);
        *value = v;
        return true;
    }
    if (csr >= CSR_PMPADDR0 && csr <= CSR_PMPADDR63) {
        unsigned i = csr - CSR_PMPADDR0;
        *value = i < PMP_ENTRIES ? cpu->pmpaddr[i] : 0;
        return true;
    }
    /* The programmable counters and their events (pmu.c; those past
     * mhpmcounter18 are hardwired to zero, as priv spec 3.1.10 allows). */
    if (csr >= CSR_HPMCOUNTER3 && csr <= CSR_HPMCOUNTER31) {
        *value = riscv_pmu_read_counter(cpu, csr - CSR_CYCLE);
        return true;
    }
    if (csr >= CSR_MHPMCOUNTER3 && csr <= CSR_MHPMCOUNTER31) {
        *value = riscv_pmu_read_counter(cpu, csr - CSR_MCYCLE);
        return true;
    }
    if (csr >= CSR_MHPMEVENT3 && csr <= CSR_MHPMEVENT31) {
        *value = riscv_pmu_read_event(cpu, csr - CSR_MCOUNTINHIBIT);
        return true;
    }
    *value = 0;
    return csr_exists(csr, riscv_is_rv32(cpu));
}

uint64_t riscv_csr_modify_base(const RiscvCpu *cpu, unsigned csr, uint64_t read_value)
{
    /* Priv spec 3.1.9: a read-modify-write of mip uses the software-writable
     * SEIP bit, not the interrupt controller's line. */
    if (csr == CSR_MIP)
        return (read_value & ~MIP_SEIP) | (cpu->mip & MIP_SEIP);
    return read_value;
}

static bool pmp_locked(const RiscvCpu *cpu, unsigned i)
{
    return (cpu->pmpcfg[i] & 0x80) != 0;
}

static void pmp_changed(RiscvCpu *cpu)
{
    riscv_flush_translation(cpu);
    jump_cache_flush(&cpu->jump_caches[PRV_M]);
}

static void write_pmpcfg(RiscvCpu *cpu, unsigned csr, uint64_t value)
{
    unsigned first = (csr - CSR_PMPCFG0) * 4;
    for (unsigned i = 0; i < pmpcfg_entries(cpu) && first + i < PMP_ENTRIES; i++) {
        uint8_t cfg = (uint8_t)(value >> (8 * i));
        if (pmp_locked(cpu, first + i))
            continue;
        /* R=0, W=1 is reserved (priv spec 3.7.1): keep the entry as it was. */
        if ((cfg & 3) == 2)
            continue;
        cpu->pmpcfg[first + i] = cfg & 0x9f; /* bits 6:5 are reserved zero */
    }
    pmp_changed(cpu);
}

static void write_pmpaddr(RiscvCpu *cpu, unsigned i, uint64_t value)
{
    if (i >= PMP_ENTRIES || pmp_locked(cpu, i))
        return;
    /* A locked TOR entry also locks the address below it. */
    if (i + 1 < PMP_ENTRIES && pmp_locked(cpu, i + 1) &&
        ((cpu->pmpcfg[i + 1] >> 3) & 3) == 1 /* TOR */)
        return;
    cpu->pmpaddr[i] = value & ((1ull << 54) - 1);
    pmp_changed(cpu);
}

static void write_mstatus(RiscvCpu *cpu, uint64_t value)
{
    uint64_t old = cpu->mstatus;
    uint64_t mpp = (value & MSTATUS_MPP) >> MSTATUS_MPP_SHIFT;
    if (mpp == 2) /* WARL: the reserved H level keeps the previous MPP */
        value = (value & ~MSTATUS_MPP) | (old & MSTATUS_MPP);
    cpu->mstatus = (old & ~MSTATUS_WRITABLE) | (value & MSTATUS_WRITABLE);
    if ((old ^ cpu->mstatus) & MSTATUS_MXR)
        riscv_flush_translation(cpu);
    riscv_update_mmu_mode(cpu);
}

static void write_satp(RiscvCpu *cpu, uint64_t value)
{
    /* Priv spec 4.1.11: an unsupported mode makes the whole write void;
     * Linux probes Sv57, Sv48 and Sv39 this way. */
    if (!riscv_satp_mode_supported(cpu, (unsigned)(value >> SATP_MODE_SHIFT)))
        return;
    riscv_set_satp(cpu, value);
}

static bool csr_write64(RiscvCpu *cpu, unsigned csr, uint64_t value)
{
    if (is_trigger_csr(csr))
        return riscv_trigger_csr_write(cpu, (enum trigger_csr)(csr - CSR_TSELECT), value);
    switch (csr) {
    case CSR_FFLAGS:
    case CSR_FRM:
    case CSR_FCSR:
        write_fp_csr(cpu, csr, value);
        return true;
    case CSR_SSTATUS:
        write_mstatus(cpu, (cpu->mstatus & ~SSTATUS_MASK) | (value & SSTATUS_MASK));
        return true;
    case CSR_SIE:
        cpu->mie = (cpu->mie & ~cpu->mideleg) | (value & cpu->mideleg);
        return true;
    case CSR_SIP: {
        /* Only SSIP is writable through sip (priv spec 4.1.3), and LCOFIP
         * (Sscofpmf: the handler clears it). */
        uint64_t writable = (MIP_SSIP | MIP_LCOFIP) & cpu->mideleg;
        cpu->mip = (cpu->mip & ~writable) | (value & writable);
        return true;
    }
    case CSR_STVEC:
        if ((value & 3) < 2)
            cpu->stvec = value;
        return true;
    case CSR_SCOUNTEREN:
        cpu->scounteren = value & 0xffffffffull;
        return true;
    case CSR_SENVCFG:
        cpu->senvcfg = envcfg_legal(value & envcfg_writable(cpu));
        return true;
    case CSR_SSCRATCH:
        cpu->sscratch = value;
        return true;
    case CSR_SEPC:
        cpu->sepc = value & ~1ull;
        return true;
    case CSR_SCAUSE:
        cpu->scause = value;
        return true;
    case CSR_STVAL:
        cpu->stval = value;
        return true;
    case CSR_STIMECMP:
        cpu->stimecmp = value;
        return true;
    case CSR_SATP:
        write_satp(cpu, value);
        return true;
    case CSR_MSTATUS:
        write_mstatus(cpu, value);
        return true;
    case CSR_MISA:
        return true; /* WARL: the extensions cannot be turned off */
    case CSR_MEDELEG:
        cpu->medeleg = value & MEDELEG_WRITABLE;
        return true;
    case CSR_MIDELEG:
        cpu->mideleg = value & interrupts_delegable(cpu);
        return true;
    case CSR_MIE:
        cpu->mie = value & interrupts_implemented(cpu);
        return true;
    case CSR_MIP: {
        /* Sscofpmf: LCOFIP is software's to clear once it has handled
         * the overflow. */
        uint64_t writable = MIP_SSIP | MIP_SEIP | (riscv_sstc_enabled(cpu) ? 0 : MIP_STIP) |
                            (interrupts_implemented(cpu) & MIP_LCOFIP);
        cpu->mip = (cpu->mip & ~writable) | (value & writable);
        return true;
    }
    case CSR_MTVEC:
        if ((value & 3) < 2)
            cpu->mtvec = value;
        return true;
    case CSR_MCOUNTEREN:
        cpu->mcounteren = value & 0xffffffffull;
        return true;
    case CSR_MENVCFG: {
        /* PBMTE exists only with Svpbmt; it decides which PTEs are valid,
         * so cached translations go when it changes. */
        uint64_t writable = envcfg_writable(cpu);
        if (riscv_has_ext(cpu, RISCV_EXT_SSTC))
            writable |= MENVCFG_STCE;
        if (riscv_has_ext(cpu, RISCV_EXT_SVPBMT))
            writable |= MENVCFG_PBMTE;
        uint64_t old = cpu->menvcfg;
        cpu->menvcfg = envcfg_legal(value & writable);
        if ((old ^ cpu->menvcfg) & MENVCFG_PBMTE)
            riscv_flush_translation(cpu);
        return true;
    }
    case CSR_MSCRATCH:
        cpu->mscratch = value;
        return true;
    case CSR_MEPC:
        cpu->mepc = value & ~1ull;
        return true;
    case CSR_MCAUSE:
        cpu->mcause = value;
        return true;
    case CSR_MTVAL:
        cpu->mtval = value;
        return true;
    case CSR_MCYCLE:
        riscv_pmu_write_counter(cpu, 0, value);
        return true;
    case CSR_MINSTRET:
        riscv_pmu_write_counter(cpu, 2, value);
        return true;
    case CSR_MCOUNTINHIBIT:
        riscv_pmu_write_inhibit(cpu, value);
        return true;
    }
    if (csr >= CSR_MHPMCOUNTER3 && csr <= CSR_MHPMCOUNTER31) {
        riscv_pmu_write_counter(cpu, csr - CSR_MCYCLE, value);
        return true;
    }
    if (csr >= CSR_MHPMEVENT3 && csr <= CSR_MHPMEVENT31) {
        riscv_pmu_write_event(cpu, csr - CSR_MCOUNTINHIBIT, value);
        return true;
    }
    if (csr >= CSR_PMPCFG0 && csr <= CSR_PMPCFG15 && csr_exists(csr, riscv_is_rv32(cpu))) {
        write_pmpcfg(cpu, csr, value);
        return true;
    }
    if (csr >= CSR_PMPADDR0 && csr <= CSR_PMPADDR63) {
        write_pmpaddr(cpu, csr - CSR_PMPADDR0, value);
        return true;
    }
    return csr_exists(csr, riscv_is_rv32(cpu));
}

/* Whether an RV32 write of csr keeps the register's bits 63:32 (those of
 * its high half). */
static bool rv32_has_high_half(unsigned csr)
{
    return (csr >= CSR_MCYCLE && csr <= CSR_MHPMCOUNTER31) ||
           (csr >= CSR_MHPMEVENT3 && csr <= CSR_MHPMEVENT31) || csr == CSR_MENVCFG ||
           csr == CSR_STIMECMP;
}

/* The fields RV32 keeps at other bits than RV64: the interrupt bit of the
 * causes (31, 63), mstatus.SD (31, 63), tdata1's type and dmode (31:27,
 * 63:59), and satp's whole layout (cpu.h's SATP_MODE_SV32). */
#define RV32_TDATA1_LOW ((1ull << 27) - 1)
#define RV32_SATP_ASID_SHIFT 22
#define RV32_SATP_ASID_MASK 0x1ffull
#define RV32_SATP_PPN_MASK ((1ull << 22) - 1)

static uint64_t rv32_from_internal(unsigned csr, uint64_t v)
{
    switch (csr) {
    case CSR_MCAUSE:
    case CSR_SCAUSE:
    case CSR_MSTATUS:
    case CSR_SSTATUS:
        return (v & 0x7fffffffull) | ((v >> 63) << 31);
    case CSR_TDATA1:
        return (v & RV32_TDATA1_LOW) | ((v >> 59) << 27);
    case CSR_SATP:
        return ((v >> SATP_MODE_SHIFT) == SATP_MODE_SV32 ? 1ull << 31 : 0) |
               (((v >> SATP_ASID_SHIFT) & RV32_SATP_ASID_MASK) << RV32_SATP_ASID_SHIFT) |
               (v & RV32_SATP_PPN_MASK);
    }
    return (uint32_t)v;
}

static uint64_t rv32_to_internal(unsigned csr, uint64_t v)
{
    switch (csr) {
    case CSR_MCAUSE:
    case CSR_SCAUSE:
        return (v & 0x7fffffffull) | ((v >> 31) << 63);
    case CSR_TDATA1:
        return (v & RV32_TDATA1_LOW) | ((v >> 27) << 59);
    case CSR_SATP:
        return ((v >> 31) ? (uint64_t)SATP_MODE_SV32 << SATP_MODE_SHIFT : 0) |
               (((v >> RV32_SATP_ASID_SHIFT) & RV32_SATP_ASID_MASK) << SATP_ASID_SHIFT) |
               (v & RV32_SATP_PPN_MASK);
    }
    return v;
}

bool riscv_csr_read(RiscvCpu *cpu, unsigned csr, uint64_t *value)
{
    if (!riscv_is_rv32(cpu))
        return csr_read64(cpu, csr, value);
    unsigned low = rv32_low_half_of(csr);
    if (low) {
        if (!csr_read64(cpu, low, value))
            return false;
        /* mstatush: MBE and SBE are 0 (little-endian only); SD is in mstatus. */
        *value = low == CSR_MSTATUS ? 0 : *value >> 32;
        return true;
    }
    if (!csr_read64(cpu, csr, value))
        return false;
    *value = rv32_from_internal(csr, *value);
    return true;
}

bool riscv_csr_write(RiscvCpu *cpu, unsigned csr, uint64_t value)
{
    if (!riscv_is_rv32(cpu))
        return csr_write64(cpu, csr, value);
    value = (uint32_t)value;
    unsigned low = rv32_low_half_of(csr);
    unsigned target = low ? low : csr;
    uint64_t old = 0;
    if ((low || rv32_has_high_half(csr)) && !csr_read64(cpu, target, &old))
        return false;
    if (low == CSR_MSTATUS)
        return true;
    if (low)
        value = (old & 0xffffffffull) | (value << 32);
    else if (rv32_has_high_half(csr))
        value = (old & ~0xffffffffull) | value;
    else
        value = rv32_to_internal(csr, value);
    return csr_write64(cpu, target, value);
}

/* A WARL field keeps its previous value when a write is illegal; for a
 * loaded value the previous one is the reset value. */
static void rewrite(RiscvCpu *cpu, unsigned csr, uint64_t *field, uint64_t reset_value)
{
    uint64_t loaded = *field;
    *field = reset_value;
    csr_write64(cpu, csr, loaded);
}

/* mscratch, sscratch, mcause, scause, mtval, stval and stimecmp hold any
 * value a csrw gives them, so they need nothing. */
void riscv_csr_legalize(RiscvCpu *cpu)
{
    rewrite(cpu, CSR_MSTATUS, &cpu->mstatus, riscv_is_rv32(cpu) ? 0 : MSTATUS_RESET);
    rewrite(cpu, CSR_SATP, &cpu->satp, 0);
    rewrite(cpu, CSR_MEDELEG, &cpu->medeleg, 0);
    rewrite(cpu, CSR_MIDELEG, &cpu->mideleg, 0);
    rewrite(cpu, CSR_MIE, &cpu->mie, 0);
    rewrite(cpu, CSR_MTVEC, &cpu->mtvec, 0);
    rewrite(cpu, CSR_STVEC, &cpu->stvec, 0);
    rewrite(cpu, CSR_MEPC, &cpu->mepc, 0);
    rewrite(cpu, CSR_SEPC, &cpu->sepc, 0);
    rewrite(cpu, CSR_MCOUNTEREN, &cpu->mcounteren, 0);
    rewrite(cpu, CSR_SCOUNTEREN, &cpu->scounteren, 0);
    rewrite(cpu, CSR_MENVCFG, &cpu->menvcfg, 0);
    rewrite(cpu, CSR_SENVCFG, &cpu->senvcfg, 0);
    /* The fcsr write's masks, without its side effect: it would make FS
     * Dirty. */
    cpu->fflags &= FFLAGS_MASK;
    cpu->frm &= 7;
    /* Devices drive MSIP, MTIP and MEIP, which no csrw can set: every
     * implemented bit is legal. */
    cpu->mip &= interrupts_implemented(cpu);
    /* Addresses before configurations, with every entry unlocked meanwhile:
     * a locked entry refuses writes to its address (and to the one below
     * it, for TOR). */
    uint8_t cfg[PMP_ENTRIES];
    memcpy(cfg, cpu->pmpcfg, sizeof(cfg));
    memset(cpu->pmpcfg, 0, sizeof(cpu->pmpcfg));
    for (unsigned i = 0; i < PMP_ENTRIES; i++)
        rewrite(cpu, CSR_PMPADDR0 + i, &cpu->pmpaddr[i], 0);
    unsigned per_csr = pmpcfg_entries(cpu);
    for (unsigned first = 0; first < PMP_ENTRIES; first += per_csr) {
        uint64_t value = 0;
        for (unsigned i = 0; i < per_csr; i++)
            value |= (uint64_t)cfg[first + i] << (8 * i);
        /* RV64: pmpcfg0 holds entries 0-7, pmpcfg2 entries 8-15; RV32:
         * pmpcfgN entries 4N to 4N+3. */
        csr_write64(cpu, CSR_PMPCFG0 + first / 4, value);
    }
}
