/* mmu_sv57.S: Sv57 (satp MODE 10) on a default hart: a 5-level walk, leaves
 * at every level up to 256 TiB, addresses sign-extended from bit 56, A/D
 * updates, SUM, MXR and PMP on the walk, and PTE bits 63:54 reserved at
 * every level while Svnapot and Svpbmt are off (priv spec 4.3, 4.4, 4.5). */
#include "common.h"

#define SATP_MODE_SV57  (10 << 60)
#define MENVCFG_PBMTE   0x4000000000000000

#define VA_DATA   0x0012345678001000    /* bit 52 set: beyond Sv48 */
#define VA_HIGH   0xff00000000002000    /* VPN[4] = 256, sign-extended */
#define VA_PETA   0x0001000000000000    /* 256 TiB leaf at level 4 -> PA 0 */
#define VA_BADPETA 0x0002000000000000   /* 256 TiB leaf, PPN[3:0] != 0 */
#define VA_TERA   0x0000800000000000    /* 512 GiB leaf at level 3 -> PA 0 */
#define VA_MEGA   0x0000000040200000    /* 2 MiB leaf at level 1 */
#define PA_MEGA   0x80400000            /* free RAM, 2 MiB aligned */
#define VA_USER   0x0012345678003000    /* U page */
#define VA_XONLY  0x0012345678004000    /* execute-only page */
#define VA_AD     0x0003000000000000    /* 256 TiB leaf without A/D */

TEST_BEGIN
        /* satp keeps MODE 10: this hart implements Sv57, as QEMU 7.2's rv64
         * does (Linux 6.1 then runs with five levels) */
        li t1, SATP_MODE_SV57 | 0x80123
        csrw satp, t1
        csrr t2, satp
        CHECKR(t1, t2, "satp holds MODE 10")
        csrw satp, zero

        MMU_INIT(4)
        MAP_C(0x80000000, 0x80000000, PTE_ALL, 2)       /* code, data, tohost */
        MAP_L(VA_DATA, data_page, PTE_V | PTE_R | PTE_W, 0)
        mv s2, a0                                       /* VA_DATA's leaf PTE */
        MAP_L(VA_HIGH, data_page, PTE_RW, 0)
        MAP_C(VA_PETA, 0, PTE_RW, 4)
        MAP_C(VA_BADPETA, 0x80000000, PTE_RW, 4)
        MAP_C(VA_TERA, 0, PTE_RW, 3)
        MAP_C(VA_MEGA, PA_MEGA, PTE_RW, 1)
        MAP_L(VA_USER, data_page, PTE_RW | PTE_U, 0)
        MAP_L(VA_XONLY, data_page, PTE_XO, 0)
        MAP_C(VA_AD, 0, PTE_V | PTE_R | PTE_W, 4)
        mv s3, a0                                       /* VA_AD's leaf PTE */
        li t1, PA_MEGA + 0x1ffff8
        li a0, 0x5757
        sd a0, 0(t1)                                    /* last dword of the 2 MiB */
        SATP_ON(SATP_MODE_SV57)

        /* 4 KiB leaf under five levels; the load sets A, the store D */
        ENTER_S
        li t1, VA_DATA
        ld a0, 0(t1)
        CHECK(0x1122334455667788, a0, "ld via Sv57 4K page")
        ENTER_M
        ld a0, 0(s2)
        andi a0, a0, PTE_A | PTE_D
        CHECK(PTE_A, a0, "load sets A only")
        ENTER_S
        li t1, VA_DATA
        li a1, 0x5757
        sd a1, 8(t1)
        li t2, VA_HIGH
        ld a0, 8(t2)
        CHECK(0x5757, a0, "high Sv57 VA alias")
        ENTER_M
        ld a0, 0(s2)
        andi a0, a0, PTE_A | PTE_D
        CHECK(PTE_A | PTE_D, a0, "store sets D")

        /* superpages at levels 4, 3 and 1 (level 2 runs this code) */
        ENTER_S
        la t3, data_page
        li t1, VA_PETA
        add t1, t1, t3
        ld a0, 0(t1)
        CHECK(0x1122334455667788, a0, "ld via 256 TiB leaf")
        li t1, VA_TERA
        add t1, t1, t3
        ld a0, 0(t1)
        CHECK(0x1122334455667788, a0, "ld via 512 GiB leaf")
        li t1, VA_MEGA + 0x1ffff8
        ld a0, 0(t1)
        CHECK(0x5757, a0, "ld via 2 MiB leaf")
        /* A and D on a level-4 leaf */
        li t1, VA_AD
        add t1, t1, t3
        sd zero, 16(t1)
        ENTER_M
        ld a0, 0(s3)
        andi a0, a0, PTE_A | PTE_D
        CHECK(PTE_A | PTE_D, a0, "store sets A and D of a 256 TiB leaf")

        /* a misaligned 256 TiB leaf faults */
        ENTER_S
        li t1, VA_BADPETA + 0x10
        EXPECT_TRAP(1f)
f1:     ld a0, 0(t1)
        FAIL("misaligned 256 TiB leaf")
1:      CHECK_TRAP(CAUSE_LOAD_PAGE, f1, VA_BADPETA + 0x10, "misaligned 256 TiB leaf")

        /* non-canonical: bit 56 set with 63:57 clear, and the reverse */
        ENTER_S
        li t1, 0x0100000000002000
        EXPECT_TRAP(1f)
