/* hw/virtio/blk.c: virtio-blk: read, write, flush, get-id, discard and
 * write-zeroes on one request queue, performed synchronously when the
 * driver notifies. Host I/O errors become VIRTIO_BLK_S_IOERR. */
#include "hw/virtio/blk.h"

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

/* Reads or writes the data part of a request (the out buffers after the
 * header, or the in buffers before the status byte) straight between the
 * image and guest memory. */
static int transfer(VirtioBlk *blk, uint64_t offset, uint64_t len, bool write)
{
    VirtioDevice *vdev = &blk->vdev;
    const VirtqElement *e = &blk->elem;
    unsigned first = write ? 0 : e->out_num;
    unsigned end = write ? e->out_num : e->out_num + e->in_num;
    uint64_t skip = write ? HEADER_SIZE : 0;
    for (unsigned s = first; s < end && len > 0; s++) {
        const VirtqSegment *seg = &e->seg[s];
        if (skip >= seg->len) {
            skip -= seg->len;
            continue;
        }
        uint64_t n = seg->len - skip < len ? seg->len - skip : len;
        int rc = write ? block_write(blk->bd, offset, seg->host + skip, n)
                       : block_read(blk->bd, offset, seg->host + skip, n);
        if (!write)
            memory_dma_written(vdev->as, seg->addr + skip, n);
        if (rc < 0)
            return rc;
        offset += n;
        len -= n;
        skip = 0;
    }
    return 0;
}

static bool sectors_in_range(const VirtioBlk *blk, uint64_t sector, uint64_t bytes)
{
    uint64_t capacity = blk->bd->size / SECTOR;
    return sector <= capacity && bytes / SECTOR <= capacity - sector && bytes % SECTOR == 0;
}

/* DISCARD and WRITE_ZEROES: an array of ranges in the out data. */
static uint8_t do_ranges(VirtioBlk *blk, uint32_t type, uint64_t data_len)
{
    if (blk->bd->readonly)
        return VIRTIO_BLK_S_IOERR;
    if (data_len != RANGE_SIZE) /* max_discard_seg = max_write_zeroes_seg = 1 */
        return VIRTIO_BLK_S_UNSUPP;
    uint8_t range[RANGE_SIZE];
    virtq_read(&blk->elem, HEADER_SIZE, range, sizeof(range));
    uint64_t sector = ld_le64(range);
    uint32_t count = ld_le32(range + 8), flags = ld_le32(range + 12);
    bool unmap = flags & 1;
    if ((type == VIRTIO_BLK_T_DISCARD ? flags != 0 : (flags & ~1u) != 0) ||
        count > MAX_RANGE_SECTORS)
        return VIRTIO_BLK_S_UNSUPP;
    if (!sectors_in_range(blk, sector, count * SECTOR))
        return VIRTIO_BLK_S_IOERR;
    int rc = type == VIRTIO_BLK_T_DISCARD
                 ? block_discard(blk->bd, sector * SECTOR, count * SECTOR)
                 : block_write_zeroes(blk->bd, sector * SECTOR, count * SECTOR, unmap);
    return rc < 0 ? VIRTIO_BLK_S_IOERR : VIRTIO_BLK_S_OK;
}

/* Performs one request; returns the bytes written into its in buffers
 * (data plus the status byte), or -1 if it is malformed. */
static int64_t handle_request(VirtioDevice *vdev, VirtqElement *e)
{
    VirtioBlk *blk = (VirtioBlk *)vdev;
    if (e->out_len < HEADER_SIZE || e->in_len < 1) {
        virtio_error(&blk->vdev, "request without header or status byte (%llu out, %llu in)",
                     (unsigned long long)e->out_len, (unsigned long long)e->in_len);
        return -1;
    }
    uint8_t header[HEADER_SIZE];
    virtq_read(e, 0, header, sizeof(header));
    uint32_t type = ld_le32(header);
    uint64_t sector = ld_le64(header + 8);
    uint64_t out_data = e->out_len - HEADER_SIZE, in_data = e->in_len - 1;
    uint64_t written = 0;
    uint8_t status = VIRTIO_BLK_S_OK;
    switch (type) {
    case VIRTIO_BLK_T_IN:
        if (!sectors_in_range(blk, sector, in_data))
            status = VIRTIO_BLK_S_IOERR;
        else if (transfer(blk, sector * SECTOR, in_data, false) < 0)
            status = VIRTIO_BLK_S_IOERR;
        written = in_data;
        break;
    case VIRTIO_BLK_T_OUT:
        if (blk->bd->readonly || !sectors_in_range(blk, sector, out_data) ||
            transfer(blk, sector * SECTOR, out_data, true) < 0)
            status = VIRTIO_BLK_S_IOERR;
        break;
    case VIRTIO_BLK_T_FLUSH:
        status = block_flush(blk->bd) < 0 ? VIRTIO_BLK_S_IOERR : VIRTIO_BLK_S_OK;
        break;
    case VIRTIO_BLK_T_GET_ID: {
        size_t n = in_data < ID_BYTES ? (size_t)in_data : ID_BYTES;
        written = virtq_write(blk->vdev.as, e, 0, blk->serial, n);
        break;
    }
    case VIRTIO_BLK_T_DISCARD:
    case VIRTIO_BLK_T_WRITE_ZEROES:
        status = do_ranges(blk, type, out_data);
        break;
    default:
        status = VIRTIO_BLK_S_UNSUPP;
    }
    virtq_write(blk->vdev.as, e, in_data, &status, 1);
    return (int64_t)written + 1;
}

static void blk_notify(VirtioDevice *vdev, unsigned n)
{
    virtio_process_queue(vdev, n, &((VirtioBlk *)vdev)->elem, handle_request);
}

static const VirtioDeviceClass virtio_blk_class = {
    .name = "virtio-blk-device",
    .device_id = VIRTIO_ID_BLOCK,
    .num_queues = 1,
    .queue_size_max = QUEUE_SIZE,
    .notify = blk_notify,
};

void virtio_blk_init(VirtioBlk *blk, AddressSpace *as, BlockDevice *bd, const char *serial)
{
    uint64_t features =
        BLK_F_SEG_MAX | BLK_F_BLK_SIZE | BLK_F_FLUSH | VIRTIO_F_INDIRECT_DESC | VIRTIO_F_EVENT_IDX;
    features |= bd->readonly ? BLK_F_RO : BLK_F_DISCARD | BLK_F_WRITE_ZEROES;
    virtio_device_init(&blk->vdev, &virtio_blk_class, as, features, CFG_SIZE);
    blk->bd = bd;
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
    virtio_blk_init(dev->state, ctx->as, bd, serial);
    return true;
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

/* Requests run to completion when the driver notifies, so no element is
 * in flight between instructions: elem is scratch. */
static const StateField blk_fields[] = {
    STATE_STRUCT(VirtioBlk, vdev, &virtio_device_state),
    STATE_END,
};

static const StateField blk_unsaved[] = {
    STATE_UNSAVED(VirtioBlk, bd),
    STATE_UNSAVED(VirtioBlk, serial),
    STATE_UNSAVED(VirtioBlk, elem),
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
    .virtio = blk_virtio,
    .state = &blk_state,
};
