/* start.S: entry of ember's bare-metal guests (M-mode, at 0x80000000):
 * hart 0 sets up sp, a trap vector and .bss, picks the console
 * (htif_probe), turns the FPU on, runs main() and exits through HTIF with
 * its return value. main is C, or the ISA tests' set-up (tests/isa).
 *
 * The other harts park in WFI forever, unless the program defines
 * hart_entry (weak here): then each waits, with mie = MSIE only and
 * mstatus.MIE = 0 (so nothing traps), for its ACLINT msip, and jumps to
 * hart_entry with a0 = mhartid, msip still pending (hart_entry clears it),
 * mie = MSIE, and no stack or trap vector of its own yet. Until hart 0 sends
 * that IPI they touch no memory, so hart 0 may clear .bss first.
 *
 * The same source serves RV64 and RV32 (htif.h's REG_* macros). */
#include "htif.h"

    .section .text.init, "ax"
    .globl _start
_start:
    csrr    t0, mhartid
    bnez    t0, secondary           /* only hart 0 runs the guest */

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
    REG_S   zero, 0(t0)
    addi    t0, t0, REG_BYTES
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

secondary:
    /* Loaded from a literal, not with la: an undefined weak symbol is 0,
     * which pc-relative addressing from 0x80000000 cannot be relied on to
     * reach. */
    la      t1, hart_entry_address
    REG_L   t1, 0(t1)
    beqz    t1, park
    csrci   mstatus, 1 << 3         /* MIE: wake from WFI, never trap */
    li      t2, 1 << 3              /* MSIE */
    csrw    mie, t2
1:  wfi                             /* may return early: check mip */
    csrr    t2, mip
    andi    t2, t2, 1 << 3
    beqz    t2, 1b
    mv      a0, t0
    jr      t1

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

    .weak   hart_entry
    .section .rodata
    .balign 8
hart_entry_address:
    REG_WORD hart_entry

    .section .bss.stack, "aw", @nobits
    .balign 16
    .space  16384
stack_top:
