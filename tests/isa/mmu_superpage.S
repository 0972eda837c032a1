/* mmu_superpage.S: Sv39 2 MiB and 1 GiB leaves (offsets pass through),
 * misaligned superpages (low PPN fields not zero) raise page faults (4.3.2),
 * and sfence.vma anywhere in a superpage drops all of it (4.2.1). */
#include "common.h"

#define VA_MEGA    0x40200000
#define PA_MEGA    0x80400000           /* free RAM, 2 MiB aligned */
#define VA_GIGA    0x100000000          /* VPN[2] = 4 */
#define VA_BADMEGA 0x40400000
#define VA_BADGIGA 0x140000000

TEST_BEGIN
        MMU_INIT(2)
        MAP_IDENTITY_RAM
        MAP_C(VA_MEGA, PA_MEGA, PTE_RW, 1)
        MAP_C(VA_GIGA, 0x80000000, PTE_RW, 2)
        MAP_C(VA_BADMEGA, PA_MEGA + 0x1000, PTE_RW, 1)     /* PPN[0] = 1 */
        MAP_C(VA_BADGIGA, 0x80200000, PTE_RW, 2)           /* PPN[1] = 1 */
        /* write markers through the physical addresses */
        li t1, PA_MEGA
        li a0, 0x2222
        sd a0, 0(t1)
        li t2, 0x1ffff8
        add t2, t1, t2
        li a0, 0x3333
        sd a0, 0(t2)                    /* last doubleword of the 2 MiB */
        SATP_ON(SATP_MODE_SV39)
        ENTER_S
        li t1, VA_MEGA
        ld a0, 0(t1)
        CHECK(0x2222, a0, "2 MiB page start")
        li t2, 0x1ffff8
        add t2, t1, t2
        ld a0, 0(t2)
        CHECK(0x3333, a0, "2 MiB page end")
        /* 1 GiB page: VA_GIGA + (x - 0x80000000) is x */
        la t3, marker
        li t4, 0x80000000
        sub t3, t3, t4
        li t1, VA_GIGA
        add t1, t1, t3
        ld a0, 0(t1)
        CHECK(0xabcdef, a0, "1 GiB page")
        li a1, 0x123
        sd a1, 8(t1)
        ENTER_M
        la t3, marker
        ld a0, 8(t3)
        CHECK(0x123, a0, "store through 1 GiB page")

        /* misaligned superpages */
        ENTER_S
        li t1, VA_BADMEGA + 0x10
        EXPECT_TRAP(1f)
f1:     ld a0, 0(t1)
        FAIL("misaligned megapage")
1:      CHECK_TRAP(CAUSE_LOAD_PAGE, f1, VA_BADMEGA + 0x10, "misaligned megapage load")
        ENTER_S
        li t1, VA_BADMEGA
        EXPECT_TRAP(1f)
f2:     sd a0, 0(t1)
        FAIL("misaligned megapage store")
1:      CHECK_TRAP(CAUSE_STORE_PAGE, f2, VA_BADMEGA, "misaligned megapage store")
        ENTER_S
        li t1, VA_BADGIGA + 0x2000
        EXPECT_TRAP(1f)
f3:     ld a0, 0(t1)
        FAIL("misaligned gigapage")
1:      CHECK_TRAP(CAUSE_LOAD_PAGE, f3, VA_BADGIGA + 0x2000, "misaligned gigapage load")
        /* fetch from a misaligned superpage */
        MAP_C(VA_BADMEGA, PA_MEGA + 0x1000, PTE_RX, 1)
        sfence.vma
        ENTER_S
        li t1, VA_BADMEGA
        EXPECT_TRAP(1f)
        jr t1
1:      TRAP_FIELD(t0, TI_CAUSE)
        CHECK(CAUSE_FETCH_PAGE, t0, "misaligned megapage fetch mcause")
        TRAP_FIELD(t0, TI_TVAL)
        CHECK(VA_BADMEGA, t0, "misaligned megapage fetch mtval")
        TRAP_FIELD(t0, TI_EPC)
        CHECK(VA_BADMEGA, t0, "misaligned megapage fetch mepc")

        /* sfence.vma with one address of a 2 MiB page drops the
         * translation of all of it (4.2.1), not only of that 4 KiB */
        li t1, PA_MEGA + 0x1000
        li a0, 0x4444
        sd a0, 0(t1)
        li t1, PA_MEGA + 0x200000 + 0x1000
        li a0, 0x5555
        sd a0, 0(t1)
        ENTER_S
        li t1, VA_MEGA + 0x1000
        ld a0, 0(t1)
        CHECK(0x4444, a0, "2 MiB page before the change")
        ENTER_M
        MAP_C(VA_MEGA, PA_MEGA + 0x200000, PTE_RW, 1)
        li t1, VA_MEGA + 0x1ff000
        sfence.vma t1
        ENTER_S
        li t1, VA_MEGA + 0x1000
        ld a0, 0(t1)
        CHECK(0x5555, a0, "2 MiB page after sfence.vma elsewhere in it")
        ENTER_M
        csrw satp, zero
        TEST_PASS

        .data
        .align 3
marker: .dword 0xabcdef, 0
