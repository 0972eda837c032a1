/* start.S: entry of ember's bare-metal guests (M-mode): parks extra harts,
 * turns the FPU on, sets up gp, sp and .bss, runs main() and exits through
 * HTIF with its return value. */

    .section .text.start, "ax"
    .globl _start
_start:
    csrr    t0, mhartid
    bnez    t0, park                /* only hart 0 runs the demo */

    .option push
    .option norelax
    la      gp, __global_pointer$
    .option pop
    la      sp, stack_top

    la      t0, trap_entry          /* report unexpected traps, never hang */
    csrw    mtvec, t0
    csrw    mie, zero

    csrr    t0, misa                /* FS = Initial where F exists */
    andi    t0, t0, 1 << ('F' - 'A')
    beqz    t0, 1f
    li      t0, 1 << 13
    csrs    mstatus, t0
    csrwi   0x003, 0                /* fcsr */
1:

    la      t0, __bss_start
    la      t1, __bss_end
1:  bgeu    t0, t1, 2f
    sd      zero, 0(t0)
    addi    t0, t0, 8
    j       1b
2:
    call    main
    call    htif_exit               /* a0 = main's return value */

park:
    wfi
    j       park

    /* Any trap is a bug in the emulator or the guest: hand mcause, mepc and
     * mtval to C, which prints them and exits with a non-zero code. */
    .balign 4
trap_entry:
    la      sp, stack_top
    csrr    a0, mcause
    csrr    a1, mepc
    csrr    a2, mtval
    call    guest_trap
1:  j       1b

    .section .bss.stack, "aw", @nobits
    .balign 16
    .space  16384
stack_top:

    /* HTIF mailbox, found by name in the ELF symbol table (see htif.c);
     * QEMU insists that each symbol's size is 8. */
    .section .tohost, "aw", @progbits
    .balign 64
    .globl  tohost
    .type   tohost, @object
    .size   tohost, 8
tohost:
    .dword  0
    .balign 64
    .globl  fromhost
    .type   fromhost, @object
    .size   fromhost, 8
fromhost:
    .dword  0
