/* tests/unit/test_fpu.c: unit tests for cpu/riscv/fpu.c: the exact integer
 * implementation against the host's IEEE 754 hardware in the four rounding
 * modes both have, on operands biased toward the hard cases, plus RMM,
 * RISC-V's NaN rules, conversions and the fast-path fronts; binary16
 * against the host's F16C conversions and against qemu-riscv64's results. */
#include <fenv.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#if defined(__x86_64__)
#include <immintrin.h>
#endif

#include "cpu/riscv/fpu.h"
#include "tests/fpdiff/fpmodel.h"
#include "tests/unit/harness.h"
#include "tests/xorshift.h"

static uint64_t rng_state;

static uint64_t next_random(void)
{
    /* xorshift64*: deterministic, so a failure names a reproducible case. */
    return xorshift64star(&rng_state);
}

/* An operand of the format: random bits, or a value near a boundary where
 * rounding, overflow, underflow and NaN handling are decided. */
static uint64_t operand(enum fp_format fmt)
{
    int fb = fmt == FP_S ? 23 : fmt == FP_D ? 52 : 10;
    int eb = fmt == FP_S ? 8 : fmt == FP_D ? 11 : 5;
    uint64_t sign = (next_random() & 1) << (fb + eb);
    uint64_t frac_mask = (1ull << fb) - 1, emax = (1ull << eb) - 1;
    uint64_t frac = next_random() & frac_mask;
    switch (next_random() % 12) {
    case 0: /* zero, infinity, a NaN (quiet or signalling) */
        return sign | (next_random() & 1 ? emax << fb : 0) |
               (next_random() % 3 == 0 ? (next_random() & frac_mask) | 1 : 0);
    case 1: /* subnormal */
        return sign | frac;
    case 2: /* smallest normals */
        return sign | ((1 + next_random() % 3) << fb) | frac;
    case 3: /* largest finite */
        return sign | ((emax - 1 - next_random() % 2) << fb) | frac;
    case 4: /* few significant bits: exact results and ties */
        return sign | ((emax / 2 + next_random() % 8) << fb) | (frac & ~(frac_mask >> 3));
    case 5: /* all-ones fractions: carries when rounding up */
        return sign | ((emax / 2 - 4 + next_random() % 8) << fb) | (frac_mask - next_random() % 4);
    case 6: /* exponents near zero, so sums cancel */
        return sign | ((emax / 2 - 2 + next_random() % 4) << fb) | frac;
    default:
        return sign | ((next_random() % emax) << fb) | frac;
    }
}

static const int host_modes[4] = {FE_TONEAREST, FE_TOWARDZERO, FE_DOWNWARD, FE_UPWARD};

static uint32_t host_flags(void)
{
    int e = fetestexcept(FE_ALL_EXCEPT);
    return ((e & FE_INVALID) ? FFLAG_NV : 0) | ((e & FE_DIVBYZERO) ? FFLAG_DZ : 0) |
           ((e & FE_OVERFLOW) ? FFLAG_OF : 0) | ((e & FE_UNDERFLOW) ? FFLAG_UF : 0) |
           ((e & FE_INEXACT) ? FFLAG_NX : 0);
}

enum test_op { T_ADD, T_SUB, T_MUL, T_DIV, T_SQRT, T_FMA, T_TO_OTHER, T_COUNT };
static const char *const op_names[T_COUNT] = {"add", "sub", "mul", "div", "sqrt", "fma", "cvt"};

static bool is_nan_bits(enum fp_format fmt, uint64_t v)
{
    return fmt == FP_S
               ? ((v & 0x7f800000) == 0x7f800000 && (v & 0x7fffff))
               : ((v & 0x7ff0000000000000ull) == 0x7ff0000000000000ull && (v & 0xfffffffffffffull));
}

/* The host's answer, with RISC-V's canonical NaN in place of x86's. */
static uint64_t host_compute(enum fp_format fmt, enum test_op op, uint64_t a, uint64_t b,
                             uint64_t c, uint32_t *flags)
{
    volatile double da = fp_as_double(a), db = fp_as_double(b), dc = fp_as_double(c), dr;
    volatile float sa = fp_as_float((uint32_t)a), sb = fp_as_float((uint32_t)b),
                   sc = fp_as_float((uint32_t)c), sr;
    feclearexcept(FE_ALL_EXCEPT);
    uint64_t result;
    enum fp_format out = fmt;
    if (fmt == FP_D) {
        switch (op) {
        case T_ADD:
            dr = da + db;
            break;
        case T_SUB:
            dr = da - db;
            break;
        case T_MUL:
            dr = da * db;
            break;
        case T_DIV:
            dr = da / db;
            break;
        case T_SQRT:
            dr = sqrt(da);
            break;
        case T_FMA:
            dr = fma(da, db, dc);
            break;
        default:
            sr = (float)da;
            break;
        }
        result = op == T_TO_OTHER ? fp_float_bits(sr) : fp_double_bits(dr);
        out = op == T_TO_OTHER ? FP_S : FP_D;
    } else {
        switch (op) {
        case T_ADD:
            sr = sa + sb;
            break;
        case T_SUB:
            sr = sa - sb;
            break;
        case T_MUL:
            sr = sa * sb;
            break;
        case T_DIV:
            sr = sa / sb;
            break;
        case T_SQRT:
            sr = sqrtf(sa);
            break;
        case T_FMA:
            sr = fmaf(sa, sb, sc);
            break;
        default:
            dr = (double)sa;
            break;
        }
        result = op == T_TO_OTHER ? fp_double_bits(dr) : fp_float_bits(sr);
        out = op == T_TO_OTHER ? FP_D : FP_S;
    }
    *flags = host_flags();
    if (is_nan_bits(out, result))
        result = out == FP_S ? F32_CANONICAL_NAN : F64_CANONICAL_NAN;
    return result;
}

static uint64_t exact_compute(enum fp_format fmt, enum test_op op, uint64_t a, uint64_t b,
                              uint64_t c, unsigned rm, uint32_t *flags)
{
    *flags = 0;
    switch (op) {
    case T_ADD:
        return fp_add(fmt, a, b, rm, flags);
    case T_SUB:
        return fp_sub(fmt, a, b, rm, flags);
    case T_MUL:
        return fp_mul(fmt, a, b, rm, flags);
    case T_DIV:
        return fp_div(fmt, a, b, rm, flags);
    case T_SQRT:
        return fp_sqrt(fmt, a, rm, flags);
    case T_FMA:
        return fp_muladd(fmt, a, b, c, 0, rm, flags);
    default:
        return fp_convert(fmt == FP_D ? FP_S : FP_D, fmt, a, rm, flags);
    }
}

/* Unpriv spec 11.6: RISC-V flags invalid for infinity times zero plus a
 * quiet NaN, where IEEE 754 leaves it to the implementation. */
static bool fma_invalid_with_qnan(enum fp_format fmt, uint64_t a, uint64_t b, uint64_t c)
{
    uint64_t mag = fmt == FP_S ? 0x7fffffff : 0x7fffffffffffffffull;
    uint64_t inf = fmt == FP_S ? 0x7f800000 : 0x7ff0000000000000ull;
    bool zero_inf = ((a & mag) == inf && (b & mag) == 0) || ((a & mag) == 0 && (b & mag) == inf);
    return zero_inf && is_nan_bits(fmt, c);
}

static void compare_with_host(enum fp_format fmt, enum test_op op, int cases)
{
    for (int mode = 0; mode < 4; mode++) {
        rng_state =
            0x9e3779b97f4a7c15ull ^ ((uint64_t)op << 8) ^ ((uint64_t)fmt << 16) ^ (uint64_t)mode;
        ck_assert_int_eq(fesetround(host_modes[mode]), 0);
        for (int i = 0; i < cases; i++) {
            uint64_t a = operand(fmt), b = operand(fmt), c = operand(fmt);
            uint32_t hf, ef;
            uint64_t h = host_compute(fmt, op, a, b, c, &hf);
            uint64_t e = exact_compute(fmt, op, a, b, c, (unsigned)mode, &ef);
            if (op == T_FMA && fma_invalid_with_qnan(fmt, a, b, c))
                hf |= FFLAG_NV;
            if (h != e || hf != ef) {
                fesetround(FE_TONEAREST);
                ck_abort_msg("%s.%c rm %d case %d: a %016llx b %016llx c %016llx: host %016llx "
                             "flags %02x, exact %016llx flags %02x",
                             op_names[op], fmt == FP_S ? 's' : 'd', mode, i, (unsigned long long)a,
                             (unsigned long long)b, (unsigned long long)c, (unsigned long long)h,
                             hf, (unsigned long long)e, ef);
            }
        }
    }
    fesetround(FE_TONEAREST);
}

#define CASES 200000

START_TEST(test_against_host)
{
    compare_with_host(_i % 2 ? FP_S : FP_D, (enum test_op)(_i / 2), CASES);
}
END_TEST

/* Conversions to integers against llrint under each mode: in range the
 * results and the inexact flag agree; out of range RISC-V saturates and
 * raises only invalid. */
START_TEST(test_to_int_against_host)
{
    for (int mode = 0; mode < 4; mode++) {
        rng_state = 0x1234567ull + (uint64_t)mode;
        ck_assert_int_eq(fesetround(host_modes[mode]), 0);
        for (int i = 0; i < CASES; i++) {
            uint64_t a = operand(FP_D);
            double d = fp_as_double(a);
            /* Scale most operands into the integer range. */
            if (next_random() % 4 && fabs(d) > 0x1p70)
                d = ldexp(d, -(ilogb(d) - 40 - (int)(next_random() % 25)));
            a = fp_double_bits(d);
            uint32_t ef = 0;
            uint64_t e = fp_to_int(FP_D, a, FP_INT_L, (unsigned)mode, &ef);
            if (!isnan(d) && fabs(d) < 0x1p62) {
                feclearexcept(FE_ALL_EXCEPT);
                volatile double vd = d;
                long long h = llrint(vd);
                uint32_t hf = host_flags();
                if ((uint64_t)h != e || hf != ef) {
                    fesetround(FE_TONEAREST);
                    ck_abort_msg("fcvt.l.d rm %d %a: host %lld flags %02x exact %lld flags %02x",
                                 mode, d, h, hf, (long long)e, ef);
                }
            }
            /* Back to a double: against the host's conversion. */
            int64_t v = (int64_t)next_random() >> (next_random() % 64);
            feclearexcept(FE_ALL_EXCEPT);
            volatile int64_t vv = v;
            double hd = (double)vv;
            uint32_t hf = host_flags();
            ef = 0;
            uint64_t ed = fp_from_int(FP_D, (uint64_t)v, FP_INT_L, (unsigned)mode, &ef);
            if (fp_double_bits(hd) != ed || hf != ef) {
                fesetround(FE_TONEAREST);
                ck_abort_msg("fcvt.d.l rm %d %lld: host %a flags %02x exact %a flags %02x", mode,
                             (long long)v, hd, hf, fp_as_double(ed), ef);
            }
        }
    }
    fesetround(FE_TONEAREST);
}
END_TEST

