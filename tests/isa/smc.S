/* smc.S: self-modifying code: stores to instructions then fence.i run the
 * new code, also for code already executed (and cached by the emulator). */
#include "common.h"

#define LI_A0(imm)   (((imm) << 20) | 0x513)    /* addi a0, zero, imm */
#define C_LI_A0(imm) (0x4501 | ((imm) << 2))    /* c.li a0, imm (0..31) */

TEST_BEGIN
        .option push
        .option norvc
        /* 1. a function run once, patched, fence.i, run again */
        call smc_fn
        CHECK(1, a0, "smc_fn original")
        la t0, smc_fn
        li t1, LI_A0(2)
        sw t1, 0(t0)
        fence.i
        call smc_fn
        CHECK(2, a0, "smc_fn after patch + fence.i")

        /* 2. patched without fence.i: old or new may run (unpriv 3.1:
         * only fence.i guarantees it); after fence.i the new one must */
        li t1, LI_A0(3)
        sw t1, 0(t0)
        call smc_fn
        li t1, 2
        beq a0, t1, 1f
        CHECK(3, a0, "smc_fn without fence.i (2 or 3)")
1:      fence.i
        call smc_fn
        CHECK(3, a0, "smc_fn after fence.i")

        /* 3. patching the instruction just ahead, in the same straight-line
         * code, several times: each pass must see its own value */
        li s2, 10
        li s3, 13
loop3:  la t0, patch3
        slli t1, s2, 20
        ori t1, t1, 0x513
        sw t1, 0(t0)
        fence.i
patch3: addi a0, zero, 0
        CHECKR(s2, a0, "patched instruction ahead")
        addi s2, s2, 1
        bne s2, s3, loop3

        /* 4. a compressed instruction replaced by a halfword store */
        call smc_c
        CHECK(1, a0, "smc_c original")
        la t0, smc_c
        li t1, C_LI_A0(7)
        sh t1, 0(t0)
        fence.i
        call smc_c
        CHECK(7, a0, "smc_c after patch")

        /* 5. replacing a 32-bit instruction by two compressed ones */
        la t0, smc_fn
        li t1, C_LI_A0(9) | (0x0505 << 16)      /* c.li a0, 9; c.addi a0, 1 */
        sw t1, 0(t0)
        fence.i
        call smc_fn
        CHECK(10, a0, "32-bit replaced by two 16-bit")

        /* 6. the same instruction ahead, without fence.i, then with it:
         * the program keeps running correctly either way */
        li s2, 0
loop6:  la t0, patch6
        li t1, LI_A0(21)
        sw t1, 0(t0)
patch6: addi a0, zero, 20
        li t1, 20
        beq a0, t1, 2f
        CHECK(21, a0, "patch ahead without fence.i (20 or 21)")
2:      fence.i
        la t0, patch6
        li t1, LI_A0(20)
        sw t1, 0(t0)
        fence.i
        addi s2, s2, 1
        li t1, 3
        bne s2, t1, loop6
        .option pop
        TEST_PASS

        .option push
        .option norvc
        .balign 4
smc_fn: addi a0, zero, 1
        ret
        .option rvc
        .balign 4
smc_c:  c.li a0, 1
        c.jr ra
        .option pop
