/* block/block.c: opening a disk image (the file, QEMU's locks, format
 * probing, the driver of its format) and the checks every request gets
 * before its format's driver runs it. */
#define _GNU_SOURCE
#include "block/block.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "block/block_int.h"
#include "block/image_lock.h"
#include "block/probe.h"
#include "util/log.h"

#define SECTOR 512u

/* OFD locks would refuse a second open of an image too, but blame another
 * process; this list tells the user what really happened. */
static BlockDevice *open_images;

/* Iovecs handed to one preadv/pwritev: a 1 MiB guest request in 4 KiB
 * pages is one system call. */
#define TRANSFER_BATCH 256

int block_file_transferv(int fd, uint64_t offset, const struct iovec *iov, int iovcnt, bool write)
{
    struct iovec batch[TRANSFER_BATCH];
    int i = 0;
    size_t done = 0; /* of iov[i] */
    for (;;) {
        while (i < iovcnt && done == iov[i].iov_len) {
            i++;
            done = 0;
        }
        if (i == iovcnt)
            return 0;
        int n = 0;
        for (int j = i; j < iovcnt && n < TRANSFER_BATCH; j++, n++) {
            size_t skip = j == i ? done : 0;
            batch[n] = (struct iovec){(uint8_t *)iov[j].iov_base + skip, iov[j].iov_len - skip};
        }
        ssize_t got =
            write ? pwritev(fd, batch, n, (off_t)offset) : preadv(fd, batch, n, (off_t)offset);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0)
            return -errno;
        if (got == 0) {
            if (write)
                return -EIO;
            for (int j = 0; j < n; j++)
                memset(batch[j].iov_base, 0, batch[j].iov_len);
            i += n;
            done = 0;
            continue;
        }
        offset += (uint64_t)got;
        for (size_t left = (size_t)got; left > 0;) {
            size_t step = iov[i].iov_len - done < left ? iov[i].iov_len - done : left;
            done += step;
            left -= step;
            if (done == iov[i].iov_len) {
                i++;
                done = 0;
            }
        }
    }
}