#define ONE_D 0x3ff0000000000000ull

START_TEST(test_round_to_nearest_max_magnitude)
{
    uint32_t flags = 0;
    /* 1 + 2^-53 is a tie between 1 and 1 + 2^-52: RNE keeps even (1), RMM
     * goes away from zero. */
    uint64_t half_ulp = 0x3ca0000000000000ull;
    ck_assert_uint_eq(fp_add(FP_D, ONE_D, half_ulp, FRM_RNE, &flags), ONE_D);
    ck_assert_uint_eq(fp_add(FP_D, ONE_D, half_ulp, FRM_RMM, &flags), ONE_D + 1);
    ck_assert_uint_eq(fp_add(FP_D, ONE_D | F64_SIGN, half_ulp | F64_SIGN, FRM_RMM, &flags),
                      (ONE_D + 1) | F64_SIGN);
    ck_assert_uint_eq(flags, FFLAG_NX);
    /* Not a tie: both round to nearest. */
    flags = 0;
    ck_assert_uint_eq(fp_add(FP_D, ONE_D, 0x3c90000000000000ull, FRM_RMM, &flags), ONE_D);
    /* fcvt.w.d of 2.5: RNE 2, RMM 3; -2.5: RMM -3. */
    uint64_t two_and_half = 0x4004000000000000ull;
    ck_assert_uint_eq(fp_to_int(FP_D, two_and_half, FP_INT_W, FRM_RNE, &flags), 2);
    ck_assert_uint_eq(fp_to_int(FP_D, two_and_half, FP_INT_W, FRM_RMM, &flags), 3);
    ck_assert_uint_eq(fp_to_int(FP_D, two_and_half | F64_SIGN, FP_INT_W, FRM_RMM, &flags),
                      (uint64_t)-3);
    /* Overflow in RMM goes to infinity, as in RNE. */
    flags = 0;
    ck_assert_uint_eq(fp_mul(FP_S, 0x7f000000, 0x40000000, FRM_RMM, &flags), 0x7f800000);
    ck_assert_uint_eq(flags, FFLAG_OF | FFLAG_NX);
}
END_TEST

START_TEST(test_nan_rules)
{
    uint32_t flags = 0;
    uint64_t snan_d = 0x7ff0000000000001ull, qnan_d = 0xfff8000000000123ull;
    /* Results are canonical, never a propagated payload. */
    ck_assert_uint_eq(fp_add(FP_D, qnan_d, ONE_D, FRM_RNE, &flags), F64_CANONICAL_NAN);
    ck_assert_uint_eq(flags, 0);
    ck_assert_uint_eq(fp_mul(FP_D, snan_d, ONE_D, FRM_RNE, &flags), F64_CANONICAL_NAN);
    ck_assert_uint_eq(flags, FFLAG_NV);
    /* fmin/fmax: one NaN gives the other operand; sNaN still invalid. */
    flags = 0;
    ck_assert_uint_eq(fp_min(FP_D, qnan_d, ONE_D, &flags), ONE_D);
    ck_assert_uint_eq(flags, 0);
    ck_assert_uint_eq(fp_max(FP_D, ONE_D, snan_d, &flags), ONE_D);
    ck_assert_uint_eq(flags, FFLAG_NV);
    ck_assert_uint_eq(fp_max(FP_D, qnan_d, snan_d, &flags), F64_CANONICAL_NAN);
    /* -0 < +0 for min and max, equal for comparisons. */
    ck_assert_uint_eq(fp_min(FP_D, 0, F64_SIGN, &flags), F64_SIGN);
    ck_assert_uint_eq(fp_max(FP_D, F64_SIGN, 0, &flags), 0);
    flags = 0;
    ck_assert(fp_eq(FP_D, 0, F64_SIGN, &flags));
    ck_assert(!fp_lt(FP_D, F64_SIGN, 0, &flags));
    ck_assert(fp_le(FP_D, 0, F64_SIGN, &flags));
    ck_assert_uint_eq(flags, 0);
    /* feq is quiet on quiet NaNs; flt and fle signal. */
    ck_assert(!fp_eq(FP_D, qnan_d, qnan_d, &flags));
    ck_assert_uint_eq(flags, 0);
    ck_assert(!fp_eq(FP_D, snan_d, ONE_D, &flags));
    ck_assert_uint_eq(flags, FFLAG_NV);
    flags = 0;
    ck_assert(!fp_le(FP_D, qnan_d, ONE_D, &flags));
    ck_assert_uint_eq(flags, FFLAG_NV);
    /* fma: infinity times zero is invalid even with a quiet NaN addend. */
    flags = 0;
    ck_assert_uint_eq(fp_muladd(FP_D, 0x7ff0000000000000ull, 0, qnan_d, 0, FRM_RNE, &flags),
                      F64_CANONICAL_NAN);
    ck_assert_uint_eq(flags, FFLAG_NV);
    /* A badly boxed single reads as the canonical NaN. */
    ck_assert_uint_eq(fp_unbox_s(0x000000003f800000ull), F32_CANONICAL_NAN);
    ck_assert_uint_eq(fp_unbox_s(fp_box_s(0x3f800000)), 0x3f800000);
}
END_TEST

START_TEST(test_integer_conversion_limits)
{
    uint32_t flags = 0;
    uint64_t nan = F64_CANONICAL_NAN, inf = 0x7ff0000000000000ull;
    /* Unpriv spec table 11.4. */
    ck_assert_uint_eq(fp_to_int(FP_D, nan, FP_INT_W, FRM_RTZ, &flags), 0x7fffffff);
    ck_assert_uint_eq(fp_to_int(FP_D, nan, FP_INT_WU, FRM_RTZ, &flags), UINT64_MAX);
    ck_assert_uint_eq(fp_to_int(FP_D, nan, FP_INT_L, FRM_RTZ, &flags), INT64_MAX);
    ck_assert_uint_eq(fp_to_int(FP_D, inf | F64_SIGN, FP_INT_W, FRM_RTZ, &flags),
                      (uint64_t)(int64_t)INT32_MIN);
    ck_assert_uint_eq(fp_to_int(FP_D, inf | F64_SIGN, FP_INT_LU, FRM_RTZ, &flags), 0);
    ck_assert_uint_eq(flags, FFLAG_NV);
    /* -2^63 fits a signed long exactly; 2^63 does not. */
    flags = 0;
    ck_assert_uint_eq(fp_to_int(FP_D, 0xc3e0000000000000ull, FP_INT_L, FRM_RNE, &flags),
                      (uint64_t)INT64_MIN);
    ck_assert_uint_eq(flags, 0);
    ck_assert_uint_eq(fp_to_int(FP_D, 0x43e0000000000000ull, FP_INT_L, FRM_RNE, &flags), INT64_MAX);
    ck_assert_uint_eq(flags, FFLAG_NV);
    /* Negative values that round to 0 convert to unsigned with inexact
     * only; ones that round to -1 are invalid. */
    flags = 0;
    uint64_t minus_0_4 = 0xbfd999999999999aull;
    ck_assert_uint_eq(fp_to_int(FP_D, minus_0_4, FP_INT_WU, FRM_RNE, &flags), 0);
    ck_assert_uint_eq(flags, FFLAG_NX);
    flags = 0;
    ck_assert_uint_eq(fp_to_int(FP_D, minus_0_4, FP_INT_WU, FRM_RDN, &flags), 0);
    ck_assert_uint_eq(flags, FFLAG_NV);
    /* fcvt.wu results are sign-extended from bit 31. */
    flags = 0;
    ck_assert_uint_eq(fp_to_int(FP_D, 0x41efffffffe00000ull, FP_INT_WU, FRM_RNE, &flags),
                      UINT64_MAX);
    ck_assert_uint_eq(flags, 0);
    /* Integer sources: W forms use only the low 32 bits. */
    ck_assert_uint_eq(fp_from_int(FP_D, 0x12345678ffffffffull, FP_INT_W, FRM_RNE, &flags),
                      0xbff0000000000000ull);
    ck_assert_uint_eq(fp_from_int(FP_D, 0x12345678ffffffffull, FP_INT_WU, FRM_RNE, &flags),
                      0x41efffffffe00000ull);
    ck_assert_uint_eq(fp_from_int(FP_S, UINT64_MAX, FP_INT_LU, FRM_RTZ, &flags), 0x5f7fffff);
}
END_TEST

START_TEST(test_class)
{
    ck_assert_uint_eq(fp_class(FP_D, 0xfff0000000000000ull), 1u << 0);
    ck_assert_uint_eq(fp_class(FP_D, 0xbff0000000000000ull), 1u << 1);
    ck_assert_uint_eq(fp_class(FP_D, 0x8000000000000001ull), 1u << 2);
    ck_assert_uint_eq(fp_class(FP_D, F64_SIGN), 1u << 3);
    ck_assert_uint_eq(fp_class(FP_D, 0), 1u << 4);
    ck_assert_uint_eq(fp_class(FP_S, 0x00000001), 1u << 5);
    ck_assert_uint_eq(fp_class(FP_S, 0x3f800000), 1u << 6);
    ck_assert_uint_eq(fp_class(FP_S, 0x7f800000), 1u << 7);
    ck_assert_uint_eq(fp_class(FP_S, 0x7f800001), 1u << 8);
    ck_assert_uint_eq(fp_class(FP_S, 0x7fc00000), 1u << 9);
}
END_TEST

/* The fast fronts agree with the exact path, flags included (taken from
 * the host where the fast path ran). */
