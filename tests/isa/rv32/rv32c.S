/* rv32c.S: the compressed forms RV32 has where RV64 has others (unpriv
 * 16.8): c.jal (c.addiw's encoding), c.flw, c.fsw, c.flwsp, c.fswsp (c.ld,
 * c.sd, c.ldsp, c.sdsp's), and the common ones on 32-bit registers. */
#include "common.h"
#include "fp.h"

TEST_BEGIN
        FP_ON
        /* c.jal links ra = pc + 2 */
        .option push
        .option rvc
        c.jal 1f
2:      FAIL("c.jal fell through")
1:      la a1, 2b
        CHECKR(a1, ra, "c.jal link")

        la s0, data
        c.lw a0, 0(s0)
        CHECK(0x80000001, a0, "c.lw sign")
        c.flw fa0, 4(s0)
        fmv.x.w a1, fa0
        CHECK(0x3f800000, a1, "c.flw")
        c.fsw fa0, 8(s0)
        lw a1, 8(s0)
        CHECK(0x3f800000, a1, "c.fsw")

        /* the sp-relative forms, with sp on the data */
        mv s1, sp
        mv sp, s0
        c.flwsp fa1, 4(sp)
        fmv.x.w a1, fa1
        CHECK(0x3f800000, a1, "c.flwsp")
        c.fswsp fa1, 12(sp)
        c.lwsp a2, 12(sp)
        CHECK(0x3f800000, a2, "c.fswsp/c.lwsp")
        mv sp, s1

        /* arithmetic wraps at 32 bits */
        li a0, 0x7fffffff
        c.addi a0, 1
        CHECK(0x80000000, a0, "c.addi wrap")
        c.srai a0, 31
        CHECK(0xffffffff, a0, "c.srai")
        c.srli a0, 31
        CHECK(1, a0, "c.srli")
        c.slli a0, 31
        CHECK(0x80000000, a0, "c.slli")
        li a1, 0x80000000
        c.add a0, a1
        CHECK(0, a0, "c.add wrap")
        c.lui a0, 0xfffff
        CHECK(0xfffff000, a0, "c.lui")
        li a0, 0
        li a1, 1
        c.sub a0, a1
        CHECK(0xffffffff, a0, "c.sub")
        .option pop
        TEST_PASS

        .data
        .align 3
data:   .word 0x80000001, 0x3f800000, 0, 0
