/* mmu_mprv.S: mstatus.MPRV makes M-mode loads/stores use the translation and
 * privilege of MPP (with SUM/MXR); fetches stay untranslated (3.1.6.3). */
#include "common.h"

#define VA_S   0x40001000               /* S page -> spage */
#define VA_U   0x40002000               /* U page -> upage */
#define VA_XO  0x40003000               /* S execute-only -> spage */

/* set MPRV with MPP = mode (clobbers t1) */
#define MPRV_ON(mode)                                   \
        li t1, MSTATUS_MPP;                             \
        csrc mstatus, t1;                               \
        li t1, ((mode) << 11) | MSTATUS_MPRV;           \
        csrs mstatus, t1
#define MPRV_OFF                                        \
        li t1, MSTATUS_MPRV;                            \
        csrc mstatus, t1

TEST_BEGIN
        MMU_INIT(2)
        MAP_IDENTITY_RAM
        MAP_L(VA_S, spage, PTE_RW, 0)
        MAP_L(VA_U, upage, PTE_RW | PTE_U, 0)
        MAP_L(VA_XO, spage, PTE_XO, 0)
        SATP_ON(SATP_MODE_SV39)

        /* MPP = S: translated loads and stores from M-mode code */
        li t2, VA_S
        MPRV_ON(PRV_S)
        ld a0, 0(t2)
        li a1, 0x5151
        sd a1, 8(t2)
        MPRV_OFF
        CHECK(0x1111, a0, "MPRV=1 MPP=S load")
        la t2, spage
        ld a0, 8(t2)
        CHECK(0x5151, a0, "MPRV=1 MPP=S store")

        /* MPP = U: U page fine */
        li t2, VA_U
        MPRV_ON(PRV_U)
        ld a0, 0(t2)
        MPRV_OFF
        CHECK(0x2222, a0, "MPRV=1 MPP=U load from U page")
        /* MPP = U, S page: load page fault at this M-mode instruction */
        li t2, VA_S
        EXPECT_TRAP(1f)                 /* arm first: it stores */
        MPRV_ON(PRV_U)
f1:     ld a0, 0(t2)
        MPRV_OFF
        FAIL("MPRV=1 MPP=U load from S page")
1:      CHECK_TRAP(CAUSE_LOAD_PAGE, f1, VA_S, "MPRV MPP=U load S page")
        TRAP_FIELD(t0, TI_STATUS)
        li t1, MSTATUS_MPRV
        and t0, t0, t1
        CHECK(MSTATUS_MPRV, t0, "MPRV still set at the trap")
        TRAP_FIELD(t0, TI_STATUS)
        li t1, MSTATUS_MPP
        and t0, t0, t1
        CHECK(MSTATUS_MPP_M, t0, "trap from M: MPP = M")

        /* MPP = S, U page: needs SUM */
        li t2, VA_U
        EXPECT_TRAP(1f)
        MPRV_ON(PRV_S)
f2:     sd a0, 0(t2)
        MPRV_OFF
        FAIL("MPRV=1 MPP=S store to U page, SUM=0")
1:      CHECK_TRAP(CAUSE_STORE_PAGE, f2, VA_U, "MPRV MPP=S store U page")
        li t1, MSTATUS_SUM
        csrs mstatus, t1
        li t2, VA_U
        MPRV_ON(PRV_S)
        ld a0, 0(t2)
        MPRV_OFF
        CHECK(0x2222, a0, "MPRV=1 MPP=S SUM=1 load from U page")
        li t1, MSTATUS_SUM
        csrc mstatus, t1

        /* MXR with MPRV: execute-only page readable */
        li t1, MSTATUS_MXR
        csrs mstatus, t1
        li t2, VA_XO
        MPRV_ON(PRV_S)
        ld a0, 0(t2)
        MPRV_OFF
        CHECK(0x1111, a0, "MPRV + MXR load from XO page")
        li t1, MSTATUS_MXR
        csrc mstatus, t1

        /* MPP = M: no translation even with MPRV */
        la t2, spage
        MPRV_ON(PRV_M)
        ld a0, 0(t2)
        MPRV_OFF
        CHECK(0x1111, a0, "MPRV=1 MPP=M is physical")

        /* MPRV does not apply to fetches: this code keeps running at its
         * physical address while MPRV=1, MPP=U (the code is not U) */
        MPRV_ON(PRV_U)
        li a0, 1
        addi a0, a0, 1
        j 2f
2:      MPRV_OFF
        CHECK(2, a0, "fetch unaffected by MPRV")
        csrw satp, zero
        TEST_PASS

        .data
        .balign 4096
spage:  .dword 0x1111, 0
        .space 4096 - 16
upage:  .dword 0x2222, 0
        .space 4096 - 16
