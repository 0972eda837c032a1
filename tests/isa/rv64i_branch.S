/* rv64i_branch.S: every conditional branch, taken and not taken, with
 * forward and backward targets, signed vs unsigned comparisons; loops of
 * one block (a branch or jump back to the block's own start) for each. */
#include "common.h"

#define TAKEN_FWD(op, a, b)                     \
        li a0, a;                               \
        li a1, b;                               \
        op a0, a1, 1f;                          \
        FAIL(#op " " #a ", " #b " fwd not taken"); \
1:

#define TAKEN_BACK(op, a, b)                    \
        li a0, a;                               \
        li a1, b;                               \
        j 2f;                                   \
1:      j 3f;                                   \
2:      op a0, a1, 1b;                          \
        FAIL(#op " " #a ", " #b " back not taken"); \
3:

#define NOT_TAKEN(op, a, b)                     \
        li a0, a;                               \
        li a1, b;                               \
        op a0, a1, 1f;                          \
        j 2f;                                   \
1:      FAIL(#op " " #a ", " #b " taken");      \
2:

/* a2 counts the iterations of a loop on a0 from n down to 0 */
#define COUNTED_LOOP(n, name)                           \
        li a0, n;                                       \
        li a2, 0;                                       \
1:      addi a2, a2, 1;                                 \
        addi a0, a0, -1;                                \
        bnez a0, 1b;                                    \
        CHECK(n, a2, name)

/* A loop of one block: the branch back to the block's own start compares
 * a0 (as rs1, or as rs2 in LOOPS_RS2) with a1; a0 is written by the op
 * just before the branch when last is STEP (an emulator may take it from
 * that op directly), by the one before that when last is COUNT. a2 counts
 * the iterations. The first pass falls into the loop from the code before
 * it; the taken branches enter it as a block of its own. */
#define COUNT addi a2, a2, 1
#define STEP(k) addi a0, a0, k
#define STEPW(k) addiw a0, a0, k
#define ONE_BLOCK_LOOP(op, x, y, start, limit, n, first, last, name) \
        li a0, start;                                   \
        li a1, limit;                                   \
        li a2, 0;                                       \
1:      first;                                          \
        last;                                           \
        op x, y, 1b;                                    \
        CHECK(n, a2, name)
/* both orders of the two ops before the branch */
#define LOOPS(op, x, y, which, start, step, limit, n)   \
        ONE_BLOCK_LOOP(op, x, y, start, limit, n, COUNT, STEP(step), \
                       #op " " which " one-block loop, STEP last") \
        ONE_BLOCK_LOOP(op, x, y, start, limit, n, STEP(step), COUNT, \
                       #op " " which " one-block loop, COUNT last")
/* A one-block loop whose branch (bne a0, a1) follows `op a0, a0, a3`,
 * which itself follows a write of reg (t0: unrelated; a0 or a3: one of its
 * operands, which an emulator may forward): a2 counts the iterations. */
#define PRODUCER_LOOP(op, reg, a0_start, a3_value, limit, n) \
        li a0, a0_start;                                \
        li a3, a3_value;                                \
        li a1, limit;                                   \
        li a2, 0;                                       \
1:      addi a2, a2, 1;                                 \
        addi reg, reg, 0;                               \
        op a0, a0, a3;                                  \
        bne a0, a1, 1b;                                 \
        CHECK(n, a2, #op " (after a write of " #reg ") then bne, one-block loop")
#define PRODUCER_LOOPS(op, a0_start, a3_value, limit, n) \
        PRODUCER_LOOP(op, t0, a0_start, a3_value, limit, n) \
        PRODUCER_LOOP(op, a0, a0_start, a3_value, limit, n) \
        PRODUCER_LOOP(op, a3, a0_start, a3_value, limit, n)
/* A scan until a zero element: the load is right before the loop's
 * branch, its base written by the op just before it (step last) or not;
 * a5 sums what was loaded, so widening counts too. */
#define SCAN_LOOP(load, size, table, first, second, n, sum, name) \
        la a4, table;                                   \
        li a0, 0;                                       \
        li a2, 0;                                       \
        li a5, 0;                                       \
1:      add a5, a5, a0;                                 \
        first;                                          \
        second;                                         \
        load a0, -size(a4);                             \
        bnez a0, 1b;                                    \
        CHECK(n, a2, name " iterations");               \
        CHECK(sum, a5, name " sum")
#define ADVANCE(k) addi a4, a4, k
#define SCAN_LOOPS(load, size, table, n, sum)           \
        SCAN_LOOP(load, size, table, COUNT, ADVANCE(size), n, sum, #load " scan, base last") \
        SCAN_LOOP(load, size, table, ADVANCE(size), COUNT, n, sum, #load " scan")
#define LOOPS_RS1(op, start, step, limit, n) LOOPS(op, a0, a1, "rs1", start, step, limit, n)
#define LOOPS_RS2(op, start, step, limit, n) LOOPS(op, a1, a0, "rs2", start, step, limit, n)

TEST_BEGIN
        TAKEN_FWD(beq, 5, 5)
        TAKEN_FWD(beq, -1, -1)
        TAKEN_BACK(beq, 0, 0)
        NOT_TAKEN(beq, 5, 6)
        NOT_TAKEN(beq, 0x100000000, 0)     /* all 64 bits compared */

        TAKEN_FWD(bne, 5, 6)
        TAKEN_FWD(bne, 0x100000000, 0)
        TAKEN_BACK(bne, 1, 0)
        NOT_TAKEN(bne, 7, 7)

        TAKEN_FWD(blt, -1, 0)
        TAKEN_FWD(blt, 0x8000000000000000, 0x7fffffffffffffff)
        TAKEN_BACK(blt, 3, 4)
        NOT_TAKEN(blt, 0, -1)
        NOT_TAKEN(blt, 4, 4)

        TAKEN_FWD(bge, 0, -1)
        TAKEN_FWD(bge, 4, 4)
        TAKEN_BACK(bge, 0x7fffffffffffffff, 0x8000000000000000)
        NOT_TAKEN(bge, -1, 0)

        TAKEN_FWD(bltu, 0, -1)
        TAKEN_FWD(bltu, 0x7fffffffffffffff, 0x8000000000000000)
        TAKEN_BACK(bltu, 3, 4)
        NOT_TAKEN(bltu, -1, 0)
        NOT_TAKEN(bltu, 4, 4)

        TAKEN_FWD(bgeu, -1, 0)
        TAKEN_FWD(bgeu, 4, 4)
        TAKEN_BACK(bgeu, 0x8000000000000000, 0x7fffffffffffffff)
        NOT_TAKEN(bgeu, 0, -1)

        /* a backward loop: bnez runs 10 times, falls through once */
        COUNTED_LOOP(10, "loop count")

        /* same register on both sides */
        li a0, -5
        beq a0, a0, 1f
        FAIL("beq a0, a0")
1:      blt a0, a0, 2f
        bltu a0, a0, 2f
        bne a0, a0, 2f
        bge a0, a0, 3f
2:      FAIL("a0 vs a0")
3:      bgeu a0, a0, 4f
        FAIL("bgeu a0, a0")
4:
        /* x0 compares */
        li a0, -1
        blt a0, x0, 5f
        FAIL("blt -1, x0")
5:      bltu x0, a0, 6f
        FAIL("bltu x0, -1")
6:
        /* a long forward branch (> 2 KiB, < 4 KiB) */
        li a0, 1
        bnez a0, far
        FAIL("far branch")
        .fill 700, 4, 0x00000013      /* nops */
far:
        /* and a long backward one */
        li a0, 0
        j 7f
back_far:
        li a0, 99
        j 8f
        .fill 700, 4, 0x00000013
7:      beqz a0, back_far
        FAIL("far back branch")
8:      CHECK(99, a0, "far back target ran")
        /* one-block loops, 5 or 6 iterations each */
        LOOPS_RS1(bne, 0, 1, 5, 5)
        LOOPS_RS2(bne, 0, 1, 5, 5)
        LOOPS_RS1(blt, -3, 1, 2, 5)
        LOOPS_RS2(blt, 10, -1, 5, 5)
        LOOPS_RS1(bltu, 0, 1, 5, 5)
        LOOPS_RS2(bltu, 10, -1, 5, 5)
        LOOPS_RS1(bge, 10, -1, 5, 6)
        LOOPS_RS2(bge, 0, 1, 5, 6)
        LOOPS_RS1(bgeu, 10, -1, 5, 6)
        LOOPS_RS2(bgeu, 0, 1, 5, 6)
        /* beq loops while a0 = (a2 < 5) equals 1 */
        li a1, 1
        li a2, 0
1:      addi a2, a2, 1
        sltiu a0, a2, 5
        beq a0, a1, 1b
        CHECK(5, a2, "beq rs1 one-block loop")
        li a2, 0
1:      addi a2, a2, 1
        sltiu a0, a2, 5
        beq a1, a0, 1b
        CHECK(5, a2, "beq rs2 one-block loop")
        /* ALU ops right before the loop's branch, each operand forwarded
         * or not */
        PRODUCER_LOOPS(add, 0, 1, 5, 5)
        PRODUCER_LOOPS(mul, 1, 2, 32, 5)
        PRODUCER_LOOPS(or, 0, 4, 4, 1)
        PRODUCER_LOOPS(addw, 0x7ffffffd, 1, 0xffffffff80000001, 4)
        ONE_BLOCK_LOOP(bne, a0, a1, -3, 2, 5, COUNT, STEPW(1), "addiw then bne, one-block loop")
        SCAN_LOOPS(lbu, 1, scan_bytes, 6, 0x187)
        SCAN_LOOPS(lhu, 2, scan_halves, 5, 0x18007)
        /* a long one: 3M iterations, longer than any run between
         * interrupt checks */
        COUNTED_LOOP(3000000, "bnez one-block loop, 3M iterations")

        /* a jump to its own block's start never ends by itself: a timer
         * interrupt 10 ms away must still stop it. The timer runs on the
         * host's clock, so a slow host may take it before the loop: mepc
         * is anywhere from 0: on, no earlier */
        li t1, MIP_MTIP
        csrw mie, t1
        li s1, CLINT_MTIMECMP
        li s2, CLINT_MTIME
        ld t1, 0(s2)
        li t2, 100000
        add t1, t1, t2
        sd t1, 0(s1)
        li t1, MSTATUS_MIE
        csrs mstatus, t1
0:      EXPECT_TRAP(3f)
        li a2, 0
        j 1f
        .balign 4
1:      addi a2, a2, 1
2:      j 1b
3:      csrw mie, zero
        li t1, -1
        sd t1, 0(s1)
        TRAP_FIELD(t1, TI_CAUSE)
        CHECK(CAUSE_INTR | IRQ_M_TIMER, t1, "timer interrupt in a one-block jump loop")
        TRAP_FIELD(t1, TI_EPC)
        la t2, 0b
        bltu t1, t2, 4f
        la t2, 2b
        bleu t1, t2, 5f
4:      FAIL("one-block jump loop: mepc not in the loop or before it")
5:
        TEST_PASS

        .data
scan_bytes:
        .byte 1, 2, 0x80, 0xff, 5, 0
        .balign 2
scan_halves:
        .half 1, 0x8000, 0xffff, 7, 0
