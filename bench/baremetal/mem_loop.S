/* mem_loop.S: memory benchmark: passes over a 64 KiB buffer, each 32-byte
 * step loading, mixing and storing four doublewords; exits through HTIF. */

/*
 * Dynamic instruction count, exact: 28675 * PASSES + 11
 *   prologue  7  (auipc, addi, lui, add, lui, addi, addi)
 *   per pass  1 (mv) + 2048 steps * 14 + 2 (addi, bnez) = 28675
 *             a step: 4 ld, 4 ALU ops, 4 sd, addi, bne (8 of 14 touch memory)
 *   exit      4  (addi, auipc, addi, sd to tohost)
 * Default PASSES = 40000: 1147000011 instructions, 655 M memory accesses.
 * PASSES must be in 1 .. 0x7ffff7ff so that lui + addi builds it exactly.
 */
#include "htif.h"

#ifndef PASSES
#define PASSES 40000
#endif

#define BUFFER_SIZE 65536

    .option norvc
    .option norelax
    .text
    .globl _start
_start:
    la      s0, buffer
    lui     t6, %hi(BUFFER_SIZE)
    add     s1, s0, t6              /* s1 = end of the buffer */
    lui     s2, %hi(PASSES)
    addi    s2, s2, %lo(PASSES)
    li      s3, 5
pass:
    mv      a0, s0
step:
    ld      t1, 0(a0)
    ld      t2, 8(a0)
    ld      t3, 16(a0)
    ld      t4, 24(a0)
    add     t1, t1, s3
    add     t2, t2, t1
    xor     t3, t3, t2
    add     t4, t4, t3
    sd      t1, 0(a0)
    sd      t2, 8(a0)
    sd      t3, 16(a0)
    sd      t4, 24(a0)
    addi    a0, a0, 32
    bne     a0, s1, step
    addi    s2, s2, -1
    bnez    s2, pass

    HTIF_EXIT_0

    HTIF_MAILBOX

    .bss
    .balign 4096
buffer:
    .space  BUFFER_SIZE
