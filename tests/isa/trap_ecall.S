/* trap_ecall.S: ecall from U, S and M (causes 8, 9, 11), ebreak and
 * c.ebreak (cause 3): mepc, mtval, mstatus.MPP/MPIE/MIE on trap entry. */
#include "common.h"

TEST_BEGIN
        .option push
        .option norvc
        /* ecall from M: mcause 11, mepc = the ecall, mtval = 0 */
        li t1, MSTATUS_MIE
        csrs mstatus, t1                /* MIE = 1 (mie = 0: no interrupts) */
        EXPECT_TRAP(1f)
e_m:    ecall
        FAIL("ecall in M did not trap")
1:      CHECK_TRAP(CAUSE_ECALL_M, e_m, 0, "ecall from M")
        /* trap entry: MPP = M, MPIE = old MIE (1), MIE = 0 (priv 3.1.6.1) */
        TRAP_FIELD(t1, TI_STATUS)
        li t2, MSTATUS_MPP | MSTATUS_MPIE | MSTATUS_MIE
        and t1, t1, t2
        CHECK(MSTATUS_MPP_M | MSTATUS_MPIE, t1, "ecall from M: mstatus")

        /* ecall from S */
        ENTER_S
        EXPECT_TRAP(1f)
e_s:    ecall
        FAIL("ecall in S did not trap")
1:      CHECK_TRAP(CAUSE_ECALL_S, e_s, 0, "ecall from S")
        TRAP_FIELD(t1, TI_STATUS)
        li t2, MSTATUS_MPP
        and t1, t1, t2
        CHECK(MSTATUS_MPP_S, t1, "ecall from S: MPP")

        /* ecall from U */
        ENTER_U
        EXPECT_TRAP(1f)
e_u:    ecall
        FAIL("ecall in U did not trap")
1:      CHECK_TRAP(CAUSE_ECALL_U, e_u, 0, "ecall from U")
        TRAP_FIELD(t1, TI_STATUS)
        li t2, MSTATUS_MPP
        and t1, t1, t2
        CHECK(0, t1, "ecall from U: MPP")

        /* ebreak: cause 3, mepc = the ebreak. mtval is 0 on QEMU 7.2;
         * the spec also allows the pc (priv 3.1.16), so accept both. */
        EXPECT_TRAP(1f)
b_m:    ebreak
        FAIL("ebreak did not trap")
1:      TRAP_FIELD(t0, TI_CAUSE)
        CHECK(CAUSE_BREAKPOINT, t0, "ebreak mcause")
        TRAP_FIELD(t0, TI_EPC)
        CHECK_ADDR(b_m, t0, "ebreak mepc")
        TRAP_FIELD(t0, TI_TVAL)
        beqz t0, 2f
        CHECK_ADDR(b_m, t0, "ebreak mtval (0 or pc)")
2:
        .option pop
        /* c.ebreak: same cause, mepc at the 16-bit instruction */
        ENTER_U
        EXPECT_TRAP(1f)
cb_u:   c.ebreak
        FAIL("c.ebreak did not trap")
1:      TRAP_FIELD(t0, TI_CAUSE)
        CHECK(CAUSE_BREAKPOINT, t0, "c.ebreak mcause")
        TRAP_FIELD(t0, TI_EPC)
        CHECK_ADDR(cb_u, t0, "c.ebreak mepc")
        TRAP_FIELD(t0, TI_TVAL)
        beqz t0, 2f
        CHECK_ADDR(cb_u, t0, "c.ebreak mtval (0 or pc)")
2:      TRAP_FIELD(t1, TI_STATUS)
        li t2, MSTATUS_MPP
        and t1, t1, t2
        CHECK(0, t1, "c.ebreak from U: MPP")

        /* mscratch survives traps; registers are the test's own */
        TRAP_FIELD(t0, TI_COUNT)
        CHECK(5, t0, "trap count")
        TEST_PASS
