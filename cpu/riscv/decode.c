/* cpu/riscv/decode.c: 32- and 16-bit RISC-V instructions into pre-decoded
 * ops, by the rows of the instruction table (isa/riscv_insns.h). */
#include "cpu/riscv/decode.h"

#include <string.h>

#include "cpu/riscv/fpu.h"
#include "isa/riscv_insns.h"

static const char *const op_names[OP_COUNT] = {
#define OP_NAME(name) #name,
    RISCV_OP_LIST(OP_NAME)
#undef OP_NAME
};

const char *op_kind_name(enum op_kind kind)
{
    return kind < OP_COUNT ? op_names[kind] : "?";
}

unsigned op_memory_access(enum op_kind kind)
{
    switch (kind) {
    case OP_LB:
    case OP_LH:
    case OP_LW:
    case OP_LD:
    case OP_LBU:
    case OP_LHU:
    case OP_LWU:
    case OP_FLW:
    case OP_FLD:
    case OP_FLH:
    case OP_LR_W:
    case OP_LR_D:
        return 1;
    case OP_SB:
    case OP_SH:
    case OP_SW:
    case OP_SD:
    case OP_FSW:
    case OP_FSD:
    case OP_FSH:
    case OP_SC_W:
    case OP_SC_D:
    case OP_CBO_ZERO:
        return 2;
    default:
        return kind >= OP_AMOSWAP_W && kind <= OP_AMOMAXU_D ? 3 : 0;
    }
}

bool op_ends_block(enum op_kind kind)
{
    switch (kind) {
    case OP_ILLEGAL:
    case OP_FALLTHROUGH:
    case OP_JAL:
    case OP_JALR:
    case OP_BEQ:
    case OP_BNE:
    case OP_BLT:
    case OP_BGE:
    case OP_BLTU:
    case OP_BGEU:
    case OP_FENCE_I:
    case OP_ECALL:
    case OP_EBREAK:
    case OP_MRET:
    case OP_SRET:
    case OP_WFI:
    case OP_SPIN_HINT:
    case OP_SFENCE_VMA:
    case OP_CBO_ZERO: /* it may write translated code */
    case OP_CSRRW:
    case OP_CSRRS:
    case OP_CSRRC:
    case OP_CSRRWI:
    case OP_CSRRSI:
    case OP_CSRRCI:
        return true;
    default:
        return false;
    }
}

/* Each table row's op kind, in the table's order. */
static const uint16_t row_kinds[] = {
#define ROW_KIND(name, kind, mask, match, form, operands, ext, flags) OP_##kind,
    RISCV_INSNS(ROW_KIND)
#undef ROW_KIND
};

/* The integer types of the FP conversions, as fpu.h numbers them, are the
 * rs2 field's values; the fused multiply-adds negate by opcode bits 3:2. */
static const unsigned fused_negate[4] = {0, FP_NEGATE_ADDEND, FP_NEGATE_PRODUCT,
                                         FP_NEGATE_PRODUCT | FP_NEGATE_ADDEND};

/* Unpriv spec 11.2: rm 5 and 6 are reserved; 7 (dynamic) is checked
 * against frm when the instruction runs. */
static bool rm_valid(uint32_t rm)
{
    return rm != 5 && rm != 6;
}

static inline uint8_t dest(uint32_t reg)
{
    return reg == 0 ? REG_SINK : (uint8_t)reg;
}

/* Fills op's operands from insn as the row's form says; false for a
 * reserved rounding mode. Integer destinations x0 go to the sink; FP
 * registers have none (f0 is a register like the others). */
