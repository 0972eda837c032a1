/* xret.S: mret and sret to each mode and their mstatus updates (xIE <- xPIE,
 * xPIE <- 1, xPP <- U), MPRV cleared by a return below M (priv 3.1.6.1/3). */
#include "common.h"

/* set/clear the mstatus bits in mask */
#define MS_SET(mask)  li t1, mask; csrs mstatus, t1
#define MS_CLR(mask)  li t1, mask; csrc mstatus, t1
/* t1 = mstatus & mask */
#define MS_GET(mask)  csrr t1, mstatus; li t2, mask; and t1, t1, t2

TEST_BEGIN
        /* mret to M: MIE <- MPIE (0), MPIE <- 1, MPP <- U */
        MS_CLR(MSTATUS_MPIE | MSTATUS_MPP)
        MS_SET(MSTATUS_MIE | MSTATUS_MPP_M)
        la t1, 1f
        csrw mepc, t1
        mret
        FAIL("mret to M")
1:      MS_GET(MSTATUS_MIE | MSTATUS_MPIE | MSTATUS_MPP)
        CHECK(MSTATUS_MPIE, t1, "mret M->M: MIE=0 MPIE=1 MPP=U")
        /* again with MPIE = 1: MIE becomes 1 */
        MS_SET(MSTATUS_MPP_M)
        la t1, 1f
        csrw mepc, t1
        mret
1:      MS_GET(MSTATUS_MIE | MSTATUS_MPIE | MSTATUS_MPP)
        CHECK(MSTATUS_MIE | MSTATUS_MPIE, t1, "mret M->M: MIE=1 MPIE=1 MPP=U")
        MS_CLR(MSTATUS_MIE)

        /* mret to S lands in S (an ecall there reports cause 9) */
        MS_CLR(MSTATUS_MPP)
        MS_SET(MSTATUS_MPP_S)
        la t1, 1f
        csrw mepc, t1
        mret
1:      EXPECT_TRAP(2f)
        ecall
2:      TRAP_FIELD(t1, TI_CAUSE)
        CHECK(CAUSE_ECALL_S, t1, "mret to S")
        /* mret to U */
        MS_CLR(MSTATUS_MPP)
        la t1, 1f
        csrw mepc, t1
        mret
1:      EXPECT_TRAP(2f)
        ecall
2:      TRAP_FIELD(t1, TI_CAUSE)
        CHECK(CAUSE_ECALL_U, t1, "mret to U")

        /* MPRV: kept by mret to M, cleared by mret to S or U */
        MS_SET(MSTATUS_MPRV | MSTATUS_MPP_M)
        la t1, 1f
        csrw mepc, t1
        mret
1:      MS_GET(MSTATUS_MPRV)
        CHECK(MSTATUS_MPRV, t1, "mret to M keeps MPRV")
        /* MPP is U now, so with MPRV=1 loads/stores would be U accesses;
         * PMP entry 0 allows them and satp is bare, so this is harmless */
        MS_CLR(MSTATUS_MPP)
        MS_SET(MSTATUS_MPP_S | MSTATUS_MPRV)
        la t1, 1f
        csrw mepc, t1
        mret
1:      ENTER_M
        MS_GET(MSTATUS_MPRV)
        CHECK(0, t1, "mret to S clears MPRV")
        MS_CLR(MSTATUS_MPP)
        MS_SET(MSTATUS_MPRV)
        la t1, 1f
        csrw mepc, t1
        mret
1:      ENTER_M
        MS_GET(MSTATUS_MPRV)
        CHECK(0, t1, "mret to U clears MPRV")

        /* sret from S to S: SIE <- SPIE, SPIE <- 1, SPP <- U */
        ENTER_S
        li t1, MSTATUS_SPP | MSTATUS_SIE
        csrs sstatus, t1
        li t1, MSTATUS_SPIE
        csrc sstatus, t1
        la t1, 1f
        csrw sepc, t1
        sret
        FAIL("sret to S")
1:      csrr t1, sstatus
        li t2, MSTATUS_SPP | MSTATUS_SPIE | MSTATUS_SIE
        and t1, t1, t2
        CHECK(MSTATUS_SPIE, t1, "sret S->S: SIE=0 SPIE=1 SPP=U")
        /* still in S: sstatus readable, and an ecall says 9 */
        EXPECT_TRAP(2f)
        ecall
2:      TRAP_FIELD(t1, TI_CAUSE)
        CHECK(CAUSE_ECALL_S, t1, "sret to S lands in S")

        /* sret from S with SPIE = 1 to U: SIE becomes 1 */
        ENTER_S
        li t1, MSTATUS_SPP
        csrc sstatus, t1
        li t1, MSTATUS_SPIE
        csrs sstatus, t1
        la t1, 1f
        csrw sepc, t1
        sret
1:      EXPECT_TRAP(2f)
        ecall
2:      TRAP_FIELD(t1, TI_CAUSE)
        CHECK(CAUSE_ECALL_U, t1, "sret to U")
        MS_GET(MSTATUS_SIE | MSTATUS_SPIE | MSTATUS_SPP)
        CHECK(MSTATUS_SIE | MSTATUS_SPIE, t1, "sret S->U: SIE=1 SPIE=1 SPP=U")
        MS_CLR(MSTATUS_SIE)

        /* sret in M works too (returns to SPP) */
        MS_SET(MSTATUS_SPP)
        la t1, 1f
        csrw sepc, t1
        sret
1:      EXPECT_TRAP(2f)
        ecall
2:      TRAP_FIELD(t1, TI_CAUSE)
        CHECK(CAUSE_ECALL_S, t1, "sret from M to S")

        /* sret from U and mret from U/S are illegal (priv 3.3.2) */
        ENTER_U
        EXPECT_TRAP(1f)
u1:     sret
        FAIL("sret in U")
1:      CHECK_TRAP(CAUSE_ILLEGAL, u1, 0x10200073, "sret in U")
        ENTER_U
        EXPECT_TRAP(1f)
u2:     mret
        FAIL("mret in U")
1:      CHECK_TRAP(CAUSE_ILLEGAL, u2, 0x30200073, "mret in U")
        ENTER_S
        EXPECT_TRAP(1f)
s1:     mret
        FAIL("mret in S")
1:      CHECK_TRAP(CAUSE_ILLEGAL, s1, 0x30200073, "mret in S")
        TEST_PASS