START_TEST(test_fast_path_matches_exact)
{
    rng_state = 42;
    fp_host_take_flags();
    for (int i = 0; i < CASES; i++) {
        uint64_t a = operand(FP_D), b = operand(FP_D), c = operand(FP_D);
        uint32_t fast_flags = 0, exact_flags = 0;
        uint64_t fast[5] = {
            fp_fast_add_d(a, b, FRM_RNE, &fast_flags), fp_fast_mul_d(a, b, FRM_RNE, &fast_flags),
            fp_fast_div_d(a, b, FRM_RNE, &fast_flags), fp_fast_sqrt_d(a, FRM_RNE, &fast_flags),
            fp_fast_muladd_d(a, b, c, FP_NEGATE_ADDEND, FRM_RNE, &fast_flags)};
        fast_flags |= fp_host_take_flags();
        uint64_t exact[5] = {
            fp_add(FP_D, a, b, FRM_RNE, &exact_flags), fp_mul(FP_D, a, b, FRM_RNE, &exact_flags),
            fp_div(FP_D, a, b, FRM_RNE, &exact_flags), fp_sqrt(FP_D, a, FRM_RNE, &exact_flags),
            fp_muladd(FP_D, a, b, c, FP_NEGATE_ADDEND, FRM_RNE, &exact_flags)};
        /* check records every passing assertion: assert on failure only. */
        if (memcmp(fast, exact, sizeof(fast)) != 0 || fast_flags != exact_flags)
            ck_abort_msg("case %d: a %016llx b %016llx c %016llx flags fast %02x exact %02x", i,
                         (unsigned long long)a, (unsigned long long)b, (unsigned long long)c,
                         fast_flags, exact_flags);
        uint32_t sa = (uint32_t)operand(FP_S), sb = (uint32_t)operand(FP_S);
        fast_flags = exact_flags = 0;
        uint32_t fs = fp_fast_sub_s(sa, sb, FRM_RNE, &fast_flags);
        fast_flags |= fp_host_take_flags();
        uint32_t es = (uint32_t)fp_sub(FP_S, sa, sb, FRM_RNE, &exact_flags);
        if (fs != es || fast_flags != exact_flags)
            ck_abort_msg("fsub.s %08x %08x", sa, sb);
    }
}
END_TEST

/* ---- binary16 ---------------------------------------------------------- */

#define F16_ONE 0x3c00u
#define F16_MAX 0x7bffu /* 65504 */
#define F16_INF 0x7c00u

enum half_op { H_ADD, H_SUB, H_MUL, H_DIV, H_SQRT, H_FROM_S, H_TO_S, H_COUNT };

#if defined(__x86_64__)
/* F16C converts between binary32 and binary16 in MXCSR's rounding mode and
 * records IEEE flags there, tininess after rounding as RISC-V has it. */
__attribute__((target("f16c"))) static uint16_t host_to_half(float f)
{
    return _cvtss_sh(f, _MM_FROUND_CUR_DIRECTION);
}

__attribute__((target("f16c"))) static float host_from_half(uint16_t h)
{
    return _cvtsh_ss(h);
}

static const char *const half_op_names[H_COUNT] = {"fadd.h",  "fsub.h",   "fmul.h",  "fdiv.h",
                                                   "fsqrt.h", "fcvt.h.s", "fcvt.s.h"};

/* A binary32 operand for fcvt.h.s: mostly within binary16's reach. */
static uint32_t single_near_half(void)
{
    uint32_t a = (uint32_t)operand(FP_S);
    if (next_random() % 4 && (a & 0x7f800000) != 0x7f800000)
        a = (a & 0x807fffff) | (uint32_t)(127 - 26 + next_random() % 43) << 23;
    return a;
}

/* The host's answer. Each operation runs in binary32 and is rounded once
 * more to binary16: binary32 holds sums, differences and products of
 * binary16 values exactly, and has 24 >= 2 * 11 + 2 bits, so rounding a
 * quotient or root twice (in the same mode) gives the correctly rounded
 * result and flags. */
static uint64_t host_half(enum half_op op, uint16_t a, uint16_t b, uint32_t s, uint32_t *flags)
{
    feclearexcept(FE_ALL_EXCEPT);
    /* Only the operands the operation reads: a signalling NaN converts
     * with the invalid flag. */
    volatile float fa = op == H_FROM_S ? 0 : host_from_half(a);
    volatile float fb = op <= H_DIV ? host_from_half(b) : 0, r;
    uint64_t result;
    switch (op) {
    case H_ADD:
        r = fa + fb;
        break;
    case H_SUB:
        r = fa - fb;
        break;
    case H_MUL:
        r = fa * fb;
        break;
    case H_DIV:
        r = fa / fb;
        break;
    case H_SQRT:
        r = sqrtf(fa);
        break;
    case H_FROM_S:
        r = fp_as_float(s);
        break;
    default:
        r = fa;
        break;
    }
    if (op == H_TO_S) {
        result = fp_float_bits(r);
        if (isnan(r))
            result = F32_CANONICAL_NAN;
    } else {
        result = host_to_half(r);
        if (isnan(r))
            result = F16_CANONICAL_NAN;
    }
    *flags = host_flags();
    return result;
}

static uint64_t exact_half(enum half_op op, uint16_t a, uint16_t b, uint32_t s, unsigned rm,
                           uint32_t *flags)
{
    *flags = 0;
    switch (op) {
    case H_ADD:
        return fp_add(FP_H, a, b, rm, flags);
    case H_SUB:
        return fp_sub(FP_H, a, b, rm, flags);
    case H_MUL:
        return fp_mul(FP_H, a, b, rm, flags);
    case H_DIV:
        return fp_div(FP_H, a, b, rm, flags);
    case H_SQRT:
        return fp_sqrt(FP_H, a, rm, flags);
    case H_FROM_S:
        return fp_convert(FP_H, FP_S, s, rm, flags);
    default:
        return fp_convert(FP_S, FP_H, a, rm, flags);
    }
}
#endif

START_TEST(test_half_against_host)
{
#if defined(__x86_64__)
    __builtin_cpu_init();
    if (!__builtin_cpu_supports("f16c"))
        return; /* the QEMU vectors still check binary16 */
    enum half_op op = (enum half_op)_i;
    for (int mode = 0; mode < 4; mode++) {
        rng_state = 0x5851f42d4c957f2dull ^ ((uint64_t)op << 8) ^ (uint64_t)mode;
        ck_assert_int_eq(fesetround(host_modes[mode]), 0);
        for (int i = 0; i < CASES; i++) {
            uint16_t a = (uint16_t)operand(FP_H), b = (uint16_t)operand(FP_H);
            uint32_t s = single_near_half();
            uint32_t hf, ef;
            uint64_t h = host_half(op, a, b, s, &hf);
            uint64_t e = exact_half(op, a, b, s, (unsigned)mode, &ef);
            if (h != e || hf != ef) {
                fesetround(FE_TONEAREST);
                ck_abort_msg("%s rm %d case %d: a %04x b %04x s %08x: host %llx flags %02x, "
                             "exact %llx flags %02x",
                             half_op_names[op], mode, i, a, b, s, (unsigned long long)h, hf,
                             (unsigned long long)e, ef);
            }
        }
    }
    fesetround(FE_TONEAREST);
#endif
}
END_TEST

/* Conversions between binary16 and integers against the host's: every
 * binary16 value is a binary32 one, and every integer below 2^24 too. */
START_TEST(test_half_integers_against_host)
{
#if defined(__x86_64__)
    __builtin_cpu_init();
    if (!__builtin_cpu_supports("f16c"))
        return;
    for (int mode = 0; mode < 4; mode++) {
        rng_state = 0x2545f4914f6cdd1dull + (uint64_t)mode;
        ck_assert_int_eq(fesetround(host_modes[mode]), 0);
        for (int i = 0; i < CASES; i++) {
            uint16_t a = (uint16_t)operand(FP_H);
            volatile float f = host_from_half(a);
            if (!isnan(f) && !isinf(f)) {
                feclearexcept(FE_ALL_EXCEPT);
                long long h = llrintf(f);
                uint32_t hf = host_flags(), ef = 0;
                uint64_t e = fp_to_int(FP_H, a, FP_INT_L, (unsigned)mode, &ef);
                uint32_t ef32 = 0;
                uint64_t e32 = fp_to_int(FP_H, a, FP_INT_W, (unsigned)mode, &ef32);
                if ((uint64_t)h != e || hf != ef || e32 != e || ef32 != ef) {
                    fesetround(FE_TONEAREST);
                    ck_abort_msg("fcvt.l.h rm %d %04x: host %lld flags %02x exact %lld flags %02x",
                                 mode, a, h, hf, (long long)e, ef);
                }
            }
            int64_t v = (int64_t)next_random() >> (40 + next_random() % 24);
            volatile float fv = (float)v; /* exact: |v| < 2^24 */
            feclearexcept(FE_ALL_EXCEPT);
            uint16_t hv = host_to_half(fv);
            uint32_t hf = host_flags(), ef = 0;
            uint64_t ev = fp_from_int(FP_H, (uint64_t)v, FP_INT_L, (unsigned)mode, &ef);
            if (hv != ev || hf != ef) {
                fesetround(FE_TONEAREST);
                ck_abort_msg("fcvt.h.l rm %d %lld: host %04x flags %02x exact %04llx flags %02x",
                             mode, (long long)v, hv, hf, (unsigned long long)ev, ef);
            }
        }
    }
    fesetround(FE_TONEAREST);
#endif
}
END_TEST

/* Every Zfh instruction in every static mode as qemu-riscv64 (7.2, -cpu
 * rv64,Zfh=true) ran it: lines of tests/fpdiff's fpgen -v output (register
 * values: badly boxed operands read as the canonical NaN), chosen for
 * distinct flags. tests/fpdiff/fpcheck-test compares millions more. */
