/* cpu/riscv/fpu.c: exact IEEE 754 binary16/binary32/binary64 operations in
 * integer arithmetic, for every rounding mode, with RISC-V's NaN and flag
 * rules. */
#include "cpu/riscv/fpu.h"

typedef unsigned __int128 u128;

/* Compiled for FMA and called only where the CPU has it (fpu.h); on other
 * hosts they exist for the fronts' dead branches and are never called. */
#if FP_HOST_FAST
#define FMA_TARGET __attribute__((target("fma")))
#else
#define FMA_TARGET
#endif

FMA_TARGET double fp_host_fma_d(double a, double b, double c)
{
    return __builtin_fma(a, b, c);
}

FMA_TARGET float fp_host_fma_s(float a, float b, float c)
{
    return __builtin_fmaf(a, b, c);
}

bool fp_host_has_fma;

#if FP_HOST_FAST
__attribute__((constructor)) static void detect_host_fma(void)
{
    __builtin_cpu_init();
    fp_host_has_fma = __builtin_cpu_supports("fma");
}
#endif

/* Each operation is written once over a format and compiled once per
 * format: the bodies (FORMAT_GENERIC) are inlined with the format a
 * constant, and the public functions pick the instance on entry, binary64
 * first. A run-time format puts a select or a load behind every parameter
 * below: with a third format that made binary32/binary64 operations up to a
 * third slower, where the instances are as fast as the two-format code or
 * faster, for about 40 KB more code. */
#define FORMAT_GENERIC static inline __attribute__((always_inline))
#define FOR_FORMAT(fmt, function, ...)                                                             \
    switch (fmt) {                                                                                 \
    case FP_D:                                                                                     \
        return function(FP_D, __VA_ARGS__);                                                        \
    case FP_S:                                                                                     \
        return function(FP_S, __VA_ARGS__);                                                        \
    default:                                                                                       \
        return function(FP_H, __VA_ARGS__);                                                        \
    }

/* Format parameters, indexed by enum fp_format (constants once inlined). */
static const struct {
    uint8_t frac_bits, exp_bits;
    uint64_t canonical_nan;
} formats[] = {
    [FP_S] = {23, 8, F32_CANONICAL_NAN},
    [FP_D] = {52, 11, F64_CANONICAL_NAN},
    [FP_H] = {10, 5, F16_CANONICAL_NAN},
};

static inline int frac_bits(enum fp_format fmt)
{
    return formats[fmt].frac_bits;
}

static inline int exp_bits(enum fp_format fmt)
{
    return formats[fmt].exp_bits;
}

static inline int32_t exp_bias(enum fp_format fmt)
{
    return (1 << (exp_bits(fmt) - 1)) - 1;
}

static inline int32_t exp_min(enum fp_format fmt)
{
    return 1 - exp_bias(fmt);
}

static inline uint64_t sign_bit(enum fp_format fmt)
{
    return 1ull << (frac_bits(fmt) + exp_bits(fmt));
}

static inline uint64_t inf_bits(enum fp_format fmt)
{
    return (uint64_t)((1 << exp_bits(fmt)) - 1) << frac_bits(fmt);
}

static inline uint64_t canonical_nan(enum fp_format fmt)
{
    return formats[fmt].canonical_nan;
}

static inline uint64_t signed_zero(enum fp_format fmt, bool sign)
{
    return sign ? sign_bit(fmt) : 0;
}

static inline uint64_t signed_inf(enum fp_format fmt, bool sign)
{
    return inf_bits(fmt) | signed_zero(fmt, sign);
}

enum fp_class_kind { CLASS_ZERO, CLASS_FINITE, CLASS_INF, CLASS_QNAN, CLASS_SNAN };

/* A finite nonzero value is sig * 2^(exp - 63) with bit 63 of sig set. */
typedef struct Unpacked {
    enum fp_class_kind cls;
    bool sign;
    int32_t exp;
    uint64_t sig;
} Unpacked;

