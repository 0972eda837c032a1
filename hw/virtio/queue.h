/* hw/virtio/queue.h: the split virtqueue (virtio 1.1, 2.6) as the device
 * sees it. Every descriptor is validated before any access: the rings and
 * every buffer must lie inside guest RAM, chains are bounded by the queue
 * size, and a malformed queue is reported, never followed. */
#ifndef EMBER_HW_VIRTIO_QUEUE_H
#define EMBER_HW_VIRTIO_QUEUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/state.h"
#include "softmmu/memory.h"

/* A request may not have more buffers than this (indirect tables included);
 * ember's devices advertise limits well below it. */
#define VIRTQ_MAX_SEGMENTS 1024

typedef struct VirtQueue {
    uint16_t size_max; /* QueueNumMax */
    uint16_t size;     /* QueueNum, as the driver set it */
    bool ready;
    uint64_t desc_addr, avail_addr, used_addr;
    /* While ready: host views of the three rings, checked by virtq_enable. */
    uint8_t *desc, *avail, *used;
    uint16_t last_avail_idx; /* next available entry the device takes */
    uint16_t used_idx;       /* next used entry the device fills */
    uint16_t signalled_used; /* used_idx at the last interrupt (event index) */
    bool signalled_used_valid;
    bool indirect;  /* VIRTIO_F_INDIRECT_DESC negotiated */
    bool event_idx; /* VIRTIO_F_EVENT_IDX negotiated */
} VirtQueue;

/* One guest buffer, already translated: host points at len bytes of RAM. */
typedef struct VirtqSegment {
    uint8_t *host;
    uint64_t addr;
    uint32_t len;
} VirtqSegment;

/* One request: out (device-readable) buffers first, then in (device-
 * writable) ones, in the order the driver chained them. */
typedef struct VirtqElement {
    uint16_t head;
    unsigned out_num, in_num;
    uint64_t out_len, in_len; /* total bytes of each kind */
    VirtqSegment seg[VIRTQ_MAX_SEGMENTS];
} VirtqElement;

/* Back to the state after device reset (not ready, size = size_max). */
void virtq_reset(VirtQueue *vq, uint16_t size_max);
/* Maps the rings at their addresses (host views); false, unmapped, when
 * they are not wholly in guest RAM. */
bool virtq_map(VirtQueue *vq, AddressSpace *as);
/* Checks the size and the rings (in RAM, aligned, not overflowing) and maps
 * them; false with the reason in err. */
bool virtq_enable(VirtQueue *vq, AddressSpace *as, bool indirect, bool event_idx, char *err,
                  size_t errlen);

/* Takes the next available request: 1 with *elem filled, 0 if none, -1 with
 * the reason in err if the driver's data is malformed (the queue must then
 * not be used until reset). */
int virtq_pop(VirtQueue *vq, AddressSpace *as, VirtqElement *elem, char *err, size_t errlen);
/* Returns a request to the driver, saying it wrote len bytes into its in
 * buffers. */
void virtq_push(VirtQueue *vq, AddressSpace *as, const VirtqElement *elem, uint32_t len);
/* virtq_push in two steps, for a response spread over several requests (a
 * received frame over merged buffers): fill writes elem's used entry
 * offset places after the next one, unseen by the driver; flush then
 * publishes count filled entries at once. */
void virtq_fill(VirtQueue *vq, AddressSpace *as, const VirtqElement *elem, uint32_t len,
                uint16_t offset);
void virtq_flush(VirtQueue *vq, AddressSpace *as, uint16_t count);
/* Gives the last count requests taken back: the next virtq_pop takes them
 * again (buffers too few for a frame, kept for when more come). */
void virtq_unpop(VirtQueue *vq, uint16_t count);
/* Whether the driver has made a request available (or broken its index,
 * which the next virtq_pop reports); false while the queue is not ready. */
bool virtq_has_request(const VirtQueue *vq);
/* Whether the driver wants an interrupt for what was pushed since the last
 * one; remembers that it got one. */
bool virtq_should_notify(VirtQueue *vq);

/* Copies out of the request's out buffers, from byte offset on; returns how
 * many bytes there were. */
size_t virtq_read(const VirtqElement *elem, uint64_t offset, void *buf, size_t len);
/* Copies into the request's in buffers, from byte offset on, invalidating
 * translated code there; returns how many bytes fitted. */
size_t virtq_write(AddressSpace *as, const VirtqElement *elem, uint64_t offset, const void *buf,
                   size_t len);

extern const StateDescription virtq_state;

#endif
