/* block/block.h: disk images behind one interface; each format is a driver
 * behind the same calls (block_int.h). */
#ifndef EMBER_BLOCK_BLOCK_H
#define EMBER_BLOCK_BLOCK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <sys/uio.h>

typedef struct BlockDriver BlockDriver;
typedef struct BlockWorker BlockWorker;

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
    /* Asynchronous requests (block_submit): the thread that runs them, and
     * how many were submitted whose completion has not run yet. */
    BlockWorker *worker;
    unsigned in_flight;
    /* Another process may write the image (the source of a migration
     * coming in): no locks held, requests refused, metadata read again
     * when activated. */
    bool inactive;
} BlockDevice;

/* Opens an image, locked as QEMU locks images (see image_lock.h). format is
 * one ember has a driver for, or NULL to probe: an image in a format ember
 * cannot read is then refused, and a raw one gets QEMU's warning and block 0
 * guard. An image this process has
 * open already is refused unless both opens are read-only. NULL with one
 * message naming path in err on failure. */
BlockDevice *block_open(const char *path, bool readonly, const char *format, char *err,
                        size_t errlen);
/* block_open for the destination of a migration: the image is opened
 * inactive, without locks, while its source still writes it. */
BlockDevice *block_open_inactive(const char *path, bool readonly, const char *format, char *err,
                                 size_t errlen);
/* The image changes hands (QEMU's bdrv_inactivate / bdrv_activate): a
 * source gives it up once its requests are done and flushed, dropping its
 * locks; the destination takes the locks and reads the format's metadata
 * again. Both are no-ops in the state asked for; false with one line in
 * err (activate: another process holds the image). */
bool block_inactivate(BlockDevice *bd, char *err, size_t errlen);
bool block_activate(BlockDevice *bd, char *err, size_t errlen);
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

/* What a user is shown of an image besides its file (query-block). */
typedef struct BlockImageInfo {
    const BlockDevice *backing; /* the open backing file; NULL: none */
    const char *backing_name;   /* as the image names it */
    const char *backing_format; /* as the image names it; NULL: not named */
    uint64_t cluster_size;      /* 0: the format has no clusters */
    /* qcow2 */
    uint32_t qcow2_version; /* 0: not qcow2 */
    unsigned refcount_bits;
    bool lazy_refcounts, corrupt;
} BlockImageInfo;
void block_image_info(const BlockDevice *bd, BlockImageInfo *info);
/* Waits for its requests (block_drain), flushes what was written to
 * stable storage, then closes. */
void block_close(BlockDevice *bd);

/* Each returns 0 or a negative errno; ranges must lie inside the image
 * (-EINVAL otherwise), writes fail with -EROFS on a read-only image and
 * with -EPERM where the block 0 guard refuses them. */
int block_read(BlockDevice *bd, uint64_t offset, void *buf, size_t len);
int block_write(BlockDevice *bd, uint64_t offset, const void *buf, size_t len);
/* The same on a scatter-gather list: the range is the iovecs' total. */
int block_readv(BlockDevice *bd, uint64_t offset, const struct iovec *iov, int iovcnt);
int block_writev(BlockDevice *bd, uint64_t offset, const struct iovec *iov, int iovcnt);
int block_flush(BlockDevice *bd);
/* The range reads as zeros afterwards; with unmap its space may be freed. */
int block_write_zeroes(BlockDevice *bd, uint64_t offset, uint64_t len, bool unmap);
/* The range's contents become undefined and its space may be freed. */
int block_discard(BlockDevice *bd, uint64_t offset, uint64_t len);

/* ---- Internal snapshots (qcow2, laid out as QEMU's savevm lays them) ----
 * Each returns 0 or a negative errno with one line naming the image in err.
 * The image must have no request in flight (block_drain). */
typedef struct BlockSnapshot {
    char id[16];            /* QEMU's id string: "1", "2", ... */
    char name[256];         /* the tag */
    uint64_t vm_state_size; /* bytes of machine state saved with it */
    uint32_t date_sec, date_nsec;
    uint64_t vm_clock_ns; /* the guest's clock when taken */
    uint64_t disk_size;
} BlockSnapshot;

/* Whether the image can hold internal snapshots (writable qcow2). */
bool block_can_snapshot(const BlockDevice *bd);
/* The image's snapshots in table order: their number, in *list (free()),
 * or a negative errno. */
int block_snapshot_list(BlockDevice *bd, BlockSnapshot **list, char *err, size_t errlen);
/* Snapshots the disk as it is now, under name, with len bytes of machine
 * state (len 0: none); a snapshot with that name is replaced, as QEMU's
 * savevm does. Crash-safe: killed at any moment, the image keeps every
 * earlier snapshot and the disk's content (at worst leaked clusters). */
int block_snapshot_create(BlockDevice *bd, const char *name, const void *vmstate, size_t len,
                          uint64_t vm_clock_ns, char *err, size_t errlen);
/* The disk's content becomes that of snapshot name (a tag or an id). */
int block_snapshot_goto(BlockDevice *bd, const char *name, char *err, size_t errlen);
/* The machine state saved with snapshot name: malloc'd into *data (NULL
 * with *len 0 when it has none). */
int block_snapshot_read_vmstate(BlockDevice *bd, const char *name, uint8_t **data, size_t *len,
                                char *err, size_t errlen);
int block_snapshot_delete(BlockDevice *bd, const char *name, char *err, size_t errlen);

/* ---- Asynchronous requests ----
 * A device's requests run on its image's own thread, one at a time in the
 * order submitted (so a flush follows the writes before it), while the
 * guest's CPU goes on; their completions run on the thread that calls
 * block_run_completions, the machine's main loop, which watches
 * block_completion_fd. Every call here but the request itself belongs to
 * that one thread. */
typedef enum BlockOp {
    BLOCK_OP_READ,
    BLOCK_OP_WRITE,
    BLOCK_OP_FLUSH,
    BLOCK_OP_WRITE_ZEROES,
    BLOCK_OP_DISCARD,
} BlockOp;

typedef struct BlockRequest BlockRequest;
struct BlockRequest {
    BlockOp op;
    uint64_t offset;
    const struct iovec *iov; /* READ and WRITE: the data, which stays put */
    int iovcnt;
    uint64_t len; /* WRITE_ZEROES and DISCARD */
    bool unmap;   /* WRITE_ZEROES */
    /* Called on completion with ret set (what the synchronous call would
     * have returned); the request is the caller's again. */
    void (*complete)(BlockRequest *req);
    void *opaque;
    int ret;
    /* The block layer's. */
    BlockDevice *bd;
    BlockRequest *next;
};

/* Starts bd's thread; a device calls it once before its first
 * block_submit. false with one line in err when the host refuses. */
bool block_start_worker(BlockDevice *bd, char *err, size_t errlen);
void block_submit(BlockDevice *bd, BlockRequest *req);
/* Waits until every request submitted on bd has completed (their
 * completions, and any others that are ready, run here). */
void block_drain(BlockDevice *bd);
/* The same for every open image: before the machine stops or is saved. */
void block_drain_all(void);
/* Readable when completions are ready; -1 when it cannot be made. */
int block_completion_fd(void);
void block_run_completions(void);
/* While requests are in flight, polls briefly for a completion (cheaper
 * than sleeping and being woken when the guest has nothing else to do);
 * true when one is ready. */
bool block_poll_completions(void);

#endif