static const char *const qemu_half_vectors[] = {
    "fadd.h rne ffffffffffff3e00 fffffffffffffc00 -> fffffffffffffc00 00",
    "fadd.h rne ffffffffffff3780 fffffffffffff400 -> fffffffffffff400 01",
    "fadd.h rne ffffffffffff7c67 fffffffffffffc3a -> ffffffffffff7e00 10",
    "fadd.h rne fffffffff9320000 ffffffffffffba3f -> ffffffffffff7e00 00",
    "fadd.h rtz ffffffffffff0000 ffffffffffffffa5 -> ffffffffffff7e00 00",
    "fadd.h rtz ffffffffffff8271 ffffffffffff3bff -> ffffffffffff3bfe 01",
    "fadd.h rtz ffffffffffff7d94 ffffffffffff466a -> ffffffffffff7e00 10",
    "fadd.h rtz ffffffffffff354a fffffffffeff405e -> ffffffffffff7e00 00",
    "fadd.h rdn ffffffffffff4500 fffffffffffffb00 -> fffffffffffffb00 01",
    "fadd.h rdn ffffffffffff8d12 fffffffffffffea1 -> ffffffffffff7e00 00",
    "fadd.h rdn ffffffffffff7910 ffffffffffff7bee -> ffffffffffff7bff 05",
    "fadd.h rdn ffffffffffff4500 ffffffff4fc9cb00 -> ffffffffffff7e00 00",
    "fadd.h rup ffffffffffff000c ffffffffffff630a -> ffffffffffff630b 01",
    "fadd.h rup ffffffffffff7fd3 ffffffffffff0204 -> ffffffffffff7e00 00",
    "fadd.h rup ffffffffffff6800 fffffffffffffd7c -> ffffffffffff7e00 10",
    "fadd.h rup ffffffff1b81b679 ffffffffffff017a -> ffffffffffff7e00 00",
    "fadd.h rmm ffffffffffff4e80 ffffffffffff0000 -> ffffffffffff4e80 00",
    "fadd.h rmm ffffffffffff8d08 ffffffffffff3c92 -> ffffffffffff3c92 01",
    "fadd.h rmm ffffffffffffb9e4 ffffffffffff7c03 -> ffffffffffff7e00 10",
    "fadd.h rmm 7fffffffffff3ed2 ffffffffffffcc80 -> ffffffffffff7e00 00",
    "fsub.h rne ffffffffffffce00 fffffffffffffd66 -> ffffffffffff7e00 10",
    "fsub.h rne fffffffffffffe57 ffffffffffffb865 -> ffffffffffff7e00 00",
    "fsub.h rne ffffffffffff8677 ffffffffffff0f2f -> ffffffffffff9066 01",
    "fsub.h rne ffffffffffff02ee 8670f726c50a87c7 -> ffffffffffff7e00 00",
    "fsub.h rtz ffffffffffffae8b ffffffffffff4dee -> ffffffffffffcdf4 01",
    "fsub.h rtz ffffffffffff7400 ffffffffffffe580 -> ffffffffffff7458 00",
    "fsub.h rtz ffffffffffff4fd1 fffffffffffffda1 -> ffffffffffff7e00 10",
    "fsub.h rtz a4c9d4452326c15d ffffffffffff4c80 -> ffffffffffff7e00 00",
    "fsub.h rdn ffffffffffffbe00 ffffffffffffbd16 -> ffffffffffffb350 00",
    "fsub.h rdn ffffffffffffb53d ffffffffffff0e18 -> ffffffffffffb53f 01",
    "fsub.h rdn fffffffffffffd7c ffffffffffffbbfe -> ffffffffffff7e00 10",
    "fsub.h rdn ffffffffffff8a9f edb89e6a18fa818b -> ffffffffffff7e00 00",
    "fsub.h rup ffffffffffffa027 fffffffffffffafb -> ffffffffffff7afb 01",
    "fsub.h rup ffffffffffffab18 ffffffffffff0000 -> ffffffffffffab18 00",
    "fsub.h rup fffffffffffffcda ffffffffffff340c -> ffffffffffff7e00 10",
    "fsub.h rup fffffdffffff034b ffffffffffff3780 -> ffffffffffff7e00 00",
    "fsub.h rmm ffffffffffffc900 ffffffffffff7d23 -> ffffffffffff7e00 10",
    "fsub.h rmm fffffffffffffa8e ffffffffffff8e3a -> fffffffffffffa8e 01",
    "fsub.h rmm ffffffffffff4900 9a1f2a1f21f77491 -> ffffffffffff7e00 00",
    "fmul.h rne ffffffffffffaf80 ffffffffffff3a20 -> ffffffffffffadbe 00",
    "fmul.h rne fffffffffffff64d ffffffffffff43ff -> fffffffffffffc00 05",
    "fmul.h rne ffffffffffffc300 ffffffffffff42ab -> ffffffffffffc9d6 01",
    "fmul.h rne ffffffffffff0072 ffffffff82fbdab0 -> ffffffffffff7e00 00",
    "fmul.h rtz ffffffffffff8304 fffffffffffff818 -> ffffffffffff3e2c 01",
    "fmul.h rtz ffffffffffff7800 ffffffffffff4f80 -> ffffffffffff7bff 05",
    "fmul.h rtz ffffffffffffcf00 fffffffffffffe50 -> ffffffffffff7e00 00",
    "fmul.h rtz fffffffffffffc6a fffffffff550b200 -> ffffffffffff7e00 10",
    "fmul.h rdn ffffffffffffdf40 ffffffffffff3fff -> ffffffffffffe340 01",
    "fmul.h rdn ffffffffffff8019 ffffffffffff38d7 -> ffffffffffff8010 03",
    "fmul.h rdn ffffffffffff78af ffffffffffffc3ff -> fffffffffffffc00 05",
    "fmul.h rdn ffffffffffffd4f7 ffffffffd50abe00 -> ffffffffffff7e00 00",
    "fmul.h rup ffffffffffffad00 ffffffffffff2545 -> ffffffffffff9696 01",
    "fmul.h rup ffffffffffffb58c ffffffffffff0904 -> ffffffffffff837a 03",
    "fmul.h rup ffffffffffff7c00 ffffffffffffffa3 -> ffffffffffff7e00 00",
    "fmul.h rup f9f1fdf1a9e34f80 ffffffffffffe087 -> ffffffffffff7e00 00",
    "fmul.h rmm ffffffffffffea00 ffffffffffff8a9d -> ffffffffffff38f6 01",
    "fmul.h rmm ffffffffffff0ebf ffffffffffff01f9 -> ffffffffffff0000 03",
    "fmul.h rmm ffffffffffff8194 ffffffffffff7da5 -> ffffffffffff7e00 10",
    "fmul.h rmm 80ce933cb84ef4c1 fffffffffffffd19 -> ffffffffffff7e00 10",
    "fdiv.h rne ffffffffffff3fa2 ffffffffffffe580 -> ffffffffffff958d 01",
    "fdiv.h rne ffffffffffff0e6f ffffffffffff76b6 -> ffffffffffff0000 03",
    "fdiv.h rne ffffffffffff6b25 ffffffffffff84f6 -> fffffffffffffc00 05",
    "fdiv.h rne fffff7ffffffba0d ffffffffffff78f0 -> ffffffffffff7e00 00",
    "fdiv.h rtz ffffffffffff6e60 ffffffffffff7bef -> ffffffffffff2e6d 01",
    "fdiv.h rtz ffffffffffffbc00 fffffffffffff98f -> ffffffffffff0170 03",
    "fdiv.h rtz ffffffffffff7739 ffffffffffffffec -> ffffffffffff7e00 00",
    "fdiv.h rtz 8b77a32075c2ed00 ffffffffffff4080 -> ffffffffffff7e00 00",
    "fdiv.h rdn ffffffffffff406e ba42ee7a554d8000 -> ffffffffffff7e00 00",
    "fdiv.h rdn ffffffffffff0457 ffffffffffff6000 -> ffffffffffff0002 03",
    "fdiv.h rdn ffffffffffffbd99 ffffffffffffd5bd -> ffffffffffff23cd 01",
    "fdiv.h rup ffffffffffff24e4 ffffffffffffc600 -> ffffffffffff9a85 01",
    "fdiv.h rup ffffffffffff050f ffffffffffff0001 -> ffffffffffff650f 00",
    "fdiv.h rup ffffffffffff6e00 ffffffffffff8a8f -> fffffffffffffbff 05",
    "fdiv.h rup ffffffffffff432d bb3c042d02f18049 -> ffffffffffff7e00 00",
    "fdiv.h rmm ffffffffffff3e0a ffffffffffff7200 -> ffffffffffff0807 01",
    "fdiv.h rmm ffffffffffff7ea6 ffffffffffffa79b -> ffffffffffff7e00 00",
    "fdiv.h rmm ffffffffffff300f ffffffffffff7880 -> ffffffffffff003a 03",
    "fdiv.h rmm ffffffffffff003f fffffffffffb8328 -> ffffffffffff7e00 00",
    "fsqrt.h rne ffffffffffff3e55 -> ffffffffffff3d08 01",
    "fsqrt.h rne ffffffffffffcb04 -> ffffffffffff7e00 10",
    "fsqrt.h rne ffffffffffff8000 -> ffffffffffff8000 00",
    "fsqrt.h rne ffffffffffef9d07 -> ffffffffffff7e00 00",
    "fsqrt.h rtz ffffffffffff0d87 -> ffffffffffff24b3 01",
    "fsqrt.h rtz ffffffffffffcbff -> ffffffffffff7e00 10",
    "fsqrt.h rtz ffffffffffff8000 -> ffffffffffff8000 00",
    "fsqrt.h rtz e1598d313e20b1af -> ffffffffffff7e00 00",
    "fsqrt.h rdn ffffffffffff4321 -> ffffffffffff3f8d 01",
    "fsqrt.h rdn ffffffffffffdf70 -> ffffffffffff7e00 10",
    "fsqrt.h rdn ffffffffffff7c00 -> ffffffffffff7c00 00",
    "fsqrt.h rdn e02be62014bb82a4 -> ffffffffffff7e00 00",
    "fsqrt.h rup ffffffffffff306b -> ffffffffffff35f2 01",
    "fsqrt.h rup ffffffffffff0000 -> ffffffffffff0000 00",
    "fsqrt.h rup ffffffffffff8d29 -> ffffffffffff7e00 10",
    "fsqrt.h rup fff7ffffffffacb8 -> ffffffffffff7e00 00",
    "fsqrt.h rmm ffffffffffff3d1d -> ffffffffffff3c86 01",
    "fsqrt.h rmm ffffffffffffc54c -> ffffffffffff7e00 10",
    "fsqrt.h rmm ffffffffffff4400 -> ffffffffffff4000 00",
    "fsqrt.h rmm ffffffff0ed2fc00 -> ffffffffffff7e00 00",
    "fmadd.h rne ffffffffffffc280 ffffffffffff42c4 ffffffffffff6200 -> ffffffffffff61ea 01",
    "fmadd.h rne ffffffffffff662e fffffffffffff85a ffffffffffff67a8 -> fffffffffffffc00 05",
    "fmadd.h rne ffffffffffff3ade fffbffffffff63d4 ffffffffffffcbff -> ffffffffffff7e00 00",
    "fmadd.h rtz ffffffffffff8299 ffffffffffff14b7 fffffffffffffef2 -> ffffffffffff7e00 00",
    "fmadd.h rtz ffffffffffff8a6a ffffffffffffa048 ffffffffffff6200 -> ffffffffffff6200 01",
    "fmadd.h rtz ffffffffffffc680 fffffffffffff4c3 ffffffffffff03ff -> ffffffffffff7bff 05",
    "fmadd.h rtz ffffffffffff04ac ffffffffffffc543 07965820d1790af9 -> ffffffffffff7e00 00",
    "fmadd.h rdn ffffffffffffc580 ffffffffffff7d74 ffffffffffffbddc -> ffffffffffff7e00 10",
    "fmadd.h rdn ffffffffffff3428 ffffffffffffb520 ffffffffffff3abf -> ffffffffffff3a14 01",
    "fmadd.h rdn ffffffffffffb46c ffffffffffff4000 ffffffffffffb578 -> ffffffffffffbb28 00",
    "fmadd.h rdn ffffffffffffc780 fffeffffffff8dc4 ffffffffffff4880 -> ffffffffffff7e00 00",
    "fmadd.h rup ffffffffffff82b5 ffffffffffff1929 ffffffffffff75e3 -> ffffffffffff75e3 01",
    "fmadd.h rup ffffffffffff2fff ffffffffffffbf47 ffffffffffff7f8e -> ffffffffffff7e00 00",
    "fmadd.h rup fffffffffffffd9c ffffffffffff6a00 ffffffffffff7f45 -> ffffffffffff7e00 10",
    "fmadd.h rup ffffffffffffd4e1 ffffffffffff7e3d 7122ba08038ae120 -> ffffffffffff7e00 00",
    "fmadd.h rmm ffffffffffffca80 ffffffffffffbe81 ffffffffffff539c -> ffffffffffff5520 01",
    "fmadd.h rmm ffffffffffff0000 ffffffffffff86bc ffffffffffffc08b -> ffffffffffffc08b 00",
    "fmadd.h rmm ffffffffffffcc85 fffffffffffff900 ffffffffffff814e -> ffffffffffff7c00 05",
    "fmadd.h rmm ffffffffffff1df7 ffffffffffff38c9 ffffffff2e40052a -> ffffffffffff7e00 00",
    "fmsub.h rne ffffffffffffd300 ffffffffffff80c2 ffffffffffff4bfe -> ffffffffffffcbfe 01",
    "fmsub.h rne ffffffffffff2e59 ffffffffffff7c00 ffffffffffff4b46 -> ffffffffffff7c00 00",
    "fmsub.h rne ffffffffffff02b7 ffffffffffff7c78 ffffffffffff9f49 -> ffffffffffff7e00 10",
    "fmsub.h rne ffffefffffffc48d fffffffffffffc00 ffffffffffff9500 -> ffffffffffff7e00 00",
    "fmsub.h rtz ffffffffffff8007 ffffffffffff2f40 ffffffffffffbbfd -> ffffffffffff3bfc 01",
    "fmsub.h rtz ffffffff84cd3bfc ffffffffffffcfe9 fffffffffffff0e9 -> ffffffffffff7e00 00",
    "fmsub.h rtz ffffffffffffca00 fffffffffffff83a ffffffffffff046d -> ffffffffffff7bff 05",
    "fmsub.h rdn ffffffffffffc600 ffffffffffff8c12 fffffffffffff4da -> ffffffffffff74da 01",
    "fmsub.h rdn ffffffffffffcfb9 ffffffffffff766e ffffffffffffe62a -> fffffffffffffc00 05",
    "fmsub.h rdn ffffffffffffecd8 fffffffffffffc00 ffffffffffffbfcf -> ffffffffffff7c00 00",
    "fmsub.h rdn ffffffff358f4400 ffffffffffffd6fe ffffffffffff9c58 -> ffffffffffff7e00 00",
    "fmsub.h rup ffffffffffff8002 ffffffffffffe317 ffffffffffff652d -> ffffffffffffe52c 01",
    "fmsub.h rup ffffffffffff7c00 ffffffffffff479e ffffffffffff4400 -> ffffffffffff7c00 00",
    "fmsub.h rup ffffffffffffd300 ffffffffffff5c00 ffffffffffff7cf0 -> ffffffffffff7e00 10",
    "fmsub.h rup ffffffffffff1a35 ffffffffffffb865 32d4340a3b5f5300 -> ffffffffffff7e00 00",
    "fmsub.h rmm ffffffffffffc380 ffffffffffff3bfe ffffffffffff059a -> ffffffffffffc37e 01",
    "fmsub.h rmm ffffffffffffe280 ffffffffffff0000 ffffffffffff37be -> ffffffffffffb7be 00",
    "fmsub.h rmm ffffffffffffcc23 fffffffffffff71a ffffffffffff8473 -> ffffffffffff7c00 05",
    "fmsub.h rmm ffffffffffff4167 ffffffffffff4dc0 fffffffeffff4263 -> ffffffffffff7e00 00",
    "fnmsub.h rne ffffffffffff0260 ffffffffffff0000 ffffffffffffb4ed -> ffffffffffffb4ed 00",
    "fnmsub.h rne ffffffffffffc3a3 ffffffffffff3300 ffffffffffff7b1d -> ffffffffffff7b1d 01",
    "fnmsub.h rne ffffffffffff5d44 ffffffffffff6535 ffffffffffff004b -> fffffffffffffc00 05",
    "fnmsub.h rne ffffffffffffc1c5 51a4e12d22a9be00 ffffffffffffe86a -> ffffffffffff7e00 00",
    "fnmsub.h rtz ffffffffffff77a2 ffffffffffffc900 ffffffffffff33ff -> ffffffffffff7bff 05",
    "fnmsub.h rtz ffffffffffff34a4 ffffffffffff10be ffffffffffffee53 -> ffffffffffffee53 01",
    "fnmsub.h rtz ffffffffffffb0a8 fffffffffffffc00 ffffffffffff7c00 -> ffffffffffff7e00 10",
    "fnmsub.h rtz ffffffffffff65a6 3bbc95923c94741f ffffffffffff6000 -> ffffffffffff7e00 00",
    "fnmsub.h rdn ffffffffffff427c ffffffffffff7140 ffffffffffff5d64 -> fffffffffffff837 01",
    "fnmsub.h rdn ffffffffffffc396 ffffffffffffa0b2 ffffffffffbf8000 -> ffffffffffff7e00 00",
    "fnmsub.h rdn ffffffffffffc400 fffffffffffffaa8 fffffffffffff180 -> fffffffffffffc00 05",
    "fnmsub.h rup ffffffffffff78a6 ffffffffffff7840 fffffffffffffe8b -> ffffffffffff7e00 00",
    "fnmsub.h rup ffffffffffff15ad ffffffffffff3af2 ffffffffffff6800 -> ffffffffffff6800 01",
    "fnmsub.h rup ffffffffffff0019 fffffffffffffd2d ffffffffffff0045 -> ffffffffffff7e00 10",
    "fnmsub.h rup c13b0fa19e45c800 ffffffffffffccc4 ffffffffffffb840 -> ffffffffffff7e00 00",
    "fnmsub.h rmm ffffffffffff0a98 ffffffffffff8000 fffffffffffff400 -> fffffffffffff400 00",
    "fnmsub.h rmm ffffffffffffcf00 ffffffffffff6cab ffffffffffff7d3f -> ffffffffffff7e00 10",
    "fnmsub.h rmm ffffffffffff2cf8 ffffffffffff5f77 ffffffffffffd7e4 -> ffffffffffffd91b 01",
    "fnmsub.h rmm ffffffffffff42be ffffffff4493c245 ffffffffffffa551 -> ffffffffffff7e00 00",
    "fnmadd.h rne ffffffffffff1587 ffffffffffffc680 ffffffffffffa3a3 -> ffffffffffff2610 01",
    "fnmadd.h rne ffffffffffffff7e ffffffffffffee6c ffffffffffff4c92 -> ffffffffffff7e00 00",
    "fnmadd.h rne ffffffffffff846b ffffffffffff353e ffffffffffff0451 -> ffffffffffff82de 03",
    "fnmadd.h rne fffffffffffff7f0 ffffffffffff5ae6 edee217f09888004 -> ffffffffffff7e00 00",
    "fnmadd.h rtz ffffffffffff7655 ffffffffffff04f3 ffffffffffff7120 -> fffffffffffff120 01",
    "fnmadd.h rtz ffffffffffff8000 ffffffffffffc170 ffffffffffff367e -> ffffffffffffb67e 00",
    "fnmadd.h rtz fffffffffffff615 fffffffffffffa70 ffffffffffff7999 -> fffffffffffffbff 05",
    "fnmadd.h rtz fffffffffffff400 d8986fbc56446900 fffffffffffff58c -> ffffffffffff7e00 00",
    "fnmadd.h rdn ffffffffffff45a3 ffffffffffffcc4b ffffffffffff7cf2 -> ffffffffffff7e00 10",
    "fnmadd.h rdn ffffffffffffbbfc ffffffffffff080b ffffffffffff79e0 -> fffffffffffff9e0 01",
    "fnmadd.h rdn ffffffffffff3616 ffffffffffff7c00 ffffffffffffe980 -> fffffffffffffc00 00",
    "fnmadd.h rdn ffffffffffff3e00 ffffffffffffc600 ffffffff990afdf1 -> ffffffffffff7e00 00",
    "fnmadd.h rup ffffffffffff7bb9 ffffffffffffc3ff ffffffffffffbc80 -> ffffffffffff7c00 05",
    "fnmadd.h rup ffffffffffff8704 ffffffffffff950c ffffffffffffe132 -> ffffffffffff6132 01",
    "fnmadd.h rup ffffffffffff6080 fffffffffffffdae fffffffffffffa00 -> ffffffffffff7e00 10",
    "fnmadd.h rup ffffffffffff0e5c ffffffff5b4880d9 ffffffffffffe400 -> ffffffffffff7e00 00",
    "fnmadd.h rmm ffffffffffff6e1f ffffffffffff0a1e ffffffffffff83b2 -> ffffffffffffbcae 01",
    "fnmadd.h rmm ffffffffffff8b29 ffffffff22ae123f ffffffffffff8db3 -> ffffffffffff7e00 00",
    "fnmadd.h rmm ffffffffffff5e00 ffffffffffffd9ad ffffffffffff196b -> ffffffffffff7c00 05",
    "fsgnj.h - ffffffffffffb868 ffffffffffff8db6 -> ffffffffffffb868 00",
    "fsgnj.h - ffffffffffff37ff ffffffffefffbb7b -> ffffffffffff37ff 00",
    "fsgnjn.h - ffffffffffffbb8f ffffffffffff7dd0 -> ffffffffffffbb8f 00",
    "fsgnjn.h - ffffffffffff0b81 c415014132e6fe5a -> ffffffffffff8b81 00",
    "fsgnjx.h - ffffffffffff6c00 fffffffffffff2a7 -> ffffffffffffec00 00",
    "fsgnjx.h - ffffffff8c3bb881 ffffffffffffbf9e -> fffffffffffffe00 00",
    "fmin.h - ffffffffffff6c48 ffffffffffff7118 -> ffffffffffff6c48 00",
    "fmin.h - ffffffff075a3de5 fffffffffffffc68 -> ffffffffffff7e00 10",
    "fmax.h - fffffffffffffaf8 ffffffffffffdfda -> ffffffffffffdfda 00",
    "fmax.h - ffffffffffffff33 ffffffffffff7d4e -> ffffffffffff7e00 10",
    "fmax.h - ffffffffffff802c ffffffff4d9cbeeb -> ffffffffffff802c 00",
    "feq.h - fffffffffffffa7f ffffffffffff13ac -> 0000000000000000 00",
    "feq.h - ffffffffffff7cc6 ffffffffffff93fb -> 0000000000000000 10",
    "feq.h - fbffffffffff514c ffffffffffffe000 -> 0000000000000000 00",
    "flt.h - ffffffffffff4bfc ffffffffffffea00 -> 0000000000000000 00",
    "flt.h - ffffffffffffffab ffffffffffff4e80 -> 0000000000000000 10",
    "flt.h - fffffffffffffe30 ffffffffe4d87daf -> 0000000000000000 10",
    "fle.h - ffffffffffff4bff ffffffffffff083d -> 0000000000000000 00",
    "fle.h - ffffffffffff7c56 ffffffffffff8001 -> 0000000000000000 10",
    "fle.h - 32c846824401813d ffffffffffffaffd -> 0000000000000000 10",
    "fclass.h - fffffffffffffe9b -> 0000000000000200 00",
    "fclass.h - ffffffffbbff3ac0 -> 0000000000000200 00",
    "fmv.x.h - ffffffffffffff74 -> ffffffffffffff74 00",
    "fmv.x.h - 2752c6925fed4c80 -> 0000000000004c80 00",
    "fcvt.w.h rne ffffffffffff0a70 -> 0000000000000000 01",
    "fcvt.w.h rne ffffffffffff4400 -> 0000000000000004 00",
    "fcvt.w.h rne fffffffeffff93d8 -> 000000007fffffff 10",
    "fcvt.w.h rtz ffffffffffff2a32 -> 0000000000000000 01",
    "fcvt.w.h rtz ffffffffffffee29 -> ffffffffffffe75c 00",
    "fcvt.w.h rtz fffffffffffffc00 -> ffffffff80000000 10",
    "fcvt.w.h rtz fffeffffffffd600 -> 000000007fffffff 10",
    "fcvt.w.h rdn ffffffffffff050c -> 0000000000000000 01",
    "fcvt.w.h rdn ffffffffffff6400 -> 0000000000000400 00",
    "fcvt.w.h rdn fffffffffffffc00 -> ffffffff80000000 10",
    "fcvt.w.h rdn fffffffffca10683 -> 000000007fffffff 10",
    "fcvt.w.h rup ffffffffffff1e16 -> 0000000000000001 01",
    "fcvt.w.h rup fffffffffffff330 -> ffffffffffffc680 00",
    "fcvt.w.h rup fffffffffffffc00 -> ffffffff80000000 10",
    "fcvt.w.h rup 335cfbfa10dafda3 -> 000000007fffffff 10",
    "fcvt.w.h rmm ffffffffffff0408 -> 0000000000000000 01",
    "fcvt.w.h rmm fffffffffffffc00 -> ffffffff80000000 10",
    "fcvt.w.h rmm ffffffffffffec25 -> ffffffffffffef6c 00",
    "fcvt.w.h rmm ffffffffffbf6750 -> 000000007fffffff 10",
    "fcvt.wu.h rne ffffffffffff09f7 -> 0000000000000000 01",
    "fcvt.wu.h rne fffffffffffff78f -> 0000000000000000 10",
    "fcvt.wu.h rne ffffffffffff4900 -> 000000000000000a 00",
    "fcvt.wu.h rne ffffffffefff6e00 -> ffffffffffffffff 10",
    "fcvt.wu.h rtz ffffffffffff1545 -> 0000000000000000 01",
    "fcvt.wu.h rtz ffffffffffff7400 -> 0000000000004000 00",
    "fcvt.wu.h rtz ffffffffff7f7c00 -> ffffffffffffffff 10",
    "fcvt.wu.h rdn ffffffffffff0493 -> 0000000000000000 01",
    "fcvt.wu.h rdn ffffffffffffe800 -> 0000000000000000 10",
    "fcvt.wu.h rdn ffffffffffff0000 -> 0000000000000000 00",
    "fcvt.wu.h rdn ffffdffffffff9d3 -> ffffffffffffffff 10",
    "fcvt.wu.h rup ffffffffffff4cc9 -> 0000000000000014 01",
    "fcvt.wu.h rup fffffffffffffc00 -> 0000000000000000 10",
    "fcvt.wu.h rup ffffffffffff5fc0 -> 00000000000001f0 00",
    "fcvt.wu.h rup fffffffffffb8ebb -> ffffffffffffffff 10",
    "fcvt.wu.h rmm ffffffffffff072f -> 0000000000000000 01",
    "fcvt.wu.h rmm ffffffffffff7712 -> 0000000000007120 00",
    "fcvt.wu.h rmm fc57b35a7f418000 -> ffffffffffffffff 10",
    "fcvt.l.h rne ffffffffffffc7fe -> fffffffffffffff8 01",
    "fcvt.l.h rne ffffffffffff6c00 -> 0000000000001000 00",
    "fcvt.l.h rne ffffffffffffff99 -> 7fffffffffffffff 10",
    "fcvt.l.h rne ab7ccfc12a9f3c99 -> 7fffffffffffffff 10",
    "fcvt.l.h rtz ffffffffffffe2a7 -> fffffffffffffcad 01",
    "fcvt.l.h rtz ffffffffffffe500 -> fffffffffffffb00 00",
    "fcvt.l.h rtz ffffffffffff7c6b -> 7fffffffffffffff 10",
    "fcvt.l.h rtz ffffffffeb31c1ef -> 7fffffffffffffff 10",
    "fcvt.l.h rdn ffffffffffffbbfd -> ffffffffffffffff 01",
    "fcvt.l.h rdn ffffffffffff4b80 -> 000000000000000f 00",
    "fcvt.l.h rdn ffffffffffff7c2c -> 7fffffffffffffff 10",
    "fcvt.l.h rdn e72de4ec1e03136b -> 7fffffffffffffff 10",
    "fcvt.l.h rup ffffffffffff8c0b -> 0000000000000000 01",
    "fcvt.l.h rup ffffffffffff4d80 -> 0000000000000016 00",
    "fcvt.l.h rup fffffffffffffdd0 -> 7fffffffffffffff 10",
    "fcvt.l.h rup 7fffffffffffb6e1 -> 7fffffffffffffff 10",
    "fcvt.l.h rmm ffffffffffffc7fe -> fffffffffffffff8 01",
    "fcvt.l.h rmm ffffffffffff0000 -> 0000000000000000 00",
    "fcvt.l.h rmm ffffffffbfff0042 -> 7fffffffffffffff 10",
    "fcvt.lu.h rne ffffffffffffc7fc -> 0000000000000000 10",
    "fcvt.lu.h rne ffffffffffff3b42 -> 0000000000000001 01",
    "fcvt.lu.h rne ffffffffffff5200 -> 0000000000000030 00",
    "fcvt.lu.h rne ffffffff03eec380 -> ffffffffffffffff 10",
    "fcvt.lu.h rtz ffffffffffff9780 -> 0000000000000000 01",
    "fcvt.lu.h rtz ffffffffffff0000 -> 0000000000000000 00",
    "fcvt.lu.h rtz ffffffffffff7c6b -> ffffffffffffffff 10",
    "fcvt.lu.h rtz aac85682def67c00 -> ffffffffffffffff 10",
    "fcvt.lu.h rdn ffffffffffffbbff -> 0000000000000000 10",
    "fcvt.lu.h rdn ffffffffffff7005 -> 0000000000002028 00",
    "fcvt.lu.h rdn ffffffffffff37fe -> 0000000000000000 01",
    "fcvt.lu.h rdn dfb1915bef9137fd -> ffffffffffffffff 10",
    "fcvt.lu.h rup ffffffffffffb484 -> 0000000000000000 01",
    "fcvt.lu.h rup ffffffffffffe9c0 -> 0000000000000000 10",
    "fcvt.lu.h rup ffffffffffff7b0c -> 000000000000e180 00",
    "fcvt.lu.h rup ffffffff282569a9 -> ffffffffffffffff 10",
    "fcvt.lu.h rmm ffffffffffffc7fc -> 0000000000000000 10",
    "fcvt.lu.h rmm ffffffffffff6280 -> 0000000000000340 00",
    "fcvt.lu.h rmm ffffffffffff36fc -> 0000000000000000 01",
    "fcvt.lu.h rmm fffffbffffffaa91 -> ffffffffffffffff 10",
    "fcvt.s.h - ffffffffffff3b26 -> ffffffff3f64c000 00",
    "fcvt.s.h - ffffffffffff7c31 -> ffffffff7fc00000 10",
    "fcvt.s.h - 0c38a4108dd69583 -> ffffffff7fc00000 00",
    "fcvt.d.h - ffffffffffff3a39 -> 3fe8e40000000000 00",
    "fcvt.d.h - ffffffffffff7d65 -> 7ff8000000000000 10",
    "fcvt.d.h - ffffffbfffff7caa -> 7ff8000000000000 00",
    "fcvt.h.s rne ffffffffc6e7e69e -> fffffffffffff73f 01",
    "fcvt.h.s rne ffffffff91545922 -> ffffffffffff8000 03",
    "fcvt.h.s rne ffffffffb89f4000 -> ffffffffffff84fa 00",
    "fcvt.h.s rtz ffffffffb7c34fec -> ffffffffffff8186 03",
    "fcvt.h.s rtz ffffffff3f9bc000 -> ffffffffffff3cde 00",
    "fcvt.h.s rtz ffffffff3ec0d7d9 -> ffffffffffff3606 01",
    "fcvt.h.s rdn ffffffffb9135c52 -> ffffffffffff889b 01",
    "fcvt.h.s rdn ffffffffc97f999f -> fffffffffffffc00 05",
    "fcvt.h.s rdn ffffffff3c1fe000 -> ffffffffffff20ff 00",
    "fcvt.h.s rup ffffffffb5ea0000 -> ffffffffffff801d 03",
    "fcvt.h.s rup ffffffff41028441 -> ffffffffffff4815 01",
    "fcvt.h.s rup fffffffffbd7ef96 -> fffffffffffffbff 05",
    "fcvt.h.s rmm ffffffffc150fb36 -> ffffffffffffca88 01",
    "fcvt.h.s rmm ffffffff330bd000 -> ffffffffffff0001 03",
    "fcvt.h.s rmm ffffffffdf415cee -> fffffffffffffc00 05",
    "fcvt.h.d rne bf2b145841c0f107 -> ffffffffffff8ac5 01",
    "fcvt.h.d rne 3e9a77ffffffffff -> ffffffffffff0007 03",
    "fcvt.h.d rne 4435ad7baf3ae716 -> ffffffffffff7c00 05",
    "fcvt.h.d rtz bef0354f156bdfd7 -> ffffffffffff8103 03",
    "fcvt.h.d rtz 407c538b1c15d28c -> ffffffffffff5f14 01",
    "fcvt.h.d rtz c3f2000000000000 -> fffffffffffffbff 05",
    "fcvt.h.d rdn bfd7430000000000 -> ffffffffffffb5d1 01",
    "fcvt.h.d rdn 402c000000000000 -> ffffffffffff4b00 00",
    "fcvt.h.d rdn 3e7a400000000000 -> ffffffffffff0001 03",
    "fcvt.h.d rup c0e03c0000000000 -> fffffffffffff80f 00",
    "fcvt.h.d rup c083e3ffffffffff -> ffffffffffffe0f8 01",
    "fcvt.h.d rup 0033bc18a72612de -> ffffffffffff0001 03",
    "fcvt.h.d rmm bf53e1ffffffffff -> ffffffffffff94f8 01",
    "fcvt.h.d rmm 3e825e216ccb28ca -> ffffffffffff0002 03",
    "fcvt.h.d rmm c0f2c5ffffffffff -> fffffffffffffc00 05",
    "fcvt.h.w rne 0000000000000000 -> ffffffffffff0000 00",
    "fcvt.h.w rne 0000000000009b45 -> ffffffffffff78da 01",
    "fcvt.h.w rne 0000000000573220 -> ffffffffffff7c00 05",
    "fcvt.h.w rtz ffffffffffffffe2 -> ffffffffffffcf80 00",
    "fcvt.h.w rtz 0000059f8facce29 -> fffffffffffffbff 05",
    "fcvt.h.w rtz 0000000000005dcb -> ffffffffffff75dc 01",
    "fcvt.h.w rdn ffffffffffffffdc -> ffffffffffffd080 00",
    "fcvt.h.w rdn 0000000000007a59 -> ffffffffffff77a5 01",
    "fcvt.h.w rdn 06053615e76748e4 -> fffffffffffffc00 05",
    "fcvt.h.w rup ffffffffffffc986 -> fffffffffffff2cf 01",
    "fcvt.h.w rup ffffffffffffff28 -> ffffffffffffdac0 00",
    "fcvt.h.w rup 0010e2fecb797524 -> fffffffffffffbff 05",
    "fcvt.h.w rmm fffffffffffffdea -> ffffffffffffe02c 00",
    "fcvt.h.w rmm 000000007fffffff -> ffffffffffff7c00 05",
    "fcvt.h.w rmm 0000000000001542 -> ffffffffffff6d51 01",
    "fcvt.h.wu rne fffffffffffff33b -> ffffffffffff7c00 05",
    "fcvt.h.wu rne 0000000000000002 -> ffffffffffff4000 00",
    "fcvt.h.wu rne 0000000000005e93 -> ffffffffffff75e9 01",
    "fcvt.h.wu rtz ffffffffffffd3fb -> ffffffffffff7bff 05",
    "fcvt.h.wu rtz 0000000000000114 -> ffffffffffff5c50 00",
    "fcvt.h.wu rtz 00000000000017ab -> ffffffffffff6dea 01",
    "fcvt.h.wu rdn 0000000000000000 -> ffffffffffff0000 00",
    "fcvt.h.wu rdn ffffffffffffe345 -> ffffffffffff7bff 05",
    "fcvt.h.wu rdn 0000000000001043 -> ffffffffffff6c10 01",
    "fcvt.h.wu rup 0000000000000050 -> ffffffffffff5500 00",
    "fcvt.h.wu rup 0000000000004119 -> ffffffffffff7412 01",
    "fcvt.h.wu rup 7ffffffffffffffe -> ffffffffffff7c00 05",
    "fcvt.h.wu rmm 0000000000000001 -> ffffffffffff3c00 00",
    "fcvt.h.wu rmm fffffffffffffed6 -> ffffffffffff7c00 05",
    "fcvt.h.wu rmm 000000000000357e -> ffffffffffff72b0 01",
    "fcvt.h.l rne 00000000000003fd -> ffffffffffff63fa 00",
    "fcvt.h.l rne 0000000000006771 -> ffffffffffff7677 01",
    "fcvt.h.l rne 0000000000c4961f -> ffffffffffff7c00 05",
    "fcvt.h.l rtz 00000000000009c3 -> ffffffffffff68e1 01",
    "fcvt.h.l rtz 000000007ffffffe -> ffffffffffff7bff 05",
    "fcvt.h.l rtz fffffffffffffff9 -> ffffffffffffc700 00",
    "fcvt.h.l rdn 0000000000000016 -> ffffffffffff4d80 00",
    "fcvt.h.l rdn ffffffffffffe896 -> ffffffffffffeddb 01",
    "fcvt.h.l rdn 000f4c953ca00000 -> ffffffffffff7bff 05",
    "fcvt.h.l rup fffffffffffffffe -> ffffffffffffc000 00",
    "fcvt.h.l rup 0019cafeea337c98 -> ffffffffffff7c00 05",
    "fcvt.h.l rup 0000000000004958 -> ffffffffffff7496 01",
    "fcvt.h.l rmm ffffffffffffffe1 -> ffffffffffffcfc0 00",
    "fcvt.h.l rmm 0000000000000c67 -> ffffffffffff6a34 01",
    "fcvt.h.l rmm 000000000170bba5 -> ffffffffffff7c00 05",
    "fcvt.h.lu rne ffffffffffffdaeb -> ffffffffffff7c00 05",
    "fcvt.h.lu rne 0000000000000033 -> ffffffffffff5260 00",
    "fcvt.h.lu rne 0000000000001603 -> ffffffffffff6d81 01",
    "fcvt.h.lu rtz fffffffffffffcfe -> ffffffffffff7bff 05",
    "fcvt.h.lu rtz 000000000000005e -> ffffffffffff55e0 00",
    "fcvt.h.lu rtz 000000000000d4bf -> ffffffffffff7aa5 01",
    "fcvt.h.lu rdn ffffffffffffffff -> ffffffffffff7bff 05",
    "fcvt.h.lu rdn 0000000000000815 -> ffffffffffff680a 01",
    "fcvt.h.lu rdn 000000000000001a -> ffffffffffff4e80 00",
    "fcvt.h.lu rup 0000000000000002 -> ffffffffffff4000 00",
    "fcvt.h.lu rup 0000000000007cf6 -> ffffffffffff77d0 01",
    "fcvt.h.lu rup 8000000000000002 -> ffffffffffff7c00 05",
    "fcvt.h.lu rmm 000000000000000a -> ffffffffffff4900 00",
    "fcvt.h.lu rmm ffffffffffffffff -> ffffffffffff7c00 05",
    "fcvt.h.lu rmm 0000000000006da5 -> ffffffffffff76da 01",
    "fmv.h.x - fffffffffffffffd -> fffffffffffffffd 00",
    "flh - 0000000000000729 -> ffffffffffff0729 00",
    "fsh - ffffffffffff99a5 ffffffffffff6620 -> 00000000000099a5 00",
};

