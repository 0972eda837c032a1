/* zb_rows.h: each Zba, Zbb, Zbc and Zbs instruction once, with its
 * encoding (rd = a2, rs1 = a0, rs2 = a1) and its result for a0 =
 * 0x0123456789abcdef, a1 = 5, for the tests that turn extensions off
 * (ext_disabled.S, zba_zbc_off.S, zbb_zbs_off.S): ROWS(X) calls
 * X(bits, result, instruction) for every instruction of the extension. */
#ifndef EMBER_ISA_ZB_ROWS_H
#define EMBER_ISA_ZB_ROWS_H

/* ILLEGAL(bits, instruction): the instruction traps as illegal with mtval
 * == bits, and a2 keeps its value */
#define ILLEGAL(bits, ...)                      \
        li a0, 0x0123456789abcdef;              \
        li a1, 5;                               \
        li a2, 0x5a5a;                          \
        EXPECT_TRAP(1f);                        \
2:      __VA_ARGS__;                            \
        FAIL(#__VA_ARGS__ " did not trap");     \
1:      CHECK_TRAP(CAUSE_ILLEGAL, 2b, bits, #__VA_ARGS__); \
        CHECK(0x5a5a, a2, #__VA_ARGS__ ": rd kept")

/* EXECUTES(result, instruction): the instruction writes result to a2 */
#define EXECUTES(result, ...)                   \
        li a0, 0x0123456789abcdef;              \
        li a1, 5;                               \
        __VA_ARGS__;                            \
        CHECK(result, a2, #__VA_ARGS__)

/* As rows of ROWS(X) */
#define ILLEGAL_ROW(bits, result, ...) ILLEGAL(bits, __VA_ARGS__);
#define EXECUTES_ROW(bits, result, ...) EXECUTES(result, __VA_ARGS__);

#define ZBA_ROWS(X)                                                                       \
        X(0x08b5063b, 0x89abcdf4, add.uw a2, a0, a1)                                      \
        X(0x20b52633, 0x2468acf13579be3, sh1add a2, a0, a1)                               \
        X(0x20b54633, 0x48d159e26af37c1, sh2add a2, a0, a1)                               \
        X(0x20b56633, 0x91a2b3c4d5e6f7d, sh3add a2, a0, a1)                               \
        X(0x20b5263b, 0x113579be3, sh1add.uw a2, a0, a1)                                  \
        X(0x20b5463b, 0x226af37c1, sh2add.uw a2, a0, a1)                                  \
        X(0x20b5663b, 0x44d5e6f7d, sh3add.uw a2, a0, a1)                                  \
        X(0x0855161b, 0x113579bde0, slli.uw a2, a0, 5)                                    \
        X(0x0bf5161b, 0x8000000000000000, slli.uw a2, a0, 63)

#define ZBB_ROWS(X)                                                                       \
        X(0x40b57633, 0x123456789abcdea, andn a2, a0, a1)                                 \
        X(0x40b56633, 0xffffffffffffffff, orn a2, a0, a1)                                 \
        X(0x40b54633, 0xfedcba9876543215, xnor a2, a0, a1)                                \
        X(0x60051613, 7, clz a2, a0)                                                      \
        X(0x6005161b, 0, clzw a2, a0)                                                     \
        X(0x60151613, 0, ctz a2, a0)                                                      \
        X(0x6015161b, 0, ctzw a2, a0)                                                     \
        X(0x60251613, 32, cpop a2, a0)                                                    \
        X(0x6025161b, 20, cpopw a2, a0)                                                   \
        X(0x0ab56633, 0x123456789abcdef, max a2, a0, a1)                                  \
        X(0x0ab57633, 0x123456789abcdef, maxu a2, a0, a1)                                 \
        X(0x0ab54633, 5, min a2, a0, a1)                                                  \
        X(0x0ab55633, 5, minu a2, a0, a1)                                                 \
        X(0x60451613, 0xffffffffffffffef, sext.b a2, a0)                                  \
        X(0x60551613, 0xffffffffffffcdef, sext.h a2, a0)                                  \
        X(0x0805463b, 0xcdef, zext.h a2, a0)                                              \
        X(0x60b51633, 0x2468acf13579bde0, rol a2, a0, a1)                                 \
        X(0x60b5163b, 0x3579bdf1, rolw a2, a0, a1)                                        \
        X(0x60b55633, 0x78091a2b3c4d5e6f, ror a2, a0, a1)                                 \
        X(0x60b5563b, 0x7c4d5e6f, rorw a2, a0, a1)                                        \
        X(0x60555613, 0x78091a2b3c4d5e6f, rori a2, a0, 5)                                 \
        X(0x63f55613, 0x2468acf13579bde, rori a2, a0, 63)                                 \
        X(0x6055561b, 0x7c4d5e6f, roriw a2, a0, 5)                                        \
        X(0x28755613, 0xffffffffffffffff, orc.b a2, a0)                                   \
        X(0x6b855613, 0xefcdab8967452301, rev8 a2, a0)

#define ZBC_ROWS(X)                                                                       \
        X(0x0ab51633, 0x5ae50f9af04fa53, clmul a2, a0, a1)                                \
        X(0x0ab53633, 0, clmulh a2, a0, a1)                                               \
        X(0x0ab52633, 0, clmulr a2, a0, a1)

#define ZBS_ROWS(X)                                                                       \
        X(0x48b51633, 0x123456789abcdcf, bclr a2, a0, a1)                                 \
        X(0x4bf51613, 0x123456789abcdef, bclri a2, a0, 63)                                \
        X(0x48b55633, 1, bext a2, a0, a1)                                                 \
        X(0x4bf55613, 0, bexti a2, a0, 63)                                                \
        X(0x68b51633, 0x123456789abcdcf, binv a2, a0, a1)                                 \
        X(0x6bf51613, 0x8123456789abcdef, binvi a2, a0, 63)                               \
        X(0x28b51633, 0x123456789abcdef, bset a2, a0, a1)                                 \
        X(0x2bf51613, 0x8123456789abcdef, bseti a2, a0, 63)

#endif
