/* fp_misc.S: sign injection, min/max (version 2.2 rules), comparisons
 * (quiet feq, signalling flt/fle), fclass, moves, NaN boxing (unpriv spec
 * 12.2) and FP loads and stores, compressed forms included. */
#include "common.h"
#include "fp.h"

#define FSGNJ_CHECK(insn, a, b, expected)       \
        FSET(ft0, a);                           \
        FSET(ft1, b);                           \
        insn ft2, ft0, ft1;                     \
        FCHECK(ft2, expected, 0, #insn " " #a " " #b)

#define MINMAX(insn, a, b, expected, flags)     \
        FSET(ft0, a);                           \
        FSET(ft1, b);                           \
        insn ft2, ft0, ft1;                     \
        FCHECK(ft2, expected, flags, #insn " " #a " " #b)

#define CLASS(insn, a, expected)                \
        FSET(ft0, a);                           \
        insn a2, ft0;                           \
        XCHECK(a2, expected, 0, #insn " " #a)

TEST_BEGIN
        FP_ON

        FSGNJ_CHECK(fsgnj.d, D_ONE, D_MINF, D_MONE)
        FSGNJ_CHECK(fsgnjn.d, D_ONE, D_ONE, D_MONE)
        FSGNJ_CHECK(fsgnjx.d, D_MONE, D_MONE, D_ONE)
        FSGNJ_CHECK(fsgnjx.d, D_MONE, D_ONE, D_MONE)
        FSGNJ_CHECK(fsgnj.d, D_SNAN, D_MZERO, 0xfff0000000000001)
        FSGNJ_CHECK(fsgnj.s, 0xffffffff3f800000, 0xffffffff80000000, 0xffffffffbf800000)
        FSGNJ_CHECK(fsgnjn.s, 0xffffffffbf800000, 0xffffffffbf800000, 0xffffffff3f800000)
        /* an unboxed operand reads as the canonical NaN */
        FSGNJ_CHECK(fsgnj.s, 0x000000003f800000, 0xffffffffbf800000, 0xffffffffffc00000)
        FSGNJ_CHECK(fsgnjx.s, 0xffffffff3f800000, 0x00000000bf800000, 0xffffffff3f800000)

        /* min/max: -0 < +0; one NaN yields the other operand; sNaN is
         * invalid; two NaNs give the canonical NaN */
        MINMAX(fmin.d, 0, D_MZERO, D_MZERO, 0)
        MINMAX(fmin.d, D_MZERO, 0, D_MZERO, 0)
        MINMAX(fmax.d, D_MZERO, 0, 0, 0)
        MINMAX(fmax.d, 0, D_MZERO, 0, 0)
        MINMAX(fmin.d, D_QNAN, D_ONE, D_ONE, 0)
        MINMAX(fmax.d, D_ONE, D_QNAN, D_ONE, 0)
        MINMAX(fmin.d, D_SNAN, D_ONE, D_ONE, NV)
        MINMAX(fmax.d, D_QNAN, D_QNAN, D_CNAN, 0)
        MINMAX(fmin.d, D_SNAN, D_QNAN, D_CNAN, NV)
        MINMAX(fmin.d, D_MINF, D_MAX, D_MINF, 0)
        MINMAX(fmax.d, D_MINF, D_MAX, D_MAX, 0)
        MINMAX(fmin.s, 0x0000000040000000, 0xffffffff40400000, 0xffffffff40400000, 0)
        MINMAX(fmax.s, 0xffffffff7f800001, 0xffffffffc0000000, 0xffffffffc0000000, NV)

        /* comparisons */
        CMP(feq.d, D_MZERO, 0, 1, 0)
        CMP(flt.d, D_MZERO, 0, 0, 0)
        CMP(fle.d, D_MZERO, 0, 1, 0)
        CMP(flt.d, D_MINF, D_MAX, 1, 0)
        CMP(fle.d, D_ONE, D_MONE, 0, 0)
        CMP(feq.d, D_QNAN, D_QNAN, 0, 0)
        CMP(feq.d, D_SNAN, D_ONE, 0, NV)
        CMP(flt.d, D_QNAN, D_ONE, 0, NV)
        CMP(fle.d, D_ONE, D_QNAN, 0, NV)
        CMP(feq.s, 0xffffffff3f800000, 0xffffffff3f800000, 1, 0)
        CMP(feq.s, 0x000000003f800000, 0xffffffff3f800000, 0, 0)
        CMP(flt.s, 0xffffffffbf800000, 0xffffffff00000001, 1, 0)

        /* fclass: one bit per class */
        CLASS(fclass.d, D_MINF, 1 << 0)
        CLASS(fclass.d, D_MONE, 1 << 1)
        CLASS(fclass.d, 0x800fffffffffffff, 1 << 2)
        CLASS(fclass.d, D_MZERO, 1 << 3)
        CLASS(fclass.d, 0, 1 << 4)
        CLASS(fclass.d, 0x0000000000000001, 1 << 5)
        CLASS(fclass.d, D_MINNORM, 1 << 6)
        CLASS(fclass.d, D_INF, 1 << 7)
        CLASS(fclass.d, D_SNAN, 1 << 8)
        CLASS(fclass.d, D_CNAN, 1 << 9)
        CLASS(fclass.s, 0xffffffff00400000, 1 << 5)
        CLASS(fclass.s, 0xffffffff7fa00000, 1 << 8)
        CLASS(fclass.s, 0x00000000ff800000, 1 << 9)

        /* moves: fmv.x.w takes the raw low half, boxed or not, and
         * sign-extends it; fmv.w.x boxes */
        FSET(ft0, 0x1234567887654321)
        fmv.x.w a2, ft0
        CHECK(0xffffffff87654321, a2, "fmv.x.w of an unboxed register")
        fmv.x.d a2, ft0
        CHECK(0x1234567887654321, a2, "fmv.x.d")
        li a2, 0xdeadbeef3f800000
        fmv.w.x ft1, a2
        FCHECK(ft1, S_ONE, 0, "fmv.w.x boxes")

        /* loads and stores: fsw stores the raw low half, flw boxes */
        addi sp, sp, -32
        fsw ft0, 0(sp)
        lwu a2, 0(sp)
        CHECK(0x87654321, a2, "fsw of an unboxed register")
        li a2, 0x40490fdb
        sw a2, 4(sp)
        flw ft1, 4(sp)
        FCHECK(ft1, 0xffffffff40490fdb, 0, "flw boxes")
        fsd ft0, 8(sp)
        ld a2, 8(sp)
        CHECK(0x1234567887654321, a2, "fsd")
        fld ft2, 8(sp)
        FCHECK(ft2, 0x1234567887654321, 0, "fld")
        /* a misaligned FP load works like an integer one */
        fld ft2, 4(sp)
        fmv.x.d a2, ft2
        li a1, 0x8765432140490fdb
        CHECKR(a1, a2, "misaligned fld")

        /* compressed forms (x8-x15 / f8-f15, and sp-relative ones) */
        .option push
        .option rvc
        mv s0, sp
        FSET(fs0, 0x0123456789abcdef)
        c.fsd fs0, 16(s0)
        c.fld fs1, 16(s0)
        FCHECK(fs1, 0x0123456789abcdef, 0, "c.fsd/c.fld")
        c.fsdsp fs1, 24(sp)
        c.fldsp ft3, 24(sp)
        FCHECK(ft3, 0x0123456789abcdef, 0, "c.fsdsp/c.fldsp")
        c.fldsp f0, 16(sp)
        FCHECK(f0, 0x0123456789abcdef, 0, "c.fldsp into f0")
        .option pop
        addi sp, sp, 32
        TEST_PASS
