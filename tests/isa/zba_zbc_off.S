/* zba_zbc_off.S: with only Zba and Zbc turned off (-cpu rv64,zba=off,zbc=off), their
 * instructions are illegal while those of Zbb and Zbs still execute: each
 * instruction is gated by its own extension. */
#include "common.h"

/* ILLEGAL(bits, instruction): the instruction (with rd = a2) traps as
 * illegal with mtval == bits, and a2 keeps its value */
#define ILLEGAL(bits, ...)                      \
        li a0, 0x0123456789abcdef;              \
        li a1, 5;                               \
        li a2, 0x5a5a;                          \
        EXPECT_TRAP(1f);                        \
2:      __VA_ARGS__;                            \
        FAIL(#__VA_ARGS__ " did not trap");     \
1:      CHECK_TRAP(CAUSE_ILLEGAL, 2b, bits, #__VA_ARGS__); \
        CHECK(0x5a5a, a2, #__VA_ARGS__ ": rd kept")

/* EXECUTES(result, instruction): with a0 = 0x0123456789abcdef and a1 = 5,
 * the instruction writes result to a2 */
#define EXECUTES(result, ...)                   \
        li a0, 0x0123456789abcdef;              \
        li a1, 5;                               \
        __VA_ARGS__;                            \
        CHECK(result, a2, #__VA_ARGS__)

TEST_BEGIN
        .option arch, +zba, +zbb, +zbc, +zbs
        /* Zba (off): illegal */
        ILLEGAL(0x08b5063b, add.uw a2, a0, a1)
        ILLEGAL(0x20b52633, sh1add a2, a0, a1)
        ILLEGAL(0x20b54633, sh2add a2, a0, a1)
        ILLEGAL(0x20b56633, sh3add a2, a0, a1)
        ILLEGAL(0x20b5263b, sh1add.uw a2, a0, a1)
        ILLEGAL(0x20b5463b, sh2add.uw a2, a0, a1)
        ILLEGAL(0x20b5663b, sh3add.uw a2, a0, a1)
        ILLEGAL(0x0855161b, slli.uw a2, a0, 5)
        ILLEGAL(0x0bf5161b, slli.uw a2, a0, 63)

        /* Zbb (on): executes */
        EXECUTES(0x123456789abcdea, andn a2, a0, a1)
        EXECUTES(0xffffffffffffffff, orn a2, a0, a1)
        EXECUTES(0xfedcba9876543215, xnor a2, a0, a1)
        EXECUTES(7, clz a2, a0)
        EXECUTES(0, clzw a2, a0)
        EXECUTES(0, ctz a2, a0)
        EXECUTES(0, ctzw a2, a0)
        EXECUTES(32, cpop a2, a0)
        EXECUTES(20, cpopw a2, a0)
        EXECUTES(0x123456789abcdef, max a2, a0, a1)
        EXECUTES(0x123456789abcdef, maxu a2, a0, a1)
        EXECUTES(5, min a2, a0, a1)
        EXECUTES(5, minu a2, a0, a1)
        EXECUTES(0xffffffffffffffef, sext.b a2, a0)
        EXECUTES(0xffffffffffffcdef, sext.h a2, a0)
        EXECUTES(0xcdef, zext.h a2, a0)
        EXECUTES(0x2468acf13579bde0, rol a2, a0, a1)
        EXECUTES(0x3579bdf1, rolw a2, a0, a1)
        EXECUTES(0x78091a2b3c4d5e6f, ror a2, a0, a1)
        EXECUTES(0x7c4d5e6f, rorw a2, a0, a1)
        EXECUTES(0x78091a2b3c4d5e6f, rori a2, a0, 5)
        EXECUTES(0x2468acf13579bde, rori a2, a0, 63)
        EXECUTES(0x7c4d5e6f, roriw a2, a0, 5)
        EXECUTES(0xffffffffffffffff, orc.b a2, a0)
        EXECUTES(0xefcdab8967452301, rev8 a2, a0)

        /* Zbc (off): illegal */
        ILLEGAL(0x0ab51633, clmul a2, a0, a1)
        ILLEGAL(0x0ab53633, clmulh a2, a0, a1)
        ILLEGAL(0x0ab52633, clmulr a2, a0, a1)

        /* Zbs (on): executes */
        EXECUTES(0x123456789abcdcf, bclr a2, a0, a1)
        EXECUTES(0x123456789abcdef, bclri a2, a0, 63)
        EXECUTES(1, bext a2, a0, a1)
        EXECUTES(0, bexti a2, a0, 63)
        EXECUTES(0x123456789abcdcf, binv a2, a0, a1)
        EXECUTES(0x8123456789abcdef, binvi a2, a0, 63)
        EXECUTES(0x123456789abcdef, bset a2, a0, a1)
        EXECUTES(0x8123456789abcdef, bseti a2, a0, 63)
        TEST_PASS
