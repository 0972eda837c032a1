/* hw/virtio/queue.c: the split virtqueue walker every virtio device uses.
 * The driver owns the rings and may write anything into them at any time,
 * so every index, address and length read from guest memory is checked
 * before it is used. */
#include "hw/virtio/queue.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "hw/virtio/virtio_spec.h"
#include "util/le.h"

#define DESC_SIZE 16

/* Ring layouts (2.6.6-2.6.8): flags, idx, entries, then the event word. */
static uint64_t avail_bytes(uint16_t size)
{
    return 4 + 2ull * size + 2;
}

static uint64_t used_bytes(uint16_t size)
{
    return 4 + 8ull * size + 2;
}

void virtq_reset(VirtQueue *vq, uint16_t size_max)
{
    *vq = (VirtQueue){.size_max = size_max, .size = size_max};
}

bool virtq_map(VirtQueue *vq, AddressSpace *as)
{
    vq->desc = memory_dma_ptr(as, vq->desc_addr, (uint64_t)DESC_SIZE * vq->size, false);
    vq->avail = memory_dma_ptr(as, vq->avail_addr, avail_bytes(vq->size), false);
    vq->used = memory_dma_ptr(as, vq->used_addr, used_bytes(vq->size), true);
    if (vq->desc && vq->avail && vq->used)
        return true;
    vq->desc = vq->avail = vq->used = NULL;
    return false;
}

bool virtq_enable(VirtQueue *vq, AddressSpace *as, bool indirect, bool event_idx, char *err,
                  size_t errlen)
{
    uint16_t size = vq->size;
    if (size == 0 || size > vq->size_max || (size & (size - 1)) != 0) {
        snprintf(err, errlen, "queue size %u is not a power of 2 up to %u", size, vq->size_max);
        return false;
    }
    if ((vq->desc_addr & 15) || (vq->avail_addr & 1) || (vq->used_addr & 3)) {
        snprintf(err, errlen,
                 "misaligned rings (descriptors 0x%" PRIx64 ", driver 0x%" PRIx64
                 ", device 0x%" PRIx64 ")",
                 vq->desc_addr, vq->avail_addr, vq->used_addr);
        return false;
    }
    if (!virtq_map(vq, as)) {
        snprintf(err, errlen,
                 "rings outside guest RAM (descriptors 0x%" PRIx64 ", driver 0x%" PRIx64
                 ", device 0x%" PRIx64 ", size %u)",
                 vq->desc_addr, vq->avail_addr, vq->used_addr, size);
        return false;
    }
    vq->indirect = indirect;
    vq->event_idx = event_idx;
    vq->last_avail_idx = 0;
    vq->used_idx = 0;
    vq->signalled_used_valid = false;
    vq->ready = true;
    return true;
}

typedef struct Desc {
    uint64_t addr;
    uint32_t len;
    uint16_t flags;
    uint16_t next;
} Desc;

static Desc read_desc(const uint8_t *table, unsigned i)
{
    const uint8_t *p = table + (size_t)i * DESC_SIZE;
    return (Desc){ld_le64(p), ld_le32(p + 8), ld_le16(p + 12), ld_le16(p + 14)};
}

/* Adds one buffer to elem, in the driver's order (readable ones first). */
static bool add_segment(AddressSpace *as, VirtqElement *elem, const Desc *d, char *err,
                        size_t errlen)
{
    bool writable = (d->flags & VIRTQ_DESC_F_WRITE) != 0;
    if (!writable && elem->in_num > 0) {
        snprintf(err, errlen, "device-readable buffer after a device-writable one");
        return false;
    }
    if (d->len == 0)
        return true;
    unsigned n = elem->out_num + elem->in_num;
    if (n == VIRTQ_MAX_SEGMENTS) {
        snprintf(err, errlen, "more than %d buffers in one request", VIRTQ_MAX_SEGMENTS);
        return false;
    }
    uint8_t *host = memory_dma_ptr(as, d->addr, d->len, writable);
    if (!host) {
        snprintf(err, errlen, "%s buffer 0x%" PRIx64 "+0x%" PRIx32 " is not in guest RAM",
                 writable ? "writable" : "readable", d->addr, d->len);
        return false;
    }
    elem->seg[n] = (VirtqSegment){host, d->addr, d->len};
    if (writable) {
        elem->in_num++;
        elem->in_len += d->len;
    } else {
        elem->out_num++;
        elem->out_len += d->len;
    }
    return true;
}

