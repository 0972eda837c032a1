/* idle_wfi.S: says "ready" on the virt board's UART, then waits for
 * interrupts forever (none are enabled), so ember sits in its run loop
 * using no CPU: a cheap guest for tests that end ember from outside. */
        .section .text.init
        .globl _start
_start:
        li t0, 0x10000000       /* UART0 transmit register */
        la t1, message
1:      lbu t2, 0(t1)
        beqz t2, 2f
        sb t2, 0(t0)
        addi t1, t1, 1
        j 1b
2:      wfi
        j 2b

        .section .rodata
message: .asciz "ready\r\n"
