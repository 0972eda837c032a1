/* fpgen.c: the core of the F/D (and Zfh) differential test: runs every F
 * and D instruction, and as config->half asks the Zfhmin or all Zfh ones, in
 * every rounding mode (static and dynamic) on a large, deterministic set of
 * operands biased toward special values, and prints each result with its
 * fflags, or a digest per instruction and mode. The same core runs as a
 * Linux program (under qemu-riscv64) and bare-metal (on ember); their
 * outputs must match byte for byte. Freestanding C, built with Zfh in
 * -march; only the instructions asked for run. */
#include "fpgen.h"

#include "tests/difftest_line.h"
#include "tests/xorshift.h"

/* Operands arrive in integer registers and are moved raw into ft0..ft2, so
 * NaN-boxing is under the generator's control; fflags is cleared before
 * the instruction and read after it. */
#define PROLOGUE "fmv.d.x ft0, %[a]\n\tfmv.d.x ft1, %[b]\n\tfmv.d.x ft2, %[c]\n\tfsflags zero\n\t"
#define OPERANDS                                                                                   \
    : [r] "=&r"(r), [f] "=&r"(f)                                                                   \
    : [a] "r"(a), [b] "r"(b), [c] "r"(c)                                                           \
    : "ft0", "ft1", "ft2", "ft3"

/* Templates: the instruction's operands, then a rounding-mode suffix. */
#define FP3(op, rm) PROLOGUE #op " ft3, ft0, ft1" rm "\n\tfmv.x.d %[r], ft3\n\tfrflags %[f]"
#define FP2(op, rm) PROLOGUE #op " ft3, ft0" rm "\n\tfmv.x.d %[r], ft3\n\tfrflags %[f]"
#define FP4(op, rm) PROLOGUE #op " ft3, ft0, ft1, ft2" rm "\n\tfmv.x.d %[r], ft3\n\tfrflags %[f]"
#define FROM(op, rm) PROLOGUE #op " ft3, %[a]" rm "\n\tfmv.x.d %[r], ft3\n\tfrflags %[f]"
#define INT2(op, rm) PROLOGUE #op " %[r], ft0" rm "\n\tfrflags %[f]"
#define INT3(op, rm) PROLOGUE #op " %[r], ft0, ft1" rm "\n\tfrflags %[f]"

/* One function per instruction; rm is 0..4 (static) or 7 (dynamic: the
 * caller sets frm). */
#define RM_CASE(n, text)                                                                           \
    case n:                                                                                        \
        __asm__ volatile(text OPERANDS);                                                           \
        break;

#define WITH_RM(name, tmpl, op)                                                                    \
    static uint64_t run_##name(uint64_t a, uint64_t b, uint64_t c, unsigned rm, uint64_t *flags)   \
    {                                                                                              \
        uint64_t r, f;                                                                             \
        switch (rm) {                                                                              \
            RM_CASE(0, tmpl(op, ", rne"))                                                          \
            RM_CASE(1, tmpl(op, ", rtz"))                                                          \
            RM_CASE(2, tmpl(op, ", rdn"))                                                          \
            RM_CASE(3, tmpl(op, ", rup"))                                                          \
            RM_CASE(4, tmpl(op, ", rmm"))                                                          \
            RM_CASE(7, tmpl(op, ", dyn"))                                                          \
        default:                                                                                   \
            return 0;                                                                              \
        }                                                                                          \
        *flags = f;                                                                                \
        return r;                                                                                  \
    }

#define NO_RM(name, tmpl, op)                                                                      \
    static uint64_t run_##name(uint64_t a, uint64_t b, uint64_t c, unsigned rm, uint64_t *flags)   \
    {                                                                                              \
        uint64_t r, f;                                                                             \
        (void)rm;                                                                                  \
        __asm__ volatile(tmpl(op, "") OPERANDS);                                                   \
        *flags = f;                                                                                \
        return r;                                                                                  \
    }

/* flh and fsh go through a doubleword in memory: flh loads the low half of
 * a; fsh stores a's register over ~b (so the bits it must not write differ
 * from a's) and the doubleword is the result. */
#define MEMORY(name, tmpl, op)                                                                     \
    static uint64_t run_##name(uint64_t a, uint64_t b, uint64_t c, unsigned rm, uint64_t *flags)   \
    {                                                                                              \
        uint64_t r, f, slot;                                                                       \
        (void)c;                                                                                   \
        (void)rm;                                                                                  \
        __asm__ volatile(tmpl(op)                                                                  \
                         : [r] "=&r"(r), [f] "=&r"(f)                                              \
                         : [a] "r"(a), [b] "r"(b), [p] "r"(&slot)                                  \
                         : "ft0", "ft3", "memory");                                                \
        *flags = f;                                                                                \
        return r;                                                                                  \
    }
