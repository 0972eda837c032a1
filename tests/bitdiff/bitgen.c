/* bitgen.c: the core of the bit-manipulation differential test: runs every
 * Zba, Zbb, Zbc and Zbs instruction (immediate forms with every shift
 * amount, registers aliased or not) on a large, deterministic set of
 * operands biased toward edge values, and prints each result, or a digest
 * per instruction. The same core runs as a Linux program (under
 * qemu-riscv64) and bare-metal (on ember); their outputs must match byte
 * for byte. Freestanding C. */
#include "bitgen.h"

#include "tests/difftest_line.h"
#include "tests/xorshift.h"

/* The C around the instructions is built for plain RV64GC, so the
 * generator itself never depends on the extensions under test. */
#define ARCH ".option push\n\t.option arch, +zba, +zbb, +zbc, +zbs\n\t"
#define UNARCH "\n\t.option pop"

/* Each operation runs in one of four register forms, drawn at random:
 * distinct registers, rd = rs1, rd = rs2, rs1 = rs2 (then it computes
 * op(a, a)). The one-source forms have two: distinct, rd = rs1. */
enum form { DISTINCT, RD_IS_RS1, RD_IS_RS2, RS1_IS_RS2 };

#define RR(name, op)                                                                               \
    static uint64_t run_##name(uint64_t a, uint64_t b, enum form form)                             \
    {                                                                                              \
        uint64_t r;                                                                                \
        switch (form) {                                                                            \
        case RD_IS_RS1:                                                                            \
            r = a;                                                                                 \
            __asm__(ARCH #op " %0, %0, %1" UNARCH : "+r"(r) : "r"(b));                             \
            break;                                                                                 \
        case RD_IS_RS2:                                                                            \
            r = b;                                                                                 \
            __asm__(ARCH #op " %0, %1, %0" UNARCH : "+r"(r) : "r"(a));                             \
            break;                                                                                 \
        case RS1_IS_RS2:                                                                           \
            __asm__(ARCH #op " %0, %1, %1" UNARCH : "=&r"(r) : "r"(a));                            \
            break;                                                                                 \
        default:                                                                                   \
            __asm__(ARCH #op " %0, %1, %2" UNARCH : "=&r"(r) : "r"(a), "r"(b));                    \
            break;                                                                                 \
        }                                                                                          \
        return r;                                                                                  \
    }
#define R1(name, op)                                                                               \
    static uint64_t run_##name(uint64_t a, uint64_t b, enum form form)                             \
    {                                                                                              \
        uint64_t r = a;                                                                            \
        (void)b;                                                                                   \
        if (form == RD_IS_RS1)                                                                     \
            __asm__(ARCH #op " %0, %0" UNARCH : "+r"(r));                                          \
        else                                                                                       \
            __asm__(ARCH #op " %0, %1" UNARCH : "=&r"(r) : "r"(a));                                \
        return r;                                                                                  \
    }

/* rd = op(rs1, shamt): one instruction per shift amount, b selects it */
#define IMM_CASE(op, k)                                                                            \
    case (k):                                                                                      \
        if (form == RD_IS_RS1)                                                                     \
            __asm__(ARCH #op " %0, %0, %1" UNARCH : "+r"(r) : "i"(k));                             \
        else                                                                                       \
            __asm__(ARCH #op " %0, %1, %2" UNARCH : "=&r"(r) : "r"(a), "i"(k));                    \
        break;
/* clang-format off */
#define IMM_CASE8(op, k)                                                                           \
    IMM_CASE(op, k)     IMM_CASE(op, k + 1) IMM_CASE(op, k + 2) IMM_CASE(op, k + 3)                \
    IMM_CASE(op, k + 4) IMM_CASE(op, k + 5) IMM_CASE(op, k + 6) IMM_CASE(op, k + 7)
#define IMM_CASES32(op) IMM_CASE8(op, 0) IMM_CASE8(op, 8) IMM_CASE8(op, 16) IMM_CASE8(op, 24)
#define IMM_CASES64(op)                                                                            \
    IMM_CASES32(op) IMM_CASE8(op, 32) IMM_CASE8(op, 40) IMM_CASE8(op, 48) IMM_CASE8(op, 56)
/* clang-format on */
#define RI64(name, op)                                                                             \
    static uint64_t run_##name(uint64_t a, uint64_t b, enum form form)                             \
    {                                                                                              \
        uint64_t r = a;                                                                            \
        switch (b & 63) {                                                                          \
            IMM_CASES64(op)                                                                        \
        }                                                                                          \
        return r;                                                                                  \
    }
#define RI32(name, op)                                                                             \
    static uint64_t run_##name(uint64_t a, uint64_t b, enum form form)                             \
    {                                                                                              \
        uint64_t r = a;                                                                            \
        switch (b & 31) {                                                                          \
            IMM_CASES32(op)                                                                        \
        }                                                                                          \
        return r;                                                                                  \
    }

/* Second operand kinds: another value, a shift amount (the immediate
 * forms: b is the shamt, every one in turn), or none. */
enum operand_kind { VALUE, SHAMT64, SHAMT32, NONE };
#define RR_KIND VALUE
#define R1_KIND NONE
#define RI64_KIND SHAMT64
#define RI32_KIND SHAMT32

/* name, kind of function, instruction */
/* clang-format off */
#define INSTRUCTIONS(X)                                                                            \
    X(add_uw,    RR,   add.uw)    X(sh1add,    RR,   sh1add)    X(sh2add,    RR,   sh2add)         \
    X(sh3add,    RR,   sh3add)    X(sh1add_uw, RR,   sh1add.uw) X(sh2add_uw, RR,   sh2add.uw)      \
    X(sh3add_uw, RR,   sh3add.uw) X(slli_uw,   RI64, slli.uw)                                      \
    X(andn,      RR,   andn)      X(orn,       RR,   orn)       X(xnor,      RR,   xnor)           \
    X(clz,       R1,   clz)       X(clzw,      R1,   clzw)      X(ctz,       R1,   ctz)            \
    X(ctzw,      R1,   ctzw)      X(cpop,      R1,   cpop)      X(cpopw,     R1,   cpopw)          \
    X(max,       RR,   max)       X(maxu,      RR,   maxu)      X(min,       RR,   min)            \
    X(minu,      RR,   minu)      X(sext_b,    R1,   sext.b)    X(sext_h,    R1,   sext.h)         \
    X(zext_h,    R1,   zext.h)    X(rol,       RR,   rol)       X(rolw,      RR,   rolw)           \
    X(ror,       RR,   ror)       X(rorw,      RR,   rorw)      X(rori,      RI64, rori)           \
    X(roriw,     RI32, roriw)     X(orc_b,     R1,   orc.b)     X(rev8,      R1,   rev8)           \
    X(clmul,     RR,   clmul)     X(clmulh,    RR,   clmulh)    X(clmulr,    RR,   clmulr)         \
    X(bclr,      RR,   bclr)      X(bclri,     RI64, bclri)     X(bext,      RR,   bext)           \
    X(bexti,     RI64, bexti)     X(binv,      RR,   binv)      X(binvi,     RI64, binvi)          \
    X(bset,      RR,   bset)      X(bseti,     RI64, bseti)
/* clang-format on */

#define DEFINE_RUN(name, kind, op) kind(name, op)
INSTRUCTIONS(DEFINE_RUN)

typedef struct Instruction {
    const char *name;
    uint64_t (*run)(uint64_t a, uint64_t b, enum form form);
    enum operand_kind second;
} Instruction;

#define DESCRIBE(name, kind, op) {#op, run_##name, kind##_KIND},
static const Instruction instructions[] = {INSTRUCTIONS(DESCRIBE)};
#define N_INSTRUCTIONS (sizeof(instructions) / sizeof(instructions[0]))

/* ---- deterministic operands ---------------------------------------- */

static uint64_t rng_state;

static uint64_t next_random(void)
{
    return xorshift64star(&rng_state);
}

static const uint64_t special_values[] = {
    0,
    1,
    2,
    0xffffffffffffffffull,
    0x8000000000000000ull,
    0x7fffffffffffffffull,
    0x80000000ull,
    0x7fffffffull,
    0xffffffffull,
    0xffffffff80000000ull,
    0x100000000ull,
    0x8000000080000000ull,
    0x00000000ffff8000ull,
    0x0101010101010101ull,
    0x8080808080808080ull,
    0x5555555555555555ull,
};

static uint64_t operand(void)
{
    uint64_t r = next_random();
    uint64_t v = next_random();
    unsigned k = (unsigned)(r >> 8) % 64;
    switch (r % 12) {
    case 0:
        return special_values[(r >> 8) % (sizeof(special_values) / sizeof(special_values[0]))];
    case 1: /* small, either sign: shift amounts, bit indexes, counts */
        return (uint64_t)((int64_t)((r >> 8) % 161) - 32);
    case 2: /* one bit set, or one clear */
        return (r >> 16) & 1 ? ~(1ull << k) : 1ull << k;
    case 3: /* sparse: the bit scans' edges */
        return v & next_random() & next_random();
    case 4: /* dense */
        return v | next_random() | next_random();
    case 5: { /* some bytes zero: orc.b */
        uint64_t mask = 0;
        for (int i = 0; i < 8; i++)
            if ((r >> (16 + i)) & 1)
                mask |= 0xffull << (8 * i);
        return v & mask;
    }
    case 6: /* 32-bit values sign- or zero-extended: the W and .uw forms */
        return (r >> 16) & 1 ? (uint64_t)(int64_t)(int32_t)v : (uint32_t)v;
    case 7: /* a 32-bit value with garbage above it */
        return (v & 0xffffffff00000000ull) | (uint32_t)(r >> 16) >> ((r >> 48) % 32);
    case 8: { /* a run of ones */
        unsigned length = (unsigned)(r >> 16) % 64 + 1;
        uint64_t ones = length == 64 ? ~0ull : (1ull << length) - 1;
        return ones << k;
    }
    case 9: /* few significant bits, anywhere */
        return (v >> ((r >> 16) % 64)) << k;
    default:
        return v;
    }
}

/* ---- output ----------------------------------------------------------- */

/* ---- the run ------------------------------------------------------------ */

static const char *const form_names[] = {"", " rd=rs1", " rd=rs2", " rs1=rs2"};

uint64_t bitgen_run(const BitgenConfig *config,
                    void (*write)(const char *text, unsigned long length))
{
    out_write = write;
    uint64_t total = 0;
    for (unsigned i = 0; i < N_INSTRUCTIONS; i++) {
        const Instruction *insn = &instructions[i];
        rng_state = config->seed ^ ((uint64_t)(i + 1) << 40);
        if (rng_state == 0)
            rng_state = 1;
        uint64_t digest = 0xcbf29ce484222325ull;
        for (uint64_t n = 0; n < config->cases; n++) {
            uint64_t a = operand();
            /* QEMU 7.2 gets ctzw wrong when rs1[31:0] is 0 (it counts the
             * upper word's zeros too, not 32): those operands are not drawn
             * for it; tests/isa/zbb.S checks them on ember. */
            while (insn->run == run_ctzw && (uint32_t)a == 0)
                a = operand();
            uint64_t b;
            switch (insn->second) {
            case VALUE:
                b = operand();
                break;
            case SHAMT64:
                b = n % 64;
                break;
            case SHAMT32:
                b = n % 32;
                break;
            default:
                b = 0;
                break;
            }
            enum form form = (enum form)(next_random() % (insn->second == VALUE ? 4 : 2));
            uint64_t result = insn->run(a, b, form);
            if (config->verbose) {
                put_str(insn->name);
                put_str(form_names[form]);
                put_str(" ");
                put_hex(a, 16);
                if (insn->second == VALUE) {
                    put_str(" ");
                    put_hex(b, 16);
                } else if (insn->second != NONE) {
                    put_str(" ");
                    put_dec(b);
                }
                put_str(" -> ");
                put_hex(result, 16);
                end_line();
            }
            digest = (digest ^ result) * 0x100000001b3ull;
        }
        total += config->cases;
        put_str(insn->name);
        put_str(" cases ");
        put_dec(config->cases);
        put_str(" digest ");
        put_hex(digest, 16);
        end_line();
    }
    put_str("bitgen: ");
    put_dec(total);
    put_str(" operations");
    end_line();
    return total;
}
