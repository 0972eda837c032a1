/* bitgen_linux.c: the bit-manipulation differential generator as a static
 * riscv64 Linux program:  bitgen [-v] CASES [SEED]  (CASES per instruction). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bitgen.h"

static char buffer[1 << 16];
static size_t used;

static void flush(void)
{
    size_t done = 0;
    while (done < used) {
        ssize_t n = write(STDOUT_FILENO, buffer + done, used - done);
        if (n <= 0) {
            perror("bitgen: write");
            exit(1);
        }
        done += (size_t)n;
    }
    used = 0;
}

static void write_out(const char *text, unsigned long length)
{
    if (used + length > sizeof(buffer))
        flush();
    memcpy(buffer + used, text, length);
    used += length;
}

int main(int argc, char **argv)
{
    BitgenConfig config = {.seed = 1};
    int arg = 1;
    if (arg < argc && strcmp(argv[arg], "-v") == 0) {
        config.verbose = true;
        arg++;
    }
    if (arg >= argc || arg + 2 < argc) {
        fprintf(stderr, "usage: %s [-v] CASES [SEED]\n", argv[0]);
        return 2;
    }
    config.cases = strtoull(argv[arg], NULL, 0);
    if (arg + 1 < argc)
        config.seed = strtoull(argv[arg + 1], NULL, 0);
    bitgen_run(&config, write_out);
    flush();
    return 0;
}