START_TEST(test_half_qemu_vectors)
{
    size_t n = sizeof(qemu_half_vectors) / sizeof(qemu_half_vectors[0]);
    for (size_t i = 0; i < n; i++) {
        FpModelCase c;
        uint64_t result;
        uint32_t flags;
        if (!fpmodel_parse(qemu_half_vectors[i], &c))
            ck_abort_msg("vector %zu does not parse: %s", i, qemu_half_vectors[i]);
        if (!fpmodel_agrees(&c, &result, &flags))
            ck_abort_msg("%s: fpu.c gives %016llx %02x", qemu_half_vectors[i],
                         (unsigned long long)result, flags);
    }
}
END_TEST

START_TEST(test_half_boxing)
{
    /* Unpriv spec, Zfh: bits 63:16 all ones, or the value is the
     * canonical NaN; a boxed binary32 is not a boxed binary16. */
    ck_assert_uint_eq(fp_box_h(F16_ONE), 0xffffffffffff3c00ull);
    ck_assert_uint_eq(fp_unbox_h(0xffffffffffff3c00ull), F16_ONE);
    ck_assert_uint_eq(fp_unbox_h(fp_box_s(0x00003c00)), F16_CANONICAL_NAN);
    ck_assert_uint_eq(fp_unbox_h(0x7fffffffffff3c00ull), F16_CANONICAL_NAN);
    ck_assert_uint_eq(fp_unbox_h(0x3c00), F16_CANONICAL_NAN);
    /* A boxed binary16 is, as a binary32, a NaN: boxing nests. */
    ck_assert_uint_eq(fp_unbox_s(fp_box_h(F16_ONE)), 0xffff3c00);
}
END_TEST

