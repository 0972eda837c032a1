/* block/raw.c: raw disk images: the image file is the disk, byte for byte. */
#define _GNU_SOURCE /* fallocate */
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include "block/block_int.h"

static int raw_readv(BlockDevice *bd, uint64_t offset, const struct iovec *iov, int iovcnt)
{
    return block_file_transferv(bd->fd, offset, iov, iovcnt, false);
}

static int raw_writev(BlockDevice *bd, uint64_t offset, const struct iovec *iov, int iovcnt)
{
    return block_file_transferv(bd->fd, offset, iov, iovcnt, true);
}

static int raw_flush(BlockDevice *bd)
{
    return fdatasync(bd->fd) == 0 ? 0 : -errno;
}

static int write_zero_buffer(BlockDevice *bd, uint64_t offset, uint64_t len)
{
    static const uint8_t zeros[65536];
    while (len > 0) {
        size_t n = len < sizeof(zeros) ? (size_t)len : sizeof(zeros);
        int rc = block_file_transfer(bd->fd, offset, (void *)zeros, n, true);
        if (rc < 0)
            return rc;
        offset += n;
        len -= n;
    }
    return 0;
}

static int raw_write_zeroes(BlockDevice *bd, uint64_t offset, uint64_t len, bool unmap)
{
    int mode = unmap ? FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE : FALLOC_FL_ZERO_RANGE;
    if (fallocate(bd->fd, mode, (off_t)offset, (off_t)len) == 0)
        return 0;
    /* File systems without these modes (and block devices) get real zeros. */
    return write_zero_buffer(bd, offset, len);
}

static int raw_discard(BlockDevice *bd, uint64_t offset, uint64_t len)
{
    /* Only a hint: where holes cannot be punched the data simply stays. */
    (void)fallocate(bd->fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, (off_t)offset, (off_t)len);
    return 0;
}

const BlockDriver block_raw_driver = {
    .format = "raw",
    .readv = raw_readv,
    .writev = raw_writev,
    .flush = raw_flush,
    .write_zeroes = raw_write_zeroes,
    .discard = raw_discard,
};
