/* htif.h: the HTIF console and exit of ember's bare-metal guests (Spike's
 * host-target interface, as QEMU's spike board and ember implement it):
 * functions (htif.S) for C and assembly callers, and macros for assembly
 * programs that are their own _start and must count every instruction. */
#ifndef EMBER_ROMS_HTIF_H
#define EMBER_ROMS_HTIF_H

/*
 * The host finds the 8-byte words tohost and fromhost by name in the ELF.
 * A command is device << 56 | command << 48 | payload. Device 1 command 1
 * writes the payload's low byte to the console; the host acknowledges by
 * clearing tohost. Device 0 with bit 0 set ends the simulation with exit
 * code payload >> 1.
 */

#ifdef __ASSEMBLER__
/* Assembler macros, not C: clang-format would mangle them. */
/* clang-format off */

/* The register width: roms/lib and tests/isa assemble for RV64 (lp64) and
 * RV32 (ilp32) from one source. REG_L/REG_S load and store a register,
 * REG_BYTES is its size, REG_WORD a data word holding an address. */
#if __riscv_xlen == 64
#define REG_L      ld
#define REG_S      sd
#define REG_BYTES  8
#define REG_WORD   .dword
#elif __riscv_xlen == 32
#define REG_L      lw
#define REG_S      sw
#define REG_BYTES  4
#define REG_WORD   .word
#else
#error "roms/lib: unknown __riscv_xlen"
#endif

/* tohost/fromhost, each in a 64-byte line of section .tohost (link.ld gives
 * that a page of its own); QEMU checks that each symbol's size is 8. */
#define HTIF_MAILBOX                                                           \
    .pushsection .tohost, "aw", @progbits;                                     \
    .balign 64;                                                                \
    .globl tohost;                                                             \
    .type tohost, @object;                                                     \
    .size tohost, 8;                                                           \
    tohost: .dword 0;                                                          \
    .balign 64;                                                                \
    .globl fromhost;                                                           \
    .type fromhost, @object;                                                   \
    .size fromhost, 8;                                                         \
    fromhost: .dword 0;                                                        \
    .popsection

/* Ends the run with the exit command in register cmd ((code << 1) | 1),
 * using register tmp: 3 instructions up to and including the store that
 * ends the run (auipc, addi, sd); the spin after it never counts. On RV32
 * tohost is written as two words, low first: the high word's store hands
 * the command over (as QEMU's HTIF and Spike take it), so 4 instructions. */
#if __riscv_xlen == 64
#define HTIF_EXIT(cmd, tmp)                                                    \
    la tmp, tohost;                                                            \
    sd cmd, 0(tmp);                                                            \
99: j 99b
#else
#define HTIF_EXIT(cmd, tmp)                                                    \
    la tmp, tohost;                                                            \
    sw cmd, 0(tmp);                                                            \
    sw zero, 4(tmp);                                                           \
99: j 99b
#endif

/* Exit with code 0: exactly 4 instructions up to and including the store
 * (addi, auipc, addi, sd); 5 on RV32. */
#define HTIF_EXIT_0                                                            \
    li t6, 1;                                                                  \
    HTIF_EXIT(t6, t5)

/* clang-format on */
#else

#include <stdint.h>

void htif_putchar(char c);
/* Writes bytes exactly as given (no newline translation). */
void htif_write(const char *text, unsigned long length);
__attribute__((noreturn)) void htif_exit(int code);

/* Called by start.S for any trap; the guest defines it. */
void guest_trap(uint64_t mcause, uint64_t mepc, uint64_t mtval);

#endif
#endif
