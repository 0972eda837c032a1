/* tests/unit/test_fpu.c: unit tests for cpu/riscv/fpu.c: the exact integer
 * implementation against the host's IEEE 754 hardware in the four rounding
 * modes both have, on operands biased toward the hard cases, plus RMM,
 * RISC-V's NaN rules, conversions and the fast-path fronts. */
#include <fenv.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "cpu/riscv/fpu.h"
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
    int fb = fmt == FP_S ? 23 : 52, eb = fmt == FP_S ? 8 : 11;
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

static Suite *fpu_suite(void)
{
    Suite *s = suite_create("fpu");
    TCase *host = tcase_create("host");
    tcase_set_timeout(host, 120);
    tcase_add_loop_test(host, test_against_host, 0, 2 * T_COUNT);
    tcase_add_test(host, test_to_int_against_host);
    tcase_add_test(host, test_fast_path_matches_exact);
    suite_add_tcase(s, host);

    TCase *rules = tcase_create("rules");
    tcase_add_test(rules, test_round_to_nearest_max_magnitude);
    tcase_add_test(rules, test_nan_rules);
    tcase_add_test(rules, test_integer_conversion_limits);
    tcase_add_test(rules, test_class);
    suite_add_tcase(s, rules);
    return s;
}

int main(void)
{
    return run_suite(fpu_suite());
}
