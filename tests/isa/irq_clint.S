/* irq_clint.S: machine software (CLINT msip) and timer (mtimecmp/mtime)
 * interrupts: mip bits, mcause, enabling by mstatus.MIE in M, always in U/S. */
#include "common.h"

TEST_BEGIN
        li s0, CLINT_MSIP
        li s1, CLINT_MTIMECMP
        li s2, CLINT_MTIME
        li s3, 1

        /* msip register reads back; mip.MSIP follows it */
        sw s3, 0(s0)
        lw t1, 0(s0)
        CHECK(1, t1, "msip reads back 1")
        POLL_MIP(IRQ_M_SOFT, 1, "MSIP set")
        sw zero, 0(s0)
        lw t1, 0(s0)
        CHECK(0, t1, "msip reads back 0")
        POLL_MIP(IRQ_M_SOFT, 0, "MSIP clear")

        /* MSI taken in M when mie.MSIE and mstatus.MIE */
        li t1, MIP_MSIP
        csrw mie, t1
        li t1, MSTATUS_MIE
        csrs mstatus, t1
        EXPECT_TRAP(1f)
        sw s3, 0(s0)
        SPIN_THEN_FAIL("MSI in M")
1:      TRAP_FIELD(t1, TI_CAUSE)
        CHECK(CAUSE_INTR | IRQ_M_SOFT, t1, "MSI mcause")
        TRAP_FIELD(t1, TI_TVAL)
        CHECK(0, t1, "MSI mtval")
        TRAP_FIELD(t1, TI_STATUS)
        li t2, MSTATUS_MPIE | MSTATUS_MIE | MSTATUS_MPP
        and t1, t1, t2
        CHECK(MSTATUS_MPIE | MSTATUS_MPP_M, t1, "MSI: MPIE=1 MIE=0 MPP=M")
        /* the handler resumed with MIE = 0: still pending, not taken */
        csrr t1, mip
        andi t1, t1, MIP_MSIP
        CHECK(MIP_MSIP, t1, "MSIP still pending")
        sw zero, 0(s0)
        POLL_MIP(IRQ_M_SOFT, 0, "MSIP cleared")

        /* M interrupts are enabled in U and S whatever mstatus.MIE is
         * (priv 3.1.6.1) */
        li t1, MSTATUS_MIE | MSTATUS_MPIE
        csrc mstatus, t1
        ENTER_U
        EXPECT_TRAP(1f)
        sw s3, 0(s0)
        SPIN_THEN_FAIL("MSI in U with MIE=0")
1:      TRAP_FIELD(t1, TI_CAUSE)
        CHECK(CAUSE_INTR | IRQ_M_SOFT, t1, "MSI in U mcause")
        TRAP_FIELD(t1, TI_STATUS)
        li t2, MSTATUS_MPP
        and t1, t1, t2
        CHECK(0, t1, "MSI in U: MPP=U")
        sw zero, 0(s0)
        POLL_MIP(IRQ_M_SOFT, 0, "MSIP cleared 2")
        ENTER_S
        EXPECT_TRAP(1f)
        sw s3, 0(s0)
        SPIN_THEN_FAIL("MSI in S with MIE=0")
1:      TRAP_FIELD(t1, TI_CAUSE)
        CHECK(CAUSE_INTR | IRQ_M_SOFT, t1, "MSI in S mcause")
        sw zero, 0(s0)
        POLL_MIP(IRQ_M_SOFT, 0, "MSIP cleared 3")
        /* ...unless mie.MSIE is clear */
        csrw mie, zero
        CLEAR_TRAP_COUNT
        ENTER_S
        sw s3, 0(s0)
        li t1, 100000
2:      addi t1, t1, -1
        bnez t1, 2b
        ENTER_M
        TRAP_FIELD(t1, TI_COUNT)
        CHECK(0, t1, "MSI masked by mie in S: not taken")
        POLL_MIP(IRQ_M_SOFT, 1, "MSIP pending, masked by mie")
        sw zero, 0(s0)
        POLL_MIP(IRQ_M_SOFT, 0, "MSIP cleared 4")

        /* mtimecmp reads back; mtime advances */
        li t1, 0x123456789abcdef0
        sd t1, 0(s1)
        ld t2, 0(s1)
        CHECK(0x123456789abcdef0, t2, "mtimecmp reads back")
        ld t1, 0(s2)
        li t3, 100000000
2:      ld t2, 0(s2)
        bne t2, t1, 3f
        addi t3, t3, -1
        bnez t3, 2b
        FAIL("mtime does not advance")
3:      bltu t1, t2, 4f
        FAIL("mtime went backwards")
4:
        /* MTIP is pending while mtime >= mtimecmp */
        li t1, -1
        sd t1, 0(s1)
        POLL_MIP(IRQ_M_TIMER, 0, "MTIP clear with mtimecmp = -1")
        sd zero, 0(s1)
        POLL_MIP(IRQ_M_TIMER, 1, "MTIP set with mtimecmp = 0")
        li t1, -1
        sd t1, 0(s1)
        POLL_MIP(IRQ_M_TIMER, 0, "MTIP clear again")
        /* mip.MTIP is read-only (priv 3.1.9) */
        li t1, MIP_MTIP | MIP_MSIP
        csrs mip, t1
        csrr t1, mip
        andi t1, t1, MIP_MTIP | MIP_MSIP
        CHECK(0, t1, "mip.MTIP/MSIP not writable")

        /* a timer interrupt in the near future: 1000 ticks */
        li t1, MIP_MTIP
        csrw mie, t1
        ld t1, 0(s2)
        addi t1, t1, 1000
        sd t1, 0(s1)
        /* Armed before MIE: on a loaded host QEMU's 1000 ticks (100 us of
         * host time) can pass before the next instruction. */
        EXPECT_TRAP(1f)
        li t1, MSTATUS_MIE
        csrs mstatus, t1
        WAIT_MTIME_THEN_FAIL("MTI in M")
1:      TRAP_FIELD(t1, TI_CAUSE)
        CHECK(CAUSE_INTR | IRQ_M_TIMER, t1, "MTI mcause")
        ld t1, 0(s2)
        ld t2, 0(s1)
        bgeu t1, t2, 2f
        FAIL("MTI taken before mtime reached mtimecmp")
2:      li t1, -1
        sd t1, 0(s1)
        POLL_MIP(IRQ_M_TIMER, 0, "MTIP cleared by mtimecmp write")

        /* MTI while in U, MIE = 0 */
        ENTER_U
        EXPECT_TRAP(1f)
        li t1, CLINT_MTIMECMP
        sd zero, 0(t1)
        SPIN_THEN_FAIL("MTI in U")
1:      TRAP_FIELD(t1, TI_CAUSE)
        CHECK(CAUSE_INTR | IRQ_M_TIMER, t1, "MTI in U mcause")
        li t1, -1
        sd t1, 0(s1)
        POLL_MIP(IRQ_M_TIMER, 0, "MTIP cleared 2")
        csrw mie, zero
        TEST_PASS
