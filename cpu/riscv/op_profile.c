/* cpu/riscv/op_profile.c: counting dispatches and adjacent pairs of
 * handlers (op_profile.h), for a profiling build only. */
#include "cpu/riscv/op_profile.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A handler's count has second NULL; a pair's, the handler after first. */
typedef struct ProfileEntry {
    const void *first;
    const void *second;
    uint64_t count;
} ProfileEntry;

#define PROFILE_BITS 16
static ProfileEntry table[1u << PROFILE_BITS];
static unsigned used;
static uint64_t dropped;

static ProfileEntry *entry_for(const void *first, const void *second)
{
    uintptr_t key = (uintptr_t)first * 31 + (uintptr_t)second;
    unsigned i = (unsigned)((key * 0x9e3779b97f4a7c15ull) >> (64 - PROFILE_BITS));
    for (;; i = (i + 1) & ((1u << PROFILE_BITS) - 1)) {
        ProfileEntry *e = &table[i];
        if (e->first == first && e->second == second)
            return e;
        if (!e->first) {
            if (used >= (1u << PROFILE_BITS) / 2)
                return NULL; /* full enough: the table would get slow */
            used++;
            e->first = first;
            e->second = second;
            return e;
        }
    }
}

static void count(const void *first, const void *second)
{
    ProfileEntry *e = entry_for(first, second);
    if (e)
        e->count++;
    else
        dropped++;
}

static bool is_fused(const char *name)
{
    return name && strstr(name, "_THEN_");
}

static const char *name_of(const void *handler, char *buf, size_t len)
{
    const char *name = riscv_handler_name64(handler, buf, len);
    if (!name)
        snprintf(buf, len, "%p", handler);
    return name ? name : buf;
}

static int by_count(const void *a, const void *b)
{
    uint64_t ca = ((const ProfileEntry *)a)->count, cb = ((const ProfileEntry *)b)->count;
    return ca < cb ? 1 : ca > cb ? -1 : 0;
}

/* Dispatches: every op run, less those a fused handler went to directly.
 * Pairs whose first op is fused cost no dispatch and are left out. */
static void report(void)
{
    static ProfileEntry sorted[1u << PROFILE_BITS];
    unsigned n = 0;
    uint64_t ops = 0, direct = 0;
    char buf[64];
    for (unsigned i = 0; i < (1u << PROFILE_BITS); i++) {
        const ProfileEntry *e = &table[i];
        if (!e->first)
            continue;
        bool fused = is_fused(riscv_handler_name64(e->first, buf, sizeof(buf)));
        if (!e->second) {
            ops += e->count;
            direct += fused ? e->count : 0;
        } else if (!fused) {
            sorted[n++] = *e;
        }
    }
    qsort(sorted, n, sizeof(sorted[0]), by_count);
    uint64_t dispatches = ops - direct;
    fprintf(stderr, "ember: op profile: %llu ops run, %llu dispatches (%llu went on directly)%s\n",
            (unsigned long long)ops, (unsigned long long)dispatches, (unsigned long long)direct,
            dropped ? " (table full: some counts dropped)" : "");
    fprintf(stderr, "ember: op profile: %-12s %7s  %s\n", "pairs", "share",
            "handler, then handler");
    for (unsigned i = 0; i < n && i < 60; i++) {
        char a[64], b[64];
        fprintf(stderr, "ember: op profile: %12llu %6.2f%%  %s %s\n",
                (unsigned long long)sorted[i].count,
                dispatches ? 100.0 * (double)sorted[i].count / (double)dispatches : 0.0,
                name_of(sorted[i].first, a, sizeof(a)), name_of(sorted[i].second, b, sizeof(b)));
    }
}

void op_profile_block(const Op *ops, uint32_t n)
{
    static bool registered;
    if (!registered) {
        registered = true;
        atexit(report);
    }
    for (uint32_t i = 0; i < n; i++) {
        count(ops[i].handler, NULL);
        if (i + 1 < n)
            count(ops[i].handler, ops[i + 1].handler);
    }
}
