/* tests/unit/test_decode.c: unit tests for cpu/riscv/decode.c: every op class,
 * immediate extremes, reserved encodings, every table row, all inputs. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpu/riscv/decode.h"
#include "isa/riscv_insns.h"
#include "tests/unit/harness.h"

#define ALL_EXTENSIONS (~RISCV_XLEN32)

/* A field the instruction does not have: not checked. */
#define ANY 0xff

typedef struct DecodeCase {
    const char *text;
    uint32_t insn;
    uint8_t len;
    uint16_t kind;
    uint8_t rd, rs1, rs2;
    int32_t imm;
    bool check_imm;
} DecodeCase;

#define SINK REG_SINK
/* 32-bit forms with and without an immediate, compressed forms, and
 * encodings that must be illegal. Encodings come from GNU as/objdump. */
/* clang-format off */
#define W(text, insn, kind, rd, rs1, rs2, imm)  {text, insn, 4, OP_##kind, rd, rs1, rs2, imm, true}
#define WR(text, insn, kind, rd, rs1, rs2)      {text, insn, 4, OP_##kind, rd, rs1, rs2, 0, false}
#define H(text, insn, kind, rd, rs1, rs2, imm)  {text, insn, 2, OP_##kind, rd, rs1, rs2, imm, true}
#define HR(text, insn, kind, rd, rs1, rs2)      {text, insn, 2, OP_##kind, rd, rs1, rs2, 0, false}
#define BAD_W(text, insn)                       {text, insn, 4, OP_ILLEGAL, ANY, ANY, ANY, 0, false}
#define BAD_H(text, insn)                       {text, insn, 2, OP_ILLEGAL, ANY, ANY, ANY, 0, false}
/* clang-format on */

