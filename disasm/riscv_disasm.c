/* disasm/riscv_disasm.c: the RISC-V disassembler, printing the rows of the
 * instruction table (isa/riscv_insns.h) as GNU objdump 2.40 does. */
#include "disasm/riscv_disasm.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>

#include "disasm/riscv_disasm_internal.h"
#include "isa/riscv_insns.h"

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
    REG_TP = 4,
};

/* Text being built. len never reaches cap, so buf[len] is always the NUL
 * terminator; writes past the end are dropped rather than failing. */
struct disasm_out {
    char *buf;
    size_t cap;
    size_t len;
    uint64_t address_mask; /* addresses are XLEN bits wide */
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

/* objdump's " # 0x..." note after an operand whose address it can compute. */
static void disasm_address_note(struct disasm_out *out, uint64_t address)
{
    disasm_printf(out, " # 0x%" PRIx64, address & out->address_mask);
}

/* Rounding-mode operand of an FP instruction; dyn (7) prints nothing. */
static void disasm_rounding_mode(struct disasm_out *out, unsigned rm)
{
    /* objdump prints "unknown" for the reserved modes 5 and 6. */
    static const char *const names[8] = {"rne", "rtz",     "rdn",     "rup",
                                         "rmm", "unknown", "unknown", NULL};
    if (names[rm & 7])
        disasm_printf(out, ",%s", names[rm & 7]);
}

/* objdump knows the address a zero- or tp-based access names: the offset. */
static void base_note(struct disasm_out *out, unsigned base, int64_t offset)
{
    if (base == REG_ZERO || base == REG_TP)
        disasm_address_note(out, (uint64_t)offset);
}

static void fence_set(struct disasm_out *out, unsigned set)
{
    /* objdump's table has no entry for an empty set, hence "unknown". */
    static const char *const sets[16] = {"unknown", "w",  "r",  "rw",  "o",  "ow",  "or",  "orw",
                                         "i",       "iw", "ir", "irw", "io", "iow", "ior", "iorw"};
    disasm_printf(out, "%s", sets[set & 15]);
}

/* Prints a row's operands (the letters of isa/riscv_insns.h) for insn,
 * the 32-bit instruction at pc. */
static void disasm_operands(struct disasm_out *out, const char *operands, uint64_t pc,
                            uint32_t insn)
{
    unsigned rd = riscv_field(insn, 7, 5), rs1 = riscv_field(insn, 15, 5);
    unsigned rs2 = riscv_field(insn, 20, 5), csr = insn >> 20;
    int64_t imm_i = riscv_imm_i(insn), imm_s = riscv_imm_s(insn);

    for (const char *p = operands; *p; p++) {
        switch (*p) {
        case 'd':
            disasm_printf(out, "%s", disasm_xreg_names[rd]);
            break;
        case 's':
            disasm_printf(out, "%s", disasm_xreg_names[rs1]);
            break;
        case 't':
            disasm_printf(out, "%s", disasm_xreg_names[rs2]);
            break;
        case 'D':
            disasm_printf(out, "%s", disasm_freg_names[rd]);
            break;
        case 'S':
            disasm_printf(out, "%s", disasm_freg_names[rs1]);
            break;
        case 'T':
            disasm_printf(out, "%s", disasm_freg_names[rs2]);
            break;
        case 'R':
            disasm_printf(out, "%s", disasm_freg_names[riscv_field(insn, 27, 5)]);
            break;
        case 'j':
            disasm_printf(out, "%" PRId64, imm_i);
            break;
        case 'l':
            disasm_printf(out, "%" PRId64 "(%s)", imm_i, disasm_xreg_names[rs1]);
            base_note(out, rs1, imm_i);
            break;
        case 'k':
            disasm_printf(out, "%" PRId64 "(%s)", imm_s, disasm_xreg_names[rs1]);
            base_note(out, rs1, imm_s);
            break;
        case 'z':
            base_note(out, rs1, imm_i);
            break;
        case 'n':
            if (rs1 == REG_TP)
                disasm_address_note(out, (uint64_t)imm_i);
            break;
        case '>':
            disasm_printf(out, "0x%x", riscv_field(insn, 20, 6));
            break;
        case '<':
            disasm_printf(out, "0x%x", riscv_field(insn, 20, 5));
            break;
        case 'u':
            disasm_printf(out, "0x%x", insn >> 12);
            break;
        case 'b':
            disasm_printf(out, "0x%" PRIx64,
                          (pc + (uint64_t)(int64_t)riscv_imm_b(insn)) & out->address_mask);
            break;
        case 'a':
            disasm_printf(out, "0x%" PRIx64,
                          (pc + (uint64_t)(int64_t)riscv_imm_j(insn)) & out->address_mask);
            break;
        case 'c': {
            const char *name = disasm_csr_name(csr);
            if (name)
                disasm_printf(out, "%s", name);
            else
                disasm_printf(out, "0x%x", csr);
            break;
        }
        case 'Z':
            disasm_printf(out, "%u", rs1);
            break;
        case 'm':
            disasm_rounding_mode(out, riscv_field(insn, 12, 3));
            break;
        case 'P':
            fence_set(out, riscv_field(insn, 24, 4));
            break;
        case 'Q':
            fence_set(out, riscv_field(insn, 20, 4));
            break;
        case 'o':
            disasm_printf(out, "%" PRId64 "(%s)", imm_i & ~(int64_t)31, disasm_xreg_names[rs1]);
            break;
        case 'A':
            disasm_printf(out, "(%s)", disasm_xreg_names[rs1]);
            break;
        default:
            disasm_printf(out, "%c", *p);
            break;
        }
    }
}

/* The mnemonic, with the .aq/.rl/.aqrl ordering suffix of an atomic. */
static void disasm_row(struct disasm_out *out, const char *name, const char *operands, bool ordered,
                       uint64_t pc, uint32_t insn)
{
    static const char *const ordering[4] = {"", ".rl", ".aq", ".aqrl"};
    disasm_printf(out, "%s%s", name, ordered ? ordering[riscv_field(insn, 25, 2)] : "");
    if (operands[0]) {
        disasm_printf(out, "\t");
        disasm_operands(out, operands, pc, insn);
    }
}

/* Every extension of a width: the text does not depend on the hart's
 * selection, as objdump's does not on the hart that will run the code, but
 * it does on the width, as objdump's on the object's ELF class. */
static RiscvExtSet all_extensions(unsigned xlen)
{
    return xlen == 32 ? ~(RiscvExtSet)0 : ~RISCV_XLEN32;
}

static bool disasm_32(struct disasm_out *out, uint64_t pc, uint32_t insn, RiscvExtSet ext)
{
    int row = riscv_insn_find(insn, ext, RISCV_LOOKUP_DISASM);
    if (row < 0)
        return false;
    const RiscvInsn *r = &riscv_insns[row];
    disasm_row(out, r->name, r->operands, r->flags & INSN_ORDERED, pc, insn);
    return true;
}

/* objdump prints a compressed instruction as its expansion, except where
 * the table names its own spelling. */
static bool disasm_16(struct disasm_out *out, uint64_t pc, uint16_t insn, RiscvExtSet ext)
{
    int row = riscv_cinsn_find(insn, ext);
    if (row < 0)
        return false;
    const RiscvCInsn *c = &riscv_cinsns[row];
    uint32_t expanded = riscv_cinsn_expand(c, insn);
    if (c->name) {
        disasm_row(out, c->name, c->operands, false, pc, expanded ? expanded : c->base);
        return true;
    }
    return expanded && disasm_32(out, pc, expanded, ext);
}

int riscv_disasm(uint64_t pc, uint32_t insn, char *out, size_t outlen)
{
    return riscv_disasm_xlen(pc, insn, 64, out, outlen);
}

int riscv_disasm_xlen(uint64_t pc, uint32_t insn, unsigned xlen, char *out, size_t outlen)
{
    struct disasm_out text = {.buf = out,
                              .cap = out ? outlen : 0,
                              .len = 0,
                              .address_mask = xlen == 32 ? UINT32_MAX : UINT64_MAX};
    RiscvExtSet ext = all_extensions(xlen);

    if (text.cap)
        text.buf[0] = '\0';
    if ((insn & 3) != 3) {
        if (!disasm_16(&text, pc, (uint16_t)insn, ext))
            disasm_printf(&text, ".2byte\t0x%x", insn & 0xffff);
        return 2;
    }
    /* Encodings longer than 32 bits (low bits 11111) are not RV64GC; only
     * 32 bits are at hand, so they print as unknown 32-bit words. */
    if ((insn & 0x1c) == 0x1c || !disasm_32(&text, pc, insn, ext))
        disasm_printf(&text, ".4byte\t0x%" PRIx32, insn);
    return 4;
}
