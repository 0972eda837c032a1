/* cpu_int: the integer workloads, one per argument: hash (FNV-1a and a
 * multiply-rotate mix over 8 MiB, 30 times), sort (quicksort of 4 M keys), sieve
 * (primes below 60 M), interp (a bytecode interpreter's branchy dispatch
 * loop). */
#include <stdlib.h>

#include "workload.h"

static uint64_t rng = 0x9e3779b97f4a7c15ull;

static uint64_t next(void)
{
    return xorshift64star(&rng);
}

static uint64_t hash(void)
{
    size_t n = 8u << 20;
    uint8_t *buf = malloc(n);
    for (size_t i = 0; i < n; i++)
        buf[i] = (uint8_t)next();
    uint64_t h = 0xcbf29ce484222325ull, m = 0;
    for (int pass = 0; pass < 30; pass++) {
        for (size_t i = 0; i < n; i++)
            h = (h ^ buf[i]) * 0x100000001b3ull;
        const uint64_t *w = (const uint64_t *)buf;
        for (size_t i = 0; i < n / 8; i++) {
            m ^= w[i] * 0x9fb21c651e98df25ull;
            m = (m << 27) | (m >> 37);
        }
    }
    free(buf);
    return h ^ m;
}

static void quicksort(uint32_t *a, long lo, long hi)
{
    while (lo < hi) {
        uint32_t pivot = a[lo + (hi - lo) / 2];
        long i = lo, j = hi;
        while (i <= j) {
            while (a[i] < pivot)
                i++;
            while (a[j] > pivot)
                j--;
            if (i <= j) {
                uint32_t t = a[i];
                a[i++] = a[j];
                a[j--] = t;
            }
        }
        if (j - lo < hi - i) {
            quicksort(a, lo, j);
            lo = i;
        } else {
            quicksort(a, i, hi);
            hi = j;
        }
    }
}

static uint64_t sort(void)
{
    long n = 4000000;
    uint32_t *a = malloc(n * sizeof(*a));
    for (long i = 0; i < n; i++)
        a[i] = (uint32_t)next();
    quicksort(a, 0, n - 1);
    uint64_t sum = 0;
    for (long i = 0; i < n; i += 1000)
        sum = sum * 31 + a[i];
    free(a);
    return sum;
}

static uint64_t sieve(void)
{
    size_t n = 60000000;
    uint8_t *composite = calloc(n, 1);
    uint64_t count = 0;
    for (size_t i = 2; i < n; i++) {
        if (composite[i])
            continue;
        count++;
        for (size_t j = i * i; j < n && i < 65536; j += i)
            composite[j] = 1;
    }
    free(composite);
    return count;
}

/* A stack machine program: a loop that mixes arithmetic, compares and
 * branches, like an interpreter's inner loop. */
enum { PUSH, ADD, SUB, MUL, XOR, DUP, SWAP, JNZ, DEC, POP, SHR, HALT };

static uint64_t interp(void)
{
    static const int64_t program[] = {
        PUSH, 0,    PUSH, 3000000,                /* acc, counter */
        SWAP, PUSH, 7,    MUL,     PUSH, 13, ADD, /* acc = acc * 7 + 13 */
        DUP,  PUSH, 3,    SHR,     XOR,           /* acc ^= acc >> 3 */
        SWAP, DEC,  DUP,  JNZ,     4,             /* loop */
        POP,  HALT,
    };
    int64_t stack[64];
    int sp = 0;
    long pc = 0;
    for (;;) {
        int64_t op = program[pc++];
        switch (op) {
        case PUSH:
            stack[sp++] = program[pc++];
            break;
        case ADD:
            sp--, stack[sp - 1] += stack[sp];
            break;
        case SUB:
            sp--, stack[sp - 1] -= stack[sp];
            break;
        case MUL:
            sp--, stack[sp - 1] *= stack[sp];
            break;
        case XOR:
            sp--, stack[sp - 1] ^= stack[sp];
            break;
        case SHR:
            sp--, stack[sp - 1] = (int64_t)((uint64_t)stack[sp - 1] >> stack[sp]);
            break;
        case DUP:
            stack[sp] = stack[sp - 1], sp++;
            break;
        case SWAP: {
            int64_t t = stack[sp - 1];
            stack[sp - 1] = stack[sp - 2], stack[sp - 2] = t;
            break;
        }
        case DEC:
            stack[sp - 1]--;
            break;
        case JNZ: {
            int64_t target = program[pc++];
            if (stack[--sp])
                pc = target;
            break;
        }
        case POP:
            sp--;
            break;
        default:
            return (uint64_t)stack[sp - 1];
        }
    }
}

WORKLOAD_MAIN("cpu_int", {"hash", hash}, {"sort", sort}, {"sieve", sieve}, {"interp", interp})
