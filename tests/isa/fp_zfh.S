/* fp_zfh.S: Zfh half precision: arithmetic with its flags (overflow, divide
 * by zero, invalid, tininess), NaN boxing of binary16 (bits 63:16 all ones;
 * anything else reads as the canonical NaN 0x7e00), conversions to and from
 * single, double and integers, moves, classification, comparisons, loads
 * and stores. Values are raw bits (H_* boxed). */
#include "common.h"
#include "fp.h"

#define H(bits)   (0xffffffffffff0000 | (bits))
#define H_ONE     H(0x3c00)
#define H_MONE    H(0xbc00)
#define H_TWO     H(0x4000)
#define H_THREE   H(0x4200)
#define H_HALF    H(0x3800)
#define H_MAX     H(0x7bff)
#define H_INF     H(0x7c00)
#define H_CNAN    H(0x7e00)
#define H_SNAN    H(0x7c01)
#define H_MZERO   H(0x8000)
#define H_TINY    H(0x0001)

/* a conversion that is exact: no rounding mode operand */
#define WIDEN(insn, a, expected, flags)                 \
        FSET(ft0, a);                                   \
        insn ft2, ft0;                                  \
        FCHECK(ft2, expected, flags, #insn " " #a)

TEST_BEGIN
        .option arch, +zfh
        FP_ON

        OP2(fadd.h, H_ONE, H_TWO, rne, H_THREE, 0)
        OP2(fadd.h, H_MAX, H_MAX, rne, H_INF, OF | NX)
        OP2(fadd.h, H_MAX, H_MAX, rtz, H_MAX, OF | NX)
        OP2(fdiv.h, H_ONE, H(0), rne, H_INF, DZ)
        OP1(fsqrt.h, H_MONE, rne, H_CNAN, NV)
        /* 2^-25 lies halfway between 0 and 2^-24: even is 0; tiny, inexact */
        OP2(fmul.h, H_TINY, H_HALF, rne, H(0), UF | NX)
        OP2(fmul.h, H_TINY, H_HALF, rup, H_TINY, UF | NX)
        /* an operand not boxed as binary16 is the canonical NaN; a boxed
         * binary32 is not a boxed binary16 */
        OP2(fadd.h, 0x0000000000003c00, H_ONE, rne, H_CNAN, 0)
        OP2(fadd.h, 0xffffffff00003c00, H_ONE, rne, H_CNAN, 0)
        OP2(fsub.h, H_SNAN, H_ONE, rne, H_CNAN, NV)
        OP3(fmadd.h, H_ONE, H_TWO, H_THREE, rne, H(0x4500), 0)
        OP3(fnmsub.h, H_ONE, H_TWO, H_THREE, rne, H_ONE, 0)

        /* conversions between formats: widening is exact */
        WIDEN(fcvt.s.h, H_ONE, S_ONE, 0)
        WIDEN(fcvt.d.h, H_MAX, 0x40effc0000000000, 0)
        WIDEN(fcvt.d.h, H_SNAN, D_CNAN, NV)
        OP1(fcvt.h.s, S_ONE, rne, H_ONE, 0)
        OP1(fcvt.h.d, 0x412e848000000000, rne, H_INF, OF | NX)
        OP1(fcvt.h.d, 0x412e848000000000, rtz, H_MAX, OF | NX)

        /* and integers */
        FSET(ft0, H_THREE)
        fcvt.w.h a2, ft0, rtz
        XCHECK(a2, 3, 0, "fcvt.w.h 3")
        FSET(ft0, H_CNAN)
        fcvt.w.h a2, ft0, rtz
        XCHECK(a2, 0x7fffffff, NV, "fcvt.w.h NaN")
        FSET(ft0, H_MONE)
        fcvt.lu.h a2, ft0, rtz
        XCHECK(a2, 0, NV, "fcvt.lu.h -1")
        li a3, -1
        fcvt.h.w ft2, a3, rne
        FCHECK(ft2, H_MONE, 0, "fcvt.h.w -1")
        li a3, 2049
        fcvt.h.wu ft2, a3, rne
        FCHECK(ft2, H(0x6800), NX, "fcvt.h.wu 2049")
        li a3, 100000
        fcvt.h.l ft2, a3, rne
        FCHECK(ft2, H_INF, OF | NX, "fcvt.h.l 100000")

        /* moves: fmv.x.h sign-extends the raw low 16 bits, boxed or not */
        FSET(ft0, H_MONE)
        fmv.x.h a2, ft0
        XCHECK(a2, 0xffffffffffffbc00, 0, "fmv.x.h -1")
        FSET(ft0, 0x0000000000003c00)
        fmv.x.h a2, ft0
        XCHECK(a2, 0x3c00, 0, "fmv.x.h unboxed")
        li a3, 0x123456789abc3c00
        fmv.h.x ft2, a3
        FCHECK(ft2, H_ONE, 0, "fmv.h.x boxes")

        /* classification and comparisons */
        FSET(ft0, H_INF)
        fclass.h a2, ft0
        XCHECK(a2, 1 << 7, 0, "fclass.h +inf")
        FSET(ft0, H_MZERO)
        fclass.h a2, ft0
        XCHECK(a2, 1 << 3, 0, "fclass.h -0")
        FSET(ft0, H_TINY)
        fclass.h a2, ft0
        XCHECK(a2, 1 << 5, 0, "fclass.h subnormal")
        FSET(ft0, H_SNAN)
        fclass.h a2, ft0
        XCHECK(a2, 1 << 8, 0, "fclass.h sNaN")
        FSET(ft0, 0x3c00)
        fclass.h a2, ft0
        XCHECK(a2, 1 << 9, 0, "fclass.h unboxed (qNaN)")
        FSET(ft0, H_ONE)
        FSET(ft1, H_ONE)
        feq.h a2, ft0, ft1
        XCHECK(a2, 1, 0, "feq.h 1 1")
        FSET(ft1, H_CNAN)
        flt.h a2, ft0, ft1
        XCHECK(a2, 0, NV, "flt.h 1 qNaN")
        feq.h a2, ft0, ft1
        XCHECK(a2, 0, 0, "feq.h 1 qNaN")
        FSET(ft0, H_MZERO)
        FSET(ft1, H(0))
        fle.h a2, ft0, ft1
        XCHECK(a2, 1, 0, "fle.h -0 +0")
        fmin.h ft2, ft1, ft0
        FCHECK(ft2, H_MZERO, 0, "fmin.h +0 -0")
        FSET(ft0, H_CNAN)
        FSET(ft1, H_ONE)
        fmax.h ft2, ft0, ft1
        FCHECK(ft2, H_ONE, 0, "fmax.h NaN 1")
        FSET(ft0, H_ONE)
        fsgnjn.h ft2, ft0, ft0
        FCHECK(ft2, H_MONE, 0, "fneg.h 1")

        /* loads box, stores write the raw low 16 bits */
        la a3, half
        flh ft2, 2(a3)
        FCHECK(ft2, H_THREE, 0, "flh")
        FSET(ft0, 0x0000000000004000)
        fsh ft0, 0(a3)
        lhu a2, 0(a3)
        CHECK(0x4000, a2, "fsh stores the raw bits")
        TEST_PASS

        .data
        .balign 8
half:
        .half 0x3c00, 0x4200
