/* block/block_int.h: what a format's driver implements and may use; only
 * block/ includes it. block.c opens the file, takes QEMU's locks, picks the
 * driver (given or probed) and checks every request (range, read-only, the
 * block 0 guard) before the driver sees it. */
#ifndef EMBER_BLOCK_BLOCK_INT_H
#define EMBER_BLOCK_BLOCK_INT_H

#include "block/block.h"

struct BlockDriver {
    const char *format; /* QEMU's name: "raw", "qcow2" */
    /* Reads the image's metadata from bd->fd; may set bd->size (the disk
     * the guest sees) and bd->opaque. NULL: nothing to read (raw). false
     * with one line naming bd->path in err. */
    bool (*open)(BlockDevice *bd, char *err, size_t errlen);
    /* What block.h's calls do, on checked ranges of the guest's disk. A
     * driver gives the vectored calls or the plain ones; block.c splits a
     * scatter-gather list for the latter. */
    int (*readv)(BlockDevice *bd, uint64_t offset, const struct iovec *iov, int iovcnt);
    int (*writev)(BlockDevice *bd, uint64_t offset, const struct iovec *iov, int iovcnt);
    int (*read)(BlockDevice *bd, uint64_t offset, void *buf, size_t len);
    int (*write)(BlockDevice *bd, uint64_t offset, const void *buf, size_t len);
    int (*flush)(BlockDevice *bd);
    int (*write_zeroes)(BlockDevice *bd, uint64_t offset, uint64_t len, bool unmap);
    int (*discard)(BlockDevice *bd, uint64_t offset, uint64_t len);
    /* Fills what the format knows of block_image_info (which zeroed it);
     * NULL: nothing. */
    void (*info)(const BlockDevice *bd, BlockImageInfo *info);
    /* Releases bd->opaque (after the last flush); NULL: nothing. */
    void (*close)(BlockDevice *bd);
    /* Internal snapshots, as block.h's calls (which check the image is
     * writable where it must be); NULL: the format has none. */
    int (*snapshot_list)(BlockDevice *bd, BlockSnapshot **list, char *err, size_t errlen);
    int (*snapshot_create)(BlockDevice *bd, const char *name, const void *vmstate, size_t len,
                           uint64_t vm_clock_ns, char *err, size_t errlen);
    int (*snapshot_goto)(BlockDevice *bd, const char *name, char *err, size_t errlen);
    int (*snapshot_read_vmstate)(BlockDevice *bd, const char *name, uint8_t **data, size_t *len,
                                 char *err, size_t errlen);
    int (*snapshot_delete)(BlockDevice *bd, const char *name, char *err, size_t errlen);
};

extern const BlockDriver block_raw_driver;
extern const BlockDriver block_qcow2_driver;

/* pread/pwrite until done: short transfers are retried, EINTR too. A read
 * that meets the end of the file gets zeros for the rest, as in QEMU: the
 * last sector may lie partly past the end, and the file may shrink under
 * ember. 0 or a negative errno. */
int block_file_transfer(int fd, uint64_t offset, void *buf, size_t len, bool write);
int block_file_transferv(int fd, uint64_t offset, const struct iovec *iov, int iovcnt, bool write);

/* Stops bd's thread once its requests are done (block_close). */
void block_stop_worker(BlockDevice *bd);

#endif
