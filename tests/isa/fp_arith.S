/* fp_arith.S: F/D arithmetic at the edges: overflow per rounding mode,
 * underflow with tininess after rounding, subnormals, signed zeros,
 * divide by zero, invalid operations, canonical NaNs, exact fused
 * multiply-add, RMM ties and dynamic rounding (unpriv spec 11, 12). */
#include "common.h"
#include "fp.h"

TEST_BEGIN
        FP_ON

        /* overflow: MAX * 2 in each mode (OF and NX) */
        OP2(fmul.d, D_MAX, D_TWO, rne, D_INF, OF | NX)
        OP2(fmul.d, D_MAX, D_TWO, rtz, D_MAX, OF | NX)
        OP2(fmul.d, D_MAX, D_TWO, rdn, D_MAX, OF | NX)
        OP2(fmul.d, D_MAX, D_TWO, rup, D_INF, OF | NX)
        OP2(fmul.d, D_MAX, D_TWO, rmm, D_INF, OF | NX)
        OP2(fmul.d, D_MMAX, D_TWO, rdn, D_MINF, OF | NX)
        OP2(fmul.d, D_MMAX, D_TWO, rup, D_MMAX, OF | NX)
        OP2(fmul.d, D_MMAX, D_TWO, rtz, D_MMAX, OF | NX)
        OP2(fadd.s, 0xffffffff7f7fffff, 0xffffffff7f7fffff, rne, 0xffffffff7f800000, OF | NX)
        OP2(fadd.s, 0xffffffff7f7fffff, 0xffffffff7f7fffff, rtz, 0xffffffff7f7fffff, OF | NX)

        /* (1 - 2^-52) * 2^-1022 (1 + 2^-52) = 2^-1022 (1 - 2^-104): rounds
         * to the smallest normal, so after rounding it is not tiny: NX
         * only. Toward zero it stays subnormal: UF and NX. */
        OP2(fmul.d, 0x3feffffffffffffe, 0x0010000000000001, rne, D_MINNORM, NX)
        OP2(fmul.d, 0x3feffffffffffffe, 0x0010000000000001, rtz, 0x000fffffffffffff, UF | NX)
        /* half the smallest subnormal: a tie between 0 and 2^-1074 */
        OP2(fmul.d, 0x0000000000000001, 0x3fe0000000000000, rne, 0, UF | NX)
        OP2(fmul.d, 0x0000000000000001, 0x3fe0000000000000, rmm, 1, UF | NX)
        OP2(fmul.d, 0x0000000000000001, 0x3fe0000000000000, rup, 1, UF | NX)
        OP2(fmul.d, 0x8000000000000001, 0x3fe0000000000000, rdn, 0x8000000000000001, UF | NX)
        /* exact subnormal results raise nothing */
        OP2(fmul.d, 0x0000000000000001, D_ONE, rne, 1, 0)
        OP2(fsub.d, D_MINNORM, 0x0000000000000001, rne, 0x000fffffffffffff, 0)
        OP2(fmul.s, 0xffffffff00000003, 0xffffffff3f000000, rne, 0xffffffff00000002, UF | NX)

        /* signed zeros (IEEE 754 6.3) */
        OP2(fadd.d, 0, D_MZERO, rne, 0, 0)
        OP2(fadd.d, 0, D_MZERO, rdn, D_MZERO, 0)
        OP2(fadd.d, D_MZERO, D_MZERO, rne, D_MZERO, 0)
        OP2(fsub.d, D_ONE, D_ONE, rne, 0, 0)
        OP2(fsub.d, D_ONE, D_ONE, rdn, D_MZERO, 0)
        OP2(fmul.d, D_MZERO, D_ONE, rne, D_MZERO, 0)
        OP1(fsqrt.d, D_MZERO, rne, D_MZERO, 0)

        /* division by zero, invalid operations, canonical NaNs */
        OP2(fdiv.d, D_ONE, 0, rne, D_INF, DZ)
        OP2(fdiv.d, D_MONE, 0, rne, D_MINF, DZ)
        OP2(fdiv.d, D_ONE, D_MZERO, rne, D_MINF, DZ)
        OP2(fdiv.d, 0, 0, rne, D_CNAN, NV)
        OP2(fdiv.d, D_INF, D_INF, rne, D_CNAN, NV)
        OP2(fdiv.s, 0xffffffff3f800000, 0xffffffff00000000, rne, 0xffffffff7f800000, DZ)
        OP2(fsub.d, D_INF, D_INF, rne, D_CNAN, NV)
        OP2(fadd.d, D_INF, D_MINF, rne, D_CNAN, NV)
        OP2(fmul.d, D_INF, 0, rne, D_CNAN, NV)
        OP1(fsqrt.d, D_MONE, rne, D_CNAN, NV)
        OP1(fsqrt.d, D_MINF, rne, D_CNAN, NV)
        OP1(fsqrt.d, D_INF, rne, D_INF, 0)
        OP1(fsqrt.d, 0x4010000000000000, rne, D_TWO, 0)
        OP1(fsqrt.d, D_TWO, rne, 0x3ff6a09e667f3bcd, NX)
        OP1(fsqrt.d, D_TWO, rup, 0x3ff6a09e667f3bcd, NX)
        OP1(fsqrt.d, D_TWO, rtz, 0x3ff6a09e667f3bcc, NX)
        OP1(fsqrt.s, 0xffffffff40000000, rne, 0xffffffff3fb504f3, NX)
        /* a quiet NaN propagates quietly, as the canonical NaN */
        OP2(fadd.d, D_QNAN, D_ONE, rne, D_CNAN, 0)
        OP2(fmul.d, D_ONE, 0xfff8000000000000, rne, D_CNAN, 0)
        /* a signalling NaN is invalid */
        OP2(fadd.d, D_SNAN, D_ONE, rne, D_CNAN, NV)
        OP2(fdiv.d, D_ONE, D_SNAN, rne, D_CNAN, NV)
        OP2(fadd.s, 0xffffffff7f800001, 0xffffffff3f800000, rne, S_CNAN, NV)

        /* fused multiply-add: one rounding. x = 1 + 2^-52, p = round(x*x)
         * = 1 + 2^-51; fma(x, x, -p) is the exact error 2^-104. */
        OP3(fmadd.d, 0x3ff0000000000001, 0x3ff0000000000001, 0xbff0000000000002, rne, 0x3970000000000000, 0)
        OP3(fmsub.d, 0x3ff0000000000001, 0x3ff0000000000001, 0x3ff0000000000002, rne, 0x3970000000000000, 0)
        OP3(fnmsub.d, 0x3ff0000000000001, 0x3ff0000000000001, 0x3ff0000000000002, rne, 0xb970000000000000, 0)
        OP3(fnmadd.d, 0x3ff0000000000001, 0x3ff0000000000001, 0xbff0000000000002, rne, 0xb970000000000000, 0)
        /* 2 * 3 + 1 with each sign arrangement */
        OP3(fmadd.d, D_TWO, 0x4008000000000000, D_ONE, rne, 0x401c000000000000, 0)
        OP3(fmsub.d, D_TWO, 0x4008000000000000, D_ONE, rne, 0x4014000000000000, 0)
        OP3(fnmsub.d, D_TWO, 0x4008000000000000, D_ONE, rne, 0xc014000000000000, 0)
        OP3(fnmadd.d, D_TWO, 0x4008000000000000, D_ONE, rne, 0xc01c000000000000, 0)
        /* exact zero sums: +0, or -0 rounding down */
        OP3(fmadd.d, D_ONE, D_ONE, D_MONE, rne, 0, 0)
        OP3(fmadd.d, D_ONE, D_ONE, D_MONE, rdn, D_MZERO, 0)
        /* infinity times zero is invalid even with a quiet NaN addend */
        OP3(fmadd.d, D_INF, 0, D_QNAN, rne, D_CNAN, NV)
        OP3(fmadd.s, 0xffffffff00000000, 0xffffffff7f800000, S_CNAN, rne, S_CNAN, NV)
        OP3(fmadd.d, D_INF, D_ONE, D_MINF, rne, D_CNAN, NV)
        OP3(fmadd.d, D_ONE, D_ONE, D_QNAN, rne, D_CNAN, 0)
        OP3(fmadd.d, D_MAX, D_TWO, D_MMAX, rne, D_MAX, 0)
        OP3(fmadd.s, 0xffffffff3f800001, 0xffffffff3f800001, 0xffffffffbf800002, rne, 0xffffffff28800000, 0)

        /* RMM: ties away from zero. 1 + 2^-24 in single is a tie. */
        OP2(fadd.s, S_ONE, 0xffffffff33800000, rne, S_ONE, NX)
        OP2(fadd.s, S_ONE, 0xffffffff33800000, rmm, 0xffffffff3f800001, NX)
        OP2(fadd.s, 0xffffffffbf800000, 0xffffffffb3800000, rmm, 0xffffffffbf800001, NX)
        OP2(fadd.d, D_ONE, 0x3ca0000000000000, rmm, 0x3ff0000000000001, NX)
        OP2(fadd.d, D_ONE, 0x3ca0000000000000, rne, D_ONE, NX)
        OP2(fadd.d, 0x3ff0000000000001, 0x3ca0000000000000, rne, 0x3ff0000000000002, NX)

        /* dynamic rounding follows frm */
        li a0, 1
        fsrm a0
        OP2(fmul.d, D_MAX, D_TWO, dyn, D_MAX, OF | NX)
        li a0, 3
        fsrm a0
        OP1(fsqrt.d, D_TWO, dyn, 0x3ff6a09e667f3bcd, NX)
        li a0, 4
        fsrm a0
        OP2(fadd.s, S_ONE, 0xffffffff33800000, dyn, 0xffffffff3f800001, NX)
        fsrm zero

        /* flags accrue until cleared */
        FSET(ft0, D_ONE)
        FSET(ft1, 0)
        fdiv.d ft2, ft0, ft1
        FSET(ft1, 0x4008000000000000)
        fdiv.d ft2, ft0, ft1
        frflags a0
        CHECK(DZ | NX, a0, "flags accrue")
        fsflags zero
        TEST_PASS
