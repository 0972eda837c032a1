/* tests/xorshift.h: xorshift64*, the deterministic generator the tests and
 * test guests share, so every seed names a reproducible run. Header-only and
 * freestanding (the F/D differential generator runs bare-metal). */
#ifndef EMBER_TESTS_XORSHIFT_H
#define EMBER_TESTS_XORSHIFT_H

#include <stdint.h>

/* *state must not be 0. */
static inline uint64_t xorshift64star(uint64_t *state)
{
    *state ^= *state >> 12;
    *state ^= *state << 25;
    *state ^= *state >> 27;
    return *state * 0x2545f4914f6cdd1dull;
}

#endif
