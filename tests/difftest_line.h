/* tests/difftest_line.h: the output lines of the differential generators
 * (tests/fpdiff, tests/bitdiff), built by hand so the same code runs under
 * Linux and bare-metal. Header-only and freestanding; one generator per
 * program includes it. */
#ifndef EMBER_TESTS_DIFFTEST_LINE_H
#define EMBER_TESTS_DIFFTEST_LINE_H

#include <stdint.h>

/* Where finished lines go (stdout, or HTIF). */
static void (*out_write)(const char *text, unsigned long length);
static char line[160];
static unsigned line_length;

static void put_str(const char *s)
{
    while (*s)
        line[line_length++] = *s++;
}

static void put_hex(uint64_t v, int digits)
{
    for (int i = digits - 1; i >= 0; i--)
        line[line_length++] = "0123456789abcdef"[(v >> (4 * i)) & 15];
}

static void put_dec(uint64_t v)
{
    char digits[24];
    int n = 0;
    do {
        digits[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while (n)
        line[line_length++] = digits[--n];
}

static void end_line(void)
{
    line[line_length++] = '\n';
    out_write(line, line_length);
    line_length = 0;
}

#endif
