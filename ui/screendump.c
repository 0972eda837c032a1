/* ui/screendump.c: a console's surface as a PPM (QEMU's screendump
 * format) or PNG file. */
#include "ui/console.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

/* One row of the surface as RGB triples. */
static void row_rgb(const DisplaySurface *s, uint32_t y, uint8_t *out)
{
    unsigned r, g, b;
    pixel_format_rgb_bytes(s->format, &r, &g, &b);
    const uint8_t *p = s->data + (size_t)y * s->stride;
    for (uint32_t x = 0; x < s->width; x++, p += 4, out += 3) {
        out[0] = p[r];
        out[1] = p[g];
        out[2] = p[b];
    }
}

static bool write_ppm(FILE *f, const DisplaySurface *s, uint8_t *row)
{
    if (fprintf(f, "P6\n%u %u\n255\n", s->width, s->height) < 0)
        return false;
    for (uint32_t y = 0; y < s->height; y++) {
        row_rgb(s, y, row);
        if (fwrite(row, 3, s->width, f) != s->width)
            return false;
    }
    return true;
}

static void put_be32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

static bool png_chunk(FILE *f, const char type[4], const uint8_t *data, size_t len)
{
    uint8_t head[8];
    put_be32(head, (uint32_t)len);
    memcpy(head + 4, type, 4);
    uLong crc = crc32(0, (const Bytef *)type, 4);
    if (len)
        crc = crc32(crc, data, (uInt)len);
    uint8_t tail[4];
    put_be32(tail, (uint32_t)crc);
    return fwrite(head, 1, 8, f) == 8 && (len == 0 || fwrite(data, 1, len, f) == len) &&
           fwrite(tail, 1, 4, f) == 4;
}

/* An 8-bit RGB PNG: each row is filter byte 0 and the pixels, deflated
 * as one stream and written in IDAT chunks as the output buffer fills. */
static bool write_png(FILE *f, const DisplaySurface *s, uint8_t *row)
{
    static const uint8_t signature[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    uint8_t ihdr[13];
    put_be32(ihdr, s->width);
    put_be32(ihdr + 4, s->height);
    ihdr[8] = 8;  /* bits per channel */
    ihdr[9] = 2;  /* RGB */
    ihdr[10] = 0; /* deflate */
    ihdr[11] = 0; /* adaptive filtering, here always None */
    ihdr[12] = 0; /* not interlaced */
    if (fwrite(signature, 1, 8, f) != 8 || !png_chunk(f, "IHDR", ihdr, sizeof(ihdr)))
        return false;

    enum { CHUNK = 64 * 1024 };
    uint8_t *out = malloc(CHUNK);
    z_stream z = {0};
    if (!out || deflateInit(&z, 6) != Z_OK) {
        free(out);
        return false;
    }
    bool ok = true;
    for (uint32_t y = 0; ok && y <= s->height; y++) {
        bool last = y == s->height;
        if (!last) {
            row[0] = 0;
            row_rgb(s, y, row + 1);
            z.next_in = row;
            z.avail_in = 1 + s->width * 3;
        }
        int flush = last ? Z_FINISH : Z_NO_FLUSH;
        int rc;
        do {
            z.next_out = out;
            z.avail_out = CHUNK;
            rc = deflate(&z, flush);
            size_t have = CHUNK - z.avail_out;
            if (rc == Z_STREAM_ERROR || (have && !png_chunk(f, "IDAT", out, have)))
                ok = false;
        } while (ok && (z.avail_in || (last && rc != Z_STREAM_END)));
    }
    deflateEnd(&z);
    free(out);
    return ok && png_chunk(f, "IEND", NULL, 0);
}

bool display_screendump(const DisplayConsole *con, const char *path, ScreendumpFormat format,
                        char *err, size_t errlen)
{
    DisplaySurface s;
    if (!display_console_surface(con, &s) || s.width == 0 || s.height == 0) {
        snprintf(err, errlen, "%s has no image to dump (the guest has not set up its display)",
                 display_console_device(con));
        return false;
    }
    uint8_t *row = malloc(1 + (size_t)s.width * 3);
    if (!row) {
        snprintf(err, errlen, "out of memory");
        return false;
    }
    FILE *f = fopen(path, "wb");
    if (!f) {
        snprintf(err, errlen, "failed to open file '%s': %s", path, strerror(errno));
        free(row);
        return false;
    }
    bool ok = format == SCREENDUMP_PNG ? write_png(f, &s, row) : write_ppm(f, &s, row);
    int saved = errno;
    if (fclose(f) != 0 && ok) {
        ok = false;
        saved = errno;
    }
    free(row);
    if (!ok) {
        snprintf(err, errlen, "failed to write '%s': %s", path,
                 saved ? strerror(saved) : "compression failed");
        unlink(path);
    }
    return ok;
}
