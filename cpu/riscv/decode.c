/* cpu/riscv/decode.c: 32- and 16-bit RISC-V instructions (RV64GC: IMAFD,
 * Zicsr, Zifencei, C, privileged) into pre-decoded ops. */
#include "cpu/riscv/decode.h"

#include <string.h>

#include "cpu/riscv/fpu.h"

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
    case OP_LR_W:
    case OP_LR_D:
        return 1;
    case OP_SB:
    case OP_SH:
    case OP_SW:
    case OP_SD:
    case OP_FSW:
    case OP_FSD:
    case OP_SC_W:
    case OP_SC_D:
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

static inline uint32_t bits(uint32_t value, unsigned hi, unsigned lo)
{
    return (value >> lo) & ((1u << (hi - lo + 1)) - 1);
}

static inline int32_t sign_extend(uint32_t value, unsigned width)
{
    return (int32_t)(value << (32 - width)) >> (32 - width);
}

static inline uint8_t dest(uint32_t reg)
{
    return reg == 0 ? REG_SINK : (uint8_t)reg;
}

static void set(Op *op, enum op_kind kind, uint32_t rd, uint32_t rs1, uint32_t rs2, int32_t imm)
{
    op->kind = (uint16_t)kind;
    op->rd = dest(rd);
    op->rs1 = (uint8_t)rs1;
    op->rs2 = (uint8_t)rs2;
    op->imm = imm;
}

/* FP registers have no sink: f0 is a register like the others. */
static void set_fp(Op *op, enum op_kind kind, uint32_t rd, uint32_t rs1, uint32_t rs2, int32_t imm)
{
    op->kind = (uint16_t)kind;
    op->rd = (uint8_t)rd;
    op->rs1 = (uint8_t)rs1;
    op->rs2 = (uint8_t)rs2;
    op->imm = imm;
}

static int32_t imm_i(uint32_t insn)
{
    return (int32_t)insn >> 20;
}

static int32_t imm_s(uint32_t insn)
{
    return sign_extend((bits(insn, 31, 25) << 5) | bits(insn, 11, 7), 12);
}

static int32_t imm_b(uint32_t insn)
{
    return sign_extend((bits(insn, 31, 31) << 12) | (bits(insn, 7, 7) << 11) |
                           (bits(insn, 30, 25) << 5) | (bits(insn, 11, 8) << 1),
                       13);
}

static int32_t imm_j(uint32_t insn)
{
    return sign_extend((bits(insn, 31, 31) << 20) | (bits(insn, 19, 12) << 12) |
                           (bits(insn, 20, 20) << 11) | (bits(insn, 30, 21) << 1),
                       21);
}

static enum op_kind decode_load(uint32_t funct3)
{
    static const enum op_kind kinds[8] = {OP_LB,  OP_LH,  OP_LW,  OP_LD,
                                          OP_LBU, OP_LHU, OP_LWU, OP_ILLEGAL};
    return kinds[funct3];
}

static enum op_kind decode_store(uint32_t funct3)
{
    static const enum op_kind kinds[8] = {OP_SB,      OP_SH,      OP_SW,      OP_SD,
                                          OP_ILLEGAL, OP_ILLEGAL, OP_ILLEGAL, OP_ILLEGAL};
    return kinds[funct3];
}

static enum op_kind decode_op_imm(uint32_t insn, int32_t *imm)
{
    uint32_t funct3 = bits(insn, 14, 12);
    uint32_t funct6 = bits(insn, 31, 26);
    static const enum op_kind kinds[8] = {OP_ADDI, OP_SLLI, OP_SLTI, OP_SLTIU,
                                          OP_XORI, OP_SRLI, OP_ORI,  OP_ANDI};
    if (funct3 == 1 || funct3 == 5) {
        *imm = (int32_t)bits(insn, 25, 20);
        if (funct3 == 1)
            return funct6 == 0 ? OP_SLLI : OP_ILLEGAL;
        if (funct6 == 0)
            return OP_SRLI;
        return funct6 == 0x10 ? OP_SRAI : OP_ILLEGAL;
    }
    *imm = imm_i(insn);
    return kinds[funct3];
}

