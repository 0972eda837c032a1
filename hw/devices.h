/* hw/devices.h: the catalogue of device types a user may give with
 * -device (QEMU's -device help); the board's own devices are named by its
 * table instead. */
#ifndef EMBER_HW_DEVICES_H
#define EMBER_HW_DEVICES_H

#include "hw/device.h"

/* Ends with NULL. */
extern const DeviceType *const device_types[];

#endif
