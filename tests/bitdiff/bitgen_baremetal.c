/* bitgen_baremetal.c: the bit-manipulation differential generator as a
 * bare-metal M-mode program for ember (roms/lib start-up and HTIF). Its
 * parameters are fixed when it is built: BITGEN_CASES, BITGEN_SEED,
 * BITGEN_VERBOSE. */
#include "bitgen.h"
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

/* An illegal instruction here means ember lacks one of the extensions. */
void guest_trap(uint64_t mcause, uint64_t mepc, uint64_t mtval)
{
    put_str("bitgen: unexpected trap: mcause ");
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
    BitgenConfig config = {.seed = BITGEN_SEED, .cases = BITGEN_CASES, .verbose = BITGEN_VERBOSE};
    bitgen_run(&config, htif_write);
    return 0;
}
