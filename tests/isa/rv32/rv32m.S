/* rv32m.S: RV32M on 32-bit registers: mul keeps the low word, mulh* the
 * high word of the 64-bit product, division's corner cases (unpriv 13.2). */
#include "common.h"
#include "alu.h"

TEST_BEGIN
        TEST_RR(mul, 0x10000, 0x10000, 0)
        TEST_RR(mul, 0x12345678, 0x10, 0x23456780)
        TEST_RR(mul, -1, -1, 1)
        TEST_RR(mul, 0x80000000, 2, 0)
        TEST_RR(mulh, 0x80000000, 0x80000000, 0x40000000)
        TEST_RR(mulh, -1, -1, 0)
        TEST_RR(mulh, 0x7fffffff, -1, 0xffffffff)
        TEST_RR(mulh, 0x12345678, 0x12345678, 0x14b66dc)
        TEST_RR(mulhu, 0xffffffff, 0xffffffff, 0xfffffffe)
        TEST_RR(mulhu, 0x80000000, 2, 1)
        TEST_RR(mulhu, 0x12345678, 0x9abcdef0, 0x0b00ea4e)
        TEST_RR(mulhsu, -1, 0xffffffff, 0xffffffff)
        TEST_RR(mulhsu, 0x80000000, 0xffffffff, 0x80000000)
        TEST_RR(mulhsu, 2, 0x80000000, 1)
        TEST_RR(div, 20, -6, -3)
        TEST_RR(div, -20, 6, -3)
        TEST_RR(div, 0x80000000, -1, 0x80000000)
        TEST_RR(div, 5, 0, -1)
        TEST_RR(divu, 0xffffffff, 2, 0x7fffffff)
        TEST_RR(divu, 0x80000000, 0x10, 0x08000000)
        TEST_RR(divu, 5, 0, 0xffffffff)
        TEST_RR(rem, -20, 6, -2)
        TEST_RR(rem, 20, -6, 2)
        TEST_RR(rem, 0x80000000, -1, 0)
        TEST_RR(rem, 0x80000001, 0, 0x80000001)
        TEST_RR(remu, 0xffffffff, 0x10, 0xf)
        TEST_RR(remu, 0x80000005, 0, 0x80000005)
        TEST_RR(remu, 0x80000000, 0xffffffff, 0x80000000)
        TEST_PASS
