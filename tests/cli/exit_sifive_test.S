/* exit_sifive_test.S: no HTIF; ends the run through the SiFive test device
 * at 0x100000 with FAIL and code 42 (ember's exit status must be 42). */
        .section .text.init
        .globl _start
_start:
        li t0, 0x100000
        li t1, (42 << 16) | 0x3333
        sw t1, 0(t0)
1:      j 1b
