/* hw/virtio/blk.h: virtio-blk (virtio 1.1, 5.2) over a block/ image. */
#ifndef EMBER_HW_VIRTIO_BLK_H
#define EMBER_HW_VIRTIO_BLK_H

#include "block/block.h"
#include "hw/virtio/virtio.h"
#include "hw/device.h"

typedef struct BlkRequest BlkRequest;

typedef struct VirtioBlk {
    VirtioDevice vdev; /* first: the transport sees only this */
    BlockDevice *bd;
    char serial[20]; /* GET_ID: not NUL-terminated when all 20 are used */
    BlkRequest *free_requests;
    unsigned n_requests; /* allocated, free or in flight */
    bool starved;        /* requests wait in the queue for a free one */
} VirtioBlk;

/* A disk backed by bd (which the caller keeps open until
 * virtio_blk_destroy), read-only if bd is; serial is what GET_ID returns
 * (cut at 20 bytes). Starts bd's I/O thread: false with one line in err
 * when it cannot. */
bool virtio_blk_init(VirtioBlk *blk, AddressSpace *as, BlockDevice *bd, const char *serial,
                     char *err, size_t errlen);
/* Waits for the requests in flight and frees what init and they took. */
void virtio_blk_destroy(VirtioBlk *blk);

extern const DeviceType virtio_blk_type;

#endif