#define LOAD(op)                                                                                   \
    "sd %[a], 0(%[p])\n\tfsflags zero\n\t" #op " ft3, 0(%[p])\n\t"                                 \
    "fmv.x.d %[r], ft3\n\tfrflags %[f]"
#define STORE(op)                                                                                  \
    "not %[r], %[b]\n\tsd %[r], 0(%[p])\n\tfmv.d.x ft0, %[a]\n\tfsflags zero\n\t" #op              \
    " ft0, 0(%[p])\n\tld %[r], 0(%[p])\n\tfrflags %[f]"

/* Operand kinds: what a, b and c hold. HALF_RANGE_SINGLE and
 * HALF_RANGE_DOUBLE are mostly values near binary16's range, where
 * fcvt.h.s and fcvt.h.d round rather than overflow or flush;
 * SMALL_INTEGER mostly integers binary16 can nearly hold. */
enum operand_kind {
    SINGLE,
    DOUBLE,
    INTEGER,
    HALF,
    HALF_RANGE_SINGLE,
    HALF_RANGE_DOUBLE,
    SMALL_INTEGER
};

/* name, kind of function, template, instruction, operand kind, operands */
/* clang-format off */
#define INSTRUCTIONS(X)                                                                            \
    X(fadd_s,    WITH_RM, FP3,  fadd.s,    SINGLE,  2) X(fsub_s,    WITH_RM, FP3,  fsub.s,    SINGLE,  2) \
    X(fmul_s,    WITH_RM, FP3,  fmul.s,    SINGLE,  2) X(fdiv_s,    WITH_RM, FP3,  fdiv.s,    SINGLE,  2) \
    X(fsqrt_s,   WITH_RM, FP2,  fsqrt.s,   SINGLE,  1) X(fmadd_s,   WITH_RM, FP4,  fmadd.s,   SINGLE,  3) \
    X(fmsub_s,   WITH_RM, FP4,  fmsub.s,   SINGLE,  3) X(fnmsub_s,  WITH_RM, FP4,  fnmsub.s,  SINGLE,  3) \
    X(fnmadd_s,  WITH_RM, FP4,  fnmadd.s,  SINGLE,  3) X(fsgnj_s,   NO_RM,   FP3,  fsgnj.s,   SINGLE,  2) \
    X(fsgnjn_s,  NO_RM,   FP3,  fsgnjn.s,  SINGLE,  2) X(fsgnjx_s,  NO_RM,   FP3,  fsgnjx.s,  SINGLE,  2) \
    X(fmin_s,    NO_RM,   FP3,  fmin.s,    SINGLE,  2) X(fmax_s,    NO_RM,   FP3,  fmax.s,    SINGLE,  2) \
    X(feq_s,     NO_RM,   INT3, feq.s,     SINGLE,  2) X(flt_s,     NO_RM,   INT3, flt.s,     SINGLE,  2) \
    X(fle_s,     NO_RM,   INT3, fle.s,     SINGLE,  2) X(fclass_s,  NO_RM,   INT2, fclass.s,  SINGLE,  1) \
    X(fmv_x_w,   NO_RM,   INT2, fmv.x.w,   SINGLE,  1) X(fcvt_w_s,  WITH_RM, INT2, fcvt.w.s,  SINGLE,  1) \
    X(fcvt_wu_s, WITH_RM, INT2, fcvt.wu.s, SINGLE,  1) X(fcvt_l_s,  WITH_RM, INT2, fcvt.l.s,  SINGLE,  1) \
    X(fcvt_lu_s, WITH_RM, INT2, fcvt.lu.s, SINGLE,  1) X(fcvt_d_s,  NO_RM,   FP2,  fcvt.d.s,  SINGLE,  1) \
    X(fadd_d,    WITH_RM, FP3,  fadd.d,    DOUBLE,  2) X(fsub_d,    WITH_RM, FP3,  fsub.d,    DOUBLE,  2) \
    X(fmul_d,    WITH_RM, FP3,  fmul.d,    DOUBLE,  2) X(fdiv_d,    WITH_RM, FP3,  fdiv.d,    DOUBLE,  2) \
    X(fsqrt_d,   WITH_RM, FP2,  fsqrt.d,   DOUBLE,  1) X(fmadd_d,   WITH_RM, FP4,  fmadd.d,   DOUBLE,  3) \
    X(fmsub_d,   WITH_RM, FP4,  fmsub.d,   DOUBLE,  3) X(fnmsub_d,  WITH_RM, FP4,  fnmsub.d,  DOUBLE,  3) \
    X(fnmadd_d,  WITH_RM, FP4,  fnmadd.d,  DOUBLE,  3) X(fsgnj_d,   NO_RM,   FP3,  fsgnj.d,   DOUBLE,  2) \
    X(fsgnjn_d,  NO_RM,   FP3,  fsgnjn.d,  DOUBLE,  2) X(fsgnjx_d,  NO_RM,   FP3,  fsgnjx.d,  DOUBLE,  2) \
    X(fmin_d,    NO_RM,   FP3,  fmin.d,    DOUBLE,  2) X(fmax_d,    NO_RM,   FP3,  fmax.d,    DOUBLE,  2) \
    X(feq_d,     NO_RM,   INT3, feq.d,     DOUBLE,  2) X(flt_d,     NO_RM,   INT3, flt.d,     DOUBLE,  2) \
    X(fle_d,     NO_RM,   INT3, fle.d,     DOUBLE,  2) X(fclass_d,  NO_RM,   INT2, fclass.d,  DOUBLE,  1) \
    X(fmv_x_d,   NO_RM,   INT2, fmv.x.d,   DOUBLE,  1) X(fcvt_w_d,  WITH_RM, INT2, fcvt.w.d,  DOUBLE,  1) \
    X(fcvt_wu_d, WITH_RM, INT2, fcvt.wu.d, DOUBLE,  1) X(fcvt_l_d,  WITH_RM, INT2, fcvt.l.d,  DOUBLE,  1) \
    X(fcvt_lu_d, WITH_RM, INT2, fcvt.lu.d, DOUBLE,  1) X(fcvt_s_d,  WITH_RM, FP2,  fcvt.s.d,  DOUBLE,  1) \
    X(fcvt_s_w,  WITH_RM, FROM, fcvt.s.w,  INTEGER, 1) X(fcvt_s_wu, WITH_RM, FROM, fcvt.s.wu, INTEGER, 1) \
    X(fcvt_s_l,  WITH_RM, FROM, fcvt.s.l,  INTEGER, 1) X(fcvt_s_lu, WITH_RM, FROM, fcvt.s.lu, INTEGER, 1) \
    X(fcvt_d_w,  NO_RM,   FROM, fcvt.d.w,  INTEGER, 1) X(fcvt_d_wu, NO_RM,   FROM, fcvt.d.wu, INTEGER, 1) \
    X(fcvt_d_l,  WITH_RM, FROM, fcvt.d.l,  INTEGER, 1) X(fcvt_d_lu, WITH_RM, FROM, fcvt.d.lu, INTEGER, 1) \
    X(fmv_w_x,   NO_RM,   FROM, fmv.w.x,   INTEGER, 1) X(fmv_d_x,   NO_RM,   FROM, fmv.d.x,   INTEGER, 1)