static enum op_kind decode_op_imm_32(uint32_t insn, int32_t *imm)
{
    uint32_t funct3 = bits(insn, 14, 12);
    uint32_t funct7 = bits(insn, 31, 25);
    if (funct3 == 0) {
        *imm = imm_i(insn);
        return OP_ADDIW;
    }
    *imm = (int32_t)bits(insn, 24, 20);
    if (funct3 == 1 && funct7 == 0)
        return OP_SLLIW;
    if (funct3 == 5 && funct7 == 0)
        return OP_SRLIW;
    if (funct3 == 5 && funct7 == 0x20)
        return OP_SRAIW;
    return OP_ILLEGAL;
}

static enum op_kind decode_op(uint32_t insn)
{
    uint32_t funct3 = bits(insn, 14, 12);
    uint32_t funct7 = bits(insn, 31, 25);
    static const enum op_kind base[8] = {OP_ADD, OP_SLL, OP_SLT, OP_SLTU,
                                         OP_XOR, OP_SRL, OP_OR,  OP_AND};
    static const enum op_kind muldiv[8] = {OP_MUL, OP_MULH, OP_MULHSU, OP_MULHU,
                                           OP_DIV, OP_DIVU, OP_REM,    OP_REMU};
    if (funct7 == 0)
        return base[funct3];
    if (funct7 == 1)
        return muldiv[funct3];
    if (funct7 == 0x20 && funct3 == 0)
        return OP_SUB;
    if (funct7 == 0x20 && funct3 == 5)
        return OP_SRA;
    return OP_ILLEGAL;
}

static enum op_kind decode_op_32(uint32_t insn)
{
    uint32_t funct3 = bits(insn, 14, 12);
    uint32_t funct7 = bits(insn, 31, 25);
    if (funct7 == 0) {
        switch (funct3) {
        case 0:
            return OP_ADDW;
        case 1:
            return OP_SLLW;
        case 5:
            return OP_SRLW;
        }
    } else if (funct7 == 0x20) {
        if (funct3 == 0)
            return OP_SUBW;
        if (funct3 == 5)
            return OP_SRAW;
    } else if (funct7 == 1) {
        switch (funct3) {
        case 0:
            return OP_MULW;
        case 4:
            return OP_DIVW;
        case 5:
            return OP_DIVUW;
        case 6:
            return OP_REMW;
        case 7:
            return OP_REMUW;
        }
    }
    return OP_ILLEGAL;
}

static enum op_kind decode_amo(uint32_t insn)
{
    uint32_t funct3 = bits(insn, 14, 12);
    uint32_t funct5 = bits(insn, 31, 27);
    bool dword;
    if (funct3 == 2)
        dword = false;
    else if (funct3 == 3)
        dword = true;
    else
        return OP_ILLEGAL;
    switch (funct5) {
    case 0x02:
        return bits(insn, 24, 20) == 0 ? (dword ? OP_LR_D : OP_LR_W) : OP_ILLEGAL;
    case 0x03:
        return dword ? OP_SC_D : OP_SC_W;
    case 0x01:
        return dword ? OP_AMOSWAP_D : OP_AMOSWAP_W;
    case 0x00:
        return dword ? OP_AMOADD_D : OP_AMOADD_W;
    case 0x04:
        return dword ? OP_AMOXOR_D : OP_AMOXOR_W;
    case 0x0c:
        return dword ? OP_AMOAND_D : OP_AMOAND_W;
    case 0x08:
        return dword ? OP_AMOOR_D : OP_AMOOR_W;
    case 0x10:
        return dword ? OP_AMOMIN_D : OP_AMOMIN_W;
    case 0x14:
        return dword ? OP_AMOMAX_D : OP_AMOMAX_W;
    case 0x18:
        return dword ? OP_AMOMINU_D : OP_AMOMINU_W;
    case 0x1c:
        return dword ? OP_AMOMAXU_D : OP_AMOMAXU_W;
    }
    return OP_ILLEGAL;
}

/* Unpriv spec 11.2: rm 5 and 6 are reserved; 7 (dynamic) is checked
 * against frm when the instruction runs. */
static bool rm_valid(uint32_t rm)
{
    return rm != 5 && rm != 6;
}

