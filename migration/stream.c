/* migration/stream.c: writing and reading ember's machine stream (see
 * stream.h and STREAM.md). */
#include "migration/stream.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "util/le.h"

static const uint8_t magic[8] = {'E', 'M', 'B', 'E', 'R', 'M', 'I', 'G'};

/* zlib's fastest level: RAM compresses about as well at 1 as at 6, and a
 * savevm of a busy guest spends its time here. */
#define RAM_LEVEL Z_BEST_SPEED

static void put_u32(StateBuffer *out, uint32_t v)
{
    uint8_t b[4];
    st_le32(b, v);
    state_buffer_put(out, b, 4);
}

static uint32_t crc_of(const uint8_t *data, size_t len)
{
    return (uint32_t)crc32(crc32(0, Z_NULL, 0), data, (uInt)len);
}

void mig_put_header(StateBuffer *out, const char *config)
{
    size_t start = out->len, n = strlen(config);
    state_buffer_put(out, magic, sizeof(magic));
    put_u32(out, MIG_STREAM_VERSION);
    put_u32(out, (uint32_t)n);
    state_buffer_put(out, config, n);
    if (!out->failed)
        put_u32(out, crc_of(out->data + start, out->len - start));
}

/* Type and length first, the payload written by the caller, then the CRC. */
static size_t begin_section(StateBuffer *out, uint8_t type)
{
    size_t start = out->len;
    state_buffer_put(out, &type, 1);
    put_u32(out, 0);
    return start;
}

static void end_section(StateBuffer *out, size_t start)
{
    if (out->failed)
        return;
    st_le32(out->data + start + 1, (uint32_t)(out->len - start - 5));
    put_u32(out, crc_of(out->data + start, out->len - start));
}

void mig_put_section(StateBuffer *out, uint8_t type, const void *payload, size_t len)
{
    size_t start = begin_section(out, type);
    state_buffer_put(out, payload, len);
    end_section(out, start);
}

void mig_put_end(StateBuffer *out, bool running)
{
    uint8_t flag = running;
    mig_put_section(out, MIG_SECTION_END, &flag, 1);
}

int mig_end_running(const MigSection *section, char *err, size_t errlen)
{
    if (section->len != 1 || section->payload[0] > 1) {
        snprintf(err, errlen, "the stream's end is malformed");
        return -1;
    }
    return section->payload[0];
}

enum { KIND_ZERO, KIND_PACKED, KIND_RAW, KIND_COUNT };

static bool page_is_zero(const uint8_t *page)
{
    static const uint8_t zeros[MIG_PAGE_SIZE];
    return memcmp(page, zeros, MIG_PAGE_SIZE) == 0;
}

/* Whether a page looks like noise (encrypted or compressed data, random
 * numbers): deflate gains nothing on those, at 50 MB/s here, while a copy
 * runs at gigabytes. Judged on a sample: 512 bytes of noise show about
 * 220 of the 256 byte values, code and text well under 200. */
#define SAMPLE 512
#define NOISE_VALUES 200

static bool page_is_noise(const uint8_t *page)
{
    uint8_t seen[256] = {0};
    unsigned distinct = 0;
    for (unsigned i = 0; i < SAMPLE; i++) {
        uint8_t b = page[i * (MIG_PAGE_SIZE / SAMPLE)];
        distinct += !seen[b];
        seen[b] = 1;
    }
    return distinct > NOISE_VALUES;
}

/* RAM payload (STREAM.md): count (u32), count page numbers (u32), count
 * kinds (u8: 0 a zero page, 1 packed, 2 raw), the packed pages' zlib
 * stream's length (u32) and the stream, then the raw pages. */
void mig_put_ram(StateBuffer *out, const uint8_t *ram, const uint32_t *pages, unsigned n,
                 MigRamStats *stats)
{
    /* Per thread: the packer's workers make sections side by side. */
    static _Thread_local uint8_t packed[MIG_RAM_BATCH * MIG_PAGE_SIZE];
    const uint8_t *raw[MIG_RAM_BATCH];
    size_t start = begin_section(out, MIG_SECTION_RAM);
    put_u32(out, n);
    for (unsigned i = 0; i < n; i++)
        put_u32(out, pages[i]);
    size_t n_packed = 0, n_raw = 0;
    for (unsigned i = 0; i < n; i++) {
        const uint8_t *page = ram + (uint64_t)pages[i] * MIG_PAGE_SIZE;
        uint8_t kind = page_is_zero(page)    ? KIND_ZERO
                       : page_is_noise(page) ? KIND_RAW
                                             : KIND_PACKED;
        state_buffer_put(out, &kind, 1);
        if (kind == KIND_PACKED)
            memcpy(packed + MIG_PAGE_SIZE * n_packed++, page, MIG_PAGE_SIZE);
        else if (kind == KIND_RAW)
            raw[n_raw++] = page;
    }
    stats->zero_pages += n - n_packed - n_raw;
    stats->normal_pages += n_packed + n_raw;
    uLongf clen = compressBound((uLong)(n_packed * MIG_PAGE_SIZE));
    size_t len_at = out->len;
    put_u32(out, 0);
    uint8_t *dst = state_buffer_reserve(out, clen);
    if (!dst)
        return;
    if (compress2(dst, &clen, packed, (uLong)(n_packed * MIG_PAGE_SIZE), RAM_LEVEL) != Z_OK) {
        out->failed = true;
        return;
    }
    out->len += clen;
    st_le32(out->data + len_at, (uint32_t)clen);
    for (size_t i = 0; i < n_raw; i++)
        state_buffer_put(out, raw[i], MIG_PAGE_SIZE);
    end_section(out, start);
}

