/* fp.h: macros for the F/D ISA tests (on top of common.h). Temporaries:
 * a0-a2 and t6. */
#ifndef EMBER_ISA_FP_H
#define EMBER_ISA_FP_H

/* fflags bits (unpriv spec 11.2) */
#define NX 0x01
#define UF 0x02
#define OF 0x04
#define DZ 0x08
#define NV 0x10

#define MSTATUS_FS_INITIAL (1 << 13)
#define MSTATUS_FS_CLEAN   (2 << 13)
#define MSTATUS_FS_DIRTY   (3 << 13)

/* binary64 */
#define D_ONE     0x3ff0000000000000
#define D_MONE    0xbff0000000000000
#define D_TWO     0x4000000000000000
#define D_MAX     0x7fefffffffffffff
#define D_MMAX    0xffefffffffffffff
#define D_INF     0x7ff0000000000000
#define D_MINF    0xfff0000000000000
#define D_MZERO   0x8000000000000000
#define D_CNAN    0x7ff8000000000000
#define D_QNAN    0x7ff8000000000123
#define D_SNAN    0x7ff0000000000001
#define D_MINNORM 0x0010000000000000
/* binary32, NaN-boxed */
#define S_BOX     0xffffffff00000000
#define S_ONE     0xffffffff3f800000
#define S_CNAN    0xffffffff7fc00000

/* Turns the FPU on (FS = Initial) with fcsr cleared. */
#define FP_ON                                           \
        li t6, MSTATUS_FS;                              \
        csrc mstatus, t6;                               \
        li t6, MSTATUS_FS_INITIAL;                      \
        csrs mstatus, t6;                               \
        fscsr zero

/* FSET(freg, bits): raw bits into an FP register */
#define FSET(freg, bits)                                \
        li t6, bits;                                    \
        fmv.d.x freg, t6

/* FCHECK(freg, bits, flags, name): the register's raw bits and the flags
 * accrued since the last check; clears the flags. */
#define FCHECK(freg, bits, flags, name)                 \
        fmv.x.d a0, freg;                               \
        CHECK(bits, a0, name);                          \
        frflags a1;                                     \
        CHECK(flags, a1, name " (fflags)");             \
        fsflags zero

/* XCHECK(xreg, value, flags, name): the same for an integer result */
#define XCHECK(xreg, value, flags, name)                \
        CHECK(value, xreg, name);                       \
        frflags a1;                                     \
        CHECK(flags, a1, name " (fflags)");             \
        fsflags zero

/* OP2(insn, bits_a, bits_b, rm, expected, flags): insn ft2, ft0, ft1, rm */
#define OP2(insn, a, b, rm, expected, flags)            \
        FSET(ft0, a);                                   \
        FSET(ft1, b);                                   \
        insn ft2, ft0, ft1, rm;                         \
        FCHECK(ft2, expected, flags, #insn " " #a " " #b " " #rm)

/* OP1(insn, bits_a, rm, expected, flags): insn ft2, ft0, rm */
#define OP1(insn, a, rm, expected, flags)               \
        FSET(ft0, a);                                   \
        insn ft2, ft0, rm;                              \
        FCHECK(ft2, expected, flags, #insn " " #a " " #rm)

/* OP3(insn, a, b, c, rm, expected, flags): insn ft3, ft0, ft1, ft2, rm */
#define OP3(insn, a, b, c, rm, expected, flags)         \
        FSET(ft0, a);                                   \
        FSET(ft1, b);                                   \
        FSET(ft2, c);                                   \
        insn ft3, ft0, ft1, ft2, rm;                    \
        FCHECK(ft3, expected, flags, #insn " " #a " " #b " " #c " " #rm)

/* TO_INT(insn, bits_a, rm, expected, flags): insn a2, ft0, rm */
#define TO_INT(insn, a, rm, expected, flags)            \
        FSET(ft0, a);                                   \
        insn a2, ft0, rm;                               \
        XCHECK(a2, expected, flags, #insn " " #a " " #rm)

/* FROM_INT(insn, value, rm, expected, flags): insn ft2, a2, rm */
#define FROM_INT(insn, value, rm, expected, flags)      \
        li a2, value;                                   \
        insn ft2, a2, rm;                               \
        FCHECK(ft2, expected, flags, #insn " " #value " " #rm)

/* CMP(insn, bits_a, bits_b, expected, flags): insn a2, ft0, ft1 */
#define CMP(insn, a, b, expected, flags)                \
        FSET(ft0, a);                                   \
        FSET(ft1, b);                                   \
        insn a2, ft0, ft1;                              \
        XCHECK(a2, expected, flags, #insn " " #a " " #b)

#endif
