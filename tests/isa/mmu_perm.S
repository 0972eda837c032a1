/* mmu_perm.S: U-bit rules: S cannot fetch from U pages, S data access to U
 * pages needs SUM, U cannot touch non-U pages; MXR lets loads read X-only pages. */
#include "common.h"

#define VA_UDATA  0x40001000            /* U, RW */
#define VA_UXO    0x40002000            /* U, execute-only */
#define VA_SXO    0x40003000            /* S, execute-only */
#define VA_UCODE  0x40010000            /* U, RX: the U routines below */

/* run the U routine `r` with a1/a2 as arguments; it ends in ecall. The
 * expected trap records either that ecall (8: no fault) or a fault. */
#define RUN_U(r)                                        \
        la t1, r;                                       \
        la t2, ucode;                                   \
        sub t1, t1, t2;                                 \
        li t2, VA_UCODE;                                \
        add t1, t1, t2;                                 \
        csrw mepc, t1;                                  \
        li t1, MSTATUS_MPP;                             \
        csrc mstatus, t1;                               \
        EXPECT_TRAP(1f);                                \
        mret;                                           \
1:

TEST_BEGIN
        MMU_INIT(2)
        MAP_IDENTITY_RAM
        MAP_L(VA_UDATA, data_page, PTE_RW | PTE_U, 0)
        MAP_L(VA_UXO, data_page, PTE_XO | PTE_U, 0)
        MAP_L(VA_SXO, data_page, PTE_XO, 0)
        MAP_L(VA_UCODE, ucode, PTE_RX | PTE_U, 0)
        SATP_ON(SATP_MODE_SV39)

        /* S load/store to a U page without SUM: faults */
        ENTER_S
        li t1, VA_UDATA
        EXPECT_TRAP(1f)
f1:     ld a0, 0(t1)
        FAIL("S load from U page without SUM")
1:      CHECK_TRAP(CAUSE_LOAD_PAGE, f1, VA_UDATA, "S load U page, SUM=0")
        ENTER_S
        li t1, VA_UDATA
        EXPECT_TRAP(1f)
f2:     sd a0, 8(t1)
        FAIL("S store to U page without SUM")
1:      CHECK_TRAP(CAUSE_STORE_PAGE, f2, VA_UDATA + 8, "S store U page, SUM=0")
        /* with SUM: allowed */
        li t1, MSTATUS_SUM
        csrs mstatus, t1
        ENTER_S
        li t1, VA_UDATA
        ld a0, 0(t1)
        CHECK(0x5a5a, a0, "S load U page, SUM=1")
        sd a0, 8(t1)
        /* but never a fetch (priv 4.3.1: SUM has no effect on fetches) */
        li t1, VA_UCODE
        EXPECT_TRAP(1f)
        jalr ra, 0(t1)
        FAIL("S fetch from U page")
1:      CHECK_TRAP(CAUSE_FETCH_PAGE, VA_UCODE, VA_UCODE, "S fetch U page, SUM=1")
        li t1, MSTATUS_SUM
        csrc mstatus, t1

        /* U: its own pages work */
        li a1, VA_UDATA
        RUN_U(u_load)
        TRAP_FIELD(t0, TI_CAUSE)
        CHECK(CAUSE_ECALL_U, t0, "U load from U page")
        CHECK(0x5a5a, a0, "U load value")
        li a1, VA_UDATA
        li a2, 0x6b6b
        RUN_U(u_store)
        TRAP_FIELD(t0, TI_CAUSE)
        CHECK(CAUSE_ECALL_U, t0, "U store to U page")
        la t1, data_page
        ld a0, 16(t1)
        CHECK(0x6b6b, a0, "U store reached memory")
        /* U: S pages fault, for data even with SUM */
        li t1, MSTATUS_SUM
        csrs mstatus, t1
        la a1, data_page                /* identity map: not U */
        RUN_U(u_load)
        TRAP_FIELD(t0, TI_CAUSE)
        CHECK(CAUSE_LOAD_PAGE, t0, "U load from S page")
        TRAP_FIELD(t0, TI_TVAL)
        CHECKR(a1, t0, "U load from S page mtval")
        la a1, data_page
        RUN_U(u_store)
        TRAP_FIELD(t0, TI_CAUSE)
        CHECK(CAUSE_STORE_PAGE, t0, "U store to S page")
        li t1, MSTATUS_SUM
        csrc mstatus, t1
        /* U fetch from an S page */
        la t1, u_fetch_s
        csrw mepc, t1
        li t1, MSTATUS_MPP
        csrc mstatus, t1
        EXPECT_TRAP(1f)
        mret
1:      TRAP_FIELD(t0, TI_CAUSE)
        CHECK(CAUSE_FETCH_PAGE, t0, "U fetch from S page")
        TRAP_FIELD(t0, TI_TVAL)
        CHECK_ADDR(u_fetch_s, t0, "U fetch from S page mtval")

        /* MXR: loads from execute-only pages (priv 4.3.1) */
        ENTER_S
        li t1, VA_SXO
        EXPECT_TRAP(1f)
f3:     ld a0, 0(t1)
        FAIL("S load from XO page, MXR=0")
1:      CHECK_TRAP(CAUSE_LOAD_PAGE, f3, VA_SXO, "S load XO page, MXR=0")
        li t1, MSTATUS_MXR
        csrs mstatus, t1
        ENTER_S
        li t1, VA_SXO
        ld a0, 0(t1)
        CHECK(0x5a5a, a0, "S load XO page, MXR=1")
        /* MXR does not allow stores */
        EXPECT_TRAP(1f)
f4:     sd a0, 0(t1)
        FAIL("S store to XO page")
1:      CHECK_TRAP(CAUSE_STORE_PAGE, f4, VA_SXO, "S store XO page, MXR=1")
        /* U with MXR on a U execute-only page */
        li a1, VA_UXO
        RUN_U(u_load)
        TRAP_FIELD(t0, TI_CAUSE)
        CHECK(CAUSE_ECALL_U, t0, "U load UXO page, MXR=1")
        CHECK(0x5a5a, a0, "U load UXO value")
        li t1, MSTATUS_MXR
        csrc mstatus, t1
        li a1, VA_UXO
        RUN_U(u_load)
        TRAP_FIELD(t0, TI_CAUSE)
        CHECK(CAUSE_LOAD_PAGE, t0, "U load UXO page, MXR=0")
        csrw satp, zero
        TEST_PASS

        /* U routines, mapped at VA_UCODE */
        .text
        .balign 4096
ucode:
u_load: ld a0, 0(a1)
        ecall
u_store:
        sd a2, 16(a1)
        ecall
        .balign 4096
u_fetch_s:
        ecall

        .data
        .balign 4096
data_page:
        .dword 0x5a5a, 0, 0
        .space 4096 - 24
