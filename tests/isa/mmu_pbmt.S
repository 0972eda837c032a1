/* mmu_pbmt.S: Svpbmt (run with -cpu rv64,svpbmt=on): menvcfg.PBMTE is
 * writable; with it set, leaf PTEs may carry PBMT = PMA, NC or IO (ember has
 * no caches: the data are the same) at any level, for loads, stores and
 * fetches, and A/D updates keep the field; PBMT = 3 and PBMT on a pointer
 * are reserved; with PBMTE clear any PBMT is (priv spec 20211203, chapter 7
 * "Svpbmt", 3.1.18 menvcfg). */
#include "common.h"

#define MENVCFG_PBMTE 0x4000000000000000
#define PTE_PBMT_NC   0x2000000000000000
#define PTE_PBMT_IO   0x4000000000000000
#define PTE_PBMT_RSV  0x6000000000000000
#define PTE_N         0x8000000000000000

#define VA_NC     0x40001000            /* 4 KiB, NC, no A/D at first */
#define VA_IO     0x40002000            /* 4 KiB, IO */
#define VA_RSV    0x40003000            /* 4 KiB, PBMT = 3 */
#define VA_MEGA   0x40200000            /* 2 MiB, IO */
#define PA_MEGA   0x80400000            /* free RAM, 2 MiB aligned */
#define VA_CODE   0xc0000000            /* 1 GiB over the code, NC */
#define VA_PTR    0x100000000           /* under a pointer with PBMT */

TEST_BEGIN
        /* PBMTE is writable with Svpbmt */
        li t0, MENVCFG_PBMTE
        csrs CSR_MENVCFG, t0
        csrr t1, CSR_MENVCFG
        and t1, t1, t0
        CHECK(MENVCFG_PBMTE, t1, "menvcfg.PBMTE set")
        csrc CSR_MENVCFG, t0
        csrr t1, CSR_MENVCFG
        and t1, t1, t0
        CHECK(0, t1, "menvcfg.PBMTE cleared")

        MMU_INIT(2)
        MAP_IDENTITY_RAM
        MAP_L(VA_NC, data_page, PTE_V | PTE_R | PTE_W | PTE_PBMT_NC, 0)
        mv s2, a0                       /* VA_NC's PTE */
        MAP_L(VA_IO, data_page, PTE_RW | PTE_PBMT_IO, 0)
        MAP_L(VA_RSV, data_page, PTE_RW | PTE_PBMT_RSV, 0)
        MAP_C(VA_MEGA, PA_MEGA, PTE_RW | PTE_PBMT_IO, 1)
        MAP_C(VA_CODE, 0x80000000, PTE_RX | PTE_PBMT_NC, 2)
        MAP_L(VA_PTR, data_page, PTE_RW, 0)
        li t1, PA_MEGA + 0x123458
        li a0, 0x10
        sd a0, 0(t1)
        SATP_ON(SATP_MODE_SV39)

        /* PBMTE = 0: PBMT set is reserved. QEMU 7.2 ignores PBMTE in
         * translation (it checks it from QEMU 8.0 on). */
        IF_NOT_EMBER_GOTO(2f)
        ENTER_S
        li t1, VA_NC
        EXPECT_TRAP(1f)
f1:     ld a0, 0(t1)
        FAIL("NC leaf with PBMTE = 0")
1:      CHECK_TRAP(CAUSE_LOAD_PAGE, f1, VA_NC, "NC leaf with PBMTE = 0")
        ld a0, 0(s2)
        andi a0, a0, PTE_A | PTE_D
        CHECK(0, a0, "faulting walk leaves A and D alone")
