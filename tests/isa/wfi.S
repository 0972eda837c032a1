/* wfi.S: wfi resumes when an enabled interrupt becomes pending, even with
 * mstatus.MIE = 0 (no trap then); with MIE = 1 the trap's mepc follows wfi. */
#include "common.h"

TEST_BEGIN
        li s0, CLINT_MSIP
        li s1, CLINT_MTIMECMP
        li s2, CLINT_MTIME
        csrw mie, zero
        CLEAR_TRAP_COUNT

        /* already pending + enabled in mie, MIE = 0: wfi falls through */
        li t1, 1
        sw t1, 0(s0)
        POLL_MIP(IRQ_M_SOFT, 1, "MSIP pending")
        li t1, MIP_MSIP
        csrw mie, t1
        wfi
        sw zero, 0(s0)
        POLL_MIP(IRQ_M_SOFT, 0, "MSIP cleared")

        /* becomes pending later: timer 2 ms ahead (at 10 MHz), MIE = 0.
         * wfi may also return early (priv 3.3.3), so loop on mip */
        li t1, MIP_MTIP
        csrw mie, t1
        ld t1, 0(s2)
        li t2, 20000
        add s3, t1, t2
        sd s3, 0(s1)
        li t3, 1000000
1:      wfi
        csrr t1, mip
        andi t1, t1, MIP_MTIP
        bnez t1, 2f
        addi t3, t3, -1
        bnez t3, 1b
        FAIL("MTIP never pending after wfi")
2:      ld t1, 0(s2)
        bgeu t1, s3, 3f
        FAIL("MTIP pending before mtimecmp")
3:      TRAP_FIELD(t1, TI_COUNT)
        CHECK(0, t1, "no trap with MIE = 0")
        li t1, -1
        sd t1, 0(s1)
        POLL_MIP(IRQ_M_TIMER, 0, "MTIP cleared")

        /* a delegated S interrupt enabled in sie wakes wfi in S with
         * SIE = 0, no trap */
        li t1, MIP_SSIP
        csrw mideleg, t1
        csrw mie, t1
        csrs mip, t1
        ENTER_S
        wfi
        ENTER_M
        S_TRAP_FIELD(t1, TI_COUNT)
        CHECK(0, t1, "no S trap with SIE = 0")
        li t1, MIP_SSIP
        csrc mip, t1
        csrw mideleg, zero

        /* with MIE = 1 the interrupt is taken after the wfi: mepc is the
         * instruction after it (priv 3.3.3). The timer is set 200 ms
         * ahead (at 10 MHz) so it is not already due when the wfi is
         * reached, even on a loaded host. */
        li t1, MIP_MTIP
        csrw mie, t1
        ld t1, 0(s2)
        li t2, 2000000
        add t1, t1, t2
        sd t1, 0(s1)
        EXPECT_TRAP(2f)
        li t1, MSTATUS_MIE
        csrs mstatus, t1
1:      wfi
after:  j 1b
2:      TRAP_FIELD(t1, TI_CAUSE)
        CHECK(CAUSE_INTR | IRQ_M_TIMER, t1, "MTI after wfi mcause")
        TRAP_FIELD(t1, TI_EPC)
        CHECK_ADDR(after, t1, "MTI after wfi mepc")
        li t1, -1
        sd t1, 0(s1)
        csrw mie, zero
        TEST_PASS
