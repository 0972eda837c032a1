/* block/block.h: disk images behind one interface; each format is a driver
 * behind the same calls (block_int.h). */
#ifndef EMBER_BLOCK_BLOCK_H
#define EMBER_BLOCK_BLOCK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

typedef struct BlockDriver BlockDriver;

typedef struct BlockDevice {
    int fd;
    const BlockDriver *drv; /* the image's format */
    void *opaque;           /* the driver's own state */
    bool readonly;
    /* The format was guessed, not given, and the image is writable: as in
     * QEMU, no write may make block 0 look like another format's header. */
    bool guard_block0;
    /* Bytes the guest sees: the file's size rounded up to whole sectors,
     * the part past the file's end reading as zeros, as in QEMU. */
    uint64_t size;
    char *path;
    dev_t dev; /* the image file, to notice it given twice */
    ino_t ino;
    struct BlockDevice *next_open; /* this process's open images */
} BlockDevice;

/* Opens an image, locked as QEMU locks images (see image_lock.h). format is
 * one ember has a driver for, or NULL to probe: an image in a format ember
 * cannot read is then refused, and a raw one gets QEMU's warning and block 0
 * guard. An image this process has
 * open already is refused unless both opens are read-only. NULL with one
 * message naming path in err on failure. */
BlockDevice *block_open(const char *path, bool readonly, const char *format, char *err,
                        size_t errlen);
/* A temporary overlay over the image at path (-snapshot): the guest sees
 * the image and writes to the overlay, which is gone when it is closed. */
BlockDevice *block_open_snapshot(const char *path, const char *format, char *err, size_t errlen);
/* Writes a new, empty qcow2 (version 3, 64 KiB clusters, 16-bit refcounts)
 * of size bytes at path, as qemu-img create -f qcow2 [-b backing -F
 * backing_format] makes it; backing and backing_format may be NULL. false
 * with one message naming path in err on failure. */
bool block_qcow2_create(const char *path, uint64_t size, const char *backing,
                        const char *backing_format, char *err, size_t errlen);
/* The image's format ("raw", "qcow2"), given or probed. */
const char *block_format(const BlockDevice *bd);
/* Flushes what was written to stable storage, then closes. */
void block_close(BlockDevice *bd);

/* Each returns 0 or a negative errno; ranges must lie inside the image
 * (-EINVAL otherwise), writes fail with -EROFS on a read-only image and
 * with -EPERM where the block 0 guard refuses them. */
int block_read(BlockDevice *bd, uint64_t offset, void *buf, size_t len);
int block_write(BlockDevice *bd, uint64_t offset, const void *buf, size_t len);
int block_flush(BlockDevice *bd);
/* The range reads as zeros afterwards; with unmap its space may be freed. */
int block_write_zeroes(BlockDevice *bd, uint64_t offset, uint64_t len, bool unmap);
/* The range's contents become undefined and its space may be freed. */
int block_discard(BlockDevice *bd, uint64_t offset, uint64_t len);

#endif
