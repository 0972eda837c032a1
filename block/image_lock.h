/* block/image_lock.h: the image locks QEMU takes (block/file-posix.c), so
 * that QEMU, qemu-img and ember keep out of each other's images: shared
 * open-file-description locks on single bytes, one byte per permission a
 * process uses (100 + bit) and one per permission it denies to everyone
 * else (200 + bit). */
#ifndef EMBER_BLOCK_IMAGE_LOCK_H
#define EMBER_BLOCK_IMAGE_LOCK_H

#include <stdbool.h>
#include <stddef.h>

/* QEMU's permission bits, in QEMU's order (the order is the lock layout). */
enum {
    IMAGE_PERM_CONSISTENT_READ = 1u << 0,
    IMAGE_PERM_WRITE = 1u << 1,
    IMAGE_PERM_WRITE_UNCHANGED = 1u << 2,
    IMAGE_PERM_RESIZE = 1u << 3,
    IMAGE_PERM_ALL = (1u << 4) - 1,
};

/* Locks fd, which must hold none of these bytes yet, for using the
 * permissions in perm while others may use only those in shared. False,
 * with one message naming path in err, when another process (or another
 * open of the image in this one) conflicts; fd then holds none of the
 * bytes. The locks last until the last descriptor of this open is closed. */
bool image_lock(int fd, const char *path, unsigned perm, unsigned shared, char *err, size_t errlen);
/* Gives up every byte image_lock took on fd. */
void image_unlock(int fd);

#endif
