/* rv64m_div.S: div, divu, rem, remu and their W forms, including division
 * by zero and signed overflow (unpriv 7.2, table 7.1: no traps). */
#include "common.h"
#include "alu.h"

TEST_BEGIN
        /* signed: quotient rounds towards zero, remainder takes the
         * dividend's sign */
        TEST_RR(div, 20, 6, 3)
        TEST_RR(div, -20, 6, -3)
        TEST_RR(div, 20, -6, -3)
        TEST_RR(div, -20, -6, 3)
        TEST_RR(rem, 20, 6, 2)
        TEST_RR(rem, -20, 6, -2)
        TEST_RR(rem, 20, -6, 2)
        TEST_RR(rem, -20, -6, -2)
        TEST_RR(divu, -1, 2, 0x7fffffffffffffff)
        TEST_RR(divu, 20, 6, 3)
        TEST_RR(divu, 0x8000000000000000, 0x8000000000000001, 0)
        TEST_RR(remu, -1, 10, 5)
        TEST_RR(remu, 20, 6, 2)
        TEST_RR(remu, 5, -1, 5)

        /* division by zero: q = all ones, r = dividend */
        TEST_RR(div, 1234, 0, -1)
        TEST_RR(div, -1234, 0, -1)
        TEST_RR(divu, 1234, 0, 0xffffffffffffffff)
        TEST_RR(rem, -1234, 0, -1234)
        TEST_RR(remu, 1234, 0, 1234)
        TEST_RR(rem, 0x8000000000000000, 0, 0x8000000000000000)

        /* signed overflow: q = dividend, r = 0 */
        TEST_RR(div, 0x8000000000000000, -1, 0x8000000000000000)
        TEST_RR(rem, 0x8000000000000000, -1, 0)

        /* W forms: 32-bit operands (upper bits ignored), sign-extended
         * 32-bit results, even for the unsigned ones */
        TEST_RR(divw, 0xffffffec, 6, -3)                /* -20 / 6 */
        TEST_RR(divw, 0x12345678ffffffec, 0xabcdef0000000006, -3)
        TEST_RR(divw, 20, -6, -3)
        TEST_RR(remw, 0xffffffec, 6, -2)
        TEST_RR(remw, 20, -6, 2)
        TEST_RR(divuw, 0x12345678ffffffff, 2, 0x7fffffff)
        TEST_RR(divuw, 0xfffffffe, 1, 0xfffffffffffffffe)
        TEST_RR(divuw, 0xffffffff, 0x100000001, 0xffffffffffffffff)
        TEST_RR(remuw, 0xffffffff, 0x10, 15)
        TEST_RR(remuw, 0x80000005, 0x80000000, 5)
        TEST_RR(remuw, 20, 6, 2)

        /* W division by zero */
        TEST_RR(divw, 1234, 0, -1)
        TEST_RR(divw, 1234, 0x100000000, -1)            /* low 32 bits are 0 */
        TEST_RR(divuw, 1234, 0, 0xffffffffffffffff)
        TEST_RR(remw, 0x80000001, 0, 0xffffffff80000001)
        TEST_RR(remw, 0x1234500000007, 0, 7)
        TEST_RR(remuw, 0x80000001, 0, 0xffffffff80000001)
        TEST_RR(remuw, 0xffffffff00000009, 0, 9)

        /* W signed overflow */
        TEST_RR(divw, 0x80000000, -1, 0xffffffff80000000)
        TEST_RR(divw, 0x80000000, 0xffffffff, 0xffffffff80000000)
        TEST_RR(remw, 0x80000000, -1, 0)
        TEST_RR(divw, 0xffffffff80000000, 1, 0xffffffff80000000)
        TEST_PASS
