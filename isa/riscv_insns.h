/* isa/riscv_insns.h: every RISC-V instruction ember knows, described once.
 * One row per instruction drives the decoder, the disassembler and the tests. */
#ifndef EMBER_ISA_RISCV_INSNS_H
#define EMBER_ISA_RISCV_INSNS_H

#include <stdbool.h>
#include <stdint.h>

#include "isa/riscv_ext.h"

/* How the decoder takes an instruction's operands apart (the RISC-V
 * formats, with whether each register is an integer or an FP one).
 * Integer destinations x0 are written to a sink; FP ones are not. */
enum riscv_form {
    FORM_NONE,   /* no operands */
    FORM_R,      /* x rd, x rs1, x rs2 */
    FORM_UNARY,  /* x rd, x rs1 */
    FORM_I,      /* x rd, x rs1, imm[11:0] */
    FORM_SHIFT,  /* x rd, x rs1, shamt[5:0] */
    FORM_SHIFTW, /* x rd, x rs1, shamt[4:0] */
    FORM_S,      /* x rs1, rs2 (x or f), imm[11:5|4:0] */
    FORM_B,      /* x rs1, x rs2, branch offset */
    FORM_U,      /* x rd, imm[31:12] */
    FORM_J,      /* x rd, jump offset */
    FORM_CSR,    /* x rd, x rs1 or uimm, CSR number */
    FORM_FLOAD,  /* f rd, x rs1, imm[11:0] */
    FORM_FR,     /* f rd, f rs1, f rs2 */
    FORM_FR_RM,  /* f rd, f rs1, f rs2, rounding mode */
    FORM_F1_RM,  /* f rd, f rs1, rounding mode */
    FORM_XFF,    /* x rd, f rs1, f rs2 */
    FORM_XF,     /* x rd, f rs1 */
    FORM_FX,     /* f rd, x rs1 */
    FORM_XF_CVT, /* x rd, f rs1, rounding mode and the integer type (rs2) */
    FORM_FX_CVT, /* f rd, x rs1, rounding mode and the integer type (rs2) */
    FORM_R4,     /* f rd, f rs1, f rs2, f rs3, rounding mode, negations */
};

/* Row flags. An ALIAS row is objdump's pseudo-instruction for a subset of
 * a real row's encodings: it only changes how they print. A DECODE row is
 * met only by the decoder (the encodings it covers print as unknown words
 * in objdump, e.g. fences with reserved fields, which run as fences). */
#define INSN_ALIAS 1u
#define INSN_DECODE 2u
/* Extra matching conditions a mask cannot say. */
#define INSN_RS1_IS_RS2 4u /* rs1 == rs2 */
#define INSN_SPIN 8u       /* rd == rs1 != 0: div rd, rd, zero */
#define INSN_ORDERED 16u   /* the mnemonic takes .aq/.rl/.aqrl from bits 26:25 */
/* Rows of one base width only (the other has no such instruction, or
 * another one at the encoding). */
#define INSN_RV64 32u
#define INSN_RV32 64u

/* Operand letters of the display column (objdump's text, ABI names):
 *   d s t    x rd, x rs1, x rs2          D S T R  f rd, f rs1, f rs2, f rs3
 *   j        imm[11:0] in decimal        l k      imm(rs1) of a load / store
 *   z        objdump's " # 0x.." note for a zero- or tp-based imm[11:0]
 *   n        the same note, for a tp-based addi/addiw only
 *   > <      shift amount, 6 / 5 bits    u        imm[31:12] in hex
 *   b a      branch / jump target        c Z      CSR name, uimm (rs1 field)
 *   m        ",rm" unless dynamic        P Q      fence predecessor/successor
 *   A        "(rs1)"                     o        prefetch's imm[11:5](rs1)
 * anything else is copied. */

/* clang-format off */
#define RV_R     0xfe00707fu /* funct7, funct3, opcode */
#define RV_I     0x0000707fu /* funct3, opcode */
#define RV_SH    0xfc00707fu /* funct6, funct3, opcode */
#define RV_UNARY 0xfff0707fu /* funct7, rs2, funct3, opcode */
#define RV_OPC   0x0000007fu /* opcode */
#define RV_FRM   0xfe00007fu /* funct7, opcode: rm free */
#define RV_FRM1  0xfff0007fu /* funct7, rs2, opcode: rm free */
#define RV_AMO   0xf800707fu /* funct5, funct3, opcode: aq/rl free */
#define RV_LR    0xf9f0707fu /* funct5, rs2, funct3, opcode */
#define RV_R4    0x0600007fu /* fmt, opcode */
#define RV_EXACT 0xffffffffu

/* X(name, op kind, mask, match, form, operands, extension, flags). Rows
 * are tried in order, first match wins: aliases and narrower encodings
 * come before the rows they narrow. */
