/* mmu_napot.S: Svnapot (run with -cpu rv64,svnapot=on): 4 KiB PTEs with N = 1
 * and ppn[3:0] = 1000 map a naturally aligned 64 KiB range whose low page
 * number bits come from the address; the other N encodings, N on a
 * superpage and N on a pointer are reserved (page fault); loads, stores and
 * fetches go through such pages, each PTE keeps its own A and D, and
 * sfence.vma with an address in the range drops that page's translation
 * (priv spec 20211203, chapter 6 "Svnapot"). */
#include "common.h"

#define PTE_N       0x8000000000000000
#define PTE_PBMT_NC 0x2000000000000000
#define NAPOT_64K   0x8000              /* ppn[3:0] = 1000 */

#define VA_NAPOT  0x40000000            /* 64 KiB range over PA_NAPOT */
#define VA_CODE   0x40010000            /* 64 KiB range over napot_code */
#define VA_BAD    0x40020000            /* reserved encodings */
#define VA_MEGA   0x40200000            /* N on a 2 MiB leaf */
#define PA_NAPOT  0x80400000            /* free RAM, 64 KiB aligned */
#define PA_OTHER  0x80410000

TEST_BEGIN
        MMU_INIT(2)
        MAP_IDENTITY_RAM
        /* 16 PTEs, one per page of the range, all alike (N, no A/D); each
         * page of both physical ranges holds its number at offset 0x80 */
        li s2, 0
1:      li t0, PA_NAPOT + 0x80
        slli t1, s2, 12
        add t0, t0, t1
        ori t2, s2, 0x100
        sd t2, 0(t0)
        li t3, 0x10000
        add t0, t0, t3
        ori t2, s2, 0x200
        sd t2, 0(t0)
        mv a0, s0
        li a1, VA_NAPOT
        add a1, a1, t1
        li a2, PA_NAPOT + NAPOT_64K
        li a3, PTE_V | PTE_R | PTE_W | PTE_N
        li a4, 0
        mv a5, s1
        call pt_map
        /* the code range, executable */
        slli t1, s2, 12
        mv a0, s0
        li a1, VA_CODE
        add a1, a1, t1
        la a2, napot_code
        li t0, NAPOT_64K
        or a2, a2, t0
        li a3, PTE_RX | PTE_N
        li a4, 0
        mv a5, s1
        call pt_map
        addi s2, s2, 1
        li t0, 16
        bltu s2, t0, 1b
        SATP_ON(SATP_MODE_SV39)

        /* each page of the range reaches its own physical page */
        ENTER_S
        li s2, 0
2:      li t0, VA_NAPOT + 0x80
        slli t1, s2, 12
        add t0, t0, t1
        ld a0, 0(t0)
        ori t2, s2, 0x100
        CHECKR(t2, a0, "load through a NAPOT page")
        addi s2, s2, 1
        li t0, 16
        bltu s2, t0, 2b
        /* a store lands in the page the address names */
        li t0, VA_NAPOT + 0x5088
        li a1, 0x5555
        sd a1, 0(t0)
        /* a fetch from page 3 of an executable range */
        li t0, VA_CODE
        la t1, napot_func
        la t2, napot_code
        sub t1, t1, t2
        add t0, t0, t1
        li a0, 0
        jalr t0
        CHECK(0x77, a0, "fetch through a NAPOT page")
        ENTER_M
        li t0, PA_NAPOT + 0x5088
        ld a0, 0(t0)
        CHECK(0x5555, a0, "store through a NAPOT page")
        /* A and D live in each page's own PTE */
        li a0, VA_NAPOT + 0x5000
        li a1, 0
        call pte_at
        ld t1, 0(a0)
        andi t1, t1, PTE_A | PTE_D
        CHECK(PTE_A | PTE_D, t1, "stored page's PTE has A and D")
        ld t1, -8(a0)
        andi t1, t1, PTE_A | PTE_D
        CHECK(PTE_A, t1, "loaded page's PTE has A only")

        /* sfence.vma with an address inside one page of the range drops
         * that page's translation: page 3, then page 9 by an unaligned
         * address, move to the other physical range */
        ENTER_S
        li t0, VA_NAPOT + 0x3080
        ld a0, 0(t0)
        CHECK(0x103, a0, "page 3 before the change")
        ENTER_M
        li a0, VA_NAPOT + 0x3000
        li a1, 0
        call pte_at
        li t1, ((PA_OTHER + NAPOT_64K) >> 12 << 10) | PTE_RW | PTE_N
        sd t1, 0(a0)
        li t0, VA_NAPOT + 0x3000
        sfence.vma t0
        li a0, VA_NAPOT + 0x9000
        li a1, 0
        call pte_at
        li t1, ((PA_OTHER + NAPOT_64K) >> 12 << 10) | PTE_RW | PTE_N
        sd t1, 0(a0)
        li t0, VA_NAPOT + 0x9abc
        sfence.vma t0
        ENTER_S
        li t0, VA_NAPOT + 0x3080
        ld a0, 0(t0)
        CHECK(0x203, a0, "page 3 after sfence.vma")
        li t0, VA_NAPOT + 0x9080
        ld a0, 0(t0)
        CHECK(0x209, a0, "page 9 after sfence.vma")
        li t0, VA_NAPOT + 0x4080
        ld a0, 0(t0)
        CHECK(0x104, a0, "page 4 unchanged")
        ENTER_M

        /* reserved encodings of a 4 KiB PTE with N = 1 */
        la s2, bad_encodings
