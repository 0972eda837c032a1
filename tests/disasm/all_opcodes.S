# tests/disasm/all_opcodes.S: every RV64GC opcode and objdump pseudo-instruction, plus sweeps.
# disasm_compare checks ember's text for each against objdump's; plain GNU as, no preprocessor.
#
# Assembled with -march=rv64gc_zicsr_zifencei -mpriv-spec=1.12. Raw words
# (.4byte/.2byte) stand for encodings the assembler will not write (HINTs,
# reserved or retired ones); the test strips the mapping symbols, so objdump
# decodes them as instructions too. lui, auipc and c.lui come last: objdump
# notes the address a later instruction forms from their result, a stateful
# difference ember does not share (see the last section and disasm_compare.c).

    .option norelax         # branch offsets must be final in the object file
    # The arch attribute objdump decodes by is the state at the end of the
    # file, which the final .option pop brings back to rv64gc.
    .option push
    .option norvc
    .text

# ---- register names in every field
    .irp r, zero,ra,sp,gp,tp,t0,t1,t2,s0,s1,a0,a1,a2,a3,a4,a5,a6,a7,s2,s3,s4,s5,s6,s7,s8,s9,s10,s11,t3,t4,t5,t6
    sub \r, a0, a1
    sub a0, \r, a1
    sub a0, a1, \r
    .endr
    .irp f, ft0,ft1,ft2,ft3,ft4,ft5,ft6,ft7,fs0,fs1,fa0,fa1,fa2,fa3,fa4,fa5,fa6,fa7,fs2,fs3,fs4,fs5,fs6,fs7,fs8,fs9,fs10,fs11,ft8,ft9,ft10,ft11
    fmadd.d \f, fa0, fa1, fa2
    fmadd.d fa0, \f, fa1, fa2
    fmadd.d fa0, fa1, \f, fa2
    fmadd.d fa0, fa1, fa2, \f
    .endr

# ---- RV64I: jumps and branches (targets both ways)
back:
    jal back
    jal forward
    jal t0, back
    j back
    j forward
    jal zero, forward
    jalr a0
    jalr ra, 0(a0)
    jalr ra, 12(a0)
    jalr t0, a1, 0
    jalr t0, -2048(a1)
    jalr t0, 2047(a1)
    jalr 16(zero)
    jalr 0(zero)
    jalr a0, 8(tp)
    jalr a0, 0(tp)
    ret
    jr a0
    jr 8(a0)
    jr 0(zero)
    jr -4(tp)
    jalr zero, 0(zero)
    beq a0, a1, back
    bne a0, a1, forward
    blt a0, a1, back
    bge a0, a1, forward
    bltu a0, a1, back
    bgeu a0, a1, forward
    bgt a0, a1, back
    ble a0, a1, back
    bgtu a0, a1, back
    bleu a0, a1, back
    beqz a0, back
    bnez a0, forward
    bltz a0, back
    bgez a0, forward
    blez a0, back
    bgtz a0, forward
    beq zero, a0, back
    bne zero, a0, back
    bltu zero, a0, back
    bgeu a0, zero, back
    blt zero, zero, back
    bge zero, zero, back
    beq zero, zero, back
    bltu zero, zero, back
forward:

# ---- RV64I: loads and stores; zero- and tp-based addresses get a note
    .irp op, lb,lh,lw,ld,lbu,lhu,lwu
    \op a0, 0(a1)
    \op s1, -2048(sp)
    \op t6, 2047(s0)
    \op a0, 16(zero)
    \op a0, -16(zero)
    \op a0, 24(tp)
    \op a0, -24(tp)
    .endr
    .irp op, sb,sh,sw,sd
    \op a0, 0(a1)
    \op s1, -2048(sp)
    \op t6, 2047(s0)
    \op a0, 16(zero)
    \op a0, -16(tp)
    .endr

