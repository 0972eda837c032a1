/* cpu/riscv/decode.h: the pre-decoded op a translated block is made of, the
 * list of op kinds, and the decoder from 32- and 16-bit instructions. */
#ifndef EMBER_CPU_RISCV_DECODE_H
#define EMBER_CPU_RISCV_DECODE_H

#include <stdbool.h>
#include <stdint.h>

#include "isa/riscv_ext.h"

/* Register index that absorbs writes to x0, so handlers never test rd. */
#define REG_SINK 32

/* clang-format off */
/* Every op kind, in one list used for the enum, the dispatch table and
 * names. END_BLOCK ops are the last op of a block. */
#define RISCV_OP_LIST(X)                                                                           \
    X(ILLEGAL) X(NOP) X(FALLTHROUGH) X(LUI) X(AUIPC) X(JAL) X(JALR) X(BEQ) X(BNE) X(BLT) X(BGE)    \
    X(BLTU) X(BGEU) X(LB) X(LH) X(LW) X(LD) X(LBU) X(LHU) X(LWU) X(SB) X(SH) X(SW) X(SD) X(ADDI)   \
    X(SLTI) X(SLTIU) X(XORI) X(ORI) X(ANDI) X(SLLI) X(SRLI) X(SRAI) X(ADD) X(SUB) X(SLL) X(SLT)    \
    X(SLTU) X(XOR) X(SRL) X(SRA) X(OR) X(AND) X(ADDIW) X(SLLIW) X(SRLIW) X(SRAIW) X(ADDW) X(SUBW) \
    X(SLLW) X(SRLW) X(SRAW) X(FENCE_I) X(ECALL) X(EBREAK) X(MRET) X(SRET) X(WFI) X(SPIN_HINT)      \
    X(SFENCE_VMA) X(CSRRW) X(CSRRS) X(CSRRC) X(CSRRWI) X(CSRRSI) X(CSRRCI) X(MUL) X(MULH)         \
    X(MULHSU) X(MULHU) X(DIV) X(DIVU) X(REM) X(REMU) X(MULW) X(DIVW) X(DIVUW) X(REMW) X(REMUW)    \
    X(LR_W) X(LR_D) X(SC_W) X(SC_D) X(AMOSWAP_W) X(AMOADD_W) X(AMOXOR_W) X(AMOAND_W) X(AMOOR_W)   \
    X(AMOMIN_W) X(AMOMAX_W) X(AMOMINU_W) X(AMOMAXU_W) X(AMOSWAP_D) X(AMOADD_D) X(AMOXOR_D)        \
    X(AMOAND_D) X(AMOOR_D) X(AMOMIN_D) X(AMOMAX_D) X(AMOMINU_D) X(AMOMAXU_D)                      \
    X(FLW) X(FLD) X(FSW) X(FSD) X(FMADD_S) X(FMADD_D) X(FADD_S) X(FSUB_S) X(FMUL_S) X(FDIV_S)      \
    X(FSQRT_S) X(FADD_D) X(FSUB_D) X(FMUL_D) X(FDIV_D) X(FSQRT_D) X(FSGNJ_S) X(FSGNJN_S)           \
    X(FSGNJX_S) X(FSGNJ_D) X(FSGNJN_D) X(FSGNJX_D) X(FMIN_S) X(FMAX_S) X(FMIN_D) X(FMAX_D)         \
    X(FCVT_S_D) X(FCVT_D_S) X(FEQ_S) X(FLT_S) X(FLE_S) X(FEQ_D) X(FLT_D) X(FLE_D) X(FCVT_INT_S)   \
    X(FCVT_INT_D) X(FCVT_S_INT) X(FCVT_D_INT) X(FMV_X_W) X(FMV_X_D) X(FMV_W_X) X(FMV_D_X)        \
    X(FCLASS_S) X(FCLASS_D) X(CBO_MANAGE) X(CBO_ZERO) X(SFENCE_INVAL)                           \
    X(SH1ADD) X(SH2ADD) X(SH3ADD) X(ADD_UW) X(SH1ADD_UW) X(SH2ADD_UW) X(SH3ADD_UW) X(SLLI_UW)     \
    X(ANDN) X(ORN) X(XNOR) X(CLZ) X(CLZW) X(CTZ) X(CTZW) X(CPOP) X(CPOPW) X(MAX) X(MAXU) X(MIN)   \
    X(MINU) X(SEXT_B) X(SEXT_H) X(ZEXT_H) X(ROL) X(ROLW) X(ROR) X(RORI) X(RORIW) X(RORW)          \
    X(ORC_B) X(REV8) X(CLMUL) X(CLMULH) X(CLMULR) X(BCLR) X(BCLRI) X(BEXT) X(BEXTI) X(BINV)       \
    X(BINVI) X(BSET) X(BSETI) X(CZERO_EQZ) X(CZERO_NEZ)                                           \
    X(FLH) X(FSH) X(FADD_H) X(FSUB_H) X(FMUL_H) X(FDIV_H) X(FSQRT_H) X(FMADD_H) X(FSGNJ_H)        \
    X(FSGNJN_H) X(FSGNJX_H) X(FMIN_H) X(FMAX_H) X(FEQ_H) X(FLT_H) X(FLE_H) X(FCVT_INT_H)          \
    X(FCVT_H_INT) X(FMV_X_H) X(FMV_H_X) X(FCLASS_H) X(FCVT_S_H) X(FCVT_H_S) X(FCVT_D_H)           \
    X(FCVT_H_D)

