/* zbb_zbs_off.S: with only Zbb and Zbs turned off (-cpu rv64,zbb=off,zbs=off), their
 * instructions are illegal while those of Zba and Zbc still execute: each
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
        /* Zba (on): executes */
        EXECUTES(0x89abcdf4, add.uw a2, a0, a1)
        EXECUTES(0x2468acf13579be3, sh1add a2, a0, a1)
        EXECUTES(0x48d159e26af37c1, sh2add a2, a0, a1)
        EXECUTES(0x91a2b3c4d5e6f7d, sh3add a2, a0, a1)
        EXECUTES(0x113579be3, sh1add.uw a2, a0, a1)
        EXECUTES(0x226af37c1, sh2add.uw a2, a0, a1)
        EXECUTES(0x44d5e6f7d, sh3add.uw a2, a0, a1)
        EXECUTES(0x113579bde0, slli.uw a2, a0, 5)
        EXECUTES(0x8000000000000000, slli.uw a2, a0, 63)

        /* Zbb (off): illegal */
        ILLEGAL(0x40b57633, andn a2, a0, a1)
        ILLEGAL(0x40b56633, orn a2, a0, a1)
        ILLEGAL(0x40b54633, xnor a2, a0, a1)
        ILLEGAL(0x60051613, clz a2, a0)
        ILLEGAL(0x6005161b, clzw a2, a0)
        ILLEGAL(0x60151613, ctz a2, a0)
        ILLEGAL(0x6015161b, ctzw a2, a0)
        ILLEGAL(0x60251613, cpop a2, a0)
        ILLEGAL(0x6025161b, cpopw a2, a0)
        ILLEGAL(0x0ab56633, max a2, a0, a1)
        ILLEGAL(0x0ab57633, maxu a2, a0, a1)
        ILLEGAL(0x0ab54633, min a2, a0, a1)
        ILLEGAL(0x0ab55633, minu a2, a0, a1)
        ILLEGAL(0x60451613, sext.b a2, a0)
        ILLEGAL(0x60551613, sext.h a2, a0)
        ILLEGAL(0x0805463b, zext.h a2, a0)
        ILLEGAL(0x60b51633, rol a2, a0, a1)
        ILLEGAL(0x60b5163b, rolw a2, a0, a1)
        ILLEGAL(0x60b55633, ror a2, a0, a1)
        ILLEGAL(0x60b5563b, rorw a2, a0, a1)
        ILLEGAL(0x60555613, rori a2, a0, 5)
        ILLEGAL(0x63f55613, rori a2, a0, 63)
        ILLEGAL(0x6055561b, roriw a2, a0, 5)
        ILLEGAL(0x28755613, orc.b a2, a0)
        ILLEGAL(0x6b855613, rev8 a2, a0)

        /* Zbc (on): executes */
        EXECUTES(0x5ae50f9af04fa53, clmul a2, a0, a1)
        EXECUTES(0, clmulh a2, a0, a1)
        EXECUTES(0, clmulr a2, a0, a1)

        /* Zbs (off): illegal */
        ILLEGAL(0x48b51633, bclr a2, a0, a1)
        ILLEGAL(0x4bf51613, bclri a2, a0, 63)
        ILLEGAL(0x48b55633, bext a2, a0, a1)
        ILLEGAL(0x4bf55613, bexti a2, a0, 63)
        ILLEGAL(0x68b51633, binv a2, a0, a1)
        ILLEGAL(0x6bf51613, binvi a2, a0, 63)
        ILLEGAL(0x28b51633, bset a2, a0, a1)
        ILLEGAL(0x2bf51613, bseti a2, a0, 63)
        TEST_PASS
