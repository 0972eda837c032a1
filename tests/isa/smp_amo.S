/* smp_amo.S: atomicity between harts (run with -smp 4): all four harts add
 * to shared counters 2000 times each with amoadd.w, amoadd.d, an LR/SC
 * loop, and plain ld/add/sd under an amoswap spinlock; no update is lost. */
#include "common.h"

#define ROUNDS  2000
#define HARTS   4
/* amoadd.d's addend reaches the upper word; amoadd.w's counter starts near
 * 2^32, so it wraps, and must leave the word after it alone */
#define D_ADDEND  0x100000001
#define W_START   0xfffff000

/* offsets into counters */
#define CNT_W        0
#define CNT_W_GUARD  4
#define CNT_D        8
#define LOCK         16
#define CNT_LOCKED   24
#define CNT_LRSC     32

TEST_BEGIN
        li t0, CLINT_MSIP
        li t1, 1
        sw t1, 4(t0)
        sw t1, 8(t0)
        sw t1, 12(t0)

        call amo_work

        la s0, done
        WAIT_W(s0, HARTS - 1, "harts done")

        la s0, counters
        lwu t0, CNT_W(s0)
        CHECK((W_START + HARTS * ROUNDS) & 0xffffffff, t0, "amoadd.w total")
        lwu t0, CNT_W_GUARD(s0)
        CHECK(0x5a5a5a5a, t0, "word after amoadd.w's")
        ld t0, CNT_D(s0)
        CHECK(HARTS * ROUNDS * D_ADDEND, t0, "amoadd.d total")
        ld t0, CNT_LOCKED(s0)
        CHECK(HARTS * ROUNDS, t0, "spinlock-protected total")
        lw t0, LOCK(s0)
        CHECK(0, t0, "lock released")
        ld t0, CNT_LRSC(s0)
        CHECK(HARTS * ROUNDS, t0, "lr/sc total")
        TEST_PASS

        .globl hart_entry
hart_entry:
        call hart_setup
        call hart_ack_ipi
        call amo_work
        la t0, done
        li t1, 1
        amoadd.w.aqrl zero, t1, (t0)
        csrw mie, zero
1:      wfi
        j 1b

/* amo_work(): ROUNDS rounds of amoadd.w, amoadd.d and the LR/SC
 * increment, then ROUNDS of the locked one: in one loop, the lock would
 * line ember's harts up so that their LR/SC windows never overlap.
 * Clobbers t0-t6, a1-a3. */
amo_work:
        la a1, counters
        addi a2, a1, LOCK
        addi a3, a1, CNT_LRSC
        li t5, D_ADDEND
        li t6, ROUNDS
1:      li t0, 1
        amoadd.w zero, t0, (a1)         /* CNT_W */
        addi t1, a1, CNT_D
        amoadd.d zero, t5, (t1)

        /* A PAUSE inside the first try: on ember the other harts then
         * update the counter between this LR and SC, which must fail. The
         * retry has none, so it is a constrained LR/SC loop (unprivileged
         * spec, Zalrsc) and eventually succeeds. */
        lr.d t2, (a3)
        SPIN_HINT
        j 3f
2:      lr.d t2, (a3)
3:      addi t2, t2, 1
        sc.d t4, t2, (a3)
        bnez t4, 2b

        addi t6, t6, -1
        bnez t6, 1b

        li t6, ROUNDS
        li t0, 1
        /* test-and-test-and-set: spin on plain loads, a PAUSE between */
4:      amoswap.w.aq t1, t0, (a2)
        beqz t1, 6f
5:      SPIN_HINT
        lw t1, 0(a2)
        bnez t1, 5b
        j 4b
        /* The PAUSE inside passes ember's turn on with the lock held, so
         * the other harts find it taken, on every round. */
6:      ld t2, CNT_LOCKED(a1)
        SPIN_HINT
        addi t2, t2, 1
        sd t2, CNT_LOCKED(a1)
        amoswap.w.rl zero, zero, (a2)
        addi t6, t6, -1
        bnez t6, 4b
        ret

        .data
        .align 6
counters:
        .word W_START, 0x5a5a5a5a
        .dword 0
        .word 0, 0
        .dword 0
        .dword 0
done:   .word 0