# ---- RV64I: register-immediate
    nop
    addi a0, a1, 1
    addi a0, a1, -2048
    addi a0, a1, 2047
    addi a0, tp, 100
    addi a0, tp, -100
    addi zero, a0, 1
    li a0, 0
    li a0, -1
    li a0, 2047
    li zero, 7
    mv a0, a1
    mv a0, tp
    mv zero, a0
    slti a0, a1, -1
    slti a0, zero, 5
    sltiu a0, a1, 2
    sltiu a0, a1, -1
    seqz a0, a1
    xori a0, a1, 5
    xori a0, a1, -2048
    not a0, a1
    ori a0, a1, 5
    ori zero, a0, 0
    andi a0, a1, 5
    andi a0, a1, -1
    andi a0, a1, 254
    zext.b a0, a1
    slli a0, a1, 0
    slli a0, a1, 1
    slli a0, a1, 63
    srli a0, a1, 0
    srli a0, a1, 32
    srli a0, a1, 63
    srai a0, a1, 0
    srai a0, a1, 31
    srai a0, a1, 63
    addiw a0, a1, 1
    addiw a0, a1, -2048
    addiw a0, tp, 8
    addiw a0, zero, 8
    sext.w a0, a1
    sext.w a0, tp
    slliw a0, a1, 0
    slliw a0, a1, 31
    srliw a0, a1, 7
    sraiw a0, a1, 31

# ---- RV64I: register-register
    .irp op, add,sub,sll,slt,sltu,xor,srl,sra,or,and,addw,subw,sllw,srlw,sraw
    \op a0, a1, a2
    \op zero, zero, zero
    .endr
    neg a0, a1
    negw a0, a1
    snez a0, a1
    sltz a0, a1
    sgtz a0, a1
    sltu a0, a1, zero
    slt a0, zero, zero
    add a0, zero, a1
    add a0, a1, zero

# ---- RV64I: fences and system
    fence
    fence iorw, iorw
    fence rw, rw
    fence iorw, ow
    fence r, r
    fence w, w
    fence i, o
    fence io, ir
    fence.tso
    .4byte 0x0100000f       # fence w,0: a succ of 0, what pause encodes
    .4byte 0x0000000f       # fence 0,0
    .4byte 0x0ff0008f       # fence with rd != 0: reserved
    .4byte 0x4ff0000f       # unknown fm
    fence.i
    .4byte 0x0010100f       # fence.i with an immediate: reserved
    ecall
    ebreak
    sret
    mret
    wfi
    .4byte 0x00200073       # uret, N extension
    .4byte 0x20200073       # hret, privileged 1.9
    .4byte 0x7b200073       # dret, debug spec
    .4byte 0x00300073       # ecall-like with imm 3: unknown
    .4byte 0x30200173       # mret with rd != 0: unknown
    sfence.vma
    sfence.vma a0
    sfence.vma a0, a1
    sfence.vma zero, a1
    .4byte 0x10400073       # sfence.vm, privileged 1.9
    .4byte 0x10450073       # sfence.vm a0
    unimp

# ---- M
    .irp op, mul,mulh,mulhsu,mulhu,div,divu,rem,remu,mulw,divw,divuw,remw,remuw
    \op a0, a1, a2
    \op t6, zero, s11
    .endr

# ---- A: every operation, width and ordering
    .irp order, ,.aq,.rl,.aqrl
    lr.w\order a0, (a1)
    lr.d\order t0, (sp)
    sc.w\order a0, a2, (a1)
    sc.d\order t0, t1, (sp)
    .endr
    .irp op, amoswap,amoadd,amoxor,amoand,amoor,amomin,amomax,amominu,amomaxu
    .irp order, ,.aq,.rl,.aqrl
    \op\().w\order a0, a2, (a1)
    \op\().d\order s0, zero, (t6)
    .endr
    .endr
    .4byte 0x1005a52f       # lr.w with rs2 != 0: reserved
    .4byte 0x0805c52f       # amoor with funct3 4: unknown
    .4byte 0x2805252f       # funct5 0x05: unknown