FORMAT_GENERIC Unpacked unpack(enum fp_format fmt, uint64_t bits)
{
    int fb = frac_bits(fmt);
    uint64_t frac = bits & ((1ull << fb) - 1);
    int32_t field = (int32_t)((bits >> fb) & (uint64_t)((1 << exp_bits(fmt)) - 1));
    Unpacked u = {.sign = (bits & sign_bit(fmt)) != 0};
    if (field == (1 << exp_bits(fmt)) - 1) {
        if (frac == 0)
            u.cls = CLASS_INF;
        else
            u.cls = (frac >> (fb - 1)) & 1 ? CLASS_QNAN : CLASS_SNAN;
    } else if (field == 0) {
        if (frac == 0) {
            u.cls = CLASS_ZERO;
        } else {
            int lz = __builtin_clzll(frac);
            u.cls = CLASS_FINITE;
            u.sig = frac << lz;
            u.exp = exp_min(fmt) - fb + (63 - lz);
        }
    } else {
        u.cls = CLASS_FINITE;
        u.sig = (frac | (1ull << fb)) << (63 - fb);
        u.exp = field - exp_bias(fmt);
    }
    return u;
}

static inline bool is_nan(const Unpacked *u)
{
    return u->cls == CLASS_QNAN || u->cls == CLASS_SNAN;
}

static inline uint64_t shift_right_jam64(uint64_t value, int32_t count)
{
    if (count <= 0)
        return value;
    if (count >= 64)
        return value != 0;
    return (value >> count) | ((value << (64 - count)) != 0);
}

static inline u128 shift_right_jam128(u128 value, int32_t count)
{
    if (count <= 0)
        return value;
    if (count >= 128)
        return value != 0;
    return (value >> count) | ((value << (128 - count)) != 0);
}

static inline int clz128(u128 value)
{
    uint64_t high = (uint64_t)(value >> 64);
    return high ? __builtin_clzll(high) : 64 + __builtin_clzll((uint64_t)value);
}

/* Whether a value whose bits below the kept ones are rest (out of a unit of
 * 2 * half) rounds away from zero; lsb is the lowest kept bit. */
static inline bool round_increments(unsigned rm, bool sign, bool lsb, uint64_t rest, uint64_t half)
{
    if (rest == 0)
        return false;
    switch (rm) {
    case FRM_RNE: /* without branches: which way a random value rounds is unpredictable */
        return (rest > half) | ((rest == half) & lsb);
    case FRM_RMM:
        return rest >= half;
    case FRM_RDN:
        return sign;
    case FRM_RUP:
        return !sign;
    default:
        return false;
    }
}

FORMAT_GENERIC uint64_t overflow(enum fp_format fmt, bool sign, unsigned rm, uint32_t *flags)
{
    *flags |= FFLAG_OF | FFLAG_NX;
    bool to_inf =
        rm == FRM_RNE || rm == FRM_RMM || (rm == FRM_RDN && sign) || (rm == FRM_RUP && !sign);
    return to_inf ? signed_inf(fmt, sign) : (inf_bits(fmt) - 1) | signed_zero(fmt, sign);
}

/* Rounds sig * 2^(exp - 63) (bit 63 of sig set; bit 0 sticky) to the
 * format. Unpriv spec 11.2: tininess is detected after rounding, and
 * underflow is flagged only when the tiny result is also inexact. */
FORMAT_GENERIC uint64_t round_pack(enum fp_format fmt, bool sign, int32_t exp, uint64_t sig,
                                   unsigned rm, uint32_t *flags)
{
    int fb = frac_bits(fmt);
    int drop = 63 - fb;
    uint64_t half = 1ull << (drop - 1);
    uint64_t rest_mask = (1ull << drop) - 1;
    int32_t emin = exp_min(fmt);
    bool tiny = false;

    if (exp > exp_bias(fmt))
        return overflow(fmt, sign, rm, flags);
    if (exp < emin) {
        /* Tiny unless rounding at full precision with an unbounded
         * exponent reaches 2^emin. */
        uint64_t kept = sig >> drop;
        bool up = round_increments(rm, sign, kept & 1, sig & rest_mask, half);
        tiny = !(exp == emin - 1 && ((kept + up) >> (fb + 1)) != 0);
        sig = shift_right_jam64(sig, emin - exp);
        exp = emin;
    }
    uint64_t kept = sig >> drop;
    uint64_t rest = sig & rest_mask;
    if (rest) {
        *flags |= FFLAG_NX;
        if (tiny)
            *flags |= FFLAG_UF;
        kept += round_increments(rm, sign, kept & 1, rest, half);
    }
    /* A normal kept value carries its implicit bit into the exponent field,
     * and a subnormal one that rounds up to 2^fb becomes the smallest
     * normal, so adding works for both. */
    uint64_t bits = ((uint64_t)(exp - emin) << fb) + kept;
    if (bits >= inf_bits(fmt))
        return overflow(fmt, sign, rm, flags);
    return bits | signed_zero(fmt, sign);
}

