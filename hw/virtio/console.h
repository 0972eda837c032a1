/* hw/virtio/console.h: virtio-console (virtio 1.1, 5.3) with one port,
 * hvc0 in Linux, connected to a chardev. */
#ifndef EMBER_HW_VIRTIO_CONSOLE_H
#define EMBER_HW_VIRTIO_CONSOLE_H

#include "chardev/chardev.h"
#include "hw/virtio/virtio.h"
#include "hw/device.h"

typedef struct VirtioConsole {
    VirtioDevice vdev; /* first: the transport sees only this */
    Chardev *chr;      /* NULL: output is dropped, no input */
    /* The receive buffer being filled with input, taken from queue 0 when
     * the chardev asks how much room there is. */
    VirtqElement rx;
    bool rx_held;
    VirtqElement tx;
} VirtioConsole;

/* chr (may be NULL) stays the caller's; the console becomes its frontend. */
void virtio_console_init(VirtioConsole *con, AddressSpace *as, Chardev *chr);

extern const DeviceType virtconsole_type, virtio_serial_type;

#endif