f2:     ld a0, 0(t1)
        FAIL("non-canonical Sv57 load")
1:      CHECK_TRAP(CAUSE_LOAD_PAGE, f2, 0x0100000000002000, "non-canonical Sv57 load")
        ENTER_S
        li t1, 0xfe00000000002000
        EXPECT_TRAP(1f)
f3:     sd a0, 0(t1)
        FAIL("non-canonical Sv57 store")
1:      CHECK_TRAP(CAUSE_STORE_PAGE, f3, 0xfe00000000002000, "non-canonical Sv57 store")

        /* SUM: a U page from S */
        ENTER_S
        li t1, VA_USER
        EXPECT_TRAP(1f)
f4:     ld a0, 0(t1)
        FAIL("U page from S without SUM")
1:      CHECK_TRAP(CAUSE_LOAD_PAGE, f4, VA_USER, "U page from S without SUM")
        ENTER_S
        li t0, MSTATUS_SUM
        csrs sstatus, t0
        li t1, VA_USER
        ld a0, 0(t1)
        CHECK(0x1122334455667788, a0, "U page from S with SUM")
        csrc sstatus, t0

        /* MXR: an execute-only page */
        li t1, VA_XONLY
        EXPECT_TRAP(1f)
f5:     ld a0, 0(t1)
        FAIL("execute-only page without MXR")
1:      CHECK_TRAP(CAUSE_LOAD_PAGE, f5, VA_XONLY, "execute-only page without MXR")
        ENTER_S
        li t0, MSTATUS_MXR
        csrs sstatus, t0
        li t1, VA_XONLY
        ld a0, 0(t1)
        CHECK(0x1122334455667788, a0, "execute-only page with MXR")
        csrc sstatus, t0
        ENTER_M

        /* PMP covers the walk: VA_DATA's level-3 table unreadable for S is
         * an access fault, not a page fault */
        li a0, VA_DATA
        li a1, 3
        call pte_at
        srli a0, a0, 12
        slli a0, a0, 10                 /* pmpaddr: table >> 2, 4 KiB NAPOT */
        ori a0, a0, 0x1ff
        csrw pmpaddr0, a0
        li t0, -1
        csrw pmpaddr1, t0
        li t0, PMP_NAPOT | ((PMP_NAPOT | PMP_R | PMP_W | PMP_X) << 8)
        csrw pmpcfg0, t0
        sfence.vma
        ENTER_S
        li t1, VA_DATA
        EXPECT_TRAP(1f)
f6:     ld a0, 0(t1)
        FAIL("page table behind PMP")
1:      CHECK_TRAP(CAUSE_LOAD_ACCESS, f6, VA_DATA, "page table behind PMP")
        li t0, -1
        csrw pmpaddr0, t0
        li t0, PMP_NAPOT | PMP_R | PMP_W | PMP_X
        csrw pmpcfg0, t0
        sfence.vma

        /* Bits 63:54 of a PTE (N, PBMT, reserved) at each level of
         * VA_DATA's walk: without Svnapot, and with Svpbmt off, any of them
         * set is a page fault, on a pointer as on a leaf. */
        li s4, 4                        /* level */
3:      li a0, VA_DATA
        mv a1, s4
        call pte_at
        mv s5, a0                       /* the PTE's address */
        ld s6, 0(s5)                    /* its value */
        la s7, high_bits
4:      ld t0, 0(s7)
        beqz t0, 6f
        or t0, t0, s6
        sd t0, 0(s5)
        sfence.vma
        ENTER_S
        li t1, VA_DATA
        EXPECT_TRAP(5f)
f7:     ld a0, 0(t1)
        FAIL("PTE bit 63:54 set")
5:      CHECK_TRAP(CAUSE_LOAD_PAGE, f7, VA_DATA, "PTE bit 63:54 set")
        addi s7, s7, 8
        j 4b
6:      sd s6, 0(s5)
        addi s4, s4, -1
        bgez s4, 3b
        sfence.vma
        ENTER_S
        li t1, VA_DATA
        ld a0, 0(t1)
        CHECK(0x1122334455667788, a0, "PTEs restored")
        ENTER_M

        /* menvcfg.PBMTE is read-only 0 without Svpbmt. QEMU 7.2 lets it be
         * written whatever the extensions (fixed in QEMU 8.0). */
        IF_NOT_EMBER_GOTO(1f)
        li t0, MENVCFG_PBMTE
        csrs CSR_MENVCFG, t0
        csrr t1, CSR_MENVCFG
        and t1, t1, t0
        CHECK(0, t1, "menvcfg.PBMTE without Svpbmt")
1:      csrw satp, zero
        TEST_PASS

        .section .rodata
        .balign 8
/* N, PBMT = NC, IO and 3, the lowest and highest reserved bit; 0 ends */
high_bits:
        .dword 0x8000000000000000, 0x2000000000000000, 0x4000000000000000
        .dword 0x6000000000000000, 0x0040000000000000, 0x1000000000000000
        .dword 0

        .data
        .balign 4096
data_page:
        .dword 0x1122334455667788
        .space 4096 - 8
