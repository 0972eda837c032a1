/* cpu/riscv/fpu.h: IEEE 754 binary16/binary32/binary64 arithmetic as the
 * Zfh, F and D extensions define it: five rounding modes, exact flags,
 * canonical NaNs and NaN boxing. Values are raw bit patterns (binary16 in
 * the low 16 bits, binary32 in the low 32). */
#ifndef EMBER_CPU_RISCV_FPU_H
#define EMBER_CPU_RISCV_FPU_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

/* The values are the fmt field of OP-FP and R4 instructions (unpriv spec
 * 11.6: 00 S, 01 D, 10 H). */
enum fp_format { FP_S = 0, FP_D = 1, FP_H = 2 };

/* Rounding modes as encoded in the rm field and frm (unpriv spec 11.2). */
enum fp_rounding { FRM_RNE = 0, FRM_RTZ = 1, FRM_RDN = 2, FRM_RUP = 3, FRM_RMM = 4, FRM_DYN = 7 };

/* fflags bits */
#define FFLAG_NX 0x01u
#define FFLAG_UF 0x02u
#define FFLAG_OF 0x04u
#define FFLAG_DZ 0x08u
#define FFLAG_NV 0x10u
#define FFLAGS_MASK 0x1fu

#define F16_CANONICAL_NAN 0x7e00u
#define F32_CANONICAL_NAN 0x7fc00000u
#define F64_CANONICAL_NAN 0x7ff8000000000000ull
#define F16_SIGN 0x8000u
#define F32_SIGN 0x80000000u
#define F64_SIGN 0x8000000000000000ull
#define NAN_BOX_HIGH 0xffffffff00000000ull
#define NAN_BOX_HIGH_H 0xffffffffffff0000ull

/* Unpriv spec 12.2: a binary32 value lives in a 64-bit register with the
 * upper half all ones; anything else reads as the canonical NaN. */
static inline uint64_t fp_box_s(uint32_t value)
{
    return NAN_BOX_HIGH | value;
}

static inline uint32_t fp_unbox_s(uint64_t reg)
{
    return (reg & NAN_BOX_HIGH) == NAN_BOX_HIGH ? (uint32_t)reg : F32_CANONICAL_NAN;
}

/* Unpriv spec, Zfh chapter: the same for binary16, with bits 63:16 all
 * ones (a boxed binary32 is not a boxed binary16). */
static inline uint64_t fp_box_h(uint16_t value)
{
    return NAN_BOX_HIGH_H | value;
}

static inline uint16_t fp_unbox_h(uint64_t reg)
{
    return (reg & NAN_BOX_HIGH_H) == NAN_BOX_HIGH_H ? (uint16_t)reg : F16_CANONICAL_NAN;
}

/* Variants of the integer conversions, as the rs2 field encodes them. */
enum fp_int_kind { FP_INT_W = 0, FP_INT_WU = 1, FP_INT_L = 2, FP_INT_LU = 3 };

/* Negations of the fused multiply-add family. */
#define FP_NEGATE_PRODUCT 1u
#define FP_NEGATE_ADDEND 2u

/* The exact operations, for every format. Operands and results are
 * unboxed bit patterns of fmt (callers box and unbox); rm is a valid
 * static mode (0..4); flags accumulate into *flags. */
uint64_t fp_add(enum fp_format fmt, uint64_t a, uint64_t b, unsigned rm, uint32_t *flags);
uint64_t fp_sub(enum fp_format fmt, uint64_t a, uint64_t b, unsigned rm, uint32_t *flags);
uint64_t fp_mul(enum fp_format fmt, uint64_t a, uint64_t b, unsigned rm, uint32_t *flags);
uint64_t fp_div(enum fp_format fmt, uint64_t a, uint64_t b, unsigned rm, uint32_t *flags);
uint64_t fp_sqrt(enum fp_format fmt, uint64_t a, unsigned rm, uint32_t *flags);
uint64_t fp_muladd(enum fp_format fmt, uint64_t a, uint64_t b, uint64_t c, unsigned negate,
                   unsigned rm, uint32_t *flags);
