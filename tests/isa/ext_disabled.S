/* ext_disabled.S: with Zba, Zbb, Zbc and Zbs turned off (-cpu rv64,zba=off,
 * zbb=off,zbc=off,zbs=off,Zihintpause=off) and Zicond, Zicbom and Zicboz
 * off as by default, every instruction of those extensions is an illegal
 * instruction: cause 2, mepc at it, mtval = its bits, rd not written. The
 * hints of Zihintpause, Zihintntl and Zicbop still execute (as the FENCE,
 * ADD and ORI they are encoded in). */
#include "common.h"

/* binutils 2.40 does not know Zicond: czero.eqz a2, a0, a1 and czero.nez
 * a2, a0, a1 by their encodings (OP, funct7 0000111, funct3 101 and 111) */
#define CZERO_EQZ_A2_A0_A1  .insn r OP, 5, 7, a2, a0, a1
#define CZERO_NEZ_A2_A0_A1  .insn r OP, 7, 7, a2, a0, a1

/* ILLEGAL(bits, instruction): the instruction (with rd = a2) traps as
 * illegal with mtval == bits, and a2 keeps its value */
#define ILLEGAL(bits, ...)                      \
        li a0, 0x80000000;                      \
        li a1, 3;                               \
        li a2, 0x5a5a;                          \
        EXPECT_TRAP(1f);                        \
2:      __VA_ARGS__;                            \
        FAIL(#__VA_ARGS__ " did not trap");     \
1:      CHECK_TRAP(CAUSE_ILLEGAL, 2b, bits, #__VA_ARGS__); \
        CHECK(0x5a5a, a2, #__VA_ARGS__ ": rd kept")

TEST_BEGIN
        .option arch, +zba, +zbb, +zbc, +zbs, +zicbom, +zicboz, +zicbop, +zihintpause

        /* Zba */
        ILLEGAL(0x08b5063b, add.uw a2, a0, a1)
        ILLEGAL(0x20b52633, sh1add a2, a0, a1)
        ILLEGAL(0x20b54633, sh2add a2, a0, a1)
        ILLEGAL(0x20b56633, sh3add a2, a0, a1)
        ILLEGAL(0x20b5263b, sh1add.uw a2, a0, a1)
        ILLEGAL(0x20b5463b, sh2add.uw a2, a0, a1)
        ILLEGAL(0x20b5663b, sh3add.uw a2, a0, a1)
        ILLEGAL(0x0855161b, slli.uw a2, a0, 5)
        ILLEGAL(0x0bf5161b, slli.uw a2, a0, 63)

        /* Zbb */
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

        /* Zbc */
        ILLEGAL(0x0ab51633, clmul a2, a0, a1)
        ILLEGAL(0x0ab53633, clmulh a2, a0, a1)
        ILLEGAL(0x0ab52633, clmulr a2, a0, a1)

        /* Zbs */
        ILLEGAL(0x48b51633, bclr a2, a0, a1)
        ILLEGAL(0x4bf51613, bclri a2, a0, 63)
        ILLEGAL(0x48b55633, bext a2, a0, a1)
        ILLEGAL(0x4bf55613, bexti a2, a0, 63)
        ILLEGAL(0x68b51633, binv a2, a0, a1)
        ILLEGAL(0x6bf51613, binvi a2, a0, 63)
        ILLEGAL(0x28b51633, bset a2, a0, a1)
        ILLEGAL(0x2bf51613, bseti a2, a0, 63)

        /* Zicbom (off by default) */
        ILLEGAL(0x0015200f, cbo.clean (a0))
        ILLEGAL(0x0025200f, cbo.flush (a0))
        ILLEGAL(0x0005200f, cbo.inval (a0))

        /* Zicboz (off by default) */
        ILLEGAL(0x0045200f, cbo.zero (a0))

        /* Zicond (off by default) */
        ILLEGAL(0x0eb55633, CZERO_EQZ_A2_A0_A1)
        ILLEGAL(0x0eb57633, CZERO_NEZ_A2_A0_A1)

        /* the same below M */
        ENTER_S
        ILLEGAL(0x20b52633, sh1add a2, a0, a1)
        ENTER_S
        ILLEGAL(0x6b855613, rev8 a2, a0)
        ENTER_U
        ILLEGAL(0x0ab51633, clmul a2, a0, a1)
        ENTER_U
        ILLEGAL(0x28b51633, bset a2, a0, a1)
        ENTER_U
        ILLEGAL(0x0045200f, cbo.zero (a0))

        /* hints need no extension: PAUSE is a FENCE, the NTL hints are ADDs
         * with rd = x0 and prefetch.i/r/w are ORIs with rd = x0 */
        la a0, scratch
        li a1, 0x5a5a
        pause
        .4byte 0x00200033               /* ntl.p1: add x0, x0, x2 */
        .4byte 0x00500033               /* ntl.all: add x0, x0, x5 */
        .2byte 0x900a                   /* c.ntl.p1: c.add x0, x2 */
        .2byte 0x9016                   /* c.ntl.all: c.add x0, x5 */
        prefetch.i 0(a0)
        prefetch.r 32(a0)
        prefetch.w -32(a0)
        CHECK(0, zero, "hints: x0")
        CHECK(0x5a5a, a1, "hints: a1")
        CHECK_ADDR(scratch, a0, "hints: a0")
        TEST_PASS

        .data
        .balign 64
scratch:
        .zero 64
