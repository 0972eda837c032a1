/* fpgen.h: the F/D/Zfh differential generator's core (fpgen.c), shared by its
 * Linux front (fpgen_linux.c, run under qemu-riscv64) and its bare-metal
 * front (fpgen_baremetal.c, run on ember). */
#ifndef EMBER_TESTS_FPGEN_H
#define EMBER_TESTS_FPGEN_H

#include <stdbool.h>
#include <stdint.h>

/* Which binary16 instructions run, after the F and D ones. */
enum fpgen_half { FPGEN_HALF_NONE, FPGEN_HALF_ZFHMIN, FPGEN_HALF_ZFH };

typedef struct FpgenConfig {
    uint64_t seed;
    uint64_t cases; /* per instruction and rounding mode */
    bool verbose;   /* a line per operation, not only per instruction and mode */
    enum fpgen_half half;
} FpgenConfig;

/* Runs everything, writing lines through write; returns the number of
 * operations done. */
uint64_t fpgen_run(const FpgenConfig *config,
                   void (*write)(const char *text, unsigned long length));

#endif
