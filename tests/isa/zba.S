/* zba.S: Zba address generation: add.uw, sh1add/sh2add/sh3add and their
 * .uw forms, slli.uw; 32-bit zero extension, wrap-around, shift amounts
 * 0/31/32/63, register aliasing and rd = x0. */
#include "common.h"

#include "alu.h"

TEST_BEGIN
        .option arch, +zba
        /* add.uw: rs2 + zext32(rs1); add.uw rd, rs1, x0 is zext.w */
        TEST_RR(add.uw, 0xffffffff, 1, 0x100000000)
        TEST_RR(add.uw, -1, 0, 0xffffffff)
        TEST_RR(add.uw, -1, -1, 0xfffffffe)
        TEST_RR(add.uw, 0x80000000, 0, 0x80000000)
        TEST_RR(add.uw, 0xffffffff80000000, 0, 0x80000000)
        TEST_RR(add.uw, 0x123456789abcdef0, 0x1000, 0x9abceef0)
        TEST_RR(add.uw, 0, 0x8000000000000000, 0x8000000000000000)
        TEST_RR(add.uw, 0x100000000, 5, 5)
        TEST_RR(add.uw, 0x7fffffff, 0x7fffffff, 0xfffffffe)
        TEST_X0_RS2(add.uw, 0xfedcba9876543210, 0x76543210)
        TEST_X0_RS1(add.uw, -7, 0xfffffffffffffff9)

        /* shNadd: rs2 + (rs1 << N), 64-bit wrap-around */
        TEST_RR(sh1add, 1, 2, 4)
        TEST_RR(sh1add, -1, 0, 0xfffffffffffffffe)
        TEST_RR(sh1add, 0x8000000000000000, 1, 1)
        TEST_RR(sh1add, 0x4000000000000000, 0, 0x8000000000000000)
        TEST_RR(sh1add, 0x7fffffffffffffff, 0x7fffffffffffffff, 0x7ffffffffffffffd)
        TEST_RR(sh1add, 0x123456789abcdef, -1, 0x2468acf13579bdd)
        TEST_RR(sh1add, 0xffffffff, 0x100000000, 0x2fffffffe)
        TEST_RR(sh1add, 0, -1, 0xffffffffffffffff)
        TEST_RR(sh2add, 1, 2, 6)
        TEST_RR(sh2add, -1, 0, 0xfffffffffffffffc)
        TEST_RR(sh2add, 0x8000000000000000, 1, 1)
        TEST_RR(sh2add, 0x4000000000000000, 0, 0)
        TEST_RR(sh2add, 0x7fffffffffffffff, 0x7fffffffffffffff, 0x7ffffffffffffffb)
        TEST_RR(sh2add, 0x123456789abcdef, -1, 0x48d159e26af37bb)
        TEST_RR(sh2add, 0xffffffff, 0x100000000, 0x4fffffffc)
        TEST_RR(sh2add, 0, -1, 0xffffffffffffffff)
        TEST_RR(sh3add, 1, 2, 10)
        TEST_RR(sh3add, -1, 0, 0xfffffffffffffff8)
        TEST_RR(sh3add, 0x8000000000000000, 1, 1)
        TEST_RR(sh3add, 0x4000000000000000, 0, 0)
        TEST_RR(sh3add, 0x7fffffffffffffff, 0x7fffffffffffffff, 0x7ffffffffffffff7)
        TEST_RR(sh3add, 0x123456789abcdef, -1, 0x91a2b3c4d5e6f77)
        TEST_RR(sh3add, 0xffffffff, 0x100000000, 0x8fffffff8)
        TEST_RR(sh3add, 0, -1, 0xffffffffffffffff)

        /* shNadd.uw: rs2 + (zext32(rs1) << N) */
        TEST_RR(sh1add.uw, -1, 0, 0x1fffffffe)
        TEST_RR(sh1add.uw, 0x80000000, 1, 0x100000001)
        TEST_RR(sh1add.uw, 0x100000001, 0, 2)
        TEST_RR(sh1add.uw, 0xffffffff80000000, -8, 0xfffffff8)
        TEST_RR(sh1add.uw, 0x123456789abcdef0, 0x1000000000000000, 0x100000013579bde0)
        TEST_RR(sh1add.uw, 0x7fffffff, 0, 0xfffffffe)
        TEST_RR(sh1add.uw, 0, 0x8000000000000000, 0x8000000000000000)
        TEST_RR(sh1add.uw, 0xffffffff, -1, 0x1fffffffd)
        TEST_RR(sh2add.uw, -1, 0, 0x3fffffffc)
        TEST_RR(sh2add.uw, 0x80000000, 1, 0x200000001)
        TEST_RR(sh2add.uw, 0x100000001, 0, 4)
        TEST_RR(sh2add.uw, 0xffffffff80000000, -8, 0x1fffffff8)
        TEST_RR(sh2add.uw, 0x123456789abcdef0, 0x1000000000000000, 0x100000026af37bc0)
        TEST_RR(sh2add.uw, 0x7fffffff, 0, 0x1fffffffc)
        TEST_RR(sh2add.uw, 0, 0x8000000000000000, 0x8000000000000000)
        TEST_RR(sh2add.uw, 0xffffffff, -1, 0x3fffffffb)
        TEST_RR(sh3add.uw, -1, 0, 0x7fffffff8)
        TEST_RR(sh3add.uw, 0x80000000, 1, 0x400000001)
        TEST_RR(sh3add.uw, 0x100000001, 0, 8)
        TEST_RR(sh3add.uw, 0xffffffff80000000, -8, 0x3fffffff8)
        TEST_RR(sh3add.uw, 0x123456789abcdef0, 0x1000000000000000, 0x10000004d5e6f780)
        TEST_RR(sh3add.uw, 0x7fffffff, 0, 0x3fffffff8)
        TEST_RR(sh3add.uw, 0, 0x8000000000000000, 0x8000000000000000)
        TEST_RR(sh3add.uw, 0xffffffff, -1, 0x7fffffff7)

        /* slli.uw: zext32(rs1) << shamt, shamt 0..63 */
        TEST_RI(slli.uw, -1, 0, 0xffffffff)
        TEST_RI(slli.uw, -1, 1, 0x1fffffffe)
        TEST_RI(slli.uw, -1, 31, 0x7fffffff80000000)
        TEST_RI(slli.uw, -1, 32, 0xffffffff00000000)
        TEST_RI(slli.uw, -1, 63, 0x8000000000000000)
        TEST_RI(slli.uw, 0x80000001, 63, 0x8000000000000000)
        TEST_RI(slli.uw, 0x80000001, 32, 0x8000000100000000)
        TEST_RI(slli.uw, 0x123456789, 4, 0x234567890)
        TEST_RI(slli.uw, 0xffffffff80000000, 0, 0x80000000)
        TEST_RI(slli.uw, 0x7fffffff, 33, 0xfffffffe00000000)
        TEST_RI(slli.uw, 0, 17, 0)

        /* register aliasing */
        TEST_SAME(add.uw, 0xffffffff, 0x1fffffffe)
        TEST_SAME(sh1add, 0x5555555555555555, 0xffffffffffffffff)
        TEST_SAME(sh2add.uw, -1, 0x3fffffffb)
        TEST_SAME(sh3add, 0x8000000000000001, 0x8000000000000009)
        TEST_RD_RS1(sh3add.uw, 0xfffffffff, 1, 0x7fffffff9)
        TEST_RD_RS2(sh2add, 3, 0x100, 0x10c)
        TEST_RD_RS1(add.uw, -1, 1, 0x100000000)
        TEST_RD_RS2(sh1add.uw, 0x180000000, -1, 0xffffffff)
        TEST_RI_INPLACE(slli.uw, 0xfedcba9876543210, 8, 0x7654321000)

        /* rd = x0: nothing is written */
        TEST_RD_X0(add.uw x0, a0, a1)
        TEST_RD_X0(sh1add x0, a0, a1)
        TEST_RD_X0(sh2add x0, a0, a1)
        TEST_RD_X0(sh3add x0, a0, a1)
        TEST_RD_X0(sh1add.uw x0, a0, a1)
        TEST_RD_X0(sh2add.uw x0, a0, a1)
        TEST_RD_X0(sh3add.uw x0, a0, a1)
        TEST_RD_X0(slli.uw x0, a0, 3)
        TEST_PASS