int virtq_pop(VirtQueue *vq, AddressSpace *as, VirtqElement *elem, char *err, size_t errlen)
{
    if (!vq->ready)
        return 0;
    uint16_t avail_idx = ld_le16(vq->avail + 2);
    uint16_t pending = (uint16_t)(avail_idx - vq->last_avail_idx);
    if (pending == 0)
        return 0;
    if (pending > vq->size) {
        snprintf(err, errlen, "driver index %u is %u entries ahead of the device's %u (size %u)",
                 avail_idx, pending, vq->last_avail_idx, vq->size);
        return -1;
    }
    uint16_t head = ld_le16(vq->avail + 4 + 2 * (vq->last_avail_idx % vq->size));
    if (head >= vq->size) {
        snprintf(err, errlen, "request head %u is outside the queue (size %u)", head, vq->size);
        return -1;
    }
    elem->head = head;
    elem->out_num = elem->in_num = 0;
    elem->out_len = elem->in_len = 0;

    const uint8_t *table = vq->desc;
    unsigned count = vq->size; /* entries in the current table */
    unsigned i = head, seen = 0;
    bool in_indirect = false;
    for (;;) {
        /* A chain visits each entry of its table at most once: longer means
         * it loops. */
        if (++seen > count) {
            snprintf(err, errlen, "descriptor chain from %u is longer than its table (%u): a loop",
                     head, count);
            return -1;
        }
        Desc d = read_desc(table, i);
        if (d.flags & VIRTQ_DESC_F_INDIRECT) {
            if (!vq->indirect || in_indirect || (d.flags & VIRTQ_DESC_F_NEXT)) {
                snprintf(err, errlen, "descriptor %u: indirect table %s", i,
                         !vq->indirect ? "without VIRTIO_F_INDIRECT_DESC"
                         : in_indirect ? "inside an indirect table"
                                       : "with NEXT set");
                return -1;
            }
            if (d.len == 0 || d.len % DESC_SIZE != 0 || d.len / DESC_SIZE > VIRTQ_MAX_SEGMENTS) {
                snprintf(err, errlen, "descriptor %u: indirect table of %" PRIu32 " bytes", i,
                         d.len);
                return -1;
            }
            table = memory_dma_ptr(as, d.addr, d.len, false);
            if (!table) {
                snprintf(err, errlen,
                         "indirect table 0x%" PRIx64 "+0x%" PRIx32 " is not in guest RAM", d.addr,
                         d.len);
                return -1;
            }
            in_indirect = true;
            count = d.len / DESC_SIZE;
            i = 0;
            seen = 0;
            continue;
        }
        if (!add_segment(as, elem, &d, err, errlen))
            return -1;
        if (!(d.flags & VIRTQ_DESC_F_NEXT))
            break;
        if (d.next >= count) {
            snprintf(err, errlen, "descriptor %u: next %u is outside its table (%u)", i, d.next,
                     count);
            return -1;
        }
        i = d.next;
    }
    vq->last_avail_idx++;
    if (vq->event_idx) /* avail_event: notify us about every new request */
        st_le16(vq->used + 4 + 8ull * vq->size, vq->last_avail_idx);
    return 1;
}

void virtq_fill(VirtQueue *vq, AddressSpace *as, const VirtqElement *elem, uint32_t len,
                uint16_t offset)
{
    if (!vq->ready)
        return;
    uint64_t entry = 4 + 8ull * ((uint16_t)(vq->used_idx + offset) % vq->size);
    st_le32(vq->used + entry, elem->head);
    st_le32(vq->used + entry + 4, len);
    memory_dma_written(as, vq->used_addr + entry, 8);
}

void virtq_flush(VirtQueue *vq, AddressSpace *as, uint16_t count)
{
    if (!vq->ready)
        return;
    vq->used_idx = (uint16_t)(vq->used_idx + count);
    st_le16(vq->used + 2, vq->used_idx);
    memory_dma_written(as, vq->used_addr + 2, 2);
}

