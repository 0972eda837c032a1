/* util/options.c: the command line (QEMU's spellings) parsed into a machine
 * configuration. */
#include "util/options.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chardev/chardev.h"
#include "util/log.h"

bool parse_size(const char *text, uint64_t *out)
{
    if (!text || !isdigit((unsigned char)*text))
        return false;
    errno = 0;
    char *end;
    unsigned long long value = strtoull(text, &end, 10);
    if (errno || end == text)
        return false;
    unsigned shift = 20;
    switch (*end) {
    case '\0':
        break;
    case 'b':
    case 'B':
        shift = 0;
        end++;
        break;
    case 'k':
    case 'K':
        shift = 10;
        end++;
        break;
    case 'm':
    case 'M':
        shift = 20;
        end++;
        break;
    case 'g':
    case 'G':
        shift = 30;
        end++;
        break;
    case 't':
    case 'T':
        shift = 40;
        end++;
        break;
    default:
        return false;
    }
    if (*end == 'i' || *end == 'I') /* accept "MiB"-style spellings too */
        end++;
    if ((*end == 'b' || *end == 'B') && shift)
        end++;
    if (*end != '\0')
        return false;
    if (shift && value > (UINT64_MAX >> shift))
        return false;
    *out = (uint64_t)value << shift;
    return true;
}

/* Options that take an argument, and where the argument goes. */
enum option_kind { OPT_FLAG, OPT_STRING };

struct option_desc {
    const char *name;
    const char *alias;
    enum option_kind kind;
    const char *help;
};

static const struct option_desc option_table[] = {
    {"-M", "-machine", OPT_STRING,
     "-M virt[,dumpdtb=FILE]  select the board (only virt); dumpdtb writes its device tree"},
    {"-m", NULL, OPT_STRING, "-m SIZE          guest RAM (default 128M; suffixes K, M, G)"},
    {"-smp", NULL, OPT_STRING, "-smp N           number of harts (only 1 for now)"},
    {"-bios", NULL, OPT_STRING, "-bios FILE|none  M-mode firmware (ELF or raw image)"},
    {"-kernel", NULL, OPT_STRING, "-kernel FILE     kernel or bare-metal program (ELF or raw)"},
    {"-initrd", NULL, OPT_STRING, "-initrd FILE     initial ram disk"},
    {"-append", NULL, OPT_STRING, "-append STRING   kernel command line"},
    {"-dtb", NULL, OPT_STRING, "-dtb FILE        use FILE as the device tree"},
    {"-nographic", NULL, OPT_FLAG, "-nographic       no display; serial console on stdio"},
    {"-serial", NULL, OPT_STRING,
     "-serial DEV      stdio|null|file:PATH|tcp:HOST:PORT,server[,nowait]"},
    {"-display", NULL, OPT_STRING, "-display none    no display (the only one for now)"},
    {"-d", NULL, OPT_STRING, "-d ITEM,...      enable logging of items (-d help lists them)"},
    {"-D", NULL, OPT_STRING, "-D FILE          write the log to FILE instead of stderr"},
    {"-h", "--help", OPT_FLAG, "-h, --help       show this help"},
    {"-V", "--version", OPT_FLAG, "-V, --version    show the version"},
};

static const struct option_desc *find_option(const char *arg)
{
    /* QEMU accepts both -opt and --opt. */
    const char *name = arg;
    if (name[0] == '-' && name[1] == '-' && name[2] != '\0')
        name++;
    for (size_t i = 0; i < sizeof(option_table) / sizeof(option_table[0]); i++) {
        const struct option_desc *d = &option_table[i];
        if (strcmp(arg, d->name) == 0 || strcmp(name, d->name) == 0 ||
            (d->alias && (strcmp(arg, d->alias) == 0 || strcmp(name, d->alias) == 0)))
            return d;
    }
    return NULL;
}

/* "virt[,dumpdtb=FILE]"; the strings point into argv, which outlives opts. */
static bool parse_machine(EmberOptions *opts, const char *value, char *err, size_t errlen)
{
    size_t name_len = strcspn(value, ",");
    if (name_len != 4 || strncmp(value, "virt", 4) != 0) {
        snprintf(err, errlen, "unsupported machine '%.*s' (only 'virt')", (int)name_len, value);
        return false;
    }
    opts->machine = "virt";
    const char *p = value + name_len;
    while (*p == ',') {
        p++;
        size_t len = strcspn(p, ",");
        if (strncmp(p, "dumpdtb=", 8) == 0 && len > 8) {
            /* The file name runs to the end: QEMU's syntax has no escaping. */
            opts->dumpdtb = p + 8;
            return true;
        }
        snprintf(err, errlen, "unknown machine property '%.*s' for -M virt", (int)len, p);
        return false;
    }
    return true;
}

