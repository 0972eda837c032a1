/* hw/virtio/blk.h: virtio-blk (virtio 1.1, 5.2) over a block/ image. */
#ifndef EMBER_HW_VIRTIO_BLK_H
#define EMBER_HW_VIRTIO_BLK_H

#include "block/block.h"
#include "hw/virtio/virtio.h"
#include "hw/device.h"

typedef struct VirtioBlk {
    VirtioDevice vdev; /* first: the transport sees only this */
    BlockDevice *bd;
    char serial[20]; /* GET_ID: not NUL-terminated when all 20 are used */
    VirtqElement elem;
} VirtioBlk;

/* A disk backed by bd (which the caller keeps open), read-only if bd is;
 * serial is what GET_ID returns (cut at 20 bytes). */
void virtio_blk_init(VirtioBlk *blk, AddressSpace *as, BlockDevice *bd, const char *serial);

extern const DeviceType virtio_blk_type;

#endif