static bool take_operands(uint32_t insn, enum riscv_form form, Op *op)
{
    uint32_t rd = riscv_field(insn, 7, 5), rs1 = riscv_field(insn, 15, 5);
    uint32_t rs2 = riscv_field(insn, 20, 5), rm = riscv_field(insn, 12, 3);
    bool fp_rd = false, rounds = false;
    int32_t imm = 0;

    switch (form) {
    case FORM_NONE:
        rd = rs1 = rs2 = 0;
        break;
    case FORM_R:
    case FORM_XFF:
        break;
    case FORM_UNARY:
        rs2 = 0;
        break;
    case FORM_I:
        rs2 = 0;
        imm = riscv_imm_i(insn);
        break;
    case FORM_SHIFT:
        rs2 = 0;
        imm = (int32_t)riscv_field(insn, 20, 6);
        break;
    case FORM_SHIFTW:
        rs2 = 0;
        imm = (int32_t)riscv_field(insn, 20, 5);
        break;
    case FORM_S:
        rd = 0;
        imm = riscv_imm_s(insn);
        break;
    case FORM_B:
        rd = 0;
        imm = riscv_imm_b(insn);
        break;
    case FORM_U:
        rs1 = rs2 = 0;
        imm = (int32_t)(insn & 0xfffff000u);
        break;
    case FORM_J:
        rs1 = rs2 = 0;
        imm = riscv_imm_j(insn);
        break;
    case FORM_CSR:
        rs2 = 0;
        imm = (int32_t)riscv_field(insn, 20, 12);
        break;
    case FORM_FLOAD:
        fp_rd = true;
        rs2 = 0;
        imm = riscv_imm_i(insn);
        break;
    case FORM_FR:
        fp_rd = true;
        break;
    case FORM_FR_RM:
        fp_rd = rounds = true;
        imm = (int32_t)rm;
        break;
    case FORM_F1_RM:
        fp_rd = rounds = true;
        rs2 = 0;
        imm = (int32_t)rm;
        break;
    case FORM_XF:
        rs2 = 0;
        break;
    case FORM_FX:
        fp_rd = true;
        rs2 = 0;
        break;
    case FORM_XF_CVT:
    case FORM_FX_CVT:
        fp_rd = form == FORM_FX_CVT;
        rounds = true;
        imm = (int32_t)(rm | (rs2 << 8));
        rs2 = 0;
        break;
    case FORM_R4:
        fp_rd = rounds = true;
        imm = (int32_t)(rm | (riscv_field(insn, 27, 5) << 8) |
                        (fused_negate[riscv_field(insn, 2, 2)] << 16));
        break;
    }
    if (rounds && !rm_valid(rm))
        return false;
    op->rd = fp_rd ? (uint8_t)rd : dest(rd);
    op->rs1 = (uint8_t)rs1;
    op->rs2 = (uint8_t)rs2;
    op->imm = imm;
    return true;
}

static void set_illegal(Op *op)
{
    op->kind = OP_ILLEGAL;
    op->rd = REG_SINK;
    op->rs1 = op->rs2 = 0;
    op->imm = 0;
}

static void decode_32(uint32_t insn, RiscvExtSet ext, Op *op)
{
    int row = riscv_insn_find(insn, ext, RISCV_LOOKUP_DECODE);
    if (row >= 0 && take_operands(insn, (enum riscv_form)riscv_insns[row].form, op))
        op->kind = row_kinds[row];
    else
        set_illegal(op);
}

const void *const *riscv_op_handlers32;
const void *const *riscv_op_handlers64;

const void *riscv_op_handler(RiscvExtSet ext, enum op_kind kind)
{
    const void *const *handlers = (ext & RISCV_XLEN32) ? riscv_op_handlers32 : riscv_op_handlers64;
    return handlers ? handlers[kind] : NULL;
}

void riscv_prepare_block(Op *ops, uint32_t n, bool cached, RiscvExtSet ext)
{
    if (ext & RISCV_XLEN32)
        riscv_prepare_block32(ops, n, cached);
    else
        riscv_prepare_block64(ops, n, cached);
}

/* The 32-bit instruction a compressed one stands for on a hart of ext's
 * width, 0 for a reserved one. Expansions depend on the width only (the
 * other extensions' rows just name HINTs), so each 16-bit value is looked
 * up once per width: translating Linux meets the same few thousand again
 * and again. */
static uint32_t expand_compressed(uint16_t insn, RiscvExtSet ext)
{
    /* 0: not looked up yet; NONE: reserved (no expansion has its low five
     * bits all ones). */
    enum { NONE = 0xffffffffu };
    static uint32_t expansions[2][1u << 16];
    RiscvExtSet width = ext & RISCV_XLEN32;
    uint32_t *slot = &expansions[width != 0][insn];
    if (*slot == 0) {
        int row = riscv_cinsn_find(insn, ~RISCV_XLEN32 | width);
        uint32_t e = row >= 0 ? riscv_cinsn_expand(&riscv_cinsns[row], insn) : 0;
        *slot = e ? e : NONE;
    }
    return *slot == NONE ? 0 : *slot;
}

void riscv_decode(uint32_t insn, RiscvExtSet ext, Op *op)
{
    memset(op, 0, sizeof(*op));
    if (insn_is_compressed(insn)) {
        uint32_t expanded = expand_compressed((uint16_t)insn, ext);
        if (expanded)
            decode_32(expanded, ext, op);
        else
            set_illegal(op);
        op->len = 2;
        op->insn = insn & 0xffff;
    } else {
        decode_32(insn, ext, op);
        op->len = 4;
        op->insn = insn;
    }
    op->handler = riscv_op_handler(ext, (enum op_kind)op->kind);
}
