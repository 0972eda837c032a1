/* tests/unit/test_csr.c: unit tests for cpu/riscv/csr.c: WARL fields, masked
 * views, interrupt bits, counter and privilege gating, PMP registers. */
#include <stdlib.h>
#include <string.h>

#include "cpu/exec.h"
#include "cpu/riscv/tlb_fill.h"
#include "cpu/tb.h"
#include "tests/unit/harness.h"

enum {
    CYCLE = 0xc00,
    TIME = 0xc01,
    INSTRET = 0xc02,
    HPMCOUNTER3 = 0xc03,
    SSTATUS = 0x100,
    SIE = 0x104,
    STVEC = 0x105,
    SCOUNTEREN = 0x106,
    SENVCFG = 0x10a,
    SEPC = 0x141,
    SIP = 0x144,
    STIMECMP = 0x14d,
    SATP = 0x180,
    MVENDORID = 0xf11,
    MHARTID = 0xf14,
    MSTATUS = 0x300,
    MISA = 0x301,
    MEDELEG = 0x302,
    MIDELEG = 0x303,
    MIE = 0x304,
    MTVEC = 0x305,
    MCOUNTEREN = 0x306,
    MENVCFG = 0x30a,
    MCOUNTINHIBIT = 0x320,
    MEPC = 0x341,
    MIP = 0x344,
    PMPCFG0 = 0x3a0,
    PMPCFG2 = 0x3a2,
    PMPADDR0 = 0x3b0,
    MCYCLE = 0xb00,
    MINSTRET = 0xb02,
};

static TestHart *h;
static RiscvCpu *cpu;
static uint64_t fake_time;

static uint64_t read_fake_time(void *opaque)
{
    (void)opaque;
    return fake_time;
}

static void setup(void)
{
    h = test_hart_new();
    cpu = h->cpu;
    fake_time = 0;
    cpu->time = (RiscvTimeSource){read_fake_time, NULL};
}

static void teardown(void)
{
    test_hart_free(h);
}

static uint64_t rd(unsigned csr)
{
    uint64_t value = 0;
    ck_assert_msg(riscv_csr_read(cpu, csr, &value), "read of CSR 0x%x failed", csr);
    return value;
}

static void wr(unsigned csr, uint64_t value)
{
    ck_assert_msg(riscv_csr_write(cpu, csr, value), "write of CSR 0x%x failed", csr);
}

static bool can_read(unsigned csr)
{
    return riscv_csr_accessible(cpu, csr, false);
}

static bool can_write(unsigned csr)
{
    return riscv_csr_accessible(cpu, csr, true);
}

static uint64_t satp_value(unsigned mode, uint64_t asid, uint64_t ppn)
{
    return ((uint64_t)mode << SATP_MODE_SHIFT) | (asid << SATP_ASID_SHIFT) | ppn;
}

/* satp */

START_TEST(test_satp_supported_modes)
{
    uint64_t sv39 = satp_value(SATP_MODE_SV39, 5, 0x80123);
    wr(SATP, sv39);
    ck_assert_uint_eq(rd(SATP), sv39);
    uint64_t sv48 = satp_value(SATP_MODE_SV48, 0xffff, 0xfffffffffffull);
    wr(SATP, sv48);
    ck_assert_uint_eq(rd(SATP), sv48);
    wr(SATP, 0);
    ck_assert_uint_eq(rd(SATP), 0);
}
END_TEST

START_TEST(test_satp_unsupported_modes_ignored)
{
    /* Reserved and RV32-only modes leave satp as it was (WARL). */
    uint64_t sv48 = satp_value(SATP_MODE_SV48, 1, 0x80000);
    wr(SATP, sv48);
    static const unsigned modes[] = {5, 1, 7, 11, 15};
    for (int i = 0; i < 5; i++) {
        wr(SATP, satp_value(modes[i], 2, 0x80400));
        ck_assert_msg(rd(SATP) == sv48, "mode %u changed satp", modes[i]);
    }
}
END_TEST

START_TEST(test_satp_write_switches_address_space)
{
    /* A new satp value is a new address space: its translations, not the
     * ones cached for the old value (those are kept for a switch back). */
    pt_init(h, SATP_MODE_SV39);
    pt_map(h, 0x1000, TEST_RAM_BASE + 0x100000, PTE_V | PTE_RWX | PTE_A | PTE_D, 0);
    test_pmp_allow_all(h);
    test_set_priv(h, PRV_S);
    MemFault fault;
    ck_assert_uint_eq(riscv_tlb_fill(cpu, 0x1000, ACCESS_READ, &fault)->phys,
                      TEST_RAM_BASE + 0x100000);
    pt_map(h, 0x1000, TEST_RAM_BASE + 0x200000, PTE_V | PTE_RWX | PTE_A | PTE_D, 0);
    wr(SATP, cpu->satp | (7ull << SATP_ASID_SHIFT));
    ck_assert_uint_eq(riscv_tlb_fill(cpu, 0x1000, ACCESS_READ, &fault)->phys,
                      TEST_RAM_BASE + 0x200000);
}
END_TEST

START_TEST(test_satp_trapped_by_tvm)
{
    test_set_priv(h, PRV_S);
    ck_assert(can_read(SATP) && can_write(SATP));
    cpu->mstatus |= MSTATUS_TVM;
    ck_assert(!can_read(SATP));
    ck_assert(!can_write(SATP));
    test_set_priv(h, PRV_M);
    ck_assert(can_write(SATP));
}
END_TEST

/* mstatus and sstatus */

START_TEST(test_mstatus_mpp_warl)
{
    wr(MSTATUS, 1ull << MSTATUS_MPP_SHIFT);
    ck_assert_uint_eq((rd(MSTATUS) & MSTATUS_MPP) >> MSTATUS_MPP_SHIFT, PRV_S);
    /* MPP = 2 (reserved) keeps S, while the rest of the write happens. */
    wr(MSTATUS, (2ull << MSTATUS_MPP_SHIFT) | MSTATUS_MIE);
    ck_assert_uint_eq((rd(MSTATUS) & MSTATUS_MPP) >> MSTATUS_MPP_SHIFT, PRV_S);
    ck_assert(rd(MSTATUS) & MSTATUS_MIE);
    wr(MSTATUS, 3ull << MSTATUS_MPP_SHIFT);
    ck_assert_uint_eq((rd(MSTATUS) & MSTATUS_MPP) >> MSTATUS_MPP_SHIFT, PRV_M);
    wr(MSTATUS, 0);
    ck_assert_uint_eq(rd(MSTATUS) & MSTATUS_MPP, 0);
}
END_TEST

START_TEST(test_mstatus_fixed_fields)
{
    wr(MSTATUS, ~0ull);
    uint64_t v = rd(MSTATUS);
    ck_assert_uint_eq((v >> 32) & 3, 2);                 /* UXL: 64-bit */
    ck_assert_uint_eq((v >> 34) & 3, 2);                 /* SXL: 64-bit */
    ck_assert_uint_eq(v & (MSTATUS_VS | MSTATUS_XS), 0); /* no V, no custom state */
    ck_assert_uint_eq(v & MSTATUS_SD, MSTATUS_SD);       /* FS Dirty shows in SD */
    uint64_t writable = MSTATUS_SIE | MSTATUS_MIE | MSTATUS_SPIE | MSTATUS_MPIE | MSTATUS_SPP |
                        MSTATUS_MPP | MSTATUS_FS | MSTATUS_MPRV | MSTATUS_SUM | MSTATUS_MXR |
                        MSTATUS_TVM | MSTATUS_TW | MSTATUS_TSR;
    ck_assert_uint_eq(v & writable, writable);
    wr(MSTATUS, 0);
    ck_assert_uint_eq(rd(MSTATUS), (2ull << 32) | (2ull << 34));
}
END_TEST

START_TEST(test_sstatus_is_a_view)
{
    wr(MSTATUS, MSTATUS_MIE | MSTATUS_MPIE | MSTATUS_MPP | MSTATUS_SIE | MSTATUS_SPP | MSTATUS_SUM |
                    MSTATUS_TSR | MSTATUS_MPRV);
    uint64_t s = rd(SSTATUS);
    ck_assert_uint_eq(s & (MSTATUS_MIE | MSTATUS_MPIE | MSTATUS_MPP | MSTATUS_TSR | MSTATUS_MPRV),
                      0);
    ck_assert_uint_eq(s & (MSTATUS_SIE | MSTATUS_SPP | MSTATUS_SUM),
                      MSTATUS_SIE | MSTATUS_SPP | MSTATUS_SUM);
    ck_assert_uint_eq((s >> 32) & 3, 2); /* UXL is visible */
    ck_assert_uint_eq((s >> 34) & 3, 0); /* SXL is not */

    wr(SSTATUS, 0);
    uint64_t m = rd(MSTATUS);
    ck_assert_uint_eq(m & (MSTATUS_SIE | MSTATUS_SPP | MSTATUS_SUM), 0);
    ck_assert_uint_eq(m & (MSTATUS_MIE | MSTATUS_MPIE | MSTATUS_MPP | MSTATUS_TSR | MSTATUS_MPRV),
                      MSTATUS_MIE | MSTATUS_MPIE | MSTATUS_MPP | MSTATUS_TSR | MSTATUS_MPRV);
    wr(SSTATUS, ~0ull);
    m = rd(MSTATUS);
    ck_assert_uint_eq(m & (MSTATUS_SIE | MSTATUS_SPIE | MSTATUS_SPP | MSTATUS_SUM | MSTATUS_MXR),
                      MSTATUS_SIE | MSTATUS_SPIE | MSTATUS_SPP | MSTATUS_SUM | MSTATUS_MXR);
    ck_assert_uint_eq(m & (MSTATUS_TVM | MSTATUS_TW), 0);
}
END_TEST

