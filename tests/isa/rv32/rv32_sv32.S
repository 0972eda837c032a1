/* rv32_sv32.S: Sv32 (priv spec 4.3): satp's MODE is bit 31, two levels of
 * 4-byte PTEs, 4 MiB megapages (their offsets pass through, a misaligned
 * one faults), 34-bit physical addresses in the PTEs, hardware A/D
 * updates in a 4-byte PTE, faults with the 32-bit address in stval. */
#include "common.h"

#define VA_PAGE    0x40001000
#define VA_MEGA    0xc0000000           /* the RAM at 0x80000000, 4 MiB */
#define VA_BADMEGA 0xc0400000
#define VA_NONE    0xdead0000
#define VA_AD      0x40002000

TEST_BEGIN
        MMU_INIT(1)
        MAP_IDENTITY_RAM
        MAP_L(VA_PAGE, data, PTE_RW, 0)
        MAP_C(VA_MEGA, 0x80000000, PTE_RW, 1)
        MAP_C(VA_BADMEGA, 0x80401000, PTE_RW, 1)        /* PPN[0] = 1 */
        MAP_L(VA_AD, data2, PTE_V | PTE_R | PTE_W, 0)   /* A, D clear */
        mv s2, a0                                       /* its PTE */
        SATP_ON(SATP_MODE_SV32)
        csrr a0, satp
        srli a1, a0, 31
        CHECK(1, a1, "satp.MODE")
        srli a1, s0, 12
        li a2, 0x3fffff
        and a0, a0, a2
        CHECKR(a1, a0, "satp.PPN")

        ENTER_S
        li t1, VA_PAGE
        lw a0, 0(t1)
        CHECK(0x600dcafe, a0, "4 KiB page")
        li a1, 0x1234
        sw a1, 4(t1)
        la t2, data
        lw a0, 4(t2)
        CHECK(0x1234, a0, "store through the page")
        /* the megapage: VA_MEGA + (x - 0x80000000) is x */
        la t3, data
        li t4, 0x80000000
        sub t3, t3, t4
        li t1, VA_MEGA
        add t1, t1, t3
        lw a0, 0(t1)
        CHECK(0x600dcafe, a0, "megapage")

        /* A and D: the walk sets them in the 4-byte PTE */
        li t1, VA_AD
        lw a0, 0(t1)
        sw a0, 0(t1)
        ENTER_M
        lw a0, 0(s2)
        andi a0, a0, PTE_A | PTE_D
        CHECK(PTE_A | PTE_D, a0, "A and D set")
        lw a0, 4(s2)
        CHECK(0, a0, "the next PTE untouched (4-byte update)")

        ENTER_S
        /* faults: nothing mapped, and a misaligned megapage */
        EXPECT_TRAP(1f)
        li t1, VA_NONE
2:      lw a0, 0(t1)
        FAIL("unmapped load")
1:      CHECK_TRAP(CAUSE_LOAD_PAGE, 2b, VA_NONE, "unmapped load")
        ENTER_S
        EXPECT_TRAP(1f)
        li t1, VA_BADMEGA
3:      sw a0, 0(t1)
        FAIL("misaligned megapage")
1:      CHECK_TRAP(CAUSE_STORE_PAGE, 3b, VA_BADMEGA, "misaligned megapage")
        csrw satp, zero
        sfence.vma
        TEST_PASS

        .data
        .align 12
data:   .word 0x600dcafe, 0
        .align 12
data2:  .word 0
