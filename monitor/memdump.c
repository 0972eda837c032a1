/* monitor/memdump.c: x and xp as QEMU 7.2 prints them (monitor/misc.c
 * memory_dump, the "/FMT" rules of monitor/hmp.c, and the RISC-V listing
 * of disas/riscv.c), checked against qemu-system-riscv64 byte for byte;
 * only the instruction text itself is ember's (objdump's syntax). */
#include "monitor/memdump.h"

#include <ctype.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "disasm/riscv_disasm.h"
#include "util/le.h"

/* QEMU's disassembler pads the mnemonic to this column and an address
 * note ("# 0x...") to twice it. */
#define INSN_TEXT_COLUMN 24
/* What QEMU steps over after an unreadable instruction: its disassembler
 * returns EIO, which the listing takes for a length. */
#define INSN_UNREADABLE_STEP 5

bool memdump_parse_format(const char *text, MemDumpFormat *fmt, char *err, size_t errlen)
{
    const char *p = text ? text : "";
    while (isspace((unsigned char)*p))
        p++;
    if (*p != '/') {
        fmt->count = 1;
        return true;
    }
    p++;

    unsigned long long count = 1;
    if (isdigit((unsigned char)*p)) {
        count = 0;
        while (isdigit((unsigned char)*p)) {
            count = count * 10 + (unsigned)(*p - '0');
            /* QEMU keeps the count in an int and overflows it. */
            if (count > INT_MAX) {
                snprintf(err, errlen, "count too large in format");
                return false;
            }
            p++;
        }
    }

    int format = -1;
    unsigned size = 0;
    for (;; p++) {
        switch (*p) {
        case 'o':
        case 'd':
        case 'u':
        case 'x':
        case 'i':
        case 'c':
            format = *p;
            continue;
        case 'b':
            size = 1;
            continue;
        case 'h':
            size = 2;
            continue;
        case 'w':
            size = 4;
            continue;
        case 'g':
        case 'L':
            size = 8;
            continue;
        default:
            break;
        }
        break;
    }
    if (*p != '\0' && !isspace((unsigned char)*p)) {
        snprintf(err, errlen, "invalid char in format: '%c'", *p);
        return false;
    }

    if (format < 0)
        format = fmt->format;
    /* A size given with 'i' is ignored and not remembered. */
    if (format != 'i' && size != 0)
        fmt->size = size;
    fmt->format = (char)format;
    fmt->count = (unsigned)count;
    return true;
}

/* QEMU's monitor_printc. */
static void print_char(StrBuf *out, unsigned c)
{
    switch (c) {
    case '\'':
        strbuf_printf(out, "'\\''");
        break;
    case '\\':
        strbuf_printf(out, "'\\\\'");
        break;
    case '\n':
        strbuf_printf(out, "'\\n'");
        break;
    case '\r':
        strbuf_printf(out, "'\\r'");
        break;
    default:
        if (c >= 32 && c <= 126)
            strbuf_printf(out, "'%c'", (char)c);
        else
            strbuf_printf(out, "'\\x%02x'", c);
        break;
    }
}

/* ember's "mnemonic\toperands[ # note]" in QEMU's columns: the mnemonic
 * padded to column 24 (even with no operands, as QEMU does), the note
 * moved to column 48. */
static void print_insn_text(StrBuf *out, const char *text)
{
    const char *tab = strchr(text, '\t');
    int mnemonic_len = tab ? (int)(tab - text) : (int)strlen(text);
    strbuf_printf(out, "%-*.*s", INSN_TEXT_COLUMN, mnemonic_len, text);
    if (!tab)
        return;

    const char *operands = tab + 1;
    const char *note = strstr(operands, " # ");
    if (!note) {
        strbuf_printf(out, "%s", operands);
        return;
    }
    int operands_len = (int)(note - operands);
    int column = (mnemonic_len > INSN_TEXT_COLUMN ? mnemonic_len : INSN_TEXT_COLUMN) + operands_len;
    int pad = column < 2 * INSN_TEXT_COLUMN ? 2 * INSN_TEXT_COLUMN - column : 1;
    strbuf_printf(out, "%.*s%*s%s", operands_len, operands, pad, "", note + 1);
}

static void dump_instructions(StrBuf *out, unsigned count, uint64_t pc, MemDumpRead *read,
                              void *opaque)
{
    for (unsigned i = 0; i < count; i++) {
        uint8_t bytes[4];
        strbuf_printf(out, "0x%016" PRIx64 ":  ", pc);
        if (!read(opaque, pc, bytes, 2)) {
            strbuf_printf(out, "Address 0x%" PRIx64 " is out of bounds.\n\n", pc);
            pc += INSN_UNREADABLE_STEP;
            continue;
        }
        uint32_t insn = ld_le16(bytes);
        /* Like QEMU, a 32-bit instruction whose second half cannot be read
         * is shown with that half zero. */
        if ((insn & 3) == 3 && read(opaque, pc + 2, bytes + 2, 2))
            insn |= (uint32_t)ld_le16(bytes + 2) << 16;

        char text[128];
        int len = riscv_disasm(pc, insn, text, sizeof(text));
        if (len == 2)
            strbuf_printf(out, "%04" PRIx32 "              ", insn & 0xffff);
        else
            strbuf_printf(out, "%08" PRIx32 "          ", insn);
        print_insn_text(out, text);
        strbuf_append(out, "\n", 1);
        pc += (uint64_t)len;
    }
}

void memdump(StrBuf *out, const MemDumpFormat *fmt, uint64_t addr, bool is_physical,
             MemDumpRead *read, void *opaque)
{
    (void)is_physical;
    if (fmt->format == 'i') {
        dump_instructions(out, fmt->count, addr, read, opaque);
        return;
    }

    unsigned size = fmt->size == 2 || fmt->size == 4 || fmt->size == 8 ? fmt->size : 1;
    /* Computed before 'c' narrows the unit to a byte, as in QEMU: /4cw
     * shows 16 characters, 16 to a line. */
    uint64_t len = (uint64_t)size * fmt->count;
    unsigned line_size = size == 1 ? 8 : 16;
    int digits;
    switch (fmt->format) {
    case 'o':
        digits = (int)(size * 8 + 2) / 3;
        break;
    case 'u':
    case 'd':
        digits = (int)(size * 8 * 10 + 32) / 33;
        break;
    case 'c':
        digits = 0;
        size = 1;
        break;
    default:
        digits = (int)size * 2;
        break;
    }

    while (len > 0) {
        uint8_t buf[16];
        unsigned l = len < line_size ? (unsigned)len : line_size;
        strbuf_printf(out, "%016" PRIx64 ":", addr);
        if (!read(opaque, addr, buf, l)) {
            strbuf_printf(out, " Cannot access memory\n");
            return;
        }
        for (unsigned i = 0; i < l; i += size) {
            uint64_t v = ld_le(buf + i, size);
            switch (fmt->format) {
            case 'o':
                strbuf_printf(out, " %#*" PRIo64, digits, v);
                break;
            case 'u':
                strbuf_printf(out, " %*" PRIu64, digits, v);
                break;
            case 'd':
                /* Only a 64-bit unit can come out negative. */
                strbuf_printf(out, " %*" PRId64, digits, (int64_t)v);
                break;
            case 'c':
                strbuf_append(out, " ", 1);
                print_char(out, (unsigned)v);
                break;
            default:
                strbuf_printf(out, " 0x%0*" PRIx64, digits, v);
                break;
            }
        }
        strbuf_append(out, "\n", 1);
        addr += l;
        len -= l;
    }
}
