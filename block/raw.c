/* block/raw.c: raw disk images: the image file is the disk, byte for byte. */
#define _GNU_SOURCE
#include "block/block.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

BlockDevice *block_open(const char *path, bool readonly, char *err, size_t errlen)
{
    int fd = open(path, (readonly ? O_RDONLY : O_RDWR) | O_CLOEXEC);
    if (fd < 0) {
        snprintf(err, errlen, "cannot open '%s': %s", path, strerror(errno));
        return NULL;
    }
    struct stat st;
    if (fstat(fd, &st) != 0 || !(S_ISREG(st.st_mode) || S_ISBLK(st.st_mode))) {
        snprintf(err, errlen, "'%s' is not a regular file or block device", path);
        close(fd);
        return NULL;
    }
    if (flock(fd, (readonly ? LOCK_SH : LOCK_EX) | LOCK_NB) != 0) {
        snprintf(err, errlen, "'%s' is in use by another process (cannot get its %s lock)", path,
                 readonly ? "shared" : "write");
        close(fd);
        return NULL;
    }
    off_t size = lseek(fd, 0, SEEK_END);
    BlockDevice *bd = calloc(1, sizeof(*bd));
    char *copy = strdup(path);
    if (size < 0 || !bd || !copy) {
        snprintf(err, errlen, "cannot open '%s': %s", path,
                 size < 0 ? strerror(errno) : "out of memory");
        free(bd);
        free(copy);
        close(fd);
        return NULL;
    }
    *bd = (BlockDevice){.fd = fd, .readonly = readonly, .size = (uint64_t)size, .path = copy};
    return bd;
}

void block_close(BlockDevice *bd)
{
    if (!bd)
        return;
    if (!bd->readonly)
        block_flush(bd);
    close(bd->fd);
    free(bd->path);
    free(bd);
}

static bool in_range(const BlockDevice *bd, uint64_t offset, uint64_t len)
{
    return offset <= bd->size && len <= bd->size - offset;
}

/* pread/pwrite until done: short transfers are retried, EINTR too. */
static int transfer(BlockDevice *bd, uint64_t offset, void *buf, size_t len, bool write)
{
    uint8_t *p = buf;
    while (len > 0) {
        ssize_t n =
            write ? pwrite(bd->fd, p, len, (off_t)offset) : pread(bd->fd, p, len, (off_t)offset);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return -errno;
        if (n == 0) /* the file shrank under us */
            return -EIO;
        p += n;
        offset += (uint64_t)n;
        len -= (size_t)n;
    }
    return 0;
}

int block_read(BlockDevice *bd, uint64_t offset, void *buf, size_t len)
{
    if (!in_range(bd, offset, len))
        return -EINVAL;
    return transfer(bd, offset, buf, len, false);
}

int block_write(BlockDevice *bd, uint64_t offset, const void *buf, size_t len)
{
    if (bd->readonly)
        return -EROFS;
    if (!in_range(bd, offset, len))
        return -EINVAL;
    return transfer(bd, offset, (void *)buf, len, true);
}

int block_flush(BlockDevice *bd)
{
    if (bd->readonly)
        return 0;
    return fdatasync(bd->fd) == 0 ? 0 : -errno;
}

static int write_zero_buffer(BlockDevice *bd, uint64_t offset, uint64_t len)
{
    static const uint8_t zeros[65536];
    while (len > 0) {
        size_t n = len < sizeof(zeros) ? (size_t)len : sizeof(zeros);
        int rc = transfer(bd, offset, (void *)zeros, n, true);
        if (rc < 0)
            return rc;
        offset += n;
        len -= n;
    }
    return 0;
}

int block_write_zeroes(BlockDevice *bd, uint64_t offset, uint64_t len, bool unmap)
{
    if (bd->readonly)
        return -EROFS;
    if (!in_range(bd, offset, len))
        return -EINVAL;
    int mode = unmap ? FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE : FALLOC_FL_ZERO_RANGE;
    if (len == 0 || fallocate(bd->fd, mode, (off_t)offset, (off_t)len) == 0)
        return 0;
    /* File systems without these modes (and block devices) get real zeros. */
    return write_zero_buffer(bd, offset, len);
}

int block_discard(BlockDevice *bd, uint64_t offset, uint64_t len)
{
    if (bd->readonly)
        return -EROFS;
    if (!in_range(bd, offset, len))
        return -EINVAL;
    /* Only a hint: where holes cannot be punched the data simply stays. */
    if (len != 0)
        (void)fallocate(bd->fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, (off_t)offset,
                        (off_t)len);
    return 0;
}
