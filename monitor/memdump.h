/* monitor/memdump.h: the monitor's x and xp commands: QEMU 7.2's "/FMT"
 * argument and its memory dump text, so scripts written against QEMU's
 * monitor read ember's the same way. */
#ifndef EMBER_MONITOR_MEMDUMP_H
#define EMBER_MONITOR_MEMDUMP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/strbuf.h"

/* What one x or xp shows: count units of size bytes in format. format is
 * one of QEMU's 'x' (hex), 'd' (decimal), 'u' (unsigned), 'o' (octal),
 * 'c' (characters) and 'i' (instructions); size is 1, 2, 4 or 8 (QEMU's
 * b, h, w, g/L). For 'i' the size plays no part: it keeps the size an
 * earlier command chose, which QEMU remembers across an 'i'. */
typedef struct MemDumpFormat {
    unsigned count;
    char format;
    unsigned size;
} MemDumpFormat;

/* QEMU's defaults before any x or xp: one hex word. */
#define MEMDUMP_FORMAT_INIT                                                                        \
    {                                                                                              \
        1, 'x', 4                                                                                  \
    }

/* Parses the command's optional "/[COUNT][LETTERS]" argument as QEMU's
 * monitor does. *fmt holds the last format on entry (its format and size
 * are the defaults; its count is ignored) and the one to use on success,
 * which is also the one to remember. Leading blanks are skipped; parsing
 * ends at the first blank or the end of text. A text that does not start
 * with '/' (or NULL) gives no format: one unit of the last format. COUNT
 * is decimal (default 1); the letters are format and size letters in any
 * order, the last of each kind winning. On error *fmt is unchanged and err
 * holds QEMU's message ("invalid char in format: 'q'"). */
bool memdump_parse_format(const char *text, MemDumpFormat *fmt, char *err, size_t errlen);

/* Reads len bytes of guest memory at addr into buf (guest virtual for x,
 * physical for xp); false if any byte of the range cannot be read. */
typedef bool MemDumpRead(void *opaque, uint64_t addr, uint8_t *buf, size_t len);

/* Appends QEMU's text for x (is_physical false) or xp at addr to out, each
 * line ending in "\n" (QEMU's monitor sends "\r\n"; that is the
 * transport's business). Data formats read one line (16 bytes, 8 for
 * size 1) at a time and stop with "ADDR: Cannot access memory" at the
 * first line that cannot be read. 'i' disassembles count instructions
 * with ember's disassembler in QEMU's columns; an instruction that cannot
 * be read prints QEMU's "Address 0x... is out of bounds." and, as QEMU
 * does, the listing goes on 5 bytes further. On RV64 both commands print
 * 64-bit addresses, so is_physical does not change the text. */
void memdump(StrBuf *out, const MemDumpFormat *fmt, uint64_t addr, bool is_physical,
             MemDumpRead *read, void *opaque);

#endif
