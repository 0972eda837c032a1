/* hw/virtio/virtio.h: what every virtio device shares, whatever its
 * transport: status, feature negotiation, queues, the interrupt status and
 * the config space (virtio 1.1, chapters 2 and 4.2). */
#ifndef EMBER_HW_VIRTIO_VIRTIO_H
#define EMBER_HW_VIRTIO_VIRTIO_H

#include <stdbool.h>
#include <stdint.h>

#include "hw/irq.h"
#include "util/state.h"
#include "hw/virtio/queue.h"
#include "hw/virtio/virtio_spec.h"
#include "softmmu/memory.h"

/* Feature bits every device may offer (device-specific ones are below 24). */
#define VIRTIO_F_INDIRECT_DESC (1ull << 28)
#define VIRTIO_F_EVENT_IDX (1ull << 29)
#define VIRTIO_F_VERSION_1 (1ull << 32)

enum virtio_device_id {
    VIRTIO_ID_NET = 1,
    VIRTIO_ID_BLOCK = 2,
    VIRTIO_ID_CONSOLE = 3,
    VIRTIO_ID_RNG = 4,
    VIRTIO_ID_GPU = 16,
    VIRTIO_ID_INPUT = 18,
};

#define VIRTIO_MAX_QUEUES 4
/* virtio-input's is the largest: 8 bytes of selectors and a 128-byte union. */
#define VIRTIO_MAX_CONFIG 136

typedef struct VirtioDevice VirtioDevice;

/* What makes a device a particular kind; every hook but notify is optional. */
typedef struct VirtioDeviceClass {
    const char *name; /* QEMU's -device name, for messages */
    uint32_t device_id;
    unsigned num_queues;
    uint16_t queue_size_max;
    /* The driver made buffers available on queue n. */
    void (*notify)(VirtioDevice *vdev, unsigned n);
    /* The device returns to its initial state (queues are already reset). */
    void (*reset)(VirtioDevice *vdev);
    /* The driver set DRIVER_OK: the device may start using its queues. */
    void (*driver_ok)(VirtioDevice *vdev);
    /* The driver wrote size bytes (1, 2 or 4; little-endian value) at
     * offset, inside config_size; NULL: the config space is read-only
     * (writes are logged and ignored). */
    void (*config_write)(VirtioDevice *vdev, unsigned offset, unsigned size, uint32_t value);
} VirtioDeviceClass;

struct VirtioDevice {
    const VirtioDeviceClass *cls;
    AddressSpace *as; /* guest memory the queues live in */
    IrqLine irq;
    uint64_t host_features;
    uint64_t guest_features;
    uint8_t status;
    uint8_t isr;
    uint32_t config_generation;
    uint8_t config[VIRTIO_MAX_CONFIG]; /* little-endian, as the guest sees it */
    unsigned config_size;
    VirtQueue queues[VIRTIO_MAX_QUEUES];
};

/* Sets up the common part; host_features must include VIRTIO_F_VERSION_1
 * (ember's devices are modern only). */
void virtio_device_init(VirtioDevice *vdev, const VirtioDeviceClass *cls, AddressSpace *as,
                        uint64_t host_features, unsigned config_size);
/* The transport connects the device's interrupt line. */
void virtio_set_irq(VirtioDevice *vdev, IrqLine irq);

/* The driver's status writes: 0 resets; FEATURES_OK is refused (left
 * clear) when the driver's features are not a subset of the device's or
 * lack VERSION_1. */
void virtio_set_status(VirtioDevice *vdev, uint8_t status);
void virtio_reset(VirtioDevice *vdev);
/* The driver wrote QueueReady = 1 for queue n; false (and the device needs
 * a reset) when the queue's size or ring addresses are unusable. */
bool virtio_queue_enable(VirtioDevice *vdev, unsigned n);
void virtio_queue_notify(VirtioDevice *vdev, unsigned n);
void virtio_ack_interrupt(VirtioDevice *vdev, uint8_t bits);

static inline bool virtio_has_feature(const VirtioDevice *vdev, uint64_t feature)
{
    return (vdev->guest_features & feature) != 0;
}

/* Whether the device is running: DRIVER_OK and not broken. */
bool virtio_device_live(const VirtioDevice *vdev);

/* For devices: the next request on queue n (1), none (0); a malformed queue
 * is reported through virtio_error and reads as empty from then on. */
int virtio_pop(VirtioDevice *vdev, unsigned n, VirtqElement *elem);
void virtio_push(VirtioDevice *vdev, unsigned n, const VirtqElement *elem, uint32_t len);

/* The loop every device's notify runs: handle each available request on
 * queue n (popped into elem), return it with the byte count handle gives,
 * and interrupt the driver once for the lot. A negative count means handle
 * broke the device (virtio_error): the loop stops there. */
void virtio_process_queue(VirtioDevice *vdev, unsigned n, VirtqElement *elem,
                          int64_t (*handle)(VirtioDevice *vdev, VirtqElement *elem));
/* The same loop for a device that paces itself: before each request it
 * stops when can_handle (NULL: always) says the device cannot take one now
 * (the device resumes by itself later), and after max requests. true when
 * it stopped at max with requests left: the device continues later (a
 * later main-loop turn), so no queue holds up the machine. */
bool virtio_process_queue_bounded(VirtioDevice *vdev, unsigned n, VirtqElement *elem,
                                  int64_t (*handle)(VirtioDevice *vdev, VirtqElement *elem),
                                  bool (*can_handle)(VirtioDevice *vdev), unsigned max);

/* Tells the driver (interrupt) that queue n has used buffers, unless it
 * asked not to be told (VIRTQ_AVAIL_F_NO_INTERRUPT or the event index). */
void virtio_notify(VirtioDevice *vdev, unsigned n);
/* The device changed its config space: bumps the generation, interrupts. */
void virtio_config_changed(VirtioDevice *vdev);
/* The driver broke the rules (a bad descriptor chain, say): logs one
 * warning, stops the device and asks the driver for a reset
 * (NEEDS_RESET plus a config interrupt). */
void virtio_error(VirtioDevice *vdev, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Little-endian config space accessors for the device. */
void virtio_config_set32(VirtioDevice *vdev, unsigned offset, uint32_t value);
void virtio_config_set64(VirtioDevice *vdev, unsigned offset, uint64_t value);

/* The common state, embedded in each device's description. */
extern const StateDescription virtio_device_state;

#endif
