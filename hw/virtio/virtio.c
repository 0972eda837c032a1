/* hw/virtio/virtio.c: the transport-independent part of every virtio
 * device: status and feature negotiation, queue set-up, interrupts and the
 * needs-reset state a misbehaving driver puts the device in. */
#include "hw/virtio/virtio.h"

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "util/le.h"
#include "util/log.h"

static void update_irq(VirtioDevice *vdev)
{
    irq_set(&vdev->irq, vdev->isr != 0);
}

void virtio_device_init(VirtioDevice *vdev, const VirtioDeviceClass *cls, AddressSpace *as,
                        uint64_t host_features, unsigned config_size)
{
    memset(vdev, 0, sizeof(*vdev));
    vdev->cls = cls;
    vdev->as = as;
    vdev->host_features = host_features | VIRTIO_F_VERSION_1;
    vdev->config_size = config_size;
    for (unsigned n = 0; n < VIRTIO_MAX_QUEUES; n++)
        virtq_reset(&vdev->queues[n], n < cls->num_queues ? cls->queue_size_max : 0);
}

void virtio_set_irq(VirtioDevice *vdev, IrqLine irq)
{
    vdev->irq = irq;
}

void virtio_reset(VirtioDevice *vdev)
{
    vdev->status = 0;
    vdev->guest_features = 0;
    vdev->isr = 0;
    for (unsigned n = 0; n < vdev->cls->num_queues; n++)
        virtq_reset(&vdev->queues[n], vdev->cls->queue_size_max);
    if (vdev->cls->reset)
        vdev->cls->reset(vdev);
    update_irq(vdev);
}

void virtio_set_status(VirtioDevice *vdev, uint8_t status)
{
    if (status == 0) {
        virtio_reset(vdev);
        return;
    }
    uint8_t old = vdev->status;
    if ((status & VIRTIO_STATUS_FEATURES_OK) && !(old & VIRTIO_STATUS_FEATURES_OK)) {
        uint64_t f = vdev->guest_features;
        if ((f & ~vdev->host_features) || !(f & VIRTIO_F_VERSION_1)) {
            log_guest_error("virtio %s: driver features 0x%llx refused (offered 0x%llx, "
                            "VERSION_1 required)\n",
                            vdev->cls->name, (unsigned long long)f,
                            (unsigned long long)vdev->host_features);
            status &= (uint8_t)~VIRTIO_STATUS_FEATURES_OK;
        }
    }
    /* NEEDS_RESET is the device's to set; only a reset clears it. */
    vdev->status =
        (uint8_t)((status & ~VIRTIO_STATUS_NEEDS_RESET) | (old & VIRTIO_STATUS_NEEDS_RESET));
    if ((status & VIRTIO_STATUS_DRIVER_OK) && !(old & VIRTIO_STATUS_DRIVER_OK) &&
        virtio_device_live(vdev) && vdev->cls->driver_ok)
        vdev->cls->driver_ok(vdev);
}

bool virtio_device_live(const VirtioDevice *vdev)
{
    return (vdev->status & (VIRTIO_STATUS_DRIVER_OK | VIRTIO_STATUS_NEEDS_RESET |
                            VIRTIO_STATUS_FAILED)) == VIRTIO_STATUS_DRIVER_OK;
}

bool virtio_queue_enable(VirtioDevice *vdev, unsigned n)
{
    if (n >= vdev->cls->num_queues)
        return false;
    char err[256];
    if (!virtq_enable(&vdev->queues[n], vdev->as, virtio_has_feature(vdev, VIRTIO_F_INDIRECT_DESC),
                      virtio_has_feature(vdev, VIRTIO_F_EVENT_IDX), err, sizeof(err))) {
        virtio_error(vdev, "queue %u: %s", n, err);
        return false;
    }
    return true;
}

void virtio_queue_notify(VirtioDevice *vdev, unsigned n)
{
    if (n >= vdev->cls->num_queues || !vdev->queues[n].ready || !virtio_device_live(vdev))
        return;
    vdev->cls->notify(vdev, n);
}

void virtio_ack_interrupt(VirtioDevice *vdev, uint8_t bits)
{
    vdev->isr &= (uint8_t)~bits;
    update_irq(vdev);
}

void virtio_notify(VirtioDevice *vdev, unsigned n)
{
    if (virtq_should_notify(&vdev->queues[n])) {
        vdev->isr |= VIRTIO_ISR_QUEUE;
        update_irq(vdev);
    }
}

void virtio_config_changed(VirtioDevice *vdev)
{
    vdev->config_generation++;
    if (vdev->status & VIRTIO_STATUS_DRIVER_OK) {
        vdev->isr |= VIRTIO_ISR_CONFIG;
        update_irq(vdev);
    }
}

