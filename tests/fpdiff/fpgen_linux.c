/* fpgen_linux.c: the differential generator as a static riscv64 Linux
 * program:  fpgen [-v] [-z|-m] CASES [SEED]  (CASES per instruction and
 * mode; -z adds the Zfh instructions, for -cpu rv64,Zfh=true, -m only
 * Zfhmin's, for -cpu rv64,Zfhmin=true). */
#include <stdlib.h>
#include <string.h>

#include "fpgen.h"
#include "tests/difftest_linux.h"

int main(int argc, char **argv)
{
    FpgenConfig config = {.seed = 1};
    int arg = 1;
    for (; arg < argc && argv[arg][0] == '-'; arg++) {
        if (strcmp(argv[arg], "-v") == 0) {
            config.verbose = true;
        } else if (strcmp(argv[arg], "-z") == 0) {
            config.half = FPGEN_HALF_ZFH;
        } else if (strcmp(argv[arg], "-m") == 0) {
            config.half = FPGEN_HALF_ZFHMIN;
        } else {
            arg = argc;
            break;
        }
    }
    if (arg >= argc || arg + 2 < argc) {
        fprintf(stderr, "usage: %s [-v] [-z|-m] CASES [SEED]\n", argv[0]);
        return 2;
    }
    config.cases = strtoull(argv[arg], NULL, 0);
    if (arg + 1 < argc)
        config.seed = strtoull(argv[arg + 1], NULL, 0);
    fpgen_run(&config, write_out);
    flush();
    return 0;
}