3:      ld s3, 0(s2)
        li t0, 1
        beq s3, t0, 5f
        mv a0, s0
        li a1, VA_BAD
        li a2, PA_NAPOT
        or a2, a2, s3
        li a3, PTE_RW | PTE_N
        li a4, 0
        mv a5, s1
        call pt_map
        sfence.vma
        ENTER_S
        li t1, VA_BAD
        EXPECT_TRAP(4f)
f1:     ld a0, 0(t1)
        FAIL("reserved NAPOT encoding")
4:      CHECK_TRAP(CAUSE_LOAD_PAGE, f1, VA_BAD, "reserved NAPOT encoding")
        addi s2, s2, 8
        j 3b
5:
        /* N on a 2 MiB leaf */
        MAP_C(VA_MEGA, PA_NAPOT & ~0x1fffff, PTE_RW | PTE_N, 1)
        sfence.vma
        ENTER_S
        li t1, VA_MEGA + 0x80
        EXPECT_TRAP(1f)
f2:     ld a0, 0(t1)
        FAIL("N on a 2 MiB leaf")
1:      CHECK_TRAP(CAUSE_LOAD_PAGE, f2, VA_MEGA + 0x80, "N on a 2 MiB leaf")

        /* N on a pointer (the root entry over VA_NAPOT) */
        li a0, VA_NAPOT
        li a1, 2
        call pte_at
        mv s2, a0
        ld s3, 0(s2)
        li t0, PTE_N
        or t0, t0, s3
        sd t0, 0(s2)
        sfence.vma
        ENTER_S
        li t1, VA_NAPOT + 0x80
        EXPECT_TRAP(1f)
f3:     ld a0, 0(t1)
        FAIL("N on a pointer")
1:      CHECK_TRAP(CAUSE_LOAD_PAGE, f3, VA_NAPOT + 0x80, "N on a pointer")
        sd s3, 0(s2)

        /* Svpbmt is off: PBMT on a NAPOT PTE is still reserved */
        li a0, VA_NAPOT + 0x1000
        li a1, 0
        call pte_at
        mv s2, a0
        ld s3, 0(s2)
        li t0, PTE_PBMT_NC
        or t0, t0, s3
        sd t0, 0(s2)
        sfence.vma
        ENTER_S
        li t1, VA_NAPOT + 0x1080
        EXPECT_TRAP(1f)
f4:     ld a0, 0(t1)
        FAIL("PBMT without Svpbmt")
1:      CHECK_TRAP(CAUSE_LOAD_PAGE, f4, VA_NAPOT + 0x1080, "PBMT without Svpbmt")

        /* Bits 60:54 stay reserved. QEMU 7.2 stops checking them once
         * Svnapot is on (it masks them off with the PPN). */
        IF_NOT_EMBER_GOTO(2f)
        li t0, 0x0040000000000000
        or t0, t0, s3
        sd t0, 0(s2)
        sfence.vma
        ENTER_S
        li t1, VA_NAPOT + 0x1080
        EXPECT_TRAP(1f)
f5:     ld a0, 0(t1)
        FAIL("reserved bit 54 with Svnapot")
1:      CHECK_TRAP(CAUSE_LOAD_PAGE, f5, VA_NAPOT + 0x1080, "reserved bit 54 with Svnapot")
2:      sd s3, 0(s2)
        sfence.vma
        ENTER_S
        li t1, VA_NAPOT + 0x1080
        ld a0, 0(t1)
        CHECK(0x101, a0, "page 1 restored")
        ENTER_M
        csrw satp, zero
        TEST_PASS

        .section .rodata
        .balign 8
/* ppn[3:0] with N = 1 other than 1000 (x0xx, xxx1, xx1x, x1xx), as address
 * bits 15:12 over PA_NAPOT (whose are 0); 1 ends the list. */
bad_encodings:
        .dword 0x0000, 0x1000, 0x2000, 0x4000, 0x9000, 0xa000, 0xc000, 1

/* 64 KiB of code, aligned, whose page 3 returns 0x77 */
        .text
        .balign 65536
napot_code:
        .skip 0x3000
napot_func:
        li a0, 0x77
        ret
        .balign 65536
