/* block/image_lock.c: QEMU-compatible image locks. Every holder takes only
 * shared locks; a conflict shows as somebody else's lock on a byte that an
 * exclusive test lock would need, which is why the bytes are taken before
 * they are tested: of two processes racing, each sees the other. */
#define _GNU_SOURCE
#include "block/image_lock.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>

#define PERM_COUNT 4
#define USED_BASE 100   /* byte 100 + bit: this process uses the permission */
#define DENIED_BASE 200 /* byte 200 + bit: it lets no one else use it */

static const char *const perm_names[PERM_COUNT] = {"consistent read", "write", "write unchanged",
                                                   "resize"};

/* OFD commands need l_pid 0; the lock belongs to the open, not to a pid. */
static int lock_cmd(int fd, int cmd, struct flock *fl)
{
    return fcntl(fd, cmd, fl) == 0 ? 0 : -errno;
}

static int take_byte(int fd, int byte)
{
    struct flock fl = {.l_type = F_RDLCK, .l_whence = SEEK_SET, .l_start = byte, .l_len = 1};
    return lock_cmd(fd, F_OFD_SETLK, &fl);
}

/* 1 if another open of the file holds a lock on byte, 0 if none does. Our
 * own locks never count: F_OFD_GETLK ignores the asking open's locks. */
static int byte_in_use(int fd, int byte)
{
    struct flock fl = {.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = byte, .l_len = 1};
    int rc = lock_cmd(fd, F_OFD_GETLK, &fl);
    return rc < 0 ? rc : fl.l_type != F_UNLCK;
}

void image_unlock(int fd)
{
    struct flock fl = {.l_type = F_UNLCK,
                       .l_whence = SEEK_SET,
                       .l_start = USED_BASE,
                       .l_len = DENIED_BASE + PERM_COUNT - USED_BASE};
    (void)lock_cmd(fd, F_OFD_SETLK, &fl);
}

/* Announces what we use and what we deny. */
static bool take_bytes(int fd, const char *path, unsigned perm, unsigned denied, char *err,
                       size_t errlen)
{
    const struct {
        unsigned perms;
        int base;
    } sets[] = {{perm, USED_BASE}, {denied, DENIED_BASE}};
    for (size_t s = 0; s < 2; s++) {
        for (int p = 0; p < PERM_COUNT; p++) {
            if (!(sets[s].perms >> p & 1))
                continue;
            int byte = sets[s].base + p;
            int rc = take_byte(fd, byte);
            if (rc == -EAGAIN || rc == -EACCES) {
                /* An exclusive lock: never QEMU's, but someone's. */
                snprintf(err, errlen, "'%s' is in use by another process (failed to lock byte %d)",
                         path, byte);
                return false;
            }
            if (rc < 0) {
                snprintf(err, errlen, "cannot lock '%s': %s", path, strerror(-rc));
                return false;
            }
        }
    }
    return true;
}

/* What we use must be denied by no one else; what we deny must be used by
 * no one else. */
static bool check_bytes(int fd, const char *path, unsigned perm, unsigned denied, char *err,
                        size_t errlen)
{
    const struct {
        unsigned perms;
        int base;
        const char *kind;
    } sets[] = {{perm, DENIED_BASE, ""}, {denied, USED_BASE, "shared "}};
    for (size_t s = 0; s < 2; s++) {
        for (int p = 0; p < PERM_COUNT; p++) {
            if (!(sets[s].perms >> p & 1))
                continue;
            int rc = byte_in_use(fd, sets[s].base + p);
            if (rc < 0) {
                snprintf(err, errlen, "cannot lock '%s': %s", path, strerror(-rc));
                return false;
            }
            if (rc > 0) {
                snprintf(err, errlen,
                         "'%s' is in use by another process (failed to get %s\"%s\" lock)", path,
                         sets[s].kind, perm_names[p]);
                return false;
            }
        }
    }
    return true;
}

bool image_lock(int fd, const char *path, unsigned perm, unsigned shared, char *err, size_t errlen)
{
    unsigned denied = ~shared & IMAGE_PERM_ALL;
    if (take_bytes(fd, path, perm, denied, err, errlen) &&
        check_bytes(fd, path, perm, denied, err, errlen))
        return true;
    image_unlock(fd);
    return false;
}