#define RISCV_INSNS(X)                                                                             \
    /* RV64I: upper immediates and jumps */                                                        \
    X("lui", LUI, RV_OPC, 0x00000037, U, "d,u", I, 0)                                              \
    X("auipc", AUIPC, RV_OPC, 0x00000017, U, "d,u", I, 0)                                          \
    X("j", JAL, 0x00000fffu, 0x0000006f, J, "a", I, INSN_ALIAS)                                    \
    X("jal", JAL, 0x00000fffu, 0x000000ef, J, "a", I, INSN_ALIAS)                                  \
    X("jal", JAL, RV_OPC, 0x0000006f, J, "d,a", I, 0)                                              \
    X("ret", JALR, RV_EXACT, 0x00008067, I, "", I, INSN_ALIAS)                                     \
    X("jr", JALR, 0xfff07fffu, 0x00000067, I, "sz", I, INSN_ALIAS)                                 \
    X("jr", JALR, 0x00007fffu, 0x00000067, I, "l", I, INSN_ALIAS)                                  \
    X("jalr", JALR, 0xfff07fffu, 0x000000e7, I, "sz", I, INSN_ALIAS)                               \
    X("jalr", JALR, 0x00007fffu, 0x000000e7, I, "l", I, INSN_ALIAS)                                \
    X("jalr", JALR, 0xfff0707fu, 0x00000067, I, "d,sz", I, INSN_ALIAS)                             \
    X("jalr", JALR, RV_I, 0x00000067, I, "d,l", I, 0)                                              \
    /* RV64I: branches (objdump's choice among aliases when both are zero) */                      \
    X("beqz", BEQ, 0x01f0707fu, 0x00000063, B, "s,b", I, INSN_ALIAS)                               \
    X("beq", BEQ, RV_I, 0x00000063, B, "s,t,b", I, 0)                                              \
    X("bnez", BNE, 0x01f0707fu, 0x00001063, B, "s,b", I, INSN_ALIAS)                               \
    X("bne", BNE, RV_I, 0x00001063, B, "s,t,b", I, 0)                                              \
    X("bltz", BLT, 0x01f0707fu, 0x00004063, B, "s,b", I, INSN_ALIAS)                               \
    X("bgtz", BLT, 0x000ff07fu, 0x00004063, B, "t,b", I, INSN_ALIAS)                               \
    X("blt", BLT, RV_I, 0x00004063, B, "s,t,b", I, 0)                                              \
    X("blez", BGE, 0x000ff07fu, 0x00005063, B, "t,b", I, INSN_ALIAS)                               \
    X("bgez", BGE, 0x01f0707fu, 0x00005063, B, "s,b", I, INSN_ALIAS)                               \
    X("bge", BGE, RV_I, 0x00005063, B, "s,t,b", I, 0)                                              \
    X("bltu", BLTU, RV_I, 0x00006063, B, "s,t,b", I, 0)                                            \
    X("bgeu", BGEU, RV_I, 0x00007063, B, "s,t,b", I, 0)                                            \
    /* RV64I: loads and stores */                                                                  \
    X("lb", LB, RV_I, 0x00000003, I, "d,l", I, 0)                                                  \
    X("lh", LH, RV_I, 0x00001003, I, "d,l", I, 0)                                                  \
    X("lw", LW, RV_I, 0x00002003, I, "d,l", I, 0)                                                  \
    X("ld", LD, RV_I, 0x00003003, I, "d,l", I, INSN_RV64)                                          \
    X("lbu", LBU, RV_I, 0x00004003, I, "d,l", I, 0)                                                \
    X("lhu", LHU, RV_I, 0x00005003, I, "d,l", I, 0)                                                \
    X("lwu", LWU, RV_I, 0x00006003, I, "d,l", I, INSN_RV64)                                        \
    X("sb", SB, RV_I, 0x00000023, S, "t,k", I, 0)                                                  \
    X("sh", SH, RV_I, 0x00001023, S, "t,k", I, 0)                                                  \
    X("sw", SW, RV_I, 0x00002023, S, "t,k", I, 0)                                                  \
    X("sd", SD, RV_I, 0x00003023, S, "t,k", I, INSN_RV64)                                          \
    /* RV64I: register-immediate (objdump 2.40 spells addi with an immediate "add") */             \
    X("nop", ADDI, RV_EXACT, 0x00000013, I, "", I, INSN_ALIAS)                                     \
    X("li", ADDI, 0x000ff07fu, 0x00000013, I, "d,j", I, INSN_ALIAS)                                \
    X("mv", ADDI, 0xfff0707fu, 0x00000013, I, "d,s", I, INSN_ALIAS)                                \
    X("add", ADDI, RV_I, 0x00000013, I, "d,s,jn", I, 0)                                            \
    X("slti", SLTI, RV_I, 0x00002013, I, "d,s,j", I, 0)                                            \
    X("seqz", SLTIU, 0xfff0707fu, 0x00103013, I, "d,s", I, INSN_ALIAS)                             \
    X("sltiu", SLTIU, RV_I, 0x00003013, I, "d,s,j", I, 0)                                          \
    X("not", XORI, 0xfff0707fu, 0xfff04013, I, "d,s", I, INSN_ALIAS)                               \
    X("xor", XORI, RV_I, 0x00004013, I, "d,s,j", I, 0)                                             \
    X("prefetch.i", ORI, 0x01f07fffu, 0x00006013, I, "o", ZICBOP, INSN_ALIAS)                      \
    X("prefetch.r", ORI, 0x01f07fffu, 0x00106013, I, "o", ZICBOP, INSN_ALIAS)                      \
    X("prefetch.w", ORI, 0x01f07fffu, 0x00306013, I, "o", ZICBOP, INSN_ALIAS)                      \
    X("or", ORI, RV_I, 0x00006013, I, "d,s,j", I, 0)                                               \
    X("zext.b", ANDI, 0xfff0707fu, 0x0ff07013, I, "d,s", I, INSN_ALIAS)                            \
    X("and", ANDI, RV_I, 0x00007013, I, "d,s,j", I, 0)                                             \
    X("sll", SLLI, RV_SH, 0x00001013, SHIFT, "d,s,>", I, 0)                                        \
    X("srl", SRLI, RV_SH, 0x00005013, SHIFT, "d,s,>", I, 0)                                        \
    X("sra", SRAI, RV_SH, 0x40005013, SHIFT, "d,s,>", I, 0)                                        \
    X("sext.w", ADDIW, 0xfff0707fu, 0x0000001b, I, "d,s", I, INSN_ALIAS | INSN_RV64)               \
    X("addw", ADDIW, RV_I, 0x0000001b, I, "d,s,jn", I, INSN_RV64)                                  \
    X("sllw", SLLIW, RV_R, 0x0000101b, SHIFTW, "d,s,<", I, INSN_RV64)                              \
    X("srlw", SRLIW, RV_R, 0x0000501b, SHIFTW, "d,s,<", I, INSN_RV64)                              \
    X("sraw", SRAIW, RV_R, 0x4000501b, SHIFTW, "d,s,<", I, INSN_RV64)                              \
    /* RV64I: register-register, with Zihintntl's hints on add x0 */                               \
    X("ntl.p1", ADD, RV_EXACT, 0x00200033, R, "", ZIHINTNTL, INSN_ALIAS)                           \
    X("ntl.pall", ADD, RV_EXACT, 0x00300033, R, "", ZIHINTNTL, INSN_ALIAS)                         \
    X("ntl.s1", ADD, RV_EXACT, 0x00400033, R, "", ZIHINTNTL, INSN_ALIAS)                           \
    X("ntl.all", ADD, RV_EXACT, 0x00500033, R, "", ZIHINTNTL, INSN_ALIAS)                          \
    X("add", ADD, RV_R, 0x00000033, R, "d,s,t", I, 0)                                              \
    X("neg", SUB, 0xfe0ff07fu, 0x40000033, R, "d,t", I, INSN_ALIAS)                                \
    X("sub", SUB, RV_R, 0x40000033, R, "d,s,t", I, 0)                                              \
    X("sll", SLL, RV_R, 0x00001033, R, "d,s,t", I, 0)                                              \
    X("sltz", SLT, 0xfff0707fu, 0x00002033, R, "d,s", I, INSN_ALIAS)                               \
    X("sgtz", SLT, 0xfe0ff07fu, 0x00002033, R, "d,t", I, INSN_ALIAS)                               \
    X("slt", SLT, RV_R, 0x00002033, R, "d,s,t", I, 0)                                              \
    X("snez", SLTU, 0xfe0ff07fu, 0x00003033, R, "d,t", I, INSN_ALIAS)                              \
    X("sltu", SLTU, RV_R, 0x00003033, R, "d,s,t", I, 0)                                            \
    X("xor", XOR, RV_R, 0x00004033, R, "d,s,t", I, 0)                                              \
    X("srl", SRL, RV_R, 0x00005033, R, "d,s,t", I, 0)                                              \
    X("sra", SRA, RV_R, 0x40005033, R, "d,s,t", I, 0)                                              \
    X("or", OR, RV_R, 0x00006033, R, "d,s,t", I, 0)                                                \
    X("and", AND, RV_R, 0x00007033, R, "d,s,t", I, 0)                                              \
    X("addw", ADDW, RV_R, 0x0000003b, R, "d,s,t", I, INSN_RV64)                                    \
    X("negw", SUBW, 0xfe0ff07fu, 0x4000003b, R, "d,t", I, INSN_ALIAS | INSN_RV64)                  \
    X("subw", SUBW, RV_R, 0x4000003b, R, "d,s,t", I, INSN_RV64)                                    \
    X("sllw", SLLW, RV_R, 0x0000103b, R, "d,s,t", I, INSN_RV64)                                    \
    X("srlw", SRLW, RV_R, 0x0000503b, R, "d,s,t", I, INSN_RV64)                                    \
    X("sraw", SRAW, RV_R, 0x4000503b, R, "d,s,t", I, INSN_RV64)                                    \
    /* RV64I: fences (reserved fence fields run as a full fence), Zihintpause */                   \
    X("fence.i", FENCE_I, RV_EXACT, 0x0000100f, NONE, "", I, 0)                                    \
    X("fence.i", FENCE_I, RV_I, 0x0000100f, NONE, "", I, INSN_DECODE)                              \
    X("pause", SPIN_HINT, RV_EXACT, 0x0100000f, NONE, "", ZIHINTPAUSE, 0)                          \
    X("fence.tso", NOP, RV_EXACT, 0x8330000f, NONE, "", I, 0)                                      \
    X("fence", NOP, RV_EXACT, 0x0ff0000f, NONE, "", I, INSN_ALIAS)                                 \
    X("fence", NOP, 0xf00fffffu, 0x0000000f, NONE, "P,Q", I, 0)                                    \
    X("fence", NOP, RV_I, 0x0000000f, NONE, "", I, INSN_DECODE)                                    \
    /* Zicbom, Zicboz */                                                                           \
    X("cbo.inval", CBO_MANAGE, 0xfff07fffu, 0x0000200f, R, "A", ZICBOM, 0)                         \
    X("cbo.clean", CBO_MANAGE, 0xfff07fffu, 0x0010200f, R, "A", ZICBOM, 0)                         \
    X("cbo.flush", CBO_MANAGE, 0xfff07fffu, 0x0020200f, R, "A", ZICBOM, 0)                         \
    X("cbo.zero", CBO_ZERO, 0xfff07fffu, 0x0040200f, R, "A", ZICBOZ, 0)                            \
    /* RV64I: system */                                                                            \
    X("ecall", ECALL, RV_EXACT, 0x00000073, NONE, "", I, 0)                                        \
    X("ebreak", EBREAK, RV_EXACT, 0x00100073, NONE, "", I, 0)                                      \
    X("uret", ILLEGAL, RV_EXACT, 0x00200073, NONE, "", I, 0)                                       \
    X("sret", SRET, RV_EXACT, 0x10200073, NONE, "", I, 0)                                          \
    X("hret", ILLEGAL, RV_EXACT, 0x20200073, NONE, "", I, 0)                                       \
    X("mret", MRET, RV_EXACT, 0x30200073, NONE, "", I, 0)                                          \
    X("dret", ILLEGAL, RV_EXACT, 0x7b200073, NONE, "", I, 0)                                       \
    X("wfi", WFI, RV_EXACT, 0x10500073, NONE, "", I, 0)                                            \
    X("sfence.vma", SFENCE_VMA, RV_EXACT, 0x12000073, R, "", I, INSN_ALIAS)                        \
    X("sfence.vma", SFENCE_VMA, 0xfff07fffu, 0x12000073, R, "s", I, INSN_ALIAS)                    \
    X("sfence.vma", SFENCE_VMA, 0xfe007fffu, 0x12000073, R, "s,t", I, 0)                           \
    X("sfence.vm", ILLEGAL, RV_EXACT, 0x10400073, NONE, "", I, 0)                                  \
    X("sfence.vm", ILLEGAL, 0xfff07fffu, 0x10400073, NONE, "s", I, 0)                              \
    /* Svinval */                                                                                  \
    X("sinval.vma", SFENCE_VMA, 0xfe007fffu, 0x16000073, R, "s,t", SVINVAL, 0)                     \
    X("sfence.w.inval", SFENCE_INVAL, RV_EXACT, 0x18000073, NONE, "", SVINVAL, 0)                  \
    X("sfence.inval.ir", SFENCE_INVAL, RV_EXACT, 0x18100073, NONE, "", SVINVAL, 0)                 \
    X("hinval.vvma", ILLEGAL, 0xfe007fffu, 0x26000073, R, "s,t", SVINVAL, 0) /* needs H */         \
    X("hinval.gvma", ILLEGAL, 0xfe007fffu, 0x66000073, R, "s,t", SVINVAL, 0)                       \
    /* Zicsr, with objdump's names for the FP CSRs and counters */                                 \
    X("unimp", CSRRW, RV_EXACT, 0xc0001073, CSR, "", I, INSN_ALIAS)                                \
    X("fsflags", CSRRW, 0xfff07fffu, 0x00101073, CSR, "s", I, INSN_ALIAS)                          \
    X("fsrm", CSRRW, 0xfff07fffu, 0x00201073, CSR, "s", I, INSN_ALIAS)                             \
    X("fscsr", CSRRW, 0xfff07fffu, 0x00301073, CSR, "s", I, INSN_ALIAS)                            \
    X("fsflags", CSRRW, 0xfff0707fu, 0x00101073, CSR, "d,s", I, INSN_ALIAS)                        \
    X("fsrm", CSRRW, 0xfff0707fu, 0x00201073, CSR, "d,s", I, INSN_ALIAS)                           \
    X("fscsr", CSRRW, 0xfff0707fu, 0x00301073, CSR, "d,s", I, INSN_ALIAS)                          \
    X("csrw", CSRRW, 0x00007fffu, 0x00001073, CSR, "c,s", I, INSN_ALIAS)                           \
    X("csrrw", CSRRW, RV_I, 0x00001073, CSR, "d,c,s", I, 0)                                        \
    X("frflags", CSRRS, 0xfffff07fu, 0x00102073, CSR, "d", I, INSN_ALIAS)                          \
    X("frrm", CSRRS, 0xfffff07fu, 0x00202073, CSR, "d", I, INSN_ALIAS)                             \
    X("frcsr", CSRRS, 0xfffff07fu, 0x00302073, CSR, "d", I, INSN_ALIAS)                            \
    X("rdcycle", CSRRS, 0xfffff07fu, 0xc0002073, CSR, "d", I, INSN_ALIAS)                          \
    X("rdtime", CSRRS, 0xfffff07fu, 0xc0102073, CSR, "d", I, INSN_ALIAS)                           \
    X("rdinstret", CSRRS, 0xfffff07fu, 0xc0202073, CSR, "d", I, INSN_ALIAS)                        \
    X("rdcycleh", CSRRS, 0xfffff07fu, 0xc8002073, CSR, "d", I, INSN_ALIAS | INSN_RV32)             \
    X("rdtimeh", CSRRS, 0xfffff07fu, 0xc8102073, CSR, "d", I, INSN_ALIAS | INSN_RV32)              \
    X("rdinstreth", CSRRS, 0xfffff07fu, 0xc8202073, CSR, "d", I, INSN_ALIAS | INSN_RV32)           \
    X("csrr", CSRRS, 0x000ff07fu, 0x00002073, CSR, "d,c", I, INSN_ALIAS)                           \
    X("csrs", CSRRS, 0x00007fffu, 0x00002073, CSR, "c,s", I, INSN_ALIAS)                           \
    X("csrrs", CSRRS, RV_I, 0x00002073, CSR, "d,c,s", I, 0)                                        \
    X("csrc", CSRRC, 0x00007fffu, 0x00003073, CSR, "c,s", I, INSN_ALIAS)                           \
    X("csrrc", CSRRC, RV_I, 0x00003073, CSR, "d,c,s", I, 0)                                        \
    X("fsflagsi", CSRRWI, 0xfff0707fu, 0x00105073, CSR, "d,Z", I, INSN_ALIAS)                      \
    X("fsrmi", CSRRWI, 0xfff0707fu, 0x00205073, CSR, "d,Z", I, INSN_ALIAS)                         \
    X("csrw", CSRRWI, 0x00007fffu, 0x00005073, CSR, "c,Z", I, INSN_ALIAS)                          \
    X("csrrw", CSRRWI, RV_I, 0x00005073, CSR, "d,c,Z", I, 0)                                       \
    X("csrs", CSRRSI, 0x00007fffu, 0x00006073, CSR, "c,Z", I, INSN_ALIAS)                          \
    X("csrrs", CSRRSI, RV_I, 0x00006073, CSR, "d,c,Z", I, 0)                                       \
    X("csrc", CSRRCI, 0x00007fffu, 0x00007073, CSR, "c,Z", I, INSN_ALIAS)                          \
    X("csrrc", CSRRCI, RV_I, 0x00007073, CSR, "d,c,Z", I, 0)                                       \
    /* M; div rd, rd, zero is Linux's cpu_relax without Zihintpause */                             \
    X("mul", MUL, RV_R, 0x02000033, R, "d,s,t", I, 0)                                              \
    X("mulh", MULH, RV_R, 0x02001033, R, "d,s,t", I, 0)                                            \
    X("mulhsu", MULHSU, RV_R, 0x02002033, R, "d,s,t", I, 0)                                        \
    X("mulhu", MULHU, RV_R, 0x02003033, R, "d,s,t", I, 0)                                          \
    X("div", SPIN_HINT, 0xfff0707fu, 0x02004033, R, "d,s,t", I, INSN_SPIN | INSN_DECODE)           \
    X("div", DIV, RV_R, 0x02004033, R, "d,s,t", I, 0)                                              \
    X("divu", DIVU, RV_R, 0x02005033, R, "d,s,t", I, 0)                                            \
    X("rem", REM, RV_R, 0x02006033, R, "d,s,t", I, 0)                                              \
    X("remu", REMU, RV_R, 0x02007033, R, "d,s,t", I, 0)                                            \
    X("mulw", MULW, RV_R, 0x0200003b, R, "d,s,t", I, INSN_RV64)                                    \
    X("divw", DIVW, RV_R, 0x0200403b, R, "d,s,t", I, INSN_RV64)                                    \
    X("divuw", DIVUW, RV_R, 0x0200503b, R, "d,s,t", I, INSN_RV64)                                  \
    X("remw", REMW, RV_R, 0x0200603b, R, "d,s,t", I, INSN_RV64)                                    \
    X("remuw", REMUW, RV_R, 0x0200703b, R, "d,s,t", I, INSN_RV64)                                  \
    /* A */                                                                                        \
    X("lr.w", LR_W, RV_LR, 0x1000202f, R, "d,A", I, INSN_ORDERED)                                  \
    X("sc.w", SC_W, RV_AMO, 0x1800202f, R, "d,t,A", I, INSN_ORDERED)                               \
    X("amoswap.w", AMOSWAP_W, RV_AMO, 0x0800202f, R, "d,t,A", I, INSN_ORDERED)                     \
    X("amoadd.w", AMOADD_W, RV_AMO, 0x0000202f, R, "d,t,A", I, INSN_ORDERED)                       \
    X("amoxor.w", AMOXOR_W, RV_AMO, 0x2000202f, R, "d,t,A", I, INSN_ORDERED)                       \
    X("amoand.w", AMOAND_W, RV_AMO, 0x6000202f, R, "d,t,A", I, INSN_ORDERED)                       \
    X("amoor.w", AMOOR_W, RV_AMO, 0x4000202f, R, "d,t,A", I, INSN_ORDERED)                         \
    X("amomin.w", AMOMIN_W, RV_AMO, 0x8000202f, R, "d,t,A", I, INSN_ORDERED)                       \
    X("amomax.w", AMOMAX_W, RV_AMO, 0xa000202f, R, "d,t,A", I, INSN_ORDERED)                       \
    X("amominu.w", AMOMINU_W, RV_AMO, 0xc000202f, R, "d,t,A", I, INSN_ORDERED)                     \
    X("amomaxu.w", AMOMAXU_W, RV_AMO, 0xe000202f, R, "d,t,A", I, INSN_ORDERED)                     \
    X("lr.d", LR_D, RV_LR, 0x1000302f, R, "d,A", I, INSN_ORDERED | INSN_RV64)                      \
    X("sc.d", SC_D, RV_AMO, 0x1800302f, R, "d,t,A", I, INSN_ORDERED | INSN_RV64)                   \
    X("amoswap.d", AMOSWAP_D, RV_AMO, 0x0800302f, R, "d,t,A", I, INSN_ORDERED | INSN_RV64)         \
    X("amoadd.d", AMOADD_D, RV_AMO, 0x0000302f, R, "d,t,A", I, INSN_ORDERED | INSN_RV64)           \
    X("amoxor.d", AMOXOR_D, RV_AMO, 0x2000302f, R, "d,t,A", I, INSN_ORDERED | INSN_RV64)           \
    X("amoand.d", AMOAND_D, RV_AMO, 0x6000302f, R, "d,t,A", I, INSN_ORDERED | INSN_RV64)           \
    X("amoor.d", AMOOR_D, RV_AMO, 0x4000302f, R, "d,t,A", I, INSN_ORDERED | INSN_RV64)             \
    X("amomin.d", AMOMIN_D, RV_AMO, 0x8000302f, R, "d,t,A", I, INSN_ORDERED | INSN_RV64)           \
    X("amomax.d", AMOMAX_D, RV_AMO, 0xa000302f, R, "d,t,A", I, INSN_ORDERED | INSN_RV64)           \
    X("amominu.d", AMOMINU_D, RV_AMO, 0xc000302f, R, "d,t,A", I, INSN_ORDERED | INSN_RV64)         \
    X("amomaxu.d", AMOMAXU_D, RV_AMO, 0xe000302f, R, "d,t,A", I, INSN_ORDERED | INSN_RV64)         \
    RISCV_FP_INSNS(X, "s", _S, 0x00000000u, I)                                                     \
    RISCV_FP_INSNS(X, "d", _D, 0x02000000u, I)                                                     \
    /* F and D: loads, stores, moves and conversions between formats */                            \
    X("flw", FLW, RV_I, 0x00002007, FLOAD, "D,l", I, 0)                                            \
    X("fld", FLD, RV_I, 0x00003007, FLOAD, "D,l", I, 0)                                            \
    X("fsw", FSW, RV_I, 0x00002027, S, "T,k", I, 0)                                                \
    X("fsd", FSD, RV_I, 0x00003027, S, "T,k", I, 0)                                                \
    X("fmv.x.w", FMV_X_W, RV_UNARY, 0xe0000053, XF, "d,S", I, 0)                                   \
    X("fmv.w.x", FMV_W_X, RV_UNARY, 0xf0000053, FX, "D,s", I, 0)                                   \
    X("fmv.x.d", FMV_X_D, RV_UNARY, 0xe2000053, XF, "d,S", I, INSN_RV64)                           \
    X("fmv.d.x", FMV_D_X, RV_UNARY, 0xf2000053, FX, "D,s", I, INSN_RV64)                           \
    X("fcvt.s.d", FCVT_S_D, RV_FRM1, 0x40100053, F1_RM, "D,Sm", I, 0)                              \
    X("fcvt.s.w", FCVT_S_INT, RV_FRM1, 0xd0000053, FX_CVT, "D,sm", I, 0)                           \
    X("fcvt.s.wu", FCVT_S_INT, RV_FRM1, 0xd0100053, FX_CVT, "D,sm", I, 0)                          \
    X("fcvt.d.s", FCVT_D_S, RV_UNARY, 0x42000053, F1_RM, "D,S", I, 0)                              \
    X("fcvt.d.s", FCVT_D_S, RV_FRM1, 0x42000053, F1_RM, "D,S", I, INSN_DECODE)                     \
    X("fcvt.d.w", FCVT_D_INT, RV_UNARY, 0xd2000053, FX_CVT, "D,s", I, 0)                           \
    X("fcvt.d.wu", FCVT_D_INT, RV_UNARY, 0xd2100053, FX_CVT, "D,s", I, 0)                          \
    X("fcvt.d.w", FCVT_D_INT, RV_FRM1, 0xd2000053, FX_CVT, "D,s", I, INSN_DECODE)                  \
    X("fcvt.d.wu", FCVT_D_INT, RV_FRM1, 0xd2100053, FX_CVT, "D,s", I, INSN_DECODE)                 \
    /* Zfh, and Zfhmin's loads, stores, moves and conversions */                                   \
    RISCV_FP_INSNS(X, "h", _H, 0x04000000u, ZFH)                                                   \
    X("fcvt.h.w", FCVT_H_INT, RV_FRM1, 0xd4000053, FX_CVT, "D,sm", ZFH, 0)                         \
    X("fcvt.h.wu", FCVT_H_INT, RV_FRM1, 0xd4100053, FX_CVT, "D,sm", ZFH, 0)                        \
    X("flh", FLH, RV_I, 0x00001007, FLOAD, "D,l", ZFHMIN, 0)                                       \
    X("fsh", FSH, RV_I, 0x00001027, S, "T,k", ZFHMIN, 0)                                           \
    X("fmv.x.h", FMV_X_H, RV_UNARY, 0xe4000053, XF, "d,S", ZFHMIN, 0)                              \
    X("fmv.h.x", FMV_H_X, RV_UNARY, 0xf4000053, FX, "D,s", ZFHMIN, 0)                              \
    X("fcvt.s.h", FCVT_S_H, RV_UNARY, 0x40200053, F1_RM, "D,S", ZFHMIN, 0)                         \
    X("fcvt.s.h", FCVT_S_H, RV_FRM1, 0x40200053, F1_RM, "D,S", ZFHMIN, INSN_DECODE)                \
    X("fcvt.d.h", FCVT_D_H, RV_UNARY, 0x42200053, F1_RM, "D,S", ZFHMIN, 0)                         \
    X("fcvt.d.h", FCVT_D_H, RV_FRM1, 0x42200053, F1_RM, "D,S", ZFHMIN, INSN_DECODE)                \
    X("fcvt.h.s", FCVT_H_S, RV_FRM1, 0x44000053, F1_RM, "D,Sm", ZFHMIN, 0)                         \
    X("fcvt.h.d", FCVT_H_D, RV_FRM1, 0x44100053, F1_RM, "D,Sm", ZFHMIN, 0)                         \
    /* Zba */                                                                                      \
    X("sh1add", SH1ADD, RV_R, 0x20002033, R, "d,s,t", ZBA, 0)                                      \
    X("sh2add", SH2ADD, RV_R, 0x20004033, R, "d,s,t", ZBA, 0)                                      \
    X("sh3add", SH3ADD, RV_R, 0x20006033, R, "d,s,t", ZBA, 0)                                      \
    X("zext.w", ADD_UW, 0xfff0707fu, 0x0800003b, R, "d,s", ZBA, INSN_ALIAS | INSN_RV64)            \
    X("add.uw", ADD_UW, RV_R, 0x0800003b, R, "d,s,t", ZBA, INSN_RV64)                              \
    X("sh1add.uw", SH1ADD_UW, RV_R, 0x2000203b, R, "d,s,t", ZBA, INSN_RV64)                        \
    X("sh2add.uw", SH2ADD_UW, RV_R, 0x2000403b, R, "d,s,t", ZBA, INSN_RV64)                        \
    X("sh3add.uw", SH3ADD_UW, RV_R, 0x2000603b, R, "d,s,t", ZBA, INSN_RV64)                        \
    X("slli.uw", SLLI_UW, RV_SH, 0x0800101b, SHIFT, "d,s,>", ZBA, INSN_RV64)                       \
    /* Zbb */                                                                                      \
    X("andn", ANDN, RV_R, 0x40007033, R, "d,s,t", ZBB, 0)                                          \
    X("orn", ORN, RV_R, 0x40006033, R, "d,s,t", ZBB, 0)                                            \
    X("xnor", XNOR, RV_R, 0x40004033, R, "d,s,t", ZBB, 0)                                          \
    X("clz", CLZ, RV_UNARY, 0x60001013, UNARY, "d,s", ZBB, 0)                                      \
    X("ctz", CTZ, RV_UNARY, 0x60101013, UNARY, "d,s", ZBB, 0)                                      \
    X("cpop", CPOP, RV_UNARY, 0x60201013, UNARY, "d,s", ZBB, 0)                                    \
    X("sext.b", SEXT_B, RV_UNARY, 0x60401013, UNARY, "d,s", ZBB, 0)                                \
    X("sext.h", SEXT_H, RV_UNARY, 0x60501013, UNARY, "d,s", ZBB, 0)                                \
    X("clzw", CLZW, RV_UNARY, 0x6000101b, UNARY, "d,s", ZBB, INSN_RV64)                            \
    X("ctzw", CTZW, RV_UNARY, 0x6010101b, UNARY, "d,s", ZBB, INSN_RV64)                            \
    X("cpopw", CPOPW, RV_UNARY, 0x6020101b, UNARY, "d,s", ZBB, INSN_RV64)                          \
    X("max", MAX, RV_R, 0x0a006033, R, "d,s,t", ZBB, 0)                                            \
    X("maxu", MAXU, RV_R, 0x0a007033, R, "d,s,t", ZBB, 0)                                          \
    X("min", MIN, RV_R, 0x0a004033, R, "d,s,t", ZBB, 0)                                            \
    X("minu", MINU, RV_R, 0x0a005033, R, "d,s,t", ZBB, 0)                                          \
    X("zext.h", ZEXT_H, RV_UNARY, 0x0800403b, UNARY, "d,s", ZBB, INSN_RV64)                        \
    X("rol", ROL, RV_R, 0x60001033, R, "d,s,t", ZBB, 0)                                            \
    X("ror", ROR, RV_R, 0x60005033, R, "d,s,t", ZBB, 0)                                            \
    X("rolw", ROLW, RV_R, 0x6000103b, R, "d,s,t", ZBB, INSN_RV64)                                  \
    X("rorw", RORW, RV_R, 0x6000503b, R, "d,s,t", ZBB, INSN_RV64)                                  \
    X("ror", RORI, RV_SH, 0x60005013, SHIFT, "d,s,>", ZBB, 0)                                      \
    X("rorw", RORIW, RV_R, 0x6000501b, SHIFTW, "d,s,<", ZBB, INSN_RV64)                            \
    X("zext.h", ZEXT_H, RV_UNARY, 0x08004033, UNARY, "d,s", ZBB, INSN_RV32)                        \
    X("rev8", REV8, RV_UNARY, 0x69805013, UNARY, "d,s", ZBB, INSN_RV32)                            \
    X("orc.b", ORC_B, RV_UNARY, 0x28705013, UNARY, "d,s", ZBB, 0)                                  \
    X("rev8", REV8, RV_UNARY, 0x6b805013, UNARY, "d,s", ZBB, INSN_RV64)                            \
    /* Zbc */                                                                                      \
    X("clmul", CLMUL, RV_R, 0x0a001033, R, "d,s,t", ZBC, 0)                                        \
    X("clmulr", CLMULR, RV_R, 0x0a002033, R, "d,s,t", ZBC, 0)                                      \
    X("clmulh", CLMULH, RV_R, 0x0a003033, R, "d,s,t", ZBC, 0)                                      \
    /* Zbs */                                                                                      \
    X("bclr", BCLR, RV_R, 0x48001033, R, "d,s,t", ZBS, 0)                                          \
    X("bext", BEXT, RV_R, 0x48005033, R, "d,s,t", ZBS, 0)                                          \
    X("binv", BINV, RV_R, 0x68001033, R, "d,s,t", ZBS, 0)                                          \
    X("bset", BSET, RV_R, 0x28001033, R, "d,s,t", ZBS, 0)                                          \
    X("bclr", BCLRI, RV_SH, 0x48001013, SHIFT, "d,s,>", ZBS, 0)                                    \
    X("bext", BEXTI, RV_SH, 0x48005013, SHIFT, "d,s,>", ZBS, 0)                                    \
    X("binv", BINVI, RV_SH, 0x68001013, SHIFT, "d,s,>", ZBS, 0)                                    \
    X("bset", BSETI, RV_SH, 0x28001013, SHIFT, "d,s,>", ZBS, 0)                                    \
    /* Zicond */                                                                                   \
    X("czero.eqz", CZERO_EQZ, RV_R, 0x0e005033, R, "d,s,t", ZICOND, 0)                             \
    X("czero.nez", CZERO_NEZ, RV_R, 0x0e007033, R, "d,s,t", ZICOND, 0)