/* OP-FP (opcode 0x53). Writes the register numbers and fields it needs;
 * returns false for reserved encodings. */
static bool decode_op_fp(uint32_t insn, Op *op)
{
    uint32_t rd = bits(insn, 11, 7);
    uint32_t rs1 = bits(insn, 19, 15);
    uint32_t rs2 = bits(insn, 24, 20);
    uint32_t rm = bits(insn, 14, 12);
    uint32_t funct7 = bits(insn, 31, 25);
    bool dbl = funct7 & 1;
    enum op_kind kind;

    /* funct7 bits 1:0 are the format: S, D, H and Q; only S and D exist. */
    if (funct7 & 2)
        return false;
    switch (funct7 >> 2) {
    case 0x00:   /* FADD */
    case 0x01:   /* FSUB */
    case 0x02:   /* FMUL */
    case 0x03: { /* FDIV */
        static const enum op_kind single[4] = {OP_FADD_S, OP_FSUB_S, OP_FMUL_S, OP_FDIV_S};
        static const enum op_kind dual[4] = {OP_FADD_D, OP_FSUB_D, OP_FMUL_D, OP_FDIV_D};
        if (!rm_valid(rm))
            return false;
        set_fp(op, dbl ? dual[funct7 >> 2] : single[funct7 >> 2], rd, rs1, rs2, (int32_t)rm);
        return true;
    }
    case 0x0b: /* FSQRT */
        if (!rm_valid(rm) || rs2 != 0)
            return false;
        set_fp(op, dbl ? OP_FSQRT_D : OP_FSQRT_S, rd, rs1, 0, (int32_t)rm);
        return true;
    case 0x04: { /* FSGNJ, FSGNJN, FSGNJX */
        static const enum op_kind single[3] = {OP_FSGNJ_S, OP_FSGNJN_S, OP_FSGNJX_S};
        static const enum op_kind dual[3] = {OP_FSGNJ_D, OP_FSGNJN_D, OP_FSGNJX_D};
        if (rm > 2)
            return false;
        set_fp(op, dbl ? dual[rm] : single[rm], rd, rs1, rs2, 0);
        return true;
    }
    case 0x05: /* FMIN, FMAX */
        if (rm > 1)
            return false;
        kind = dbl ? (rm ? OP_FMAX_D : OP_FMIN_D) : (rm ? OP_FMAX_S : OP_FMIN_S);
        set_fp(op, kind, rd, rs1, rs2, 0);
        return true;
    case 0x08: /* FCVT.S.D (0x20, rs2 = 1), FCVT.D.S (0x21, rs2 = 0) */
        if (!rm_valid(rm) || rs2 != (dbl ? 0u : 1u))
            return false;
        set_fp(op, dbl ? OP_FCVT_D_S : OP_FCVT_S_D, rd, rs1, 0, (int32_t)rm);
        return true;
    case 0x14: { /* FLE, FLT, FEQ: integer destination */
        static const enum op_kind single[3] = {OP_FLE_S, OP_FLT_S, OP_FEQ_S};
        static const enum op_kind dual[3] = {OP_FLE_D, OP_FLT_D, OP_FEQ_D};
        if (rm > 2)
            return false;
        set(op, dbl ? dual[rm] : single[rm], rd, rs1, rs2, 0);
        return true;
    }
    case 0x18: /* FCVT.{W,WU,L,LU}.{S,D}: integer destination */
        if (!rm_valid(rm) || rs2 > 3)
            return false;
        set(op, dbl ? OP_FCVT_INT_D : OP_FCVT_INT_S, rd, rs1, 0, (int32_t)(rm | (rs2 << 8)));
        return true;
    case 0x1a: /* FCVT.{S,D}.{W,WU,L,LU}: integer source */
        if (!rm_valid(rm) || rs2 > 3)
            return false;
        set_fp(op, dbl ? OP_FCVT_D_INT : OP_FCVT_S_INT, rd, rs1, 0, (int32_t)(rm | (rs2 << 8)));
        return true;
    case 0x1c: /* FMV.X.{W,D} (rm 0), FCLASS (rm 1): integer destination */
        if (rs2 != 0 || rm > 1)
            return false;
        kind = rm ? (dbl ? OP_FCLASS_D : OP_FCLASS_S) : (dbl ? OP_FMV_X_D : OP_FMV_X_W);
        set(op, kind, rd, rs1, 0, 0);
        return true;
    case 0x1e: /* FMV.{W,D}.X */
        if (rs2 != 0 || rm != 0)
            return false;
        set_fp(op, dbl ? OP_FMV_D_X : OP_FMV_W_X, rd, rs1, 0, 0);
        return true;
    }
    return false;
}

