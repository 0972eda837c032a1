/* fp_cvt.S: conversions (unpriv spec 11.7, 12.5): integer limits with
 * saturation and the invalid flag (table 11.4), rounding of halves in each
 * mode, W forms' 32-bit sources and sign-extended results, and the two
 * float formats into each other (overflow, underflow, NaNs). */
#include "common.h"
#include "fp.h"

#define D_2P31_M_HALF  0x41dfffffffe00000  /* 2147483647.5 */
#define D_M2P31_M_HALF 0xc1e0000000100000  /* -2147483648.5 */
#define D_2P32_M1      0x41efffffffe00000  /* 4294967295 */
#define D_2P63         0x43e0000000000000
#define D_M2P63        0xc3e0000000000000
#define D_2P64         0x43f0000000000000
#define D_M0_9         0xbfeccccccccccccd
#define D_2_5          0x4004000000000000
#define D_M2_5         0xc004000000000000

TEST_BEGIN
        FP_ON

        /* to 32-bit signed: 2147483647.5 rounds to 2^31 (even) and is out
         * of range; toward zero it fits */
        TO_INT(fcvt.w.d, D_2P31_M_HALF, rne, 0x7fffffff, NV)
        TO_INT(fcvt.w.d, D_2P31_M_HALF, rtz, 0x7fffffff, NX)
        TO_INT(fcvt.w.d, D_2P31_M_HALF, rdn, 0x7fffffff, NX)
        TO_INT(fcvt.w.d, D_2P31_M_HALF, rup, 0x7fffffff, NV)
        TO_INT(fcvt.w.d, D_M2P31_M_HALF, rne, 0xffffffff80000000, NX)
        TO_INT(fcvt.w.d, D_M2P31_M_HALF, rdn, 0xffffffff80000000, NV)
        TO_INT(fcvt.w.d, D_M2P31_M_HALF, rmm, 0xffffffff80000000, NV)
        TO_INT(fcvt.w.d, D_CNAN, rne, 0x7fffffff, NV)
        TO_INT(fcvt.w.d, D_MINF, rne, 0xffffffff80000000, NV)
        TO_INT(fcvt.w.d, D_INF, rne, 0x7fffffff, NV)
        TO_INT(fcvt.w.s, 0xffffffffcf000000, rne, 0xffffffff80000000, 0)
        TO_INT(fcvt.w.s, 0xffffffff4f000000, rne, 0x7fffffff, NV)
        /* to 32-bit unsigned: results sign-extended from bit 31 */
        TO_INT(fcvt.wu.d, D_2P32_M1, rne, 0xffffffffffffffff, 0)
        TO_INT(fcvt.wu.d, 0x41f0000000000000, rne, 0xffffffffffffffff, NV)
        TO_INT(fcvt.wu.d, D_M0_9, rtz, 0, NX)
        TO_INT(fcvt.wu.d, D_M0_9, rne, 0, NV)
        TO_INT(fcvt.wu.d, D_CNAN, rne, 0xffffffffffffffff, NV)
        TO_INT(fcvt.wu.d, D_MINF, rne, 0, NV)
        TO_INT(fcvt.wu.d, 0x41e0000000000000, rne, 0xffffffff80000000, 0)
        /* 64-bit */
        TO_INT(fcvt.l.d, D_M2P63, rne, 0x8000000000000000, 0)
        TO_INT(fcvt.l.d, D_2P63, rne, 0x7fffffffffffffff, NV)
        TO_INT(fcvt.l.d, D_CNAN, rne, 0x7fffffffffffffff, NV)
        TO_INT(fcvt.l.d, D_SNAN, rne, 0x7fffffffffffffff, NV)
        TO_INT(fcvt.lu.d, D_2P64, rne, 0xffffffffffffffff, NV)
        TO_INT(fcvt.lu.d, 0x43efffffffffffff, rne, 0xfffffffffffff800, 0)
        TO_INT(fcvt.lu.d, D_MINF, rne, 0, NV)
        TO_INT(fcvt.lu.d, D_MZERO, rne, 0, 0)
        TO_INT(fcvt.l.s, 0xffffffffdf000000, rne, 0x8000000000000000, 0)
        TO_INT(fcvt.lu.s, 0xffffffff5f800000, rne, 0xffffffffffffffff, NV)
        /* halves in every mode */
        TO_INT(fcvt.l.d, D_2_5, rne, 2, NX)
        TO_INT(fcvt.l.d, D_2_5, rtz, 2, NX)
        TO_INT(fcvt.l.d, D_2_5, rdn, 2, NX)
        TO_INT(fcvt.l.d, D_2_5, rup, 3, NX)
        TO_INT(fcvt.l.d, D_2_5, rmm, 3, NX)
        TO_INT(fcvt.l.d, D_M2_5, rne, -2, NX)
        TO_INT(fcvt.l.d, D_M2_5, rtz, -2, NX)
        TO_INT(fcvt.l.d, D_M2_5, rdn, -3, NX)
        TO_INT(fcvt.l.d, D_M2_5, rup, -2, NX)
        TO_INT(fcvt.l.d, D_M2_5, rmm, -3, NX)
        TO_INT(fcvt.l.d, 0x3fe0000000000000, rne, 0, NX)
        TO_INT(fcvt.l.d, 0x3fe0000000000000, rmm, 1, NX)
        TO_INT(fcvt.l.d, 0x0000000000000001, rup, 1, NX)
        TO_INT(fcvt.w.s, 0xffffffff3fc00000, rne, 2, NX)

        /* from integers: W forms read the low 32 bits only */
        li a2, 0x12345678ffffffff
        fcvt.d.w ft2, a2
        FCHECK(ft2, D_MONE, 0, "fcvt.d.w of the low half")
        fcvt.d.wu ft2, a2
        FCHECK(ft2, D_2P32_M1, 0, "fcvt.d.wu of the low half")
        FROM_INT(fcvt.d.l, 0x20000000000001, rne, 0x4340000000000000, NX)
        FROM_INT(fcvt.d.l, 0x20000000000001, rup, 0x4340000000000001, NX)
        FROM_INT(fcvt.d.l, 0x20000000000003, rne, 0x4340000000000002, NX)
        FROM_INT(fcvt.d.l, 0x8000000000000000, rne, D_M2P63, 0)
        FROM_INT(fcvt.d.lu, 0xffffffffffffffff, rne, D_2P64, NX)
        FROM_INT(fcvt.d.lu, 0xffffffffffffffff, rtz, 0x43efffffffffffff, NX)
        FROM_INT(fcvt.s.l, 0x7fffffffffffffff, rne, 0xffffffff5f000000, NX)
        FROM_INT(fcvt.s.l, 0x7fffffffffffffff, rtz, 0xffffffff5effffff, NX)
        FROM_INT(fcvt.s.lu, 0xffffffffffffffff, rtz, 0xffffffff5f7fffff, NX)
        FROM_INT(fcvt.s.w, 0x1000001, rne, 0xffffffff4b800000, NX)
        FROM_INT(fcvt.s.w, 0x1000001, rmm, 0xffffffff4b800001, NX)
        FROM_INT(fcvt.s.wu, 0xffffffff, rne, 0xffffffff4f800000, NX)
        FROM_INT(fcvt.s.l, 0, rne, 0xffffffff00000000, 0)
        FROM_INT(fcvt.d.l, -0x7, rdn, 0xc01c000000000000, 0)

        /* double to single: ties, overflow, underflow, NaNs */
        OP1(fcvt.s.d, 0x3ff0000010000000, rne, S_ONE, NX)
        OP1(fcvt.s.d, 0x3ff0000010000000, rmm, 0xffffffff3f800001, NX)
        OP1(fcvt.s.d, D_MAX, rne, 0xffffffff7f800000, OF | NX)
        OP1(fcvt.s.d, D_MAX, rtz, 0xffffffff7f7fffff, OF | NX)
        OP1(fcvt.s.d, D_MINF, rne, 0xffffffffff800000, 0)
        OP1(fcvt.s.d, 0x3690000000000000, rne, 0xffffffff00000000, UF | NX)
        OP1(fcvt.s.d, 0x3690000000000000, rup, 0xffffffff00000001, UF | NX)
        OP1(fcvt.s.d, 0x36a0000000000000, rne, 0xffffffff00000001, 0)
        OP1(fcvt.s.d, D_SNAN, rne, S_CNAN, NV)
        OP1(fcvt.s.d, D_QNAN, rne, S_CNAN, 0)
        OP1(fcvt.s.d, D_MZERO, rne, 0xffffffff80000000, 0)
        /* single to double is exact */
        FSET(ft0, 0xffffffff00000001)
        fcvt.d.s ft2, ft0
        FCHECK(ft2, 0x36a0000000000000, 0, "fcvt.d.s smallest subnormal")
        FSET(ft0, 0xffffffff7f800001)
        fcvt.d.s ft2, ft0
        FCHECK(ft2, D_CNAN, NV, "fcvt.d.s sNaN")
        FSET(ft0, 0x000000003f800000)
        fcvt.d.s ft2, ft0
        FCHECK(ft2, D_CNAN, 0, "fcvt.d.s of an unboxed value")
        FSET(ft0, 0xffffffffff800000)
        fcvt.d.s ft2, ft0
        FCHECK(ft2, D_MINF, 0, "fcvt.d.s -inf")
        TEST_PASS