/* The arithmetic rows F and D share: P is the mnemonic suffix, K the op
 * kind suffix, FMT the format bits (26:25). */
#define RISCV_FP_INSNS(X, P, K, FMT, EXT)                                                          \
    X("fadd." P, FADD##K, RV_FRM, 0x00000053 | FMT, FR_RM, "D,S,Tm", EXT, 0)                       \
    X("fsub." P, FSUB##K, RV_FRM, 0x08000053 | FMT, FR_RM, "D,S,Tm", EXT, 0)                       \
    X("fmul." P, FMUL##K, RV_FRM, 0x10000053 | FMT, FR_RM, "D,S,Tm", EXT, 0)                       \
    X("fdiv." P, FDIV##K, RV_FRM, 0x18000053 | FMT, FR_RM, "D,S,Tm", EXT, 0)                       \
    X("fsqrt." P, FSQRT##K, RV_FRM1, 0x58000053 | FMT, F1_RM, "D,Sm", EXT, 0)                      \
    X("fmv." P, FSGNJ##K, RV_R, 0x20000053 | FMT, FR, "D,S", EXT, INSN_ALIAS | INSN_RS1_IS_RS2)    \
    X("fsgnj." P, FSGNJ##K, RV_R, 0x20000053 | FMT, FR, "D,S,T", EXT, 0)                           \
    X("fneg." P, FSGNJN##K, RV_R, 0x20001053 | FMT, FR, "D,S", EXT, INSN_ALIAS | INSN_RS1_IS_RS2)  \
    X("fsgnjn." P, FSGNJN##K, RV_R, 0x20001053 | FMT, FR, "D,S,T", EXT, 0)                         \
    X("fabs." P, FSGNJX##K, RV_R, 0x20002053 | FMT, FR, "D,S", EXT, INSN_ALIAS | INSN_RS1_IS_RS2)  \
    X("fsgnjx." P, FSGNJX##K, RV_R, 0x20002053 | FMT, FR, "D,S,T", EXT, 0)                         \
    X("fmin." P, FMIN##K, RV_R, 0x28000053 | FMT, FR, "D,S,T", EXT, 0)                             \
    X("fmax." P, FMAX##K, RV_R, 0x28001053 | FMT, FR, "D,S,T", EXT, 0)                             \
    X("fle." P, FLE##K, RV_R, 0xa0000053 | FMT, XFF, "d,S,T", EXT, 0)                              \
    X("flt." P, FLT##K, RV_R, 0xa0001053 | FMT, XFF, "d,S,T", EXT, 0)                              \
    X("feq." P, FEQ##K, RV_R, 0xa0002053 | FMT, XFF, "d,S,T", EXT, 0)                              \
    X("fclass." P, FCLASS##K, RV_UNARY, 0xe0001053 | FMT, XF, "d,S", EXT, 0)                       \
    X("fcvt.w." P, FCVT_INT##K, RV_FRM1, 0xc0000053 | FMT, XF_CVT, "d,Sm", EXT, 0)                 \
    X("fcvt.wu." P, FCVT_INT##K, RV_FRM1, 0xc0100053 | FMT, XF_CVT, "d,Sm", EXT, 0)                \
    X("fcvt.l." P, FCVT_INT##K, RV_FRM1, 0xc0200053 | FMT, XF_CVT, "d,Sm", EXT, INSN_RV64)         \
    X("fcvt.lu." P, FCVT_INT##K, RV_FRM1, 0xc0300053 | FMT, XF_CVT, "d,Sm", EXT, INSN_RV64)        \
    X("fcvt." P ".l", FCVT##K##_INT, RV_FRM1, 0xd0200053 | FMT, FX_CVT, "D,sm", EXT, INSN_RV64)    \
    X("fcvt." P ".lu", FCVT##K##_INT, RV_FRM1, 0xd0300053 | FMT, FX_CVT, "D,sm", EXT, INSN_RV64)   \
    X("fmadd." P, FMADD##K, RV_R4, 0x00000043 | FMT, R4, "D,S,T,Rm", EXT, 0)                       \
    X("fmsub." P, FMADD##K, RV_R4, 0x00000047 | FMT, R4, "D,S,T,Rm", EXT, 0)                       \
    X("fnmsub." P, FMADD##K, RV_R4, 0x0000004b | FMT, R4, "D,S,T,Rm", EXT, 0)                      \
    X("fnmadd." P, FMADD##K, RV_R4, 0x0000004f | FMT, R4, "D,S,T,Rm", EXT, 0)
/* clang-format on */

/* Compressed instructions expand into one 32-bit instruction each (unpriv
 * spec 16.1), which the rows above then decode and print. A form says how
 * the 16-bit fields move into the 32-bit template's fields. */
enum riscv_cform {
    CFORM_RESERVED,  /* no expansion: illegal */
    CFORM_EXACT,     /* the template itself */
    CFORM_CIW,       /* c.addi4spn: rd', nzuimm[9:2] */
    CFORM_CL_W,      /* rd', uimm[6:2](rs1') */
    CFORM_CL_D,      /* rd', uimm[7:3](rs1') */
    CFORM_CS_W,      /* rs2', uimm[6:2](rs1') */
    CFORM_CS_D,      /* rs2', uimm[7:3](rs1') */
    CFORM_CI,        /* rd = rs1, imm[5:0] */
    CFORM_CI_LI,     /* rd, imm[5:0] (rs1 = x0) */
    CFORM_CI_16SP,   /* sp = sp + nzimm[9:4] */
    CFORM_CI_LUI,    /* rd, nzimm[17:12] */
    CFORM_CI_SLLI,   /* rd = rs1, shamt[5:0] */
    CFORM_CI_LWSP,   /* rd, uimm[7:2](sp) */
    CFORM_CI_LDSP,   /* rd, uimm[8:3](sp) */
    CFORM_CB_SHIFT,  /* rd' = rs1', shamt[5:0] */
    CFORM_CB_ANDI,   /* rd' = rs1', imm[5:0] */
    CFORM_CB_BRANCH, /* rs1', offset[8:1] */
    CFORM_CA,        /* rd' = rs1', rs2' */
    CFORM_CJ,        /* offset[11:1] */
    CFORM_CR_JR,     /* rs1 (in the rd field) */
    CFORM_CR_MV,     /* rd, rs2 (rs1 = x0) */
    CFORM_CR_ADD,    /* rd = rs1, rs2 */
    CFORM_CSS_W,     /* rs2, uimm[7:2](sp) */
    CFORM_CSS_D,     /* rs2, uimm[8:3](sp) */
};

/* clang-format off */
/* C(name, mask, match, form, 32-bit template, operands, extension). name
 * NULL prints the expansion as the 32-bit rows do (objdump shows most
 * compressed instructions so); a name is objdump's own spelling (HINTs,
 * c.mv, c.jr), printed with the operands of the expansion or, for a
 * RESERVED row objdump still names, of the template. */
#define RISCV_CINSNS(C)                                                                            \
    C("unimp", 0xffff, 0x0000, RESERVED, 0, "", I)                                                 \
    C(NULL, 0xffe3, 0x0000, RESERVED, 0, "", I)                                                    \
    C(NULL, 0xe003, 0x0000, CIW, 0x00010013u, "", I)               /* c.addi4spn */                \
    C(NULL, 0xe003, 0x2000, CL_D, 0x00003007u, "", I)              /* c.fld */                     \
    C(NULL, 0xe003, 0x4000, CL_W, 0x00002003u, "", I)              /* c.lw */                      \
    C(NULL, 0xe003, 0x6000, CL_D, 0x00003003u, "", RV64)           /* c.ld */                      \
    C(NULL, 0xe003, 0x6000, CL_W, 0x00002007u, "", RV32)           /* c.flw */                     \
    C(NULL, 0xe003, 0xa000, CS_D, 0x00003027u, "", I)              /* c.fsd */                     \
    C(NULL, 0xe003, 0xc000, CS_W, 0x00002023u, "", I)              /* c.sw */                      \
    C(NULL, 0xe003, 0xe000, CS_D, 0x00003023u, "", RV64)           /* c.sd */                      \
    C(NULL, 0xe003, 0xe000, CS_W, 0x00002027u, "", RV32)           /* c.fsw */                     \
    C(NULL, 0xffff, 0x0001, CI, 0x00000013u, "", I)                /* c.nop */                     \
    C("c.nop", 0xef83, 0x0001, CI, 0x00000013u, "j", I)                                            \
    C("add", 0xf07f, 0x0001, CI, 0x00000013u, "d,s,jn", I)         /* c.addi with 0: a HINT */     \
    C(NULL, 0xe003, 0x0001, CI, 0x00000013u, "", I)                /* c.addi */                    \
    C(NULL, 0xef83, 0x2001, RESERVED, 0, "", RV64)                                                 \
    C(NULL, 0xe003, 0x2001, CI, 0x0000001bu, "", RV64)             /* c.addiw */                   \
    C(NULL, 0xe003, 0x2001, CJ, 0x000000efu, "", RV32)             /* c.jal */                     \
    C("c.li", 0xef83, 0x4001, CI_LI, 0x00000013u, "d,j", I)                                        \
    C(NULL, 0xe003, 0x4001, CI_LI, 0x00000013u, "", I)             /* c.li */                      \
    C("add", 0xffff, 0x6101, RESERVED, 0x00010113u, "d,s,j", I)    /* c.addi16sp 0 */              \
    C(NULL, 0xef83, 0x6101, CI_16SP, 0x00010113u, "", I)           /* c.addi16sp */                \
    C(NULL, 0xf07f, 0x6001, RESERVED, 0, "", I)                                                    \
    C("c.lui", 0xef83, 0x6001, CI_LUI, 0x00000037u, "d,u", I)                                      \
    C(NULL, 0xe003, 0x6001, CI_LUI, 0x00000037u, "", I)            /* c.lui */                     \
    C("c.srli64", 0xfc7f, 0x8001, CB_SHIFT, 0x00005013u, "d", I)                                   \
    C(NULL, 0xec03, 0x8001, CB_SHIFT, 0x00005013u, "", I)          /* c.srli */                    \
    C("c.srai64", 0xfc7f, 0x8401, CB_SHIFT, 0x40005013u, "d", I)                                   \
    C(NULL, 0xec03, 0x8401, CB_SHIFT, 0x40005013u, "", I)          /* c.srai */                    \
    C(NULL, 0xec03, 0x8801, CB_ANDI, 0x00007013u, "", I)           /* c.andi */                    \
    C(NULL, 0xfc63, 0x8c01, CA, 0x40000033u, "", I)                /* c.sub */                     \
    C(NULL, 0xfc63, 0x8c21, CA, 0x00004033u, "", I)                /* c.xor */                     \
    C(NULL, 0xfc63, 0x8c41, CA, 0x00006033u, "", I)                /* c.or */                      \
    C(NULL, 0xfc63, 0x8c61, CA, 0x00007033u, "", I)                /* c.and */                     \
    C(NULL, 0xfc63, 0x9c01, CA, 0x4000003bu, "", RV64)              /* c.subw */                   \
    C(NULL, 0xfc63, 0x9c21, CA, 0x0000003bu, "", RV64)              /* c.addw */                   \
    C(NULL, 0xe003, 0xa001, CJ, 0x0000006fu, "", I)                /* c.j */                       \
    C(NULL, 0xe003, 0xc001, CB_BRANCH, 0x00000063u, "", I)         /* c.beqz */                    \
    C(NULL, 0xe003, 0xe001, CB_BRANCH, 0x00001063u, "", I)         /* c.bnez */                    \
    C("c.slli64", 0xf07f, 0x0002, CI_SLLI, 0x00001013u, "d", I)                                    \
    C("c.slli", 0xef83, 0x0002, CI_SLLI, 0x00001013u, "d,>", I)                                    \
    C(NULL, 0xe003, 0x0002, CI_SLLI, 0x00001013u, "", I)           /* c.slli */                    \
    C(NULL, 0xe003, 0x2002, CI_LDSP, 0x00003007u, "", I)           /* c.fldsp */                   \
    C(NULL, 0xef83, 0x4002, RESERVED, 0, "", I)                                                    \
    C(NULL, 0xe003, 0x4002, CI_LWSP, 0x00002003u, "", I)           /* c.lwsp */                    \
    C(NULL, 0xef83, 0x6002, RESERVED, 0, "", RV64)                                                 \
    C(NULL, 0xe003, 0x6002, CI_LDSP, 0x00003003u, "", RV64)        /* c.ldsp */                    \
    C(NULL, 0xe003, 0x6002, CI_LWSP, 0x00002007u, "", RV32)        /* c.flwsp */                   \
    C(NULL, 0xffff, 0x8002, RESERVED, 0, "", I)                                                    \
    C(NULL, 0xffff, 0x8082, CR_JR, 0x00000067u, "", I)             /* c.jr ra: ret */              \
    C("jr", 0xf07f, 0x8002, CR_JR, 0x00000067u, "s", I)                                            \
    C("c.mv", 0xff83, 0x8002, CR_MV, 0x00000033u, "d,t", I)                                        \
    C("mv", 0xf003, 0x8002, CR_MV, 0x00000033u, "d,t", I)                                          \
    C(NULL, 0xffff, 0x9002, EXACT, 0x00100073u, "", I)             /* c.ebreak */                  \
    C("jalr", 0xf07f, 0x9002, CR_JR, 0x000000e7u, "s", I)                                          \
    C("c.ntl.p1", 0xffff, 0x900a, CR_ADD, 0x00000033u, "", ZIHINTNTL)                              \
    C("c.ntl.pall", 0xffff, 0x900e, CR_ADD, 0x00000033u, "", ZIHINTNTL)                            \
    C("c.ntl.s1", 0xffff, 0x9012, CR_ADD, 0x00000033u, "", ZIHINTNTL)                              \
    C("c.ntl.all", 0xffff, 0x9016, CR_ADD, 0x00000033u, "", ZIHINTNTL)                             \
    C("c.add", 0xff83, 0x9002, CR_ADD, 0x00000033u, "d,t", I)                                      \
    C(NULL, 0xf003, 0x9002, CR_ADD, 0x00000033u, "", I)            /* c.add */                     \
    C(NULL, 0xe003, 0xa002, CSS_D, 0x00003027u, "", I)             /* c.fsdsp */                   \
    C(NULL, 0xe003, 0xc002, CSS_W, 0x00002023u, "", I)             /* c.swsp */                    \
    C(NULL, 0xe003, 0xe002, CSS_D, 0x00003023u, "", RV64)          /* c.sdsp */                    \
    C(NULL, 0xe003, 0xe002, CSS_W, 0x00002027u, "", RV32)          /* c.fswsp */
/* clang-format on */

/* A row of either table, as the shared lookup keeps it. */
typedef struct RiscvInsn {
    const char *name;
    const char *operands;
    uint32_t mask, match;
    uint8_t form; /* enum riscv_form */
    uint8_t ext;  /* enum riscv_ext */
    uint8_t flags;
} RiscvInsn;

typedef struct RiscvCInsn {
    const char *name;
    const char *operands;
    uint16_t mask, match;
    uint8_t form; /* enum riscv_cform */
    uint8_t ext;
    uint32_t base; /* the 32-bit template */
} RiscvCInsn;

extern const RiscvInsn riscv_insns[];
extern const RiscvCInsn riscv_cinsns[];

/* Who asks: the decoder skips ALIAS rows and rows of extensions outside
 * the set; the disassembler skips DECODE rows and knows every extension. */
enum riscv_lookup { RISCV_LOOKUP_DECODE, RISCV_LOOKUP_DISASM };

/* The index in riscv_insns of the first row matching a 32-bit instruction,
 * or -1. */
int riscv_insn_find(uint32_t insn, RiscvExtSet ext, enum riscv_lookup who);

/* The row of riscv_cinsns matching a 16-bit instruction, or -1. */
int riscv_cinsn_find(uint16_t insn, RiscvExtSet ext);

/* The 32-bit instruction a compressed one stands for (row from
 * riscv_cinsn_find); 0 for a RESERVED row. */
uint32_t riscv_cinsn_expand(const RiscvCInsn *row, uint16_t insn);

/* The immediates of the 32-bit formats. */
static inline uint32_t riscv_field(uint32_t insn, unsigned lo, unsigned width)
{
    return (insn >> lo) & ((1u << width) - 1);
}

static inline int32_t riscv_sign_extend(uint32_t value, unsigned width)
{
    return (int32_t)(value << (32 - width)) >> (32 - width);
}

static inline int32_t riscv_imm_i(uint32_t insn)
{
    return (int32_t)insn >> 20;
}

static inline int32_t riscv_imm_s(uint32_t insn)
{
    return riscv_sign_extend((riscv_field(insn, 25, 7) << 5) | riscv_field(insn, 7, 5), 12);
}

static inline int32_t riscv_imm_b(uint32_t insn)
{
    return riscv_sign_extend((riscv_field(insn, 31, 1) << 12) | (riscv_field(insn, 7, 1) << 11) |
                                 (riscv_field(insn, 25, 6) << 5) | (riscv_field(insn, 8, 4) << 1),
                             13);
}

static inline int32_t riscv_imm_j(uint32_t insn)
{
    return riscv_sign_extend((riscv_field(insn, 31, 1) << 20) | (riscv_field(insn, 12, 8) << 12) |
                                 (riscv_field(insn, 20, 1) << 11) |
                                 (riscv_field(insn, 21, 10) << 1),
                             21);
}

#endif
