/* exit_htif.S: ends the run through HTIF with exit code 5, so the test can
 * check that ember's exit status is the guest's code. */
        .section .text.init
        .globl _start
_start:
        la t0, tohost
        li t1, (5 << 1) | 1
        sd t1, 0(t0)
1:      j 1b

        .section .tohost, "aw", @progbits
        .balign 8
        .globl tohost
        .type tohost, @object
        .size tohost, 8
tohost: .dword 0
        .globl fromhost
        .type fromhost, @object
        .size fromhost, 8
fromhost: .dword 0