START_TEST(test_mstatus_mxr_change_flushes_tlb)
{
    pt_init(h, SATP_MODE_SV39);
    pt_map(h, 0x1000, TEST_RAM_BASE + 0x100000, PTE_V | PTE_X | PTE_A, 0);
    test_pmp_allow_all(h);
    test_set_priv(h, PRV_S);
    MemFault fault;
    wr(SSTATUS, MSTATUS_MXR);
    ck_assert_ptr_nonnull(riscv_tlb_fill(cpu, 0x1000, ACCESS_READ, &fault));
    wr(SSTATUS, 0);
    ck_assert_ptr_null(riscv_tlb_fill(cpu, 0x1000, ACCESS_READ, &fault));
    ck_assert_uint_eq(fault.cause, EXC_LOAD_PAGE_FAULT);
}
END_TEST

START_TEST(test_mstatus_mprv_switches_data_translation)
{
    pt_init(h, SATP_MODE_SV39);
    pt_map(h, 0x1000, TEST_RAM_BASE + 0x100000, PTE_V | PTE_RWX | PTE_A | PTE_D, 0);
    test_pmp_allow_all(h);
    MemFault fault;
    ck_assert_uint_eq(riscv_tlb_fill(cpu, 0x1000, ACCESS_READ, &fault)->phys, 0x1000);
    wr(MSTATUS, MSTATUS_MPRV | (1ull << MSTATUS_MPP_SHIFT));
    ck_assert_uint_eq(riscv_tlb_fill(cpu, 0x1000, ACCESS_READ, &fault)->phys,
                      TEST_RAM_BASE + 0x100000);
    wr(MSTATUS, 0);
    ck_assert_uint_eq(riscv_tlb_fill(cpu, 0x1000, ACCESS_READ, &fault)->phys, 0x1000);
}
END_TEST

/* Interrupt registers */

START_TEST(test_mip_writable_bits)
{
    wr(MIP, ~0ull);
    ck_assert_uint_eq(rd(MIP), MIP_SSIP | MIP_STIP | MIP_SEIP);
    wr(MIP, 0);
    ck_assert_uint_eq(rd(MIP), 0);
}
END_TEST

START_TEST(test_mip_device_bits_read_only)
{
    riscv_set_irq_line(cpu, MIP_MTIP, true);
    riscv_set_irq_line(cpu, MIP_MSIP, true);
    wr(MIP, 0);
    ck_assert_uint_eq(rd(MIP), MIP_MTIP | MIP_MSIP);
    riscv_set_irq_line(cpu, MIP_MTIP, false);
    ck_assert_uint_eq(rd(MIP), MIP_MSIP);
}
END_TEST

START_TEST(test_mip_seip_is_or_of_line_and_bit)
{
    riscv_set_irq_line(cpu, MIP_SEIP, true);
    ck_assert(rd(MIP) & MIP_SEIP);
    wr(MIP, 0); /* the line stays up */
    ck_assert(rd(MIP) & MIP_SEIP);
    riscv_set_irq_line(cpu, MIP_SEIP, false);
    ck_assert_uint_eq(rd(MIP) & MIP_SEIP, 0);
    wr(MIP, MIP_SEIP); /* the software bit alone */
    ck_assert(rd(MIP) & MIP_SEIP);
}
END_TEST

START_TEST(test_mip_stip_read_only_with_sstc)
{
    wr(MIP, MIP_STIP);
    ck_assert(rd(MIP) & MIP_STIP);
    wr(MENVCFG, MENVCFG_STCE);
    ck_assert_uint_eq(rd(MENVCFG), MENVCFG_STCE);
    /* Now STIP is stimecmp <= time, whatever software writes. */
    wr(STIMECMP, UINT64_MAX);
    ck_assert_uint_eq(rd(MIP) & MIP_STIP, 0);
    wr(MIP, MIP_STIP);
    ck_assert_uint_eq(rd(MIP) & MIP_STIP, 0);
    fake_time = 1000;
    wr(STIMECMP, 1000);
    ck_assert(rd(MIP) & MIP_STIP);
    wr(MIP, 0);
    ck_assert(rd(MIP) & MIP_STIP);
    wr(STIMECMP, 1001);
    ck_assert_uint_eq(rd(MIP) & MIP_STIP, 0);
    ck_assert_uint_eq(riscv_next_timer_deadline(cpu), 1001);
}
END_TEST

