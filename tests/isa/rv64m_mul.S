/* rv64m_mul.S: M-extension multiplies: mul, mulh, mulhsu, mulhu, mulw,
 * signed/unsigned high halves and W sign extension. */
#include "common.h"
#include "alu.h"

TEST_BEGIN
        TEST_RR(mul, 3, 4, 12)
        TEST_RR(mul, -1, -1, 1)
        TEST_RR(mul, -3, 5, -15)
        TEST_RR(mul, 0x8000000000000000, -1, 0x8000000000000000)
        TEST_RR(mul, 0x100000000, 0x100000000, 0)
        TEST_RR(mul, 0x123456789, 0x10, 0x1234567890)
        TEST_RR(mul, 0xffffffffffffffff, 0xffffffffffffffff, 1)

        TEST_RR(mulh, -1, -1, 0)
        TEST_RR(mulh, -1, 1, -1)
        TEST_RR(mulh, 0x8000000000000000, 0x8000000000000000, 0x4000000000000000)
        TEST_RR(mulh, 0x7fffffffffffffff, 0x7fffffffffffffff, 0x3fffffffffffffff)
        TEST_RR(mulh, 0x8000000000000000, 0x7fffffffffffffff, 0xc000000000000000)
        TEST_RR(mulh, 0x100000000, 0x100000000, 1)
        TEST_RR(mulh, 2, 3, 0)

        TEST_RR(mulhu, -1, -1, 0xfffffffffffffffe)
        TEST_RR(mulhu, 0x8000000000000000, 2, 1)
        TEST_RR(mulhu, 0x8000000000000000, 0x8000000000000000, 0x4000000000000000)
        TEST_RR(mulhu, -1, 1, 0)
        TEST_RR(mulhu, 0x100000000, 0x100000000, 1)

        /* mulhsu: rs1 signed, rs2 unsigned */
        TEST_RR(mulhsu, -1, -1, 0xffffffffffffffff)
        TEST_RR(mulhsu, 2, -1, 1)
        TEST_RR(mulhsu, 0x8000000000000000, 2, 0xffffffffffffffff)
        TEST_RR(mulhsu, -2, 0x8000000000000000, 0xffffffffffffffff)
        TEST_RR(mulhsu, 0x7fffffffffffffff, 0xffffffffffffffff, 0x7ffffffffffffffe)
        TEST_RR(mulhsu, 3, 5, 0)

        /* mulw: low 32 bits of the product, sign-extended */
        TEST_RR(mulw, 0x7fffffff, 2, 0xfffffffffffffffe)
        TEST_RR(mulw, 0x100000003, 5, 15)
        TEST_RR(mulw, 0x10000, 0x10000, 0)
        TEST_RR(mulw, -1, -1, 1)
        TEST_RR(mulw, 0x40000000, 2, 0xffffffff80000000)
        TEST_RR(mulw, 0xffffffff00000007, 0x00000001fffffffd, -21)

        /* rd == rs1 == rs2 */
        li a0, 9
        mul a0, a0, a0
        CHECK(81, a0, "mul a0,a0,a0")
        TEST_PASS
