/* disasm/riscv_disasm.c: RV64GC disassembler entry point and 32-bit instructions.
 * Mnemonics, pseudo-instructions and operands follow GNU objdump 2.40 (see riscv_disasm.h). */
#include "disasm/riscv_disasm.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>

#include "disasm/riscv_disasm_internal.h"

const char *const disasm_xreg_names[32] = {
    "zero", "ra", "sp", "gp", "tp",  "t0",  "t1", "t2", "s0", "s1", "a0",
    "a1",   "a2", "a3", "a4", "a5",  "a6",  "a7", "s2", "s3", "s4", "s5",
    "s6",   "s7", "s8", "s9", "s10", "s11", "t3", "t4", "t5", "t6",
};

const char *const disasm_freg_names[32] = {
    "ft0", "ft1", "ft2", "ft3", "ft4",  "ft5",  "ft6", "ft7", "fs0",  "fs1",  "fa0",
    "fa1", "fa2", "fa3", "fa4", "fa5",  "fa6",  "fa7", "fs2", "fs3",  "fs4",  "fs5",
    "fs6", "fs7", "fs8", "fs9", "fs10", "fs11", "ft8", "ft9", "ft10", "ft11",
};

enum {
    REG_ZERO = 0,
    REG_RA = 1,
    REG_TP = 4,
};

static void disasm_vprintf(struct disasm_out *out, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));

static void disasm_vprintf(struct disasm_out *out, const char *fmt, va_list ap)
{
    if (out->len + 1 >= out->cap)
        return;
    size_t room = out->cap - out->len;
    int n = vsnprintf(out->buf + out->len, room, fmt, ap);
    if (n < 0)
        return;
    out->len = (size_t)n < room ? out->len + (size_t)n : out->cap - 1;
}