static bool apply_option(EmberOptions *opts, const char *name, const char *value, char *err,
                         size_t errlen)
{
    if (strcmp(name, "-M") == 0) {
        return parse_machine(opts, value, err, errlen);
    } else if (strcmp(name, "-m") == 0) {
        const char *size = value;
        if (strncmp(size, "size=", 5) == 0)
            size += 5;
        uint64_t bytes;
        if (!parse_size(size, &bytes)) {
            snprintf(err, errlen, "invalid RAM size '%s' for -m", value);
            return false;
        }
        if (bytes < (16ull << 20) || bytes > EMBER_MAX_RAM_SIZE || (bytes & 0xfff)) {
            snprintf(err, errlen, "RAM size '%s' out of range (16M to %lluG, page multiple)", value,
                     (unsigned long long)(EMBER_MAX_RAM_SIZE >> 30));
            return false;
        }
        opts->ram_size = bytes;
    } else if (strcmp(name, "-smp") == 0) {
        const char *count = value;
        if (strncmp(count, "cpus=", 5) == 0)
            count += 5;
        char *end;
        errno = 0;
        unsigned long n = strtoul(count, &end, 10);
        if (errno || end == count || *end != '\0' || n == 0) {
            snprintf(err, errlen, "invalid -smp value '%s'", value);
            return false;
        }
        if (n != 1) {
            snprintf(err, errlen, "-smp %lu: only 1 hart is supported for now", n);
            return false;
        }
        opts->smp = (unsigned)n;
    } else if (strcmp(name, "-bios") == 0) {
        opts->bios = value;
    } else if (strcmp(name, "-kernel") == 0) {
        opts->kernel = value;
    } else if (strcmp(name, "-initrd") == 0) {
        opts->initrd = value;
    } else if (strcmp(name, "-dtb") == 0) {
        opts->dtb = value;
    } else if (strcmp(name, "-append") == 0) {
        opts->append = value;
    } else if (strcmp(name, "-serial") == 0) {
        ChardevSpec spec;
        if (!chardev_parse_spec(value, &spec, err, errlen))
            return false;
        opts->serial = value;
    } else if (strcmp(name, "-display") == 0) {
        if (strcmp(value, "none") != 0) {
            snprintf(err, errlen, "-display %s: only 'none' is supported", value);
            return false;
        }
    } else if (strcmp(name, "-nographic") == 0) {
        opts->nographic = true;
    } else if (strcmp(name, "-d") == 0) {
        bool help;
        if (!log_parse_categories(value, &opts->log_mask, &help, err, errlen))
            return false;
        opts->show_log_help |= help;
    } else if (strcmp(name, "-D") == 0) {
        opts->log_path = value;
    } else if (strcmp(name, "-h") == 0) {
        opts->show_help = true;
    } else if (strcmp(name, "-V") == 0) {
        opts->show_version = true;
    }
    return true;
}

bool options_parse(int argc, char **argv, EmberOptions *opts, char *err, size_t errlen)
{
    *opts = (EmberOptions){.machine = "virt", .ram_size = EMBER_DEFAULT_RAM_SIZE, .smp = 1};
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        const struct option_desc *d = arg[0] == '-' ? find_option(arg) : NULL;
        if (!d) {
            snprintf(err, errlen, "unknown option '%s' (try -h)", arg);
            return false;
        }
        const char *value = NULL;
        if (d->kind == OPT_STRING) {
            if (i + 1 >= argc) {
                snprintf(err, errlen, "option '%s' needs an argument", arg);
                return false;
            }
            value = argv[++i];
        }
        if (!apply_option(opts, d->name, value, err, errlen))
            return false;
    }
    return true;
}

void options_print_help(const char *argv0)
{
    printf("usage: %s [options]\n\nember %s: an interpreting RISC-V full-system emulator\n\n",
           argv0, EMBER_VERSION);
    for (size_t i = 0; i < sizeof(option_table) / sizeof(option_table[0]); i++)
        printf("  %s\n", option_table[i].help);
}
