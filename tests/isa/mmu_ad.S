/* mmu_ad.S: the hart sets PTE.A on any access and PTE.D on a store (the
 * hardware-update scheme of 4.3.1, as QEMU does); a faulting store sets no D. */
#include "common.h"

#define VA_P1  0x40001000
#define VA_P2  0x40002000
#define VA_P3  0x40003000
#define VA_P4  0x40004000
#define VA_X   0x40010000

/* t1 = the A and D bits of the PTE whose address is in reg */
#define AD_OF(reg)  ld t1, 0(reg); andi t1, t1, PTE_A | PTE_D

TEST_BEGIN
        MMU_INIT(2)
        MAP_IDENTITY_RAM
        MAP_L(VA_P1, page1, PTE_V | PTE_R | PTE_W, 0)    /* A = D = 0 */
        mv s2, a0
        MAP_L(VA_P2, page2, PTE_V | PTE_R | PTE_W, 0)
        mv s3, a0
        MAP_L(VA_P3, page3, PTE_V | PTE_R | PTE_W | PTE_A, 0)
        mv s4, a0
        MAP_L(VA_P4, page4, PTE_V | PTE_R, 0)            /* read-only */
        mv s5, a0
        MAP_L(VA_X, code_page, PTE_V | PTE_R | PTE_X, 0)
        mv s6, a0
        SATP_ON(SATP_MODE_SV39)

        /* a load sets A only */
        ENTER_S
        li t2, VA_P1
        ld a0, 0(t2)
        ENTER_M
        AD_OF(s2)
        CHECK(PTE_A, t1, "load sets A, not D")

        /* a store sets A and D */
        ENTER_S
        li t2, VA_P2
        sd a0, 0(t2)
        ENTER_M
        AD_OF(s3)
        CHECK(PTE_A | PTE_D, t1, "store sets A and D")

        /* load first (translation cached with D = 0), then store: D must
         * still be set (the store cannot reuse a clean translation) */
        ENTER_S
        li t2, VA_P1
        ld a0, 8(t2)
        sd a0, 8(t2)
        ENTER_M
        AD_OF(s2)
        CHECK(PTE_A | PTE_D, t1, "store after load sets D")

        /* A already set, D clear: a store sets D */
        ENTER_S
        li t2, VA_P3
        sw a0, 4(t2)
        ENTER_M
        AD_OF(s4)
        CHECK(PTE_A | PTE_D, t1, "store with A=1 sets D")

        /* an AMO counts as a store */
        ld t1, 0(s3)
        andi t1, t1, ~(PTE_A | PTE_D)
        sd t1, 0(s3)
        sfence.vma
        ENTER_S
        li t2, VA_P2
        amoadd.d a0, zero, (t2)
        ENTER_M
        AD_OF(s3)
        CHECK(PTE_A | PTE_D, t1, "AMO sets A and D")

        /* a store to a read-only page faults and does not set D */
        ENTER_S
        li t2, VA_P4
        EXPECT_TRAP(1f)
        sd a0, 0(t2)
1:      TRAP_FIELD(t0, TI_CAUSE)
        CHECK(CAUSE_STORE_PAGE, t0, "store to RO page faults")
        ld t1, 0(s5)
        andi t1, t1, PTE_D
        CHECK(0, t1, "faulting store sets no D")

        /* a fetch sets A */
        ENTER_S
        li t2, VA_X
        jalr ra, 0(t2)
        CHECK(0x66, a0, "code via A=0 page ran")
        ENTER_M
        AD_OF(s6)
        CHECK(PTE_A, t1, "fetch sets A")

        /* clearing A again plus sfence.vma: the next access sets it again */
        ld t1, 0(s2)
        andi t1, t1, ~(PTE_A | PTE_D)
        sd t1, 0(s2)
        sfence.vma
        ENTER_S
        li t2, VA_P1
        lbu a0, 0(t2)
        ENTER_M
        AD_OF(s2)
        CHECK(PTE_A, t1, "A set again after sfence.vma")
        csrw satp, zero
        TEST_PASS

        .text
        .balign 4096
code_page:
        li a0, 0x66
        ret
        .balign 4096

        .data
        .balign 4096
page1:  .space 4096
page2:  .space 4096
page3:  .space 4096
page4:  .space 4096