START_TEST(test_mideleg_and_medeleg_masks)
{
    wr(MIDELEG, ~0ull);
    ck_assert_uint_eq(rd(MIDELEG), MIP_SSIP | MIP_STIP | MIP_SEIP);
    wr(MEDELEG, ~0ull);
    uint64_t medeleg = rd(MEDELEG);
    ck_assert_uint_eq(medeleg & (1ull << EXC_ECALL_M), 0); /* never delegable */
    ck_assert_uint_eq(medeleg & ((1ull << 10) | (1ull << 14) | ~0xffffull), 0); /* reserved */
    ck_assert_uint_eq(medeleg, 0xb3ff);
}
END_TEST

START_TEST(test_sie_sip_follow_mideleg)
{
    wr(MIE, ~0ull);
    ck_assert_uint_eq(rd(MIE), MIP_ALL);
    ck_assert_uint_eq(rd(SIE), 0); /* nothing delegated */
    wr(MIDELEG, MIP_SSIP | MIP_STIP);
    ck_assert_uint_eq(rd(SIE), MIP_SSIP | MIP_STIP);
    wr(SIE, 0);
    ck_assert_uint_eq(rd(MIE), MIP_ALL & ~(MIP_SSIP | MIP_STIP));

    wr(SIP, ~0ull); /* only SSIP is writable through sip */
    ck_assert_uint_eq(rd(MIP), MIP_SSIP);
    ck_assert_uint_eq(rd(SIP), MIP_SSIP);
    wr(MIP, MIP_SEIP | MIP_SSIP);
    ck_assert_uint_eq(rd(SIP), MIP_SSIP); /* SEIP not delegated: invisible */
    wr(MIDELEG, 0);
    wr(SIP, 0); /* SSIP not delegated: read-only zero in sip */
    ck_assert(rd(MIP) & MIP_SSIP);
}
END_TEST

/* Trap registers */

START_TEST(test_epc_bit0_reads_zero)
{
    wr(MEPC, 0x80000001);
    ck_assert_uint_eq(rd(MEPC), 0x80000000);
    wr(MEPC, 0x80000003);
    ck_assert_uint_eq(rd(MEPC), 0x80000002); /* IALIGN 16 with C */
    wr(SEPC, ~0ull);
    ck_assert_uint_eq(rd(SEPC), ~1ull);
}
END_TEST

START_TEST(test_tvec_modes)
{
    wr(MTVEC, 0x80000001);
    ck_assert_uint_eq(rd(MTVEC), 0x80000001);
    wr(MTVEC, 0x80001002); /* reserved mode: ignored */
    ck_assert_uint_eq(rd(MTVEC), 0x80000001);
    wr(STVEC, 0x80002000);
    wr(STVEC, 0x80003003);
    ck_assert_uint_eq(rd(STVEC), 0x80002000);
}
END_TEST

/* Identification and fixed registers */

START_TEST(test_identification)
{
    riscv_cpu_init(cpu, &h->as, 5);
    riscv_cpu_reset(cpu, TEST_RAM_BASE);
    ck_assert_uint_eq(rd(MHARTID), 5);
    ck_assert_uint_eq(rd(MVENDORID), 0);
    uint64_t misa = rd(MISA);
    ck_assert_uint_eq(misa >> 62, 2); /* MXL = 64 */
    for (const char *ext = "IMAFDCSU"; *ext; ext++)
        ck_assert_msg(misa & (1ull << (*ext - 'A')), "misa lacks %c", *ext);
    ck_assert_uint_eq(misa & (1ull << ('V' - 'A')), 0);
    wr(MISA, 0); /* WARL: extensions stay on */
    ck_assert_uint_eq(rd(MISA), misa);
    /* mcountinhibit: CY, IR and the programmable counters (not TM). */
    wr(MCOUNTINHIBIT, ~0ull);
    ck_assert_uint_eq(rd(MCOUNTINHIBIT), PMU_COUNTER_MASK);
}
END_TEST

START_TEST(test_envcfg_masks)
{
    wr(MENVCFG, ~0ull);
    ck_assert_uint_eq(rd(MENVCFG), MENVCFG_STCE | 1);
    wr(SENVCFG, ~0ull);
    ck_assert_uint_eq(rd(SENVCFG), 1);
}
END_TEST

/* Access checks */

START_TEST(test_read_only_csrs)
{
    ck_assert(can_read(CYCLE));
    ck_assert(!can_write(CYCLE));
    ck_assert(!can_write(TIME));
    ck_assert(!can_write(INSTRET));
    ck_assert(can_read(MVENDORID));
    ck_assert(!can_write(MVENDORID));
    ck_assert(!can_write(MHARTID));
    ck_assert(can_write(MCYCLE));
    ck_assert(can_write(MSTATUS));
}
END_TEST

