/* pmp.S: PMP for S/U: NAPOT, TOR and NA4 regions with R/W/X, priority of
 * lower entries, no match = access fault (causes 1, 5, 7); M unaffected (3.7). */
#include "common.h"

#define OUTSIDE  0x80400000             /* RAM no entry covers */

/* pmpaddr value for a NAPOT region of `size` bytes at the address in reg */
#define NAPOT(reg, size)  srli reg, reg, 2; li s10, ((size) >> 3) - 1; or reg, reg, s10

/* S_FAULT_AT; <instruction>; S_FAULT_END(cause, reg with address, name):
 * run the instruction in S, expecting an access fault at that address */
#define S_FAULT_AT                              \
        ENTER_M;    /* from any mode */         \
        ENTER_S;                                \
        EXPECT_TRAP(1f);                        \
2:
#define S_FAULT_END(cause, addr_reg, name)      \
        FAIL(name);                             \
1:      TRAP_FIELD(t0, TI_CAUSE);               \
        CHECK(cause, t0, name " mcause");       \
        TRAP_FIELD(t0, TI_EPC);                 \
        CHECK_ADDR(2b, t0, name " mepc");       \
        TRAP_FIELD(t0, TI_TVAL);                \
        CHECKR(addr_reg, t0, name " mtval")

/* the same for a fetch: mepc = mtval = the target address */
#define S_FETCH_FAULT_END(addr_reg, name)       \
        FAIL(name);                             \
1:      TRAP_FIELD(t0, TI_CAUSE);               \
        CHECK(CAUSE_FETCH_ACCESS, t0, name " mcause"); \
        TRAP_FIELD(t0, TI_EPC);                 \
        CHECKR(addr_reg, t0, name " mepc");     \
        TRAP_FIELD(t0, TI_TVAL);                \
        CHECKR(addr_reg, t0, name " mtval")