static const DecodeCase cases[] = {
    /* U and J types, jalr */
    W("lui a0, 0x80000", 0x80000537, LUI, 10, ANY, ANY, INT32_MIN),
    W("lui x0, 1", 0x00001037, LUI, SINK, ANY, ANY, 0x1000),
    W("auipc t0, 0xfffff", 0xfffff297, AUIPC, 5, ANY, ANY, -4096),
    W("jal ra, -1048576", 0x800000ef, JAL, 1, ANY, ANY, -1048576),
    W("jal x0, 1048574", 0x7ffff06f, JAL, SINK, ANY, ANY, 1048574),
    W("jalr a0, -2048(a1)", 0x80058567, JALR, 10, 11, ANY, -2048),
    W("jalr x0, 2047(ra)", 0x7ff08067, JALR, SINK, 1, ANY, 2047),
    BAD_W("jalr with funct3 1", 0x80059567),
    /* B type */
    W("beq a0, a1, -4096", 0x80b50063, BEQ, ANY, 10, 11, -4096),
    W("bne a0, x0, 8", 0x00051463, BNE, ANY, 10, 0, 8),
    W("blt a2, a3, -2", 0xfed64fe3, BLT, ANY, 12, 13, -2),
    W("bge s0, s1, 16", 0x00945863, BGE, ANY, 8, 9, 16),
    W("bltu a0, a1, 2048", 0x00b560e3, BLTU, ANY, 10, 11, 2048),
    W("bgeu t0, t1, 4094", 0x7e62ffe3, BGEU, ANY, 5, 6, 4094),
    BAD_W("branch funct3 2", 0x00b52063),
    BAD_W("branch funct3 3", 0x00b53063),
    /* loads (I type) and stores (SINK type) */
    W("lb a0, -2048(sp)", 0x80010503, LB, 10, 2, ANY, -2048),
    W("lh t1, 1(a0)", 0x00151303, LH, 6, 10, ANY, 1),
    W("lw s0, -1(s1)", 0xfff4a403, LW, 8, 9, ANY, -1),
    W("ld a0, 2047(a1)", 0x7ff5b503, LD, 10, 11, ANY, 2047),
    W("lbu x0, 0(a0)", 0x00054003, LBU, SINK, 10, ANY, 0),
    W("lhu a5, 2(a4)", 0x00275783, LHU, 15, 14, ANY, 2),
    W("lwu a6, 4(a7)", 0x0048e803, LWU, 16, 17, ANY, 4),
    BAD_W("load funct3 7", 0x00007503),
    W("sb a1, -2048(a0)", 0x80b50023, SB, ANY, 10, 11, -2048),
    W("sh t0, 2(t1)", 0x00531123, SH, ANY, 6, 5, 2),
    W("sw s1, -4(s0)", 0xfe942e23, SW, ANY, 8, 9, -4),
    W("sd a1, 2047(a0)", 0x7eb53fa3, SD, ANY, 10, 11, 2047),
    BAD_W("store funct3 4", 0x00b54023),
    BAD_W("store funct3 7", 0x00b57023),
    /* OP-IMM */
    W("addi a0, a1, -2048", 0x80058513, ADDI, 10, 11, ANY, -2048),
    W("addi x0, x0, 0", 0x00000013, ADDI, SINK, 0, ANY, 0),
    W("slti a0, a1, 2047", 0x7ff5a513, SLTI, 10, 11, ANY, 2047),
    W("sltiu a0, a1, -1", 0xfff5b513, SLTIU, 10, 11, ANY, -1),
    W("xori a0, a1, -1", 0xfff5c513, XORI, 10, 11, ANY, -1),
    W("ori a0, a1, 1365", 0x5555e513, ORI, 10, 11, ANY, 1365),
    W("andi a0, a1, -2048", 0x8005f513, ANDI, 10, 11, ANY, -2048),
    W("slli a0, a1, 63", 0x03f59513, SLLI, 10, 11, ANY, 63),
    W("srli a0, a1, 63", 0x03f5d513, SRLI, 10, 11, ANY, 63),
    W("srai a0, a1, 63", 0x43f5d513, SRAI, 10, 11, ANY, 63),
    W("srai a0, a1, 1", 0x4015d513, SRAI, 10, 11, ANY, 1),
    BAD_W("slli funct6 1", 0x07f59513),
    BAD_W("slli funct6 0x10", 0x43f59513),
    BAD_W("srli funct6 0x08", 0x23f5d513),
    BAD_W("srai funct6 0x11", 0x47f5d513),
    /* OP-IMM-32 */
    W("addiw a0, a1, -1", 0xfff5851b, ADDIW, 10, 11, ANY, -1),
    W("slliw a0, a1, 31", 0x01f5951b, SLLIW, 10, 11, ANY, 31),
    W("srliw a0, a1, 31", 0x01f5d51b, SRLIW, 10, 11, ANY, 31),
    W("sraiw a0, a1, 31", 0x41f5d51b, SRAIW, 10, 11, ANY, 31),
    BAD_W("slliw shamt[5] 1", 0x03f5951b),
    BAD_W("srliw shamt[5] 1", 0x03f5d51b),
    BAD_W("sraiw shamt[5] 1", 0x43f5d51b),
    BAD_W("op-imm-32 funct3 2", 0x0005a51b),
    /* OP and OP-32 */
    WR("add a0, a1, a2", 0x00c58533, ADD, 10, 11, 12),
    WR("sub a0, a1, a2", 0x40c58533, SUB, 10, 11, 12),
    WR("sll a0, a1, a2", 0x00c59533, SLL, 10, 11, 12),
    WR("slt a0, a1, a2", 0x00c5a533, SLT, 10, 11, 12),
    WR("sltu a0, a1, a2", 0x00c5b533, SLTU, 10, 11, 12),
    WR("xor a0, a1, a2", 0x00c5c533, XOR, 10, 11, 12),
    WR("srl a0, a1, a2", 0x00c5d533, SRL, 10, 11, 12),
    WR("sra a0, a1, a2", 0x40c5d533, SRA, 10, 11, 12),
    WR("or a0, a1, a2", 0x00c5e533, OR, 10, 11, 12),
    WR("and t6, t5, t4", 0x01df7fb3, AND, 31, 30, 29),
    BAD_W("op funct7 0x20 funct3 1", 0x40c59533),
    BAD_W("op funct7 0x02", 0x04c58533),
    WR("addw a0, a1, a2", 0x00c5853b, ADDW, 10, 11, 12),
    WR("subw a0, a1, a2", 0x40c5853b, SUBW, 10, 11, 12),
    WR("sllw a0, a1, a2", 0x00c5953b, SLLW, 10, 11, 12),
    WR("srlw a0, a1, a2", 0x00c5d53b, SRLW, 10, 11, 12),
    WR("sraw a0, a1, a2", 0x40c5d53b, SRAW, 10, 11, 12),
    BAD_W("op-32 funct3 2", 0x00c5a53b),
    BAD_W("op-32 funct7 0x20 funct3 1", 0x40c5953b),
    /* M */
    WR("mul a0, a1, a2", 0x02c58533, MUL, 10, 11, 12),
    WR("mulh a0, a1, a2", 0x02c59533, MULH, 10, 11, 12),
    WR("mulhsu a0, a1, a2", 0x02c5a533, MULHSU, 10, 11, 12),
    WR("mulhu a0, a1, a2", 0x02c5b533, MULHU, 10, 11, 12),
    WR("div a0, a1, a2", 0x02c5c533, DIV, 10, 11, 12),
    WR("divu a0, a1, a2", 0x02c5d533, DIVU, 10, 11, 12),
    WR("rem a0, a1, a2", 0x02c5e533, REM, 10, 11, 12),
    WR("remu a0, a1, a2", 0x02c5f533, REMU, 10, 11, 12),
    WR("mulw a0, a1, a2", 0x02c5853b, MULW, 10, 11, 12),
    WR("divw a0, a1, a2", 0x02c5c53b, DIVW, 10, 11, 12),
    WR("divuw a0, a1, a2", 0x02c5d53b, DIVUW, 10, 11, 12),
    WR("remw a0, a1, a2", 0x02c5e53b, REMW, 10, 11, 12),
    WR("remuw a0, a1, a2", 0x02c5f53b, REMUW, 10, 11, 12),
    BAD_W("mulhw (no such op)", 0x02c5953b),
    BAD_W("op-32 funct7 1 funct3 2", 0x02c5a53b),
    BAD_W("op-32 funct7 1 funct3 3", 0x02c5b53b),
    /* A */
    WR("lr.w a0, (a1)", 0x1005a52f, LR_W, 10, 11, ANY),
    WR("lr.d a0, (a1)", 0x1005b52f, LR_D, 10, 11, ANY),
    WR("lr.d.aq a0, (a1)", 0x1405b52f, LR_D, 10, 11, ANY),
    BAD_W("lr.w with rs2 2", 0x1025a52f),
    BAD_W("lr.d with rs2 31", 0x11f5b52f),
    WR("sc.w a0, a2, (a1)", 0x18c5a52f, SC_W, 10, 11, 12),
    WR("sc.d a0, a2, (a1)", 0x18c5b52f, SC_D, 10, 11, 12),
    WR("sc.w.rl x0, a2, (a1)", 0x1ac5a02f, SC_W, SINK, 11, 12),
    WR("amoswap.w", 0x08c5a52f, AMOSWAP_W, 10, 11, 12),
    WR("amoadd.w", 0x00c5a52f, AMOADD_W, 10, 11, 12),
    WR("amoxor.w", 0x20c5a52f, AMOXOR_W, 10, 11, 12),
    WR("amoand.w", 0x60c5a52f, AMOAND_W, 10, 11, 12),
    WR("amoor.w", 0x40c5a52f, AMOOR_W, 10, 11, 12),
    WR("amomin.w", 0x80c5a52f, AMOMIN_W, 10, 11, 12),
    WR("amomax.w", 0xa0c5a52f, AMOMAX_W, 10, 11, 12),
    WR("amominu.w", 0xc0c5a52f, AMOMINU_W, 10, 11, 12),
    WR("amomaxu.w", 0xe0c5a52f, AMOMAXU_W, 10, 11, 12),
    WR("amoswap.d", 0x08c5b52f, AMOSWAP_D, 10, 11, 12),
    WR("amoadd.d", 0x00c5b52f, AMOADD_D, 10, 11, 12),
    WR("amoxor.d", 0x20c5b52f, AMOXOR_D, 10, 11, 12),
    WR("amoand.d", 0x60c5b52f, AMOAND_D, 10, 11, 12),
    WR("amoor.d", 0x40c5b52f, AMOOR_D, 10, 11, 12),
    WR("amomin.d", 0x80c5b52f, AMOMIN_D, 10, 11, 12),
    WR("amomax.d", 0xa0c5b52f, AMOMAX_D, 10, 11, 12),
    WR("amominu.d", 0xc0c5b52f, AMOMINU_D, 10, 11, 12),
    WR("amomaxu.d", 0xe0c5b52f, AMOMAXU_D, 10, 11, 12),
    WR("amoadd.w.aqrl", 0x06c5a52f, AMOADD_W, 10, 11, 12),
    BAD_W("amo funct3 0", 0x00c5852f),
    BAD_W("amo funct3 4", 0x00c5c52f),
    BAD_W("amo funct5 0x05", 0x28c5a52f),
    /* Zicsr: imm is the CSR number (unsigned), rs1 the uimm of CSRRxI */
    W("csrrw a0, mstatus, a1", 0x30059573, CSRRW, 10, 11, ANY, 0x300),
    W("csrrs a0, 0xfff, x0", 0xfff02573, CSRRS, 10, 0, ANY, 0xfff),
    W("csrrc x0, sstatus, t0", 0x1002b073, CSRRC, SINK, 5, ANY, 0x100),
    W("csrrwi a0, satp, 31", 0x180fd573, CSRRWI, 10, 31, ANY, 0x180),
    W("csrrsi a0, mip, 1", 0x3440e573, CSRRSI, 10, 1, ANY, 0x344),
    W("csrrci x0, 0x800, 0", 0x80007073, CSRRCI, SINK, 0, ANY, 0x800),
    BAD_W("csr funct3 4", 0x30054573),
    /* system */
    WR("ecall", 0x00000073, ECALL, ANY, ANY, ANY),
    WR("ebreak", 0x00100073, EBREAK, ANY, ANY, ANY),
    WR("mret", 0x30200073, MRET, ANY, ANY, ANY),
    WR("sret", 0x10200073, SRET, ANY, ANY, ANY),
    WR("wfi", 0x10500073, WFI, ANY, ANY, ANY),
    WR("sfence.vma a0, a1", 0x12b50073, SFENCE_VMA, ANY, 10, 11),
    WR("sfence.vma x0, x0", 0x12000073, SFENCE_VMA, ANY, 0, 0),
    BAD_W("ecall with rd 1", 0x000000f3),
    BAD_W("ecall with rs1 1", 0x00008073),
    BAD_W("uret", 0x00200073),
    BAD_W("dret", 0x7b200073),
    BAD_W("sfence.vma with rd 1", 0x12b500f3),
    /* fences */
    WR("fence", 0x0ff0000f, NOP, ANY, ANY, ANY),
    WR("fence rw, w", 0x0310000f, NOP, ANY, ANY, ANY),
    WR("fence.i", 0x0000100f, FENCE_I, ANY, ANY, ANY),
    BAD_W("misc-mem funct3 2", 0x0000200f),
    /* extensions ember does not implement, and unused opcodes */
    /* F and D: FP registers have no sink (f0 is real); imm holds rm, and
     * rs3/negations or the integer type where the op has them. */
    W("flw fa0, -4(a1)", 0xffc5a507, FLW, 10, 11, ANY, -4),
    W("fld f0, 2047(sp)", 0x7ff13007, FLD, 0, 2, ANY, 2047),
    W("fsw fa2, 8(a0)", 0x00c52427, FSW, ANY, 10, 12, 8),
    W("fsd f31, -2048(t0)", 0x81f2b027, FSD, ANY, 5, 31, -2048),
    BAD_W("fp load funct3 1", 0xffc59507),
    BAD_W("fp store funct3 4", 0x00c54427),
    W("fadd.s fa0, fa1, fa2, rne", 0x00c58553, FADD_S, 10, 11, 12, 0),
    W("fsub.d f0, f1, f2, dyn", 0x0a20f053, FSUB_D, 0, 1, 2, 7),
    W("fmul.d fa0, fa1, fa2, rmm", 0x12c5c553, FMUL_D, 10, 11, 12, 4),
    W("fdiv.s ft0, ft1, ft2, rtz", 0x18209053, FDIV_S, 0, 1, 2, 1),
    W("fsqrt.d fa0, fa1, rup", 0x5a05b553, FSQRT_D, 10, 11, ANY, 3),
    BAD_W("fadd.s rm 5", 0x00c5d553),
    BAD_W("fadd.s rm 6", 0x00c5e553),
    BAD_W("fsqrt.d rs2 1", 0x5a15b553),
    BAD_W("fadd fmt 2", 0x04c58553),
    W("fmadd.d fa0, fa1, fa2, fa3, rdn", 0x6ac5a543, FMADD_D, 10, 11, 12, 0xd02),
    W("fmsub.s ft1, ft2, ft3, ft4, dyn", 0x203170c7, FMADD_S, 1, 2, 3, 0x20407),
    W("fnmsub.d ft5, ft6, ft7, fs0, rne", 0x427302cb, FMADD_D, 5, 6, 7, 0x10800),
    W("fnmadd.s fs1, fa0, fa1, ft11, rtz", 0xf8b514cf, FMADD_S, 9, 10, 11, 0x31f01),
    BAD_W("fmadd fmt 2", 0x6cc5a543),
    BAD_W("fmadd rm 5", 0x6ac5d543),
    WR("fsgnj.d fa0, fa1, fa2", 0x22c58553, FSGNJ_D, 10, 11, 12),
    WR("fsgnjn.s fa0, fa1, fa2", 0x20c59553, FSGNJN_S, 10, 11, 12),
    WR("fsgnjx.d fa0, fa1, fa2", 0x22c5a553, FSGNJX_D, 10, 11, 12),
    BAD_W("fsgnj funct3 3", 0x22c5b553),
    WR("fmin.s fa0, fa1, fa2", 0x28c58553, FMIN_S, 10, 11, 12),
    WR("fmax.d fa0, fa1, fa2", 0x2ac59553, FMAX_D, 10, 11, 12),
    BAD_W("fmin funct3 2", 0x28c5a553),
    W("fcvt.s.d fa0, fa1, rne", 0x40158553, FCVT_S_D, 10, 11, ANY, 0),
    W("fcvt.d.s fa0, fa1", 0x42058553, FCVT_D_S, 10, 11, ANY, 0),
    BAD_W("fcvt.s.d with rs2 0", 0x40058553),
    WR("feq.d a0, fa1, fa2", 0xa2c5a553, FEQ_D, 10, 11, 12),
    WR("flt.s x0, fa1, fa2", 0xa0c59053, FLT_S, SINK, 11, 12),
    WR("fle.d a0, fa1, fa2", 0xa2c58553, FLE_D, 10, 11, 12),
    BAD_W("fcmp funct3 3", 0xa2c5b553),
    W("fcvt.w.d a0, fa1, rtz", 0xc2059553, FCVT_INT_D, 10, 11, ANY, 1),
    W("fcvt.lu.s a0, fa1, dyn", 0xc035f553, FCVT_INT_S, 10, 11, ANY, 0x307),
    W("fcvt.d.wu fa0, a1", 0xd2158553, FCVT_D_INT, 10, 11, ANY, 0x100),
    W("fcvt.s.l fa0, a1, rmm", 0xd025c553, FCVT_S_INT, 10, 11, ANY, 0x204),
    BAD_W("fcvt.w.d rs2 4", 0xc2459553),
    WR("fmv.x.w a0, fa1", 0xe0058553, FMV_X_W, 10, 11, ANY),
    WR("fmv.x.d a0, fa1", 0xe2058553, FMV_X_D, 10, 11, ANY),
    WR("fmv.w.x fa0, a1", 0xf0058553, FMV_W_X, 10, 11, ANY),
    WR("fmv.d.x f0, a1", 0xf2058053, FMV_D_X, 0, 11, ANY),
    WR("fclass.s a0, fa1", 0xe0059553, FCLASS_S, 10, 11, ANY),
    WR("fclass.d a0, fa1", 0xe2059553, FCLASS_D, 10, 11, ANY),
    BAD_W("fmv.x.w rm 2", 0xe005a553),
    BAD_W("fmv.w.x rm 1", 0xf0059553),
    BAD_W("fmv.x.d rs2 1", 0xe2158553),
    BAD_W("custom-0", 0x0000000b),
    BAD_W("all ones", 0xffffffff),

    /* compressed, quadrant 0 */
    BAD_H("all zeros", 0x0000),
    H("c.addi4spn a0, sp, 1020", 0x1fe8, ADDI, 10, 2, ANY, 1020),
    H("c.addi4spn s0, sp, 4", 0x0040, ADDI, 8, 2, ANY, 4),
    BAD_H("c.addi4spn imm 0", 0x0004),
    H("c.lw a0, 124(a1)", 0x5de8, LW, 10, 11, ANY, 124),
    H("c.ld a0, 248(a1)", 0x7de8, LD, 10, 11, ANY, 248),
    H("c.sw a1, 124(a0)", 0xdd6c, SW, ANY, 10, 11, 124),
    H("c.sd s1, 0(s0)", 0xe004, SD, ANY, 8, 9, 0),
    H("c.fld fa0, 8(a1)", 0x2588, FLD, 10, 11, ANY, 8),
    BAD_H("quadrant 0 funct3 4", 0x8000),
    H("c.fsd fa1, 248(a0)", 0xbd6c, FSD, ANY, 10, 11, 248),
    /* quadrant 1 */
    H("c.nop", 0x0001, ADDI, SINK, ANY, ANY, 0),
    H("c.addi a0, -32", 0x1501, ADDI, 10, 10, ANY, -32),
    H("c.addi a0, 31", 0x057d, ADDI, 10, 10, ANY, 31),
    H("c.addiw a0, 31", 0x257d, ADDIW, 10, 10, ANY, 31),
    H("c.addiw a0, -1", 0x357d, ADDIW, 10, 10, ANY, -1),
    BAD_H("c.addiw rd 0", 0x2005),
    H("c.li a0, -32", 0x5501, ADDI, 10, 0, ANY, -32),
    H("c.li x0, 1", 0x4005, ADDI, SINK, 0, ANY, 1),
    H("c.addi16sp sp, -512", 0x7101, ADDI, 2, 2, ANY, -512),
    H("c.addi16sp sp, 496", 0x617d, ADDI, 2, 2, ANY, 496),
    BAD_H("c.addi16sp imm 0", 0x6101),
    H("c.lui a0, 0xfffe0", 0x7501, LUI, 10, ANY, ANY, -131072),
    H("c.lui a0, 1", 0x6505, LUI, 10, ANY, ANY, 0x1000),
    H("c.lui a0, 0x1f", 0x657d, LUI, 10, ANY, ANY, 0x1f000),
    BAD_H("c.lui imm 0", 0x6501),
    H("c.srli s0, 63", 0x907d, SRLI, 8, 8, ANY, 63),
    H("c.srai s1, 1", 0x8485, SRAI, 9, 9, ANY, 1),
    H("c.andi a5, -1", 0x9bfd, ANDI, 15, 15, ANY, -1),
    HR("c.sub s0, s1", 0x8c05, SUB, 8, 8, 9),
    HR("c.xor s0, s1", 0x8c25, XOR, 8, 8, 9),
    HR("c.or a4, a5", 0x8f5d, OR, 14, 14, 15),
    HR("c.and a4, a5", 0x8f7d, AND, 14, 14, 15),
    HR("c.subw s0, s1", 0x9c05, SUBW, 8, 8, 9),
    HR("c.addw s0, s1", 0x9c25, ADDW, 8, 8, 9),
    BAD_H("reserved c.subw-group funct2 2", 0x9c41),
    BAD_H("reserved c.subw-group funct2 3", 0x9c61),
    H("c.j -2048", 0xb001, JAL, SINK, ANY, ANY, -2048),
    H("c.j 2046", 0xaffd, JAL, SINK, ANY, ANY, 2046),
    H("c.beqz s0, -256", 0xd001, BEQ, ANY, 8, 0, -256),
    H("c.bnez s1, 254", 0xecfd, BNE, ANY, 9, 0, 254),
    /* quadrant 2 */
    H("c.slli a0, 63", 0x157e, SLLI, 10, 10, ANY, 63),
    H("c.slli x0, 1 (hint)", 0x0006, SLLI, SINK, 0, ANY, 1),
    H("c.lwsp a0, 252(sp)", 0x557e, LW, 10, 2, ANY, 252),
    BAD_H("c.lwsp rd 0", 0x4002),
    H("c.ldsp a0, 504(sp)", 0x757e, LD, 10, 2, ANY, 504),
    BAD_H("c.ldsp rd 0", 0x6002),
    H("c.jr ra", 0x8082, JALR, SINK, 1, ANY, 0),
    BAD_H("c.jr rs1 0", 0x8002),
    HR("c.mv a0, a1", 0x852e, ADD, 10, 0, 11),
    HR("c.ebreak", 0x9002, EBREAK, ANY, ANY, ANY),
    H("c.jalr a0", 0x9502, JALR, 1, 10, ANY, 0),
    HR("c.add a0, a1", 0x952e, ADD, 10, 10, 11),
    H("c.swsp a1, 252(sp)", 0xdfae, SW, ANY, 2, 11, 252),
    H("c.sdsp a1, 504(sp)", 0xffae, SD, ANY, 2, 11, 504),
    H("c.fldsp f0, 504(sp)", 0x307e, FLD, 0, 2, ANY, 504),
    H("c.fsdsp fa1, 8(sp)", 0xa42e, FSD, ANY, 2, 11, 8),
};