START_TEST(test_privilege_gating)
{
    test_set_priv(h, PRV_S);
    ck_assert(!can_read(MSTATUS));
    ck_assert(!can_read(MEPC));
    ck_assert(!can_read(MHARTID));
    ck_assert(!can_write(MIP));
    ck_assert(!can_read(MCYCLE));
    ck_assert(can_read(SSTATUS) && can_write(SSTATUS));
    ck_assert(can_write(SEPC));
    test_set_priv(h, PRV_U);
    ck_assert(!can_read(SSTATUS));
    ck_assert(!can_read(SATP));
    ck_assert(!can_read(MSTATUS));
    test_set_priv(h, PRV_M);
    ck_assert(can_read(SSTATUS) && can_read(MSTATUS) && can_read(SATP));
}
END_TEST

START_TEST(test_missing_csrs)
{
    /* Includes pmpcfg1 and pmpcfg3, which RV64 does not have. */
    static const unsigned missing[] = {0x7c0, 0x5c0, 0x3a1, 0x3a3, 0x7b0, 0x001, 0x800, 0xfff};
    for (int i = 0; i < 8; i++) {
        ck_assert_msg(!can_read(missing[i]), "CSR 0x%x readable", missing[i]);
        ck_assert_msg(!can_write(missing[i]), "CSR 0x%x writable", missing[i]);
    }
    uint64_t value;
    ck_assert(!riscv_csr_read(cpu, 0x7c0, &value));
    ck_assert(!riscv_csr_write(cpu, 0x7c0, 0));
}
END_TEST

START_TEST(test_odd_pmpcfg_is_not_an_alias)
{
    /* RV64 has no odd pmpcfg registers: callers that skip
     * riscv_csr_accessible (a debugger, the monitor) must not reach them,
     * or a write to pmpcfg1 would rewrite entries 4..11. */
    uint64_t value;
    ck_assert(!riscv_csr_read(cpu, 0x3a1, &value));
    ck_assert(!riscv_csr_write(cpu, 0x3a1, 0x1f1f1f1f1f1f1f1full));
    ck_assert_uint_eq(cpu->pmpcfg[4], 0);
}
END_TEST

START_TEST(test_counters_gated_for_supervisor)
{
    test_set_priv(h, PRV_S);
    ck_assert(!can_read(CYCLE) && !can_read(TIME) && !can_read(INSTRET));
    cpu->mcounteren = 1; /* CY */
    ck_assert(can_read(CYCLE));
    ck_assert(!can_read(TIME) && !can_read(INSTRET));
    cpu->mcounteren = 7;
    ck_assert(can_read(CYCLE) && can_read(TIME) && can_read(INSTRET));
    ck_assert(!can_read(HPMCOUNTER3));
    cpu->mcounteren = 1u << 3;
    ck_assert(can_read(HPMCOUNTER3));
    /* scounteren does not matter to S. */
    cpu->mcounteren = 7;
    cpu->scounteren = 0;
    ck_assert(can_read(TIME));
}
END_TEST

START_TEST(test_counters_gated_for_user)
{
    test_set_priv(h, PRV_U);
    cpu->mcounteren = 7;
    cpu->scounteren = 0;
    ck_assert(!can_read(CYCLE) && !can_read(TIME) && !can_read(INSTRET));
    cpu->scounteren = 2; /* TM */
    ck_assert(can_read(TIME));
    ck_assert(!can_read(CYCLE));
    cpu->mcounteren = 0; /* M's gate is needed as well */
    ck_assert(!can_read(TIME));
}
END_TEST

START_TEST(test_counters_open_to_machine)
{
    ck_assert(can_read(CYCLE) && can_read(TIME) && can_read(INSTRET) && can_read(HPMCOUNTER3));
    fake_time = 123456;
    ck_assert_uint_eq(rd(TIME), 123456);
    ck_assert_uint_eq(rd(HPMCOUNTER3), 0);
}
END_TEST

START_TEST(test_counteren_masks)
{
    wr(MCOUNTEREN, ~0ull);
    ck_assert_uint_eq(rd(MCOUNTEREN), 0xffffffffull);
    wr(SCOUNTEREN, ~0ull);
    ck_assert_uint_eq(rd(SCOUNTEREN), 0xffffffffull);
}
END_TEST

START_TEST(test_counter_writes)
{
    /* A write replaces the writing instruction's own increment: once it
     * retires, the counter reads the written value. */
    cpu->instret = 500;
    wr(MINSTRET, 1000);
    cpu->instret++;
    ck_assert_uint_eq(rd(MINSTRET), 1000);
    ck_assert_uint_eq(rd(INSTRET), 1000);
    wr(MCYCLE, 7);
    cpu->instret += 10;
    ck_assert_uint_eq(rd(MCYCLE), 16);
    ck_assert_uint_eq(rd(CYCLE), 16);
    ck_assert_uint_eq(rd(MINSTRET), 1010);
}
END_TEST

