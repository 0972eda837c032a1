/* rv64c.S: every RV64C integer instruction written as an explicit c.
 * mnemonic: results, immediates at their range ends, c.jalr link = pc + 2. */
#include "common.h"

TEST_BEGIN
        .option push
        .option rvc
        /* c.li / c.lui: 6-bit signed immediates */
        c.li a0, -32
        CHECK(-32, a0, "c.li -32")
        c.li a0, 31
        CHECK(31, a0, "c.li 31")
        c.lui a1, 0x1f
        CHECK(0x1f000, a1, "c.lui 0x1f")
        c.lui a1, 0xfffe0                     /* nzimm = -32 */
        CHECK(0xfffffffffffe0000, a1, "c.lui -32")
        c.lui a1, 1
        CHECK(0x1000, a1, "c.lui 1")

        /* c.addi / c.addiw / c.nop */
        c.li a0, 0
        c.addi a0, -32
        CHECK(-32, a0, "c.addi -32")
        c.addi a0, 31
        CHECK(-1, a0, "c.addi 31")
        c.nop
        CHECK(-1, a0, "c.nop")
        li a0, 0x7fffffff
        c.addiw a0, 1
        CHECK(0xffffffff80000000, a0, "c.addiw overflow")
        li a0, 0x12345678ffffffff
        c.addiw a0, 0                         /* sext.w */
        CHECK(-1, a0, "c.addiw 0")
        li a0, 5
        c.addiw a0, -32
        CHECK(-27, a0, "c.addiw -32")

        /* stack-pointer forms: c.addi16sp, c.addi4spn */
        mv s2, sp
        la sp, buf + 512
        c.addi16sp sp, -512
        la a0, buf
        CHECKR(a0, sp, "c.addi16sp -512")
        c.addi16sp sp, 496
        la a0, buf + 496
        CHECKR(a0, sp, "c.addi16sp 496")
        la sp, buf
        c.addi4spn a0, sp, 1020
        la a1, buf + 1020
        CHECKR(a1, a0, "c.addi4spn 1020")
        c.addi4spn s1, sp, 4
        la a1, buf + 4
        CHECKR(a1, s1, "c.addi4spn 4")

        /* c.sdsp/c.ldsp, c.swsp/c.lwsp at offset 0 and the maxima */
        li a0, 0x8877665544332211
        c.sdsp a0, 0(sp)
        c.sdsp a0, 504(sp)
        c.ldsp a1, 504(sp)
        CHECK(0x8877665544332211, a1, "c.ldsp 504")
        ld a1, 0(sp)
        CHECK(0x8877665544332211, a1, "c.sdsp 0")
        li a0, 0x80000001
        c.swsp a0, 252(sp)
        c.lwsp a1, 252(sp)
        CHECK(0xffffffff80000001, a1, "c.lwsp sign-extends")
        c.lwsp a1, 4(sp)
        CHECK(0xffffffff88776655, a1, "c.lwsp 4")
        c.ldsp ra, 0(sp)                      /* rd = ra is fine */
        CHECK(0x8877665544332211, ra, "c.ldsp ra")
        mv sp, s2

        /* c.sd/c.ld, c.sw/c.lw with the 3-bit registers */
        la s0, buf
        li a0, 0x0123456789abcdef
        c.sd a0, 248(s0)
        c.ld a1, 248(s0)
        CHECK(0x0123456789abcdef, a1, "c.ld 248")
        c.sd a0, 0(s0)
        c.lw a2, 4(s0)
        CHECK(0x01234567, a2, "c.lw 4")
        c.lw a2, 0(s0)
        CHECK(0xffffffff89abcdef, a2, "c.lw sign-extends")
        li a3, 0x55aa55aa
        c.sw a3, 124(s0)
        lwu a4, 124(s0)
        CHECK(0x55aa55aa, a4, "c.sw 124")
        c.lw a5, 124(s0)
        CHECK(0x55aa55aa, a5, "c.lw 124")

        /* shifts: 6-bit shift amounts */
        li a0, 1
        c.slli a0, 63
        CHECK(0x8000000000000000, a0, "c.slli 63")
        c.srli a0, 63
        CHECK(1, a0, "c.srli 63")
        li a0, 0x8000000000000000
        c.srai a0, 63
        CHECK(-1, a0, "c.srai 63")
        li a0, 0x8000000000000000
        c.srli a0, 1
        CHECK(0x4000000000000000, a0, "c.srli 1")
        li a0, 0x8000000000000000
        c.srai a0, 1
        CHECK(0xc000000000000000, a0, "c.srai 1")
        li a0, 3
        c.slli a0, 1
        CHECK(6, a0, "c.slli 1")

        /* c.andi: sign-extended 6-bit immediate */
        li a0, -1
        c.andi a0, -32
        CHECK(-32, a0, "c.andi -32")
        li a0, 0xff
        c.andi a0, 31
        CHECK(31, a0, "c.andi 31")
        c.andi a0, 0
        CHECK(0, a0, "c.andi 0")

        /* register-register */
        li a0, 10
        li a1, 3
        c.sub a0, a1
        CHECK(7, a0, "c.sub")
        li a0, 0xff00
        li a1, 0x0ff0
        c.xor a0, a1
        CHECK(0xf0f0, a0, "c.xor")
        li a0, 0xff00
        c.or a0, a1
        CHECK(0xfff0, a0, "c.or")
        li a0, 0xff00
        c.and a0, a1
        CHECK(0x0f00, a0, "c.and")
        li a0, 0x80000000
        li a1, 1
        c.subw a0, a1
        CHECK(0x7fffffff, a0, "c.subw")
        li a0, 0
        c.subw a0, a1
        CHECK(-1, a0, "c.subw -1")
        li a0, 0x7fffffff
        c.addw a0, a1
        CHECK(0xffffffff80000000, a0, "c.addw")
        li t3, 40
        li t4, 2
        c.add t3, t4                          /* any x register */
        CHECK(42, t3, "c.add")
        c.mv t5, t3
        CHECK(42, t5, "c.mv")
        li a0, 0
        c.mv a0, sp
        CHECKR(sp, a0, "c.mv from sp")

        /* c.j forwards and backwards */
        li a0, 0
        c.j 2f
1:      c.li a0, 9
        c.j 3f
2:      c.j 1b
3:      CHECK(9, a0, "c.j back")

        /* c.beqz / c.bnez, taken and not taken */
        li s0, 0
        c.beqz s0, 4f
        FAIL("c.beqz 0 not taken")
4:      c.bnez s0, 5f
        li s1, 1
        c.bnez s1, 6f
5:      FAIL("c.bnez")
6:      c.beqz s1, 5b
        li s1, -1
        c.j 8f
7:      c.li a0, 11
        c.j 9f
8:      c.bnez s1, 7b                         /* backwards */
        FAIL("c.bnez back")
9:      CHECK(11, a0, "c.bnez back")

        /* c.jr; c.jalr writes ra = pc + 2 (unpriv 16.4) */
        la t0, 10f
        c.jr t0
        FAIL("c.jr")
10:     la t0, 11f
jalr_at:
        c.jalr t0
        FAIL("c.jalr")
11:     CHECK_ADDR(jalr_at + 2, ra, "c.jalr link")
        /* c.jr ra returns from a call */
        li a0, 4
        call double_c
        CHECK(8, a0, "c.jr ra")
        .option pop
        TEST_PASS

        .option push
        .option rvc
double_c:
        c.add a0, a0
        c.jr ra
        .option pop

        .data
        .align 4
buf:    .space 1024
