/* cpu_mem: memory workloads: chase (a random cyclic pointer chain through
 * 64 MiB, so nearly every load misses the guest's caches and ember's TLB)
 * and memcpy (16 MiB copied back and forth 120 times). */
#include <stdlib.h>

#include "workload.h"

static uint64_t rng = 0x243f6a8885a308d3ull;

static uint64_t next(void)
{
    return xorshift64star(&rng);
}

static uint64_t chase(void)
{
    size_t n = (64u << 20) / sizeof(size_t);
    size_t *next_of = malloc(n * sizeof(size_t));
    /* Sattolo's shuffle: one cycle through every slot. */
    for (size_t i = 0; i < n; i++)
        next_of[i] = i;
    for (size_t i = n - 1; i > 0; i--) {
        size_t j = next() % i;
        size_t t = next_of[i];
        next_of[i] = next_of[j];
        next_of[j] = t;
    }
    size_t p = 0;
    for (size_t step = 0; step < 4000000; step++)
        p = next_of[p];
    free(next_of);
    return p;
}

static uint64_t copy(void)
{
    size_t n = 16u << 20;
    uint8_t *a = malloc(n), *b = malloc(n);
    for (size_t i = 0; i < n; i++)
        a[i] = (uint8_t)i;
    for (int pass = 0; pass < 120; pass++) {
        memcpy(b, a, n);
        b[pass] ^= 1;
        memcpy(a, b, n);
    }
    uint64_t sum = 0;
    for (size_t i = 0; i < n; i += 4096)
        sum += a[i];
    free(a);
    free(b);
    return sum;
}

WORKLOAD_MAIN("cpu_mem", {"chase", chase}, {"memcpy", copy})
