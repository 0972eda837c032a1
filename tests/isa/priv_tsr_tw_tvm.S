/* priv_tsr_tw_tvm.S: mstatus.TSR makes sret illegal in S, TW makes wfi
 * illegal in S and U, TVM makes satp and sfence.vma illegal in S (3.1.6.5). */
#include "common.h"

TEST_BEGIN
        /* TSR = 1: sret in S traps; sret in M is unaffected */
        li t1, MSTATUS_TSR
        csrs mstatus, t1
        ENTER_S
        la t1, 2f
        csrw sepc, t1
        EXPECT_TRAP(1f)
s1:     sret
2:      FAIL("sret with TSR in S")
1:      CHECK_TRAP(CAUSE_ILLEGAL, s1, 0x10200073, "sret with TSR in S")
        li t1, MSTATUS_SPP
        csrs mstatus, t1
        la t1, 1f
        csrw sepc, t1
        sret                            /* M-mode: allowed */
1:      ENTER_M
        li t1, MSTATUS_TSR
        csrc mstatus, t1
        /* TSR = 0: sret in S works */
        ENTER_S
        li t1, MSTATUS_SPP
        csrs sstatus, t1
        la t1, 1f
        csrw sepc, t1
        sret
        FAIL("sret without TSR")
1:      ENTER_M

        /* TW = 1: wfi in S and U traps (QEMU and ember trap at once; the
         * spec allows a bounded wait first, never a completion) */
        li t1, MSTATUS_TW
        csrs mstatus, t1
        ENTER_S
        EXPECT_TRAP(1f)
s2:     wfi
        FAIL("wfi with TW in S")
1:      CHECK_TRAP(CAUSE_ILLEGAL, s2, 0x10500073, "wfi with TW in S")
        ENTER_U
        EXPECT_TRAP(1f)
u1:     wfi
        FAIL("wfi with TW in U")
1:      CHECK_TRAP(CAUSE_ILLEGAL, u1, 0x10500073, "wfi with TW in U")
        /* in M, TW has no effect: make an interrupt pending-and-enabled
         * (MIE = 0) so the wfi returns */
        li t1, MIP_SSIP
        csrs mie, t1
        csrs mip, t1
        wfi
        csrc mip, t1
        csrc mie, t1
        li t1, MSTATUS_TW
        csrc mstatus, t1
        /* TW = 0: wfi in S with a delegated, locally enabled interrupt
         * pending but SIE = 0 completes without a trap (priv 3.3.3) */
        li t1, MIP_SSIP
        csrw mideleg, t1
        csrs mie, t1
        csrs mip, t1
        li t1, MSTATUS_SIE
        csrc mstatus, t1
        ENTER_S
        wfi
        ENTER_M
        li t1, MIP_SSIP
        csrc mip, t1
        csrc mie, t1
        csrw mideleg, zero

        /* TVM = 1: satp access and sfence.vma in S trap */
        li t1, MSTATUS_TVM
        csrs mstatus, t1
        ENTER_S
        EXPECT_TRAP(1f)
s3:     csrr a0, satp
        FAIL("satp read with TVM")
1:      CHECK_TRAP(CAUSE_ILLEGAL, s3, 0x18002573, "csrr satp with TVM")
        ENTER_S
        EXPECT_TRAP(1f)
s4:     csrw satp, zero
        FAIL("satp write with TVM")
1:      CHECK_TRAP(CAUSE_ILLEGAL, s4, 0x18001073, "csrw satp with TVM")
        ENTER_S
        EXPECT_TRAP(1f)
s5:     sfence.vma
        FAIL("sfence.vma with TVM")
1:      CHECK_TRAP(CAUSE_ILLEGAL, s5, 0x12000073, "sfence.vma with TVM")
        /* M is unaffected */
        csrr a0, satp
        sfence.vma
        li t1, MSTATUS_TVM
        csrc mstatus, t1
        ENTER_S
        csrr a0, satp
        sfence.vma
        ENTER_M
        TEST_PASS