2:

        /* PBMTE = 1: NC and IO pages work like any */
        li t0, MENVCFG_PBMTE
        csrs CSR_MENVCFG, t0
        sfence.vma
        ENTER_S
        li t1, VA_NC
        ld a0, 0(t1)
        CHECK(0x1122334455667788, a0, "ld via NC page")
        li a1, 0x6262
        sd a1, 8(t1)
        li t1, VA_IO
        ld a0, 8(t1)
        CHECK(0x6262, a0, "ld via IO page")
        li a1, 0x6363
        sw a1, 16(t1)
        li t1, VA_MEGA + 0x123458
        ld a0, 0(t1)
        CHECK(0x10, a0, "ld via IO 2 MiB page")
        /* a fetch through a 1 GiB NC leaf */
        la t0, pbmt_func
        li t1, VA_CODE - 0x80000000
        add t0, t0, t1
        li a0, 0
        jalr t0
        CHECK(0x62, a0, "fetch via NC 1 GiB page")
        ENTER_M
        la t1, data_page
        lw a0, 16(t1)
        CHECK(0x6363, a0, "store via IO page")
        /* the A/D update keeps PBMT */
        ld a0, 0(s2)
        la t1, data_page
        srli t1, t1, 12
        slli t1, t1, 10
        li t2, PTE_V | PTE_R | PTE_W | PTE_A | PTE_D | PTE_PBMT_NC
        or t1, t1, t2
        CHECKR(t1, a0, "NC PTE after A/D update")

        /* PBMT = 3 is reserved; QEMU 7.2 maps it like PMA */
        IF_NOT_EMBER_GOTO(2f)
        ENTER_S
        li t1, VA_RSV
        EXPECT_TRAP(1f)
f2:     sd a0, 0(t1)
        FAIL("PBMT = 3")
1:      CHECK_TRAP(CAUSE_STORE_PAGE, f2, VA_RSV, "PBMT = 3")
2:

        /* PBMT on a pointer (the root entry over VA_PTR) is reserved */
        li s3, 4 * 8
        add s3, s3, s0                  /* VPN[2] of VA_PTR is 4 */
        ld s4, 0(s3)
        li t0, PTE_PBMT_NC
        or t0, t0, s4
        sd t0, 0(s3)
        sfence.vma
        ENTER_S
        li t1, VA_PTR
        EXPECT_TRAP(1f)
f3:     ld a0, 0(t1)
        FAIL("PBMT on a pointer")
1:      CHECK_TRAP(CAUSE_LOAD_PAGE, f3, VA_PTR, "PBMT on a pointer")
        sd s4, 0(s3)
        sfence.vma
        ENTER_S
        li t1, VA_PTR
        ld a0, 0(t1)
        CHECK(0x1122334455667788, a0, "pointer restored")
        ENTER_M

        /* Svnapot is off: N stays reserved; bits 60:54 stay reserved.
         * QEMU 7.2 stops checking both once PBMTE is set (it masks them
         * off with the PPN). */
        IF_NOT_EMBER_GOTO(2f)
        ld s4, 0(s2)
        li t0, PTE_N
        or t0, t0, s4
        sd t0, 0(s2)
        sfence.vma
        ENTER_S
        li t1, VA_NC
        EXPECT_TRAP(1f)
f4:     ld a0, 0(t1)
        FAIL("N without Svnapot")
1:      CHECK_TRAP(CAUSE_LOAD_PAGE, f4, VA_NC, "N without Svnapot")
        li t0, 0x1000000000000000
        or t0, t0, s4
        sd t0, 0(s2)
        sfence.vma
        ENTER_S
        li t1, VA_NC
        EXPECT_TRAP(1f)
f5:     ld a0, 0(t1)
        FAIL("reserved bit 60 with PBMTE")
1:      CHECK_TRAP(CAUSE_LOAD_PAGE, f5, VA_NC, "reserved bit 60 with PBMTE")
        sd s4, 0(s2)
2:
        /* PBMTE cleared again: the NC page faults once more (not on QEMU
         * 7.2, as above) */
        IF_NOT_EMBER_GOTO(2f)
        li t0, MENVCFG_PBMTE
        csrc CSR_MENVCFG, t0
        sfence.vma
        ENTER_S
        li t1, VA_NC
        EXPECT_TRAP(1f)
f6:     ld a0, 0(t1)
        FAIL("NC leaf after PBMTE cleared")
1:      CHECK_TRAP(CAUSE_LOAD_PAGE, f6, VA_NC, "NC leaf after PBMTE cleared")
2:      csrw satp, zero
        TEST_PASS

pbmt_func:
        li a0, 0x62
        ret

        .data
        .balign 4096
data_page:
        .dword 0x1122334455667788
        .space 4096 - 8
