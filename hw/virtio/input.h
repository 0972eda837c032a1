/* hw/virtio/input.h: virtio-input (virtio 1.1, 5.8) as QEMU's keyboard,
 * mouse and tablet: the front ends' input (ui/input.h) goes to the guest
 * as Linux evdev events, and the config space describes each device the
 * way QEMU's does, so a guest sees the same input devices under both. */
#ifndef EMBER_HW_VIRTIO_INPUT_H
#define EMBER_HW_VIRTIO_INPUT_H

#include <stdbool.h>
#include <stdint.h>

#include "hw/device.h"
#include "hw/virtio/virtio.h"
#include "ui/input.h"

/* struct virtio_input_config: select, subsel, size, reserved[5], then the
 * union the query's answer goes into. */
enum {
    VIRTIO_INPUT_CONFIG_SELECT = 0,
    VIRTIO_INPUT_CONFIG_SUBSEL = 1,
    VIRTIO_INPUT_CONFIG_SIZE = 2,
    VIRTIO_INPUT_CONFIG_UNION = 8,
    VIRTIO_INPUT_CONFIG_UNION_SIZE = 128,
};

enum virtio_input_config_select {
    VIRTIO_INPUT_CFG_UNSET = 0x00,
    VIRTIO_INPUT_CFG_ID_NAME = 0x01,
    VIRTIO_INPUT_CFG_ID_SERIAL = 0x02,
    VIRTIO_INPUT_CFG_ID_DEVIDS = 0x03,
    VIRTIO_INPUT_CFG_PROP_BITS = 0x10,
    VIRTIO_INPUT_CFG_EV_BITS = 0x11,
    VIRTIO_INPUT_CFG_ABS_INFO = 0x12,
};

typedef enum VirtioInputKind {
    VIRTIO_INPUT_KEYBOARD,
    VIRTIO_INPUT_MOUSE,
    VIRTIO_INPUT_TABLET,
} VirtioInputKind;

/* QEMU's queue size; a group of events (up to its sync) must fit in the
 * event queue at once, so no group may be longer. */
#define VIRTIO_INPUT_QUEUE_SIZE 64
/* The ID_SERIAL string is at most the config union. */
#define VIRTIO_INPUT_SERIAL_MAX 128

/* One event as the guest gets it (struct virtio_input_event), host order. */
typedef struct VirtioInputEvent {
    uint16_t type;
    uint16_t code;
    int32_t value;
} VirtioInputEvent;

typedef struct VirtioInput {
    VirtioDevice vdev; /* first: the transport sees only this */
    VirtioInputKind kind;
    bool wheel; /* a mouse or tablet with REL_WHEEL (QEMU's wheel-axis) */
    char serial[VIRTIO_INPUT_SERIAL_MAX + 1]; /* empty: no ID_SERIAL */
    uint8_t leds; /* bit n: LED n (LED_NUML, LED_CAPSL, LED_SCROLLL) as the driver set it */
    InputHandlerEntry *handler;
    bool active; /* the handler was moved to the front: the driver set DRIVER_OK */
    /* The events of the group being assembled, up to the sync. */
    VirtioInputEvent pending[VIRTIO_INPUT_QUEUE_SIZE];
    unsigned n_pending;
    bool overflow; /* the group had more events than pending holds */
    VirtqElement elem;
} VirtioInput;

/* Sets the device up and registers its input handler (false when out of
 * memory). serial: NULL or empty for none, at most
 * VIRTIO_INPUT_SERIAL_MAX characters. */
bool virtio_input_init(VirtioInput *input, AddressSpace *as, VirtioInputKind kind, bool wheel,
                       const char *serial);
/* Unregisters the handler. */
void virtio_input_destroy(VirtioInput *input);

extern const DeviceType virtio_keyboard_type;
extern const DeviceType virtio_mouse_type;
extern const DeviceType virtio_tablet_type;

#endif
