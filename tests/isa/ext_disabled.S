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

#include "zb_rows.h"

TEST_BEGIN
        .option arch, +zba, +zbb, +zbc, +zbs, +zicbom, +zicboz, +zicbop, +zihintpause

        /* Zba */
        ZBA_ROWS(ILLEGAL_ROW)

        /* Zbb */
        ZBB_ROWS(ILLEGAL_ROW)

        /* Zbc */
        ZBC_ROWS(ILLEGAL_ROW)

        /* Zbs */
        ZBS_ROWS(ILLEGAL_ROW)

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