#define N_CASES ((int)(sizeof(cases) / sizeof(cases[0])))

START_TEST(test_table)
{
    const DecodeCase *c = &cases[_i];
    Op op;
    riscv_decode(c->insn, riscv_ext_defaults(), &op);
    ck_assert_msg(op.kind == c->kind, "%s (0x%08x): kind %s, expected %s", c->text, c->insn,
                  op_kind_name(op.kind), op_kind_name(c->kind));
    ck_assert_msg(op.len == c->len, "%s: len %u, expected %u", c->text, op.len, c->len);
    ck_assert_msg(op.insn == c->insn, "%s: insn 0x%08x kept, expected 0x%08x", c->text, op.insn,
                  c->insn);
    if (c->rd != ANY)
        ck_assert_msg(op.rd == c->rd, "%s: rd %u, expected %u", c->text, op.rd, c->rd);
    if (c->rs1 != ANY)
        ck_assert_msg(op.rs1 == c->rs1, "%s: rs1 %u, expected %u", c->text, op.rs1, c->rs1);
    if (c->rs2 != ANY)
        ck_assert_msg(op.rs2 == c->rs2, "%s: rs2 %u, expected %u", c->text, op.rs2, c->rs2);
    if (c->check_imm)
        ck_assert_msg(op.imm == c->imm, "%s: imm %d, expected %d", c->text, op.imm, c->imm);
}
END_TEST