TEST_BEGIN
        csrw pmpcfg0, zero
        /* entry 0: page A, R */
        la t1, page_a
        NAPOT(t1, 4096)
        csrw pmpaddr0, t1
        /* entry 1: page B, RW */
        la t1, page_b
        NAPOT(t1, 4096)
        csrw pmpaddr1, t1
        /* entries 2-3: TOR [xpage, xpage + 4K), X only */
        la t1, xpage
        srli t1, t1, 2
        csrw pmpaddr2, t1
        la t1, xpage + 4096
        srli t1, t1, 2
        csrw pmpaddr3, t1
        /* entry 4: NA4 at page_d + 8, no permissions */
        la t1, page_d + 8
        srli t1, t1, 2
        csrw pmpaddr4, t1
        /* entry 7: the first 1 MiB (this program), RWX */
        li t1, 0x80000000
        NAPOT(t1, 0x100000)
        csrw pmpaddr7, t1
        csrw pmpaddr5, zero
        csrw pmpaddr6, zero
        li t1, (PMP_NAPOT | PMP_R) | ((PMP_NAPOT | PMP_R | PMP_W) << 8) | ((PMP_TOR | PMP_X) << 24) | (PMP_NA4 << 32)
        li t2, (PMP_NAPOT | PMP_R | PMP_W | PMP_X)
        slli t2, t2, 56
        or t1, t1, t2
        csrw pmpcfg0, t1
        sfence.vma
        csrr t2, pmpcfg0
        CHECKR(t1, t2, "pmpcfg0 reads back")
        la t1, page_d + 8
        srli t1, t1, 2
        csrr t2, pmpaddr4
        CHECKR(t1, t2, "NA4 pmpaddr reads back (grain 4 bytes)")

        /* page A: read-only */
        ENTER_M
        ENTER_S
        la s2, page_a
        ld a0, 0(s2)
        CHECK(0xaaaa, a0, "S load from R region")
        S_FAULT_AT
        sd a0, 0(s2)
        S_FAULT_END(CAUSE_STORE_ACCESS, s2, "S store to R region")
        S_FAULT_AT
        jalr ra, 0(s2)
        S_FETCH_FAULT_END(s2, "S fetch from R region")

        /* page B: RW, no X */
        ENTER_M
        ENTER_S
        la s2, page_b
        li a0, 0xbbbb
        sd a0, 8(s2)
        ld a1, 8(s2)
        CHECK(0xbbbb, a1, "S store/load in RW region")
        S_FAULT_AT
        jalr ra, 0(s2)
        S_FETCH_FAULT_END(s2, "S fetch from RW region")

        /* xpage: TOR, X only */
        ENTER_M
        ENTER_S
        la s2, xpage
        jalr ra, 0(s2)
        CHECK(0x99, a0, "S runs X-only TOR region")
        S_FAULT_AT
        ld a0, 0(s2)
        S_FAULT_END(CAUSE_LOAD_ACCESS, s2, "S load from X-only region")
        la s2, xpage + 4088
        S_FAULT_AT
        sd a0, 0(s2)
        S_FAULT_END(CAUSE_STORE_ACCESS, s2, "S store to X-only region top")
        /* the byte after the TOR top is outside it (entry 7: RWX) */
        ENTER_M
        ENTER_S
        la s2, xpage + 4096
        ld a0, 0(s2)

        /* NA4: only the 4 bytes at page_d + 8 are denied */
        ENTER_M
        ENTER_S
        la s2, page_d
        ld a0, 0(s2)
        lw a0, 12(s2)
        lw a0, 4(s2)
        addi s2, s2, 8
        S_FAULT_AT
        lw a0, 0(s2)
        S_FAULT_END(CAUSE_LOAD_ACCESS, s2, "S load from NA4 region")
        S_FAULT_AT
        sb a0, 0(s2)
        S_FAULT_END(CAUSE_STORE_ACCESS, s2, "S store to NA4 region")
        addi s2, s2, 3
        S_FAULT_AT
        lbu a0, 0(s2)
        S_FAULT_END(CAUSE_LOAD_ACCESS, s2, "S load from NA4 last byte")

        /* no entry matches: S and U fail, M succeeds (priv 3.7.1) */
        li s2, OUTSIDE
        S_FAULT_AT
        ld a0, 0(s2)
        S_FAULT_END(CAUSE_LOAD_ACCESS, s2, "S load with no match")
        S_FAULT_AT
        sd a0, 0(s2)
        S_FAULT_END(CAUSE_STORE_ACCESS, s2, "S store with no match")
        S_FAULT_AT
        jalr ra, 0(s2)
        S_FETCH_FAULT_END(s2, "S fetch with no match")
        ENTER_M
        ENTER_U
        EXPECT_TRAP(1f)
3:      lw a0, 0(s2)
        FAIL("U load with no match")
1:      CHECK_TRAP(CAUSE_LOAD_ACCESS, 3b, OUTSIDE, "U load with no match")
        li a0, 0x4d4d
        sd a0, 0(s2)
        ld a1, 0(s2)
        CHECK(0x4d4d, a1, "M access with no match")
        /* M ignores unlocked entries */
        la s2, page_a
        sd a0, 8(s2)
        la s2, xpage
        ld a0, 0(s2)

        /* entry priority: the lowest matching entry decides. Make entry 5
         * a NAPOT over page B with no permissions: entry 1 (RW) wins */
        la t1, page_b
        NAPOT(t1, 4096)
        csrw pmpaddr5, t1
        li t1, PMP_NAPOT
        slli t1, t1, 40
        csrs pmpcfg0, t1
        sfence.vma
        ENTER_M
        ENTER_S
        la s2, page_b
        ld a0, 8(s2)
        CHECK(0xbbbb, a0, "entry 1 beats entry 5")
        ENTER_M
        /* and entry 4 (NA4, none) beats entry 7 (RWX): shown above */

        /* restore the runtime's allow-all entry */
        li t1, -1
        csrw pmpaddr0, t1
        li t1, PMP_NAPOT | PMP_R | PMP_W | PMP_X
        csrw pmpcfg0, t1
        sfence.vma
        TEST_PASS

        .text
        .balign 4096
xpage:  li a0, 0x99
        ret
        .balign 4096
        .dword 0

        .data
        .balign 4096
page_a: .dword 0xaaaa
        .balign 4096
page_b: .dword 0
        .balign 4096
page_d: .dword 0, 0, 0
        .balign 4096
