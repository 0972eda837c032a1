/* mmu_fault.S: page-fault causes with mepc/mtval: fetch (12), load (13),
 * store/AMO (15), permission faults, and a fetch straddling into an unmapped page. */
#include "common.h"

#define VA_RO     0x40001000
#define VA_RW     0x40002000
#define VA_NX     0x40003000            /* RW, not executable */
#define VA_XO     0x40004000            /* execute-only */
#define VA_HOLE   0x40005000
#define VA_CODE   0x40010000            /* code page; 0x40011000 unmapped */

TEST_BEGIN
        MMU_INIT(2)
        MAP_IDENTITY_RAM
        MAP_L(VA_RO, data_page, PTE_RO, 0)
        MAP_L(VA_RW, data_page, PTE_RW, 0)
        MAP_L(VA_NX, code_page, PTE_RW, 0)
        MAP_L(VA_XO, data_page, PTE_XO, 0)
        MAP_L(VA_CODE, code_page, PTE_RX, 0)
        SATP_ON(SATP_MODE_SV39)

        /* store to a read-only page: 15, mtval = VA */
        ENTER_S
        li t1, VA_RO
        ld a0, 8(t1)                    /* reading is fine */
        CHECK(0x42, a0, "load from read-only page")
        EXPECT_TRAP(1f)
f1:     sd a0, 8(t1)
        FAIL("store to read-only page")
1:      CHECK_TRAP(CAUSE_STORE_PAGE, f1, VA_RO + 8, "store to RO page")
        /* AMOs need write permission: store/AMO page fault */
        ENTER_S
        li t1, VA_RO
        EXPECT_TRAP(1f)
f2:     amoadd.d a0, a0, (t1)
        FAIL("AMO to read-only page")
1:      CHECK_TRAP(CAUSE_STORE_PAGE, f2, VA_RO, "AMO to RO page")
        /* sc to a read-only page after lr: store page fault */
        ENTER_S
        li t1, VA_RO
        lr.d a0, (t1)
        EXPECT_TRAP(1f)
f3:     sc.d a0, a0, (t1)
        FAIL("sc to read-only page")
1:      CHECK_TRAP(CAUSE_STORE_PAGE, f3, VA_RO, "sc to RO page")
        /* load from an execute-only page without MXR: 13 */
        ENTER_S
        li t1, VA_XO + 16
        EXPECT_TRAP(1f)
f4:     lw a0, 0(t1)
        FAIL("load from execute-only page")
1:      CHECK_TRAP(CAUSE_LOAD_PAGE, f4, VA_XO + 16, "load from XO page")
        /* lr from an unmapped page: load page fault */
        ENTER_S
        li t1, VA_HOLE
        EXPECT_TRAP(1f)
f5:     lr.w a0, (t1)
        FAIL("lr from unmapped page")
1:      CHECK_TRAP(CAUSE_LOAD_PAGE, f5, VA_HOLE, "lr from unmapped page")
        ENTER_S
        li t1, VA_HOLE
        EXPECT_TRAP(1f)
f6:     sb a0, 7(t1)
        FAIL("store to unmapped page")
1:      CHECK_TRAP(CAUSE_STORE_PAGE, f6, VA_HOLE + 7, "store to unmapped page")

        /* fetch from a non-executable page: 12, mepc = mtval = target */
        ENTER_S
        li t1, VA_NX
        EXPECT_TRAP(1f)
        jalr ra, 0(t1)
        FAIL("fetch from NX page")
1:      CHECK_TRAP(CAUSE_FETCH_PAGE, VA_NX, VA_NX, "fetch from NX page")
        TRAP_FIELD(t0, TI_EPC)
        CHECK(VA_NX, t0, "fetch from NX page mepc")
        /* fetch from an unmapped page */
        ENTER_S
        li t1, VA_HOLE + 0x10
        EXPECT_TRAP(1f)
        jalr ra, 0(t1)
1:      TRAP_FIELD(t0, TI_CAUSE)
        CHECK(CAUSE_FETCH_PAGE, t0, "fetch from unmapped mcause")
        TRAP_FIELD(t0, TI_EPC)
        CHECK(VA_HOLE + 0x10, t0, "fetch from unmapped mepc")
        TRAP_FIELD(t0, TI_TVAL)
        CHECK(VA_HOLE + 0x10, t0, "fetch from unmapped mtval")

        /* code page runs: first its head (a0 = 1, ret) */
        ENTER_S
        li t1, VA_CODE
        jalr ra, 0(t1)
        CHECK(1, a0, "code page runs")
        /* a 32-bit instruction at page end - 2 whose second half is on
         * the unmapped next page: fetch page fault, mepc = the instruction,
         * mtval = the address of the missing part, i.e. the page boundary
         * (priv 3.1.16) */
        la t1, straddle                    /* VA_CODE + (straddle - code_page) */
        la t2, code_page
        sub t1, t1, t2
        li t2, VA_CODE
        add t1, t1, t2
        EXPECT_TRAP(1f)
        jalr ra, 0(t1)
        FAIL("straddling fetch")
1:      TRAP_FIELD(t0, TI_CAUSE)
        CHECK(CAUSE_FETCH_PAGE, t0, "straddling fetch mcause")
        TRAP_FIELD(t0, TI_EPC)
        CHECK(VA_CODE + 4094, t0, "straddling fetch mepc")
        TRAP_FIELD(t0, TI_TVAL)
        CHECK(VA_CODE + 4096, t0, "straddling fetch mtval")
        /* falling through into the unmapped page from the page's end */
        ENTER_S
        la t1, tail                    /* VA_CODE + (tail - code_page) */
        la t2, code_page
        sub t1, t1, t2
        li t2, VA_CODE
        add t1, t1, t2
        EXPECT_TRAP(1f)
        jalr ra, 0(t1)
        FAIL("run off the page end")
1:      TRAP_FIELD(t0, TI_CAUSE)
        CHECK(CAUSE_FETCH_PAGE, t0, "run off page mcause")
        TRAP_FIELD(t0, TI_EPC)
        CHECK(VA_CODE + 4094, t0, "run off page mepc")
        csrw satp, zero
        TEST_PASS

        .text
        .balign 4096
code_page:
        li a0, 1
        ret
        .balign 2048
tail:
        .option push
        .option rvc
        .fill (2048 - 2) / 2, 2, 0x0001  /* c.nop up to page end - 2 */
        .option norvc
straddle:
        addi a0, a0, 1
        .option pop
        .balign 4096

        .data
        .balign 4096
data_page:
        .dword 0, 0x42
        .space 4096 - 16
