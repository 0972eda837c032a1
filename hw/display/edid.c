/* hw/display/edid.c: a monitor's EDID block. */
#include "hw/display/edid.h"

#include <string.h>

/* The block's 18-byte descriptors. */
enum { DESC_NAME = 0xfc, DESC_RANGE = 0xfd, DESC_DUMMY = 0x10 };

/* A detailed timing for width x height at 60 Hz with CVT-style reduced
 * blanking (160 pixels across, about 460 us down). A mode too large for
 * its 12-bit fields is clamped: the guest takes the exact size from the
 * device's display info, the EDID only lists it. */
static void detailed_timing(uint8_t *d, uint32_t width, uint32_t height)
{
    if (width > 4095)
        width = 4095;
    if (height > 4095)
        height = 4095;
    uint32_t hblank = 160, hfront = 48, hsync = 32;
    uint32_t vfront = 3, vsync = 6;
    uint32_t vblank = (height * 60 * 460 + 999999) / 1000000 + vfront + vsync;
    if (vblank < vfront + vsync + 6)
        vblank = vfront + vsync + 6;
    uint64_t clock = (uint64_t)(width + hblank) * (height + vblank) * 60 / 10000; /* 10 kHz */
    if (clock > 0xffff)
        clock = 0xffff;
    /* 100 dpi, in millimetres. */
    uint32_t width_mm = width * 254 / 1000, height_mm = height * 254 / 1000;

    d[0] = (uint8_t)clock;
    d[1] = (uint8_t)(clock >> 8);
    d[2] = (uint8_t)width;
    d[3] = (uint8_t)hblank;
    d[4] = (uint8_t)(((width >> 8) << 4) | (hblank >> 8));
    d[5] = (uint8_t)height;
    d[6] = (uint8_t)vblank;
    d[7] = (uint8_t)(((height >> 8) << 4) | (vblank >> 8));
    d[8] = (uint8_t)hfront;
    d[9] = (uint8_t)hsync;
    d[10] = (uint8_t)(((vfront & 15) << 4) | (vsync & 15));
    d[11] =
        (uint8_t)(((hfront >> 8) << 6) | ((hsync >> 8) << 4) | ((vfront >> 4) << 2) | (vsync >> 4));
    d[12] = (uint8_t)width_mm;
    d[13] = (uint8_t)height_mm;
    d[14] = (uint8_t)(((width_mm >> 8) << 4) | ((height_mm >> 8) & 15));
    d[17] = 0x1a; /* digital separate sync, hsync +, vsync - (reduced blanking) */
}

static void descriptor(uint8_t *d, uint8_t tag)
{
    memset(d, 0, 18);
    d[3] = tag;
}

static void name_descriptor(uint8_t *d, const char *name)
{
    descriptor(d, DESC_NAME);
    size_t len = strlen(name);
    if (len > 13)
        len = 13;
    memcpy(d + 5, name, len);
    if (len < 13) {
        d[5 + len] = '\n';
        memset(d + 6 + len, ' ', 13 - len - 1);
    }
}

static void range_descriptor(uint8_t *d)
{
    descriptor(d, DESC_RANGE);
    d[5] = 50; /* Hz, vertical */
    d[6] = 125;
    d[7] = 30; /* kHz, horizontal */
    d[8] = 160;
    d[9] = 66;    /* 660 MHz pixel clock */
    d[10] = 0x01; /* range limits only */
    d[11] = '\n';
    memset(d + 12, ' ', 6);
}

/* sRGB's primaries and white point, 10-bit fractions. */
static void chromaticity(uint8_t *c)
{
    static const uint16_t xy[8] = {655, 338, 307, 614, 154, 61, 320, 337};
    uint8_t low = 0;
    for (int i = 0; i < 4; i++)
        low |= (uint8_t)((xy[i] & 3) << (6 - 2 * i));
    c[0] = low;
    low = 0;
    for (int i = 0; i < 4; i++)
        low |= (uint8_t)((xy[4 + i] & 3) << (6 - 2 * i));
    c[1] = low;
    for (int i = 0; i < 8; i++)
        c[2 + i] = (uint8_t)(xy[i] >> 2);
}

void edid_generate(uint8_t block[EDID_BLOCK_SIZE], uint32_t width, uint32_t height,
                   const char *name)
{
    static const uint8_t header[8] = {0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00};
    memset(block, 0, EDID_BLOCK_SIZE);
    memcpy(block, header, 8);
    /* Manufacturer "EMB": three letters of five bits, big-endian. */
    uint16_t vendor = ('E' - '@') << 10 | ('M' - '@') << 5 | ('B' - '@');
    block[8] = (uint8_t)(vendor >> 8);
    block[9] = (uint8_t)vendor;
    block[10] = 0x01; /* product code */
    block[17] = 2024 - 1990;
    block[18] = 1; /* EDID 1.4 */
    block[19] = 4;
    block[20] = 0xa5; /* digital, 8 bits per colour, DisplayPort */
    block[21] = (uint8_t)(width * 254 / 100000 ? width * 254 / 100000 : 1); /* cm */
    block[22] = (uint8_t)(height * 254 / 100000 ? height * 254 / 100000 : 1);
    block[23] = 120;  /* gamma 2.2 */
    block[24] = 0x06; /* sRGB; the preferred timing is the native mode */
    chromaticity(block + 25);
    block[35] = 0x21;             /* 640x480 and 800x600 at 60 Hz */
    block[36] = 0x08;             /* 1024x768 at 60 Hz */
    memset(block + 38, 0x01, 16); /* no standard timings */
    detailed_timing(block + 54, width, height);
    range_descriptor(block + 72);
    name_descriptor(block + 90, name);
    descriptor(block + 108, DESC_DUMMY);
    uint8_t sum = 0;
    for (int i = 0; i < EDID_BLOCK_SIZE - 1; i++)
        sum += block[i];
    block[EDID_BLOCK_SIZE - 1] = (uint8_t)(0x100 - sum);
}
