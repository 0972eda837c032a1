/* fpmodel.h: what each F, D and Zfh instruction does to 64-bit register
 * values (NaN boxing included) in terms of cpu/riscv/fpu.h, for checking
 * fpu.c against fpgen's verbose output from qemu-riscv64 (fpcheck.c, and
 * the vectors in tests/unit/test_fpu.c). Header-only. */
#ifndef EMBER_TESTS_FPMODEL_H
#define EMBER_TESTS_FPMODEL_H

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cpu/riscv/fpu.h"

enum fpmodel_operation {
    FPM_ADD,
    FPM_SUB,
    FPM_MUL,
    FPM_DIV,
    FPM_SQRT,
    FPM_MADD,
    FPM_MSUB,
    FPM_NMSUB,
    FPM_NMADD,
    FPM_SGNJ,
    FPM_SGNJN,
    FPM_SGNJX,
    FPM_MIN,
    FPM_MAX,
    FPM_EQ,
    FPM_LT,
    FPM_LE,
    FPM_CLASS,
    FPM_MV_TO_INT,   /* fmv.x.{h,w,d} */
    FPM_MV_FROM_INT, /* fmv.{h,w,d}.x */
    FPM_TO_INT,      /* fcvt.{w,wu,l,lu}.fmt */
    FPM_FROM_INT,    /* fcvt.fmt.{w,wu,l,lu} */
    FPM_CONVERT,     /* fcvt.fmt.other */
    FPM_LOAD_HALF,
    FPM_STORE_HALF,
};

typedef struct FpModel {
    const char *name;
    enum fpmodel_operation operation;
    enum fp_format fmt;   /* the destination's, for conversions */
    enum fp_format other; /* a conversion's source */
    enum fp_int_kind kind;
} FpModel;

/* The rows every format has: name suffix f, format fmt. */
/* clang-format off */
#define FPMODEL_ARITH(fmt, f)                                                                      \
    {"fadd." f, FPM_ADD, fmt, 0, 0},                                                               \
    {"fsub." f, FPM_SUB, fmt, 0, 0},                                                               \
    {"fmul." f, FPM_MUL, fmt, 0, 0},                                                               \
    {"fdiv." f, FPM_DIV, fmt, 0, 0},                                                               \
    {"fsqrt." f, FPM_SQRT, fmt, 0, 0},                                                             \
    {"fmadd." f, FPM_MADD, fmt, 0, 0},                                                             \
    {"fmsub." f, FPM_MSUB, fmt, 0, 0},                                                             \
    {"fnmsub." f, FPM_NMSUB, fmt, 0, 0},                                                           \
    {"fnmadd." f, FPM_NMADD, fmt, 0, 0},                                                           \
    {"fsgnj." f, FPM_SGNJ, fmt, 0, 0},                                                             \
    {"fsgnjn." f, FPM_SGNJN, fmt, 0, 0},                                                           \
    {"fsgnjx." f, FPM_SGNJX, fmt, 0, 0},                                                           \
    {"fmin." f, FPM_MIN, fmt, 0, 0},                                                               \
    {"fmax." f, FPM_MAX, fmt, 0, 0},                                                               \
    {"feq." f, FPM_EQ, fmt, 0, 0},                                                                 \
    {"flt." f, FPM_LT, fmt, 0, 0},                                                                 \
    {"fle." f, FPM_LE, fmt, 0, 0},                                                                 \
    {"fclass." f, FPM_CLASS, fmt, 0, 0},                                                           \
    {"fcvt.w." f, FPM_TO_INT, fmt, 0, FP_INT_W},                                                   \
    {"fcvt.wu." f, FPM_TO_INT, fmt, 0, FP_INT_WU},                                                 \
    {"fcvt.l." f, FPM_TO_INT, fmt, 0, FP_INT_L},                                                   \
    {"fcvt.lu." f, FPM_TO_INT, fmt, 0, FP_INT_LU},                                                 \
    {"fcvt." f ".w", FPM_FROM_INT, fmt, 0, FP_INT_W},                                              \
    {"fcvt." f ".wu", FPM_FROM_INT, fmt, 0, FP_INT_WU},                                            \
    {"fcvt." f ".l", FPM_FROM_INT, fmt, 0, FP_INT_L},                                              \
    {"fcvt." f ".lu", FPM_FROM_INT, fmt, 0, FP_INT_LU}
