/* bitgen_baremetal.c: the bit-manipulation differential generator as a
 * bare-metal M-mode program for ember (roms/lib start-up and HTIF). Its
 * parameters are fixed when it is built: BITGEN_CASES, BITGEN_SEED,
 * BITGEN_VERBOSE. */
#include "bitgen.h"

#define DIFFTEST_NAME "bitgen"
#include "tests/difftest_guest.h"

int main(void)
{
    BitgenConfig config = {.seed = BITGEN_SEED, .cases = BITGEN_CASES, .verbose = BITGEN_VERBOSE};
    bitgen_run(&config, htif_write);
    return 0;
}