/* Zfhmin, then the rest of Zfh, after the F/D ones so those keep their
 * seeds (and Zfhmin's are the same in both runs). */
#define ZFHMIN_INSTRUCTIONS(X)                                                                     \
    X(flh,       MEMORY,  LOAD, flh,       INTEGER, 1) X(fsh,       MEMORY,  STORE, fsh,      HALF,    2) \
    X(fmv_x_h,   NO_RM,   INT2, fmv.x.h,   HALF,    1) X(fmv_h_x,   NO_RM,   FROM, fmv.h.x,   INTEGER, 1) \
    X(fcvt_s_h,  NO_RM,   FP2,  fcvt.s.h,  HALF,    1) X(fcvt_h_s,  WITH_RM, FP2,  fcvt.h.s,  HALF_RANGE_SINGLE, 1) \
    X(fcvt_d_h,  NO_RM,   FP2,  fcvt.d.h,  HALF,    1) X(fcvt_h_d,  WITH_RM, FP2,  fcvt.h.d,  HALF_RANGE_DOUBLE, 1)
#define ZFH_INSTRUCTIONS(X)                                                                        \
    X(fadd_h,    WITH_RM, FP3,  fadd.h,    HALF,    2) X(fsub_h,    WITH_RM, FP3,  fsub.h,    HALF,    2) \
    X(fmul_h,    WITH_RM, FP3,  fmul.h,    HALF,    2) X(fdiv_h,    WITH_RM, FP3,  fdiv.h,    HALF,    2) \
    X(fsqrt_h,   WITH_RM, FP2,  fsqrt.h,   HALF,    1) X(fmadd_h,   WITH_RM, FP4,  fmadd.h,   HALF,    3) \
    X(fmsub_h,   WITH_RM, FP4,  fmsub.h,   HALF,    3) X(fnmsub_h,  WITH_RM, FP4,  fnmsub.h,  HALF,    3) \
    X(fnmadd_h,  WITH_RM, FP4,  fnmadd.h,  HALF,    3) X(fsgnj_h,   NO_RM,   FP3,  fsgnj.h,   HALF,    2) \
    X(fsgnjn_h,  NO_RM,   FP3,  fsgnjn.h,  HALF,    2) X(fsgnjx_h,  NO_RM,   FP3,  fsgnjx.h,  HALF,    2) \
    X(fmin_h,    NO_RM,   FP3,  fmin.h,    HALF,    2) X(fmax_h,    NO_RM,   FP3,  fmax.h,    HALF,    2) \
    X(feq_h,     NO_RM,   INT3, feq.h,     HALF,    2) X(flt_h,     NO_RM,   INT3, flt.h,     HALF,    2) \
    X(fle_h,     NO_RM,   INT3, fle.h,     HALF,    2) X(fclass_h,  NO_RM,   INT2, fclass.h,  HALF,    1) \
    X(fcvt_w_h,  WITH_RM, INT2, fcvt.w.h,  HALF,    1) X(fcvt_wu_h, WITH_RM, INT2, fcvt.wu.h, HALF,    1) \
    X(fcvt_l_h,  WITH_RM, INT2, fcvt.l.h,  HALF,    1) X(fcvt_lu_h, WITH_RM, INT2, fcvt.lu.h, HALF,    1) \
    X(fcvt_h_w,  WITH_RM, FROM, fcvt.h.w,  SMALL_INTEGER, 1) X(fcvt_h_wu, WITH_RM, FROM, fcvt.h.wu, SMALL_INTEGER, 1) \
    X(fcvt_h_l,  WITH_RM, FROM, fcvt.h.l,  SMALL_INTEGER, 1) X(fcvt_h_lu, WITH_RM, FROM, fcvt.h.lu, SMALL_INTEGER, 1)
