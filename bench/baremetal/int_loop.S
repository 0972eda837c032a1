/* int_loop.S: integer benchmark: a counted loop of adds, xors and shifts with
 * no memory accesses, measuring raw dispatch speed; exits through HTIF. */

/*
 * Dynamic instruction count, exact: 8 * ITERS + 8
 *   prologue  4  (2 x addi, lui, addi)
 *   loop      8 per iteration (6 ALU ops, addi, bnez), ITERS iterations
 *   exit      4  (addi, auipc, addi, sd to tohost)
 * Default ITERS = 250000000: 2000000008 instructions.
 * ITERS must be in 1 .. 0x7ffff7ff so that lui + addi builds it exactly.
 */
#include "htif.h"

#ifndef ITERS
#define ITERS 250000000
#endif

    .option norvc
    .option norelax
    .text
    .globl _start
_start:
    li      a1, 1
    li      a2, 2
    lui     t0, %hi(ITERS)
    addi    t0, t0, %lo(ITERS)
loop:
    add     a1, a1, a2
    xor     a2, a2, a1
    slli    a3, a1, 3
    srli    a4, a2, 5
    add     a1, a1, a4
    xor     a2, a2, a3
    addi    t0, t0, -1
    bnez    t0, loop

    HTIF_EXIT_0

    HTIF_MAILBOX
