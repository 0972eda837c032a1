/* util/log.h: diagnostics: user-facing errors, guest warnings and the -d
 * trace categories (cheap when off: one mask test). */
#ifndef EMBER_UTIL_LOG_H
#define EMBER_UTIL_LOG_H

#include <stdbool.h>
#include <stdio.h>

enum log_category {
    LOG_IN_ASM = 1u << 0, /* each newly translated block, disassembled */
    LOG_INT = 1u << 1,    /* exceptions and interrupts taken */
    LOG_CPU = 1u << 2,    /* register state at each block entry */
    LOG_MMU = 1u << 3,    /* page walks that fault, TLB flushes */
    LOG_EXEC = 1u << 4,   /* each block entry */
    LOG_GUEST = 1u << 5,  /* guest misbehaviour (unimplemented features, bad device use) */
    LOG_STATS = 1u << 6,  /* counters (instructions, caches, TLBs, traps) at exit */
};

extern unsigned log_mask;
extern FILE *log_file;

static inline bool log_enabled(unsigned category)
{
    return (log_mask & category) != 0;
}

/* Parses a comma-separated -d list into *mask; returns false and names the
 * bad item in err on failure. "help" sets *help. */
bool log_parse_categories(const char *list, unsigned *mask, bool *help, char *err, size_t errlen);
void log_print_categories(FILE *out);
bool log_open_file(const char *path);
void log_close_file(void);

void log_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* A guest did something ember does not support or that is undefined: logged
 * under -d guest_errors-like category, never fatal. */
void log_guest_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* One clear error line for the user, prefixed with "ember: ". */
void error_report(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Something the user should know that does not stop ember (a guest driver
 * broke a device, say): one line, "ember: warning: ", always shown. */
void warn_report(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* A warning a guest can trigger at will (a driver that breaks a device in
 * a loop): only the first for each source (a device) and cause (the message
 * with its numbers left out) is shown; the rest are counted, logged under
 * -d guest_errors, and their counts reported by warn_report_repeats. So a
 * guest cannot fill the user's terminal or log. */
void warn_report_guest(const void *source, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* "(the warning above ... repeated N more times)" for each that was. */
void warn_report_repeats(void);

#define LOG(category, ...)                                                                         \
    do {                                                                                           \
        if (__builtin_expect(log_enabled(category), 0))                                            \
            log_printf(__VA_ARGS__);                                                               \
    } while (0)

#endif
