/* alu.h: checks of one integer instruction for the ISA tests of the
 * integer instructions (rv64i_alu.S, rv64m_*.S, the Zb* and Zicond tests,
 * rv32/rv32i_alu.S, trap_illegal.S): results, register
 * aliasing, x0 as a source and as the destination, illegal encodings.
 * Sources are a0 and a1, the destination a2. */
#ifndef EMBER_ISA_ALU_H
#define EMBER_ISA_ALU_H

/* rd = op(rs1, rs2): sources a0 and a1, destination a2 */
#define TEST_RR(op, a, b, exp)                  \
        li a0, a;                               \
        li a1, b;                               \
        op a2, a0, a1;                          \
        CHECK(exp, a2, #op " " #a ", " #b)

/* rd = op(rs1, imm) */
#define TEST_RI(op, a, imm, exp)                \
        li a0, a;                               \
        op a2, a0, imm;                         \
        CHECK(exp, a2, #op " " #a ", " #imm)

/* rd = op(rs1) */
#define TEST_R(op, a, exp)                      \
        li a0, a;                               \
        op a2, a0;                              \
        CHECK(exp, a2, #op " " #a)

/* Register aliasing: rs1 == rs2 */
#define TEST_SAME(op, a, exp)                   \
        li a0, a;                               \
        op a2, a0, a0;                          \
        CHECK(exp, a2, #op " rs1 = rs2 = " #a)

/* rd == rs1, and rs2 is left alone */
#define TEST_RD_RS1(op, a, b, exp)              \
        li a0, a;                               \
        li a1, b;                               \
        op a0, a0, a1;                          \
        CHECK(exp, a0, #op " rd = rs1 = " #a ", " #b); \
        CHECK(b, a1, #op " rd = rs1: rs2 kept")

/* rd == rs2, and rs1 is left alone */
#define TEST_RD_RS2(op, a, b, exp)              \
        li a0, a;                               \
        li a1, b;                               \
        op a1, a0, a1;                          \
        CHECK(exp, a1, #op " " #a ", rd = rs2 = " #b); \
        CHECK(a, a0, #op " rd = rs2: rs1 kept")

/* rd == rs1 for the one-source forms */
#define TEST_R_INPLACE(op, a, exp)              \
        li a0, a;                               \
        op a0, a0;                              \
        CHECK(exp, a0, #op " rd = rs1 = " #a)

#define TEST_RI_INPLACE(op, a, imm, exp)        \
        li a0, a;                               \
        op a0, a0, imm;                         \
        CHECK(exp, a0, #op " rd = rs1 = " #a ", " #imm)

/* x0 as a source */
#define TEST_X0_RS1(op, b, exp)                 \
        li a1, b;                               \
        op a2, zero, a1;                        \
        CHECK(exp, a2, #op " x0, " #b)

#define TEST_X0_RS2(op, a, exp)                 \
        li a0, a;                               \
        op a2, a0, zero;                        \
        CHECK(exp, a2, #op " " #a ", x0")

#define TEST_X0_R(op, exp)                      \
        op a2, zero;                            \
        CHECK(exp, a2, #op " x0")

/* rd == x0: the result is discarded and x0 still reads 0 (the whole
 * instruction is the macro's argument); a2, not written, is kept */
#define TEST_RD_X0(...)                         \
        li a0, 0x0123456789abcdef;              \
        li a1, 0xfedcba9876543210;              \
        li a2, 0x5a5a;                          \
        __VA_ARGS__;                            \
        CHECK(0, zero, #__VA_ARGS__ ": x0 stays 0"); \
        add a3, zero, zero;                     \
        CHECK(0, a3, #__VA_ARGS__ ": x0 reads 0 after"); \
        CHECK(0x5a5a, a2, #__VA_ARGS__ ": a2 kept")

/* the raw word insn traps as illegal with mtval = insn */
#define ILLEGAL32(insn, name)                   \
        EXPECT_TRAP(1f);                        \
2:      .word insn;                             \
        FAIL(name " did not trap");             \
1:      CHECK_TRAP(CAUSE_ILLEGAL, 2b, insn, name)

#endif