/* Normalises a nonzero 128-bit value * 2^base and rounds it. */
FORMAT_GENERIC uint64_t round_pack128(enum fp_format fmt, bool sign, int32_t base, u128 value,
                                      unsigned rm, uint32_t *flags)
{
    int lz = clz128(value);
    value <<= lz;
    uint64_t sig = (uint64_t)(value >> 64) | ((uint64_t)value != 0);
    return round_pack(fmt, sign, base + 127 - lz, sig, rm, flags);
}

FORMAT_GENERIC uint64_t pack_unpacked(enum fp_format fmt, const Unpacked *u, unsigned rm,
                                      uint32_t *flags)
{
    return round_pack(fmt, u->sign, u->exp, u->sig, rm, flags);
}

/* NaN results are always the canonical NaN; signalling inputs are invalid. */
FORMAT_GENERIC uint64_t nan_result(enum fp_format fmt, const Unpacked *a, const Unpacked *b,
                                   const Unpacked *c, uint32_t *flags)
{
    if (a->cls == CLASS_SNAN || (b && b->cls == CLASS_SNAN) || (c && c->cls == CLASS_SNAN))
        *flags |= FFLAG_NV;
    return canonical_nan(fmt);
}

FORMAT_GENERIC uint64_t invalid(enum fp_format fmt, uint32_t *flags)
{
    *flags |= FFLAG_NV;
    return canonical_nan(fmt);
}

/* Sum of two finite values, each sig * 2^(exp - 63) or zero-free. */
FORMAT_GENERIC uint64_t add_finite(enum fp_format fmt, bool sign_a, int32_t base_a, u128 a,
                                   bool sign_b, int32_t base_b, u128 b, unsigned rm,
                                   uint32_t *flags)
{
    /* Both values have headroom (bit 127 clear) and an even low end, so
     * jamming the smaller one's shifted-out bits into bit 0 keeps every
     * rounding decision exact. */
    int32_t base;
    if (base_a >= base_b) {
        b = shift_right_jam128(b, base_a - base_b);
        base = base_a;
    } else {
        a = shift_right_jam128(a, base_b - base_a);
        base = base_b;
    }
    u128 sum;
    bool sign;
    if (sign_a == sign_b) {
        sum = a + b;
        sign = sign_a;
    } else if (a >= b) {
        sum = a - b;
        sign = sign_a;
    } else {
        sum = b - a;
        sign = sign_b;
    }
    if (sum == 0) /* exact cancellation: +0, or -0 when rounding down */
        return signed_zero(fmt, rm == FRM_RDN);
    return round_pack128(fmt, sign, base, sum, rm, flags);
}

FORMAT_GENERIC uint64_t add_sub(enum fp_format fmt, uint64_t a_bits, uint64_t b_bits, bool subtract,
                                unsigned rm, uint32_t *flags)
{
    Unpacked a = unpack(fmt, a_bits), b = unpack(fmt, b_bits);
    if (is_nan(&a) || is_nan(&b))
        return nan_result(fmt, &a, &b, NULL, flags);
    b.sign ^= subtract;
    if (a.cls == CLASS_INF) {
        if (b.cls == CLASS_INF && a.sign != b.sign)
            return invalid(fmt, flags);
        return signed_inf(fmt, a.sign);
    }
    if (b.cls == CLASS_INF)
        return signed_inf(fmt, b.sign);
    if (a.cls == CLASS_ZERO && b.cls == CLASS_ZERO)
        return signed_zero(fmt, a.sign == b.sign ? a.sign : rm == FRM_RDN);
    if (a.cls == CLASS_ZERO)
        return pack_unpacked(fmt, &b, rm, flags);
    if (b.cls == CLASS_ZERO)
        return pack_unpacked(fmt, &a, rm, flags);
    return add_finite(fmt, a.sign, a.exp - 126, (u128)a.sig << 63, b.sign, b.exp - 126,
                      (u128)b.sig << 63, rm, flags);
}

