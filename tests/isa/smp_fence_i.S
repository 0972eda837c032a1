/* smp_fence_i.S: code written by another hart (run with -smp 4): hart 1
 * writes a function into RAM, hart 0 runs it after fence.i; hart 1 then
 * rewrites one instruction of it and hart 0, after fence.i again, runs the
 * new one, not what it ran (and may have cached) before. fence.i orders
 * only the executing hart's fetches (unprivileged spec, Zifencei), so hart 0
 * needs it after seeing hart 1's flag; ember does not, QEMU does. */
#include "common.h"

#define LI_A0_42  0x02a00513    /* addi a0, zero, 42 */
#define LI_A0_43  0x02b00513    /* addi a0, zero, 43 */
#define RET       0x00008067    /* jalr zero, 0(ra) */

TEST_BEGIN
        la s0, written
        la s1, ran
        la s2, code
        li t0, CLINT_MSIP
        li t1, 1
        sw t1, 4(t0)

        WAIT_W(s0, 1, "first version written")
        fence.i
        /* three calls: the later ones may come from ember's caches */
        li s3, 3
1:      li a0, 0
        jalr s2
        CHECK(42, a0, "first version returns 42")
        addi s3, s3, -1
        bnez s3, 1b

        fence rw, w
        li t0, 1
        sw t0, 0(s1)
        WAIT_W(s0, 2, "second version written")
        fence.i
        li a0, 0
        jalr s2
        CHECK(43, a0, "rewritten version returns 43")
        TEST_PASS

/* hart 1: write the function, wait until hart 0 ran it, rewrite its first
 * instruction */
        .globl hart_entry
hart_entry:
        call hart_setup
        call hart_ack_ipi

        la t0, code
        li t1, LI_A0_42
        sw t1, 0(t0)
        li t1, RET
        sw t1, 4(t0)
        fence w, w
        la t2, written
        li t1, 1
        sw t1, 0(t2)

        la t3, ran
1:      lw t1, 0(t3)
        bnez t1, 2f
        SPIN_HINT
        j 1b
2:      fence r, rw
        li t1, LI_A0_43
        sw t1, 0(t0)
        fence w, w
        li t1, 2
        sw t1, 0(t2)
        csrw mie, zero
3:      wfi
        j 3b

        .data
        .align 6
written: .word 0
        .align 6
ran:    .word 0

        .bss
        .align 12
code:   .space 64
