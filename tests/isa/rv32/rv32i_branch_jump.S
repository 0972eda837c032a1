/* rv32i_branch_jump.S: RV32I branches compare at bit 31 (signed and
 * unsigned), jal and jalr link pc + 4 as a 32-bit value, and jalr clears
 * the target's bit 0 and wraps its sum at 32 bits. */
#include "common.h"

/* the branch is taken (taken = 1) or not */
#define TEST_BR(op, a, b, taken)                \
        li a0, a;                               \
        li a1, b;                               \
        li a2, 0;                               \
        op a0, a1, 1f;                          \
        li a2, 1;                               \
1:      xori a2, a2, 1;                         \
        CHECK(taken, a2, #op " " #a ", " #b)

TEST_BEGIN
        TEST_BR(beq, 0x80000000, 0x80000000, 1)
        TEST_BR(beq, 0x80000000, 0, 0)
        TEST_BR(bne, 0xffffffff, 0x7fffffff, 1)
        TEST_BR(blt, 0x80000000, 0x7fffffff, 1)
        TEST_BR(blt, 0x7fffffff, 0x80000000, 0)
        TEST_BR(blt, -1, 0, 1)
        TEST_BR(bge, 0, 0xffffffff, 1)
        TEST_BR(bge, 0x80000000, 0x80000000, 1)
        TEST_BR(bltu, 0x7fffffff, 0x80000000, 1)
        TEST_BR(bltu, 0xffffffff, 0, 0)
        TEST_BR(bgeu, 0xffffffff, 0x80000000, 1)
        TEST_BR(bgeu, 0, 0xffffffff, 0)

        /* jal: rd = pc + 4, a 32-bit address (bit 31 set at 0x8...) */
        jal a0, 2f
3:      FAIL("jal fell through")
2:      la a1, 3b
        CHECKR(a1, a0, "jal link")
        srli a2, a0, 31
        CHECK(1, a2, "jal link bit 31")

        /* jalr clears bit 0 of rs1 + imm */
        la a1, 4f
        addi a1, a1, 1
        jalr a0, 0(a1)
5:      FAIL("jalr fell through")
4:      la a2, 5b
        CHECKR(a2, a0, "jalr link")

        /* jalr's sum wraps at 32 bits: base + 0x80000000 + 0x80000000 */
        la a1, 6f
        li a2, 0x80000000
        add a1, a1, a2
        add a1, a1, a2
        jalr zero, 0(a1)
        FAIL("jalr wrap")
6:
        /* jalr with rd = rs1 uses the old value */
        la a1, 7f
        jalr a1, 0(a1)
8:      FAIL("jalr rd = rs1")
7:      la a2, 8b
        CHECKR(a2, a1, "jalr rd = rs1 link")
        TEST_PASS
