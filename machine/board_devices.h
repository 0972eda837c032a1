/* machine/board_devices.h: the devices the command line asks for (-device,
 * and the virtio-blk-device of each -drive if=virtio), created through the
 * device registry and checked against the -drive and -chardev ids they
 * name, before anything is opened. */
#ifndef EMBER_MACHINE_BOARD_DEVICES_H
#define EMBER_MACHINE_BOARD_DEVICES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "hw/device.h"
#include "util/options.h"

typedef struct UserDevices {
    Device *dev[EMBER_MAX_DEVICES]; /* command-line order */
    unsigned n;
} UserDevices;

/* Creates (does not realize) every device; false with one line naming the
 * culprit in err: an unknown device or property, a duplicate id, a -drive
 * or -chardev that does not exist or is used twice, more virtio devices
 * than max_virtio slots. */
bool user_devices_create(const EmberOptions *opts, unsigned max_virtio, UserDevices *out, char *err,
                         size_t errlen);
void user_devices_free(UserDevices *devices);

/* -device help and -device NAME,help: prints the list or the properties
 * and returns true when one was asked for (false with err set when the
 * NAME is unknown). */
bool user_devices_help(const EmberOptions *opts, FILE *out, bool *failed, char *err, size_t errlen);

#endif