long mig_get_header(const uint8_t *data, size_t len, char *config, char *err, size_t errlen)
{
    if (len < sizeof(magic))
        return 0;
    if (memcmp(data, magic, sizeof(magic)) != 0) {
        snprintf(err, errlen, "not an ember machine stream (no EMBERMIG magic)");
        return -1;
    }
    if (len < 16)
        return 0;
    uint32_t version = ld_le32(data + 8), n = ld_le32(data + 12);
    if (version != MIG_STREAM_VERSION) {
        snprintf(err, errlen, "stream version %u, this ember reads version %u", version,
                 MIG_STREAM_VERSION);
        return -1;
    }
    if (n >= MIG_CONFIG_MAX) {
        snprintf(err, errlen, "the stream's machine configuration is too long (%u bytes)", n);
        return -1;
    }
    if (len < 16 + (size_t)n + 4)
        return 0;
    if (ld_le32(data + 16 + n) != crc_of(data, 16 + (size_t)n)) {
        snprintf(err, errlen, "the stream's header is damaged (CRC mismatch)");
        return -1;
    }
    memcpy(config, data + 16, n);
    config[n] = '\0';
    if (strlen(config) != n) {
        snprintf(err, errlen, "the stream's machine configuration is not text");
        return -1;
    }
    return 16 + (long)n + 4;
}

long mig_get_section(const uint8_t *data, size_t len, MigSection *section, char *err, size_t errlen)
{
    if (len < 5)
        return 0;
    uint8_t type = data[0];
    uint32_t n = ld_le32(data + 1);
    if (type < MIG_SECTION_RAM || type > MIG_SECTION_END) {
        snprintf(err, errlen, "unknown section type %u in the stream", type);
        return -1;
    }
    if (n > MIG_SECTION_MAX) {
        snprintf(err, errlen, "a section of %u bytes in the stream (at most %u)", n,
                 MIG_SECTION_MAX);
        return -1;
    }
    if (len < 5 + (size_t)n + 4)
        return 0;
    if (ld_le32(data + 5 + n) != crc_of(data, 5 + (size_t)n)) {
        snprintf(err, errlen, "a section of the stream is damaged (CRC mismatch)");
        return -1;
    }
    *section = (MigSection){type, data + 5, n};
    return 5 + (long)n + 4;
}

bool mig_load_ram(const MigSection *section, uint8_t *ram, uint64_t ram_size, char *err,
                  size_t errlen)
{
    static _Thread_local uint8_t packed[MIG_RAM_BATCH * MIG_PAGE_SIZE];
    const uint8_t *p = section->payload;
    uint32_t len = section->len;
    if (len < 4)
        goto bad;
    uint32_t n = ld_le32(p);
    if (n > MIG_RAM_BATCH || len < 4 + 5 * (size_t)n + 4)
        goto bad;
    const uint8_t *numbers = p + 4, *kinds = p + 4 + 4 * (size_t)n;
    uint32_t clen = ld_le32(kinds + n);
    size_t n_packed = 0, n_raw = 0;
    for (uint32_t i = 0; i < n; i++) {
        uint32_t page = ld_le32(numbers + 4 * (size_t)i);
        if (kinds[i] >= KIND_COUNT) {
            snprintf(err, errlen, "a RAM section of the stream has an unknown page kind");
            return false;
        }
        if ((uint64_t)page >= ram_size / MIG_PAGE_SIZE) {
            snprintf(err, errlen, "the stream has page 0x%x, past this machine's %llu MiB of RAM",
                     page, (unsigned long long)(ram_size >> 20));
            return false;
        }
        n_packed += kinds[i] == KIND_PACKED;
        n_raw += kinds[i] == KIND_RAW;
    }
    size_t head = 4 + 5 * (size_t)n + 4;
    if (clen > len - head || len - head - clen != n_raw * MIG_PAGE_SIZE)
        goto bad;
    uLongf got = sizeof(packed);
    if (uncompress(packed, &got, kinds + n + 4, clen) != Z_OK || got != n_packed * MIG_PAGE_SIZE) {
        snprintf(err, errlen, "a RAM section of the stream does not decompress to its pages");
        return false;
    }
    if (!ram)
        return true;
    const uint8_t *next_packed = packed, *next_raw = kinds + n + 4 + clen;
    for (uint32_t i = 0; i < n; i++) {
        uint8_t *page = ram + (uint64_t)ld_le32(numbers + 4 * (size_t)i) * MIG_PAGE_SIZE;
        if (kinds[i] == KIND_ZERO) {
            memset(page, 0, MIG_PAGE_SIZE);
        } else if (kinds[i] == KIND_PACKED) {
            memcpy(page, next_packed, MIG_PAGE_SIZE);
            next_packed += MIG_PAGE_SIZE;
        } else {
            memcpy(page, next_raw, MIG_PAGE_SIZE);
            next_raw += MIG_PAGE_SIZE;
        }
    }
    return true;

bad:
    snprintf(err, errlen, "a RAM section of the stream is malformed");
    return false;
}
