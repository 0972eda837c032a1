/* util/log.c: diagnostics: user-facing errors, guest warnings and the -d
 * trace categories. */
#include "util/log.h"

#include <stdarg.h>
#include <string.h>

unsigned log_mask;
FILE *log_file;

static const struct {
    const char *name;
    unsigned mask;
    const char *help;
} categories[] = {
    {"in_asm", LOG_IN_ASM, "show target assembly code for each compiled TB"},
    {"int", LOG_INT, "show interrupts/exceptions in short format"},
    {"cpu", LOG_CPU, "show CPU registers before entering a TB"},
    {"mmu", LOG_MMU, "log MMU-related activities (faulting walks, flushes)"},
    {"exec", LOG_EXEC, "show trace before each executed TB"},
    {"guest_errors", LOG_GUEST, "log when the guest OS does something invalid"},
    {"stats", LOG_STATS, "print execution counters (caches, TLBs, traps) at exit"},
};

bool log_parse_categories(const char *list, unsigned *mask, bool *help, char *err, size_t errlen)
{
    *mask = 0;
    *help = false;
    const char *p = list;
    while (*p) {
        size_t len = strcspn(p, ",");
        bool found = false;
        if (len == 4 && strncmp(p, "help", 4) == 0) {
            *help = true;
            found = true;
        }
        for (size_t i = 0; !found && i < sizeof(categories) / sizeof(categories[0]); i++) {
            if (strlen(categories[i].name) == len && strncmp(p, categories[i].name, len) == 0) {
                *mask |= categories[i].mask;
                found = true;
            }
        }
        if (!found) {
            snprintf(err, errlen, "unknown -d category '%.*s' (try -d help)", (int)len, p);
            return false;
        }
        p += len;
        if (*p == ',')
            p++;
    }
    return true;
}

void log_print_categories(FILE *out)
{
    fprintf(out, "Log items (comma separated):\n");
    for (size_t i = 0; i < sizeof(categories) / sizeof(categories[0]); i++)
        fprintf(out, "%-15s %s\n", categories[i].name, categories[i].help);
}

bool log_open_file(const char *path)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return false;
    log_close_file();
    log_file = f;
    return true;
}

void log_close_file(void)
{
    if (log_file && log_file != stderr)
        fclose(log_file);
    log_file = NULL;
}

void log_printf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vfprintf(log_file ? log_file : stderr, fmt, ap);
    va_end(ap);
}

void log_guest_error(const char *fmt, ...)
{
    if (!log_enabled(LOG_GUEST))
        return;
    va_list ap;
    va_start(ap, fmt);
    vfprintf(log_file ? log_file : stderr, fmt, ap);
    va_end(ap);
}

void error_report(const char *fmt, ...)
{
    va_list ap;
    fputs("ember: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

void warn_report(const char *fmt, ...)
{
    va_list ap;
    fputs("ember: warning: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}
