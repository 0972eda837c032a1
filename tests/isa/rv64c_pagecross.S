/* rv64c_pagecross.S: 32-bit instructions that straddle a 4 KiB page
 * boundary (at page_end - 2), reached by fall-through and by a jump. */
#include "common.h"

TEST_BEGIN
        li a0, 0
        li a1, 0
        /* fall into the padding: c.nops up to page_end - 2 */
        j pad_start
after1:
        CHECK(1, a0, "straddling addi by fall-through")
        CHECK(0x12345000, a1, "straddling lui")
        /* jump straight to the straddling instruction */
        li a0, 10
        li a1, 0
        j straddle1
after2:
        CHECK(11, a0, "straddling addi by jump")
        /* and a straddling jal whose link must be its pc + 4 */
        j straddle3
after3:
        CHECK_ADDR(straddle3 + 4, a2, "straddling jal link")
        TEST_PASS

        .balign 4096
        .option push
        .option rvc
        .fill 16, 2, 0x0001                   /* c.nop */
pad_start:
        .fill (4096 - 32 - 2) / 2, 2, 0x0001
        .option norvc
straddle1:
        addi a0, a0, 1                        /* bytes 4094..4097 */
        lui a1, 0x12345
        bnez a1, after1x
        j after2
after1x:
        li t0, 1
        bne a0, t0, after2
        j after1

        .balign 4096
        .fill (4096 - 2) / 2, 2, 0x0001
straddle3:
        jal a2, after3
        .option pop