/* FMADD, FMSUB, FNMSUB, FNMADD (opcodes 0x43, 0x47, 0x4b, 0x4f). */
static bool decode_fused(uint32_t insn, Op *op)
{
    /* opcode bits 3:2 select the negations: FMSUB negates the addend,
     * FNMSUB the product, FNMADD both. */
    static const unsigned negate[4] = {0, FP_NEGATE_ADDEND, FP_NEGATE_PRODUCT,
                                       FP_NEGATE_PRODUCT | FP_NEGATE_ADDEND};
    uint32_t fmt = bits(insn, 26, 25);
    uint32_t rm = bits(insn, 14, 12);
    if (fmt > 1 || !rm_valid(rm))
        return false;
    int32_t imm = (int32_t)(rm | (bits(insn, 31, 27) << 8) | (negate[bits(insn, 3, 2)] << 16));
    set_fp(op, fmt ? OP_FMADD_D : OP_FMADD_S, bits(insn, 11, 7), bits(insn, 19, 15),
           bits(insn, 24, 20), imm);
    return true;
}

static enum op_kind decode_system(uint32_t insn, int32_t *imm)
{
    uint32_t funct3 = bits(insn, 14, 12);
    static const enum op_kind csr_kinds[8] = {OP_ILLEGAL, OP_CSRRW,  OP_CSRRS,  OP_CSRRC,
                                              OP_ILLEGAL, OP_CSRRWI, OP_CSRRSI, OP_CSRRCI};
    if (funct3 != 0) {
        *imm = (int32_t)bits(insn, 31, 20);
        return csr_kinds[funct3];
    }
    uint32_t rd = bits(insn, 11, 7);
    uint32_t rs1 = bits(insn, 19, 15);
    uint32_t funct7 = bits(insn, 31, 25);
    if (funct7 == 0x09 && rd == 0)
        return OP_SFENCE_VMA;
    if (rd != 0 || rs1 != 0)
        return OP_ILLEGAL;
    switch (bits(insn, 31, 20)) {
    case 0x000:
        return OP_ECALL;
    case 0x001:
        return OP_EBREAK;
    case 0x302:
        return OP_MRET;
    case 0x102:
        return OP_SRET;
    case 0x105:
        return OP_WFI;
    }
    return OP_ILLEGAL;
}