START_TEST(test_stimecmp_gating)
{
    test_set_priv(h, PRV_S);
    ck_assert(!can_read(STIMECMP));
    cpu->menvcfg = MENVCFG_STCE;
    ck_assert(!can_read(STIMECMP)); /* also needs mcounteren.TM */
    cpu->mcounteren = 2;
    ck_assert(can_read(STIMECMP) && can_write(STIMECMP));
    cpu->menvcfg = 0;
    ck_assert(!can_write(STIMECMP));
    test_set_priv(h, PRV_M);
    ck_assert(can_write(STIMECMP));
}
END_TEST

/* PMP registers */

START_TEST(test_pmpcfg_packing)
{
    /* Entry i is byte i of pmpcfg0 (all with R set, so none is reserved). */
    wr(PMPCFG0, 0x1f1d1b1907050301ull);
    ck_assert_uint_eq(cpu->pmpcfg[0], 0x01);
    ck_assert_uint_eq(cpu->pmpcfg[7], 0x1f);
    ck_assert_uint_eq(rd(PMPCFG0), 0x1f1d1b1907050301ull);
    wr(PMPCFG2, 0x19ull << 56); /* entry 15 */
    ck_assert_uint_eq(cpu->pmpcfg[15], 0x19);
    ck_assert_uint_eq(rd(PMPCFG2), 0x19ull << 56);
}
END_TEST

START_TEST(test_pmpcfg_warl)
{
    wr(PMPCFG0, 0x61); /* bits 6:5 are reserved zero */
    ck_assert_uint_eq(rd(PMPCFG0) & 0xff, 0x01);
    wr(PMPCFG0, 0x1b); /* R=1 W=1 X=0 NAPOT */
    wr(PMPCFG0, 0x02); /* W without R: reserved, entry unchanged */
    ck_assert_uint_eq(rd(PMPCFG0) & 0xff, 0x1b);
}
END_TEST

START_TEST(test_pmpaddr_width)
{
    wr(PMPADDR0 + 3, ~0ull);
    ck_assert_uint_eq(rd(PMPADDR0 + 3), (1ull << 54) - 1);
    /* Entries 16..63 do not exist: read zero, ignore writes. */
    wr(PMPADDR0 + 20, 0x1234);
    ck_assert_uint_eq(rd(PMPADDR0 + 20), 0);
}
END_TEST

START_TEST(test_pmp_lock)
{
    wr(PMPADDR0 + 1, 0x1000);
    wr(PMPCFG0, (uint64_t)(0x80 | 0x08 | 0x01) << 8); /* entry 1: L, TOR, R */
    wr(PMPCFG0, 0);                                   /* cannot unlock */
    ck_assert_uint_eq(cpu->pmpcfg[1], 0x89);
    wr(PMPADDR0 + 1, 0x2000); /* locked address */
    ck_assert_uint_eq(rd(PMPADDR0 + 1), 0x1000);
    wr(PMPADDR0, 0x800); /* the base of a locked TOR entry is locked too */
    ck_assert_uint_eq(rd(PMPADDR0), 0);
    wr(PMPADDR0 + 2, 0x3000); /* the one above is free */
    ck_assert_uint_eq(rd(PMPADDR0 + 2), 0x3000);
    /* Only a reset unlocks. */
    riscv_cpu_reset(cpu, TEST_RAM_BASE);
    ck_assert_uint_eq(cpu->pmpcfg[1], 0);
}
END_TEST

START_TEST(test_pmp_write_flushes_tlb)
{
    test_pmp_allow_all(h);
    test_set_priv(h, PRV_S);
    MemFault fault;
    ck_assert_ptr_nonnull(riscv_tlb_fill(cpu, TEST_RAM_BASE, ACCESS_WRITE, &fault));
    /* Entry 0: read-only over RAM, written through the CSR. */
    wr(PMPADDR0, pmp_napot(TEST_RAM_BASE, TEST_RAM_SIZE));
    wr(PMPCFG0, PMPCFG_NAPOT | PMPCFG_R);
    ck_assert_ptr_null(riscv_tlb_fill(cpu, TEST_RAM_BASE, ACCESS_WRITE, &fault));
    ck_assert_uint_eq(fault.cause, EXC_STORE_ACCESS);
}
END_TEST

/* Through the instruction: csrc/csrs on mip, as a guest runs them. */