/* clang-format on */

static const FpModel fpmodels[] = {
    FPMODEL_ARITH(FP_S, "s"),
    FPMODEL_ARITH(FP_D, "d"),
    FPMODEL_ARITH(FP_H, "h"),
    {"fmv.x.w", FPM_MV_TO_INT, FP_S, 0, 0},
    {"fmv.x.d", FPM_MV_TO_INT, FP_D, 0, 0},
    {"fmv.x.h", FPM_MV_TO_INT, FP_H, 0, 0},
    {"fmv.w.x", FPM_MV_FROM_INT, FP_S, 0, 0},
    {"fmv.d.x", FPM_MV_FROM_INT, FP_D, 0, 0},
    {"fmv.h.x", FPM_MV_FROM_INT, FP_H, 0, 0},
    {"fcvt.s.d", FPM_CONVERT, FP_S, FP_D, 0},
    {"fcvt.d.s", FPM_CONVERT, FP_D, FP_S, 0},
    {"fcvt.h.s", FPM_CONVERT, FP_H, FP_S, 0},
    {"fcvt.s.h", FPM_CONVERT, FP_S, FP_H, 0},
    {"fcvt.h.d", FPM_CONVERT, FP_H, FP_D, 0},
    {"fcvt.d.h", FPM_CONVERT, FP_D, FP_H, 0},
    {"flh", FPM_LOAD_HALF, FP_H, 0, 0},
    {"fsh", FPM_STORE_HALF, FP_H, 0, 0},
};
#undef FPMODEL_ARITH

static inline uint64_t fpmodel_unbox(enum fp_format fmt, uint64_t reg)
{
    switch (fmt) {
    case FP_S:
        return fp_unbox_s(reg);
    case FP_H:
        return fp_unbox_h(reg);
    default:
        return reg;
    }
}

static inline uint64_t fpmodel_box(enum fp_format fmt, uint64_t value)
{
    switch (fmt) {
    case FP_S:
        return fp_box_s((uint32_t)value);
    case FP_H:
        return fp_box_h((uint16_t)value);
    default:
        return value;
    }
}

static inline uint64_t fpmodel_sign(enum fp_format fmt)
{
    return fmt == FP_S ? F32_SIGN : fmt == FP_D ? F64_SIGN : F16_SIGN;
}

/* The instruction's result as its destination register holds it. */
static inline uint64_t fpmodel_execute(const FpModel *m, uint64_t a_reg, uint64_t b_reg,
                                       uint64_t c_reg, unsigned rm, uint32_t *flags)
{
    enum fp_format fmt = m->fmt;
    uint64_t a = fpmodel_unbox(fmt, a_reg), b = fpmodel_unbox(fmt, b_reg),
             c = fpmodel_unbox(fmt, c_reg);
    uint64_t sign = fpmodel_sign(fmt);
    switch (m->operation) {
    case FPM_ADD:
        return fpmodel_box(fmt, fp_add(fmt, a, b, rm, flags));
    case FPM_SUB:
        return fpmodel_box(fmt, fp_sub(fmt, a, b, rm, flags));
    case FPM_MUL:
        return fpmodel_box(fmt, fp_mul(fmt, a, b, rm, flags));
    case FPM_DIV:
        return fpmodel_box(fmt, fp_div(fmt, a, b, rm, flags));
    case FPM_SQRT:
        return fpmodel_box(fmt, fp_sqrt(fmt, a, rm, flags));
    case FPM_MADD:
        return fpmodel_box(fmt, fp_muladd(fmt, a, b, c, 0, rm, flags));
    case FPM_MSUB:
        return fpmodel_box(fmt, fp_muladd(fmt, a, b, c, FP_NEGATE_ADDEND, rm, flags));
    case FPM_NMSUB:
        return fpmodel_box(fmt, fp_muladd(fmt, a, b, c, FP_NEGATE_PRODUCT, rm, flags));
    case FPM_NMADD:
        return fpmodel_box(
            fmt, fp_muladd(fmt, a, b, c, FP_NEGATE_PRODUCT | FP_NEGATE_ADDEND, rm, flags));
    case FPM_SGNJ:
        return fpmodel_box(fmt, (a & ~sign) | (b & sign));
    case FPM_SGNJN:
        return fpmodel_box(fmt, (a & ~sign) | (~b & sign));
    case FPM_SGNJX:
        return fpmodel_box(fmt, a ^ (b & sign));
    case FPM_MIN:
        return fpmodel_box(fmt, fp_min(fmt, a, b, flags));
    case FPM_MAX:
        return fpmodel_box(fmt, fp_max(fmt, a, b, flags));
    case FPM_EQ:
        return fp_eq(fmt, a, b, flags);
    case FPM_LT:
        return fp_lt(fmt, a, b, flags);
    case FPM_LE:
        return fp_le(fmt, a, b, flags);
    case FPM_CLASS:
        return fp_class(fmt, a);
    case FPM_MV_TO_INT: /* the register's bits, unboxed or not, sign-extended */
        return fmt == FP_S   ? (uint64_t)(int64_t)(int32_t)a_reg
               : fmt == FP_H ? (uint64_t)(int64_t)(int16_t)a_reg
                             : a_reg;
    case FPM_MV_FROM_INT:
        return fpmodel_box(fmt, a_reg);
    case FPM_TO_INT:
        return fp_to_int(fmt, a, m->kind, rm, flags);
    case FPM_FROM_INT:
        return fpmodel_box(fmt, fp_from_int(fmt, a_reg, m->kind, rm, flags));
    case FPM_CONVERT:
        return fpmodel_box(fmt,
                           fp_convert(fmt, m->other, fpmodel_unbox(m->other, a_reg), rm, flags));
    case FPM_LOAD_HALF:
        return fp_box_h((uint16_t)a_reg);
    case FPM_STORE_HALF: /* fpgen stores over ~b */
        return (~b_reg & ~0xffffull) | (a_reg & 0xffff);
    }
    return 0;
}

