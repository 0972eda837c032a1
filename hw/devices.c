/* hw/devices.c: the catalogue of device types a user may give with
 * -device. */
#include "hw/devices.h"

#include "hw/virtio/blk.h"
#include "hw/virtio/console.h"
#include "hw/virtio/gpu.h"
#include "hw/virtio/input.h"
#include "hw/virtio/net.h"
#include "hw/virtio/rng.h"

const DeviceType *const device_types[] = {
    &virtio_blk_type,      &virtio_rng_type,
    &virtio_serial_type,   &virtconsole_type,
    &virtio_net_type,      &virtio_gpu_type,
    &virtio_keyboard_type, &virtio_mouse_type,
    &virtio_tablet_type,   NULL,
};
