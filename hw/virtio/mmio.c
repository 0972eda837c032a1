/* hw/virtio/mmio.c: the virtio-mmio transport, version 2. Registers are
 * 32 bits wide; the device's config space starts at 0x100. */
#include "hw/virtio/mmio.h"

#include <inttypes.h>
#include <libfdt.h>
#include <stdio.h>

#include "util/log.h"

enum {
    REG_MAGIC = 0x000,
    REG_VERSION = 0x004,
    REG_DEVICE_ID = 0x008,
    REG_VENDOR_ID = 0x00c,
    REG_DEVICE_FEATURES = 0x010,
    REG_DEVICE_FEATURES_SEL = 0x014,
    REG_DRIVER_FEATURES = 0x020,
    REG_DRIVER_FEATURES_SEL = 0x024,
    REG_QUEUE_SEL = 0x030,
    REG_QUEUE_NUM_MAX = 0x034,
    REG_QUEUE_NUM = 0x038,
    REG_QUEUE_READY = 0x044,
    REG_QUEUE_NOTIFY = 0x050,
    REG_INTERRUPT_STATUS = 0x060,
    REG_INTERRUPT_ACK = 0x064,
    REG_STATUS = 0x070,
    REG_QUEUE_DESC_LOW = 0x080,
    REG_QUEUE_DESC_HIGH = 0x084,
    REG_QUEUE_DRIVER_LOW = 0x090,
    REG_QUEUE_DRIVER_HIGH = 0x094,
    REG_QUEUE_DEVICE_LOW = 0x0a0,
    REG_QUEUE_DEVICE_HIGH = 0x0a4,
    REG_SHM_SEL = 0x0ac,
    REG_SHM_LEN_LOW = 0x0b0,
    REG_SHM_LEN_HIGH = 0x0b4,
    REG_SHM_BASE_LOW = 0x0b8,
    REG_SHM_BASE_HIGH = 0x0bc,
    REG_CONFIG_GENERATION = 0x0fc,
    REG_CONFIG = 0x100,
};

#define VIRTIO_MMIO_MAGIC 0x74726976 /* "virt" */
#define VIRTIO_MMIO_VERSION 2
#define VIRTIO_MMIO_VENDOR 0x554d4551 /* "QEMU", as QEMU's devices say */

void virtio_mmio_init(VirtioMmio *mmio, VirtioDevice *vdev, IrqLine irq)
{
    *mmio = (VirtioMmio){.vdev = vdev};
    if (vdev)
        virtio_set_irq(vdev, irq);
}

void virtio_mmio_reset(VirtioMmio *mmio)
{
    mmio->device_features_sel = mmio->driver_features_sel = mmio->queue_sel = 0;
    if (mmio->vdev)
        virtio_reset(mmio->vdev);
}

static VirtQueue *selected_queue(VirtioMmio *mmio)
{
    VirtioDevice *vdev = mmio->vdev;
    return mmio->queue_sel < vdev->cls->num_queues ? &vdev->queues[mmio->queue_sel] : NULL;
}

static uint64_t config_read(VirtioDevice *vdev, uint64_t offset, unsigned size)
{
    if (offset + size > vdev->config_size) {
        log_guest_error("virtio %s: config read of %u bytes at 0x%" PRIx64 " beyond its %u\n",
                        vdev->cls->name, size, offset, vdev->config_size);
        return 0;
    }
    uint64_t value = 0;
    for (unsigned i = 0; i < size; i++)
        value |= (uint64_t)vdev->config[offset + i] << (8 * i);
    return value;
}

static void config_write(VirtioDevice *vdev, uint64_t offset, uint64_t value, unsigned size)
{
    if (offset + size > vdev->config_size || !vdev->cls->config_written) {
        log_guest_error("virtio %s: config write of %u bytes at 0x%" PRIx64 " ignored\n",
                        vdev->cls->name, size, offset);
        return;
    }
    for (unsigned i = 0; i < size; i++)
        vdev->config[offset + i] = (uint8_t)(value >> (8 * i));
    vdev->cls->config_written(vdev, (unsigned)offset, size);
}

static uint64_t mmio_read(void *opaque, uint64_t offset, unsigned size)
{
    VirtioMmio *mmio = opaque;
    VirtioDevice *vdev = mmio->vdev;
    if (offset >= REG_CONFIG)
        return vdev ? config_read(vdev, offset - REG_CONFIG, size) : 0;
    if (size != 4 || (offset & 3)) {
        log_guest_error("virtio-mmio: %u-byte read of register 0x%" PRIx64 "\n", size, offset);
        return 0;
    }
    switch (offset) {
    case REG_MAGIC:
        return VIRTIO_MMIO_MAGIC;
    case REG_VERSION:
        return VIRTIO_MMIO_VERSION;
    case REG_DEVICE_ID:
        return vdev ? vdev->cls->device_id : 0;
    case REG_VENDOR_ID:
        return VIRTIO_MMIO_VENDOR;
    }
    if (!vdev)
        return 0;
    VirtQueue *vq = selected_queue(mmio);
    switch (offset) {
    case REG_DEVICE_FEATURES:
        return mmio->device_features_sel < 2
                   ? (uint32_t)(vdev->host_features >> (32 * mmio->device_features_sel))
                   : 0;
    case REG_QUEUE_NUM_MAX:
        return vq ? vq->size_max : 0;
    case REG_QUEUE_READY:
        return vq ? vq->ready : 0;
    case REG_INTERRUPT_STATUS:
        return vdev->isr;
    case REG_STATUS:
        return vdev->status;
    case REG_QUEUE_DESC_LOW:
        return vq ? (uint32_t)vq->desc_addr : 0;
    case REG_QUEUE_DESC_HIGH:
        return vq ? (uint32_t)(vq->desc_addr >> 32) : 0;
    case REG_QUEUE_DRIVER_LOW:
        return vq ? (uint32_t)vq->avail_addr : 0;
    case REG_QUEUE_DRIVER_HIGH:
        return vq ? (uint32_t)(vq->avail_addr >> 32) : 0;
    case REG_QUEUE_DEVICE_LOW:
        return vq ? (uint32_t)vq->used_addr : 0;
    case REG_QUEUE_DEVICE_HIGH:
        return vq ? (uint32_t)(vq->used_addr >> 32) : 0;
    case REG_SHM_LEN_LOW: /* no shared memory regions: length -1 (4.2.2) */
    case REG_SHM_LEN_HIGH:
        return 0xffffffff;
    case REG_CONFIG_GENERATION:
        return vdev->config_generation;
    default:
        return 0; /* write-only and reserved registers */
    }
}