START_TEST(test_half_rounding_edges)
{
    uint32_t flags = 0;
    /* 65504 + 16 is halfway to 2^16: RNE and RMM overflow, RTZ stays. */
    uint64_t just_over = 0x477ff000; /* 65520.0f */
    ck_assert_uint_eq(fp_convert(FP_H, FP_S, just_over, FRM_RNE, &flags), F16_INF);
    ck_assert_uint_eq(flags, FFLAG_OF | FFLAG_NX);
    flags = 0;
    ck_assert_uint_eq(fp_convert(FP_H, FP_S, just_over, FRM_RMM, &flags), F16_INF);
    ck_assert_uint_eq(fp_convert(FP_H, FP_S, just_over, FRM_RTZ, &flags), F16_MAX);
    ck_assert_uint_eq(fp_convert(FP_H, FP_S, just_over | F32_SIGN, FRM_RUP, &flags),
                      F16_MAX | F16_SIGN);
    /* Integers too: 65520 overflows, 65519 does not. */
    flags = 0;
    ck_assert_uint_eq(fp_from_int(FP_H, 65520, FP_INT_W, FRM_RNE, &flags), F16_INF);
    ck_assert_uint_eq(flags, FFLAG_OF | FFLAG_NX);
    flags = 0;
    ck_assert_uint_eq(fp_from_int(FP_H, 65519, FP_INT_W, FRM_RNE, &flags), F16_MAX);
    ck_assert_uint_eq(flags, FFLAG_NX);
    flags = 0;
    ck_assert_uint_eq(fp_from_int(FP_H, UINT64_MAX, FP_INT_WU, FRM_RTZ, &flags), F16_MAX);
    /* 2^-25 is half the smallest subnormal: a tie to even (0) under RNE,
     * away (2^-24) under RMM; both tiny and inexact. */
    flags = 0;
    ck_assert_uint_eq(fp_convert(FP_H, FP_S, 0x33000000, FRM_RNE, &flags), 0);
    ck_assert_uint_eq(flags, FFLAG_UF | FFLAG_NX);
    ck_assert_uint_eq(fp_convert(FP_H, FP_S, 0x33000000, FRM_RMM, &flags), 1);
    /* Unpriv spec 11.2: tininess after rounding. 2^-14 (1 - 2^-12) rounds
     * to the smallest normal, 2^-14, under RNE: inexact, not underflow;
     * under RTZ it stays subnormal and underflows. */
    flags = 0;
    ck_assert_uint_eq(fp_convert(FP_H, FP_S, 0x387ff000, FRM_RNE, &flags), 0x0400);
    ck_assert_uint_eq(flags, FFLAG_NX);
    flags = 0;
    ck_assert_uint_eq(fp_convert(FP_H, FP_S, 0x387ff000, FRM_RTZ, &flags), 0x03ff);
    ck_assert_uint_eq(flags, FFLAG_UF | FFLAG_NX);
    /* binary64 to binary16 rounds once: 1 + 2^-11 + 2^-40 is above the tie
     * that a detour through binary32 would make of it. */
    flags = 0;
    ck_assert_uint_eq(fp_convert(FP_H, FP_D, 0x3ff0020000001000ull, FRM_RNE, &flags), 0x3c01);
    ck_assert_uint_eq(flags, FFLAG_NX);
    /* Subnormal arithmetic is exact: 2^-24 + 2^-24. */
    flags = 0;
    ck_assert_uint_eq(fp_add(FP_H, 1, 1, FRM_RNE, &flags), 2);
    ck_assert_uint_eq(flags, 0);
    /* Widening is exact, subnormals included; NaNs become canonical and a
     * signalling one is invalid. */
    ck_assert_uint_eq(fp_convert(FP_S, FP_H, 1, FRM_RNE, &flags), 0x33800000);
    ck_assert_uint_eq(fp_convert(FP_D, FP_H, 0xfbff, FRM_RNE, &flags), 0xc0effc0000000000ull);
    ck_assert_uint_eq(flags, 0);
    ck_assert_uint_eq(fp_convert(FP_D, FP_H, 0x7d00, FRM_RNE, &flags), F64_CANONICAL_NAN);
    ck_assert_uint_eq(flags, FFLAG_NV);
    flags = 0;
    ck_assert_uint_eq(fp_convert(FP_H, FP_S, 0xffc12345, FRM_RNE, &flags), F16_CANONICAL_NAN);
    ck_assert_uint_eq(flags, 0);
}
END_TEST

