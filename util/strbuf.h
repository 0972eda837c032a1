/* util/strbuf.h: a growing text buffer for reports built piece by piece
 * (monitor replies, register dumps). Out of memory is remembered, not
 * fatal: the text stays what fitted and failed is set. */
#ifndef EMBER_UTIL_STRBUF_H
#define EMBER_UTIL_STRBUF_H

#include <stdbool.h>
#include <stddef.h>

typedef struct StrBuf {
    char *data; /* NUL-terminated once anything was added; NULL before */
    size_t len;
    size_t cap;
    bool failed;
} StrBuf;

#define STRBUF_INIT                                                                                \
    {                                                                                              \
        NULL, 0, 0, false                                                                          \
    }

void strbuf_printf(StrBuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void strbuf_append(StrBuf *sb, const char *text, size_t len);
/* The text so far ("" when empty); valid until the next change. */
const char *strbuf_text(const StrBuf *sb);
void strbuf_reset(StrBuf *sb);
void strbuf_free(StrBuf *sb);

#endif
