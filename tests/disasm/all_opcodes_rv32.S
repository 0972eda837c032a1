# tests/disasm/all_opcodes_rv32.S: RV32's own encodings and the sweeps of
# all_opcodes.S, disassembled as objdump does an rv32 object (ELFCLASS32).
#
# Assembled with -march=rv32gc_zicsr_zifencei_... as the RV64 one: the
# mnemonics here are those whose encoding or text differs from RV64's
# (c.jal, c.flw/c.fsw/c.flwsp/c.fswsp, rev8, zext.h, shifts by up to 31,
# 32-bit targets); the sweeps cover every other encoding, including the
# RV64-only ones, which RV32 prints as unknown words.

    .option norelax
    .option push
    .option norvc
    .text

# ---- jumps and branches (32-bit targets)
back:
    jal back
    jal forward
    beq a0, a1, back
    bne a0, a1, forward
    .option rvc
    c.jal back
    c.jal forward
    c.j back
    c.beqz a0, forward
    .option norvc
forward:

# ---- loads, stores, shifts and arithmetic on 32-bit registers
    lw a0, 0(a1)
    lw a0, -2048(zero)
    sw a2, 2047(tp)
    slli a0, a1, 31
    srli a0, a1, 1
    srai a0, a1, 17
    lui a0, 0x80000
    li a0, -1
    addi a0, a1, -2048

# ---- C: RV32's loads and stores of floats where RV64 has ld/sd
    .option rvc
    c.flw fa0, 0(s0)
    c.flw fa5, 124(a5)
    c.fsw fa0, 4(s1)
    c.fsw fs1, 124(a3)
    c.flwsp fa0, 0(sp)
    c.flwsp ft11, 252(sp)
    c.fswsp fa0, 0(sp)
    c.fswsp fs11, 252(sp)
    c.lw a0, 64(a1)
    c.sw a0, 64(a1)
    c.lwsp ra, 12(sp)
    c.swsp ra, 12(sp)
    c.fld fa0, 8(a0)
    c.fsd fa0, 8(a0)
    c.slli a0, 31
    c.srli a0, 1
    c.srai a0, 31
    .option norvc

# ---- F and D without the 64-bit integer forms
    fcvt.w.s a0, fa0
    fcvt.wu.d a0, fa1, rtz
    fcvt.s.w fa0, a0
    fcvt.d.wu fa0, a0
    fmv.x.w a0, fa0
    fmv.w.x fa0, a0

# ---- Zba, Zbb, Zbc, Zbs on RV32
    .irp op, sh1add,sh2add,sh3add,andn,orn,xnor,max,maxu,min,minu,rol,ror,clmul,clmulh,clmulr,bclr,bext,binv,bset
    \op a0, a1, a2
    .endr
    .irp op, clz,ctz,cpop,sext.b,sext.h,zext.h,orc.b,rev8
    \op a0, a1
    .endr
    .irp op, rori,bclri,bexti,binvi,bseti
    \op a0, a1, 31
    .endr

# ---- the sweeps (sweeps.inc)
    .include "sweeps.inc"
    .option pop