START_TEST(test_compressed_ignores_upper_half)
{
    /* A 16-bit instruction is fetched with whatever follows it. */
    Op op;
    riscv_decode(0xdead5501, riscv_ext_defaults(), &op); /* c.li a0, -32 followed by junk */
    ck_assert_uint_eq(op.kind, OP_ADDI);
    ck_assert_uint_eq(op.len, 2);
    ck_assert_uint_eq(op.insn, 0x5501);
    ck_assert_uint_eq(op.rd, 10);
    ck_assert_int_eq(op.imm, -32);
}
END_TEST

START_TEST(test_decode_overwrites_op)
{
    Op op;
    memset(&op, 0xa5, sizeof(op));
    riscv_decode(0x00000073, riscv_ext_defaults(), &op); /* ecall */
    ck_assert_uint_eq(op.kind, OP_ECALL);
    ck_assert_int_eq(op.imm, 0);
    ck_assert_uint_eq(op.pc_off, 0);
}
END_TEST

/* What every decoded op must satisfy whatever the input: a handler indexes
 * x[] with the register fields, and a write to x0 must land in the sink.
 * (check records every passing assertion, so the sweeps assert only on a
 * failure.) */
/* Whether the row an instruction decodes by names an FP destination. */
static bool writes_fp_register(uint32_t insn, unsigned len)
{
    if (len == 2) {
        int c = riscv_cinsn_find((uint16_t)insn, ALL_EXTENSIONS);
        insn = c >= 0 ? riscv_cinsn_expand(&riscv_cinsns[c], (uint16_t)insn) : 0;
    }
    int row = riscv_insn_find(insn, ALL_EXTENSIONS, RISCV_LOOKUP_DECODE);
    if (row < 0)
        return false;
    switch (riscv_insns[row].form) {
    case FORM_FLOAD:
    case FORM_FR:
    case FORM_FR_RM:
    case FORM_F1_RM:
    case FORM_FX:
    case FORM_FX_CVT:
    case FORM_R4:
        return true;
    default:
        return false;
    }
}