void virtio_error(VirtioDevice *vdev, const char *fmt, ...)
{
    if (vdev->status & VIRTIO_STATUS_NEEDS_RESET)
        return; /* one warning per reset */
    char msg[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    warn_report_guest(vdev, "%s: %s; the device needs a reset", vdev->cls->name, msg);
    vdev->status |= VIRTIO_STATUS_NEEDS_RESET;
    vdev->isr |= VIRTIO_ISR_CONFIG;
    update_irq(vdev);
}

int virtio_pop(VirtioDevice *vdev, unsigned n, VirtqElement *elem)
{
    if (!virtio_device_live(vdev))
        return 0;
    char err[256];
    int rc = virtq_pop(&vdev->queues[n], vdev->as, elem, err, sizeof(err));
    if (rc < 0) {
        virtio_error(vdev, "queue %u: %s", n, err);
        return 0;
    }
    return rc;
}

void virtio_push(VirtioDevice *vdev, unsigned n, const VirtqElement *elem, uint32_t len)
{
    virtq_push(&vdev->queues[n], vdev->as, elem, len);
}

bool virtio_process_queue_bounded(VirtioDevice *vdev, unsigned n, VirtqElement *elem,
                                  int64_t (*handle)(VirtioDevice *vdev, VirtqElement *elem),
                                  bool (*can_handle)(VirtioDevice *vdev), unsigned max)
{
    unsigned done = 0;
    while (done < max && (!can_handle || can_handle(vdev)) && virtio_pop(vdev, n, elem) == 1) {
        int64_t len = handle(vdev, elem);
        if (len < 0)
            break;
        virtio_push(vdev, n, elem, (uint32_t)len);
        done++;
    }
    if (done)
        virtio_notify(vdev, n);
    return done == max && virtio_device_live(vdev) && virtq_has_request(&vdev->queues[n]);
}

void virtio_process_queue(VirtioDevice *vdev, unsigned n, VirtqElement *elem,
                          int64_t (*handle)(VirtioDevice *vdev, VirtqElement *elem))
{
    virtio_process_queue_bounded(vdev, n, elem, handle, NULL, UINT_MAX);
}

void virtio_config_set32(VirtioDevice *vdev, unsigned offset, uint32_t value)
{
    st_le32(vdev->config + offset, value);
}

void virtio_config_set64(VirtioDevice *vdev, unsigned offset, uint64_t value)
{
    st_le64(vdev->config + offset, value);
}

/* After a load: the rings of ready queues are mapped again (a stream whose
 * rings are not in RAM leaves the device needing a reset, as a driver that
 * broke it would), and the interrupt line shows the loaded status. */
static void virtio_post_load(void *object)
{
    VirtioDevice *vdev = object;
    if (vdev->config_size > VIRTIO_MAX_CONFIG)
        vdev->config_size = VIRTIO_MAX_CONFIG;
    for (unsigned n = 0; n < vdev->cls->num_queues; n++) {
        VirtQueue *vq = &vdev->queues[n];
        bool size_ok = vq->size != 0 && vq->size <= vq->size_max && !(vq->size & (vq->size - 1));
        if (vq->ready && (!size_ok || !virtq_map(vq, vdev->as))) {
            vq->ready = false;
            vdev->status |= VIRTIO_STATUS_NEEDS_RESET;
        }
    }
    update_irq(vdev);
}

static const StateField virtio_fields[] = {
    STATE_UINT(VirtioDevice, host_features),
    STATE_UINT(VirtioDevice, guest_features),
    STATE_UINT(VirtioDevice, status),
    STATE_UINT(VirtioDevice, isr),
    STATE_UINT(VirtioDevice, config_generation),
    STATE_UINT_ARRAY(VirtioDevice, config),
    STATE_UINT(VirtioDevice, config_size),
    STATE_STRUCT_ARRAY(VirtioDevice, queues, &virtq_state),
    STATE_END,
};

static const StateField virtio_unsaved[] = {
    STATE_UNSAVED(VirtioDevice, cls),
    STATE_UNSAVED(VirtioDevice, as),
    STATE_UNSAVED(VirtioDevice, irq),
    STATE_END,
};

const StateDescription virtio_device_state = {
    .name = "virtio",
    .c_type = "VirtioDevice",
    .version = 2, /* 2: the config space grew to 136 bytes (virtio-input) */
    .struct_size = sizeof(VirtioDevice),
    .fields = virtio_fields,
    .unsaved = virtio_unsaved,
    .post_load = virtio_post_load,
};
