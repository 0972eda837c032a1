/* mmu_sv39.S: Sv39 translation with 4 KiB pages: loads/stores through a
 * mapping, aliases, high (sign-extended) addresses, non-canonical addresses. */
#include "common.h"

#define VA_DATA   0x40001000
#define VA_ALIAS  0x40002000
#define VA_HOLE   0x40003000
#define VA_HIGH   0xffffffffc0005000    /* VPN[2] = 511 */
#define VA_CODE   0x40010000

TEST_BEGIN
        MMU_INIT(2)
        MAP_IDENTITY_RAM
        MAP_L(VA_DATA, data_page, PTE_RW, 0)
        MAP_L(VA_ALIAS, data_page, PTE_RW, 0)
        MAP_L(VA_HIGH, data_page2, PTE_RW, 0)
        MAP_L(VA_CODE, code_page, PTE_RX, 0)
        SATP_ON(SATP_MODE_SV39)
        ENTER_S

        /* load through the mapping */
        li t1, VA_DATA
        ld a0, 0(t1)
        CHECK(0x1122334455667788, a0, "ld via Sv39 4K page")
        lw a0, 12(t1)
        CHECK(0xffffffff99aabbcc, a0, "lw via Sv39 4K page")
        /* store through one alias, read through the other */
        li a1, 0x0badc0de
        sd a1, 16(t1)
        li t2, VA_ALIAS
        ld a0, 16(t2)
        CHECK(0x0badc0de, a0, "alias sees the store")
        /* the page offset is kept: last doubleword of the page */
        li a1, 0x5555
        addi t1, t1, 2047
        addi t2, t2, 2047
        sd a1, 2041(t1)                 /* offset 4088 */
        ld a0, 2041(t2)
        CHECK(0x5555, a0, "page offset 4088")
        /* high half: VA bits 63:39 equal bit 38 */
        li t1, VA_HIGH
        ld a0, 0(t1)
        CHECK(0xfedcba9876543210, a0, "ld via high VA")
        /* executing a mapped page at another VA */
        li t1, VA_CODE
        jalr ra, 0(t1)
        CHECK(0x77, a0, "code at VA_CODE ran")
        ENTER_M
        /* the stores reached the physical page */
        la t1, data_page
        ld a0, 16(t1)
        CHECK(0x0badc0de, a0, "store reached PA")

        /* an unmapped VA in a populated table: load page fault, mtval = VA */
        ENTER_S
        li t1, VA_HOLE + 8
        EXPECT_TRAP(1f)
f1:     ld a0, 0(t1)
        FAIL("load from hole")
1:      CHECK_TRAP(CAUSE_LOAD_PAGE, f1, VA_HOLE + 8, "load from unmapped VA")
        /* non-canonical: bit 38 = 1 but bits 63:39 = 0 (priv 4.4.1) */
        ENTER_S
        li t1, 0x0000004000001000
        EXPECT_TRAP(1f)
f2:     ld a0, 0(t1)
        FAIL("load from non-canonical VA")
1:      CHECK_TRAP(CAUSE_LOAD_PAGE, f2, 0x0000004000001000, "load from non-canonical VA")
        ENTER_S
        li t1, 0x8000000040001000
        EXPECT_TRAP(1f)
f3:     sd a0, 0(t1)
        FAIL("store to non-canonical VA")
1:      CHECK_TRAP(CAUSE_STORE_PAGE, f3, 0x8000000040001000, "store to non-canonical VA")

        /* satp changes need sfence.vma: remap VA_DATA to data_page2 */
        MAP_L(VA_DATA, data_page2, PTE_RW, 0)
        sfence.vma
        ENTER_S
        li t1, VA_DATA
        ld a0, 0(t1)
        CHECK(0xfedcba9876543210, a0, "remapped VA after sfence.vma")
        ENTER_M
        csrw satp, zero
        TEST_PASS

        .text
        .balign 4096
code_page:
        li a0, 0x77
        ret
        .balign 4096

        .data
        .balign 4096
data_page:
        .dword 0x1122334455667788
        .dword 0x99aabbccddeeff00
        .space 4096 - 16
data_page2:
        .dword 0xfedcba9876543210
        .space 4096 - 8
