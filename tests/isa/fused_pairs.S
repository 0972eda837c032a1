/* fused_pairs.S: pairs and runs of instructions an emulator may run as one
 * (ember's FUSED_PAIRS and RUN_STEPS in cpu/riscv/ops.c: address arithmetic
 * then its load, runs of ld and of sd): each pair's results, with the
 * second op reading what the first wrote and not, x0 as the first's
 * destination, runs longer than ember's run handlers, and a fault in any op
 * of a pair or run (the ops before it done, none after, mepc naming the op
 * that faulted). Each pair follows a nop, so that the op before it
 * cannot take its first op into a pair of its own. */
#include "common.h"

#define HOLE 0x100              /* no memory or device (trap_access.S) */

TEST_BEGIN
        la a0, data

        /* loads then loads, ALU ops and stores */
        nop
        ld a1, 0(a0)
        ld a2, 8(a0)
        CHECK(0x1111111111111111, a1, "ld, ld: first")
        CHECK(0x2222222222222222, a2, "ld, ld: second")
        nop
        ld a1, 24(a0)
        ld a2, 0(a1)            /* the address the first loaded */
        CHECK(0x4444444444444444, a2, "ld, ld through it")
        nop
        ld zero, 0(a0)
        ld a2, 16(a0)
        CHECK(0x3333333333333333, a2, "ld x0, ld")
        li a3, 100
        nop
        ld a1, 0(a0)
        addi a2, a3, -1
        CHECK(99, a2, "ld, addi")
        nop
        ld a1, 8(a0)
        add a2, a3, a3
        CHECK(200, a2, "ld, add")
        CHECK(0x2222222222222222, a1, "ld, add: the load")
        nop
        ld a1, 8(a0)
        slli a2, a3, 4
        CHECK(1600, a2, "ld, slli")
        nop
        ld a1, 16(a0)
        sd a3, 40(a0)
        ld a4, 40(a0)
        CHECK(100, a4, "ld, sd")
        nop
        lbu a1, 1(a0)
        addi a2, a3, 7
        CHECK(0x11, a1, "lbu, addi: the load")
        CHECK(107, a2, "lbu, addi")
        nop
        lbu a1, 0(a0)
        lbu a2, 8(a0)
        CHECK(0x11, a1, "lbu, lbu: first")
        CHECK(0x22, a2, "lbu, lbu: second")
        nop
        lw a1, 32(a0)
        add a2, a3, a3
        CHECK(-2, a1, "lw, add: the load sign-extends")
        CHECK(200, a2, "lw, add")
        nop
        lw a1, 32(a0)
        lw a2, 36(a0)
        CHECK(-2, a1, "lw, lw: first")
        CHECK(0x7ffffff0, a2, "lw, lw: second")

        /* stores then stores */
        la a4, obuf
        li a1, 0x0102030405060708
        li a2, 0x1112131415161718
        nop
        sd a1, 0(a4)
        sd a2, 8(a4)
        ld a5, 0(a4)
        CHECKR(a1, a5, "sd, sd: first")
        ld a5, 8(a4)
        CHECKR(a2, a5, "sd, sd: second")
        addi a5, a4, 16
        sd a2, 0(a5)            /* its base forwarded from the addi */
        sd a1, 8(a4)
        ld a5, 16(a4)
        CHECKR(a2, a5, "sd (forwarded base), sd: first")
        ld a5, 8(a4)
        CHECKR(a1, a5, "sd (forwarded base), sd: second")

        /* ALU ops then ALU ops, loads and stores, the second op reading
         * what the first wrote */
        li a2, 5
        li a4, 1000
        nop
        slli a1, a2, 3
        add a3, a1, a4
        CHECK(1040, a3, "slli, add (rs1)")
        nop
        slli a1, a2, 3
        add a3, a4, a1
        CHECK(1040, a3, "slli, add (rs2)")
        xori a2, a2, 0
        slli a1, a2, 2          /* its operand forwarded from the xori */
        add a3, a1, a4
        CHECK(1020, a3, "slli (forwarded), add")
        nop
        add a1, a2, a4
        add a3, a4, a4
        CHECK(1005, a1, "add, add: first")
        CHECK(2000, a3, "add, add: second")
        nop
        add a1, a2, a4
        addi a3, a2, -10
        CHECK(-5, a3, "add, addi")
        nop
        add a1, a2, a4
        andi a3, a4, 0xf0
        CHECK(0xe0, a3, "add, andi")
        li a5, 32
        xori a5, a5, 0
        add a1, a5, a0          /* rs1 forwarded, then its load */
        lw a3, 0(a1)
        CHECK(-2, a3, "add (forwarded), lw")
        xori a5, a5, 0
        add a1, a5, a0
        ld a3, -8(a1)
        la t2, data2 + 8        /* what data + 24 holds */
        CHECKR(t2, a3, "add (forwarded), ld")
        xori a5, a5, 0
        add a1, a5, a0
        lbu a3, -31(a1)
        CHECK(0x11, a3, "add (forwarded), lbu")
        xori a5, a5, 0
        add a1, a0, a5          /* rs2 forwarded, then its load */
        lw a3, 4(a1)
        CHECK(0x7ffffff0, a3, "add (rs2 forwarded), lw")
        la a4, obuf
        nop
        addi a1, a4, 24
        sd a2, 0(a1)
        ld a3, 24(a4)
        CHECK(5, a3, "addi, sd")
        nop
        addi a1, a2, 1
        addi a3, a2, 2
        CHECK(6, a1, "addi, addi: first")
        CHECK(7, a3, "addi, addi: second")
        nop
        addi a1, a2, 1
        add a3, a2, a2
        CHECK(10, a3, "addi, add")
        li a5, 0xff
        nop
        addi a1, a2, 1
        xor a3, a5, a2
        CHECK(0xfa, a3, "addi, xor")
        nop
        addi a1, a2, 1
        andi a3, a5, 0x0f
        CHECK(0x0f, a3, "addi, andi")
        xori a2, a2, 0
        addi a1, a2, 3          /* forwarded, then forwarding */
        add a3, a1, a5
        CHECK(263, a3, "addi (forwarded), add")
        li a2, 0x7fffffff
        nop
        addiw a1, a2, 1
        slli a3, a1, 1
        CHECK(0xffffffff00000000, a3, "addiw, slli")
        li a2, 0xf7
        nop
        andi a1, a2, 7
        ld a3, 8(a0)
        CHECK(7, a1, "andi, ld: first")
        CHECK(0x2222222222222222, a3, "andi, ld")
        li a2, 0xffffffff80000000
        nop
        srliw a1, a2, 4
        add a3, a2, a2
        CHECK(0x08000000, a1, "srliw, add: first")
        CHECK(0xffffffff00000000, a3, "srliw, add")
        li a2, 0x1234
        li a3, 0x0f0
        nop
        and a1, a2, a3
        slli a4, a1, 4
        CHECK(0x300, a4, "and, slli")
        li a2, 0x123456789
        nop
        slli a1, a2, 32
        srli a3, a1, 36
        CHECK(0x2345678, a3, "slli, srli")

        la a4, obuf
        li a2, 9
        nop
        addi a1, a2, 1
        sd a2, 40(a4)
        ld a3, 40(a4)
        CHECK(9, a3, "addi, sd")
        CHECK(10, a1, "addi, sd: first")
        xori a2, a2, 0
        add a1, a2, a2
        addi a3, a1, 1          /* forwarded, then forwarding */
        CHECK(19, a3, "add (forwarded), addi (forwarded)")
        li a2, 0x37
        nop
        andi a1, a2, 0xf
        slli a3, a1, 4
        CHECK(0x70, a3, "andi, slli")
        nop
        sd a2, 48(a4)
        add a3, a2, a2
        ld a1, 48(a4)
        CHECK(0x37, a1, "sd, add: first")
        CHECK(0x6e, a3, "sd, add")
        li a2, 5
        li a3, 5
        nop
        sub a1, a2, a3
        beq a2, a3, 2f
        FAIL("sub, beq (taken)")
