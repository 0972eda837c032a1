/* fpgen_baremetal.c: the differential generator as a bare-metal M-mode
 * program for ember (roms/lib start-up and HTIF). Its parameters are
 * fixed when it is built: FPGEN_CASES, FPGEN_SEED, FPGEN_VERBOSE and
 * FPGEN_HALF (0 none, 1 Zfhmin, 2 Zfh: enum fpgen_half). */
#include "fpgen.h"

#define DIFFTEST_NAME "fpgen"
#include "tests/difftest_guest.h"

int main(void)
{
    FpgenConfig config = {
        .seed = FPGEN_SEED, .cases = FPGEN_CASES, .verbose = FPGEN_VERBOSE, .half = FPGEN_HALF};
    fpgen_run(&config, htif_write);
    return 0;
}
