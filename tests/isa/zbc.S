/* zbc.S: Zbc carry-less multiplication: clmul, clmulh, clmulr; edge values,
 * register aliasing, rd = x0. */
#include "common.h"

#include "alu.h"

TEST_BEGIN
        .option arch, +zbc
        /* carry-less multiply: clmul the low 64 bits of the 128-bit product,
         * clmulh the high 64 (bits 127:64), clmulr bits 126:63 */
        TEST_RR(clmul, 0, -1, 0)
        TEST_RR(clmul, 1, -1, 0xffffffffffffffff)
        TEST_RR(clmul, -1, 1, 0xffffffffffffffff)
        TEST_RR(clmul, 2, 0x8000000000000000, 0)
        TEST_RR(clmul, 0x8000000000000000, 0x8000000000000000, 0)
        TEST_RR(clmul, -1, -1, 0x5555555555555555)
        TEST_RR(clmul, 0x0123456789abcdef, 0xfedcba9876543210, 0x40a0789828c810f0)
        TEST_RR(clmul, 0x8000000000000001, 0x8000000000000001, 1)
        TEST_RR(clmul, 0x100000000, 0x100000000, 0)
        TEST_RR(clmul, 0xffffffff, 0xffffffff, 0x5555555555555555)
        TEST_RR(clmul, 0x5555555555555555, 3, 0xffffffffffffffff)
        TEST_RR(clmul, 0x87654321, 0x123456789abcdef0, 0x65ee67e828c810f0)
        TEST_RR(clmul, 0x42f0e1eba9ea3693, 0xd6ef9d5b7e1cf2a1, 0xa2a0e9aea3689b73)
        TEST_RR(clmulh, 0, -1, 0)
        TEST_RR(clmulh, 1, -1, 0)
        TEST_RR(clmulh, -1, 1, 0)
        TEST_RR(clmulh, 2, 0x8000000000000000, 1)
        TEST_RR(clmulh, 0x8000000000000000, 0x8000000000000000, 0x4000000000000000)
        TEST_RR(clmulh, -1, -1, 0x5555555555555555)
        TEST_RR(clmulh, 0x0123456789abcdef, 0xfedcba9876543210, 0xe038d8688850b0)
        TEST_RR(clmulh, 0x8000000000000001, 0x8000000000000001, 0x4000000000000000)
        TEST_RR(clmulh, 0x100000000, 0x100000000, 1)
        TEST_RR(clmulh, 0xffffffff, 0xffffffff, 0)
        TEST_RR(clmulh, 0x5555555555555555, 3, 0)
        TEST_RR(clmulh, 0x87654321, 0x123456789abcdef0, 0x962335c)
        TEST_RR(clmulh, 0x42f0e1eba9ea3693, 0xd6ef9d5b7e1cf2a1, 0x345f03cb7310577e)
        TEST_RR(clmulr, 0, -1, 0)
        TEST_RR(clmulr, 1, -1, 1)
        TEST_RR(clmulr, -1, 1, 1)
        TEST_RR(clmulr, 2, 0x8000000000000000, 2)
        TEST_RR(clmulr, 0x8000000000000000, 0x8000000000000000, 0x8000000000000000)
        TEST_RR(clmulr, -1, -1, 0xaaaaaaaaaaaaaaaa)
        TEST_RR(clmulr, 0x0123456789abcdef, 0xfedcba9876543210, 0x1c071b0d110a160)
        TEST_RR(clmulr, 0x8000000000000001, 0x8000000000000001, 0x8000000000000000)
        TEST_RR(clmulr, 0x100000000, 0x100000000, 2)
        TEST_RR(clmulr, 0xffffffff, 0xffffffff, 0)
        TEST_RR(clmulr, 0x5555555555555555, 3, 1)
        TEST_RR(clmulr, 0x87654321, 0x123456789abcdef0, 0x12c466b8)
        TEST_RR(clmulr, 0x42f0e1eba9ea3693, 0xd6ef9d5b7e1cf2a1, 0x68be0796e620aefd)

        /* carry-less multiply commutes */
        TEST_RR(clmul, 0xfedcba9876543210, 0x0123456789abcdef, 0x40a0789828c810f0)
        TEST_RR(clmul, 0x123456789abcdef0, 0x87654321, 0x65ee67e828c810f0)
        TEST_RR(clmulh, 0xfedcba9876543210, 0x0123456789abcdef, 0xe038d8688850b0)
        TEST_RR(clmulh, 0x123456789abcdef0, 0x87654321, 0x962335c)
        TEST_RR(clmulr, 0xfedcba9876543210, 0x0123456789abcdef, 0x1c071b0d110a160)
        TEST_RR(clmulr, 0x123456789abcdef0, 0x87654321, 0x12c466b8)

        /* register aliasing: rs1 == rs2 squares (spreads the bits apart) */
        TEST_SAME(clmul, -1, 0x5555555555555555)
        TEST_SAME(clmulh, -1, 0x5555555555555555)
        TEST_SAME(clmulr, -1, 0xaaaaaaaaaaaaaaaa)
        TEST_SAME(clmul, 0xffffffff, 0x5555555555555555)
        TEST_SAME(clmulh, 0x8000000000000000, 0x4000000000000000)
        TEST_SAME(clmulr, 0x0123456789abcdef, 0x2080a2022282a)
        TEST_RD_RS1(clmul, 0xff, 0xff, 0x5555)
        TEST_RD_RS2(clmulh, -1, 0x8000000000000000, 0x7fffffffffffffff)
        TEST_RD_RS1(clmulr, -1, 2, 3)
        TEST_X0_RS1(clmul, -1, 0)
        TEST_X0_RS2(clmulh, -1, 0)
        TEST_X0_RS2(clmulr, -1, 0)

        /* rd = x0: nothing is written */
        TEST_RD_X0(clmul x0, a0, a1)
        TEST_RD_X0(clmulh x0, a0, a1)
        TEST_RD_X0(clmulr x0, a0, a1)
        TEST_PASS
