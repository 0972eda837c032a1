/* rv32fd.S: F and D on RV32: moves of binary32 through 32-bit registers,
 * doubles only through memory, conversions to and from 32-bit integers
 * (saturating at the 32-bit limits), compares writing 32-bit results. */
#include "common.h"
#include "fp.h"

TEST_BEGIN
        FP_ON
        li a0, 0x40490fdb               /* pi as binary32 */
        fmv.w.x fa0, a0
        fmv.x.w a1, fa0
        CHECK(0x40490fdb, a1, "fmv.w.x/fmv.x.w")
        li a0, 0xbf800000               /* -1.0: sign-extended into the register */
        fmv.w.x fa1, a0
        fmv.x.w a1, fa1
        CHECK(0xbf800000, a1, "fmv.x.w negative")
        fadd.s fa2, fa1, fa1
        fmv.x.w a1, fa2
        CHECK(0xc0000000, a1, "fadd.s")
        fcvt.w.s a1, fa2
        CHECK(-2, a1, "fcvt.w.s")
        fcvt.wu.s a1, fa2
        CHECK(0, a1, "fcvt.wu.s clamps at 0")
        li a0, 0x4f800000               /* 2^32 */
        fmv.w.x fa3, a0
        fcvt.wu.s a1, fa3
        CHECK(0xffffffff, a1, "fcvt.wu.s saturates")
        fcvt.w.s a1, fa3
        CHECK(0x7fffffff, a1, "fcvt.w.s saturates")
        fsflags zero
        li a0, 0x80000000
        fcvt.s.wu fa4, a0
        fmv.x.w a1, fa4
        CHECK(0x4f000000, a1, "fcvt.s.wu 2^31")
        fcvt.s.w fa4, a0
        fmv.x.w a1, fa4
        CHECK(0xcf000000, a1, "fcvt.s.w -2^31")

        /* doubles through memory */
        la t1, dbl
        fld fa0, 0(t1)                  /* 1.5 */
        fadd.d fa1, fa0, fa0
        fsd fa1, 8(t1)
        lw a0, 8(t1)
        lw a1, 12(t1)
        CHECK(0, a0, "fadd.d low")
        CHECK(0x40080000, a1, "fadd.d high")
        fcvt.w.d a1, fa1
        CHECK(3, a1, "fcvt.w.d")
        li a0, -7
        fcvt.d.w fa2, a0
        fcvt.w.d a1, fa2
        CHECK(-7, a1, "fcvt.d.w")
        li a0, 0xffffffff
        fcvt.d.wu fa2, a0
        fcvt.wu.d a1, fa2
        CHECK(0xffffffff, a1, "fcvt.d.wu/fcvt.wu.d")
        flt.d a1, fa0, fa1
        CHECK(1, a1, "flt.d")
        feq.s a1, fa3, fa3
        CHECK(1, a1, "feq.s")
        fclass.d a1, fa1
        CHECK(0x40, a1, "fclass.d")
        TEST_PASS

        .data
        .align 3
dbl:    .dword 0x3ff8000000000000, 0
