/* irq_deleg.S: supervisor interrupts raised by M writes to mip (SSIP, STIP,
 * SEIP), mideleg routing and the enabling rules in M, S and U (priv 3.1.9). */
#include "common.h"

/* spin a while in the current mode */
#define PAUSE   li t1, 20000; 9: addi t1, t1, -1; bnez t1, 9b

TEST_BEGIN
        /* mideleg: the S bits are writable, the M bits are not (QEMU
         * also has H-extension bits) */
        li t1, -1
        csrw mideleg, t1
        csrr t1, mideleg
        li t2, MIP_SSIP | MIP_STIP | MIP_SEIP | MIP_MSIP | MIP_MTIP | MIP_MEIP
        and t1, t1, t2
        CHECK(MIP_SSIP | MIP_STIP | MIP_SEIP, t1, "mideleg writable bits")
        csrw mideleg, zero
        /* mip: M can set SSIP, STIP and SEIP */
        li t1, MIP_SSIP | MIP_STIP | MIP_SEIP
        csrs mip, t1
        csrr t2, mip
        and t2, t2, t1
        CHECKR(t1, t2, "mip S bits writable by M")
        csrc mip, t1
        csrr t2, mip
        and t2, t2, t1
        CHECK(0, t2, "mip S bits cleared by M")

        /* 1. not delegated, in M: needs mstatus.MIE */
        li t1, MIP_SSIP
        csrw mie, t1
        CLEAR_TRAP_COUNT
        csrs mip, t1
        PAUSE
        TRAP_FIELD(t1, TI_COUNT)
        CHECK(0, t1, "SSI in M with MIE=0: not taken")
        EXPECT_TRAP(1f)
        li t1, MSTATUS_MIE
        csrs mstatus, t1
        SPIN_THEN_FAIL("SSI in M with MIE=1")
1:      TRAP_FIELD(t1, TI_CAUSE)
        CHECK(CAUSE_INTR | IRQ_S_SOFT, t1, "SSI to M mcause")

        /* 2. not delegated, in S with SIE = 0 and MIE = 0: goes to M */
        EXPECT_TRAP(1f)
        ENTER_S
        SPIN_THEN_FAIL("undelegated SSI in S")
1:      TRAP_FIELD(t1, TI_CAUSE)
        CHECK(CAUSE_INTR | IRQ_S_SOFT, t1, "undelegated SSI in S mcause")
        TRAP_FIELD(t1, TI_STATUS)
        li t2, MSTATUS_MPP
        and t1, t1, t2
        CHECK(MSTATUS_MPP_S, t1, "undelegated SSI in S: MPP")
        li t1, MIP_SSIP
        csrc mip, t1

        /* 3. STI not delegated, in U: goes to M */
        li t1, MIP_STIP
        csrw mie, t1
        csrs mip, t1
        EXPECT_TRAP(1f)
        ENTER_U
        SPIN_THEN_FAIL("undelegated STI in U")
1:      TRAP_FIELD(t1, TI_CAUSE)
        CHECK(CAUSE_INTR | IRQ_S_TIMER, t1, "undelegated STI in U mcause")
        li t1, MIP_STIP
        csrc mip, t1

        /* 4. delegated: never taken in M, even with MIE = 1 */
        li t1, MIP_SSIP | MIP_STIP | MIP_SEIP
        csrw mideleg, t1
        csrw mie, t1
        csrs mip, t1
        CLEAR_TRAP_COUNT
        li t1, MSTATUS_MIE
        csrs mstatus, t1
        PAUSE
        csrc mstatus, t1
        TRAP_FIELD(t1, TI_COUNT)
        CHECK(0, t1, "delegated interrupts not taken in M")
        S_TRAP_FIELD(t1, TI_COUNT)
        CHECK(0, t1, "delegated interrupts not taken in M (S)")
        li t1, MIP_STIP | MIP_SEIP
        csrc mip, t1

        /* 5. delegated SSI in S: needs sstatus.SIE; sip/sie are views */
        ENTER_S
        csrr t1, sip
        andi t1, t1, MIP_SSIP
        CHECK(MIP_SSIP, t1, "sip.SSIP visible in S")
        csrr t1, sie
        andi t1, t1, MIP_SSIP | MIP_STIP | MIP_SEIP
        CHECK(MIP_SSIP | MIP_STIP | MIP_SEIP, t1, "sie shows mie S bits")
        PAUSE
        S_EXPECT_TRAP(1f)
        li t1, MSTATUS_SIE
        csrs sstatus, t1
        SPIN_THEN_FAIL("delegated SSI in S with SIE")
