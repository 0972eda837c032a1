/* util/log.c: diagnostics: user-facing errors, guest warnings and the -d
 * trace categories. */
#include "util/log.h"

#include <ctype.h>
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

/* Sources x causes a guest can trigger: devices times their messages, a
 * bounded set; past it every warning is shown again. */
#define MAX_GUEST_WARNINGS 64
#define CAUSE_TEXT 160

static struct GuestWarning {
    const void *source;
    char cause[CAUSE_TEXT]; /* the message with its numbers left out */
    char first[CAUSE_TEXT]; /* the start of the first message, for the count */
    unsigned long long repeats;
} guest_warnings[MAX_GUEST_WARNINGS];

/* A message's cause: its text with every number (decimal or 0x hex) made
 * '#', so "head 200 is outside" and "head 9 is outside" are one cause. */
static void cause_of(const char *msg, char *cause)
{
    size_t n = 0;
    for (const char *p = msg; *p && n + 1 < CAUSE_TEXT;) {
        if (isdigit((unsigned char)*p)) {
            while (isxdigit((unsigned char)*p) || *p == 'x')
                p++;
            cause[n++] = '#';
        } else {
            cause[n++] = *p++;
        }
    }
    cause[n] = '\0';
}

void warn_report_guest(const void *source, const char *fmt, ...)
{
    char msg[400], cause[CAUSE_TEXT];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    cause_of(msg, cause);
    struct GuestWarning *slot = NULL;
    for (int i = 0; i < MAX_GUEST_WARNINGS && !slot; i++) {
        struct GuestWarning *w = &guest_warnings[i];
        if (w->source == source && strcmp(w->cause, cause) == 0) {
            w->repeats++;
            log_guest_error("warning (repeated): %s\n", msg);
            return;
        }
        if (!w->source)
            slot = w;
    }
    if (slot) {
        slot->source = source;
        memcpy(slot->cause, cause, sizeof(cause));
        snprintf(slot->first, sizeof(slot->first), "%.*s", CAUSE_TEXT - 1, msg);
    }
    warn_report("%s", msg);
}

void warn_report_repeats(void)
{
    for (int i = 0; i < MAX_GUEST_WARNINGS && guest_warnings[i].source; i++) {
        const struct GuestWarning *w = &guest_warnings[i];
        if (w->repeats)
            warn_report("(\"%s\" repeated %llu more times; -d guest_errors logs each)", w->first,
                        w->repeats);
    }
}
