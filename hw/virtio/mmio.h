/* hw/virtio/mmio.h: the virtio-mmio transport, version 2 (virtio 1.1, 4.2):
 * one register window per slot, with or without a device behind it. */
#ifndef EMBER_HW_VIRTIO_MMIO_H
#define EMBER_HW_VIRTIO_MMIO_H

#include <stdint.h>

#include "hw/irq.h"
#include "hw/virtio/virtio.h"
#include "softmmu/memory.h"
#include "hw/device.h"

#define VIRTIO_MMIO_SIZE 0x1000

typedef struct VirtioMmio {
    VirtioDevice *vdev; /* NULL: an empty slot (device ID 0) */
    uint32_t device_features_sel;
    uint32_t driver_features_sel;
    uint32_t queue_sel;
} VirtioMmio;

extern const MemoryOps virtio_mmio_ops;

/* An empty slot, or one with vdev plugged in, interrupting on irq. */
void virtio_mmio_init(VirtioMmio *mmio, VirtioDevice *vdev, IrqLine irq);
/* Machine reset: the device resets as if the driver wrote status 0. */
void virtio_mmio_reset(VirtioMmio *mmio);

/* Emits the slot's node (sequential-write libfdt) as QEMU's virt does;
 * 0 or a negative libfdt error. */
int virtio_mmio_fdt_node(void *fdt, uint64_t base, uint32_t plic_phandle, unsigned irq);

extern const DeviceType virtio_mmio_type;

#endif
