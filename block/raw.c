/* block/raw.c: raw disk images: the image file is the disk, byte for byte. */
#define _GNU_SOURCE
#include "block/block.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "block/image_lock.h"
#include "block/probe.h"
#include "util/log.h"

#define SECTOR 512u

/* OFD locks would refuse a second open of an image too, but blame another
 * process; this list tells the user what really happened. */
static BlockDevice *open_images;

/* pread/pwrite until done: short transfers are retried, EINTR too. A read
 * that meets the end of the file gets zeros for the rest, as in QEMU: the
 * last sector may lie partly past the end, and the file may shrink under
 * ember. */
static int transfer(int fd, uint64_t offset, void *buf, size_t len, bool write)
{
    uint8_t *p = buf;
    while (len > 0) {
        ssize_t n = write ? pwrite(fd, p, len, (off_t)offset) : pread(fd, p, len, (off_t)offset);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return -errno;
        if (n == 0) {
            if (write)
                return -EIO;
            memset(p, 0, len);
            return 0;
        }
        p += n;
        offset += (uint64_t)n;
        len -= (size_t)n;
    }
    return 0;
}

/* A read-only open may share the image with other read-only opens, as
 * QEMU's locks allow; any writer must be alone. */
static bool check_not_open(const char *path, const struct stat *st, bool readonly, char *err,
                           size_t errlen)
{
    for (const BlockDevice *bd = open_images; bd; bd = bd->next_open) {
        if (bd->dev == st->st_dev && bd->ino == st->st_ino && !(readonly && bd->readonly)) {
            snprintf(err, errlen, "'%s' is given twice (already open as a disk of this machine)",
                     path);
            return false;
        }
    }
    return true;
}

/* Refuses images in formats ember cannot read yet: taken for raw, their
 * metadata would be the guest's disk, and its first write would ruin them. */
static bool probe(BlockDevice *bd, char *err, size_t errlen)
{
    uint8_t block0[BLOCK_PROBE_SIZE];
    int rc = transfer(bd->fd, 0, block0, sizeof(block0), false);
    if (rc < 0) {
        snprintf(err, errlen, "cannot read '%s': %s", bd->path, strerror(-rc));
        return false;
    }
    const char *format = block_probe_format(block0);
    if (format) {
        snprintf(err, errlen,
                 "'%s' is a %s image, which ember cannot open yet (convert it with qemu-img "
                 "convert -O raw, or give format=raw to use the file itself as the disk)",
                 bd->path, format);
        return false;
    }
    if (!bd->readonly) {
        warn_report("Image format was not specified for '%s' and probing guessed raw.\n"
                    "         Automatically detecting the format is dangerous for raw images, "
                    "write operations on block 0 will be restricted.\n"
                    "         Specify the 'raw' format explicitly to remove the restrictions.",
                    bd->path);
        bd->guard_block0 = true;
    }
    return true;
}

