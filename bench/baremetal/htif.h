/* htif.h: HTIF mailbox and exit sequence shared by the bare-metal benchmarks
 * (assembly only: included from .S files). */
/* Assembler macros, not C: clang-format would mangle them. */
/* clang-format off */
#ifndef BENCH_HTIF_H
#define BENCH_HTIF_H

/* tohost/fromhost: 8-byte words the host finds by name in the ELF symbol
 * table (QEMU checks that each symbol's size is 8). */
#define HTIF_MAILBOX                                                           \
    .section .tohost, "aw", @progbits;                                         \
    .balign 64;                                                                \
    .globl tohost;                                                             \
    .type tohost, @object;                                                     \
    .size tohost, 8;                                                           \
    tohost: .dword 0;                                                          \
    .balign 64;                                                                \
    .globl fromhost;                                                           \
    .type fromhost, @object;                                                   \
    .size fromhost, 8;                                                         \
    fromhost: .dword 0

/* Exit with code 0: exactly 4 instructions up to and including the store
 * that ends the run (auipc, addi, addi, sd); the spin after it never counts. */
#define HTIF_EXIT_0                                                            \
    la t5, tohost;                                                             \
    li t6, 1;                                                                  \
    sd t6, 0(t5);                                                              \
99: j 99b

#endif