/* Sets the low or high half of a queue address, which may only change while
 * the queue is not ready. */
static void set_half(VirtQueue *vq, uint64_t *addr, bool high, uint32_t value)
{
    if (!vq || vq->ready)
        return;
    *addr =
        high ? (*addr & 0xffffffffull) | ((uint64_t)value << 32) : (*addr & ~0xffffffffull) | value;
}

static void mmio_write(void *opaque, uint64_t offset, uint64_t value, unsigned size)
{
    VirtioMmio *mmio = opaque;
    VirtioDevice *vdev = mmio->vdev;
    if (!vdev)
        return;
    if (offset >= REG_CONFIG) {
        config_write(vdev, offset - REG_CONFIG, value, size);
        return;
    }
    if (size != 4 || (offset & 3)) {
        log_guest_error("virtio-mmio: %u-byte write of register 0x%" PRIx64 "\n", size, offset);
        return;
    }
    uint32_t v = (uint32_t)value;
    VirtQueue *vq = selected_queue(mmio);
    switch (offset) {
    case REG_DEVICE_FEATURES_SEL:
        mmio->device_features_sel = v;
        break;
    case REG_DRIVER_FEATURES:
        if (mmio->driver_features_sel < 2 && !(vdev->status & VIRTIO_STATUS_FEATURES_OK)) {
            unsigned shift = 32 * mmio->driver_features_sel;
            vdev->guest_features =
                (vdev->guest_features & ~(0xffffffffull << shift)) | ((uint64_t)v << shift);
        }
        break;
    case REG_DRIVER_FEATURES_SEL:
        mmio->driver_features_sel = v;
        break;
    case REG_QUEUE_SEL:
        mmio->queue_sel = v;
        break;
    case REG_QUEUE_NUM:
        if (vq && !vq->ready)
            vq->size = v > 0xffff ? 0 : (uint16_t)v; /* checked when enabled */
        break;
    case REG_QUEUE_READY:
        if (!vq)
            break;
        if (v == 1 && !vq->ready)
            virtio_queue_enable(vdev, mmio->queue_sel);
        else if (v == 0)
            vq->ready = false;
        break;
    case REG_QUEUE_NOTIFY:
        virtio_queue_notify(vdev, v & 0xffff);
        break;
    case REG_INTERRUPT_ACK:
        virtio_ack_interrupt(vdev, (uint8_t)v);
        break;
    case REG_STATUS:
        if (v == 0)
            virtio_mmio_reset(mmio);
        else
            virtio_set_status(vdev, (uint8_t)v);
        break;
    case REG_QUEUE_DESC_LOW:
    case REG_QUEUE_DESC_HIGH:
        set_half(vq, vq ? &vq->desc_addr : NULL, offset == REG_QUEUE_DESC_HIGH, v);
        break;
    case REG_QUEUE_DRIVER_LOW:
    case REG_QUEUE_DRIVER_HIGH:
        set_half(vq, vq ? &vq->avail_addr : NULL, offset == REG_QUEUE_DRIVER_HIGH, v);
        break;
    case REG_QUEUE_DEVICE_LOW:
    case REG_QUEUE_DEVICE_HIGH:
        set_half(vq, vq ? &vq->used_addr : NULL, offset == REG_QUEUE_DEVICE_HIGH, v);
        break;
    case REG_SHM_SEL:
        break;
    default:
        log_guest_error("virtio-mmio: write of read-only or reserved register 0x%" PRIx64 "\n",
                        offset);
    }
}

const MemoryOps virtio_mmio_ops = {
    .read = mmio_read,
    .write = mmio_write,
    .min_size = 1,
    .max_size = 8,
};

int virtio_mmio_fdt_node(void *fdt, uint64_t base, uint32_t plic_phandle, unsigned irq)
{
    char name[32];
    snprintf(name, sizeof(name), "virtio_mmio@%" PRIx64, base);
    fdt64_t reg[2] = {cpu_to_fdt64(base), cpu_to_fdt64(VIRTIO_MMIO_SIZE)};
    int err;
    if ((err = fdt_begin_node(fdt, name)) || (err = fdt_property_u32(fdt, "interrupts", irq)) ||
        (err = fdt_property_u32(fdt, "interrupt-parent", plic_phandle)) ||
        (err = fdt_property(fdt, "reg", reg, sizeof(reg))) ||
        (err = fdt_property_string(fdt, "compatible", "virtio,mmio")) || (err = fdt_end_node(fdt)))
        return err;
    return 0;
}
