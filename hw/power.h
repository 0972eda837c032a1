/* hw/power.h: how devices ask the board to power off or reset, without
 * knowing the board. */
#ifndef EMBER_HW_POWER_H
#define EMBER_HW_POWER_H

typedef struct PowerControl {
    void (*shutdown)(void *opaque, int status); /* status: ember's exit status */
    void (*reset)(void *opaque);
    void *opaque;
} PowerControl;

#endif