uint64_t fp_add(enum fp_format fmt, uint64_t a, uint64_t b, unsigned rm, uint32_t *flags)
{
    FOR_FORMAT(fmt, add_sub, a, b, false, rm, flags);
}

uint64_t fp_sub(enum fp_format fmt, uint64_t a, uint64_t b, unsigned rm, uint32_t *flags)
{
    FOR_FORMAT(fmt, add_sub, a, b, true, rm, flags);
}

FORMAT_GENERIC uint64_t mul(enum fp_format fmt, uint64_t a_bits, uint64_t b_bits, unsigned rm,
                            uint32_t *flags)
{
    Unpacked a = unpack(fmt, a_bits), b = unpack(fmt, b_bits);
    if (is_nan(&a) || is_nan(&b))
        return nan_result(fmt, &a, &b, NULL, flags);
    bool sign = a.sign ^ b.sign;
    if (a.cls == CLASS_INF || b.cls == CLASS_INF) {
        if (a.cls == CLASS_ZERO || b.cls == CLASS_ZERO)
            return invalid(fmt, flags);
        return signed_inf(fmt, sign);
    }
    if (a.cls == CLASS_ZERO || b.cls == CLASS_ZERO)
        return signed_zero(fmt, sign);
    return round_pack128(fmt, sign, a.exp + b.exp - 126, (u128)a.sig * b.sig, rm, flags);
}

uint64_t fp_mul(enum fp_format fmt, uint64_t a, uint64_t b, unsigned rm, uint32_t *flags)
{
    FOR_FORMAT(fmt, mul, a, b, rm, flags);
}

FORMAT_GENERIC uint64_t divide(enum fp_format fmt, uint64_t a_bits, uint64_t b_bits, unsigned rm,
                               uint32_t *flags)
{
    Unpacked a = unpack(fmt, a_bits), b = unpack(fmt, b_bits);
    if (is_nan(&a) || is_nan(&b))
        return nan_result(fmt, &a, &b, NULL, flags);
    bool sign = a.sign ^ b.sign;
    if (a.cls == CLASS_INF) {
        if (b.cls == CLASS_INF)
            return invalid(fmt, flags);
        return signed_inf(fmt, sign);
    }
    if (b.cls == CLASS_INF)
        return signed_zero(fmt, sign);
    if (b.cls == CLASS_ZERO) {
        if (a.cls == CLASS_ZERO)
            return invalid(fmt, flags);
        *flags |= FFLAG_DZ;
        return signed_inf(fmt, sign);
    }
    if (a.cls == CLASS_ZERO)
        return signed_zero(fmt, sign);
    /* sig_a * 2^63 / sig_b lies in (2^62, 2^64): at least 63 quotient bits,
     * and the remainder is the sticky bit. */
    u128 numerator = (u128)a.sig << 63;
    uint64_t quotient = (uint64_t)(numerator / b.sig);
    bool remainder = (numerator % b.sig) != 0;
    int32_t exp = a.exp - b.exp;
    if (!(quotient >> 63)) {
        quotient <<= 1;
        exp--;
    }
    return round_pack(fmt, sign, exp, quotient | remainder, rm, flags);
}

uint64_t fp_div(enum fp_format fmt, uint64_t a, uint64_t b, unsigned rm, uint32_t *flags)
{
    FOR_FORMAT(fmt, divide, a, b, rm, flags);
}

static uint64_t isqrt128(u128 n)
{
    uint64_t root = 0;
    for (int bit = 63; bit >= 0; bit--) {
        uint64_t candidate = root | (1ull << bit);
        if ((u128)candidate * candidate <= n)
            root = candidate;
    }
    return root;
}

FORMAT_GENERIC uint64_t square_root(enum fp_format fmt, uint64_t a_bits, unsigned rm,
                                    uint32_t *flags)
{
    Unpacked a = unpack(fmt, a_bits);
    if (is_nan(&a))
        return nan_result(fmt, &a, NULL, NULL, flags);
    if (a.cls == CLASS_ZERO)
        return a_bits; /* sqrt(-0) = -0 */
    if (a.sign)
        return invalid(fmt, flags);
    if (a.cls == CLASS_INF)
        return a_bits;
    /* a = n * 2^(t - shift) with an even exponent and n in [2^126, 2^128),
     * so sqrt(n) has its top bit at 63. */
    int32_t t = a.exp - 63;
    int shift = (t & 1) ? 63 : 64;
    u128 n = (u128)a.sig << shift;
    uint64_t root = isqrt128(n);
    bool exact = (u128)root * root == n;
    return round_pack(fmt, false, 63 + (t - shift) / 2, root | !exact, rm, flags);
}

