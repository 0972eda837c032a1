/* cpu/riscv/bitmanip.h: the Zbb and Zbc operations that have no C operator,
 * as the op handlers and the unit tests use them. */
#ifndef EMBER_CPU_RISCV_BITMANIP_H
#define EMBER_CPU_RISCV_BITMANIP_H

#include <stdint.h>

/* Counts of a zero value are the width (the builtins leave it undefined). */
static inline uint64_t bm_clz64(uint64_t a)
{
    return a ? (uint64_t)__builtin_clzll(a) : 64;
}

static inline uint64_t bm_clz32(uint64_t a)
{
    return (uint32_t)a ? (uint64_t)__builtin_clz((uint32_t)a) : 32;
}

static inline uint64_t bm_ctz64(uint64_t a)
{
    return a ? (uint64_t)__builtin_ctzll(a) : 64;
}

static inline uint64_t bm_ctz32(uint64_t a)
{
    return (uint32_t)a ? (uint64_t)__builtin_ctz((uint32_t)a) : 32;
}

static inline uint64_t bm_rol64(uint64_t a, unsigned n)
{
    n &= 63;
    return n ? (a << n) | (a >> (64 - n)) : a;
}

static inline uint64_t bm_ror64(uint64_t a, unsigned n)
{
    return bm_rol64(a, 64 - (n & 63));
}

/* The 32-bit rotates give the sign-extended word, as the W forms write it. */
static inline uint64_t bm_rol32(uint64_t a, unsigned n)
{
    uint32_t w = (uint32_t)a;
    n &= 31;
    w = n ? (w << n) | (w >> (32 - n)) : w;
    return (uint64_t)(int64_t)(int32_t)w;
}

static inline uint64_t bm_ror32(uint64_t a, unsigned n)
{
    return bm_rol32(a, 32 - (n & 31));
}

/* orc.b: each byte becomes 0xff if any of its bits is set, else 0. */
static inline uint64_t bm_orc_b(uint64_t a)
{
    uint64_t low7 = 0x7f7f7f7f7f7f7f7full;
    /* A byte's top bit after this: its own top bit or any of the others. */
    uint64_t any = ((a & low7) + low7) | a;
    uint64_t top = any & ~low7;
    return (top >> 7) * 0xff;
}

/* Carry-less products: the low and high halves of the 128-bit product,
 * and clmulr's bits 126:63. */
static inline unsigned __int128 bm_clmul_full(uint64_t a, uint64_t b)
{
    unsigned __int128 product = 0;
    for (unsigned i = 0; b; i++, b >>= 1)
        if (b & 1)
            product ^= (unsigned __int128)a << i;
    return product;
}

static inline uint64_t bm_clmul(uint64_t a, uint64_t b)
{
    return (uint64_t)bm_clmul_full(a, b);
}

static inline uint64_t bm_clmulh(uint64_t a, uint64_t b)
{
    return (uint64_t)(bm_clmul_full(a, b) >> 64);
}

static inline uint64_t bm_clmulr(uint64_t a, uint64_t b)
{
    return (uint64_t)(bm_clmul_full(a, b) >> 63);
}

#endif
