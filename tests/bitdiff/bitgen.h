/* bitgen.h: the bit-manipulation differential generator's core (bitgen.c),
 * shared by its Linux front (bitgen_linux.c, run under qemu-riscv64) and its
 * bare-metal front (bitgen_baremetal.c, run on ember). */
#ifndef EMBER_TESTS_BITGEN_H
#define EMBER_TESTS_BITGEN_H

#include <stdbool.h>
#include <stdint.h>

typedef struct BitgenConfig {
    uint64_t seed;
    uint64_t cases; /* per instruction */
    bool verbose;   /* a line per operation, not only per instruction */
} BitgenConfig;

/* Runs everything, writing lines through write; returns the number of
 * operations done. */
uint64_t bitgen_run(const BitgenConfig *config,
                    void (*write)(const char *text, unsigned long length));

#endif
