/* util/options.h: the command line (QEMU's spellings) parsed into a machine
 * configuration; pure, so it can be unit-tested. */
#ifndef EMBER_UTIL_OPTIONS_H
#define EMBER_UTIL_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct EmberOptions {
    const char *machine;
    uint64_t ram_size;
    unsigned smp;
    const char *bios; /* NULL: the default firmware; "none": no firmware */
    const char *kernel;
    const char *initrd;
    const char *append;
    const char *dtb;     /* -dtb: replaces the generated device tree */
    const char *dumpdtb; /* -M virt,dumpdtb=FILE: write the tree and exit */
    bool nographic;
    const char *serial; /* -serial SPEC (default stdio) */
    unsigned log_mask;
    const char *log_path;
    bool show_help;
    bool show_version;
    bool show_log_help;
} EmberOptions;

#define EMBER_DEFAULT_RAM_SIZE (128ull << 20)
#define EMBER_MAX_RAM_SIZE (64ull << 30)

/* Parses a QEMU-style size: a number with an optional K/M/G/T suffix
 * (bytes if B, MiB when no suffix, as -m does). */
bool parse_size(const char *text, uint64_t *out);

/* Fills *opts from argv. On failure returns false with one message naming
 * the culprit in err. Only checks syntax and ranges; files are opened later. */
bool options_parse(int argc, char **argv, EmberOptions *opts, char *err, size_t errlen);

void options_print_help(const char *argv0);

#endif