2:      CHECK(0, a1, "sub, beq: first")
        nop
        sub a1, a2, zero
        beq a2, zero, 2f        /* not taken */
        j 3f
2:      FAIL("sub, beq (not taken)")
3:      CHECK(5, a1, "sub, beq (not taken): first")
        la a5, 4f - 8
        xori a5, a5, 0
        addi a5, a5, 8          /* forwarded, then a jump through it */
        jalr a1, 0(a5)
        FAIL("addi, jalr")
4:
        /* runs of sd and ld (a function's prologue and epilogue), longer
         * than any run handler (8) */
        la a4, obuf
        li s2, 2
        li s3, 3
        li s4, 4
        li s5, 5
        li s6, 6
        li s7, 7
        li s8, 8
        li s9, 9
        li t3, 10
        li t4, 11
        li t5, 12
        li t6, 13
        nop
        sd s2, 0(a4)
        sd s3, 8(a4)
        sd s4, 16(a4)
        sd s5, 24(a4)
        sd s6, 32(a4)
        sd s7, 40(a4)
        sd s8, 48(a4)
        sd s9, 56(a4)
        sd t3, 64(a4)
        sd t4, 72(a4)
        sd t5, 80(a4)
        sd t6, 88(a4)
        nop
        ld s2, 88(a4)
        ld s3, 80(a4)
        ld s4, 72(a4)
        ld s5, 64(a4)
        ld s6, 56(a4)
        ld s7, 48(a4)
        ld s8, 40(a4)
        ld s9, 32(a4)
        ld t3, 24(a4)
        ld t4, 16(a4)
        ld t5, 8(a4)
        ld t6, 0(a4)
        CHECK(13, s2, "ld run: 1st")
        CHECK(12, s3, "ld run: 2nd")
        CHECK(11, s4, "ld run: 3rd")
        CHECK(10, s5, "ld run: 4th")
        CHECK(9, s6, "ld run: 5th")
        CHECK(8, s7, "ld run: 6th")
        CHECK(7, s8, "ld run: 7th")
        CHECK(6, s9, "ld run: 8th")
        CHECK(5, t3, "ld run: 9th")
        CHECK(4, t4, "ld run: 10th")
        CHECK(3, t5, "ld run: 11th")
        CHECK(2, t6, "ld run: 12th")
        /* a fault inside a run: the ops before it done, none after */
        li t1, HOLE
        li s2, 0
        li s3, 0
        li s4, 0
        EXPECT_TRAP(1f)
        nop
        ld s2, 0(a4)
        ld s3, 8(a4)
