/* rv64i_branch.S: every conditional branch, taken and not taken, with
 * forward and backward targets, signed vs unsigned comparisons. */
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
        li a0, 10
        li a1, 0
1:      addi a1, a1, 1
        addi a0, a0, -1
        bnez a0, 1b
        CHECK(10, a1, "loop count")

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
        TEST_PASS
