/* steps.S: one instruction of each kind gdb's stepi must take exactly once:
 * a compressed one, one straddling a page boundary, a load that faults (the
 * step ends at the trap handler), ecall, and wfi with nothing pending. The
 * labels name where each step must land (tests/gdb/gdb-test). */
#include "htif.h"

        .section .text.init
        .globl _start
_start:
        la t0, trap
        csrw mtvec, t0
        .globl compressed
compressed:
        c.addi a0, 1
        .globl after_c
after_c:
        addi a1, a0, 1
        .globl after_addi
after_addi:
        j straddle

        .balign 4 /* mtvec's base */
        .globl trap
trap:
        csrr t1, mcause
        csrr t2, mepc
        addi t2, t2, 4
        csrw mepc, t2
        mret

        .option push
        .option norvc
        /* Two bytes before the page ends: the addi below straddles it. */
        .org 0xffe
        .globl straddle
straddle:
        addi a2, a2, 7
        .globl fault_load
fault_load:
        ld t4, 0(zero)
        .globl after_fault
after_fault:
        ecall
        .globl after_ecall
after_ecall:
        wfi
        .globl after_wfi
after_wfi:
        nop
        .globl done
done:
        li a0, 0
        call htif_exit
        .option pop