static bool op_sane(uint32_t insn, const Op *op, unsigned len)
{
    bool rd_ok = op->kind != OP_ILLEGAL && writes_fp_register(insn, len)
                     ? op->rd < 32
                     : op->rd != 0 && op->rd <= REG_SINK;
    return op->len == len && op->kind < OP_COUNT && rd_ok && op->rs1 < 32 && op->rs2 < 32 &&
           op->insn == (len == 2 ? (insn & 0xffff) : insn);
}

static void check_op_sane(uint32_t insn, const Op *op, unsigned len)
{
    if (op_sane(insn, op, len))
        return;
    ck_abort_msg("0x%08x: kind %u len %u (expected %u) rd %u rs1 %u rs2 %u insn 0x%08x", insn,
                 op->kind, op->len, len, op->rd, op->rs1, op->rs2, op->insn);
}

START_TEST(test_every_16bit_value)
{
    unsigned illegal = 0;
    for (uint32_t v = 0; v <= 0xffff; v++) {
        Op op;
        riscv_decode(v, ALL_EXTENSIONS, &op);
        check_op_sane(v, &op, (v & 3) == 3 ? 4 : 2);
        if ((v & 3) != 3 && op.kind == OP_ILLEGAL)
            illegal++;
    }
    /* Sanity: most of the compressed space is implemented, not rejected. */
    ck_assert_uint_lt(illegal, 49152 / 2);
}
END_TEST

