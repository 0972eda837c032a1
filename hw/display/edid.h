/* hw/display/edid.h: the EDID a virtual monitor reports (VESA E-EDID 1.4,
 * one 128-byte block): a preferred mode of the window's size at 60 Hz, the
 * usual established modes, range limits and the monitor's name. */
#ifndef EMBER_HW_DISPLAY_EDID_H
#define EMBER_HW_DISPLAY_EDID_H

#include <stdint.h>

#define EDID_BLOCK_SIZE 128

/* Fills block with the EDID of a monitor called name (at most 13
 * characters are used) whose preferred mode is width x height. */
void edid_generate(uint8_t block[EDID_BLOCK_SIZE], uint32_t width, uint32_t height,
                   const char *name);

#endif
