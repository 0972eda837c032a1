/* hw/virtio/blk.c: virtio-blk: read, write, flush, get-id, discard and
 * write-zeroes on one request queue. Requests that touch the image run on
 * its I/O thread (block_submit) while the guest goes on, and complete
 * through the main loop; the others are answered at once. Host I/O errors
 * become VIRTIO_BLK_S_IOERR. */
#include "hw/virtio/blk.h"

#include <stdlib.h>
#include <string.h>

#include "util/le.h"
#include "util/log.h"
#include "hw/device.h"

enum {
    BLK_F_SEG_MAX = 1u << 2,
    BLK_F_RO = 1u << 5,
    BLK_F_BLK_SIZE = 1u << 6,
    BLK_F_FLUSH = 1u << 9,
    BLK_F_DISCARD = 1u << 13,
    BLK_F_WRITE_ZEROES = 1u << 14,
};

/* struct virtio_blk_config offsets. */
enum {
    CFG_CAPACITY = 0,
    CFG_SEG_MAX = 12,
    CFG_BLK_SIZE = 20,
    CFG_MAX_DISCARD_SECTORS = 36,
    CFG_MAX_DISCARD_SEG = 40,
    CFG_DISCARD_ALIGNMENT = 44,
    CFG_MAX_WRITE_ZEROES_SECTORS = 48,
    CFG_MAX_WRITE_ZEROES_SEG = 52,
    CFG_WRITE_ZEROES_MAY_UNMAP = 56,
    CFG_SIZE = 60,
};

#define SECTOR 512ull
#define QUEUE_SIZE 256
#define HEADER_SIZE 16
#define RANGE_SIZE 16 /* discard/write-zeroes segment: sector, count, flags */
#define MAX_RANGE_SECTORS 0x3fffffu
#define ID_BYTES 20
/* Requests in flight at once. A driver cannot have more outstanding than
 * its queue holds; a guest that re-offers buffers still in flight waits
 * for one to complete. */
#define MAX_IN_FLIGHT QUEUE_SIZE

/* One request from the queue to its completion. */
struct BlkRequest {
    BlockRequest io;
    VirtioBlk *blk;
    BlkRequest *next_free;
    uint64_t in_data; /* bytes of data before the status byte */
    struct iovec iov[VIRTQ_MAX_SEGMENTS];
    VirtqElement elem;
};

static BlkRequest *request_get(VirtioBlk *blk)
{
    BlkRequest *r = blk->free_requests;
    if (r) {
        blk->free_requests = r->next_free;
        return r;
    }
    if (blk->n_requests == MAX_IN_FLIGHT || !(r = malloc(sizeof(*r))))
        return NULL;
    blk->n_requests++;
    r->blk = blk;
    return r;
}

static void request_put(VirtioBlk *blk, BlkRequest *r)
{
    r->next_free = blk->free_requests;
    blk->free_requests = r;
}

/* The request's data as one scatter-gather list: the out buffers after the
 * header (a write) or the in buffers before the status byte (a read). */
static void map_data(BlkRequest *r, uint64_t len, bool write)
{
    const VirtqElement *e = &r->elem;
    unsigned first = write ? 0 : e->out_num;
    unsigned end = write ? e->out_num : e->out_num + e->in_num;
    uint64_t skip = write ? HEADER_SIZE : 0;
    int n = 0;
    for (unsigned s = first; s < end && len > 0; s++) {
        const VirtqSegment *seg = &e->seg[s];
        if (skip >= seg->len) {
            skip -= seg->len;
            continue;
        }
        uint64_t part = seg->len - skip < len ? seg->len - skip : len;
        r->iov[n++] = (struct iovec){seg->host + skip, (size_t)part};
        len -= part;
        skip = 0;
    }
    r->io.iov = r->iov;
    r->io.iovcnt = n;
}