f6:     ld s4, 0(t1)
        ld s3, 16(a4)
        FAIL("ld run with a hole")
1:      CHECK_TRAP(CAUSE_LOAD_ACCESS, f6, HOLE, "ld run with a hole")
        CHECK(2, s2, "ld run with a hole: before")
        CHECK(3, s3, "ld run with a hole: after")
        CHECK(0, s4, "ld run with a hole: the faulting one")
        li s2, 77
        EXPECT_TRAP(1f)
        nop
        sd s2, 0(a4)
f7:     sd s2, 0(t1)
        sd s2, 8(a4)
        FAIL("sd run with a hole")
1:      CHECK_TRAP(CAUSE_STORE_ACCESS, f7, HOLE, "sd run with a hole")
        ld s3, 0(a4)
        CHECK(77, s3, "sd run with a hole: before")
        ld s3, 8(a4)
        CHECK(3, s3, "sd run with a hole: after")

        /* a fault in the second op: the first one's result stays */
        li t1, HOLE
        li a1, 0
        EXPECT_TRAP(1f)
        nop
        ld a1, 0(a0)
f1:     ld a2, 0(t1)
        FAIL("ld, ld from a hole")
1:      CHECK_TRAP(CAUSE_LOAD_ACCESS, f1, HOLE, "ld, ld from a hole")
        CHECK(0x1111111111111111, a1, "ld, ld from a hole: the first load")
        /* and in the first: nothing of the second */
        li a1, 0
        EXPECT_TRAP(1f)
        nop
f2:     ld a2, 0(t1)
        ld a1, 0(a0)
        FAIL("ld from a hole, ld")
1:      CHECK_TRAP(CAUSE_LOAD_ACCESS, f2, HOLE, "ld from a hole, ld")
        CHECK(0, a1, "ld from a hole, ld: the second load")
        la a4, obuf
        li a1, 0x5a5a
        EXPECT_TRAP(1f)
        nop
        sd a1, 32(a4)
f3:     sd a1, 8(t1)
        FAIL("sd, sd to a hole")
1:      CHECK_TRAP(CAUSE_STORE_ACCESS, f3, HOLE + 8, "sd, sd to a hole")
        ld a3, 32(a4)
        CHECK(0x5a5a, a3, "sd, sd to a hole: the first store")
        li a2, 3
        EXPECT_TRAP(1f)
        nop
        slli a1, a2, 3
        add a3, a1, t1
f4:     ld a3, 0(a3)            /* the add is taken: a separate op */
        FAIL("slli, add, ld from a hole")
1:      CHECK_TRAP(CAUSE_LOAD_ACCESS, f4, HOLE + 24, "slli, add, ld from a hole")
        li a5, 24
        EXPECT_TRAP(1f)
        xori a5, a5, 0
        add a1, a5, t1
f5:     lw a3, 0(a1)
        FAIL("add, lw from a hole")
1:      CHECK_TRAP(CAUSE_LOAD_ACCESS, f5, HOLE + 24, "add, lw from a hole")
        CHECK(HOLE + 24, a1, "add, lw from a hole: the add")
        TEST_PASS

        .data
        .align 3
data:   .dword 0x1111111111111111, 0x2222222222222222, 0x3333333333333333
        .dword data2 + 8        /* data + 24 */
        .word -2, 0x7ffffff0    /* data + 32 */
        .dword 0
data2:  .dword data, 0x4444444444444444
obuf:   .zero 96
