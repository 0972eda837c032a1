/* fpcheck.c: replays fpgen's verbose output (made under qemu-riscv64) through
 * cpu/riscv/fpu.c on the host, so fpu.c is checked against QEMU for every
 * F, D and Zfh instruction without ember's decoder. Each instruction is
 * modelled as a hart executes it: operands and results are 64-bit register
 * values, NaN-boxed or not.
 *   qemu-riscv64 -cpu rv64,Zfh=true fpgen-linux -v -z CASES | fpcheck */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/fpdiff/fpmodel.h"

int main(void)
{
    char line[256];
    unsigned long checked = 0, failed = 0, lineno = 0;
    while (fgets(line, sizeof(line), stdin)) {
        lineno++;
        FpModelCase c;
        if (!fpmodel_parse(line, &c)) {
            if (strstr(line, " cases ") || strncmp(line, "fpgen: ", 7) == 0)
                continue; /* digest and summary lines */
            fprintf(stderr, "fpcheck: line %lu: not an fpgen -v line\n", lineno);
            return 2;
        }
        uint64_t got;
        uint32_t flags;
        checked++;
        if (!fpmodel_agrees(&c, &got, &flags) && failed++ < 20)
            printf("fpcheck: %s %016llx %016llx %016llx: qemu %016llx %02x, fpu.c %016llx %02x\n",
                   c.model->name, (unsigned long long)c.in[0], (unsigned long long)c.in[1],
                   (unsigned long long)c.in[2], (unsigned long long)c.result, c.flags,
                   (unsigned long long)got, flags);
    }
    printf("fpcheck: %lu operations, %lu differ from qemu-riscv64\n", checked, failed);
    return failed || !checked ? 1 : 0;
}