static bool sectors_in_range(const VirtioBlk *blk, uint64_t sector, uint64_t bytes)
{
    uint64_t capacity = blk->bd->size / SECTOR;
    return sector <= capacity && bytes / SECTOR <= capacity - sector && bytes % SECTOR == 0;
}

/* DISCARD and WRITE_ZEROES: an array of ranges in the out data. A status,
 * or VIRTIO_BLK_S_OK with the operation set up in r->io. */
static uint8_t map_range(VirtioBlk *blk, BlkRequest *r, uint32_t type, uint64_t data_len)
{
    if (blk->bd->readonly)
        return VIRTIO_BLK_S_IOERR;
    if (data_len != RANGE_SIZE) /* max_discard_seg = max_write_zeroes_seg = 1 */
        return VIRTIO_BLK_S_UNSUPP;
    uint8_t range[RANGE_SIZE];
    virtq_read(&r->elem, HEADER_SIZE, range, sizeof(range));
    uint64_t sector = ld_le64(range);
    uint32_t count = ld_le32(range + 8), flags = ld_le32(range + 12);
    if ((type == VIRTIO_BLK_T_DISCARD ? flags != 0 : (flags & ~1u) != 0) ||
        count > MAX_RANGE_SECTORS)
        return VIRTIO_BLK_S_UNSUPP;
    if (!sectors_in_range(blk, sector, count * SECTOR))
        return VIRTIO_BLK_S_IOERR;
    r->io.op = type == VIRTIO_BLK_T_DISCARD ? BLOCK_OP_DISCARD : BLOCK_OP_WRITE_ZEROES;
    r->io.offset = sector * SECTOR;
    r->io.len = count * SECTOR;
    r->io.unmap = flags & 1;
    return VIRTIO_BLK_S_OK;
}

/* Returns the request to the driver: status after written data bytes. */
static void respond(VirtioBlk *blk, BlkRequest *r, uint8_t status, uint64_t written)
{
    VirtioDevice *vdev = &blk->vdev;
    virtq_write(vdev->as, &r->elem, r->in_data, &status, 1);
    virtio_push(vdev, 0, &r->elem, (uint32_t)(written + 1));
}

static void process_queue(VirtioBlk *blk);

static void request_done(BlockRequest *io)
{
    BlkRequest *r = io->opaque;
    VirtioBlk *blk = r->blk;
    VirtioDevice *vdev = &blk->vdev;
    const VirtqElement *e = &r->elem;
    /* The image wrote into guest memory behind the CPU's back: code
     * translated from there is stale. */
    if (io->op == BLOCK_OP_READ)
        for (unsigned s = e->out_num; s < e->out_num + e->in_num; s++)
            memory_dma_written(vdev->as, e->seg[s].addr, e->seg[s].len);
    /* A reset or a queue the driver took down while the request ran: the
     * driver no longer waits for it. */
    if (vdev->queues[0].ready) {
        respond(blk, r, io->ret < 0 ? VIRTIO_BLK_S_IOERR : VIRTIO_BLK_S_OK,
                io->op == BLOCK_OP_READ ? r->in_data : 0);
        virtio_notify(vdev, 0);
    }
    request_put(blk, r);
    if (blk->starved) {
        blk->starved = false;
        process_queue(blk);
    }
}

/* Starts one request: true when it went to the image and completes later,
 * false when it was answered at once. -1: malformed (the device now needs
 * a reset). */
