/* hw/virtio/mmio.c: the virtio-mmio transport, version 2. Registers are
 * 32 bits wide; the device's config space starts at 0x100. */
#include "hw/virtio/mmio.h"

#include <inttypes.h>
#include <libfdt.h>
#include <stdio.h>

#include "util/log.h"
#include "hw/device.h"

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

/* Devices with writable fields (virtio-gpu's events_clear, virtio-input's
 * selectors) take the write; for the others it is ignored. */
static void config_write(VirtioDevice *vdev, uint64_t offset, unsigned size, uint64_t value)
{
    if (vdev->cls->config_write && offset + size <= vdev->config_size && size <= 4) {
        vdev->cls->config_write(vdev, (unsigned)offset, size, (uint32_t)value);
        return;
    }
    log_guest_error("virtio %s: config write of %u bytes at 0x%" PRIx64 " ignored\n",
                    vdev->cls->name, size, offset);
}

static uint64_t mmio_read(void *opaque, uint64_t offset, unsigned size)
{
    VirtioMmio *mmio = opaque;
    VirtioDevice *vdev = mmio->vdev;
    if (offset >= VIRTIO_MMIO_CONFIG)
        return vdev ? config_read(vdev, offset - VIRTIO_MMIO_CONFIG, size) : 0;
    if (size != 4 || (offset & 3)) {
        log_guest_error("virtio-mmio: %u-byte read of register 0x%" PRIx64 "\n", size, offset);
        return 0;
    }
    switch (offset) {
    case VIRTIO_MMIO_MAGIC:
        return VIRTIO_MMIO_MAGIC_VALUE;
    case VIRTIO_MMIO_VERSION:
        return VIRTIO_MMIO_VERSION_MODERN;
    case VIRTIO_MMIO_DEVICE_ID:
        return vdev ? vdev->cls->device_id : 0;
    case VIRTIO_MMIO_VENDOR_ID:
        return VIRTIO_MMIO_VENDOR;
    }
    if (!vdev)
        return 0;
    VirtQueue *vq = selected_queue(mmio);
    switch (offset) {
    case VIRTIO_MMIO_DEVICE_FEATURES:
        return mmio->device_features_sel < 2
                   ? (uint32_t)(vdev->host_features >> (32 * mmio->device_features_sel))
                   : 0;
    case VIRTIO_MMIO_QUEUE_NUM_MAX:
        return vq ? vq->size_max : 0;
    case VIRTIO_MMIO_QUEUE_READY:
        return vq ? vq->ready : 0;
    case VIRTIO_MMIO_INTERRUPT_STATUS:
        return vdev->isr;
    case VIRTIO_MMIO_STATUS:
        return vdev->status;
    case VIRTIO_MMIO_QUEUE_DESC_LOW:
        return vq ? (uint32_t)vq->desc_addr : 0;
    case VIRTIO_MMIO_QUEUE_DESC_HIGH:
        return vq ? (uint32_t)(vq->desc_addr >> 32) : 0;
    case VIRTIO_MMIO_QUEUE_DRIVER_LOW:
        return vq ? (uint32_t)vq->avail_addr : 0;
    case VIRTIO_MMIO_QUEUE_DRIVER_HIGH:
        return vq ? (uint32_t)(vq->avail_addr >> 32) : 0;
    case VIRTIO_MMIO_QUEUE_DEVICE_LOW:
        return vq ? (uint32_t)vq->used_addr : 0;
    case VIRTIO_MMIO_QUEUE_DEVICE_HIGH:
        return vq ? (uint32_t)(vq->used_addr >> 32) : 0;
    case VIRTIO_MMIO_SHM_LEN_LOW: /* no shared memory regions: length -1 (4.2.2) */
    case VIRTIO_MMIO_SHM_LEN_HIGH:
        return 0xffffffff;
    case VIRTIO_MMIO_CONFIG_GENERATION:
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
    if (offset >= VIRTIO_MMIO_CONFIG) {
        config_write(vdev, offset - VIRTIO_MMIO_CONFIG, size, value);
        return;
    }
    if (size != 4 || (offset & 3)) {
        log_guest_error("virtio-mmio: %u-byte write of register 0x%" PRIx64 "\n", size, offset);
        return;
    }
    uint32_t v = (uint32_t)value;
    VirtQueue *vq = selected_queue(mmio);
    switch (offset) {
    case VIRTIO_MMIO_DEVICE_FEATURES_SEL:
        mmio->device_features_sel = v;
        break;
    case VIRTIO_MMIO_DRIVER_FEATURES:
        if (mmio->driver_features_sel < 2 && !(vdev->status & VIRTIO_STATUS_FEATURES_OK)) {
            unsigned shift = 32 * mmio->driver_features_sel;
            vdev->guest_features =
                (vdev->guest_features & ~(0xffffffffull << shift)) | ((uint64_t)v << shift);
        }
        break;
    case VIRTIO_MMIO_DRIVER_FEATURES_SEL:
        mmio->driver_features_sel = v;
        break;
    case VIRTIO_MMIO_QUEUE_SEL:
        mmio->queue_sel = v;
        break;
    case VIRTIO_MMIO_QUEUE_NUM:
        if (vq && !vq->ready)
            vq->size = v > 0xffff ? 0 : (uint16_t)v; /* checked when enabled */
        break;
    case VIRTIO_MMIO_QUEUE_READY:
        if (!vq)
            break;
        if (v == 1 && !vq->ready)
            virtio_queue_enable(vdev, mmio->queue_sel);
        else if (v == 0)
            vq->ready = false;
        break;
    case VIRTIO_MMIO_QUEUE_NOTIFY:
        virtio_queue_notify(vdev, v & 0xffff);
        break;
    case VIRTIO_MMIO_INTERRUPT_ACK:
        virtio_ack_interrupt(vdev, (uint8_t)v);
        break;
    case VIRTIO_MMIO_STATUS:
        if (v == 0)
            virtio_mmio_reset(mmio);
        else
            virtio_set_status(vdev, (uint8_t)v);
        break;
    case VIRTIO_MMIO_QUEUE_DESC_LOW:
    case VIRTIO_MMIO_QUEUE_DESC_HIGH:
        set_half(vq, vq ? &vq->desc_addr : NULL, offset == VIRTIO_MMIO_QUEUE_DESC_HIGH, v);
        break;
    case VIRTIO_MMIO_QUEUE_DRIVER_LOW:
    case VIRTIO_MMIO_QUEUE_DRIVER_HIGH:
        set_half(vq, vq ? &vq->avail_addr : NULL, offset == VIRTIO_MMIO_QUEUE_DRIVER_HIGH, v);
        break;
    case VIRTIO_MMIO_QUEUE_DEVICE_LOW:
    case VIRTIO_MMIO_QUEUE_DEVICE_HIGH:
        set_half(vq, vq ? &vq->used_addr : NULL, offset == VIRTIO_MMIO_QUEUE_DEVICE_HIGH, v);
        break;
    case VIRTIO_MMIO_SHM_SEL:
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

/* ---- Device type ---- */

static bool slot_realize(Device *dev, const DeviceContext *ctx, char *err, size_t errlen)
{
    (void)ctx;
    (void)err;
    (void)errlen;
    virtio_mmio_init(dev->state, NULL, dev->irq);
    return true;
}

static void slot_reset(Device *dev)
{
    virtio_mmio_reset(dev->state);
}

static int slot_fdt_node(Device *dev, void *fdt, const DeviceFdtContext *ctx)
{
    return virtio_mmio_fdt_node(fdt, dev->base, ctx->plic_phandle, dev->irq_number);
}

static const StateField slot_fields[] = {
    STATE_UINT(VirtioMmio, device_features_sel),
    STATE_UINT(VirtioMmio, driver_features_sel),
    STATE_UINT(VirtioMmio, queue_sel),
    STATE_END,
};

static const StateField slot_unsaved[] = {
    STATE_UNSAVED(VirtioMmio, vdev),
    STATE_END,
};

static const StateDescription slot_state = {
    .name = "virtio-mmio",
    .c_type = "VirtioMmio",
    .version = 1,
    .struct_size = sizeof(VirtioMmio),
    .fields = slot_fields,
    .unsaved = slot_unsaved,
};

const DeviceType virtio_mmio_type = {
    .name = "virtio-mmio",
    .desc = "virtio-mmio transport (version 2): one slot, empty or with a virtio device",
    .state_size = sizeof(VirtioMmio),
    .realize = slot_realize,
    .reset = slot_reset,
    .mmio_ops = &virtio_mmio_ops,
    .fdt_node = slot_fdt_node,
    .state = &slot_state,
};