uint64_t fp_sqrt(enum fp_format fmt, uint64_t a, unsigned rm, uint32_t *flags)
{
    FOR_FORMAT(fmt, square_root, a, rm, flags);
}

FORMAT_GENERIC uint64_t muladd(enum fp_format fmt, uint64_t a_bits, uint64_t b_bits,
                               uint64_t c_bits, unsigned negate, unsigned rm, uint32_t *flags)
{
    Unpacked a = unpack(fmt, a_bits), b = unpack(fmt, b_bits), c = unpack(fmt, c_bits);
    /* Unpriv spec 11.6: infinity times zero is invalid even when the addend
     * is a quiet NaN. */
    if ((a.cls == CLASS_INF && b.cls == CLASS_ZERO) ||
        (a.cls == CLASS_ZERO && b.cls == CLASS_INF)) {
        nan_result(fmt, &a, &b, &c, flags);
        return invalid(fmt, flags);
    }
    if (is_nan(&a) || is_nan(&b) || is_nan(&c))
        return nan_result(fmt, &a, &b, &c, flags);
    bool product_sign = a.sign ^ b.sign ^ ((negate & FP_NEGATE_PRODUCT) != 0);
    c.sign ^= (negate & FP_NEGATE_ADDEND) != 0;
    if (a.cls == CLASS_INF || b.cls == CLASS_INF) {
        if (c.cls == CLASS_INF && c.sign != product_sign)
            return invalid(fmt, flags);
        return signed_inf(fmt, product_sign);
    }
    if (c.cls == CLASS_INF)
        return signed_inf(fmt, c.sign);
    if (a.cls == CLASS_ZERO || b.cls == CLASS_ZERO) {
        if (c.cls == CLASS_ZERO)
            return signed_zero(fmt, product_sign == c.sign ? c.sign : rm == FRM_RDN);
        return pack_unpacked(fmt, &c, rm, flags);
    }
    /* The exact product has at most 106 significant bits; halved, it leaves
     * headroom for the sum. */
    u128 product = shift_right_jam128((u128)a.sig * b.sig, 1);
    int32_t product_base = a.exp + b.exp - 125;
    if (c.cls == CLASS_ZERO)
        return round_pack128(fmt, product_sign, product_base, product, rm, flags);
    return add_finite(fmt, product_sign, product_base, product, c.sign, c.exp - 126,
                      (u128)c.sig << 63, rm, flags);
}

uint64_t fp_muladd(enum fp_format fmt, uint64_t a, uint64_t b, uint64_t c, unsigned negate,
                   unsigned rm, uint32_t *flags)
{
    FOR_FORMAT(fmt, muladd, a, b, c, negate, rm, flags);
}

/* |a| rounded to an integer; values of 2^64 and more come back as 2^64,
 * out of range for every destination. Inlined: a call would pass the
 * Unpacked through memory. */
static inline __attribute__((always_inline)) u128 round_to_integer(const Unpacked *a, unsigned rm,
                                                                   bool *inexact)
{
    if (a->cls != CLASS_FINITE)
        return 0;
    if (a->exp >= 64)
        return (u128)1 << 64;
    /* The integer part, and the fraction below it as a 64-bit fraction. */
    uint64_t int_part, frac;
    if (a->exp >= 0) {
        int_part = a->sig >> (63 - a->exp);
        frac = a->exp == 63 ? 0 : a->sig << (a->exp + 1);
    } else {
        int_part = 0;
        frac = shift_right_jam64(a->sig, -a->exp - 1);
    }
    *inexact = frac != 0;
    return (u128)int_part + round_increments(rm, a->sign, int_part & 1, frac, 1ull << 63);
}