static uint64_t xorshift64(uint64_t *state)
{
    uint64_t x = *state;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return *state = x;
}

START_TEST(test_random_32bit_words)
{
    uint64_t state = 0x9e3779b97f4a7c15ull;
    unsigned counts[OP_COUNT] = {0};
    for (int i = 0; i < 1000000; i++) {
        uint32_t insn = (uint32_t)xorshift64(&state) | 3;
        Op op;
        riscv_decode(insn, ALL_EXTENSIONS, &op);
        check_op_sane(insn, &op, 4);
        counts[op.kind]++;
    }
    /* Random words hit the common major opcodes. */
    ck_assert_uint_gt(counts[OP_ILLEGAL], 0);
    ck_assert_uint_gt(counts[OP_LUI], 0);
    ck_assert_uint_gt(counts[OP_JAL], 0);
    ck_assert_uint_gt(counts[OP_ADDI], 0);
}
END_TEST

/* Each row's op kind, in the table's order, as the decoder has them. */
static const uint16_t row_kinds[] = {
#define ROW_KIND(name, kind, mask, match, form, operands, ext, flags) OP_##kind,
    RISCV_INSNS(ROW_KIND)
#undef ROW_KIND
};

#define N_ROWS ((int)(sizeof(row_kinds) / sizeof(row_kinds[0])))

