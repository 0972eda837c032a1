/* irq_priority.S: with several interrupts pending the highest priority one
 * is taken first: MEI > MSI > MTI > SEI > SSI > STI (priv 3.1.9). MEI has
 * no software source on these boards, so the order of the other five. */
#include "common.h"

/* QEMU 7.2 without AIA takes the lowest-numbered pending interrupt first
 * (ctz of the pending set), against the spec's order: its expected orders
 * are kept apart and used only when the core is not ember. */

/* clear the source of interrupt code a0 and wait for its mip bit to drop
 * (clobbers t0-t2, s10, s11) */
clear_source:
        li t0, IRQ_M_SOFT
        bne a0, t0, 1f
        li t0, CLINT_MSIP
        sw zero, 0(t0)
        j 3f
1:      li t0, IRQ_M_TIMER
        bne a0, t0, 2f
        li t0, CLINT_MTIMECMP
        li t1, -1
        sd t1, 0(t0)
        j 3f
2:      li t1, 1
        sll t1, t1, a0
        csrc mip, t1                    /* SSIP, STIP, SEIP */
3:      li s10, 1000000
4:      csrr t1, mip
        srl t1, t1, a0
        andi t1, t1, 1
        beqz t1, 5f
        addi s10, s10, -1
        bnez s10, 4b
        FAIL("interrupt source did not clear")
5:      ret

TEST_BEGIN
        li s0, CLINT_MSIP
        li s1, CLINT_MTIMECMP
        li s2, 1
        /* all five pending, none delegated, all enabled */
        sw s2, 0(s0)
        sd zero, 0(s1)
        li t1, MIP_SEIP | MIP_SSIP | MIP_STIP
        csrs mip, t1
        POLL_MIP(IRQ_M_SOFT, 1, "MSIP pending")
        POLL_MIP(IRQ_M_TIMER, 1, "MTIP pending")
        li t1, MIP_MSIP | MIP_MTIP | MIP_SEIP | MIP_SSIP | MIP_STIP
        csrw mie, t1

        la s3, order_m
        IF_NOT_EMBER_GOTO(1f)
        j 2f
1:      la s3, order_m_qemu
2:      li s4, 5
take_m:
        EXPECT_TRAP(1f)
        li t1, MSTATUS_MIE
        csrs mstatus, t1
        SPIN_THEN_FAIL("M interrupt")
1:      TRAP_FIELD(t1, TI_CAUSE)
        ld t2, 0(s3)
        li t3, CAUSE_INTR
        or t2, t2, t3
        CHECKR(t2, t1, "next M interrupt in priority order")
        ld a0, 0(s3)
        call clear_source
        addi s3, s3, 8
        addi s4, s4, -1
        bnez s4, take_m

        /* the order among delegated interrupts taken in S */
        li t1, MIP_SEIP | MIP_SSIP | MIP_STIP
        csrw mideleg, t1
        csrs mip, t1
        la s3, order_s
        IF_NOT_EMBER_GOTO(1f)
        j 2f
1:      la s3, order_s_qemu
2:      li s4, 3
take_s:
        S_EXPECT_TRAP(1f)
        ENTER_S
        li t1, MSTATUS_SIE
        csrs sstatus, t1
        SPIN_THEN_FAIL("S interrupt")
1:      ENTER_M
        S_TRAP_FIELD(t1, TI_CAUSE)
        ld t2, 0(s3)
        li t3, CAUSE_INTR
        or t2, t2, t3
        CHECKR(t2, t1, "next S interrupt in priority order")
        ld a0, 0(s3)
        call clear_source
        addi s3, s3, 8
        addi s4, s4, -1
        bnez s4, take_s

        /* an undelegated S-level interrupt (to M) beats delegated ones
         * of higher priority: interrupts to M come first (priv 3.1.9) */
        li t1, MIP_SEIP
        csrw mideleg, t1
        li t1, MIP_SEIP | MIP_STIP
        csrs mip, t1
        EXPECT_TRAP(1f)
        ENTER_S
        li t1, MSTATUS_SIE
        csrs sstatus, t1
        SPIN_THEN_FAIL("STI to M over delegated SEI")
1:      TRAP_FIELD(t1, TI_CAUSE)
        CHECK(CAUSE_INTR | IRQ_S_TIMER, t1, "STI to M over delegated SEI")
        li t1, MIP_SEIP | MIP_STIP
        csrc mip, t1
        csrw mie, zero
        csrw mideleg, zero
        TEST_PASS

        .data
        .align 3
order_m:        .dword IRQ_M_SOFT, IRQ_M_TIMER, IRQ_S_EXT, IRQ_S_SOFT, IRQ_S_TIMER
order_m_qemu:   .dword IRQ_S_SOFT, IRQ_M_SOFT, IRQ_S_TIMER, IRQ_M_TIMER, IRQ_S_EXT
order_s:        .dword IRQ_S_EXT, IRQ_S_SOFT, IRQ_S_TIMER
order_s_qemu:   .dword IRQ_S_SOFT, IRQ_S_TIMER, IRQ_S_EXT