static uint64_t run_one_csr_insn(uint32_t insn, uint64_t a0)
{
    TbCache *cache = malloc(sizeof(*cache));
    ck_assert_ptr_nonnull(cache);
    ck_assert(tb_cache_init(cache, &h->as, 1u << 20));
    tb_cache_add_cpu(cache, cpu);
    ck_assert(memory_write(&h->as, TEST_RAM_BASE, 4, insn));
    cpu->pc = TEST_RAM_BASE;
    cpu->x[10] = a0;
    uint64_t before = cpu->instret;
    cpu_exec(cpu, 1);
    ck_assert_uint_eq(cpu->instret, before + 1);
    ck_assert_uint_eq(cpu->pc, TEST_RAM_BASE + 4); /* no trap */
    tb_cache_destroy(cache);
    free(cache);
    return cpu->x[11];
}

START_TEST(test_csrc_mip_does_not_latch_external_seip)
{
    /* Priv spec 3.1.9: CSRRS/CSRRC on mip use only the software-writable
     * SEIP bit, not the PLIC line; otherwise clearing SSIP while the PLIC
     * asserts SEIP would latch SEIP in software for good. */
    riscv_set_irq_line(cpu, MIP_SEIP, true);
    wr(MIP, MIP_SSIP);
    run_one_csr_insn(0x34453073, MIP_SSIP); /* csrc mip, a0 */
    ck_assert_uint_eq(rd(MIP) & MIP_SSIP, 0);
    riscv_set_irq_line(cpu, MIP_SEIP, false);
    ck_assert_msg((rd(MIP) & MIP_SEIP) == 0, "SEIP stays pending after the PLIC dropped it");
}
END_TEST

START_TEST(test_csrs_mip_sets_software_bit)
{
    run_one_csr_insn(0x34452073, MIP_STIP); /* csrs mip, a0 */
    ck_assert_uint_eq(rd(MIP), MIP_STIP);
}
END_TEST

/* RV32's views of the CSR file (priv spec 2.2, 3.1.6, 4.1.11). */
static void setup_rv32(void)
{
    setup();
    cpu->ext |= RISCV_XLEN32;
    riscv_cpu_reset(cpu, 0x80000000);
}

START_TEST(test_rv32_misa_and_mstatus)
{
    ck_assert_uint_eq(rd(MISA) >> 30, 1);
    ck_assert_uint_eq(rd(MISA) >> 32, 0);
    ck_assert_uint_eq(rd(MSTATUS), 0); /* no UXL or SXL */
    wr(MSTATUS, 3u << 13);             /* FS Dirty: SD is bit 31 */
    ck_assert_uint_eq(rd(MSTATUS), 0x80000000u | (3u << 13));
    ck_assert_uint_eq(rd(SSTATUS) >> 31, 1);
    ck_assert_uint_eq(rd(0x310), 0); /* mstatush */
}
END_TEST

START_TEST(test_rv32_satp_layout)
{
    uint64_t value = 0x80000000u | (0x5u << 22) | 0x80123;
    wr(SATP, value);
    ck_assert_uint_eq(rd(SATP), value);
    ck_assert_uint_eq(cpu->satp >> SATP_MODE_SHIFT, SATP_MODE_SV32);
    ck_assert_uint_eq(cpu->satp & SATP_PPN_MASK, 0x80123);
    ck_assert_uint_eq((cpu->satp >> SATP_ASID_SHIFT) & SATP_ASID_MASK, 5);
    wr(SATP, 0);
    ck_assert_uint_eq(rd(SATP), 0);
}
END_TEST

START_TEST(test_rv32_cause_interrupt_bit)
{
    wr(0x342, 0x80000007u); /* mcause */
    ck_assert_uint_eq(cpu->mcause, (1ull << 63) | 7);
    ck_assert_uint_eq(rd(0x342), 0x80000007u);
    wr(0x142, 0x80000005u); /* scause */
    ck_assert_uint_eq(rd(0x142), 0x80000005u);
}
END_TEST

START_TEST(test_rv32_counter_halves)
{
    wr(MCOUNTINHIBIT, 5);  /* mcycle and minstret stand still */
    wr(0xb80, 0x12345678); /* mcycleh */
    wr(MCYCLE, 0x9abcdef0);
    ck_assert_uint_eq(rd(MCYCLE), 0x9abcdef0);
    ck_assert_uint_eq(rd(0xb80), 0x12345678);
    wr(MCYCLE, 1); /* the low half alone: the high one stays */
    ck_assert_uint_eq(rd(0xb80), 0x12345678);
    ck_assert_uint_eq(rd(0xc80), 0x12345678); /* cycleh */
    fake_time = 0x500000003ull;
    ck_assert_uint_eq(rd(0xc81), 5); /* timeh */
    ck_assert_uint_eq(rd(TIME), 3);
}
END_TEST