# ---- F and D: loads, stores, arithmetic with every rounding mode
    flw fa0, 0(a1)
    flw ft0, -2048(sp)
    flw fs11, 2047(tp)
    fld fa0, 8(a1)
    fld ft11, -8(zero)
    fsw fa0, 4(a1)
    fsw ft0, -4(tp)
    fsd fa0, 8(a1)
    fsd fs0, 2040(zero)
    .irp p, s,d
    .irp rm, "", ",rne", ",rtz", ",rdn", ",rup", ",rmm", ",dyn"
    fadd.\p fa0, fa1, fa2\rm
    fsub.\p fa0, fa1, fa2\rm
    fmul.\p fa0, fa1, fa2\rm
    fdiv.\p fa0, fa1, fa2\rm
    fsqrt.\p fa0, fa1\rm
    fmadd.\p fa0, fa1, fa2, fa3\rm
    fmsub.\p fa0, fa1, fa2, fa3\rm
    fnmsub.\p fa0, fa1, fa2, fa3\rm
    fnmadd.\p fa0, fa1, fa2, fa3\rm
    fcvt.w.\p a0, fa1\rm
    fcvt.wu.\p a0, fa1\rm
    fcvt.l.\p a0, fa1\rm
    fcvt.lu.\p a0, fa1\rm
    fcvt.\p\().l fa0, a1\rm
    fcvt.\p\().lu fa0, a1\rm
    .endr
    fsgnj.\p fa0, fa1, fa2
    fsgnjn.\p fa0, fa1, fa2
    fsgnjx.\p fa0, fa1, fa2
    fmv.\p fa0, fa1
    fneg.\p fa0, fa1
    fabs.\p fa0, fa1
    fmin.\p fa0, fa1, fa2
    fmax.\p fa0, fa1, fa2
    feq.\p a0, fa1, fa2
    flt.\p a0, fa1, fa2
    fle.\p a0, fa1, fa2
    fgt.\p a0, fa1, fa2
    fge.\p a0, fa1, fa2
    fclass.\p a0, fa1
    .endr
    .irp rm, "", ",rne", ",rtz", ",rdn", ",rup", ",rmm", ",dyn"
    fcvt.s.w fa0, a1\rm
    fcvt.s.wu fa0, a1\rm
    fcvt.s.d fa0, fa1\rm
    .endr
    fcvt.d.w fa0, a1
    fcvt.d.wu fa0, a1
    fcvt.d.s fa0, fa1
    fmv.x.w a0, fa1
    fmv.w.x fa0, a1
    fmv.x.d a0, fa1
    fmv.d.x fa0, a1
    .4byte 0x00c5d553       # fadd.s with rm 5: reserved mode
    .4byte 0x02c5e553       # fadd.d with rm 6: reserved mode
    .4byte 0xd2059553       # fcvt.d.w with rm 1: objdump accepts only 0
    .4byte 0x42059553       # fcvt.d.s with rm 1: objdump accepts only 0
    .4byte 0x58158553       # fsqrt.s with rs2 != 0: reserved
    .4byte 0x04c58553       # fadd.h: Zfh is not RV64GC
    .4byte 0x06c58553       # fadd.q: Q is not RV64GC
    .4byte 0xe005d553       # fmv.x.w with rm 5: reserved

# ---- Zicsr: each form and pseudo-instruction
    csrrw a0, mstatus, a1
    csrrs a0, mstatus, a1
    csrrc a0, mstatus, a1
    csrrwi a0, mstatus, 5
    csrrsi a0, mstatus, 31
    csrrci a0, mstatus, 0
    csrr a0, mstatus
    csrw mstatus, a1
    csrs mstatus, a1
    csrc mstatus, a1
    csrwi mstatus, 5
    csrsi mstatus, 5
    csrci mstatus, 5
    csrr a0, 0x7ff
    csrw 0x123, a0
    frcsr a0
    fscsr a1
    fscsr a0, a1
    frrm a0
    fsrm a1
    fsrm a0, a1
    fsrmi 3
    fsrmi a0, 3
    frflags a0
    fsflags a1
    fsflags a0, a1
    fsflagsi 31
    fsflagsi a0, 31
    rdcycle a0
    rdtime a0
    rdinstret a0
    csrr a0, cycleh
    csrrw zero, cycle, zero # unimp's own encoding
    csrrw zero, cycle, a0

# ---- Zicsr: every CSR number, read and in the full form
    .set csr, 0
    .rept 4096
    csrrs a0, csr, zero
    csrrc a1, csr, a2
    .set csr, csr + 1
    .endr