/* fcvt.{w,wu,l,lu}.{h,s,d}: the result as the integer register holds it (W
 * forms sign-extended from 32 bits). */
uint64_t fp_to_int(enum fp_format fmt, uint64_t a, enum fp_int_kind kind, unsigned rm,
                   uint32_t *flags);
uint64_t fp_from_int(enum fp_format fmt, uint64_t value, enum fp_int_kind kind, unsigned rm,
                     uint32_t *flags);
uint64_t fp_convert(enum fp_format to, enum fp_format from, uint64_t a, unsigned rm,
                    uint32_t *flags);
bool fp_eq(enum fp_format fmt, uint64_t a, uint64_t b, uint32_t *flags);
bool fp_lt(enum fp_format fmt, uint64_t a, uint64_t b, uint32_t *flags);
bool fp_le(enum fp_format fmt, uint64_t a, uint64_t b, uint32_t *flags);
uint64_t fp_min(enum fp_format fmt, uint64_t a, uint64_t b, uint32_t *flags);
uint64_t fp_max(enum fp_format fmt, uint64_t a, uint64_t b, uint32_t *flags);
uint64_t fp_class(enum fp_format fmt, uint64_t a);

/*
 * Fast path: on x86-64 the host's SSE unit rounds to nearest-even exactly
 * as IEEE 754 (and RISC-V, tininess after rounding) requires, and records
 * the same sticky flags in MXCSR. ember leaves MXCSR in round-to-nearest and
 * lets the flags of guest operations accumulate there while the dispatch
 * loop runs; fp_host_take_flags() moves them into fflags. Any result that is
 * a NaN is recomputed by the exact path, which knows RISC-V's canonical NaN
 * and invalid rules. Other hosts, and every other rounding mode, use the
 * exact path alone. Code that runs inside the dispatch loop (device MMIO
 * handlers among it) must therefore not use host floating point.
 */
#if defined(__x86_64__) && defined(__SSE2_MATH__)
#define FP_HOST_FAST 1

static inline uint32_t fp_host_take_flags(void)
{
    /* MXCSR: IE=0x01 DE=0x02 ZE=0x04 OE=0x08 UE=0x10 PE=0x20; DE (a
     * subnormal operand) is not an IEEE flag. */
    uint32_t mxcsr = __builtin_ia32_stmxcsr();
    if (!(mxcsr & 0x3f))
        return 0;
    __builtin_ia32_ldmxcsr(mxcsr & ~0x3fu);
    return ((mxcsr & 0x01) ? FFLAG_NV : 0) | ((mxcsr & 0x04) ? FFLAG_DZ : 0) |
           ((mxcsr & 0x08) ? FFLAG_OF : 0) | ((mxcsr & 0x10) ? FFLAG_UF : 0) |
           ((mxcsr & 0x20) ? FFLAG_NX : 0);
}
#else
#define FP_HOST_FAST 0

static inline uint32_t fp_host_take_flags(void)
{
    return 0;
}
#endif

static inline double fp_as_double(uint64_t bits)
{
    double d;
    memcpy(&d, &bits, sizeof(d));
    return d;
}

static inline uint64_t fp_double_bits(double d)
{
    uint64_t bits;
    memcpy(&bits, &d, sizeof(bits));
    return bits;
}

static inline float fp_as_float(uint32_t bits)
{
    float f;
    memcpy(&f, &bits, sizeof(f));
    return f;
}

static inline uint32_t fp_float_bits(float f)
{
    uint32_t bits;
    memcpy(&bits, &f, sizeof(bits));
    return bits;
}

/* The host's fma is used only where the CPU has the instruction: a library
 * fma may be emulated and is not trusted for flags. fpu.c decides once. */
extern bool fp_host_has_fma;
double fp_host_fma_d(double a, double b, double c);
float fp_host_fma_s(float a, float b, float c);

