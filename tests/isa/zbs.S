/* zbs.S: Zbs single-bit instructions: bclr/bset/binv/bext and their
 * immediate forms; bit indexes 0/31/32/63 and beyond 63 (rs2[5:0]), register
 * aliasing, rd = x0. */
#include "common.h"

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

TEST_BEGIN
        .option arch, +zbs
        /* single-bit operations: the bit index is rs2[5:0] or shamt (0..63) */
        TEST_RR(bclr, -1, 0, 0xfffffffffffffffe)
        TEST_RR(bclr, -1, 1, 0xfffffffffffffffd)
        TEST_RR(bclr, -1, 31, 0xffffffff7fffffff)
        TEST_RR(bclr, -1, 32, 0xfffffffeffffffff)
        TEST_RR(bclr, -1, 63, 0x7fffffffffffffff)
        TEST_RR(bclr, -1, 64, 0xfffffffffffffffe)
        TEST_RR(bclr, -1, 95, 0xffffffff7fffffff)
        TEST_RR(bclr, -1, -1, 0x7fffffffffffffff)
        TEST_RR(bclr, 0x0123456789abcdef, 0, 0x123456789abcdee)
        TEST_RR(bclr, 0x0123456789abcdef, 5, 0x123456789abcdcf)
        TEST_RR(bclr, 0x0123456789abcdef, 33, 0x123456589abcdef)
        TEST_RR(bclr, 0x0123456789abcdef, 60, 0x123456789abcdef)
        TEST_RI(bclri, -1, 0, 0xfffffffffffffffe)
        TEST_RI(bclri, -1, 1, 0xfffffffffffffffd)
        TEST_RI(bclri, -1, 31, 0xffffffff7fffffff)
        TEST_RI(bclri, -1, 32, 0xfffffffeffffffff)
        TEST_RI(bclri, -1, 63, 0x7fffffffffffffff)
        TEST_RI(bclri, 0x0123456789abcdef, 0, 0x123456789abcdee)
        TEST_RI(bclri, 0x0123456789abcdef, 5, 0x123456789abcdcf)
        TEST_RI(bclri, 0x0123456789abcdef, 33, 0x123456589abcdef)
        TEST_RI(bclri, 0x0123456789abcdef, 60, 0x123456789abcdef)
        TEST_RR(bset, 0, 0, 1)
        TEST_RR(bset, 0, 1, 2)
        TEST_RR(bset, 0, 31, 0x80000000)
        TEST_RR(bset, 0, 32, 0x100000000)
        TEST_RR(bset, 0, 63, 0x8000000000000000)
        TEST_RR(bset, 0, 64, 1)
        TEST_RR(bset, 0, 95, 0x80000000)
        TEST_RR(bset, 0, -1, 0x8000000000000000)
        TEST_RR(bset, 0x0123456789abcdef, 0, 0x123456789abcdef)
        TEST_RR(bset, 0x0123456789abcdef, 5, 0x123456789abcdef)
        TEST_RR(bset, 0x0123456789abcdef, 33, 0x123456789abcdef)
        TEST_RR(bset, 0x0123456789abcdef, 60, 0x1123456789abcdef)
        TEST_RI(bseti, 0, 0, 1)
        TEST_RI(bseti, 0, 1, 2)
        TEST_RI(bseti, 0, 31, 0x80000000)
        TEST_RI(bseti, 0, 32, 0x100000000)
        TEST_RI(bseti, 0, 63, 0x8000000000000000)
        TEST_RI(bseti, 0x0123456789abcdef, 0, 0x123456789abcdef)
        TEST_RI(bseti, 0x0123456789abcdef, 5, 0x123456789abcdef)
        TEST_RI(bseti, 0x0123456789abcdef, 33, 0x123456789abcdef)
        TEST_RI(bseti, 0x0123456789abcdef, 60, 0x1123456789abcdef)
        TEST_RR(binv, 0, 0, 1)
        TEST_RR(binv, 0, 1, 2)
        TEST_RR(binv, 0, 31, 0x80000000)
        TEST_RR(binv, 0, 32, 0x100000000)
        TEST_RR(binv, 0, 63, 0x8000000000000000)
        TEST_RR(binv, 0, 64, 1)
        TEST_RR(binv, 0, 95, 0x80000000)
        TEST_RR(binv, 0, -1, 0x8000000000000000)
        TEST_RR(binv, -1, 0, 0xfffffffffffffffe)
        TEST_RR(binv, -1, 5, 0xffffffffffffffdf)
        TEST_RR(binv, -1, 33, 0xfffffffdffffffff)
        TEST_RR(binv, -1, 60, 0xefffffffffffffff)
        TEST_RI(binvi, 0, 0, 1)
        TEST_RI(binvi, 0, 1, 2)
        TEST_RI(binvi, 0, 31, 0x80000000)
        TEST_RI(binvi, 0, 32, 0x100000000)
        TEST_RI(binvi, 0, 63, 0x8000000000000000)
        TEST_RI(binvi, -1, 0, 0xfffffffffffffffe)
        TEST_RI(binvi, -1, 5, 0xffffffffffffffdf)
        TEST_RI(binvi, -1, 33, 0xfffffffdffffffff)
        TEST_RI(binvi, -1, 60, 0xefffffffffffffff)
        TEST_RR(bext, 0x8000000000000001, 0, 1)
        TEST_RR(bext, 0x8000000000000001, 1, 0)
        TEST_RR(bext, 0x8000000000000001, 31, 0)
        TEST_RR(bext, 0x8000000000000001, 32, 0)
        TEST_RR(bext, 0x8000000000000001, 63, 1)
        TEST_RR(bext, 0x8000000000000001, 64, 1)
        TEST_RR(bext, 0x8000000000000001, 95, 0)
        TEST_RR(bext, 0x8000000000000001, -1, 1)
        TEST_RR(bext, 0x0123456789abcdef, 0, 1)
        TEST_RR(bext, 0x0123456789abcdef, 5, 1)
        TEST_RR(bext, 0x0123456789abcdef, 33, 1)
        TEST_RR(bext, 0x0123456789abcdef, 60, 0)
        TEST_RI(bexti, 0x8000000000000001, 0, 1)
        TEST_RI(bexti, 0x8000000000000001, 1, 0)
        TEST_RI(bexti, 0x8000000000000001, 31, 0)
        TEST_RI(bexti, 0x8000000000000001, 32, 0)
        TEST_RI(bexti, 0x8000000000000001, 63, 1)
        TEST_RI(bexti, 0x0123456789abcdef, 0, 1)
        TEST_RI(bexti, 0x0123456789abcdef, 5, 1)
        TEST_RI(bexti, 0x0123456789abcdef, 33, 1)
        TEST_RI(bexti, 0x0123456789abcdef, 60, 0)

        /* register aliasing and x0 as a source */
        TEST_SAME(bclr, -1, 0x7fffffffffffffff)
        TEST_SAME(bset, 0x20, 0x100000020)
        TEST_SAME(binv, 0x3f, 0x800000000000003f)
        TEST_SAME(bext, 0x1000, 0)
        TEST_SAME(bext, 0x40, 0)
        TEST_RD_RS1(bset, 0, 63, 0x8000000000000000)
        TEST_RD_RS2(bclr, -1, 0, 0xfffffffffffffffe)
        TEST_RD_RS1(binv, 0x0123456789abcdef, 0, 0x123456789abcdee)
        TEST_RD_RS2(bext, 0x8000000000000000, 63, 1)
        TEST_RI_INPLACE(bseti, 0, 63, 0x8000000000000000)
        TEST_RI_INPLACE(bclri, -1, 32, 0xfffffffeffffffff)
        TEST_RI_INPLACE(binvi, 0, 31, 0x80000000)
        TEST_RI_INPLACE(bexti, 0x100000000, 32, 1)
        TEST_X0_RS1(bset, 63, 0x8000000000000000)
        TEST_X0_RS1(binv, 0, 1)
        TEST_X0_RS1(bext, 0, 0)
        TEST_X0_RS2(bclr, -1, 0xfffffffffffffffe)
        TEST_X0_RS2(bext, 3, 1)

        /* rd = x0: nothing is written */
        TEST_RD_X0(bclr x0, a0, a1)
        TEST_RD_X0(bset x0, a0, a1)
        TEST_RD_X0(binv x0, a0, a1)
        TEST_RD_X0(bext x0, a0, a1)
        TEST_RD_X0(bclri x0, a0, 3)
        TEST_RD_X0(bseti x0, a0, 3)
        TEST_RD_X0(binvi x0, a0, 3)
        TEST_RD_X0(bexti x0, a0, 0)
        TEST_PASS
