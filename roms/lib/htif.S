/* htif.S: the console and exit of ember's bare-metal guests: the HTIF
 * mailbox, htif_probe (run by start.S), htif_putchar, htif_write and
 * htif_exit. Callable from C; from assembly, each names what it clobbers. */
#include "htif.h"

/* QEMU's virt board has no HTIF: there the 16550 UART and the SiFive test
 * device stand in (the ISA tests that need the time CSR run there). */
#define VIRT_UART0        0x10000000
#define VIRT_UART_LSR     5
#define VIRT_UART_THRE    0x20
#define VIRT_TEST         0x100000
#define VIRT_TEST_PASS    0x5555
#define VIRT_TEST_FAIL    0x3333

#define HTIF_CONSOLE_PUTCHAR 0x0101000000000000
#define HTIF_CONSOLE_PUTCHAR_HIGH 0x01010000 /* its high word, for RV32 */

        .text
/* htif_probe(): picks HTIF or virt's devices; M-mode, from start.S.
 * ember (marchid = mimpid = 0) and QEMU's spike have HTIF. QEMU's virt
 * does not, but does implement the time CSR, which spike does not: a
 * read of time traps only on spike. Clobbers t0-t2. */
        .globl htif_probe
htif_probe:
        csrr t0, marchid
        csrr t1, mimpid
        or t0, t0, t1
        beqz t0, 2f
        csrr t2, mtvec
        la t0, 1f
        csrw mtvec, t0
        csrr t0, time
        li t0, 1
        la t1, htif_absent
        REG_S t0, 0(t1)
        .balign 4
1:      csrw mtvec, t2
2:      ret

/* htif_putchar(a0 = c): console device 1, command 1, waiting for the host
 * to take the command. On RV32 a doubleword is two words: the low one first,
 * then the high one, whose store hands the command to the host (QEMU's HTIF
 * and Spike act on it). Clobbers a0, t0, t1. */
        .globl htif_putchar
htif_putchar:
        la t0, htif_absent
        REG_L t0, 0(t0)
        bnez t0, uart_putchar
        la t0, tohost
#if __riscv_xlen == 64
1:      ld t1, 0(t0)
        bnez t1, 1b
        li t1, HTIF_CONSOLE_PUTCHAR
        andi a0, a0, 0xff
        or t1, t1, a0
        sd t1, 0(t0)
2:      ld t1, 0(t0)
        bnez t1, 2b
        la t0, fromhost
        sd zero, 0(t0)
#else
1:      lw t1, 0(t0)
        bnez t1, 1b
        lw t1, 4(t0)
        bnez t1, 1b
        andi a0, a0, 0xff
        sw a0, 0(t0)
        li t1, HTIF_CONSOLE_PUTCHAR_HIGH
        sw t1, 4(t0)
2:      lw t1, 0(t0)
        bnez t1, 2b
        lw t1, 4(t0)
        bnez t1, 2b
        la t0, fromhost
        sw zero, 0(t0)
        sw zero, 4(t0)
#endif
        ret

uart_putchar:
        li t0, VIRT_UART0
1:      lbu t1, VIRT_UART_LSR(t0)
        andi t1, t1, VIRT_UART_THRE
        beqz t1, 1b
        sb a0, 0(t0)
        ret

/* htif_write(a0 = text, a1 = length): the bytes as given, no newline
 * translation. Clobbers a0, a1, t0, t1. */
        .globl htif_write
htif_write:
        addi sp, sp, -16
        REG_S ra, 0(sp)
        REG_S s0, REG_BYTES(sp)
        mv s0, a0
        add a1, a0, a1
1:      beq s0, a1, 2f
        lbu a0, 0(s0)
        call htif_putchar
        addi s0, s0, 1
        j 1b
2:      REG_L ra, 0(sp)
        REG_L s0, REG_BYTES(sp)
        addi sp, sp, 16
        ret

/* htif_exit(a0 = code): never returns. No wait for the host: every earlier
 * command was taken before htif_putchar returned. */
        .globl htif_exit
htif_exit:
        la t0, htif_absent
        REG_L t0, 0(t0)
        bnez t0, test_device_exit
        slli a0, a0, 1
        ori a0, a0, 1
        HTIF_EXIT(a0, t0)

/* SiFive test device: VIRT_TEST_PASS, or code << 16 | VIRT_TEST_FAIL */
test_device_exit:
        li t0, VIRT_TEST
        li t1, VIRT_TEST_PASS
        beqz a0, 1f
        slli t1, a0, 16
        li t2, VIRT_TEST_FAIL
        or t1, t1, t2
1:      sw t1, 0(t0)
2:      j 2b

        HTIF_MAILBOX

        .bss
        .balign 8
htif_absent:
        .dword 0