int block_file_transfer(int fd, uint64_t offset, void *buf, size_t len, bool write)
{
    return block_file_transferv(fd, offset, &(struct iovec){buf, len}, 1, write);
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

static const BlockDriver *const drivers[] = {&block_raw_driver, &block_qcow2_driver};

static const BlockDriver *find_driver(const char *format)
{
    for (size_t i = 0; i < sizeof(drivers) / sizeof(drivers[0]); i++)
        if (strcmp(drivers[i]->format, format) == 0)
            return drivers[i];
    return NULL;
}

/* The driver for the format block 0 announces. An image in a format ember
 * cannot read is refused: taken for raw, its metadata would be the guest's
 * disk, and its first write would ruin it. A writable image taken for raw
 * gets QEMU's warning and the block 0 guard. */
static const BlockDriver *probe(BlockDevice *bd, char *err, size_t errlen)
{
    uint8_t block0[BLOCK_PROBE_SIZE];
    int rc = block_file_transfer(bd->fd, 0, block0, sizeof(block0), false);
    if (rc < 0) {
        snprintf(err, errlen, "cannot read '%s': %s", bd->path, strerror(-rc));
        return NULL;
    }
    const char *format = block_probe_format(block0);
    if (format) {
        const BlockDriver *drv = find_driver(format);
        if (!drv)
            snprintf(err, errlen,
                     "'%s' is a %s image, which ember cannot open yet (convert it with qemu-img "
                     "convert -O raw, or give format=raw to use the file itself as the disk)",
                     bd->path, format);
        return drv;
    }
    if (!bd->readonly) {
        warn_report("Image format was not specified for '%s' and probing guessed raw.\n"
                    "         Automatically detecting the format is dangerous for raw images, "
                    "write operations on block 0 will be restricted.\n"
                    "         Specify the 'raw' format explicitly to remove the restrictions.",
                    bd->path);
        bd->guard_block0 = true;
    }
    return &block_raw_driver;
}

/* What QEMU's virtio-blk asks for: others may read, and resize, but not
 * write while we have the image. */
static bool lock_image(BlockDevice *bd, char *err, size_t errlen)
{
    unsigned perm = IMAGE_PERM_CONSISTENT_READ | (bd->readonly ? 0 : IMAGE_PERM_WRITE);
    return image_lock(bd->fd, bd->path, perm, IMAGE_PERM_ALL & ~IMAGE_PERM_WRITE, err, errlen);
}

static BlockDevice *open_image(const char *path, bool readonly, const char *format, bool inactive,
                               char *err, size_t errlen)
{
    const BlockDriver *drv = format ? find_driver(format) : NULL;
    if (format && !drv) {
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
    if (!inactive) {
        BlockDevice lock_as = {.fd = fd, .readonly = readonly, .path = (char *)path};
        if (!lock_image(&lock_as, err, errlen))
            goto fail;
    }
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
        .inactive = inactive,
    };
    if (!drv && !(drv = probe(bd, err, errlen))) {
        free(bd->path);
        goto fail;
    }
    bd->drv = drv;
    if (drv->open && !drv->open(bd, err, errlen)) {
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

BlockDevice *block_open(const char *path, bool readonly, const char *format, char *err,
                        size_t errlen)
{
    return open_image(path, readonly, format, false, err, errlen);
}

BlockDevice *block_open_inactive(const char *path, bool readonly, const char *format, char *err,
                                 size_t errlen)
{
    return open_image(path, readonly, format, true, err, errlen);
}

bool block_inactivate(BlockDevice *bd, char *err, size_t errlen)
{
    if (bd->inactive)
        return true;
    block_drain(bd);
    int rc = block_flush(bd);
    if (rc < 0) {
        snprintf(err, errlen, "cannot flush '%s': %s", bd->path, strerror(-rc));
        return false;
    }
    image_unlock(bd->fd);
    bd->inactive = true;
    return true;
}

bool block_activate(BlockDevice *bd, char *err, size_t errlen)
{
    if (!bd->inactive)
        return true;
    if (!lock_image(bd, err, errlen))
        return false;
    /* The other process may have changed the metadata meanwhile. */
    if (bd->drv->close)
        bd->drv->close(bd);
    if (bd->drv->open && !bd->drv->open(bd, err, errlen)) {
        image_unlock(bd->fd);
        return false;
    }
    bd->inactive = false;
    return true;
}

const char *block_format(const BlockDevice *bd)
{
    return bd->drv->format;
}

void block_image_info(const BlockDevice *bd, BlockImageInfo *info)
{
    *info = (BlockImageInfo){0};
    if (bd->drv->info)
        bd->drv->info(bd, info);
}

void block_close(BlockDevice *bd)
{
    if (!bd)
        return;
    block_stop_worker(bd);
    for (BlockDevice **p = &open_images; *p; p = &(*p)->next_open) {
        if (*p == bd) {
            *p = bd->next_open;
            break;
        }
    }
    int rc = block_flush(bd);
    if (rc < 0)
        warn_report("cannot flush '%s': %s", bd->path, strerror(-rc));
    if (bd->drv->close)
        bd->drv->close(bd);
    close(bd->fd);
    free(bd->path);
    free(bd);
}

void block_drain_all(void)
{
    for (BlockDevice *bd = open_images; bd; bd = bd->next_open)
        block_drain(bd);
}

static bool in_range(const BlockDevice *bd, uint64_t offset, uint64_t len)
{
    return offset <= bd->size && len <= bd->size - offset;
}

static uint64_t iov_size(const struct iovec *iov, int iovcnt)
{
    uint64_t len = 0;
    for (int i = 0; i < iovcnt; i++)
        len += iov[i].iov_len;
    return len;
}

/* The block 0 guard, judged on block 0 as the write (of data, or of zeros
 * when iov is NULL) would leave it, however the guest splits its writes. */
static int check_block0(BlockDevice *bd, uint64_t offset, const struct iovec *iov, int iovcnt,
                        uint64_t len)
{
    if (!bd->guard_block0 || offset >= BLOCK_PROBE_SIZE || len == 0)
        return 0;
    uint8_t block0[BLOCK_PROBE_SIZE];
    int rc = block_file_transfer(bd->fd, 0, block0, sizeof(block0), false);
    if (rc < 0)
        return rc;
    size_t n = len < BLOCK_PROBE_SIZE - offset ? (size_t)len : BLOCK_PROBE_SIZE - (size_t)offset;
    if (!iov) {
        memset(block0 + offset, 0, n);
        return block_probe_format(block0) ? -EPERM : 0;
    }
    for (int i = 0; i < iovcnt && n > 0; i++) {
        size_t step = iov[i].iov_len < n ? iov[i].iov_len : n;
        memcpy(block0 + offset, iov[i].iov_base, step);
        offset += step;
        n -= step;
    }
    return block_probe_format(block0) ? -EPERM : 0;
}

/* Through the driver's vectored call, or its plain one per iovec. */
static int driver_transfer(BlockDevice *bd, uint64_t offset, const struct iovec *iov, int iovcnt,
                           bool write)
{
    const BlockDriver *drv = bd->drv;
    if (write ? drv->writev != NULL : drv->readv != NULL)
        return write ? drv->writev(bd, offset, iov, iovcnt) : drv->readv(bd, offset, iov, iovcnt);
    for (int i = 0; i < iovcnt; i++) {
        int rc = write ? drv->write(bd, offset, iov[i].iov_base, iov[i].iov_len)
                       : drv->read(bd, offset, iov[i].iov_base, iov[i].iov_len);
        if (rc < 0)
            return rc;
        offset += iov[i].iov_len;
    }
    return 0;
}

int block_readv(BlockDevice *bd, uint64_t offset, const struct iovec *iov, int iovcnt)
{
    if (bd->inactive)
        return -EIO;
    if (!in_range(bd, offset, iov_size(iov, iovcnt)))
        return -EINVAL;
    return driver_transfer(bd, offset, iov, iovcnt, false);
}

/* What every change of the image is checked for first: 0 or the errno. */
static int check_change(const BlockDevice *bd, uint64_t offset, uint64_t len)
{
    if (bd->readonly)
        return -EROFS;
    if (bd->inactive)
        return -EIO;
    return in_range(bd, offset, len) ? 0 : -EINVAL;
}

int block_writev(BlockDevice *bd, uint64_t offset, const struct iovec *iov, int iovcnt)
{
    uint64_t len = iov_size(iov, iovcnt);
    int rc = check_change(bd, offset, len);
    if (rc == 0)
        rc = check_block0(bd, offset, iov, iovcnt, len);
    return rc < 0 ? rc : driver_transfer(bd, offset, iov, iovcnt, true);
}

int block_read(BlockDevice *bd, uint64_t offset, void *buf, size_t len)
{
    return block_readv(bd, offset, &(struct iovec){buf, len}, 1);
}

int block_write(BlockDevice *bd, uint64_t offset, const void *buf, size_t len)
{
    return block_writev(bd, offset, &(struct iovec){(void *)buf, len}, 1);
}

int block_flush(BlockDevice *bd)
{
    return bd->readonly || bd->inactive ? 0 : bd->drv->flush(bd);
}

int block_write_zeroes(BlockDevice *bd, uint64_t offset, uint64_t len, bool unmap)
{
    int rc = check_change(bd, offset, len);
    if (rc == 0)
        rc = check_block0(bd, offset, NULL, 0, len);
    return rc < 0 || len == 0 ? rc : bd->drv->write_zeroes(bd, offset, len, unmap);
}

int block_discard(BlockDevice *bd, uint64_t offset, uint64_t len)
{
    int rc = check_change(bd, offset, len);
    if (rc < 0)
        return rc;
    /* Only a hint: where the zeros a hole reads as would trip the block 0
     * guard, the data simply stays. */
    if (len == 0 || check_block0(bd, offset, NULL, 0, len) != 0)
        return 0;
    return bd->drv->discard(bd, offset, len);
}

/* ---- internal snapshots ---- */

bool block_can_snapshot(const BlockDevice *bd)
{
    return bd->drv->snapshot_create && !bd->readonly;
}

/* Whether the image's format has snapshots and, for a change, whether it
 * may be written; else -ENOTSUP or -EROFS with why in err. */
static int snapshot_check(const BlockDevice *bd, bool change, char *err, size_t errlen)
{
    if (!bd->drv->snapshot_list) {
        snprintf(err, errlen, "'%s': image format %s does not support snapshots", bd->path,
                 bd->drv->format);
        return -ENOTSUP;
    }
    if (change && bd->readonly) {
        snprintf(err, errlen, "'%s' is read-only: its snapshots cannot be changed", bd->path);
        return -EROFS;
    }
    return 0;
}

int block_snapshot_list(BlockDevice *bd, BlockSnapshot **list, char *err, size_t errlen)
{
    *list = NULL;
    int rc = snapshot_check(bd, false, err, errlen);
    return rc < 0 ? rc : bd->drv->snapshot_list(bd, list, err, errlen);
}

int block_snapshot_create(BlockDevice *bd, const char *name, const void *vmstate, size_t len,
                          uint64_t vm_clock_ns, char *err, size_t errlen)
{
    int rc = snapshot_check(bd, true, err, errlen);
    return rc < 0 ? rc : bd->drv->snapshot_create(bd, name, vmstate, len, vm_clock_ns, err, errlen);
}

int block_snapshot_goto(BlockDevice *bd, const char *name, char *err, size_t errlen)
{
    int rc = snapshot_check(bd, true, err, errlen);
    return rc < 0 ? rc : bd->drv->snapshot_goto(bd, name, err, errlen);
}

int block_snapshot_read_vmstate(BlockDevice *bd, const char *name, uint8_t **data, size_t *len,
                                char *err, size_t errlen)
{
    *data = NULL;
    *len = 0;
    int rc = snapshot_check(bd, false, err, errlen);
    return rc < 0 ? rc : bd->drv->snapshot_read_vmstate(bd, name, data, len, err, errlen);
}

int block_snapshot_delete(BlockDevice *bd, const char *name, char *err, size_t errlen)
{
    int rc = snapshot_check(bd, true, err, errlen);
    return rc < 0 ? rc : bd->drv->snapshot_delete(bd, name, err, errlen);
}