FORMAT_GENERIC uint64_t to_int(enum fp_format fmt, uint64_t a_bits, enum fp_int_kind kind,
                               unsigned rm, uint32_t *flags)
{
    bool is_signed = kind == FP_INT_W || kind == FP_INT_L;
    unsigned width = (kind == FP_INT_W || kind == FP_INT_WU) ? 32 : 64;
    u128 max = is_signed ? ((u128)1 << (width - 1)) - 1 : ((u128)1 << width) - 1;
    uint64_t min = is_signed ? -(1ull << (width - 1)) : 0; /* as two's complement */
    Unpacked a = unpack(fmt, a_bits);
    /* Unpriv spec 11.7, table 11.4: NaN converts like +infinity; anything
     * out of range saturates and is invalid (not inexact). */
    bool negative = a.sign && !is_nan(&a);
    bool inexact = false;
    u128 magnitude = round_to_integer(&a, rm, &inexact);
    bool fits = (a.cls == CLASS_ZERO || a.cls == CLASS_FINITE) &&
                (negative ? magnitude <= (is_signed ? max + 1 : 0) : magnitude <= max);
    uint64_t result;
    if (!fits) {
        *flags |= FFLAG_NV;
        result = negative ? min : (uint64_t)max;
    } else {
        if (inexact)
            *flags |= FFLAG_NX;
        result = negative ? -(uint64_t)magnitude : (uint64_t)magnitude;
    }
    return width == 32 ? (uint64_t)(int64_t)(int32_t)result : result;
}

uint64_t fp_to_int(enum fp_format fmt, uint64_t a, enum fp_int_kind kind, unsigned rm,
                   uint32_t *flags)
{
    FOR_FORMAT(fmt, to_int, a, kind, rm, flags);
}

FORMAT_GENERIC uint64_t from_int(enum fp_format fmt, uint64_t value, enum fp_int_kind kind,
                                 unsigned rm, uint32_t *flags)
{
    bool is_signed = kind == FP_INT_W || kind == FP_INT_L;
    if (kind == FP_INT_W)
        value = (uint64_t)(int64_t)(int32_t)value;
    else if (kind == FP_INT_WU)
        value = (uint32_t)value;
    bool sign = is_signed && (int64_t)value < 0;
    uint64_t magnitude = sign ? -value : value;
    if (magnitude == 0)
        return 0;
    int lz = __builtin_clzll(magnitude);
    return round_pack(fmt, sign, 63 - lz, magnitude << lz, rm, flags);
}

uint64_t fp_from_int(enum fp_format fmt, uint64_t value, enum fp_int_kind kind, unsigned rm,
                     uint32_t *flags)
{
    FOR_FORMAT(fmt, from_int, value, kind, rm, flags);
}

FORMAT_GENERIC uint64_t convert(enum fp_format to, enum fp_format from, uint64_t a_bits,
                                unsigned rm, uint32_t *flags)
{
    Unpacked a = unpack(from, a_bits);
    switch (a.cls) {
    case CLASS_QNAN:
    case CLASS_SNAN:
        return nan_result(to, &a, NULL, NULL, flags);
    case CLASS_INF:
        return signed_inf(to, a.sign);
    case CLASS_ZERO:
        return signed_zero(to, a.sign);
    default:
        return pack_unpacked(to, &a, rm, flags);
    }
}

uint64_t fp_convert(enum fp_format to, enum fp_format from, uint64_t a, unsigned rm,
                    uint32_t *flags)
{
    switch (from) {
    case FP_S:
        FOR_FORMAT(to, convert, FP_S, a, rm, flags);
    case FP_D:
        FOR_FORMAT(to, convert, FP_D, a, rm, flags);
    default:
        FOR_FORMAT(to, convert, FP_H, a, rm, flags);
    }
}

/* Orders finite and infinite values as signed integers; -0 and +0 meet. */
FORMAT_GENERIC int64_t order_key(enum fp_format fmt, uint64_t bits)
{
    uint64_t magnitude = bits & (sign_bit(fmt) - 1);
    /* Negated without a branch: signs are as unpredictable as rounding. */
    uint64_t negative = -(uint64_t)((bits & sign_bit(fmt)) != 0);
    return (int64_t)((magnitude ^ negative) - negative);
}