# ---- C: each compressed instruction under its c. name
    .option rvc
    c.addi4spn a0, sp, 4
    c.addi4spn s0, sp, 1020
    c.fld fa0, 0(a1)
    c.fld fs0, 248(a5)
    c.lw a0, 0(a1)
    c.lw s1, 124(a5)
    c.ld a0, 8(a1)
    c.ld s1, 248(a5)
    c.fsd fa0, 16(a1)
    c.sw a0, 4(a1)
    c.sd a0, 8(a1)
    c.nop
    c.addi a0, 1
    c.addi t6, -32
    c.addi tp, 31
    c.addiw a0, 1
    c.addiw a0, -32
    c.addiw tp, 3
    c.li a0, 0
    c.li ra, -32
    c.li t6, 31
    c.addi16sp sp, 16
    c.addi16sp sp, -512
    c.addi16sp sp, 496
    c.srli a0, 1
    c.srli s1, 63
    c.srai a0, 1
    c.srai s1, 63
    c.andi a0, 0
    c.andi a0, -1
    c.andi s1, 31
    c.sub a0, a1
    c.xor a0, a1
    c.or a0, a1
    c.and a0, a1
    c.subw a0, a1
    c.addw a0, a1
1:  c.j 1b
    c.j 1f
    c.beqz a0, 1b
    c.bnez s1, 1f
1:  c.slli a0, 1
    c.slli t6, 63
    c.fldsp fa0, 0(sp)
    c.fldsp ft11, 504(sp)
    c.lwsp a0, 0(sp)
    c.lwsp t6, 252(sp)
    c.ldsp a0, 8(sp)
    c.ldsp ra, 504(sp)
    c.jr a0
    c.jr ra
    c.mv a0, a1
    c.ebreak
    c.jalr a0
    c.add a0, a1
    c.add t6, tp
    c.fsdsp fa0, 8(sp)
    c.fsdsp fs11, 504(sp)
    c.swsp a0, 4(sp)
    c.swsp t6, 252(sp)
    c.sdsp a0, 8(sp)
    c.sdsp ra, 504(sp)
    c.unimp
    addi a0, a0, 1          # the assembler compresses these on its own
    ld ra, 8(sp)
    ret

# ---- C: HINTs (objdump keeps their c. name) and reserved encodings
    .2byte 0x0005           # c.nop 1
    .2byte 0x1001           # c.nop -32
    .2byte 0x0501           # c.addi a0, 0
    .2byte 0x0201           # c.addi tp, 0
    .2byte 0x4015           # c.li zero, 5
    .2byte 0x6005           # c.lui zero, 1
    .2byte 0x0006           # c.slli zero, 1
    .2byte 0x0502           # c.slli64 a0
    .2byte 0x0002           # c.slli64 zero
    .2byte 0x8101           # c.srli64 a0
    .2byte 0x8501           # c.srai64 a0
    .2byte 0x802e           # c.mv zero, a1
    .2byte 0x902e           # c.add zero, a1
    .2byte 0x6101           # c.addi16sp sp, 0: reserved, objdump prints it anyway
    .2byte 0x0004           # c.addi4spn with 0: reserved
    .2byte 0x2001           # c.addiw zero: reserved
    .2byte 0x6501           # c.lui a0, 0: reserved
    .2byte 0x4002           # c.lwsp zero: reserved
    .2byte 0x6002           # c.ldsp zero: reserved
    .2byte 0x8002           # c.jr zero: reserved
    .2byte 0x9d41           # funct 0b100111-10: reserved
    .2byte 0x9d61           # funct 0b100111-11: reserved
    .2byte 0x8000           # quadrant 0 funct3 4: reserved
    .option norvc

# ---- Zba, Zbb, Zbc, Zbs: every instruction
    .irp op, sh1add,sh2add,sh3add,add.uw,sh1add.uw,sh2add.uw,sh3add.uw,andn,orn,xnor,max,maxu,min,minu,rol,ror,rolw,rorw,clmul,clmulh,clmulr,bclr,bext,binv,bset
    \op a0, a1, a2
    \op zero, t6, s0
    .endr
    zext.w a0, a1
    .irp op, clz,ctz,cpop,clzw,ctzw,cpopw,sext.b,sext.h,zext.h,orc.b,rev8
    \op a0, a1
    \op t6, zero
    .endr
    .irp op, slli.uw,rori,bclri,bexti,binvi,bseti
    \op a0, a1, 0
    \op a0, a1, 31
    \op a0, a1, 63
    .endr
    roriw a0, a1, 0
    roriw a0, a1, 31

