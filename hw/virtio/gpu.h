/* hw/virtio/gpu.h: virtio-gpu in 2D mode (virtio 1.1, 5.7): the guest
 * draws into resources whose backing is its own RAM, copies rectangles of
 * them to the host (TRANSFER_TO_HOST_2D) and shows one per head
 * (SET_SCANOUT, RESOURCE_FLUSH); each head is a ui console. */
#ifndef EMBER_HW_VIRTIO_GPU_H
#define EMBER_HW_VIRTIO_GPU_H

#include "hw/device.h"
#include "hw/virtio/gpu_spec.h"
#include "hw/virtio/virtio.h"

typedef struct DisplayConsole DisplayConsole;

/* One guest RAM range backing a resource. */
typedef struct GpuBacking {
    uint64_t addr;
    uint32_t len;
    uint8_t *host; /* derived from addr: checked to lie in RAM */
} GpuBacking;

typedef struct GpuResource {
    uint32_t id;
    uint32_t format; /* VIRTIO_GPU_FORMAT_* */
    uint32_t width, height;
    uint32_t stride;
    uint8_t *pixels; /* stride * height bytes on the host */
    GpuBacking *backing;
    uint32_t n_backing;
    uint64_t backing_len; /* sum of the entries' lengths */
} GpuResource;

typedef struct GpuScanout {
    /* What the guest shows: a rectangle of a resource (0: disabled). */
    uint32_t resource_id;
    struct virtio_gpu_rect rect;
    /* What the head offers: connected, and the mode it prefers. */
    bool enabled;
    uint32_t width, height;
    /* The cursor: its resource's image, the hot spot, where it is. */
    uint32_t cursor_resource_id;
    uint32_t cursor_hot_x, cursor_hot_y;
    uint32_t cursor_x, cursor_y;
} GpuScanout;

typedef struct VirtioGpu {
    VirtioDevice vdev; /* first: the transport sees only this */
    uint32_t max_outputs;
    uint64_t max_hostmem; /* bytes all resources' pixels may take */
    uint32_t events_read;
    GpuScanout scanouts[VIRTIO_GPU_MAX_SCANOUTS];
    /* The resources, in no particular order. */
    GpuResource *resources;
    uint32_t n_resources, cap_resources;
    uint64_t hostmem; /* pixel bytes in use */
    DisplayConsole *consoles[VIRTIO_GPU_MAX_SCANOUTS];
    char name[DEVICE_ID_SIZE]; /* the console's device name */
    VirtqElement ctrl_elem, cursor_elem;
} VirtioGpu;

extern const DeviceType virtio_gpu_type;

#endif
