/* pmp_lock.S: locked PMP entries (L=1) apply to M-mode too and ignore
 * writes to their pmpcfg and pmpaddr (and a locked TOR's lower pmpaddr) (3.7.1). */
#include "common.h"

#define NAPOT(reg, size)  srli reg, reg, 2; li s10, ((size) >> 3) - 1; or reg, reg, s10

TEST_BEGIN
        csrw pmpcfg0, zero
        /* entry 0: page A, R, locked */
        la t1, page_a
        NAPOT(t1, 4096)
        mv s2, t1
        csrw pmpaddr0, t1
        /* entries 1-2: TOR [page_b, page_b + 4K), locked, RW (no X) */
        la t1, page_b
        srli t1, t1, 2
        mv s3, t1
        csrw pmpaddr1, t1
        la t1, page_b + 4096
        srli t1, t1, 2
        csrw pmpaddr2, t1
        /* entry 3: everything else, RWX, unlocked (for S) */
        li t1, -1
        csrw pmpaddr3, t1
        li t1, (PMP_L | PMP_NAPOT | PMP_R) | ((PMP_L | PMP_TOR | PMP_R | PMP_W) << 16) | ((PMP_NAPOT | PMP_R | PMP_W | PMP_X) << 24)
        mv s4, t1
        csrw pmpcfg0, t1
        sfence.vma

        /* M obeys locked entries: page A is read-only, not executable */
        la t2, page_a
        ld a0, 0(t2)
        CHECK(0xaaaa, a0, "M load from locked R page")
        EXPECT_TRAP(1f)
f1:     sd a0, 0(t2)
        FAIL("M store to locked R page")
1:      CHECK_TRAP_A(CAUSE_STORE_ACCESS, f1, page_a, "M store to locked R page")
        la t2, page_a + 8
        EXPECT_TRAP(1f)
f2:     amoswap.d a0, a0, (t2)
        FAIL("M AMO to locked R page")
1:      CHECK_TRAP_A(CAUSE_STORE_ACCESS, f2, page_a + 8, "M AMO to locked R page")
        la t2, page_a
        EXPECT_TRAP(1f)
        jalr ra, 0(t2)
        FAIL("M fetch from locked R page")
1:      CHECK_TRAP_A(CAUSE_FETCH_ACCESS, page_a, page_a, "M fetch from locked R page")
        /* locked TOR region: RW for M, no fetch */
        la t2, page_b
        li a0, 0xbbbb
        sd a0, 0(t2)
        ld a1, 0(t2)
        CHECK(0xbbbb, a1, "M RW in locked TOR region")
        EXPECT_TRAP(1f)
        jalr ra, 0(t2)
        FAIL("M fetch from locked TOR region")
1:      CHECK_TRAP_A(CAUSE_FETCH_ACCESS, page_b, page_b, "M fetch from locked TOR region")

        /* writes to locked entries are ignored */
        li t1, 0x1234
        csrw pmpaddr0, t1
        csrr t2, pmpaddr0
        CHECKR(s2, t2, "locked pmpaddr0 unchanged")
        csrw pmpaddr2, t1
        la t3, page_b + 4096
        srli t3, t3, 2
        csrr t2, pmpaddr2
        CHECKR(t3, t2, "locked pmpaddr2 unchanged")
        /* pmpaddr1 is the bottom of locked TOR entry 2: locked too */
        csrw pmpaddr1, t1
        csrr t2, pmpaddr1
        CHECKR(s3, t2, "pmpaddr1 locked by TOR entry 2")
        /* cfg bytes of locked entries ignore writes, unlocked ones take them */
        li t1, (PMP_NAPOT | PMP_R | PMP_W | PMP_X) | ((PMP_NAPOT | PMP_R | PMP_W | PMP_X) << 16) | ((PMP_NAPOT | PMP_R | PMP_W | PMP_X) << 24) | ((PMP_NAPOT | PMP_R) << 32)
        csrw pmpcfg0, t1
        csrr t2, pmpcfg0
        li t3, 0xffff00ff
        and t2, t2, t3
        CHECKR(s4, t2, "locked cfg bytes unchanged")
        csrr t2, pmpcfg0
        srli t2, t2, 32
        andi t2, t2, 0xff
        CHECK(PMP_NAPOT | PMP_R, t2, "unlocked cfg byte 4 written")
        /* still enforced after the attempt */
        la t2, page_a
        EXPECT_TRAP(1f)
f3:     sw a0, 4(t2)
        FAIL("M store to locked R page (2)")
1:      CHECK_TRAP_A(CAUSE_STORE_ACCESS, f3, page_a + 4, "M store to locked R page (2)")
        TEST_PASS

        .data
        .balign 4096
page_a: .dword 0xaaaa, 0
        .balign 4096
page_b: .dword 0
        .balign 4096
