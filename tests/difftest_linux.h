/* tests/difftest_linux.h: the Linux side of a differential generator: its
 * output, buffered onto stdout. Header-only; the generator's Linux main
 * includes it. */
#ifndef EMBER_TESTS_DIFFTEST_LINUX_H
#define EMBER_TESTS_DIFFTEST_LINUX_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char buffer[1 << 16];
static size_t used;

static void flush(void)
{
    size_t done = 0;
    while (done < used) {
        ssize_t n = write(STDOUT_FILENO, buffer + done, used - done);
        if (n <= 0) {
            perror("write");
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

#endif
