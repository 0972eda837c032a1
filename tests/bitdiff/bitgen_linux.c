/* bitgen_linux.c: the bit-manipulation differential generator as a static
 * riscv64 Linux program:  bitgen [-v] CASES [SEED]  (CASES per instruction). */
#include <stdlib.h>
#include <string.h>

#include "bitgen.h"
#include "tests/difftest_linux.h"

int main(int argc, char **argv)
{
    BitgenConfig config = {.seed = 1};
    int arg = 1;
    if (arg < argc && strcmp(argv[arg], "-v") == 0) {
        config.verbose = true;
        arg++;
    }
    if (arg >= argc || arg + 2 < argc) {
        fprintf(stderr, "usage: %s [-v] CASES [SEED]\n", argv[0]);
        return 2;
    }
    config.cases = strtoull(argv[arg], NULL, 0);
    if (arg + 1 < argc)
        config.seed = strtoull(argv[arg + 1], NULL, 0);
    bitgen_run(&config, write_out);
    flush();
    return 0;
}
