/* util/le.h: little-endian loads and stores at any alignment, for data the
 * guest shares with devices (rings, headers, config space). */
#ifndef EMBER_UTIL_LE_H
#define EMBER_UTIL_LE_H

#include <stdint.h>
#include <string.h>

/* Guest RAM is host memory in the guest's byte order; ember's hosts are
 * little-endian like RISC-V, so these are plain unaligned copies. */
_Static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "ember needs a little-endian host");

static inline uint16_t ld_le16(const void *p)
{
    uint16_t v;
    memcpy(&v, p, sizeof(v));
    return v;
}

static inline uint32_t ld_le32(const void *p)
{
    uint32_t v;
    memcpy(&v, p, sizeof(v));
    return v;
}

static inline uint64_t ld_le64(const void *p)
{
    uint64_t v;
    memcpy(&v, p, sizeof(v));
    return v;
}

static inline void st_le16(void *p, uint16_t v)
{
    memcpy(p, &v, sizeof(v));
}

static inline void st_le32(void *p, uint32_t v)
{
    memcpy(p, &v, sizeof(v));
}

static inline void st_le64(void *p, uint64_t v)
{
    memcpy(p, &v, sizeof(v));
}

/* A 1-, 2-, 4- or 8-byte little-endian value (any other size reads as 8). */
static inline uint64_t ld_le(const void *p, unsigned size)
{
    switch (size) {
    case 1:
        return *(const uint8_t *)p;
    case 2:
        return ld_le16(p);
    case 4:
        return ld_le32(p);
    default:
        return ld_le64(p);
    }
}

static inline void st_le(void *p, unsigned size, uint64_t value)
{
    switch (size) {
    case 1:
        *(uint8_t *)p = (uint8_t)value;
        break;
    case 2:
        st_le16(p, (uint16_t)value);
        break;
    case 4:
        st_le32(p, (uint32_t)value);
        break;
    default:
        st_le64(p, value);
        break;
    }
}

#endif
