/* sstc.S: Sstc stimecmp (CSR 0x14d) gated by menvcfg.STCE (bit 63) and
 * mcounteren.TM; STIP = (time >= stimecmp) and is then not writable in mip. */
#include "common.h"

#define STCE_BIT 63

TEST_BEGIN
        /* menvcfg.STCE is writable */
        li t1, 1
        slli t1, t1, STCE_BIT
        csrs CSR_MENVCFG, t1
        csrr t2, CSR_MENVCFG
        and t2, t2, t1
        CHECKR(t1, t2, "menvcfg.STCE set")
        li t1, 7
        csrw mcounteren, t1

        /* STIP follows stimecmp against time */
        li t1, -1
        csrw CSR_STIMECMP, t1
        csrr t2, CSR_STIMECMP
        CHECK(-1, t2, "stimecmp reads back")
        POLL_MIP(IRQ_S_TIMER, 0, "STIP clear with stimecmp = -1")
        csrw CSR_STIMECMP, zero
        POLL_MIP(IRQ_S_TIMER, 1, "STIP set with stimecmp = 0")
        /* with STCE = 1 mip.STIP is read-only (Sstc spec) */
        li t1, MIP_STIP
        csrc mip, t1
        csrr t2, mip
        and t2, t2, t1
        CHECK(MIP_STIP, t2, "mip.STIP not clearable with STCE")
        li t1, -1
        csrw CSR_STIMECMP, t1
        POLL_MIP(IRQ_S_TIMER, 0, "STIP clear again")
        li t1, MIP_STIP
        csrs mip, t1
        csrr t2, mip
        and t2, t2, t1
        CHECK(0, t2, "mip.STIP not settable with STCE")
        /* a deadline in the future: pending once time reaches it */
        rdtime t1
        li t2, 20000
        add s0, t1, t2
        csrw CSR_STIMECMP, s0
        POLL_MIP_MTIME(IRQ_S_TIMER, 1, "STIP at the deadline")
        rdtime t1
        bgeu t1, s0, 1f
        FAIL("STIP before time reached stimecmp")
1:      li t1, -1
        csrw CSR_STIMECMP, t1
        POLL_MIP(IRQ_S_TIMER, 0, "STIP cleared by stimecmp write")

        /* the interrupt, delegated, programmed from S */
        li t1, MIP_STIP
        csrw mideleg, t1
        csrw mie, t1
        ENTER_S
        li t1, -1
        csrw CSR_STIMECMP, t1
        csrr t2, CSR_STIMECMP
        CHECK(-1, t2, "stimecmp from S")
        rdtime t1
        addi t1, t1, 1000
        csrw CSR_STIMECMP, t1
        S_EXPECT_TRAP(1f)
        li t1, MSTATUS_SIE
        csrs sstatus, t1
        WAIT_MTIME_THEN_FAIL("STI from stimecmp")
1:      S_TRAP_FIELD(t1, TI_CAUSE)
        CHECK(CAUSE_INTR | IRQ_S_TIMER, t1, "STI scause")
        li t1, -1
        csrw CSR_STIMECMP, t1
        ENTER_M
        POLL_MIP(IRQ_S_TIMER, 0, "STIP cleared from S")
        csrw mie, zero
        csrw mideleg, zero

        /* S access needs mcounteren.TM ... */
        csrw mcounteren, zero
        ENTER_S
        EXPECT_TRAP(1f)
s1:     csrr a0, CSR_STIMECMP
        FAIL("stimecmp in S with TM = 0")
1:      CHECK_TRAP(CAUSE_ILLEGAL, s1, 0x14d02573, "stimecmp in S with TM = 0")
        /* ... and STCE */
        li t1, 7
        csrw mcounteren, t1
        li t1, 1
        slli t1, t1, STCE_BIT
        csrc CSR_MENVCFG, t1
        ENTER_S
        EXPECT_TRAP(1f)
s2:     csrr a0, CSR_STIMECMP
        FAIL("stimecmp in S with STCE = 0")
1:      CHECK_TRAP(CAUSE_ILLEGAL, s2, 0x14d02573, "stimecmp in S with STCE = 0")
        /* with STCE = 0, mip.STIP is writable by M again */
        li t1, MIP_STIP
        csrs mip, t1
        csrr t2, mip
        and t2, t2, t1
        CHECK(MIP_STIP, t2, "mip.STIP writable without STCE")
        csrc mip, t1
        csrw mcounteren, zero
        TEST_PASS