/* Every row the decoder uses gives its op kind for its own encoding (free
 * fields zero; the spin hint's rd = rs1 = a0) in each width it belongs to,
 * nothing of its kind in the other width when it is one width's only, and
 * nothing of its kind when its extension is left out. */
START_TEST(test_every_row)
{
    const RiscvInsn *r = &riscv_insns[_i];
    if (r->flags & INSN_ALIAS)
        return;
    uint32_t insn = r->match | ((r->flags & INSN_SPIN) ? (10u << 7) | (10u << 15) : 0);
    static const RiscvExtSet widths[2] = {ALL_EXTENSIONS, ALL_EXTENSIONS | RISCV_XLEN32};
    for (unsigned w = 0; w < 2; w++) {
        RiscvExtSet set = widths[w];
        bool belongs = !(r->flags & (w ? INSN_RV64 : INSN_RV32));
        Op op;
        riscv_decode(insn, set, &op);
        if (!belongs) {
            ck_assert_msg(op.kind != row_kinds[_i] || op.kind == OP_ILLEGAL,
                          "%s (0x%08x) decodes on RV%u", r->name, insn, w ? 32 : 64);
            continue;
        }
        ck_assert_msg(op.kind == row_kinds[_i], "%s (0x%08x) on RV%u: kind %s, expected %s",
                      r->name, insn, w ? 32 : 64, op_kind_name(op.kind),
                      op_kind_name(row_kinds[_i]));
        if (r->ext == RISCV_EXT_I || row_kinds[_i] == OP_ILLEGAL)
            continue;
        riscv_decode(insn, set & ~((RiscvExtSet)1 << r->ext), &op);
        ck_assert_msg(op.kind != row_kinds[_i], "%s (0x%08x) decodes without its extension",
                      r->name, insn);
    }
}
END_TEST

/* RV32's compressed forms where RV64 has others (unpriv spec 16.8), the
 * RV64-only instructions RV32 rejects, and shift amounts of 32 and more. */
START_TEST(test_rv32_encodings)
{
    static const struct {
        uint32_t insn;
        enum op_kind rv32, rv64;
    } cases[] = {
        {0x2505, OP_JAL, OP_ADDIW},    /* c.jal / c.addiw a0, 1 */
        {0x6018, OP_FLW, OP_LD},       /* c.flw fa4, 0(s0) / c.ld */
        {0xe018, OP_FSW, OP_SD},       /* c.fsw / c.sd */
        {0x6702, OP_FLW, OP_LD},       /* c.flwsp fa4, 0(sp) / c.ldsp */
        {0xe03a, OP_FSW, OP_SD},       /* c.fswsp / c.sdsp */
        {0x9d1d, OP_ILLEGAL, OP_SUBW}, /* c.subw */
        {0x00053503, OP_ILLEGAL, OP_LD},
        {0x00056503, OP_ILLEGAL, OP_LWU},
        {0x00a53023, OP_ILLEGAL, OP_SD},
        {0x0015051b, OP_ILLEGAL, OP_ADDIW},
        {0x00b5053b, OP_ILLEGAL, OP_ADDW},
        {0x02b5053b, OP_ILLEGAL, OP_MULW},
        {0x1005352f, OP_ILLEGAL, OP_LR_D},
        {0xd0257553, OP_ILLEGAL, OP_FCVT_S_INT}, /* fcvt.s.l */
        {0xe2050553, OP_ILLEGAL, OP_FMV_X_D},
        {0x0805053b, OP_ILLEGAL, OP_ADD_UW},
        {0x02051513, OP_ILLEGAL, OP_SLLI}, /* slli a0, a0, 32 */
        {0x01f51513, OP_SLLI, OP_SLLI},    /* slli a0, a0, 31 */
        {0x69855513, OP_REV8, OP_ILLEGAL}, /* RV32's rev8 */
        {0x6b855513, OP_ILLEGAL, OP_REV8}, /* RV64's */
        {0x08054533, OP_ZEXT_H, OP_ILLEGAL},
        {0x0805453b, OP_ILLEGAL, OP_ZEXT_H},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        Op op;
        riscv_decode(cases[i].insn, ALL_EXTENSIONS | RISCV_XLEN32, &op);
        ck_assert_msg(op.kind == cases[i].rv32, "0x%08x on RV32: %s", cases[i].insn,
                      op_kind_name(op.kind));
        riscv_decode(cases[i].insn, ALL_EXTENSIONS, &op);
        ck_assert_msg(op.kind == cases[i].rv64, "0x%08x on RV64: %s", cases[i].insn,
                      op_kind_name(op.kind));
    }
}
END_TEST

/* The compressed rows expand to what they stand for: each form against
 * GNU as's encodings of the instruction and of its expansion. */