static int start_request(VirtioBlk *blk, BlkRequest *r)
{
    VirtqElement *e = &r->elem;
    if (e->out_len < HEADER_SIZE || e->in_len < 1) {
        virtio_error(&blk->vdev, "request without header or status byte (%llu out, %llu in)",
                     (unsigned long long)e->out_len, (unsigned long long)e->in_len);
        return -1;
    }
    uint8_t header[HEADER_SIZE];
    virtq_read(e, 0, header, sizeof(header));
    uint32_t type = ld_le32(header);
    uint64_t sector = ld_le64(header + 8);
    uint64_t out_data = e->out_len - HEADER_SIZE;
    r->in_data = e->in_len - 1;
    uint8_t status = VIRTIO_BLK_S_OK;
    uint64_t written = 0;
    switch (type) {
    case VIRTIO_BLK_T_IN:
        written = r->in_data;
        if (!sectors_in_range(blk, sector, r->in_data)) {
            status = VIRTIO_BLK_S_IOERR;
            break;
        }
        r->io.op = BLOCK_OP_READ;
        r->io.offset = sector * SECTOR;
        map_data(r, r->in_data, false);
        break;
    case VIRTIO_BLK_T_OUT:
        if (blk->bd->readonly || !sectors_in_range(blk, sector, out_data)) {
            status = VIRTIO_BLK_S_IOERR;
            break;
        }
        r->io.op = BLOCK_OP_WRITE;
        r->io.offset = sector * SECTOR;
        map_data(r, out_data, true);
        break;
    case VIRTIO_BLK_T_FLUSH:
        r->io.op = BLOCK_OP_FLUSH;
        break;
    case VIRTIO_BLK_T_GET_ID: {
        size_t n = r->in_data < ID_BYTES ? (size_t)r->in_data : ID_BYTES;
        respond(blk, r, VIRTIO_BLK_S_OK, virtq_write(blk->vdev.as, e, 0, blk->serial, n));
        return 0;
    }
    case VIRTIO_BLK_T_DISCARD:
    case VIRTIO_BLK_T_WRITE_ZEROES:
        status = map_range(blk, r, type, out_data);
        break;
    default:
        status = VIRTIO_BLK_S_UNSUPP;
    }
    if (status != VIRTIO_BLK_S_OK) {
        respond(blk, r, status, written);
        return 0;
    }
    r->io.complete = request_done;
    r->io.opaque = r;
    block_submit(blk->bd, &r->io);
    return 1;
}

static void process_queue(VirtioBlk *blk)
{
    VirtioDevice *vdev = &blk->vdev;
    bool answered = false;
    for (;;) {
        if (!virtq_has_request(&vdev->queues[0]))
            break;
        BlkRequest *r = request_get(blk);
        if (!r) {
            blk->starved = true;
            break;
        }
        int rc = virtio_pop(vdev, 0, &r->elem) == 1 ? start_request(blk, r) : -1;
        if (rc <= 0)
            request_put(blk, r);
        if (rc < 0)
            break;
        answered |= rc == 0;
    }
    if (answered)
        virtio_notify(vdev, 0);
}

static void blk_notify(VirtioDevice *vdev, unsigned n)
{
    (void)n;
    process_queue((VirtioBlk *)vdev);
}

/* The driver forgets its requests; none may still write into its memory. */
static void blk_reset(VirtioDevice *vdev)
{
    VirtioBlk *blk = (VirtioBlk *)vdev;
    block_drain(blk->bd);
    blk->starved = false;
}

static const VirtioDeviceClass virtio_blk_class = {
    .name = "virtio-blk-device",
    .device_id = VIRTIO_ID_BLOCK,
    .num_queues = 1,
    .queue_size_max = QUEUE_SIZE,
    .notify = blk_notify,
    .reset = blk_reset,
};