/* Returns host_value's bits from the enclosing front when the host computes
 * it exactly (FP_HOST_FAST and condition, normally round-to-nearest) and it
 * is not a NaN; otherwise the front goes on to the exact path. */
#define FP_TRY_HOST(ctype, to_bits, condition, host_value)                                         \
    do {                                                                                           \
        if (FP_HOST_FAST && __builtin_expect(condition, 1)) {                                      \
            ctype r_ = (host_value);                                                               \
            if (__builtin_expect(r_ == r_, 1))                                                     \
                return to_bits(r_);                                                                \
        }                                                                                          \
    } while (0)

#define FP_FRONT_BINARY(name, op, exact)                                                           \
    static inline uint64_t name##_d(uint64_t a, uint64_t b, unsigned rm, uint32_t *flags)          \
    {                                                                                              \
        FP_TRY_HOST(double, fp_double_bits, rm == FRM_RNE, fp_as_double(a) op fp_as_double(b));    \
        return exact(FP_D, a, b, rm, flags);                                                       \
    }                                                                                              \
    static inline uint32_t name##_s(uint32_t a, uint32_t b, unsigned rm, uint32_t *flags)          \
    {                                                                                              \
        FP_TRY_HOST(float, fp_float_bits, rm == FRM_RNE, fp_as_float(a) op fp_as_float(b));        \
        return (uint32_t)exact(FP_S, a, b, rm, flags);                                             \
    }

FP_FRONT_BINARY(fp_fast_add, +, fp_add)
FP_FRONT_BINARY(fp_fast_sub, -, fp_sub)
FP_FRONT_BINARY(fp_fast_mul, *, fp_mul)
FP_FRONT_BINARY(fp_fast_div, /, fp_div)
#undef FP_FRONT_BINARY

static inline uint64_t fp_fast_sqrt_d(uint64_t a, unsigned rm, uint32_t *flags)
{
    FP_TRY_HOST(double, fp_double_bits, rm == FRM_RNE, __builtin_sqrt(fp_as_double(a)));
    return fp_sqrt(FP_D, a, rm, flags);
}

static inline uint32_t fp_fast_sqrt_s(uint32_t a, unsigned rm, uint32_t *flags)
{
    FP_TRY_HOST(float, fp_float_bits, rm == FRM_RNE, __builtin_sqrtf(fp_as_float(a)));
    return (uint32_t)fp_sqrt(FP_S, a, rm, flags);
}

/* The negations of fmsub, fnmsub and fnmadd as sign flips of the operands:
 * exact, and a NaN result goes to the exact path anyway. */
static inline uint64_t fp_fast_muladd_d(uint64_t a, uint64_t b, uint64_t c, unsigned negate,
                                        unsigned rm, uint32_t *flags)
{
    uint64_t sa = (negate & FP_NEGATE_PRODUCT) ? a ^ F64_SIGN : a;
    uint64_t sc = (negate & FP_NEGATE_ADDEND) ? c ^ F64_SIGN : c;
    FP_TRY_HOST(double, fp_double_bits, rm == FRM_RNE && fp_host_has_fma,
                fp_host_fma_d(fp_as_double(sa), fp_as_double(b), fp_as_double(sc)));
    return fp_muladd(FP_D, a, b, c, negate, rm, flags);
}

static inline uint32_t fp_fast_muladd_s(uint32_t a, uint32_t b, uint32_t c, unsigned negate,
                                        unsigned rm, uint32_t *flags)
{
    uint32_t sa = (negate & FP_NEGATE_PRODUCT) ? a ^ F32_SIGN : a;
    uint32_t sc = (negate & FP_NEGATE_ADDEND) ? c ^ F32_SIGN : c;
    FP_TRY_HOST(float, fp_float_bits, rm == FRM_RNE && fp_host_has_fma,
                fp_host_fma_s(fp_as_float(sa), fp_as_float(b), fp_as_float(sc)));
    return (uint32_t)fp_muladd(FP_S, a, b, c, negate, rm, flags);
}

#endif
