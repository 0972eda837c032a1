/* workload.h: what bench/run's guest programs share: a table of named
 * workloads, each returning a checksum (so the work cannot be optimised
 * away, and ember and QEMU can be seen to compute the same), run in the
 * order the arguments name them. */
#ifndef EMBER_BENCH_GUEST_WORKLOAD_H
#define EMBER_BENCH_GUEST_WORKLOAD_H

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "tests/xorshift.h"

typedef struct Workload {
    const char *name;
    uint64_t (*run)(void);
} Workload;

static inline int run_workloads(const char *program, const Workload *table, int n, int argc,
                                char **argv)
{
    for (int i = 1; i < argc; i++) {
        int w = 0;
        while (w < n && strcmp(argv[i], table[w].name) != 0)
            w++;
        if (w == n) {
            fprintf(stderr, "%s: unknown workload %s\n", program, argv[i]);
            return 2;
        }
        printf("checksum %s %016llx\n", argv[i], (unsigned long long)table[w].run());
    }
    return 0;
}

#define WORKLOAD_MAIN(program, ...)                                                                \
    int main(int argc, char **argv)                                                                \
    {                                                                                              \
        static const Workload table[] = {__VA_ARGS__};                                             \
        return run_workloads(program, table, sizeof(table) / sizeof(table[0]), argc, argv);        \
    }

#endif