static void decode_32(uint32_t insn, Op *op)
{
    uint32_t rd = bits(insn, 11, 7);
    uint32_t rs1 = bits(insn, 19, 15);
    uint32_t rs2 = bits(insn, 24, 20);
    uint32_t funct3 = bits(insn, 14, 12);
    int32_t imm = 0;
    enum op_kind kind = OP_ILLEGAL;

    switch (bits(insn, 6, 0)) {
    case 0x37: /* LUI */
        set(op, OP_LUI, rd, 0, 0, (int32_t)(insn & 0xfffff000));
        return;
    case 0x17:
        set(op, OP_AUIPC, rd, 0, 0, (int32_t)(insn & 0xfffff000));
        return;
    case 0x6f:
        set(op, OP_JAL, rd, 0, 0, imm_j(insn));
        return;
    case 0x67:
        if (funct3 == 0) {
            set(op, OP_JALR, rd, rs1, 0, imm_i(insn));
            return;
        }
        break;
    case 0x63: {
        static const enum op_kind kinds[8] = {OP_BEQ, OP_BNE, OP_ILLEGAL, OP_ILLEGAL,
                                              OP_BLT, OP_BGE, OP_BLTU,    OP_BGEU};
        kind = kinds[funct3];
        if (kind != OP_ILLEGAL) {
            set(op, kind, 0, rs1, rs2, imm_b(insn));
            return;
        }
        break;
    }
    case 0x03:
        kind = decode_load(funct3);
        if (kind != OP_ILLEGAL) {
            set(op, kind, rd, rs1, 0, imm_i(insn));
            return;
        }
        break;
    case 0x23:
        kind = decode_store(funct3);
        if (kind != OP_ILLEGAL) {
            set(op, kind, 0, rs1, rs2, imm_s(insn));
            return;
        }
        break;
    case 0x13:
        kind = decode_op_imm(insn, &imm);
        if (kind != OP_ILLEGAL) {
            set(op, kind, rd, rs1, 0, imm);
            return;
        }
        break;
    case 0x1b:
        kind = decode_op_imm_32(insn, &imm);
        if (kind != OP_ILLEGAL) {
            set(op, kind, rd, rs1, 0, imm);
            return;
        }
        break;
    case 0x33:
        /* div rd, rd, zero: Linux's cpu_relax on a hart without
         * Zihintpause, a spin-wait hint (see OP_SPIN_HINT). */
        if ((insn & 0xfff0707f) == 0x02004033 && rd != 0 && rs1 == rd) {
            set(op, OP_SPIN_HINT, rd, 0, 0, 0);
            return;
        }
        kind = decode_op(insn);
        if (kind != OP_ILLEGAL) {
            set(op, kind, rd, rs1, rs2, 0);
            return;
        }
        break;
    case 0x3b:
        kind = decode_op_32(insn);
        if (kind != OP_ILLEGAL) {
            set(op, kind, rd, rs1, rs2, 0);
            return;
        }
        break;
    case 0x0f:
        /* PAUSE (Zihintpause: fence w, 0), a spin-wait hint. */
        if (insn == 0x0100000f) {
            set(op, OP_SPIN_HINT, 0, 0, 0, 0);
            return;
        }
        /* Fences order memory: the harts run one at a time, in order, so
         * every access is already seen by all of them. */
        if (funct3 == 0) {
            set(op, OP_NOP, 0, 0, 0, 0);
            return;
        }
        if (funct3 == 1) {
            set(op, OP_FENCE_I, 0, 0, 0, 0);
            return;
        }
        break;
    case 0x2f:
        kind = decode_amo(insn);
        if (kind != OP_ILLEGAL) {
            set(op, kind, rd, rs1, rs2, 0);
            return;
        }
        break;
    case 0x07: /* FLW, FLD */
        if (funct3 == 2 || funct3 == 3) {
            set_fp(op, funct3 == 2 ? OP_FLW : OP_FLD, rd, rs1, 0, imm_i(insn));
            return;
        }
        break;
    case 0x27: /* FSW, FSD */
        if (funct3 == 2 || funct3 == 3) {
            set(op, funct3 == 2 ? OP_FSW : OP_FSD, 0, rs1, rs2, imm_s(insn));
            return;
        }
        break;
    case 0x43:
    case 0x47:
    case 0x4b:
    case 0x4f:
        if (decode_fused(insn, op))
            return;
        break;
    case 0x53:
        if (decode_op_fp(insn, op))
            return;
        break;
    case 0x73:
        kind = decode_system(insn, &imm);
        if (kind != OP_ILLEGAL) {
            set(op, kind, rd, rs1, rs2, imm);
            return;
        }
        break;
    }
    set(op, OP_ILLEGAL, 0, 0, 0, 0);
}

/* Compressed register fields name x8..x15. */
static inline uint32_t creg(uint32_t field)
{
    return field + 8;
}

