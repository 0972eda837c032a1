/* mmu_sv48.S: Sv48 translation: 4 KiB pages under a 4-level walk, a 512 GiB
 * leaf at level 3, a VA above Sv39's range, non-canonical addresses. */
#include "common.h"

#define VA_DATA   0x0000123440001000    /* beyond Sv39 (bit 44 set) */
#define VA_HIGH   0xffff800000002000    /* VPN[3] = 256: sign-extended */
#define VA_TERA   0x0000008000000000    /* 512 GiB leaf -> PA 0 */

TEST_BEGIN
        MMU_INIT(3)
        /* identity 1 GiB for code at level 2 */
        MAP_C(0x80000000, 0x80000000, PTE_ALL, 2)
        MAP_L(VA_DATA, data_page, PTE_RW, 0)
        MAP_L(VA_HIGH, data_page, PTE_RW, 0)
        MAP_C(VA_TERA, 0, PTE_RW, 3)
        SATP_ON(SATP_MODE_SV48)
        ENTER_S
        li t1, VA_DATA
        ld a0, 0(t1)
        CHECK(0x1122334455667788, a0, "ld via Sv48 4K page")
        li a1, 0x4848
        sd a1, 8(t1)
        li t2, VA_HIGH
        ld a0, 8(t2)
        CHECK(0x4848, a0, "high Sv48 VA alias")
        /* the 512 GiB page: VA_TERA + PA */
        la t3, data_page
        li t1, VA_TERA
        add t1, t1, t3
        ld a0, 0(t1)
        CHECK(0x1122334455667788, a0, "ld via 512 GiB leaf")
        ENTER_M

        /* non-canonical for Sv48: bit 47 = 1, bits 63:48 = 0 */
        ENTER_S
        li t1, 0x0000800000002000
        EXPECT_TRAP(1f)
f1:     ld a0, 0(t1)
        FAIL("non-canonical Sv48 load")
1:      CHECK_TRAP(CAUSE_LOAD_PAGE, f1, 0x0000800000002000, "non-canonical Sv48 load")
        /* an Sv39-canonical-looking address that Sv48 leaves unmapped */
        ENTER_S
        li t1, 0xffffffffc0001000
        EXPECT_TRAP(1f)
f2:     sw a0, 0(t1)
        FAIL("store to unmapped Sv48 VA")
1:      CHECK_TRAP(CAUSE_STORE_PAGE, f2, 0xffffffffc0001000, "store to unmapped Sv48 VA")
        /* a misaligned 512 GiB leaf (PPN[2] != 0) faults */
        MAP_C(VA_TERA, 0x80000000, PTE_RW, 3)
        sfence.vma
        ENTER_S
        li t1, VA_TERA
        EXPECT_TRAP(1f)
f3:     ld a0, 0(t1)
        FAIL("misaligned 512 GiB leaf")
1:      CHECK_TRAP(CAUSE_LOAD_PAGE, f3, VA_TERA, "misaligned 512 GiB leaf")
        csrw satp, zero
        TEST_PASS

        .data
        .balign 4096
data_page:
        .dword 0x1122334455667788
        .space 4096 - 8
