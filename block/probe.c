/* block/probe.c: image format probing. Each rule is the one QEMU 7.2 applies
 * (its version checks included: a header of an unknown version is raw to
 * QEMU, so it must be raw here too, or images QEMU lets a guest write would
 * be refused and the reverse). */
#include "block/probe.h"

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include "util/le.h"

static uint32_t ld_be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* The bytes of s, without its terminating NUL, at offset. */
static bool has(const uint8_t *buf, size_t offset, const char *s)
{
    return memcmp(buf + offset, s, strlen(s)) == 0;
}

/* s with its NUL, as formats whose header holds C strings compare them. */
static bool has_string(const uint8_t *buf, size_t offset, const char *s)
{
    return memcmp(buf + offset, s, strlen(s) + 1) == 0;
}

static bool is_qcow(const uint8_t *buf)
{
    return has(buf, 0, "QFI\xfb") && ld_be32(buf + 4) == 1;
}

static bool is_qcow2(const uint8_t *buf)
{
    return has(buf, 0, "QFI\xfb") && ld_be32(buf + 4) >= 2;
}

/* True if p starts a "version=1".."version=3" line ending in LF or CRLF. */
static bool is_vmdk_version_line(const char *p, const char *end)
{
    if (end - p < 10 || memcmp(p, "version=", 8) != 0 || p[8] < '1' || p[8] > '3')
        return false;
    return p[9] == '\n' || (end - p >= 11 && p[9] == '\r' && p[10] == '\n');
}

/* Sparse extents start with a magic; a text descriptor may open with
 * comment lines and lines of spaces, then must name its version. */
static bool is_vmdk(const uint8_t *buf)
{
    if (has(buf, 0, "KDMV") || has(buf, 0, "COWD"))
        return true;
    const char *p = (const char *)buf, *end = p + BLOCK_PROBE_SIZE;
    while (p < end) {
        if (*p == '#') {
            const char *newline = memchr(p, '\n', (size_t)(end - p));
            if (!newline)
                return false;
            p = newline + 1;
        } else if (*p == ' ') {
            while (p < end && *p == ' ')
                p++;
            if (p < end && *p == '\r')
                p++;
            if (p == end || *p != '\n')
                return false;
            p++;
        } else {
            return is_vmdk_version_line(p, end);
        }
    }
    return false;
}

static bool is_vdi(const uint8_t *buf)
{
    return ld_le32(buf + 0x40) == 0xbeda107f;
}

static bool is_vhdx(const uint8_t *buf)
{
    return has(buf, 0, "vhdxfile");
}

static bool is_qed(const uint8_t *buf)
{
    return has_string(buf, 0, "QED");
}

/* LUKS1 only: QEMU 7.2 takes a LUKS2 header for raw data. */
static bool is_luks(const uint8_t *buf)
{
    return has(buf, 0, "LUKS\xba\xbe") && buf[6] == 0 && buf[7] == 1;
}

static bool is_vpc(const uint8_t *buf)
{
    return has(buf, 0, "conectix");
}

static bool is_parallels(const uint8_t *buf)
{
    return (has(buf, 0, "WithoutFreeSpace") || has(buf, 0, "WithouFreSpacExt")) &&
           ld_le32(buf + 16) == 2;
}

/* Only growing redologs, versions 1 and 2. */
static bool is_bochs(const uint8_t *buf)
{
    uint32_t version = ld_le32(buf + 64);
    return has_string(buf, 0, "Bochs Virtual HD Image") && has_string(buf, 32, "Redolog") &&
           has_string(buf, 48, "Growing") && (version == 0x10000 || version == 0x20000);
}

/* The shell script header of cloop's own tools, whole. */
static bool is_cloop(const uint8_t *buf)
{
    return has(buf, 0,
               "#!/bin/sh\n#V2.0 Format\nmodprobe cloop file=$0 && mount -r -t iso9660 /dev/cloop "
               "$1\n");
}

static const struct {
    const char *format;
    bool (*matches)(const uint8_t *buf);
} probes[] = {
    {"qcow", is_qcow},   {"qcow2", is_qcow2}, {"vmdk", is_vmdk},           {"vdi", is_vdi},
    {"vhdx", is_vhdx},   {"qed", is_qed},     {"luks", is_luks},           {"vpc", is_vpc},
    {"bochs", is_bochs}, {"cloop", is_cloop}, {"parallels", is_parallels},
};

const char *block_probe_format(const uint8_t buf[BLOCK_PROBE_SIZE])
{
    for (size_t i = 0; i < sizeof(probes) / sizeof(probes[0]); i++) {
        if (probes[i].matches(buf))
            return probes[i].format;
    }
    return NULL;
}