static void decode_16_quadrant0(uint32_t insn, Op *op)
{
    uint32_t rd = creg(bits(insn, 4, 2));
    uint32_t rs1 = creg(bits(insn, 9, 7));
    uint32_t off_w = (bits(insn, 12, 10) << 3) | (bits(insn, 6, 6) << 2) | (bits(insn, 5, 5) << 6);
    uint32_t off_d = (bits(insn, 12, 10) << 3) | (bits(insn, 6, 5) << 6);
    switch (bits(insn, 15, 13)) {
    case 0: { /* C.ADDI4SPN */
        uint32_t imm = (bits(insn, 12, 11) << 4) | (bits(insn, 10, 7) << 6) |
                       (bits(insn, 6, 6) << 2) | (bits(insn, 5, 5) << 3);
        if (imm != 0) {
            set(op, OP_ADDI, rd, 2, 0, (int32_t)imm);
            return;
        }
        break;
    }
    case 1: /* C.FLD */
        set_fp(op, OP_FLD, rd, rs1, 0, (int32_t)off_d);
        return;
    case 2:
        set(op, OP_LW, rd, rs1, 0, (int32_t)off_w);
        return;
    case 3:
        set(op, OP_LD, rd, rs1, 0, (int32_t)off_d);
        return;
    case 5: /* C.FSD */
        set(op, OP_FSD, 0, rs1, rd, (int32_t)off_d);
        return;
    case 6:
        set(op, OP_SW, 0, rs1, rd, (int32_t)off_w);
        return;
    case 7:
        set(op, OP_SD, 0, rs1, rd, (int32_t)off_d);
        return;
    }
    set(op, OP_ILLEGAL, 0, 0, 0, 0);
}

static void decode_16_quadrant1(uint32_t insn, Op *op)
{
    uint32_t rd = bits(insn, 11, 7);
    int32_t imm6 = sign_extend((bits(insn, 12, 12) << 5) | bits(insn, 6, 2), 6);
    switch (bits(insn, 15, 13)) {
    case 0: /* C.ADDI (C.NOP when rd = 0) */
        set(op, OP_ADDI, rd, rd, 0, imm6);
        return;
    case 1: /* C.ADDIW */
        if (rd != 0) {
            set(op, OP_ADDIW, rd, rd, 0, imm6);
            return;
        }
        break;
    case 2: /* C.LI */
        set(op, OP_ADDI, rd, 0, 0, imm6);
        return;
    case 3:
        if (rd == 2) { /* C.ADDI16SP */
            int32_t imm = sign_extend((bits(insn, 12, 12) << 9) | (bits(insn, 6, 6) << 4) |
                                          (bits(insn, 5, 5) << 6) | (bits(insn, 4, 3) << 7) |
                                          (bits(insn, 2, 2) << 5),
                                      10);
            if (imm != 0) {
                set(op, OP_ADDI, 2, 2, 0, imm);
                return;
            }
        } else if (imm6 != 0) { /* C.LUI */
            set(op, OP_LUI, rd, 0, 0, (int32_t)((uint32_t)imm6 << 12));
            return;
        }
        break;
    case 4: {
        uint32_t rdc = creg(bits(insn, 9, 7));
        uint32_t rs2 = creg(bits(insn, 4, 2));
        uint32_t shamt = (bits(insn, 12, 12) << 5) | bits(insn, 6, 2);
        switch (bits(insn, 11, 10)) {
        case 0:
            set(op, OP_SRLI, rdc, rdc, 0, (int32_t)shamt);
            return;
        case 1:
            set(op, OP_SRAI, rdc, rdc, 0, (int32_t)shamt);
            return;
        case 2:
            set(op, OP_ANDI, rdc, rdc, 0, imm6);
            return;
        case 3: {
            static const enum op_kind kinds[8] = {OP_SUB,  OP_XOR,  OP_OR,      OP_AND,
                                                  OP_SUBW, OP_ADDW, OP_ILLEGAL, OP_ILLEGAL};
            enum op_kind kind = kinds[(bits(insn, 12, 12) << 2) | bits(insn, 6, 5)];
            if (kind != OP_ILLEGAL) {
                set(op, kind, rdc, rdc, rs2, 0);
                return;
            }
            break;
        }
        }
        break;
    }
    case 5: { /* C.J */
        int32_t imm = sign_extend((bits(insn, 12, 12) << 11) | (bits(insn, 11, 11) << 4) |
                                      (bits(insn, 10, 9) << 8) | (bits(insn, 8, 8) << 10) |
                                      (bits(insn, 7, 7) << 6) | (bits(insn, 6, 6) << 7) |
                                      (bits(insn, 5, 3) << 1) | (bits(insn, 2, 2) << 5),
                                  12);
        set(op, OP_JAL, 0, 0, 0, imm);
        return;
    }
    case 6:
    case 7: { /* C.BEQZ, C.BNEZ */
        int32_t imm = sign_extend((bits(insn, 12, 12) << 8) | (bits(insn, 11, 10) << 3) |
                                      (bits(insn, 6, 5) << 6) | (bits(insn, 4, 3) << 1) |
                                      (bits(insn, 2, 2) << 5),
                                  9);
        set(op, bits(insn, 15, 13) == 6 ? OP_BEQ : OP_BNE, 0, creg(bits(insn, 9, 7)), 0, imm);
        return;
    }
    }
    set(op, OP_ILLEGAL, 0, 0, 0, 0);
}