void virtq_push(VirtQueue *vq, AddressSpace *as, const VirtqElement *elem, uint32_t len)
{
    virtq_fill(vq, as, elem, len, 0);
    virtq_flush(vq, as, 1);
}

/* With the event index, avail_event stays where virtq_pop left it, past
 * the requests given back: the driver's next request notifies the device,
 * which is what a device waiting for more buffers wants. */
void virtq_unpop(VirtQueue *vq, uint16_t count)
{
    vq->last_avail_idx = (uint16_t)(vq->last_avail_idx - count);
}

bool virtq_has_request(const VirtQueue *vq)
{
    return vq->ready && ld_le16(vq->avail + 2) != vq->last_avail_idx;
}

bool virtq_should_notify(VirtQueue *vq)
{
    if (!vq->ready)
        return false;
    if (!vq->event_idx)
        return !(ld_le16(vq->avail) & VIRTQ_AVAIL_F_NO_INTERRUPT);
    /* 2.6.7.2: interrupt when used_idx has just passed used_event. */
    uint16_t used_event = ld_le16(vq->avail + 4 + 2 * vq->size);
    uint16_t old = vq->signalled_used, now = vq->used_idx;
    bool valid = vq->signalled_used_valid;
    vq->signalled_used = now;
    vq->signalled_used_valid = true;
    return !valid || (uint16_t)(now - used_event - 1) < (uint16_t)(now - old);
}

size_t virtq_read(const VirtqElement *elem, uint64_t offset, void *buf, size_t len)
{
    size_t done = 0;
    for (unsigned s = 0; s < elem->out_num && done < len; s++) {
        const VirtqSegment *seg = &elem->seg[s];
        if (offset >= seg->len) {
            offset -= seg->len;
            continue;
        }
        size_t n = seg->len - offset < len - done ? seg->len - offset : len - done;
        memcpy((uint8_t *)buf + done, seg->host + offset, n);
        done += n;
        offset = 0;
    }
    return done;
}

size_t virtq_write(AddressSpace *as, const VirtqElement *elem, uint64_t offset, const void *buf,
                   size_t len)
{
    size_t done = 0;
    for (unsigned s = elem->out_num; s < elem->out_num + elem->in_num && done < len; s++) {
        const VirtqSegment *seg = &elem->seg[s];
        if (offset >= seg->len) {
            offset -= seg->len;
            continue;
        }
        size_t n = seg->len - offset < len - done ? seg->len - offset : len - done;
        memcpy(seg->host + offset, (const uint8_t *)buf + done, n);
        memory_dma_written(as, seg->addr + offset, n);
        done += n;
        offset = 0;
    }
    return done;
}

/* The host ring pointers are wiring: the virtio device maps them again
 * after a load (virtq_map); size_max is the device's, not the driver's. */
static const StateField virtq_fields[] = {
    STATE_UINT(VirtQueue, size),
    STATE_BOOL(VirtQueue, ready),
    STATE_UINT(VirtQueue, desc_addr),
    STATE_UINT(VirtQueue, avail_addr),
    STATE_UINT(VirtQueue, used_addr),
    STATE_UINT(VirtQueue, last_avail_idx),
    STATE_UINT(VirtQueue, used_idx),
    STATE_UINT(VirtQueue, signalled_used),
    STATE_BOOL(VirtQueue, signalled_used_valid),
    STATE_BOOL(VirtQueue, indirect),
    STATE_BOOL(VirtQueue, event_idx),
    STATE_END,
};

static const StateField virtq_unsaved[] = {
    STATE_UNSAVED(VirtQueue, size_max),
    STATE_UNSAVED(VirtQueue, desc),
    STATE_UNSAVED(VirtQueue, avail),
    STATE_UNSAVED(VirtQueue, used),
    STATE_END,
};

const StateDescription virtq_state = {
    .name = "virtqueue",
    .c_type = "VirtQueue",
    .version = 1,
    .struct_size = sizeof(VirtQueue),
    .fields = virtq_fields,
    .unsaved = virtq_unsaved,
};