static inline const FpModel *fpmodel_find(const char *name)
{
    for (size_t i = 0; i < sizeof(fpmodels) / sizeof(fpmodels[0]); i++)
        if (strcmp(fpmodels[i].name, name) == 0)
            return &fpmodels[i];
    return NULL;
}

/* One operation as fpgen -v prints it: "fadd.h rtz A B -> RESULT FLAGS",
 * operands, result and flags in hex, "-" or "dyn/rtz" for the mode. */
typedef struct FpModelCase {
    const FpModel *model;
    unsigned rm;
    uint64_t in[3];
    uint64_t result;
    uint32_t flags;
} FpModelCase;

/* Whether line is such an operation (digest and summary lines are not). */
static inline bool fpmodel_parse(const char *line, FpModelCase *c)
{
    static const char *const modes[5] = {"rne", "rtz", "rdn", "rup", "rmm"};
    char words[8][24];
    int n = 0;
    for (const char *p = line; n < 8;) {
        p += strspn(p, " \n");
        size_t length = strcspn(p, " \n");
        if (length == 0)
            break;
        if (length >= sizeof(words[0]))
            return false;
        memcpy(words[n], p, length);
        words[n++][length] = 0;
        p += length;
    }
    /* name mode a [b [c]] -> result flags */
    if (n < 6 || strcmp(words[n - 3], "->") != 0 || !(c->model = fpmodel_find(words[0])))
        return false;
    const char *mode = strncmp(words[1], "dyn/", 4) == 0 ? words[1] + 4 : words[1];
    c->rm = 5;
    for (unsigned i = 0; i < 5; i++)
        if (strcmp(mode, modes[i]) == 0)
            c->rm = i;
    if (strcmp(mode, "-") == 0)
        c->rm = 0; /* what fpgen encodes where there is no mode */
    if (c->rm > 4)
        return false;
    memset(c->in, 0, sizeof(c->in));
    for (int k = 0; k < n - 5; k++)
        c->in[k] = strtoull(words[2 + k], NULL, 16);
    c->result = strtoull(words[n - 2], NULL, 16);
    c->flags = (uint32_t)strtoul(words[n - 1], NULL, 16);
    return true;
}

/* Runs the case through fpu.c: whether result and flags are as recorded. */
static inline bool fpmodel_agrees(const FpModelCase *c, uint64_t *result, uint32_t *flags)
{
    *flags = 0;
    *result = fpmodel_execute(c->model, c->in[0], c->in[1], c->in[2], c->rm, flags);
    return *result == c->result && *flags == c->flags;
}

#endif
