/* disasm/riscv_disasm_rvc.c: the 16-bit compressed (C extension) instructions of RV64GC.
 * objdump prints them under their 32-bit expansion; only HINT forms keep a "c." name. */
#include <inttypes.h>

#include "disasm/riscv_disasm_internal.h"

enum {
    REG_ZERO = 0,
    REG_RA = 1,
    REG_SP = 2,
    REG_TP = 4,
};

/* A 3-bit register field names x8..x15. */
static const char *creg(uint32_t insn, unsigned lo)
{
    return disasm_xreg_names[8 + field(insn, lo, 3)];
}

static const char *cfreg(uint32_t insn, unsigned lo)
{
    return disasm_freg_names[8 + field(insn, lo, 3)];
}

/* The 6-bit immediate of the CI format: bit 12 is its sign. */
static int64_t imm_ci(uint32_t insn)
{
    return sign_extend((field(insn, 12, 1) << 5) | field(insn, 2, 5), 6);
}

static unsigned shamt_ci(uint32_t insn)
{
    return (field(insn, 12, 1) << 5) | field(insn, 2, 5);
}

/* Offsets of c.lw/c.sw (word) and c.ld/c.sd/c.fld/c.fsd (doubleword). */
static unsigned offset_word(uint32_t insn)
{
    return (field(insn, 10, 3) << 3) | (field(insn, 6, 1) << 2) | (field(insn, 5, 1) << 6);
}

static unsigned offset_double(uint32_t insn)
{
    return (field(insn, 10, 3) << 3) | (field(insn, 5, 2) << 6);
}

static int64_t offset_jump(uint32_t insn)
{
    uint32_t v = (field(insn, 12, 1) << 11) | (field(insn, 11, 1) << 4) | (field(insn, 9, 2) << 8) |
                 (field(insn, 8, 1) << 10) | (field(insn, 7, 1) << 6) | (field(insn, 6, 1) << 7) |
                 (field(insn, 3, 3) << 1) | (field(insn, 2, 1) << 5);
    return sign_extend(v, 12);
}

static int64_t offset_branch(uint32_t insn)
{
    uint32_t v = (field(insn, 12, 1) << 8) | (field(insn, 10, 2) << 3) | (field(insn, 5, 2) << 6) |
                 (field(insn, 3, 2) << 1) | (field(insn, 2, 1) << 5);
    return sign_extend(v, 9);
}

static bool disasm_quadrant0(struct disasm_out *out, uint32_t insn)
{
    unsigned word = offset_word(insn), dword = offset_double(insn);

    switch (field(insn, 13, 3)) {
    case 0: {
        unsigned nzuimm = (field(insn, 11, 2) << 4) | (field(insn, 7, 4) << 6) |
                          (field(insn, 6, 1) << 2) | (field(insn, 5, 1) << 3);
        if (insn == 0) {
            disasm_mnemonic(out, "unimp");
            return true;
        }
        if (nzuimm == 0)
            return false;
        disasm_insn(out, "add", "%s,sp,%u", creg(insn, 2), nzuimm);
        return true;
    }
    case 1:
        disasm_insn(out, "fld", "%s,%u(%s)", cfreg(insn, 2), dword, creg(insn, 7));
        return true;
    case 2:
        disasm_insn(out, "lw", "%s,%u(%s)", creg(insn, 2), word, creg(insn, 7));
        return true;
    case 3:
        disasm_insn(out, "ld", "%s,%u(%s)", creg(insn, 2), dword, creg(insn, 7));
        return true;
    case 5:
        disasm_insn(out, "fsd", "%s,%u(%s)", cfreg(insn, 2), dword, creg(insn, 7));
        return true;
    case 6:
        disasm_insn(out, "sw", "%s,%u(%s)", creg(insn, 2), word, creg(insn, 7));
        return true;
    case 7:
        disasm_insn(out, "sd", "%s,%u(%s)", creg(insn, 2), dword, creg(insn, 7));
        return true;
    default:
        return false;
    }
}

static bool disasm_arith(struct disasm_out *out, uint32_t insn)
{
    static const char *const reg_ops[8] = {"sub", "xor", "or", "and", "subw", "addw"};
    const char *d = creg(insn, 7);
    unsigned shamt = shamt_ci(insn);

    switch (field(insn, 10, 2)) {
    case 0:
    case 1: {
        bool arithmetic = field(insn, 10, 2) == 1;
        /* A zero shift amount is the RV128 64-bit shift, a HINT on RV64. */
        if (shamt == 0)
            disasm_insn(out, arithmetic ? "c.srai64" : "c.srli64", "%s", d);
        else
            disasm_insn(out, arithmetic ? "sra" : "srl", "%s,%s,0x%x", d, d, shamt);
        return true;
    }
    case 2:
        disasm_insn(out, "and", "%s,%s,%" PRId64, d, d, imm_ci(insn));
        return true;
    default: {
        const char *name = reg_ops[(field(insn, 12, 1) << 2) | field(insn, 5, 2)];
        if (!name)
            return false;
        disasm_insn(out, name, "%s,%s,%s", d, d, creg(insn, 2));
        return true;
    }
    }
}

