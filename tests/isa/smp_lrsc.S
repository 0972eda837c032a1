/* smp_lrsc.S: a reservation and another hart's store (run with -smp 4):
 * hart 1 stores to X between hart 0's lr.d and sc.d, so the sc.d fails and
 * X keeps hart 1's value (unprivileged spec, Zalrsc: an SC must fail when
 * another hart's store to the reservation set can be observed between the
 * LR and the SC). A clean LR/SC then succeeds within a few tries; an SC
 * without a reservation fails. */
#include "common.h"

#define X_INIT   0x1111111111111111
#define X_HART1  0x2222222222222222
#define X_SC     0x3333333333333333
#define X_NO_LR  0x4444444444444444

TEST_BEGIN
        la s0, x
        la s1, go
        la s2, stored
        li t0, X_INIT
        sd t0, 0(s0)
        li t0, CLINT_MSIP
        li t1, 1
        sw t1, 4(t0)

        /* Only a store to another line, loads and PAUSEs between the LR
         * and the SC; a spin count, not mtime, bounds the wait. */
        li s3, 50000000
        lr.d s4, (s0)
        li t0, 1
        sw t0, 0(s1)
1:      lw t0, 0(s2)
        bnez t0, 2f
        SPIN_HINT
        addi s3, s3, -1
        bnez s3, 1b
2:      li t1, X_SC
        sc.d s5, t1, (s0)
        CHECK_NZ(s3, "hart 1's store seen before the sc (timed out)")
        li t0, X_INIT
        CHECKR(t0, s4, "lr.d value")
        CHECK_NZ(s5, "sc.d after hart 1's store to x fails")
        fence r, r
        ld t0, 0(s0)
        li t1, X_HART1
        CHECKR(t1, t0, "x holds hart 1's value")

        /* On ember a reservation does not outlive its hart's turn, and on
         * QEMU another hart may interrupt: retry, but not forever. */
        li s3, 100
3:      lr.d t0, (s0)
        addi t0, t0, 1
        sc.d t1, t0, (s0)
        beqz t1, 4f
        addi s3, s3, -1
        bnez s3, 3b
        CHECK(0, t1, "clean lr/sc loop (100 tries)")
4:      ld t0, 0(s0)
        li t1, X_HART1 + 1
        CHECKR(t1, t0, "x after the clean lr/sc")

        /* the successful sc.d used up the reservation */
        li t1, X_NO_LR
        sc.d t2, t1, (s0)
        CHECK_NZ(t2, "sc.d without lr.d fails")
        ld t0, 0(s0)
        li t1, X_HART1 + 1
        CHECKR(t1, t0, "x after the failed sc.d")
        TEST_PASS

/* hart 1: once hart 0 holds its reservation, store to x and say so */
        .globl hart_entry
hart_entry:
        call hart_setup
        call hart_ack_ipi
        la t0, go
1:      lw t1, 0(t0)
        bnez t1, 2f
        SPIN_HINT
        j 1b
2:      fence r, rw
        la t0, x
        li t1, X_HART1
        sd t1, 0(t0)
        fence rw, w
        la t0, stored
        li t1, 1
        sw t1, 0(t0)
        csrw mie, zero
3:      wfi
        j 3b

        .data
        .align 6
x:      .dword 0
        .align 6
go:     .word 0
        .align 6
stored: .word 0