/* clang-format on */

enum op_kind {
#define OP_ENUM(name) OP_##name,
    RISCV_OP_LIST(OP_ENUM)
#undef OP_ENUM
        OP_COUNT
};

typedef struct Op {
    /* Where the dispatch loop jumps for this op (computed-goto builds): the
     * label of kind's handler, so dispatch is one load and one jump. */
    const void *handler;
    uint16_t kind;
    uint8_t rd; /* REG_SINK when the instruction's rd is x0 */
    uint8_t rs1;
    uint8_t rs2;
    uint8_t len;     /* 2 or 4: instruction length */
    uint16_t pc_off; /* offset of the instruction from the block's first pc */
    int32_t imm;     /* immediate, CSR number, or an FP op's fields (OP_FP_*) */
    uint32_t insn;   /* raw bits, for mtval and the disassembler */
} Op;

/* FP ops other than loads and stores keep their rounding mode (the rm
 * field, FRM_DYN for dynamic) in imm's low bits; the fused multiply-adds
 * also rs3 and which terms to negate, and the integer conversions the
 * integer type (fpu.h's fp_int_kind). */
#define OP_FP_RM(imm) ((unsigned)(imm)&7)
#define OP_FP_RS3(imm) (((unsigned)(imm) >> 8) & 31)
#define OP_FP_NEGATE(imm) (((unsigned)(imm) >> 16) & 3)
#define OP_FP_INT_KIND(imm) (((unsigned)(imm) >> 8) & 3)

const char *op_kind_name(enum op_kind kind);

/* 1 if the op loads, 2 if it stores, 3 if both (atomics), else 0. */
unsigned op_memory_access(enum op_kind kind);

/* True for ops after which the block must end: control transfers, traps,
 * CSR accesses and anything that may change privilege or translation. */
bool op_ends_block(enum op_kind kind);

/* Decodes one instruction (low 16 bits only for compressed ones) for a
 * hart implementing the extensions ext (and its width, RISCV_XLEN32).
 * Never fails: encodings outside them become OP_ILLEGAL. */
void riscv_decode(uint32_t insn, RiscvExtSet ext, Op *op);

/* Each width's dispatch loop's handler for each op kind (ops.c, built
 * once per XLEN, fills them in once, from riscv_ops_init); riscv_decode
 * stores the one of the hart's width in op->handler. */
extern const void *const *riscv_op_handlers32;
extern const void *const *riscv_op_handlers64;

/* The handler of kind for a hart of ext's width (NULL before
 * riscv_ops_init). */
const void *riscv_op_handler(RiscvExtSet ext, enum op_kind kind);

/* Readies a freshly decoded block (ops with their pc_off set) for the
 * dispatch loop (ops.c): PC-relative immediates (branches, JAL, AUIPC)
 * become relative to the block's first pc, and each op that reads the
 * register the op before it wrote gets a handler taking that value from a
 * host register (operand forwarding). In a block for the cache (cached), a
 * final jump or branch back to the block's start gets one that runs the
 * block again in place; FP ops rounding to nearest get one for the common
 * FP state; and a few ops right before the block's final branch or jump get
 * one that runs that op too (fused). Computed-goto builds only. */
void riscv_prepare_block(Op *ops, uint32_t n, bool cached, RiscvExtSet ext);
void riscv_prepare_block32(Op *ops, uint32_t n, bool cached);
void riscv_prepare_block64(Op *ops, uint32_t n, bool cached);

static inline bool insn_is_compressed(uint32_t low_half)
{
    return (low_half & 3) != 3;
}

#endif
