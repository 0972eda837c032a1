/* start.S: entry of ember's bare-metal guests (M-mode, at 0x80000000):
 * parks extra harts, sets up sp, a trap vector and .bss, picks the console
 * (htif_probe), turns the FPU on, runs main() and exits through HTIF with
 * its return value. main is C, or the ISA tests' set-up (tests/isa). */

    .section .text.init, "ax"
    .globl _start
_start:
    csrr    t0, mhartid
    bnez    t0, park                /* only hart 0 runs the guest */

    /* No gp: link.ld defines no __global_pointer$, so the linker never
     * turns a pc-relative address into a gp-relative one, which would be
     * wrong in the ISA tests' code that runs mapped at other virtual
     * addresses. */
    la      sp, stack_top

    la      t0, trap_entry          /* report unexpected traps, never hang */
    csrw    mtvec, t0
    csrw    mie, zero

    la      t0, __bss_start
    la      t1, __bss_end
1:  bgeu    t0, t1, 2f
    sd      zero, 0(t0)
    addi    t0, t0, 8
    j       1b
2:
    call    htif_probe              /* after .bss: its answer lives there */

    csrr    t0, misa                /* FS = Initial where F exists */
    andi    t0, t0, 1 << ('F' - 'A')
    beqz    t0, 1f
    li      t0, 1 << 13
    csrs    mstatus, t0
    csrwi   0x003, 0                /* fcsr */
1:
    call    main
    call    htif_exit               /* a0 = main's return value */

park:
    wfi
    j       park

    /* Any trap is a bug in the emulator or the guest: hand mcause, mepc and
     * mtval to the guest's guest_trap, which reports them and exits with a
     * non-zero code. */
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