static void disasm_printf(struct disasm_out *out, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void disasm_printf(struct disasm_out *out, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    disasm_vprintf(out, fmt, ap);
    va_end(ap);
}

void disasm_mnemonic(struct disasm_out *out, const char *mnemonic)
{
    disasm_printf(out, "%s", mnemonic);
}

void disasm_insn(struct disasm_out *out, const char *mnemonic, const char *fmt, ...)
{
    disasm_printf(out, "%s\t", mnemonic);
    va_list ap;
    va_start(ap, fmt);
    disasm_vprintf(out, fmt, ap);
    va_end(ap);
}

void disasm_address_note(struct disasm_out *out, uint64_t address)
{
    disasm_printf(out, " # 0x%" PRIx64, address);
}

/* Rounding-mode operand of an F/D instruction; dyn (7) prints nothing. */
static void disasm_rounding_mode(struct disasm_out *out, unsigned rm)
{
    /* objdump prints "unknown" for the reserved modes 5 and 6. */
    static const char *const names[8] = {"rne", "rtz",     "rdn",     "rup",
                                         "rmm", "unknown", "unknown", NULL};
    if (names[rm & 7])
        disasm_printf(out, ",%s", names[rm & 7]);
}

static const char *xreg(uint32_t insn, unsigned lo)
{
    return disasm_xreg_names[field(insn, lo, 5)];
}

static const char *freg(uint32_t insn, unsigned lo)
{
    return disasm_freg_names[field(insn, lo, 5)];
}

static unsigned rd_of(uint32_t insn)
{
    return field(insn, 7, 5);
}

static unsigned rs1_of(uint32_t insn)
{
    return field(insn, 15, 5);
}

static unsigned rs2_of(uint32_t insn)
{
    return field(insn, 20, 5);
}

static unsigned funct3_of(uint32_t insn)
{
    return field(insn, 12, 3);
}

static unsigned funct7_of(uint32_t insn)
{
    return field(insn, 25, 7);
}

static int64_t imm_i(uint32_t insn)
{
    return sign_extend(insn >> 20, 12);
}

static int64_t imm_s(uint32_t insn)
{
    return sign_extend((field(insn, 25, 7) << 5) | field(insn, 7, 5), 12);
}

static int64_t imm_b(uint32_t insn)
{
    uint32_t v = (field(insn, 31, 1) << 12) | (field(insn, 7, 1) << 11) |
                 (field(insn, 25, 6) << 5) | (field(insn, 8, 4) << 1);
    return sign_extend(v, 13);
}

static int64_t imm_j(uint32_t insn)
{
    uint32_t v = (field(insn, 31, 1) << 20) | (field(insn, 12, 8) << 12) |
                 (field(insn, 20, 1) << 11) | (field(insn, 21, 10) << 1);
    return sign_extend(v, 21);
}

/* objdump knows the address a zero- or tp-based access names: the offset. */
static void base_note(struct disasm_out *out, unsigned base, int64_t offset)
{
    if (base == REG_ZERO || base == REG_TP)
        disasm_address_note(out, (uint64_t)offset);
}

static void memory_access(struct disasm_out *out, const char *mnemonic, const char *reg,
                          int64_t offset, unsigned base)
{
    disasm_insn(out, mnemonic, "%s,%" PRId64 "(%s)", reg, offset, disasm_xreg_names[base]);
    base_note(out, base, offset);
}

static bool disasm_load(struct disasm_out *out, uint32_t insn)
{
    static const char *const names[8] = {"lb", "lh", "lw", "ld", "lbu", "lhu", "lwu", NULL};
    const char *name = names[funct3_of(insn)];
    if (!name)
        return false;
    memory_access(out, name, xreg(insn, 7), imm_i(insn), rs1_of(insn));
    return true;
}

static bool disasm_store(struct disasm_out *out, uint32_t insn)
{
    static const char *const names[8] = {"sb", "sh", "sw", "sd"};
    const char *name = names[funct3_of(insn)];
    if (!name)
        return false;
    memory_access(out, name, xreg(insn, 20), imm_s(insn), rs1_of(insn));
    return true;
}

static bool disasm_load_fp(struct disasm_out *out, uint32_t insn)
{
    unsigned width = funct3_of(insn);
    if (width != 2 && width != 3)
        return false;
    memory_access(out, width == 2 ? "flw" : "fld", freg(insn, 7), imm_i(insn), rs1_of(insn));
    return true;
}

static bool disasm_store_fp(struct disasm_out *out, uint32_t insn)
{
    unsigned width = funct3_of(insn);
    if (width != 2 && width != 3)
        return false;
    memory_access(out, width == 2 ? "fsw" : "fsd", freg(insn, 20), imm_s(insn), rs1_of(insn));
    return true;
}

static bool disasm_misc_mem(struct disasm_out *out, uint32_t insn)
{
    /* objdump's table has no entry for a pred or succ of 0, hence "unknown". */
    static const char *const sets[16] = {"unknown", "w",  "r",  "rw",  "o",  "ow",  "or",  "orw",
                                         "i",       "iw", "ir", "irw", "io", "iow", "ior", "iorw"};
    unsigned fm = field(insn, 28, 4), pred = field(insn, 24, 4), succ = field(insn, 20, 4);

    if (insn == 0x0000100f) {
        disasm_mnemonic(out, "fence.i");
        return true;
    }
    if (funct3_of(insn) != 0 || rd_of(insn) != 0 || rs1_of(insn) != 0)
        return false;
    if (fm == 8 && pred == 3 && succ == 3) {
        disasm_mnemonic(out, "fence.tso");
        return true;
    }
    if (fm != 0)
        return false;
    if (pred == 15 && succ == 15)
        disasm_mnemonic(out, "fence");
    else
        disasm_insn(out, "fence", "%s,%s", sets[pred], sets[succ]);
    return true;
}

static bool disasm_op_imm(struct disasm_out *out, uint32_t insn)
{
    unsigned rd = rd_of(insn), rs1 = rs1_of(insn);
    const char *d = xreg(insn, 7), *s = xreg(insn, 15);
    int64_t imm = imm_i(insn);
    unsigned shamt = field(insn, 20, 6), funct6 = field(insn, 26, 6);

    switch (funct3_of(insn)) {
    case 0:
        if (rd == REG_ZERO && rs1 == REG_ZERO && imm == 0) {
            disasm_mnemonic(out, "nop");
        } else if (rs1 == REG_ZERO) {
            disasm_insn(out, "li", "%s,%" PRId64, d, imm);
        } else if (imm == 0) {
            disasm_insn(out, "mv", "%s,%s", d, s);
        } else {
            /* objdump 2.40 prefers its "add with immediate" alias over addi. */
            disasm_insn(out, "add", "%s,%s,%" PRId64, d, s, imm);
            if (rs1 == REG_TP)
                disasm_address_note(out, (uint64_t)imm);
        }
        return true;
    case 1:
        if (funct6 != 0)
            return false;
        disasm_insn(out, "sll", "%s,%s,0x%x", d, s, shamt);
        return true;
    case 2:
        disasm_insn(out, "slti", "%s,%s,%" PRId64, d, s, imm);
        return true;
    case 3:
        if (imm == 1)
            disasm_insn(out, "seqz", "%s,%s", d, s);
        else
            disasm_insn(out, "sltiu", "%s,%s,%" PRId64, d, s, imm);
        return true;
    case 4:
        if (imm == -1)
            disasm_insn(out, "not", "%s,%s", d, s);
        else
            disasm_insn(out, "xor", "%s,%s,%" PRId64, d, s, imm);
        return true;
    case 5:
        if (funct6 != 0 && funct6 != 0x10)
            return false;
        disasm_insn(out, funct6 ? "sra" : "srl", "%s,%s,0x%x", d, s, shamt);
        return true;
    case 6:
        disasm_insn(out, "or", "%s,%s,%" PRId64, d, s, imm);
        return true;
    default:
        /* zext.b is base ISA (andi 255), so objdump shows it without Zbb. */
        if (imm == 255)
            disasm_insn(out, "zext.b", "%s,%s", d, s);
        else
            disasm_insn(out, "and", "%s,%s,%" PRId64, d, s, imm);
        return true;
    }
}

static bool disasm_op_imm_32(struct disasm_out *out, uint32_t insn)
{
    unsigned rs1 = rs1_of(insn), funct7 = funct7_of(insn), shamt = field(insn, 20, 5);
    const char *d = xreg(insn, 7), *s = xreg(insn, 15);
    int64_t imm = imm_i(insn);

    switch (funct3_of(insn)) {
    case 0:
        if (imm == 0) {
            disasm_insn(out, "sext.w", "%s,%s", d, s);
        } else {
            disasm_insn(out, "addw", "%s,%s,%" PRId64, d, s, imm);
            /* The sum is sign-extended from 32 bits, which a 12-bit
             * immediate already is. */
            if (rs1 == REG_TP)
                disasm_address_note(out, (uint64_t)imm);
        }
        return true;
    case 1:
        if (funct7 != 0)
            return false;
        disasm_insn(out, "sllw", "%s,%s,0x%x", d, s, shamt);
        return true;
    case 5:
        if (funct7 != 0 && funct7 != 0x20)
            return false;
        disasm_insn(out, funct7 ? "sraw" : "srlw", "%s,%s,0x%x", d, s, shamt);
        return true;
    default:
        return false;
    }
}

static bool disasm_op(struct disasm_out *out, uint32_t insn)
{
    static const char *const base[8] = {"add", "sll", "slt", "sltu", "xor", "srl", "or", "and"};
    static const char *const muldiv[8] = {"mul", "mulh", "mulhsu", "mulhu",
                                          "div", "divu", "rem",    "remu"};
    unsigned f3 = funct3_of(insn), rs1 = rs1_of(insn), rs2 = rs2_of(insn);
    const char *d = xreg(insn, 7), *s1 = xreg(insn, 15), *s2 = xreg(insn, 20);
    const char *name;

    switch (funct7_of(insn)) {
    case 0x00:
        if (f3 == 2 && rs2 == REG_ZERO) {
            disasm_insn(out, "sltz", "%s,%s", d, s1);
            return true;
        }
        if (f3 == 2 && rs1 == REG_ZERO) {
            disasm_insn(out, "sgtz", "%s,%s", d, s2);
            return true;
        }
        if (f3 == 3 && rs1 == REG_ZERO) {
            disasm_insn(out, "snez", "%s,%s", d, s2);
            return true;
        }
        name = base[f3];
        break;
    case 0x20:
        if (f3 == 0 && rs1 == REG_ZERO) {
            disasm_insn(out, "neg", "%s,%s", d, s2);
            return true;
        }
        name = f3 == 0 ? "sub" : f3 == 5 ? "sra" : NULL;
        break;
    case 0x01:
        name = muldiv[f3];
        break;
    default:
        return false;
    }
    if (!name)
        return false;
    disasm_insn(out, name, "%s,%s,%s", d, s1, s2);
    return true;
}

static bool disasm_op_32(struct disasm_out *out, uint32_t insn)
{
    static const char *const base[8] = {"addw", "sllw", NULL, NULL, NULL, "srlw"};
    static const char *const muldiv[8] = {"mulw", NULL,    NULL,   NULL,
                                          "divw", "divuw", "remw", "remuw"};
    unsigned f3 = funct3_of(insn);
    const char *d = xreg(insn, 7), *s1 = xreg(insn, 15), *s2 = xreg(insn, 20);
    const char *name;

    switch (funct7_of(insn)) {
    case 0x00:
        name = base[f3];
        break;
    case 0x20:
        if (f3 == 0 && rs1_of(insn) == REG_ZERO) {
            disasm_insn(out, "negw", "%s,%s", d, s2);
            return true;
        }
        name = f3 == 0 ? "subw" : f3 == 5 ? "sraw" : NULL;
        break;
    case 0x01:
        name = muldiv[f3];
        break;
    default:
        return false;
    }
    if (!name)
        return false;
    disasm_insn(out, name, "%s,%s,%s", d, s1, s2);
    return true;
}

static bool disasm_amo(struct disasm_out *out, uint32_t insn)
{
    static const char *const names[32] = {
        [0x00] = "amoadd", [0x01] = "amoswap", [0x02] = "lr",      [0x03] = "sc",
        [0x04] = "amoxor", [0x08] = "amoor",   [0x0c] = "amoand",  [0x10] = "amomin",
        [0x14] = "amomax", [0x18] = "amominu", [0x1c] = "amomaxu",
    };
    static const char *const ordering[4] = {"", ".rl", ".aq", ".aqrl"};
    unsigned f3 = funct3_of(insn), funct5 = field(insn, 27, 5);
    const char *name = names[funct5];
    char mnemonic[24];

    if ((f3 != 2 && f3 != 3) || !name)
        return false;
    snprintf(mnemonic, sizeof mnemonic, "%s.%c%s", name, f3 == 2 ? 'w' : 'd',
             ordering[field(insn, 25, 2)]);
    if (funct5 == 0x02) {
        if (rs2_of(insn) != 0)
            return false;
        disasm_insn(out, mnemonic, "%s,(%s)", xreg(insn, 7), xreg(insn, 15));
    } else {
        disasm_insn(out, mnemonic, "%s,%s,(%s)", xreg(insn, 7), xreg(insn, 20), xreg(insn, 15));
    }
    return true;
}

static bool disasm_fused_multiply(struct disasm_out *out, uint32_t insn)
{
    static const char *const names[4] = {"fmadd", "fmsub", "fnmsub", "fnmadd"};
    unsigned fmt = field(insn, 25, 2);
    char mnemonic[16];

    if (fmt > 1)
        return false;
    snprintf(mnemonic, sizeof mnemonic, "%s.%c", names[field(insn, 2, 2)], fmt ? 'd' : 's');
    disasm_insn(out, mnemonic, "%s,%s,%s,%s", freg(insn, 7), freg(insn, 15), freg(insn, 20),
                freg(insn, 27));
    disasm_rounding_mode(out, funct3_of(insn));
    return true;
}

/* Conversions between an FP format and an integer register, in the
 * order of their rs2 field: w, wu, l, lu. */
static bool disasm_fp_int_convert(struct disasm_out *out, uint32_t insn, bool to_int)
{
    static const char *const ints[4] = {"w", "wu", "l", "lu"};
    unsigned rs2 = rs2_of(insn), rm = funct3_of(insn);
    char fp = field(insn, 25, 2) ? 'd' : 's';
    char mnemonic[16];

    if (rs2 > 3)
        return false;
    if (to_int) {
        snprintf(mnemonic, sizeof mnemonic, "fcvt.%s.%c", ints[rs2], fp);
        disasm_insn(out, mnemonic, "%s,%s", xreg(insn, 7), freg(insn, 15));
        disasm_rounding_mode(out, rm);
        return true;
    }
    snprintf(mnemonic, sizeof mnemonic, "fcvt.%c.%s", fp, ints[rs2]);
    /* A 32-bit integer always fits a double exactly: objdump accepts only
     * rm = 0 there and prints no rounding mode. */
    bool exact = fp == 'd' && rs2 < 2;
    if (exact && rm != 0)
        return false;
    disasm_insn(out, mnemonic, "%s,%s", freg(insn, 7), xreg(insn, 15));
    if (!exact)
        disasm_rounding_mode(out, rm);
    return true;
}

static bool disasm_op_fp(struct disasm_out *out, uint32_t insn)
{
    static const char *const arith[4] = {"fadd", "fsub", "fmul", "fdiv"};
    static const char *const inject[3] = {"fsgnj", "fsgnjn", "fsgnjx"};
    static const char *const inject_alias[3] = {"fmv", "fneg", "fabs"};
    static const char *const minmax[2] = {"fmin", "fmax"};
    static const char *const compare[3] = {"fle", "flt", "feq"};
    unsigned fmt = field(insn, 25, 2), funct5 = field(insn, 27, 5);
    unsigned rm = funct3_of(insn), rs1 = rs1_of(insn), rs2 = rs2_of(insn);
    const char *fd = freg(insn, 7), *fs1 = freg(insn, 15), *fs2 = freg(insn, 20);
    char p = fmt ? 'd' : 's';
    char mnemonic[16];

    if (fmt > 1)
        return false;
    switch (funct5) {
    case 0x00:
    case 0x01:
    case 0x02:
    case 0x03:
        snprintf(mnemonic, sizeof mnemonic, "%s.%c", arith[funct5], p);
        disasm_insn(out, mnemonic, "%s,%s,%s", fd, fs1, fs2);
        disasm_rounding_mode(out, rm);
        return true;
    case 0x0b:
        if (rs2 != 0)
            return false;
        snprintf(mnemonic, sizeof mnemonic, "fsqrt.%c", p);
        disasm_insn(out, mnemonic, "%s,%s", fd, fs1);
        disasm_rounding_mode(out, rm);
        return true;
    case 0x04:
        if (rm > 2)
            return false;
        if (rs1 == rs2) {
            snprintf(mnemonic, sizeof mnemonic, "%s.%c", inject_alias[rm], p);
            disasm_insn(out, mnemonic, "%s,%s", fd, fs1);
        } else {
            snprintf(mnemonic, sizeof mnemonic, "%s.%c", inject[rm], p);
            disasm_insn(out, mnemonic, "%s,%s,%s", fd, fs1, fs2);
        }
        return true;
    case 0x05:
        if (rm > 1)
            return false;
        snprintf(mnemonic, sizeof mnemonic, "%s.%c", minmax[rm], p);
        disasm_insn(out, mnemonic, "%s,%s,%s", fd, fs1, fs2);
        return true;
    case 0x08:
        if (fmt == 0 && rs2 == 1) {
            disasm_insn(out, "fcvt.s.d", "%s,%s", fd, fs1);
            disasm_rounding_mode(out, rm);
            return true;
        }
        /* Widening is exact, so objdump accepts only rm = 0 and prints none. */
        if (fmt == 1 && rs2 == 0 && rm == 0) {
            disasm_insn(out, "fcvt.d.s", "%s,%s", fd, fs1);
            return true;
        }
        return false;
    case 0x14:
        if (rm > 2)
            return false;
        snprintf(mnemonic, sizeof mnemonic, "%s.%c", compare[rm], p);
        disasm_insn(out, mnemonic, "%s,%s,%s", xreg(insn, 7), fs1, fs2);
        return true;
    case 0x18:
        return disasm_fp_int_convert(out, insn, true);
    case 0x1a:
        return disasm_fp_int_convert(out, insn, false);
    case 0x1c:
        if (rs2 != 0 || rm > 1)
            return false;
        if (rm == 0)
            snprintf(mnemonic, sizeof mnemonic, "fmv.x.%c", fmt ? 'd' : 'w');
        else
            snprintf(mnemonic, sizeof mnemonic, "fclass.%c", p);
        disasm_insn(out, mnemonic, "%s,%s", xreg(insn, 7), fs1);
        return true;
    case 0x1e:
        if (rs2 != 0 || rm != 0)
            return false;
        snprintf(mnemonic, sizeof mnemonic, "fmv.%c.x", fmt ? 'd' : 'w');
        disasm_insn(out, mnemonic, "%s,%s", fd, xreg(insn, 15));
        return true;
    default:
        return false;
    }
}

static bool disasm_branch(struct disasm_out *out, uint64_t pc, uint32_t insn)
{
    static const char *const names[8] = {"beq", "bne", NULL, NULL, "blt", "bge", "bltu", "bgeu"};
    unsigned f3 = funct3_of(insn), rs1 = rs1_of(insn), rs2 = rs2_of(insn);
    const char *s1 = xreg(insn, 15), *s2 = xreg(insn, 20);
    uint64_t target = pc + (uint64_t)imm_b(insn);
    const char *alias = NULL, *alias_reg = NULL;

    if (!names[f3])
        return false;
    /* With both registers zero, objdump picks bltz for blt but blez for bge. */
    switch (f3) {
    case 0:
    case 1:
        if (rs2 == REG_ZERO) {
            alias = f3 == 0 ? "beqz" : "bnez";
            alias_reg = s1;
        }
        break;
    case 4:
        if (rs2 == REG_ZERO || rs1 == REG_ZERO) {
            alias = rs2 == REG_ZERO ? "bltz" : "bgtz";
            alias_reg = rs2 == REG_ZERO ? s1 : s2;
        }
        break;
    case 5:
        if (rs1 == REG_ZERO || rs2 == REG_ZERO) {
            alias = rs1 == REG_ZERO ? "blez" : "bgez";
            alias_reg = rs1 == REG_ZERO ? s2 : s1;
        }
        break;
    default:
        break;
    }
    if (alias)
        disasm_insn(out, alias, "%s,0x%" PRIx64, alias_reg, target);
    else
        disasm_insn(out, names[f3], "%s,%s,0x%" PRIx64, s1, s2, target);
    return true;
}

static bool disasm_jalr(struct disasm_out *out, uint32_t insn)
{
    unsigned rd = rd_of(insn), rs1 = rs1_of(insn);
    int64_t imm = imm_i(insn);
    const char *s = xreg(insn, 15);
    /* objdump leaves rd out when it is zero (jr) or ra (jalr). */
    const char *name = rd == REG_ZERO ? "jr" : "jalr";
    bool implicit_rd = rd == REG_ZERO || rd == REG_RA;

    if (funct3_of(insn) != 0)
        return false;
    if (rd == REG_ZERO && rs1 == REG_RA && imm == 0) {
        disasm_mnemonic(out, "ret");
        return true;
    }
    if (implicit_rd && imm == 0)
        disasm_insn(out, name, "%s", s);
    else if (implicit_rd)
        disasm_insn(out, name, "%" PRId64 "(%s)", imm, s);
    else if (imm == 0)
        disasm_insn(out, name, "%s,%s", xreg(insn, 7), s);
    else
        disasm_insn(out, name, "%s,%" PRId64 "(%s)", xreg(insn, 7), imm, s);
    base_note(out, rs1, imm);
    return true;
}

static void disasm_jal(struct disasm_out *out, uint64_t pc, uint32_t insn)
{
    uint64_t target = pc + (uint64_t)imm_j(insn);
    unsigned rd = rd_of(insn);

    if (rd == REG_ZERO)
        disasm_insn(out, "j", "0x%" PRIx64, target);
    else if (rd == REG_RA)
        disasm_insn(out, "jal", "0x%" PRIx64, target);
    else
        disasm_insn(out, "jal", "%s,0x%" PRIx64, xreg(insn, 7), target);
}

static bool disasm_privileged(struct disasm_out *out, uint32_t insn)
{
    static const struct {
        uint32_t bits;
        const char *name;
    } exact[] = {
        {0x00000073, "ecall"}, {0x00100073, "ebreak"}, {0x00200073, "uret"}, {0x10200073, "sret"},
        {0x20200073, "hret"},  {0x30200073, "mret"},   {0x7b200073, "dret"}, {0x10500073, "wfi"},
    };
    unsigned rs1 = rs1_of(insn), rs2 = rs2_of(insn);

    for (size_t i = 0; i < sizeof exact / sizeof exact[0]; i++) {
        if (insn == exact[i].bits) {
            disasm_mnemonic(out, exact[i].name);
            return true;
        }
    }
    if ((insn & 0xfe007fff) == 0x12000073) {
        if (rs1 == REG_ZERO && rs2 == REG_ZERO)
            disasm_mnemonic(out, "sfence.vma");
        else if (rs2 == REG_ZERO)
            disasm_insn(out, "sfence.vma", "%s", xreg(insn, 15));
        else
            disasm_insn(out, "sfence.vma", "%s,%s", xreg(insn, 15), xreg(insn, 20));
        return true;
    }
    /* Privileged spec 1.9's sfence.vm, which objdump still decodes, as it
     * does uret and hret above. */
    if ((insn & 0xfff07fff) == 0x10400073) {
        if (rs1 == REG_ZERO)
            disasm_mnemonic(out, "sfence.vm");
        else
            disasm_insn(out, "sfence.vm", "%s", xreg(insn, 15));
        return true;
    }
    return false;
}

/* Zicsr. objdump names the source register or 5-bit immediate and the CSR,
 * folds rd = zero into csrw/csrs/csrc (csrw also for csrrwi) and has
 * dedicated pseudo-instructions for the FP CSRs and the user counters. */
static bool disasm_csr(struct disasm_out *out, uint32_t insn)
{
    static const char *const plain[8] = {NULL, "csrrw", "csrrs", "csrrc",
                                         NULL, "csrrw", "csrrs", "csrrc"};
    static const char *const short_form[8] = {NULL, "csrw", "csrs", "csrc",
                                              NULL, "csrw", "csrs", "csrc"};
    static const char *const fp_write[4] = {NULL, "fsflags", "fsrm", "fscsr"};
    static const char *const fp_read[4] = {NULL, "frflags", "frrm", "frcsr"};
    static const char *const counter_read[3] = {"rdcycle", "rdtime", "rdinstret"};
    unsigned f3 = funct3_of(insn), rd = rd_of(insn), rs1 = rs1_of(insn), csr = insn >> 20;
    const char *d = xreg(insn, 7);
    const char *csr_name = disasm_csr_name(csr);
    char csr_text[8], source[8];

    if (!plain[f3])
        return false;
    if (!csr_name) {
        snprintf(csr_text, sizeof csr_text, "0x%x", csr);
        csr_name = csr_text;
    }
    if (f3 & 4)
        snprintf(source, sizeof source, "%u", rs1);
    else
        snprintf(source, sizeof source, "%s", disasm_xreg_names[rs1]);

    if (f3 == 1 && csr >= 1 && csr <= 3) {
        if (rd == REG_ZERO)
            disasm_insn(out, fp_write[csr], "%s", source);
        else
            disasm_insn(out, fp_write[csr], "%s,%s", d, source);
        return true;
    }
    if (f3 == 5 && (csr == 1 || csr == 2)) {
        disasm_insn(out, csr == 1 ? "fsflagsi" : "fsrmi", "%s,%s", d, source);
        return true;
    }
    if (f3 == 2 && rs1 == REG_ZERO) {
        if (csr >= 1 && csr <= 3)
            disasm_insn(out, fp_read[csr], "%s", d);
        else if (csr >= 0xc00 && csr <= 0xc02)
            disasm_insn(out, counter_read[csr - 0xc00], "%s", d);
        else
            disasm_insn(out, "csrr", "%s,%s", d, csr_name);
        return true;
    }
    /* The canonical unimplemented instruction: csrrw zero, cycle, zero. */
    if (insn == 0xc0001073) {
        disasm_mnemonic(out, "unimp");
        return true;
    }
    if (rd == REG_ZERO)
        disasm_insn(out, short_form[f3], "%s,%s", csr_name, source);
    else
        disasm_insn(out, plain[f3], "%s,%s,%s", d, csr_name, source);
    return true;
}

static bool disasm_32(struct disasm_out *out, uint64_t pc, uint32_t insn)
{
    switch (field(insn, 2, 5)) {
    case 0x00:
        return disasm_load(out, insn);
    case 0x01:
        return disasm_load_fp(out, insn);
    case 0x03:
        return disasm_misc_mem(out, insn);
    case 0x04:
        return disasm_op_imm(out, insn);
    case 0x05:
        disasm_insn(out, "auipc", "%s,0x%x", xreg(insn, 7), insn >> 12);
        return true;
    case 0x06:
        return disasm_op_imm_32(out, insn);
    case 0x08:
        return disasm_store(out, insn);
    case 0x09:
        return disasm_store_fp(out, insn);
    case 0x0b:
        return disasm_amo(out, insn);
    case 0x0c:
        return disasm_op(out, insn);
    case 0x0d:
        disasm_insn(out, "lui", "%s,0x%x", xreg(insn, 7), insn >> 12);
        return true;
    case 0x0e:
        return disasm_op_32(out, insn);
    case 0x10:
    case 0x11:
    case 0x12:
    case 0x13:
        return disasm_fused_multiply(out, insn);
    case 0x14:
        return disasm_op_fp(out, insn);
    case 0x18:
        return disasm_branch(out, pc, insn);
    case 0x19:
        return disasm_jalr(out, insn);
    case 0x1b:
        disasm_jal(out, pc, insn);
        return true;
    case 0x1c:
        return funct3_of(insn) == 0 ? disasm_privileged(out, insn) : disasm_csr(out, insn);
    default:
        return false;
    }
}

int riscv_disasm(uint64_t pc, uint32_t insn, char *out, size_t outlen)
{
    struct disasm_out text = {.buf = out, .cap = out ? outlen : 0, .len = 0};

    if (text.cap)
        text.buf[0] = '\0';
    if ((insn & 3) != 3) {
        disasm_compressed(&text, pc, (uint16_t)insn);
        return 2;
    }
    /* Encodings longer than 32 bits (low bits 11111) are not RV64GC; only
     * 32 bits are at hand, so they print as unknown 32-bit words. */
    if ((insn & 0x1c) == 0x1c || !disasm_32(&text, pc, insn))
        disasm_insn(&text, ".4byte", "0x%" PRIx32, insn);
    return 4;
}