static bool disasm_quadrant1(struct disasm_out *out, uint64_t pc, uint32_t insn)
{
    unsigned rd = field(insn, 7, 5);
    const char *d = disasm_xreg_names[rd];
    int64_t imm = imm_ci(insn);

    switch (field(insn, 13, 3)) {
    case 0:
        if (rd == REG_ZERO && imm == 0) {
            disasm_mnemonic(out, "nop");
        } else if (rd == REG_ZERO) {
            disasm_insn(out, "c.nop", "%" PRId64, imm);
        } else {
            disasm_insn(out, "add", "%s,%s,%" PRId64, d, d, imm);
            if (rd == REG_TP)
                disasm_address_note(out, (uint64_t)imm);
        }
        return true;
    case 1:
        if (rd == REG_ZERO)
            return false;
        if (imm == 0) {
            disasm_insn(out, "sext.w", "%s,%s", d, d);
        } else {
            disasm_insn(out, "addw", "%s,%s,%" PRId64, d, d, imm);
            if (rd == REG_TP)
                disasm_address_note(out, (uint64_t)imm);
        }
        return true;
    case 2:
        disasm_insn(out, rd == REG_ZERO ? "c.li" : "li", "%s,%" PRId64, d, imm);
        return true;
    case 3:
        if (rd == REG_SP) {
            int64_t nzimm = sign_extend((field(insn, 12, 1) << 9) | (field(insn, 6, 1) << 4) |
                                            (field(insn, 5, 1) << 6) | (field(insn, 3, 2) << 7) |
                                            (field(insn, 2, 1) << 5),
                                        10);
            disasm_insn(out, "add", "sp,sp,%" PRId64, nzimm);
            return true;
        }
        if (imm == 0)
            return false;
        disasm_insn(out, rd == REG_ZERO ? "c.lui" : "lui", "%s,0x%" PRIx64, d,
                    (uint64_t)imm & 0xfffff);
        return true;
    case 4:
        return disasm_arith(out, insn);
    case 5:
        disasm_insn(out, "j", "0x%" PRIx64, pc + (uint64_t)offset_jump(insn));
        return true;
    default:
        disasm_insn(out, field(insn, 13, 3) == 6 ? "beqz" : "bnez", "%s,0x%" PRIx64, creg(insn, 7),
                    pc + (uint64_t)offset_branch(insn));
        return true;
    }
}

static bool disasm_jump_move_add(struct disasm_out *out, uint32_t insn)
{
    unsigned rd = field(insn, 7, 5), rs2 = field(insn, 2, 5);
    const char *d = disasm_xreg_names[rd], *s2 = disasm_xreg_names[rs2];
    bool bit12 = field(insn, 12, 1);

    if (rs2 == REG_ZERO) {
        if (rd == REG_ZERO && !bit12)
            return false;
        if (rd == REG_ZERO)
            disasm_mnemonic(out, "ebreak");
        else if (!bit12 && rd == REG_RA)
            disasm_mnemonic(out, "ret");
        else
            disasm_insn(out, bit12 ? "jalr" : "jr", "%s", d);
    } else if (!bit12) {
        disasm_insn(out, rd == REG_ZERO ? "c.mv" : "mv", "%s,%s", d, s2);
    } else if (rd == REG_ZERO) {
        disasm_insn(out, "c.add", "%s,%s", d, s2);
    } else {
        disasm_insn(out, "add", "%s,%s,%s", d, d, s2);
    }
    return true;
}

static bool disasm_quadrant2(struct disasm_out *out, uint32_t insn)
{
    unsigned rd = field(insn, 7, 5), shamt = shamt_ci(insn);
    const char *d = disasm_xreg_names[rd];
    unsigned lwsp = (field(insn, 12, 1) << 5) | (field(insn, 4, 3) << 2) | (field(insn, 2, 2) << 6);
    unsigned ldsp = (field(insn, 12, 1) << 5) | (field(insn, 5, 2) << 3) | (field(insn, 2, 3) << 6);
    unsigned swsp = (field(insn, 9, 4) << 2) | (field(insn, 7, 2) << 6);
    unsigned sdsp = (field(insn, 10, 3) << 3) | (field(insn, 7, 3) << 6);
    const char *s2 = disasm_xreg_names[field(insn, 2, 5)];

    switch (field(insn, 13, 3)) {
    case 0:
        if (shamt == 0)
            disasm_insn(out, "c.slli64", "%s", d);
        else if (rd == REG_ZERO)
            disasm_insn(out, "c.slli", "%s,0x%x", d, shamt);
        else
            disasm_insn(out, "sll", "%s,%s,0x%x", d, d, shamt);
        return true;
    case 1:
        disasm_insn(out, "fld", "%s,%u(sp)", disasm_freg_names[rd], ldsp);
        return true;
    case 2:
    case 3:
        if (rd == REG_ZERO)
            return false;
        if (field(insn, 13, 3) == 2)
            disasm_insn(out, "lw", "%s,%u(sp)", d, lwsp);
        else
            disasm_insn(out, "ld", "%s,%u(sp)", d, ldsp);
        return true;
    case 4:
        return disasm_jump_move_add(out, insn);
    case 5:
        disasm_insn(out, "fsd", "%s,%u(sp)", disasm_freg_names[field(insn, 2, 5)], sdsp);
        return true;
    case 6:
        disasm_insn(out, "sw", "%s,%u(sp)", s2, swsp);
        return true;
    default:
        disasm_insn(out, "sd", "%s,%u(sp)", s2, sdsp);
        return true;
    }
}

void disasm_compressed(struct disasm_out *out, uint64_t pc, uint16_t insn)
{
    bool known;

    switch (insn & 3) {
    case 0:
        known = disasm_quadrant0(out, insn);
        break;
    case 1:
        known = disasm_quadrant1(out, pc, insn);
        break;
    default:
        known = disasm_quadrant2(out, insn);
        break;
    }
    if (!known)
        disasm_insn(out, ".2byte", "0x%x", (unsigned)insn);
}
