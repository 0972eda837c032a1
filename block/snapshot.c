/* block/snapshot.c: -snapshot and snapshot=on: the guest's writes go to a
 * temporary qcow2 overlay whose backing file is the image, which is only
 * read (and locked as a reader). The overlay is unlinked as soon as it is
 * open, so nothing is left behind however ember ends. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "block/block.h"

BlockDevice *block_open_snapshot(const char *path, const char *format, char *err, size_t errlen)
{
    /* The image's size and format become the overlay's. */
    BlockDevice *base = block_open(path, true, format, err, errlen);
    if (!base)
        return NULL;
    uint64_t size = base->size;
    char base_format[16];
    snprintf(base_format, sizeof(base_format), "%s", block_format(base));
    block_close(base);

    char absolute[PATH_MAX];
    if (!realpath(path, absolute)) {
        snprintf(err, errlen, "cannot resolve '%s' for -snapshot", path);
        return NULL;
    }
    /* QEMU's place for them: large and not cleared at boot like /tmp may be. */
    const char *dir = getenv("TMPDIR");
    char overlay[PATH_MAX];
    snprintf(overlay, sizeof(overlay), "%s/ember-snapshot.XXXXXX", dir && *dir ? dir : "/var/tmp");
    int fd = mkstemp(overlay);
    if (fd < 0) {
        snprintf(err, errlen, "-snapshot: cannot create a temporary overlay in %s: %m",
                 dir && *dir ? dir : "/var/tmp");
        return NULL;
    }
    close(fd);
    BlockDevice *bd = NULL;
    if (block_qcow2_create(overlay, size, absolute, base_format, err, errlen))
        bd = block_open(overlay, false, "qcow2", err, errlen);
    unlink(overlay);
    return bd;
}