FORMAT_GENERIC bool equal(enum fp_format fmt, uint64_t a_bits, uint64_t b_bits, uint32_t *flags)
{
    Unpacked a = unpack(fmt, a_bits), b = unpack(fmt, b_bits);
    if (is_nan(&a) || is_nan(&b)) { /* quiet comparison */
        if (a.cls == CLASS_SNAN || b.cls == CLASS_SNAN)
            *flags |= FFLAG_NV;
        return false;
    }
    return order_key(fmt, a_bits) == order_key(fmt, b_bits);
}

bool fp_eq(enum fp_format fmt, uint64_t a, uint64_t b, uint32_t *flags)
{
    FOR_FORMAT(fmt, equal, a, b, flags);
}

FORMAT_GENERIC bool less(enum fp_format fmt, uint64_t a_bits, uint64_t b_bits, uint32_t *flags)
{
    Unpacked a = unpack(fmt, a_bits), b = unpack(fmt, b_bits);
    if (is_nan(&a) || is_nan(&b)) { /* signalling comparison */
        *flags |= FFLAG_NV;
        return false;
    }
    return order_key(fmt, a_bits) < order_key(fmt, b_bits);
}

bool fp_lt(enum fp_format fmt, uint64_t a, uint64_t b, uint32_t *flags)
{
    FOR_FORMAT(fmt, less, a, b, flags);
}

FORMAT_GENERIC bool less_eq(enum fp_format fmt, uint64_t a_bits, uint64_t b_bits, uint32_t *flags)
{
    Unpacked a = unpack(fmt, a_bits), b = unpack(fmt, b_bits);
    if (is_nan(&a) || is_nan(&b)) {
        *flags |= FFLAG_NV;
        return false;
    }
    return order_key(fmt, a_bits) <= order_key(fmt, b_bits);
}

bool fp_le(enum fp_format fmt, uint64_t a, uint64_t b, uint32_t *flags)
{
    FOR_FORMAT(fmt, less_eq, a, b, flags);
}

/* Unpriv spec 11.6 (version 2.2 rules): a single NaN operand yields the
 * other operand, two yield the canonical NaN, signalling NaNs are invalid,
 * and -0 is less than +0. */
FORMAT_GENERIC uint64_t min_max(enum fp_format fmt, uint64_t a_bits, uint64_t b_bits, bool want_max,
                                uint32_t *flags)
{
    Unpacked a = unpack(fmt, a_bits), b = unpack(fmt, b_bits);
    if (a.cls == CLASS_SNAN || b.cls == CLASS_SNAN)
        *flags |= FFLAG_NV;
    if (is_nan(&a) && is_nan(&b))
        return canonical_nan(fmt);
    if (is_nan(&a))
        return b_bits;
    if (is_nan(&b))
        return a_bits;
    int64_t ka = order_key(fmt, a_bits), kb = order_key(fmt, b_bits);
    if (ka == kb) /* equal, or zeros of either sign: min takes -0, max +0 */
        return want_max ? a_bits & b_bits : a_bits | b_bits;
    /* Selected without a branch: which is larger is unpredictable. */
    uint64_t take_a = -(uint64_t)((ka > kb) == want_max);
    return (a_bits & take_a) | (b_bits & ~take_a);
}

uint64_t fp_min(enum fp_format fmt, uint64_t a, uint64_t b, uint32_t *flags)
{
    FOR_FORMAT(fmt, min_max, a, b, false, flags);
}

uint64_t fp_max(enum fp_format fmt, uint64_t a, uint64_t b, uint32_t *flags)
{
    FOR_FORMAT(fmt, min_max, a, b, true, flags);
}

FORMAT_GENERIC uint64_t classify(enum fp_format fmt, uint64_t bits)
{
    Unpacked a = unpack(fmt, bits);
    switch (a.cls) {
    case CLASS_INF:
        return a.sign ? 1u << 0 : 1u << 7;
    case CLASS_ZERO:
        return a.sign ? 1u << 3 : 1u << 4;
    case CLASS_SNAN:
        return 1u << 8;
    case CLASS_QNAN:
        return 1u << 9;
    default: {
        bool subnormal = ((bits >> frac_bits(fmt)) & (uint64_t)((1 << exp_bits(fmt)) - 1)) == 0;
        if (a.sign)
            return subnormal ? 1u << 2 : 1u << 1;
        return subnormal ? 1u << 5 : 1u << 6;
    }
    }
}

uint64_t fp_class(enum fp_format fmt, uint64_t a)
{
    FOR_FORMAT(fmt, classify, a);
}
