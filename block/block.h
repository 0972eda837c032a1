/* block/block.h: disk images behind one interface. Only raw images for now;
 * formats (qcow2, overlays) add a driver behind the same calls. */
#ifndef EMBER_BLOCK_BLOCK_H
#define EMBER_BLOCK_BLOCK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct BlockDevice {
    int fd;
    bool readonly;
    uint64_t size; /* bytes */
    char *path;
} BlockDevice;

/* Opens a raw image, locked against other writers (a shared lock when
 * readonly, as QEMU does). NULL with one message in err on failure. */
BlockDevice *block_open(const char *path, bool readonly, char *err, size_t errlen);
/* Flushes what was written to stable storage, then closes. */
void block_close(BlockDevice *bd);

/* Each returns 0 or a negative errno; ranges must lie inside the image
 * (-EINVAL otherwise) and writes fail with -EROFS on a read-only image. */
int block_read(BlockDevice *bd, uint64_t offset, void *buf, size_t len);
int block_write(BlockDevice *bd, uint64_t offset, const void *buf, size_t len);
int block_flush(BlockDevice *bd);
/* The range reads as zeros afterwards; with unmap its space may be freed. */
int block_write_zeroes(BlockDevice *bd, uint64_t offset, uint64_t len, bool unmap);
/* The range's contents become undefined and its space may be freed. */
int block_discard(BlockDevice *bd, uint64_t offset, uint64_t len);

#endif