BlockDevice *block_open(const char *path, bool readonly, const char *format, char *err,
                        size_t errlen)
{
    if (format && strcmp(format, "raw") != 0) {
        snprintf(err, errlen, "'%s': ember cannot open images in format '%s' yet", path, format);
        return NULL;
    }
    int fd = open(path, (readonly ? O_RDONLY : O_RDWR) | O_CLOEXEC);
    if (fd < 0) {
        snprintf(err, errlen, "cannot open '%s': %s", path, strerror(errno));
        return NULL;
    }
    BlockDevice *bd = NULL;
    struct stat st;
    if (fstat(fd, &st) != 0) {
        snprintf(err, errlen, "cannot open '%s': %s", path, strerror(errno));
        goto fail;
    }
    if (!S_ISREG(st.st_mode) && !S_ISBLK(st.st_mode)) {
        snprintf(err, errlen, "'%s' is not a regular file or block device", path);
        goto fail;
    }
    if (!check_not_open(path, &st, readonly, err, errlen))
        goto fail;
    /* What QEMU's virtio-blk asks for: others may read, and resize, but not
     * write while we have the image. */
    unsigned perm = IMAGE_PERM_CONSISTENT_READ | (readonly ? 0 : IMAGE_PERM_WRITE);
    if (!image_lock(fd, path, perm, IMAGE_PERM_ALL & ~IMAGE_PERM_WRITE, err, errlen))
        goto fail;
    off_t end = lseek(fd, 0, SEEK_END);
    if (end < 0) {
        snprintf(err, errlen, "cannot get the size of '%s': %s", path, strerror(errno));
        goto fail;
    }
    bd = calloc(1, sizeof(*bd));
    char *copy = strdup(path);
    if (!bd || !copy) {
        snprintf(err, errlen, "cannot open '%s': %s", path, strerror(ENOMEM));
        free(copy);
        goto fail;
    }
    *bd = (BlockDevice){
        .fd = fd,
        .readonly = readonly,
        .size = ((uint64_t)end + SECTOR - 1) / SECTOR * SECTOR,
        .path = copy,
        .dev = st.st_dev,
        .ino = st.st_ino,
        .next_open = open_images,
    };
    if (!format && !probe(bd, err, errlen)) {
        free(bd->path);
        goto fail;
    }
    open_images = bd;
    return bd;

fail:
    free(bd);
    close(fd);
    return NULL;
}

void block_close(BlockDevice *bd)
{
    if (!bd)
        return;
    for (BlockDevice **p = &open_images; *p; p = &(*p)->next_open) {
        if (*p == bd) {
            *p = bd->next_open;
            break;
        }
    }
    int rc = block_flush(bd);
    if (rc < 0)
        warn_report("cannot flush '%s': %s", bd->path, strerror(-rc));
    close(bd->fd);
    free(bd->path);
    free(bd);
}

static bool in_range(const BlockDevice *bd, uint64_t offset, uint64_t len)
{
    return offset <= bd->size && len <= bd->size - offset;
}

/* The block 0 guard, judged on block 0 as the write (of data, or of zeros
 * when data is NULL) would leave it, however the guest splits its writes. */
static int check_block0(BlockDevice *bd, uint64_t offset, const void *data, uint64_t len)
{
    if (!bd->guard_block0 || offset >= BLOCK_PROBE_SIZE || len == 0)
        return 0;
    uint8_t block0[BLOCK_PROBE_SIZE];
    int rc = transfer(bd->fd, 0, block0, sizeof(block0), false);
    if (rc < 0)
        return rc;
    size_t n = len < BLOCK_PROBE_SIZE - offset ? (size_t)len : BLOCK_PROBE_SIZE - (size_t)offset;
    if (data)
        memcpy(block0 + offset, data, n);
    else
        memset(block0 + offset, 0, n);
    return block_probe_format(block0) ? -EPERM : 0;
}

int block_read(BlockDevice *bd, uint64_t offset, void *buf, size_t len)
{
    if (!in_range(bd, offset, len))
        return -EINVAL;
    return transfer(bd->fd, offset, buf, len, false);
}

int block_write(BlockDevice *bd, uint64_t offset, const void *buf, size_t len)
{
    if (bd->readonly)
        return -EROFS;
    if (!in_range(bd, offset, len))
        return -EINVAL;
    int rc = check_block0(bd, offset, buf, len);
    return rc < 0 ? rc : transfer(bd->fd, offset, (void *)buf, len, true);
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
        int rc = transfer(bd->fd, offset, (void *)zeros, n, true);
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
    int rc = check_block0(bd, offset, NULL, len);
    if (rc < 0)
        return rc;
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
    /* Only a hint: where holes cannot be punched (or the zeros a hole reads
     * as would trip the block 0 guard) the data simply stays. */
    if (len != 0 && check_block0(bd, offset, NULL, len) == 0)
        (void)fallocate(bd->fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, (off_t)offset,
                        (off_t)len);
    return 0;
}