START_TEST(test_rv32_pmpcfg_odd_registers)
{
    wr(PMPCFG0 + 1, 0x01010101);
    for (unsigned i = 4; i < 8; i++)
        ck_assert_uint_eq(cpu->pmpcfg[i], 1);
    ck_assert_uint_eq(rd(PMPCFG0 + 1), 0x01010101);
    ck_assert_uint_eq(rd(PMPCFG0), 0);
}
END_TEST

START_TEST(test_rv64_has_no_high_halves)
{
    ck_assert(!can_read(0xb80));
    ck_assert(!can_read(0xc80));
    ck_assert(!can_read(0x310));
    ck_assert(!can_read(0x31a));
}
END_TEST
static Suite *csr_suite(void)
{
    Suite *s = suite_create("csr");
    TCase *satp = tcase_create("satp");
    tcase_add_checked_fixture(satp, setup, teardown);
    tcase_add_test(satp, test_satp_supported_modes);
    tcase_add_test(satp, test_satp_unsupported_modes_ignored);
    tcase_add_test(satp, test_satp_write_switches_address_space);
    tcase_add_test(satp, test_satp_trapped_by_tvm);
    suite_add_tcase(s, satp);

    TCase *status = tcase_create("status");
    tcase_add_checked_fixture(status, setup, teardown);
    tcase_add_test(status, test_mstatus_mpp_warl);
    tcase_add_test(status, test_mstatus_fixed_fields);
    tcase_add_test(status, test_sstatus_is_a_view);
    tcase_add_test(status, test_mstatus_mxr_change_flushes_tlb);
    tcase_add_test(status, test_mstatus_mprv_switches_data_translation);
    suite_add_tcase(s, status);

    TCase *irq = tcase_create("interrupts");
    tcase_add_checked_fixture(irq, setup, teardown);
    tcase_add_test(irq, test_mip_writable_bits);
    tcase_add_test(irq, test_mip_device_bits_read_only);
    tcase_add_test(irq, test_mip_seip_is_or_of_line_and_bit);
    tcase_add_test(irq, test_mip_stip_read_only_with_sstc);
    tcase_add_test(irq, test_mideleg_and_medeleg_masks);
    tcase_add_test(irq, test_sie_sip_follow_mideleg);
    tcase_add_test(irq, test_csrc_mip_does_not_latch_external_seip);
    tcase_add_test(irq, test_csrs_mip_sets_software_bit);
    suite_add_tcase(s, irq);

    TCase *regs = tcase_create("registers");
    tcase_add_checked_fixture(regs, setup, teardown);
    tcase_add_test(regs, test_epc_bit0_reads_zero);
    tcase_add_test(regs, test_tvec_modes);
    tcase_add_test(regs, test_identification);
    tcase_add_test(regs, test_envcfg_masks);
    suite_add_tcase(s, regs);

    TCase *access = tcase_create("access");
    tcase_add_checked_fixture(access, setup, teardown);
    tcase_add_test(access, test_read_only_csrs);
    tcase_add_test(access, test_privilege_gating);
    tcase_add_test(access, test_missing_csrs);
    tcase_add_test(access, test_odd_pmpcfg_is_not_an_alias);
    tcase_add_test(access, test_counters_gated_for_supervisor);
    tcase_add_test(access, test_counters_gated_for_user);
    tcase_add_test(access, test_counters_open_to_machine);
    tcase_add_test(access, test_counteren_masks);
    tcase_add_test(access, test_counter_writes);
    tcase_add_test(access, test_stimecmp_gating);
    suite_add_tcase(s, access);

    TCase *pmp = tcase_create("pmp");
    tcase_add_checked_fixture(pmp, setup, teardown);
    tcase_add_test(pmp, test_pmpcfg_packing);
    tcase_add_test(pmp, test_pmpcfg_warl);
    tcase_add_test(pmp, test_pmpaddr_width);
    tcase_add_test(pmp, test_pmp_lock);
    tcase_add_test(pmp, test_pmp_write_flushes_tlb);
    suite_add_tcase(s, pmp);

    TCase *rv32 = tcase_create("rv32");
    tcase_add_checked_fixture(rv32, setup_rv32, teardown);
    tcase_add_test(rv32, test_rv32_misa_and_mstatus);
    tcase_add_test(rv32, test_rv32_satp_layout);
    tcase_add_test(rv32, test_rv32_cause_interrupt_bit);
    tcase_add_test(rv32, test_rv32_counter_halves);
    tcase_add_test(rv32, test_rv32_pmpcfg_odd_registers);
    suite_add_tcase(s, rv32);
    TCase *rv64 = tcase_create("rv64");
    tcase_add_checked_fixture(rv64, setup, teardown);
    tcase_add_test(rv64, test_rv64_has_no_high_halves);
    suite_add_tcase(s, rv64);
    return s;
}

int main(void)
{
    return run_suite(csr_suite());
}