/* clang-format on */

#define DEFINE_RUN(name, kind, tmpl, op, operand, count) kind(name, tmpl, op)
INSTRUCTIONS(DEFINE_RUN)
ZFHMIN_INSTRUCTIONS(DEFINE_RUN)
ZFH_INSTRUCTIONS(DEFINE_RUN)

typedef struct Instruction {
    const char *name;
    uint64_t (*run)(uint64_t a, uint64_t b, uint64_t c, unsigned rm, uint64_t *flags);
    bool has_rm;
    enum operand_kind operand;
    int count;
} Instruction;

#define WITH_RM_HAS_RM true
#define NO_RM_HAS_RM false
#define MEMORY_HAS_RM false
#define DESCRIBE(name, kind, tmpl, op, operand, count)                                             \
    {#op, run_##name, kind##_HAS_RM, operand, count},
static const Instruction instructions[] = {INSTRUCTIONS(DESCRIBE) ZFHMIN_INSTRUCTIONS(DESCRIBE)
                                               ZFH_INSTRUCTIONS(DESCRIBE)};
#define N_INSTRUCTIONS (sizeof(instructions) / sizeof(instructions[0]))
#define COUNT_ONE(name, kind, tmpl, op, operand, count) +1
enum {
    N_FD_INSTRUCTIONS = 0 INSTRUCTIONS(COUNT_ONE),
    N_ZFHMIN_INSTRUCTIONS = N_FD_INSTRUCTIONS ZFHMIN_INSTRUCTIONS(COUNT_ONE),
};

/* ---- deterministic operands ---------------------------------------- */

static uint64_t rng_state;

static uint64_t next_random(void)
{
    return xorshift64star(&rng_state);
}

static uint64_t float_operand(int frac_bits, int exp_bits)
{
    uint64_t r = next_random();
    uint64_t sign = (r & 1) << (frac_bits + exp_bits);
    uint64_t frac_mask = (1ull << frac_bits) - 1, emax = (1ull << exp_bits) - 1;
    uint64_t frac = next_random() & frac_mask;
    uint64_t exp = next_random() % emax;
    /* Where integers reach the conversions' limits: 2^31 to 2^63, or
     * binary16's largest values, which every integer type holds. */
    uint64_t int_limit = frac_bits == 23 ? 28 : frac_bits == 52 ? 60 : 8;
    switch ((r >> 1) % 16) {
    case 0: /* zeros and infinities */
        return sign | ((r >> 8) & 1 ? emax << frac_bits : 0);
    case 1: /* NaNs: quiet, signalling, with payloads */
        return sign | (emax << frac_bits) | (frac ? frac : 1);
    case 2: /* subnormals, smallest ones too */
        return sign | ((r >> 8) & 1 ? frac : frac >> (next_random() % (unsigned)frac_bits));
    case 3: /* smallest normals */
        return sign | ((1 + (r >> 8) % 3) << frac_bits) | frac;
    case 4: /* near the largest finite value */
        return sign | ((emax - 1 - (r >> 8) % 2) << frac_bits) | frac;
    case 5: /* few significant bits: exact results and ties */
        return sign | ((emax / 2 + (r >> 8) % 16 - 4) << frac_bits) |
               (frac & ~(frac_mask >> ((r >> 16) % 4 + 1)));
    case 6: /* all-ones fractions: rounding carries */
        return sign | ((emax / 2 + (r >> 8) % 8 - 4) << frac_bits) | (frac_mask - (r >> 16) % 4);
    case 7: /* exponents near 1.0, so sums cancel */
    case 8:
        return sign | ((emax / 2 - 2 + (r >> 8) % 4) << frac_bits) | frac;
    case 9: /* integers and near-integers around the conversion limits */
        return sign | ((emax / 2 + int_limit + (r >> 8) % 8) << frac_bits) |
               (frac & ~((frac_mask >> ((r >> 16) % 8))));
    case 10: /* small integers and halves */
        return sign | ((emax / 2 + (r >> 8) % 6) << frac_bits) | (frac & (7ull << (frac_bits - 3)));
    default:
        return sign | (exp << frac_bits) | frac;
    }
}

/* A binary16 register value. One in 64 is not properly NaN-boxed: random
 * upper bits, a boxed binary32's (bits 63:32 only) or a single zero bit. */
static uint64_t half_operand(void)
{
    uint64_t r = next_random();
    uint64_t value = float_operand(10, 5);
    if (r % 64 != 0)
        return 0xffffffffffff0000ull | value;
    switch ((r >> 6) % 3) {
    case 0:
        return (next_random() & 0xffffffffffff0000ull) | value;
    case 1:
        return 0xffffffff00000000ull | (next_random() & 0xffff0000ull) | value;
    default:
        return (0xffffffffffff0000ull & ~(1ull << (16 + (r >> 8) % 48))) | value;
    }
}

/* A binary32 or binary64 value (frac_bits, exp_bits) whose magnitude is
 * mostly within binary16's reach, 2^-26 to 2^16, with fractions that make
 * ties and carries when rounded to binary16's precision. */
static uint64_t half_range_operand(int frac_bits, int exp_bits)
{
    uint64_t r = next_random();
    if (r % 4 == 0)
        return float_operand(frac_bits, exp_bits);
    uint64_t sign = ((r >> 2) & 1) << (frac_bits + exp_bits);
    uint64_t bias = (1ull << (exp_bits - 1)) - 1;
    uint64_t exp = bias - 26 + (r >> 8) % 43;
    uint64_t frac_mask = (1ull << frac_bits) - 1;
    uint64_t frac = next_random() & frac_mask;
    /* Bits below binary16's 10-bit fraction (more below a subnormal's). */
    uint64_t low = frac_mask >> (10 + (r >> 16) % 3);
    switch ((r >> 24) % 4) {
    case 0: /* exact, or an exact tie one bit further down */
        frac &= ~low;
        break;
    case 1: /* just below a carry */
        frac |= low;
        break;
    default:
        break;
    }
    return sign | (exp << frac_bits) | frac;
}

static uint64_t operand(enum operand_kind kind)
{
    uint64_t r;
    switch (kind) {
    case HALF:
        return half_operand();
    case HALF_RANGE_SINGLE:
        r = next_random();
        if (r % 64 == 0) /* not NaN-boxed */
            return (r & 0xffffffff00000000ull) | half_range_operand(23, 8);
        return 0xffffffff00000000ull | half_range_operand(23, 8);
    case HALF_RANGE_DOUBLE:
        return half_range_operand(52, 11);
    case SMALL_INTEGER:
        r = next_random();
        if (r % 4 == 0)
            return operand(INTEGER);
        /* Up to 2^18 in magnitude, either sign: binary16 overflows above
         * 65504 (65520 with rounding). */
        return (uint64_t)((int64_t)next_random() >> (45 + (r >> 8) % 19));
    case SINGLE:
        r = next_random();
        /* One operand in 64 is not properly NaN-boxed. */
        if (r % 64 == 0)
            return (r & 0xffffffff00000000ull) | float_operand(23, 8);
        return 0xffffffff00000000ull | float_operand(23, 8);
    case DOUBLE:
        return float_operand(52, 11);
    default:
        r = next_random();
        switch (r % 8) {
        case 0: /* around the 32- and 64-bit limits */
            return (r & 16 ? 0x80000000ull : 0x8000000000000000ull) + (r >> 8) % 5 - 2;
        case 1:
            return (uint64_t) - (int64_t)((r >> 8) % 5);
        case 2: /* few significant bits */
            return (next_random() >> ((r >> 8) % 64)) << ((r >> 16) % 64);
        default:
            return next_random() >> ((r >> 8) % 64);
        }
    }
}

/* ---- output ----------------------------------------------------------- */

/* "fadd.d rtz", "fadd.d dyn/rtz", "fsgnj.d -" (no rounding mode). */
static void put_label(const Instruction *insn, unsigned rm, unsigned frm)
{
    static const char *const names[5] = {"rne", "rtz", "rdn", "rup", "rmm"};
    put_str(insn->name);
    put_str(" ");
    if (!insn->has_rm) {
        put_str("-");
        return;
    }
    if (rm == 7)
        put_str("dyn/");
    put_str(names[rm == 7 ? frm : rm]);
}

static void set_frm(unsigned frm)
{
    __asm__ volatile("fsrm %0" : : "r"(frm));
}

/* ---- the run ------------------------------------------------------------ */

uint64_t fpgen_run(const FpgenConfig *config, void (*write)(const char *text, unsigned long length))
{
    out_write = write;
    uint64_t total = 0;
    unsigned n_instructions = config->half == FPGEN_HALF_ZFH      ? N_INSTRUCTIONS
                              : config->half == FPGEN_HALF_ZFHMIN ? N_ZFHMIN_INSTRUCTIONS
                                                                  : N_FD_INSTRUCTIONS;
    /* Dynamic rounding goes through every frm value once per instruction. */
    static const unsigned modes[] = {0, 1, 2, 3, 4, 7, 7, 7, 7, 7};
    for (unsigned i = 0; i < n_instructions; i++) {
        const Instruction *insn = &instructions[i];
        unsigned n_modes = insn->has_rm ? sizeof(modes) / sizeof(modes[0]) : 1;
        for (unsigned m = 0; m < n_modes; m++) {
            unsigned rm = insn->has_rm ? modes[m] : 0;
            unsigned frm = m >= 5 ? m - 5 : 0;
            rng_state = config->seed ^ ((uint64_t)(i + 1) << 40) ^ ((uint64_t)(m + 1) << 32);
            if (rng_state == 0)
                rng_state = 1;
            set_frm(frm);
            uint64_t digest = 0xcbf29ce484222325ull;
            for (uint64_t n = 0; n < config->cases; n++) {
                uint64_t a = operand(insn->operand);
                uint64_t b = insn->count > 1 ? operand(insn->operand) : 0;
                uint64_t c = insn->count > 2 ? operand(insn->operand) : 0;
                uint64_t flags;
                uint64_t result = insn->run(a, b, c, rm, &flags);
                if (config->verbose) {
                    put_label(insn, rm, frm);
                    put_str(" ");
                    put_hex(a, 16);
                    for (int k = 1; k < insn->count; k++) {
                        put_str(" ");
                        put_hex(k == 1 ? b : c, 16);
                    }
                    put_str(" -> ");
                    put_hex(result, 16);
                    put_str(" ");
                    put_hex(flags, 2);
                    end_line();
                }
                digest = (digest ^ result) * 0x100000001b3ull;
                digest = (digest ^ flags) * 0x100000001b3ull;
            }
            total += config->cases;
            put_label(insn, rm, frm);
            put_str(" cases ");
            put_dec(config->cases);
            put_str(" digest ");
            put_hex(digest, 16);
            end_line();
        }
    }
    put_str("fpgen: ");
    put_dec(total);
    put_str(" operations");
    end_line();
    return total;
}
