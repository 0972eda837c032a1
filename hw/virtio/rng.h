/* hw/virtio/rng.h: virtio-rng (virtio 1.1, 5.4): the host's getrandom(). */
#ifndef EMBER_HW_VIRTIO_RNG_H
#define EMBER_HW_VIRTIO_RNG_H

#include "hw/virtio/virtio.h"
#include "hw/device.h"

typedef struct VirtioRng {
    VirtioDevice vdev; /* first: the transport sees only this */
    VirtqElement elem;
} VirtioRng;

void virtio_rng_init(VirtioRng *rng, AddressSpace *as);

extern const DeviceType virtio_rng_type;

#endif
