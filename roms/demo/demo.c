/* demo.c: the demo guest: greets through the HTIF console, names the hart
 * and its ISA (decoded from misa), and exits with code 0 through HTIF. */

#include <stdint.h>

#include "htif.h"

static void put_char(char c)
{
    if (c == '\n') {
        htif_putchar('\r');
    }
    htif_putchar(c);
}

static void put_str(const char *s)
{
    while (*s) {
        put_char(*s++);
    }
}

static void put_dec(uint64_t v)
{
    char buf[24];
    int n = 0;

    do {
        buf[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v != 0);
    while (n > 0) {
        put_char(buf[--n]);
    }
}

static void put_hex(uint64_t v)
{
    put_str("0x");
    for (int shift = 60; shift >= 0; shift -= 4) {
        put_char("0123456789abcdef"[(v >> shift) & 0xf]);
    }
}

#define read_csr(name)                                                                             \
    ({                                                                                             \
        uint64_t value_;                                                                           \
        __asm__ volatile("csrr %0, " #name : "=r"(value_));                                        \
        value_;                                                                                    \
    })

/* Canonical ISA-string order (unpriv spec, "ISA Extension Naming
 * Conventions"); S and U are privilege modes, printed after the
 * extensions as tools conventionally do; other misa bits follow a-z. */
static const char isa_order[] = "iemafdqlcbjtpvnhsu";

static int in_order(char c)
{
    for (const char *p = isa_order; *p; p++) {
        if (*p == c) {
            return 1;
        }
    }
    return 0;
}

static void put_isa(uint64_t misa)
{
    unsigned mxl = (unsigned)(misa >> 62);

    if (misa == 0) {
        put_str("unknown (misa reads 0)");
        return;
    }
    put_str(mxl == 1 ? "rv32" : mxl == 2 ? "rv64" : mxl == 3 ? "rv128" : "rv?");
    for (const char *p = isa_order; *p; p++) {
        if (misa & (1ULL << (*p - 'a'))) {
            put_char(*p);
        }
    }
    for (char c = 'a'; c <= 'z'; c++) {
        if (!in_order(c) && (misa & (1ULL << (c - 'a')))) {
            put_char(c);
        }
    }
}

void guest_trap(uint64_t mcause, uint64_t mepc, uint64_t mtval)
{
    put_str("demo: unexpected trap: mcause ");
    put_hex(mcause);
    put_str(" mepc ");
    put_hex(mepc);
    put_str(" mtval ");
    put_hex(mtval);
    put_char('\n');
    htif_exit(3);
}

int main(void)
{
    uint64_t misa = read_csr(misa);

    put_str("ember: hello from a RISC-V guest\n");
    put_str("  hart: ");
    put_dec(read_csr(mhartid));
    put_str("\n  isa:  ");
    put_isa(misa);
    put_str(" (misa ");
    put_hex(misa);
    put_str(")\n  bye:  exiting with code 0 through HTIF\n");
    return 0;
}