/* Offsets of the doubleword stack-pointer loads and stores (C.LDSP,
 * C.FLDSP; C.SDSP, C.FSDSP). */
static int32_t c_ldsp_offset(uint32_t insn)
{
    return (int32_t)((bits(insn, 12, 12) << 5) | (bits(insn, 6, 5) << 3) | (bits(insn, 4, 2) << 6));
}

static int32_t c_sdsp_offset(uint32_t insn)
{
    return (int32_t)((bits(insn, 12, 10) << 3) | (bits(insn, 9, 7) << 6));
}

static void decode_16_quadrant2(uint32_t insn, Op *op)
{
    uint32_t rd = bits(insn, 11, 7);
    uint32_t rs2 = bits(insn, 6, 2);
    switch (bits(insn, 15, 13)) {
    case 0: /* C.SLLI */
        set(op, OP_SLLI, rd, rd, 0, (int32_t)((bits(insn, 12, 12) << 5) | rs2));
        return;
    case 1: /* C.FLDSP: f0 is a valid destination */
        set_fp(op, OP_FLD, rd, 2, 0, c_ldsp_offset(insn));
        return;
    case 2: /* C.LWSP */
        if (rd != 0) {
            uint32_t off =
                (bits(insn, 12, 12) << 5) | (bits(insn, 6, 4) << 2) | (bits(insn, 3, 2) << 6);
            set(op, OP_LW, rd, 2, 0, (int32_t)off);
            return;
        }
        break;
    case 3: /* C.LDSP */
        if (rd != 0) {
            set(op, OP_LD, rd, 2, 0, c_ldsp_offset(insn));
            return;
        }
        break;
    case 4:
        if (bits(insn, 12, 12) == 0) {
            if (rs2 == 0) { /* C.JR */
                if (rd != 0) {
                    set(op, OP_JALR, 0, rd, 0, 0);
                    return;
                }
            } else { /* C.MV */
                set(op, OP_ADD, rd, 0, rs2, 0);
                return;
            }
        } else {
            if (rs2 == 0) {
                if (rd == 0) {
                    set(op, OP_EBREAK, 0, 0, 0, 0);
                    return;
                }
                set(op, OP_JALR, 1, rd, 0, 0); /* C.JALR */
                return;
            }
            set(op, OP_ADD, rd, rd, rs2, 0); /* C.ADD */
            return;
        }
        break;
    case 5: /* C.FSDSP */
        set(op, OP_FSD, 0, 2, rs2, c_sdsp_offset(insn));
        return;
    case 6: /* C.SWSP */
        set(op, OP_SW, 0, 2, rs2, (int32_t)((bits(insn, 12, 9) << 2) | (bits(insn, 8, 7) << 6)));
        return;
    case 7: /* C.SDSP */
        set(op, OP_SD, 0, 2, rs2, c_sdsp_offset(insn));
        return;
    }
    set(op, OP_ILLEGAL, 0, 0, 0, 0);
}

const void *const *riscv_op_handlers;

void riscv_decode(uint32_t insn, Op *op)
{
    memset(op, 0, sizeof(*op));
    if (insn_is_compressed(insn)) {
        insn &= 0xffff;
        op->len = 2;
        op->insn = insn;
        switch (insn & 3) {
        case 0:
            decode_16_quadrant0(insn, op);
            break;
        case 1:
            decode_16_quadrant1(insn, op);
            break;
        default:
            decode_16_quadrant2(insn, op);
            break;
        }
    } else {
        op->len = 4;
        op->insn = insn;
        decode_32(insn, op);
    }
    if (riscv_op_handlers)
        op->handler = riscv_op_handlers[op->kind];
}