START_TEST(test_compressed_expansion)
{
    static const struct {
        uint16_t c;
        uint32_t expanded;
    } cases[] = {
        {0x0028, 0x00810513}, /* c.addi4spn a0, sp, 8 */
        {0x6588, 0x0085b503}, /* c.ld a0, 8(a1) */
        {0xe188, 0x00a5b023}, /* c.sd a0, 0(a1) */
        {0x1579, 0xffe50513}, /* c.addi a0, -2 */
        {0x7139, 0xfc010113}, /* c.addi16sp sp, -64 */
        {0x6505, 0x00001537}, /* c.lui a0, 1 */
        {0x8105, 0x00155513}, /* c.srli a0, 1 */
        {0x8d6d, 0x00b57533}, /* c.and a0, a1 */
        {0xc111, 0x00050263}, /* c.beqz a0, .+4 */
        {0x6522, 0x00813503}, /* c.ldsp a0, 8(sp) */
        {0x8082, 0x00008067}, /* c.jr ra */
        {0x852e, 0x00b00533}, /* c.mv a0, a1 */
        {0x9502, 0x000500e7}, /* c.jalr a0 */
        {0xe42a, 0x00a13423}, /* c.sdsp a0, 8(sp) */
        {0x2588, 0x0085b507}, /* c.fld fa0, 8(a1) */
        {0xc1c8, 0x00a5a223}, /* c.sw a0, 4(a1) */
        {0x4512, 0x00412503}, /* c.lwsp a0, 4(sp) */
        {0xc22a, 0x00a12223}, /* c.swsp a0, 4(sp) */
        {0x95fd, 0x43f5d593}, /* c.srai a1, 63 */
        {0x9a7d, 0xfff67613}, /* c.andi a2, -1 */
        {0x9e99, 0x40e686bb}, /* c.subw a3, a4 */
        {0x9eb9, 0x00e686bb}, /* c.addw a3, a4 */
        {0xb009, 0x803ff06f}, /* c.j .-2046 */
        {0xf101, 0xf00510e3}, /* c.bnez a0, .-256 */
        {0x157e, 0x03f51513}, /* c.slli a0, 63 */
        {0x357e, 0x1f813507}, /* c.fldsp fa0, 504(sp) */
        {0xa42e, 0x00b13427}, /* c.fsdsp fa1, 8(sp) */
        {0x5781, 0xfe000793}, /* c.li a5, -32 */
        {0x257d, 0x01f5051b}, /* c.addiw a0, 31 */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int row = riscv_cinsn_find(cases[i].c, ALL_EXTENSIONS);
        ck_assert_int_ge(row, 0);
        uint32_t got = riscv_cinsn_expand(&riscv_cinsns[row], cases[i].c);
        ck_assert_msg(got == cases[i].expanded, "0x%04x expands to 0x%08x, expected 0x%08x",
                      cases[i].c, got, cases[i].expanded);
    }
}
END_TEST

START_TEST(test_block_ending_ops)
{
    static const enum op_kind ends[] = {
        OP_ILLEGAL, OP_JAL,   OP_JALR,   OP_BEQ,    OP_BNE,    OP_BLT,    OP_BGE,     OP_BLTU,
        OP_BGEU,    OP_ECALL, OP_EBREAK, OP_MRET,   OP_SRET,   OP_WFI,    OP_FENCE_I, OP_SFENCE_VMA,
        OP_CSRRW,   OP_CSRRS, OP_CSRRC,  OP_CSRRWI, OP_CSRRSI, OP_CSRRCI,
    };
    static const enum op_kind continues[] = {OP_NOP, OP_ADD,   OP_ADDI, OP_LD,       OP_SD,
                                             OP_LUI, OP_AUIPC, OP_LR_W, OP_AMOADD_D, OP_DIV};
    for (size_t i = 0; i < sizeof(ends) / sizeof(ends[0]); i++)
        ck_assert_msg(op_ends_block(ends[i]), "%s must end a block", op_kind_name(ends[i]));
    for (size_t i = 0; i < sizeof(continues) / sizeof(continues[0]); i++)
        ck_assert_msg(!op_ends_block(continues[i]), "%s must not end a block",
                      op_kind_name(continues[i]));
}
END_TEST

START_TEST(test_op_names)
{
    ck_assert_str_eq(op_kind_name(OP_ADDI), "ADDI");
    ck_assert_str_eq(op_kind_name(OP_AMOMAXU_D), "AMOMAXU_D");
    ck_assert_str_eq(op_kind_name(OP_COUNT), "?");
}
END_TEST

static Suite *decode_suite(void)
{
    Suite *s = suite_create("decode");
    TCase *table = tcase_create("table");
    tcase_add_loop_test(table, test_table, 0, N_CASES);
    tcase_add_test(table, test_compressed_ignores_upper_half);
    tcase_add_test(table, test_decode_overwrites_op);
    suite_add_tcase(s, table);

    TCase *sweep = tcase_create("sweep");
    tcase_set_timeout(sweep, 60);
    tcase_add_test(sweep, test_every_16bit_value);
    tcase_add_test(sweep, test_random_32bit_words);
    suite_add_tcase(s, sweep);

    TCase *kinds = tcase_create("kinds");
    tcase_add_test(kinds, test_block_ending_ops);
    tcase_add_loop_test(kinds, test_every_row, 0, N_ROWS);
    tcase_add_test(kinds, test_compressed_expansion);
    tcase_add_test(kinds, test_rv32_encodings);
    tcase_add_test(kinds, test_op_names);
    suite_add_tcase(s, kinds);
    return s;
}

int main(void)
{
    return run_suite(decode_suite());
}
