/* tests/difftest_guest.h: the bare-metal side of a differential generator
 * (roms/lib start-up and HTIF): an unexpected trap, such as an illegal
 * instruction where ember lacks an extension, is reported and ends the run
 * with exit code 3. DIFFTEST_NAME names the generator. Header-only. */
#ifndef EMBER_TESTS_DIFFTEST_GUEST_H
#define EMBER_TESTS_DIFFTEST_GUEST_H

#include <stdint.h>

#include "htif.h"

static void guest_put_str(const char *s)
{
    unsigned long n = 0;
    while (s[n])
        n++;
    htif_write(s, n);
}

static void guest_put_hex(uint64_t v)
{
    char digits[17];
    for (int i = 0; i < 16; i++)
        digits[i] = "0123456789abcdef"[(v >> (60 - 4 * i)) & 15];
    digits[16] = 0;
    guest_put_str(digits);
}

void guest_trap(uint64_t mcause, uint64_t mepc, uint64_t mtval)
{
    guest_put_str(DIFFTEST_NAME ": unexpected trap: mcause ");
    guest_put_hex(mcause);
    guest_put_str(" mepc ");
    guest_put_hex(mepc);
    guest_put_str(" mtval ");
    guest_put_hex(mtval);
    guest_put_str("\n");
    htif_exit(3);
}

#endif
