/* fpgen_baremetal.c: the differential generator as a bare-metal M-mode
 * program for ember (roms/lib start-up and HTIF). Its parameters are
 * fixed when it is built: FPGEN_CASES, FPGEN_SEED, FPGEN_VERBOSE. */
#include "fpgen.h"
#include "htif.h"

static void put_str(const char *s)
{
    unsigned long n = 0;
    while (s[n])
        n++;
    htif_write(s, n);
}

static void put_hex(uint64_t v)
{
    char digits[17];
    for (int i = 0; i < 16; i++)
        digits[i] = "0123456789abcdef"[(v >> (60 - 4 * i)) & 15];
    digits[16] = 0;
    put_str(digits);
}

void guest_trap(uint64_t mcause, uint64_t mepc, uint64_t mtval)
{
    put_str("fpgen: unexpected trap: mcause ");
    put_hex(mcause);
    put_str(" mepc ");
    put_hex(mepc);
    put_str(" mtval ");
    put_hex(mtval);
    put_str("\n");
    htif_exit(3);
}

int main(void)
{
    FpgenConfig config = {.seed = FPGEN_SEED, .cases = FPGEN_CASES, .verbose = FPGEN_VERBOSE};
    fpgen_run(&config, htif_write);
    return 0;
}