1:      S_TRAP_FIELD(t1, TI_COUNT)
        CHECK(1, t1, "delegated SSI taken once (in S)")
        S_TRAP_FIELD(t1, TI_CAUSE)
        CHECK(CAUSE_INTR | IRQ_S_SOFT, t1, "delegated SSI scause")
        S_TRAP_FIELD(t1, TI_STATUS)
        li t2, MSTATUS_SPP | MSTATUS_SPIE | MSTATUS_SIE
        and t1, t1, t2
        CHECK(MSTATUS_SPP | MSTATUS_SPIE, t1, "delegated SSI: SPP=S SPIE=1 SIE=0")
        S_TRAP_FIELD(t1, TI_TVAL)
        CHECK(0, t1, "delegated SSI stval")
        /* S clears its own SSIP through sip */
        li t1, MIP_SSIP
        csrc sip, t1
        csrr t1, sip
        andi t1, t1, MIP_SSIP
        CHECK(0, t1, "S cleared sip.SSIP")
        /* STIP/SEIP are read-only in sip (priv 4.1.3) */
        li t1, MIP_STIP | MIP_SEIP
        csrs sip, t1
        csrr t1, sip
        andi t1, t1, MIP_STIP | MIP_SEIP
        CHECK(0, t1, "sip.STIP/SEIP read-only in S")
        /* S sets SSIP itself with SIE = 1: taken */
        S_EXPECT_TRAP(1f)
        li t1, MSTATUS_SIE
        csrs sstatus, t1
        li t1, MIP_SSIP
        csrs sip, t1
        SPIN_THEN_FAIL("self-raised SSI")
1:      S_TRAP_FIELD(t1, TI_CAUSE)
        CHECK(CAUSE_INTR | IRQ_S_SOFT, t1, "self-raised SSI scause")
        li t1, MIP_SSIP
        csrc sip, t1
        ENTER_M

        /* 6. delegated STI and SEI taken in U whatever SIE is */
        li t1, MSTATUS_SIE
        csrc mstatus, t1
        li t1, MIP_STIP
        csrs mip, t1
        S_EXPECT_TRAP(1f)
        ENTER_U
        SPIN_THEN_FAIL("delegated STI in U")
1:      S_TRAP_FIELD(t1, TI_CAUSE)
        CHECK(CAUSE_INTR | IRQ_S_TIMER, t1, "delegated STI in U scause")
        S_TRAP_FIELD(t1, TI_STATUS)
        li t2, MSTATUS_SPP
        and t1, t1, t2
        CHECK(0, t1, "delegated STI in U: SPP=U")
        ENTER_M
        li t1, MIP_STIP
        csrc mip, t1
        li t1, MIP_SEIP
        csrs mip, t1
        S_EXPECT_TRAP(1f)
        ENTER_U
        SPIN_THEN_FAIL("delegated SEI in U")
1:      S_TRAP_FIELD(t1, TI_CAUSE)
        CHECK(CAUSE_INTR | IRQ_S_EXT, t1, "delegated SEI in U scause")
        ENTER_M
        li t1, MIP_SEIP
        csrc mip, t1

        /* 7. a delegated interrupt masked in sie is not taken in U */
        li t1, MIP_STIP
        csrc mie, t1
        csrs mip, t1
        CLEAR_TRAP_COUNT
        ENTER_U
        PAUSE
        ENTER_M
        S_TRAP_FIELD(t1, TI_COUNT)
        CHECK(0, t1, "STI masked by sie in U: not taken")
        li t1, MIP_STIP
        csrc mip, t1

        /* 8. an M interrupt preempts S even with SIE = 1 and a delegated
         * one pending: MSI goes to M */
        li t1, MIP_MSIP | MIP_SSIP
        csrw mie, t1
        li t1, MSTATUS_SIE
        csrc mstatus, t1
        li t1, MIP_SSIP
        csrs mip, t1
        li t0, CLINT_MSIP
        li t1, 1
        sw t1, 0(t0)
        POLL_MIP(IRQ_M_SOFT, 1, "MSIP pending")
        EXPECT_TRAP(1f)
        ENTER_S
        li t1, MSTATUS_SIE
        csrs sstatus, t1
        SPIN_THEN_FAIL("MSI over delegated SSI")
1:      TRAP_FIELD(t1, TI_CAUSE)
        CHECK(CAUSE_INTR | IRQ_M_SOFT, t1, "MSI before delegated SSI")
        li t0, CLINT_MSIP
        sw zero, 0(t0)
        POLL_MIP(IRQ_M_SOFT, 0, "MSIP cleared")
        li t1, MIP_SSIP
        csrc mip, t1
        csrw mie, zero
        csrw mideleg, zero
        TEST_PASS