bool virtio_blk_init(VirtioBlk *blk, AddressSpace *as, BlockDevice *bd, const char *serial,
                     char *err, size_t errlen)
{
    if (!block_start_worker(bd, err, errlen))
        return false;
    uint64_t features =
        BLK_F_SEG_MAX | BLK_F_BLK_SIZE | BLK_F_FLUSH | VIRTIO_F_INDIRECT_DESC | VIRTIO_F_EVENT_IDX;
    features |= bd->readonly ? BLK_F_RO : BLK_F_DISCARD | BLK_F_WRITE_ZEROES;
    virtio_device_init(&blk->vdev, &virtio_blk_class, as, features, CFG_SIZE);
    blk->bd = bd;
    blk->free_requests = NULL;
    blk->n_requests = 0;
    blk->starved = false;
    memset(blk->serial, 0, sizeof(blk->serial));
    if (serial)
        memcpy(blk->serial, serial, strnlen(serial, sizeof(blk->serial)));
    VirtioDevice *vdev = &blk->vdev;
    virtio_config_set64(vdev, CFG_CAPACITY, bd->size / SECTOR);
    virtio_config_set32(vdev, CFG_SEG_MAX, QUEUE_SIZE - 2);
    virtio_config_set32(vdev, CFG_BLK_SIZE, SECTOR);
    virtio_config_set32(vdev, CFG_MAX_DISCARD_SECTORS, MAX_RANGE_SECTORS);
    virtio_config_set32(vdev, CFG_MAX_DISCARD_SEG, 1);
    virtio_config_set32(vdev, CFG_DISCARD_ALIGNMENT, 1);
    virtio_config_set32(vdev, CFG_MAX_WRITE_ZEROES_SECTORS, MAX_RANGE_SECTORS);
    virtio_config_set32(vdev, CFG_MAX_WRITE_ZEROES_SEG, 1);
    vdev->config[CFG_WRITE_ZEROES_MAY_UNMAP] = 1;
    return true;
}

void virtio_blk_destroy(VirtioBlk *blk)
{
    block_drain(blk->bd);
    while (blk->free_requests) {
        BlkRequest *r = blk->free_requests;
        blk->free_requests = r->next_free;
        free(r);
    }
    blk->n_requests = 0;
}

/* ---- Device type ---- */

/* Drives given without id= get board names starting with '#', as QEMU's
 * generated ids do; they have no serial unless one is given. */
static bool blk_realize(Device *dev, const DeviceContext *ctx, char *err, size_t errlen)
{
    const char *drive = device_prop(dev, "drive");
    BlockDevice *bd = ctx->drive(ctx->board, drive, err, errlen);
    if (!bd)
        return false;
    const char *serial = device_prop(dev, "serial");
    if (!serial)
        serial = drive[0] == '#' ? "" : drive;
    return virtio_blk_init(dev->state, ctx->as, bd, serial, err, errlen);
}

static void blk_unrealize(Device *dev)
{
    virtio_blk_destroy(dev->state);
}

static VirtioDevice *blk_virtio(Device *dev)
{
    return &((VirtioBlk *)dev->state)->vdev;
}

static const DeviceProperty blk_props[] = {
    {.name = "drive",
     .type = PROP_DRIVE,
     .default_value = NULL,
     .help = "the -drive (if=none) holding the disk",
     .required = true},
    {.name = "serial",
     .type = PROP_STRING,
     .default_value = NULL,
     .help = "what GET_ID returns (default: the drive's id)",
     .required = false},
    {0},
};

/* The machine drains every image before it saves (block_drain_all), so no
 * request is in flight in a saved state. */
static const StateField blk_fields[] = {
    STATE_STRUCT(VirtioBlk, vdev, &virtio_device_state),
    STATE_END,
};

static const StateField blk_unsaved[] = {
    STATE_UNSAVED(VirtioBlk, bd),
    STATE_UNSAVED(VirtioBlk, serial),
    STATE_UNSAVED(VirtioBlk, free_requests),
    STATE_UNSAVED(VirtioBlk, n_requests),
    STATE_UNSAVED(VirtioBlk, starved),
    STATE_END,
};

static const StateDescription blk_state = {
    .name = "virtio-blk-device",
    .c_type = "VirtioBlk",
    .version = 1,
    .struct_size = sizeof(VirtioBlk),
    .fields = blk_fields,
    .unsaved = blk_unsaved,
};

const DeviceType virtio_blk_type = {
    .name = "virtio-blk-device",
    .desc = "Virtio block device",
    .bus = "virtio-bus",
    .state_size = sizeof(VirtioBlk),
    .props = blk_props,
    .realize = blk_realize,
    .unrealize = blk_unrealize,
    .virtio = blk_virtio,
    .state = &blk_state,
};