# ---- Zfh: every instruction, rounding modes where it has them
    .irp op, fadd.h,fsub.h,fmul.h,fdiv.h
    \op fa0, fa1, fa2
    \op ft0, ft11, fs0, rtz
    .endr
    fsqrt.h fa0, fa1
    fsqrt.h fa0, fa1, rmm
    .irp op, fsgnj.h,fsgnjn.h,fsgnjx.h,fmin.h,fmax.h
    \op fa0, fa1, fa2
    \op fa0, fa1, fa1
    .endr
    .irp op, feq.h,flt.h,fle.h
    \op a0, fa1, fa2
    .endr
    .irp op, fmadd.h,fmsub.h,fnmsub.h,fnmadd.h
    \op fa0, fa1, fa2, fa3
    \op fa0, fa1, fa2, fa3, rdn
    .endr
    .irp op, fcvt.w.h,fcvt.wu.h,fcvt.l.h,fcvt.lu.h
    \op a0, fa1
    \op a0, fa1, rtz
    .endr
    .irp op, fcvt.h.w,fcvt.h.wu,fcvt.h.l,fcvt.h.lu
    \op fa0, a1
    \op fa0, a1, rup
    .endr
    fcvt.s.h fa0, fa1
    fcvt.d.h fa0, fa1
    fcvt.h.s fa0, fa1
    fcvt.h.s fa0, fa1, rtz
    fcvt.h.d fa0, fa1
    fcvt.h.d fa0, fa1, rne
    .4byte 0x40259553       # fcvt.s.h with rm = rtz: reserved in objdump's eyes
    fmv.x.h a0, fa1
    fmv.h.x fa0, a1
    fclass.h a0, fa1
    flh fa0, 2(a1)
    flh fa0, -2048(zero)
    fsh fa0, 2046(a1)

# ---- Zicbom, Zicboz, Zicbop, Zihintpause, Svinval
    .irp op, cbo.clean,cbo.flush,cbo.inval,cbo.zero
    \op (a0)
    \op (zero)
    .endr
    .irp op, prefetch.i,prefetch.r,prefetch.w
    \op 0(a0)
    \op -32(sp)
    \op 2016(zero)
    .endr
    pause
    sinval.vma zero, zero
    sinval.vma a0, zero
    sinval.vma a0, a1
    sfence.w.inval
    sfence.inval.ir
    hinval.vvma a0, a1
    hinval.gvma a0, a1

# ---- Zihintntl and Zicond: newer than binutils 2.40, which prints the base
# ---- instruction or a word (disasm_compare.c lists each)
    .4byte 0x00200033       # ntl.p1
    .4byte 0x00300033       # ntl.pall
    .4byte 0x00400033       # ntl.s1
    .4byte 0x00500033       # ntl.all

# ---- unknown 32-bit encodings
    .4byte 0x0000000b       # custom-0
    .4byte 0x0000002b       # custom-1
    .4byte 0x0000005b       # custom-2
    .4byte 0x0000007b       # custom-3
    .4byte 0x00002063       # branch funct3 2
    .4byte 0x00007003       # load funct3 7
    .4byte 0x00004023       # store funct3 4
    .4byte 0x00001067       # jalr funct3 1
    .4byte 0x00004073       # system funct3 4
    .4byte 0x02001013       # slli with shamt bit 6 set: RV128 only
    .4byte 0x0200101b       # slliw with shamt bit 5 set: reserved
    .4byte 0x00000057       # OP-V: V is not RV64GC

# ---- the sweeps (sweeps.inc)
    .include "sweeps.inc"

# ---- lui, auipc and c.lui, with nothing after them reading their rd
    lui a0, 0
    lui a0, 0x12345
    lui t6, 0xfffff
    lui zero, 1
    auipc a0, 0
    auipc ra, 0x80000
    auipc zero, 0xfffff
    .option rvc
    c.lui a0, 1
    c.lui t6, 0x1f
    c.lui s0, 0xfffe0
    .option norvc

# ---- objdump's stateful address notes; listed in disasm_compare.c
    lui a0, 0x12345
    addi a1, a0, 0x678
    lui a0, 0x80
    addiw a1, a0, -1
    lui a0, 0x12345
    ld a2, 16(a0)
    lui a0, 0x12345
    sw a2, -4(a0)
    lui t1, 0x40000
    jalr 8(t1)
    .option rvc
    c.lui s0, 1
    c.addi s0, 5
    .option norvc
    .option pop
