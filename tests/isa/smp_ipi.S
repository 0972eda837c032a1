/* smp_ipi.S: machine software interrupts between harts (run with -smp 4):
 * hart 0's msip writes wake harts 1-3 from start.S's WFI, and their msip
 * writes wake hart 0 from its WFI, with mstatus.MIE = 0 (no trap). */
#include "common.h"

#define IPIS    3
/* 0.2 ms at 10 MHz: on QEMU the harts run in parallel; the wait lets
 * hart 0 reach its WFI before the IPI lands */
#define IPI_DELAY  2000

TEST_BEGIN
        li s0, CLINT_MSIP
        la s1, token
        CLEAR_TRAP_COUNT

        li t0, 1
        sw t0, 4(s0)
        sw t0, 8(s0)
        sw t0, 12(s0)

        /* The timer only bounds the wait: a lost IPI fails instead of
         * sleeping forever. 1 s at 10 MHz. */
        li t0, CLINT_MTIME
        ld t1, 0(t0)
        li t2, 10000000
        add t1, t1, t2
        li t0, CLINT_MTIMECMP
        sd t1, 0(t0)
        li t0, MIP_MSIP | MIP_MTIP
        csrw mie, t0

        /* The token lets one secondary send one IPI; hart 0 hands it out
         * again only after that IPI woke it and it cleared its msip, so
         * IPIs never merge and each ends a WFI of its own. On ember,
         * without the token, each secondary would run (and answer) as soon
         * as hart 0 set its msip, before hart 0 ever reached a WFI.
         * s2 counts the IPIs, s4 the real sleeps: WFIs entered with
         * nothing pending, left with the IPI, that lasted (the secondary
         * took the token after hart 0's mtime read, and waits IPI_DELAY;
         * a busy-polling hart 0 would see the IPI between two reads
         * nanoseconds apart). */
        li s2, 0
        li s4, 0
        li s7, CLINT_MTIME
1:      li t0, 1
        sw t0, 0(s1)
2:      ld s6, 0(s7)
        csrr s5, mip
        wfi
        csrr s3, mip
        ld s8, 0(s7)
        andi t0, s3, MIP_MSIP
        bnez t0, 3f
        andi t0, s3, MIP_MTIP
        beqz t0, 2b
        CHECK(IPIS, s2, "IPIs that woke hart 0 (timed out)")
3:      addi s2, s2, 1
        andi t0, s5, MIP_MSIP | MIP_MTIP
        bnez t0, 4f
        sub t0, s8, s6
        li t1, IPI_DELAY / 2
        bltu t0, t1, 4f
        addi s4, s4, 1
4:      sw zero, 0(s0)
        fence o, rw
        li t0, IPIS
        bne s2, t0, 1b

        CHECK_NZ(s4, "WFIs that slept until an IPI")
        li t0, CLINT_MTIMECMP
        li t1, -1
        sd t1, 0(t0)
        csrw mie, zero
        TRAP_FIELD(t0, TI_COUNT)
        CHECK(0, t0, "no trap with MIE = 0")

        /* each secondary set its bit (after clearing its msip) before it
         * took the token */
        la t0, hart_mask
        lw t0, 0(t0)
        CHECK(0xe, t0, "mask of woken harts")
        fence r, i
        lw t0, 4(s0)
        CHECK(0, t0, "msip[1] cleared by hart 1")
        lw t0, 8(s0)
        CHECK(0, t0, "msip[2] cleared by hart 2")
        lw t0, 12(s0)
        CHECK(0, t0, "msip[3] cleared by hart 3")

        /* start.S passed each its mhartid in a0 */
        la s1, entry_a0
        ld t0, 8(s1)
        CHECK(1, t0, "hart 1's a0 at hart_entry")
        ld t0, 16(s1)
        CHECK(2, t0, "hart 2's a0 at hart_entry")
        ld t0, 24(s1)
        CHECK(3, t0, "hart 3's a0 at hart_entry")
        TEST_PASS

/* harts 1-3: clear the own msip, set the own bit in hart_mask, take the
 * token, wake hart 0, park */
        .globl hart_entry
hart_entry:
        call hart_setup
        csrr t0, mhartid
        la t1, entry_a0
        slli t2, t0, 3
        add t1, t1, t2
        sd a0, 0(t1)
        li t1, CLINT_MSIP
        slli t2, t0, 2
        add t1, t1, t2
        sw zero, 0(t1)
        fence iorw, iorw
        li t2, 1
        sll t2, t2, t0
        la t1, hart_mask
        amoor.w.aqrl zero, t2, (t1)

        la t1, token
1:      lw t2, 0(t1)
        bnez t2, 2f
        SPIN_HINT
        j 1b
2:      amoswap.w.aqrl t2, zero, (t1)
        beqz t2, 1b

        li t1, CLINT_MTIME
        ld t2, 0(t1)
        addi t2, t2, IPI_DELAY
3:      SPIN_HINT
        ld t3, 0(t1)
        bltu t3, t2, 3b

        fence iorw, iorw
        li t1, CLINT_MSIP
        li t2, 1
        sw t2, 0(t1)
        csrw mie, zero
4:      wfi
        j 4b

        .data
        .align 3
entry_a0:       .dword -1, -1, -1, -1
        .align 6
hart_mask:      .word 0
        .align 6
token:          .word 0
