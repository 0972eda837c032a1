/* hw/virtio/rng.c: virtio-rng fills every buffer the driver offers with
 * bytes from the host's getrandom(). */
#include "hw/virtio/rng.h"

#include <errno.h>
#include <sys/random.h>

#include "util/log.h"
#include "hw/device.h"

/* Fills the request's writable buffers; returns how many bytes it got. */
static int64_t fill_request(VirtioDevice *vdev, VirtqElement *e)
{
    uint32_t filled = 0;
    for (unsigned s = e->out_num; s < e->out_num + e->in_num; s++) {
        VirtqSegment *seg = &e->seg[s];
        uint32_t done = 0;
        while (done < seg->len) {
            ssize_t got = getrandom(seg->host + done, seg->len - done, 0);
            if (got < 0 && errno == EINTR)
                continue;
            if (got <= 0)
                break;
            done += (uint32_t)got;
        }
        memory_dma_written(vdev->as, seg->addr, done);
        filled += done;
        if (done < seg->len)
            break;
    }
    return filled;
}

static void rng_notify(VirtioDevice *vdev, unsigned n)
{
    virtio_process_queue(vdev, n, &((VirtioRng *)vdev)->elem, fill_request);
}

static const VirtioDeviceClass virtio_rng_class = {
    .name = "virtio-rng-device",
    .device_id = VIRTIO_ID_RNG,
    .num_queues = 1,
    .queue_size_max = 64,
    .notify = rng_notify,
};

void virtio_rng_init(VirtioRng *rng, AddressSpace *as)
{
    virtio_device_init(&rng->vdev, &virtio_rng_class, as,
                       VIRTIO_F_INDIRECT_DESC | VIRTIO_F_EVENT_IDX, 0);
}

/* ---- Device type ---- */

static bool rng_realize(Device *dev, const DeviceContext *ctx, char *err, size_t errlen)
{
    (void)err;
    (void)errlen;
    virtio_rng_init(dev->state, ctx->as);
    return true;
}

static VirtioDevice *rng_virtio(Device *dev)
{
    return &((VirtioRng *)dev->state)->vdev;
}

static const StateField rng_fields[] = {
    STATE_STRUCT(VirtioRng, vdev, &virtio_device_state),
    STATE_END,
};

static const StateField rng_unsaved[] = {
    STATE_UNSAVED(VirtioRng, elem),
    STATE_END,
};

static const StateDescription rng_state = {
    .name = "virtio-rng-device",
    .c_type = "VirtioRng",
    .version = 1,
    .struct_size = sizeof(VirtioRng),
    .fields = rng_fields,
    .unsaved = rng_unsaved,
};

const DeviceType virtio_rng_type = {
    .name = "virtio-rng-device",
    .desc = "Virtio entropy source (the host's getrandom)",
    .bus = "virtio-bus",
    .state_size = sizeof(VirtioRng),
    .realize = rng_realize,
    .virtio = rng_virtio,
    .state = &rng_state,
};