START_TEST(test_half_rules)
{
    uint32_t flags = 0;
    uint16_t snan = 0x7c01, qnan = 0xfe55;
    ck_assert_uint_eq(fp_mul(FP_H, snan, F16_ONE, FRM_RNE, &flags), F16_CANONICAL_NAN);
    ck_assert_uint_eq(flags, FFLAG_NV);
    flags = 0;
    ck_assert_uint_eq(fp_min(FP_H, qnan, F16_ONE, &flags), F16_ONE);
    ck_assert_uint_eq(fp_max(FP_H, 0, F16_SIGN, &flags), 0);
    ck_assert_uint_eq(fp_min(FP_H, 0, F16_SIGN, &flags), F16_SIGN);
    ck_assert(fp_eq(FP_H, 0, F16_SIGN, &flags));
    ck_assert(fp_lt(FP_H, 0xc000, F16_ONE, &flags));
    ck_assert_uint_eq(flags, 0);
    ck_assert(!fp_le(FP_H, qnan, F16_ONE, &flags));
    ck_assert_uint_eq(flags, FFLAG_NV);
    flags = 0;
    ck_assert_uint_eq(fp_muladd(FP_H, F16_INF, 0, qnan, 0, FRM_RNE, &flags), F16_CANONICAL_NAN);
    ck_assert_uint_eq(flags, FFLAG_NV);
    flags = 0;
    ck_assert_uint_eq(fp_sqrt(FP_H, 0x4400, FRM_RNE, &flags), 0x4000); /* sqrt(4) */
    ck_assert_uint_eq(fp_sqrt(FP_H, F16_SIGN, FRM_RNE, &flags), F16_SIGN);
    ck_assert_uint_eq(flags, 0);
    ck_assert_uint_eq(fp_div(FP_H, F16_ONE, 0, FRM_RNE, &flags), F16_INF);
    ck_assert_uint_eq(flags, FFLAG_DZ);
    /* Unpriv spec table 11.4, for binary16 sources. */
    flags = 0;
    ck_assert_uint_eq(fp_to_int(FP_H, F16_CANONICAL_NAN, FP_INT_W, FRM_RTZ, &flags), 0x7fffffff);
    ck_assert_uint_eq(fp_to_int(FP_H, F16_INF | F16_SIGN, FP_INT_L, FRM_RTZ, &flags),
                      (uint64_t)INT64_MIN);
    ck_assert_uint_eq(fp_to_int(FP_H, 0xbc00, FP_INT_WU, FRM_RTZ, &flags), 0); /* -1 */
    ck_assert_uint_eq(flags, FFLAG_NV);
    flags = 0;
    ck_assert_uint_eq(fp_to_int(FP_H, F16_MAX | F16_SIGN, FP_INT_W, FRM_RTZ, &flags),
                      (uint64_t)-65504);
    ck_assert_uint_eq(fp_to_int(FP_H, 0x3800, FP_INT_LU, FRM_RMM, &flags), 1); /* 0.5 */
    ck_assert_uint_eq(flags, FFLAG_NX);
    ck_assert_uint_eq(fp_class(FP_H, 0xfc00), 1u << 0);
    ck_assert_uint_eq(fp_class(FP_H, 0xbc00), 1u << 1);
    ck_assert_uint_eq(fp_class(FP_H, 0x83ff), 1u << 2);
    ck_assert_uint_eq(fp_class(FP_H, F16_SIGN), 1u << 3);
    ck_assert_uint_eq(fp_class(FP_H, 0), 1u << 4);
    ck_assert_uint_eq(fp_class(FP_H, 0x0001), 1u << 5);
    ck_assert_uint_eq(fp_class(FP_H, F16_MAX), 1u << 6);
    ck_assert_uint_eq(fp_class(FP_H, F16_INF), 1u << 7);
    ck_assert_uint_eq(fp_class(FP_H, snan), 1u << 8);
    ck_assert_uint_eq(fp_class(FP_H, F16_CANONICAL_NAN), 1u << 9);
}
END_TEST

static Suite *fpu_suite(void)
{
    Suite *s = suite_create("fpu");
    TCase *host = tcase_create("host");
    tcase_set_timeout(host, 120);
    tcase_add_loop_test(host, test_against_host, 0, 2 * T_COUNT);
    tcase_add_test(host, test_to_int_against_host);
    tcase_add_test(host, test_fast_path_matches_exact);
    tcase_add_loop_test(host, test_half_against_host, 0, H_COUNT);
    tcase_add_test(host, test_half_integers_against_host);
    suite_add_tcase(s, host);

    TCase *rules = tcase_create("rules");
    tcase_add_test(rules, test_round_to_nearest_max_magnitude);
    tcase_add_test(rules, test_nan_rules);
    tcase_add_test(rules, test_integer_conversion_limits);
    tcase_add_test(rules, test_class);
    tcase_add_test(rules, test_half_qemu_vectors);
    tcase_add_test(rules, test_half_boxing);
    tcase_add_test(rules, test_half_rounding_edges);
    tcase_add_test(rules, test_half_rules);
    suite_add_tcase(s, rules);
    return s;
}

int main(void)
{
    return run_suite(fpu_suite());
}
