/* fp_loop.S: double-precision benchmark: a counted loop of dependent adds,
 * multiplies and fused multiply-adds in round-to-nearest (the common case),
 * the FP twin of int_loop.S; exits through HTIF. */

/*
 * Dynamic instruction count, exact: 8 * ITERS + 11
 *   prologue  7  (li, csrs, fmv.d.x, fcvt.d.l, fmv.d.x, lui, addi)
 *   loop      8 per iteration (6 FP ops, addi, bnez), ITERS iterations
 *   exit      4  (addi, auipc, addi, sd to tohost)
 * Default ITERS = 250000000: 2000000011 instructions.
 * The values stay finite and normal (x alternates between 0 and 8192, y
 * settles near 1/8191), so every op takes the fast path.
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
    li      t1, 1 << 13             /* mstatus.FS = Initial */
    csrs    mstatus, t1
    fmv.d.x ft0, zero               /* x = 0 */
    fcvt.d.l ft1, t1                /* a constant > 1 */
    fmv.d.x ft2, zero               /* y = 0 */
    lui     t0, %hi(ITERS)
    addi    t0, t0, %lo(ITERS)
loop:
    fadd.d  ft0, ft0, ft1
    fmul.d  ft3, ft0, ft0
    fdiv.d  ft4, ft1, ft3
    fmadd.d ft2, ft4, ft1, ft2
    fsub.d  ft0, ft0, ft1
    fmul.d  ft2, ft2, ft4
    addi    t0, t0, -1
    bnez    t0, loop

    HTIF_EXIT_0

    HTIF_MAILBOX
