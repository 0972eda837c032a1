/* hw/virtio/gpu.c: virtio-gpu, 2D. Every command is checked against the
 * spec before it touches anything (resource ids, formats, sizes against
 * the memory budget, rectangles against their resource, backing against
 * guest RAM) and answered with the spec's error when it fails; a command
 * shorter than its struct gets ERR_UNSPEC. Answers are QEMU's where the
 * spec leaves a choice. */
#include "hw/virtio/gpu.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hw/display/edid.h"
#include "ui/console.h"
#include "util/le.h"
#include "util/log.h"

enum { QUEUE_CTRL = 0, QUEUE_CURSOR = 1 };

/* QEMU's limits: a backing list of at most 16384 entries, 64x64 cursors,
 * scanouts at least 16 pixels each way. */
#define MAX_BACKING_ENTRIES 16384
/* Resources a guest may hold at once (each costs host memory besides its
 * pixels, and a saved machine lists them). */
#define MAX_RESOURCES 65536
#define CURSOR_SIZE 64
#define MIN_SCANOUT 16
/* The largest mode a window may ask the guest for. */
#define MAX_MODE 16384

/* ---- Resources ---- */

static bool pixel_format(uint32_t format, PixelFormat *out)
{
    static const struct {
        uint32_t virtio;
        PixelFormat ui;
    } formats[] = {
        {VIRTIO_GPU_FORMAT_B8G8R8A8_UNORM, PIXEL_B8G8R8A8},
        {VIRTIO_GPU_FORMAT_B8G8R8X8_UNORM, PIXEL_B8G8R8X8},
        {VIRTIO_GPU_FORMAT_A8R8G8B8_UNORM, PIXEL_A8R8G8B8},
        {VIRTIO_GPU_FORMAT_X8R8G8B8_UNORM, PIXEL_X8R8G8B8},
        {VIRTIO_GPU_FORMAT_R8G8B8A8_UNORM, PIXEL_R8G8B8A8},
        {VIRTIO_GPU_FORMAT_X8B8G8R8_UNORM, PIXEL_X8B8G8R8},
        {VIRTIO_GPU_FORMAT_A8B8G8R8_UNORM, PIXEL_A8B8G8R8},
        {VIRTIO_GPU_FORMAT_R8G8B8X8_UNORM, PIXEL_R8G8B8X8},
    };
    for (size_t i = 0; i < sizeof(formats) / sizeof(formats[0]); i++) {
        if (formats[i].virtio == format) {
            if (out)
                *out = formats[i].ui;
            return true;
        }
    }
    return false;
}

static GpuResource *find_resource(VirtioGpu *g, uint32_t id)
{
    for (uint32_t i = 0; i < g->n_resources; i++)
        if (g->resources[i].id == id)
            return &g->resources[i];
    return NULL;
}

/* Whether r lies inside the resource (64-bit sums: no wrap-around). */
static bool rect_inside(const struct virtio_gpu_rect *r, const GpuResource *res)
{
    return (uint64_t)r->x + r->width <= res->width && (uint64_t)r->y + r->height <= res->height;
}

static void show_scanout(VirtioGpu *g, unsigned head)
{
    GpuScanout *s = &g->scanouts[head];
    GpuResource *res = s->resource_id ? find_resource(g, s->resource_id) : NULL;
    if (!res) {
        display_set_surface(g->consoles[head], NULL);
        return;
    }
    PixelFormat format = PIXEL_B8G8R8X8;
    pixel_format(res->format, &format);
    DisplaySurface surface = {
        .width = s->rect.width,
        .height = s->rect.height,
        .stride = res->stride,
        .format = format,
        .data = res->pixels + (size_t)s->rect.y * res->stride + (size_t)s->rect.x * 4,
    };
    display_set_surface(g->consoles[head], &surface);
    display_update(g->consoles[head], 0, 0, surface.width, surface.height);
}

static void disable_scanout(VirtioGpu *g, unsigned head)
{
    g->scanouts[head].resource_id = 0;
    memset(&g->scanouts[head].rect, 0, sizeof(g->scanouts[head].rect));
    display_set_surface(g->consoles[head], NULL);
}

static void free_resource(VirtioGpu *g, GpuResource *res)
{
    for (unsigned head = 0; head < g->max_outputs; head++)
        if (g->scanouts[head].resource_id == res->id)
            disable_scanout(g, head);
    g->hostmem -= (uint64_t)res->stride * res->height;
    free(res->pixels);
    free(res->backing);
    *res = g->resources[--g->n_resources];
}

static void free_resources(VirtioGpu *g)
{
    while (g->n_resources)
        free_resource(g, &g->resources[g->n_resources - 1]);
    free(g->resources);
    g->resources = NULL;
    g->cap_resources = 0;
}

/* A new resource with zeroed pixels, within the memory budget and the
 * resource limit; NULL (logged) when it does not fit. */
static GpuResource *add_resource(VirtioGpu *g, uint32_t id, uint32_t format, uint32_t width,
                                 uint32_t height)
{
    uint64_t stride = (uint64_t)width * 4, size;
    if (__builtin_mul_overflow(stride, (uint64_t)height, &size) ||
        size > g->max_hostmem - g->hostmem) {
        log_guest_error("virtio-gpu: create: %ux%u does not fit the %" PRIu64 " bytes left\n",
                        width, height, g->max_hostmem - g->hostmem);
        return NULL;
    }
    if (g->n_resources == MAX_RESOURCES) {
        log_guest_error("virtio-gpu: create: %d resources already\n", MAX_RESOURCES);
        return NULL;
    }
    if (g->n_resources == g->cap_resources) {
        uint32_t cap = g->cap_resources ? g->cap_resources * 2 : 16;
        GpuResource *grown = realloc(g->resources, cap * sizeof(*grown));
        if (!grown)
            return NULL;
        g->resources = grown;
        g->cap_resources = cap;
    }
    uint8_t *pixels = calloc(1, size);
    if (!pixels)
        return NULL;
    GpuResource *res = &g->resources[g->n_resources++];
    *res = (GpuResource){
        .id = id,
        .format = format,
        .width = width,
        .height = height,
        .stride = (uint32_t)stride,
        .pixels = pixels,
    };
    g->hostmem += size;
    return res;
}

/* ---- Control commands: each returns the response type ---- */

static bool read_command(VirtqElement *e, void *cmd, size_t size)
{
    if (virtq_read(e, 0, cmd, size) == size)
        return true;
    log_guest_error("virtio-gpu: a command of %" PRIu64 " bytes is shorter than its %zu\n",
                    e->out_len, size);
    return false;
}

static uint32_t resource_create_2d(VirtioGpu *g, VirtqElement *e)
{
    struct virtio_gpu_resource_create_2d c;
    if (!read_command(e, &c, sizeof(c)))
        return VIRTIO_GPU_RESP_ERR_UNSPEC;
    if (c.resource_id == 0 || find_resource(g, c.resource_id)) {
        log_guest_error("virtio-gpu: create: resource id %u is %s\n", c.resource_id,
                        c.resource_id ? "in use" : "invalid");
        return VIRTIO_GPU_RESP_ERR_INVALID_RESOURCE_ID;
    }
    if (!pixel_format(c.format, NULL) || c.width == 0 || c.height == 0) {
        log_guest_error("virtio-gpu: create: format %u, %ux%u\n", c.format, c.width, c.height);
        return VIRTIO_GPU_RESP_ERR_INVALID_PARAMETER;
    }
    GpuResource *res = add_resource(g, c.resource_id, c.format, c.width, c.height);
    return res ? VIRTIO_GPU_RESP_OK_NODATA : VIRTIO_GPU_RESP_ERR_OUT_OF_MEMORY;
}

/* The resource a command names, or NULL after logging why not. */
static GpuResource *named_resource(VirtioGpu *g, uint32_t id, const char *what)
{
    GpuResource *res = find_resource(g, id);
    if (!res)
        log_guest_error("virtio-gpu: %s: no resource %u\n", what, id);
    return res;
}

static uint32_t resource_unref(VirtioGpu *g, VirtqElement *e)
{
    struct virtio_gpu_resource_unref c;
    if (!read_command(e, &c, sizeof(c)))
        return VIRTIO_GPU_RESP_ERR_UNSPEC;
    GpuResource *res = named_resource(g, c.resource_id, "unref");
    if (!res)
        return VIRTIO_GPU_RESP_ERR_INVALID_RESOURCE_ID;
    free_resource(g, res);
    return VIRTIO_GPU_RESP_OK_NODATA;
}

/* Checks and maps one backing entry; false when it is not all guest RAM. */
static bool map_backing(VirtioGpu *g, GpuBacking *b)
{
    if (b->len == 0 || b->addr + b->len < b->addr)
        return false;
    b->host = memory_dma_ptr(g->vdev.as, b->addr, b->len, false);
    return b->host != NULL;
}

static uint32_t attach_backing(VirtioGpu *g, VirtqElement *e)
{
    struct virtio_gpu_resource_attach_backing c;
    if (!read_command(e, &c, sizeof(c)))
        return VIRTIO_GPU_RESP_ERR_UNSPEC;
    GpuResource *res = named_resource(g, c.resource_id, "attach backing");
    if (!res)
        return VIRTIO_GPU_RESP_ERR_INVALID_RESOURCE_ID;
    if (res->backing || c.nr_entries == 0 || c.nr_entries > MAX_BACKING_ENTRIES) {
        log_guest_error("virtio-gpu: attach backing: resource %u, %u entries%s\n", res->id,
                        c.nr_entries, res->backing ? ", already backed" : "");
        return VIRTIO_GPU_RESP_ERR_UNSPEC;
    }
    size_t bytes = (size_t)c.nr_entries * sizeof(struct virtio_gpu_mem_entry);
    struct virtio_gpu_mem_entry *entries = malloc(bytes);
    GpuBacking *backing = calloc(c.nr_entries, sizeof(*backing));
    uint32_t result = VIRTIO_GPU_RESP_ERR_UNSPEC;
    if (!entries || !backing) {
        result = VIRTIO_GPU_RESP_ERR_OUT_OF_MEMORY;
        goto out;
    }
    if (virtq_read(e, sizeof(c), entries, bytes) != bytes) {
        log_guest_error("virtio-gpu: attach backing: %u entries announced, fewer sent\n",
                        c.nr_entries);
        goto out;
    }
    uint64_t total = 0;
    for (uint32_t i = 0; i < c.nr_entries; i++) {
        backing[i].addr = entries[i].addr;
        backing[i].len = entries[i].length;
        if (!map_backing(g, &backing[i])) {
            log_guest_error("virtio-gpu: attach backing: entry %u (0x%" PRIx64 ", %u bytes) is "
                            "not guest RAM\n",
                            i, entries[i].addr, entries[i].length);
            goto out;
        }
        total += entries[i].length;
    }
    res->backing = backing;
    res->n_backing = c.nr_entries;
    res->backing_len = total;
    backing = NULL;
    result = VIRTIO_GPU_RESP_OK_NODATA;
out:
    free(entries);
    free(backing);
    return result;
}

static uint32_t detach_backing(VirtioGpu *g, VirtqElement *e)
{
    struct virtio_gpu_resource_detach_backing c;
    if (!read_command(e, &c, sizeof(c)))
        return VIRTIO_GPU_RESP_ERR_UNSPEC;
    GpuResource *res = named_resource(g, c.resource_id, "detach backing");
    if (!res)
        return VIRTIO_GPU_RESP_ERR_INVALID_RESOURCE_ID;
    if (!res->backing) {
        log_guest_error("virtio-gpu: detach backing: resource %u has none\n", res->id);
        return VIRTIO_GPU_RESP_ERR_UNSPEC;
    }
    free(res->backing);
    res->backing = NULL;
    res->n_backing = 0;
    res->backing_len = 0;
    return VIRTIO_GPU_RESP_OK_NODATA;
}

/* Copies len bytes at offset of the backing (which holds them: checked)
 * to dst. *entry and *entry_start remember where the last copy ended, so
 * a transfer's rows, at rising offsets, walk the list once. */
static void copy_from_backing(const GpuResource *res, uint64_t offset, uint8_t *dst, size_t len,
                              uint32_t *entry, uint64_t *entry_start)
{
    uint32_t i = *entry;
    uint64_t start = *entry_start;
    if (offset < start)
        i = 0, start = 0;
    while (len) {
        const GpuBacking *b = &res->backing[i];
        if (offset >= start + b->len) {
            start += b->len;
            i++;
            continue;
        }
        size_t in_entry = (size_t)(start + b->len - offset);
        size_t n = len < in_entry ? len : in_entry;
        memcpy(dst, b->host + (offset - start), n);
        dst += n;
        offset += n;
        len -= n;
    }
    *entry = i;
    *entry_start = start;
}

static uint32_t transfer_to_host_2d(VirtioGpu *g, VirtqElement *e)
{
    struct virtio_gpu_transfer_to_host_2d c;
    if (!read_command(e, &c, sizeof(c)))
        return VIRTIO_GPU_RESP_ERR_UNSPEC;
    GpuResource *res = named_resource(g, c.resource_id, "transfer");
    if (!res)
        return VIRTIO_GPU_RESP_ERR_INVALID_RESOURCE_ID;
    if (!res->backing) {
        log_guest_error("virtio-gpu: transfer: resource %u has no backing\n", res->id);
        return VIRTIO_GPU_RESP_ERR_UNSPEC;
    }
    if (!rect_inside(&c.r, res)) {
        log_guest_error("virtio-gpu: transfer: %ux%u+%u+%u is outside resource %u (%ux%u)\n",
                        c.r.width, c.r.height, c.r.x, c.r.y, res->id, res->width, res->height);
        return VIRTIO_GPU_RESP_ERR_INVALID_PARAMETER;
    }
    if (c.r.width == 0 || c.r.height == 0)
        return VIRTIO_GPU_RESP_OK_NODATA;
    /* The rectangle's rows sit a stride apart in the backing from offset
     * on; the last row must end inside it. The resource fits the memory
     * budget, so these sums do not wrap. */
    uint64_t row = (uint64_t)c.r.width * 4;
    uint64_t span = (uint64_t)res->stride * (c.r.height - 1) + row;
    if (c.offset > res->backing_len || span > res->backing_len - c.offset) {
        log_guest_error("virtio-gpu: transfer: offset %" PRIu64 " + %" PRIu64
                        " bytes is beyond resource %u's backing (%" PRIu64 ")\n",
                        c.offset, span, res->id, res->backing_len);
        return VIRTIO_GPU_RESP_ERR_INVALID_PARAMETER;
    }
    uint8_t *dst = res->pixels + (size_t)c.r.y * res->stride + (size_t)c.r.x * 4;
    uint32_t entry = 0;
    uint64_t entry_start = 0;
    if (c.r.x == 0 && c.r.width == res->width) {
        copy_from_backing(res, c.offset, dst, span, &entry, &entry_start);
    } else {
        for (uint32_t y = 0; y < c.r.height; y++)
            copy_from_backing(res, c.offset + (uint64_t)y * res->stride,
                              dst + (size_t)y * res->stride, row, &entry, &entry_start);
    }
    return VIRTIO_GPU_RESP_OK_NODATA;
}

static uint32_t set_scanout(VirtioGpu *g, VirtqElement *e)
{
    struct virtio_gpu_set_scanout c;
    if (!read_command(e, &c, sizeof(c)))
        return VIRTIO_GPU_RESP_ERR_UNSPEC;
    if (c.scanout_id >= g->max_outputs) {
        log_guest_error("virtio-gpu: set scanout: no scanout %u\n", c.scanout_id);
        return VIRTIO_GPU_RESP_ERR_INVALID_SCANOUT_ID;
    }
    if (c.resource_id == 0) {
        disable_scanout(g, c.scanout_id);
        return VIRTIO_GPU_RESP_OK_NODATA;
    }
    GpuResource *res = named_resource(g, c.resource_id, "set scanout");
    if (!res)
        return VIRTIO_GPU_RESP_ERR_INVALID_RESOURCE_ID;
    if (!res->backing) {
        log_guest_error("virtio-gpu: set scanout: resource %u has no backing\n", res->id);
        return VIRTIO_GPU_RESP_ERR_UNSPEC;
    }
    if (c.r.width < MIN_SCANOUT || c.r.height < MIN_SCANOUT || !rect_inside(&c.r, res)) {
        log_guest_error("virtio-gpu: set scanout: %ux%u+%u+%u of resource %u (%ux%u)\n", c.r.width,
                        c.r.height, c.r.x, c.r.y, res->id, res->width, res->height);
        return VIRTIO_GPU_RESP_ERR_INVALID_PARAMETER;
    }
    GpuScanout *s = &g->scanouts[c.scanout_id];
    s->resource_id = res->id;
    s->rect = c.r;
    show_scanout(g, c.scanout_id);
    return VIRTIO_GPU_RESP_OK_NODATA;
}

static uint32_t resource_flush(VirtioGpu *g, VirtqElement *e)
{
    struct virtio_gpu_resource_flush c;
    if (!read_command(e, &c, sizeof(c)))
        return VIRTIO_GPU_RESP_ERR_UNSPEC;
    GpuResource *res = named_resource(g, c.resource_id, "flush");
    if (!res)
        return VIRTIO_GPU_RESP_ERR_INVALID_RESOURCE_ID;
    if (!rect_inside(&c.r, res)) {
        log_guest_error("virtio-gpu: flush: %ux%u+%u+%u is outside resource %u (%ux%u)\n",
                        c.r.width, c.r.height, c.r.x, c.r.y, res->id, res->width, res->height);
        return VIRTIO_GPU_RESP_ERR_INVALID_PARAMETER;
    }
    for (unsigned head = 0; head < g->max_outputs; head++) {
        const GpuScanout *s = &g->scanouts[head];
        if (s->resource_id != res->id)
            continue;
        /* The flushed rectangle's part on this head, in its coordinates. */
        uint32_t x0 = c.r.x > s->rect.x ? c.r.x : s->rect.x;
        uint32_t y0 = c.r.y > s->rect.y ? c.r.y : s->rect.y;
        uint32_t x1 = c.r.x + c.r.width, y1 = c.r.y + c.r.height;
        uint32_t sx1 = s->rect.x + s->rect.width, sy1 = s->rect.y + s->rect.height;
        x1 = x1 < sx1 ? x1 : sx1;
        y1 = y1 < sy1 ? y1 : sy1;
        if (x0 < x1 && y0 < y1)
            display_update(g->consoles[head], x0 - s->rect.x, y0 - s->rect.y, x1 - x0, y1 - y0);
    }
    return VIRTIO_GPU_RESP_OK_NODATA;
}

/* ---- Responses ---- */

/* The response's header: its type, and the command's fence echoed. */
static void response_header(struct virtio_gpu_ctrl_hdr *resp, const struct virtio_gpu_ctrl_hdr *cmd,
                            uint32_t type)
{
    memset(resp, 0, sizeof(*resp));
    resp->type = type;
    if (cmd->flags & VIRTIO_GPU_FLAG_FENCE) {
        resp->flags = VIRTIO_GPU_FLAG_FENCE;
        resp->fence_id = cmd->fence_id;
        resp->ctx_id = cmd->ctx_id;
    }
}

static int64_t respond(VirtioGpu *g, VirtqElement *e, const void *resp, size_t len)
{
    if (e->in_len < len)
        log_guest_error("virtio-gpu: a response of %zu bytes gets %" PRIu64 " bytes of room\n", len,
                        e->in_len);
    return (int64_t)virtq_write(g->vdev.as, e, 0, resp, len);
}

static int64_t display_info(VirtioGpu *g, VirtqElement *e, const struct virtio_gpu_ctrl_hdr *cmd)
{
    struct virtio_gpu_resp_display_info info;
    memset(&info, 0, sizeof(info));
    response_header(&info.hdr, cmd, VIRTIO_GPU_RESP_OK_DISPLAY_INFO);
    for (unsigned head = 0; head < g->max_outputs; head++) {
        const GpuScanout *s = &g->scanouts[head];
        if (!s->enabled)
            continue;
        info.pmodes[head].enabled = 1;
        info.pmodes[head].r.width = s->width;
        info.pmodes[head].r.height = s->height;
    }
    return respond(g, e, &info, sizeof(info));
}

static int64_t get_edid(VirtioGpu *g, VirtqElement *e, const struct virtio_gpu_ctrl_hdr *cmd)
{
    struct virtio_gpu_get_edid c;
    struct virtio_gpu_resp_edid resp;
    memset(&resp, 0, sizeof(resp));
    if (!read_command(e, &c, sizeof(c))) {
        response_header(&resp.hdr, cmd, VIRTIO_GPU_RESP_ERR_UNSPEC);
        return respond(g, e, &resp.hdr, sizeof(resp.hdr));
    }
    if (c.scanout >= g->max_outputs) {
        log_guest_error("virtio-gpu: get edid: no scanout %u\n", c.scanout);
        response_header(&resp.hdr, cmd, VIRTIO_GPU_RESP_ERR_INVALID_PARAMETER);
        return respond(g, e, &resp.hdr, sizeof(resp.hdr));
    }
    const GpuScanout *s = &g->scanouts[c.scanout];
    response_header(&resp.hdr, cmd, VIRTIO_GPU_RESP_OK_EDID);
    resp.size = EDID_BLOCK_SIZE;
    edid_generate(resp.edid, s->width, s->height, "ember");
    return respond(g, e, &resp, sizeof(resp));
}

static int64_t handle_ctrl(VirtioDevice *vdev, VirtqElement *e)
{
    VirtioGpu *g = (VirtioGpu *)vdev;
    struct virtio_gpu_ctrl_hdr cmd;
    if (virtq_read(e, 0, &cmd, sizeof(cmd)) != sizeof(cmd)) {
        log_guest_error("virtio-gpu: a request of %" PRIu64 " bytes has no command header\n",
                        e->out_len);
        memset(&cmd, 0, sizeof(cmd));
        cmd.type = 0;
    }
    uint32_t result;
    switch (cmd.type) {
    case VIRTIO_GPU_CMD_GET_DISPLAY_INFO:
        return display_info(g, e, &cmd);
    case VIRTIO_GPU_CMD_GET_EDID:
        return get_edid(g, e, &cmd);
    case VIRTIO_GPU_CMD_RESOURCE_CREATE_2D:
        result = resource_create_2d(g, e);
        break;
    case VIRTIO_GPU_CMD_RESOURCE_UNREF:
        result = resource_unref(g, e);
        break;
    case VIRTIO_GPU_CMD_SET_SCANOUT:
        result = set_scanout(g, e);
        break;
    case VIRTIO_GPU_CMD_RESOURCE_FLUSH:
        result = resource_flush(g, e);
        break;
    case VIRTIO_GPU_CMD_TRANSFER_TO_HOST_2D:
        result = transfer_to_host_2d(g, e);
        break;
    case VIRTIO_GPU_CMD_RESOURCE_ATTACH_BACKING:
        result = attach_backing(g, e);
        break;
    case VIRTIO_GPU_CMD_RESOURCE_DETACH_BACKING:
        result = detach_backing(g, e);
        break;
    default:
        /* 3D commands and capsets (no VIRGL), and anything unknown. */
        log_guest_error("virtio-gpu: unsupported command 0x%x\n", cmd.type);
        result = VIRTIO_GPU_RESP_ERR_UNSPEC;
        break;
    }
    struct virtio_gpu_ctrl_hdr resp;
    response_header(&resp, &cmd, result);
    return respond(g, e, &resp, sizeof(resp));
}

/* ---- The cursor queue: no responses ---- */

/* The cursor resource's pixels as 0xAARRGGBB. */
static void cursor_image(const GpuResource *res, uint32_t *out)
{
    unsigned r, gr, b, a;
    PixelFormat format = PIXEL_B8G8R8A8;
    pixel_format(res->format, &format);
    pixel_format_rgb_bytes(format, &r, &gr, &b);
    bool has_alpha = pixel_format_alpha_byte(format, &a);
    for (uint32_t y = 0; y < CURSOR_SIZE; y++) {
        const uint8_t *p = res->pixels + (size_t)y * res->stride;
        for (uint32_t x = 0; x < CURSOR_SIZE; x++, p += 4)
            *out++ = (uint32_t)(has_alpha ? p[a] : 0xff) << 24 | (uint32_t)p[r] << 16 |
                     (uint32_t)p[gr] << 8 | p[b];
    }
}

static int64_t handle_cursor(VirtioDevice *vdev, VirtqElement *e)
{
    VirtioGpu *g = (VirtioGpu *)vdev;
    struct virtio_gpu_update_cursor c;
    if (!read_command(e, &c, sizeof(c)))
        return 0;
    if (c.pos.scanout_id >= g->max_outputs) {
        log_guest_error("virtio-gpu: cursor: no scanout %u\n", c.pos.scanout_id);
        return 0;
    }
    GpuScanout *s = &g->scanouts[c.pos.scanout_id];
    DisplayConsole *con = g->consoles[c.pos.scanout_id];
    if (c.hdr.type == VIRTIO_GPU_CMD_UPDATE_CURSOR) {
        GpuResource *res = c.resource_id ? find_resource(g, c.resource_id) : NULL;
        if (c.resource_id && (!res || res->width != CURSOR_SIZE || res->height != CURSOR_SIZE)) {
            log_guest_error("virtio-gpu: cursor: resource %u is not a %dx%d image\n", c.resource_id,
                            CURSOR_SIZE, CURSOR_SIZE);
            return 0;
        }
        if (res) {
            uint32_t image[CURSOR_SIZE * CURSOR_SIZE];
            cursor_image(res, image);
            display_cursor_define(con, image, CURSOR_SIZE, CURSOR_SIZE, c.hot_x, c.hot_y);
        } else {
            display_cursor_define(con, NULL, 0, 0, 0, 0);
        }
        s->cursor_resource_id = c.resource_id;
        s->cursor_hot_x = c.hot_x;
        s->cursor_hot_y = c.hot_y;
    } else if (c.hdr.type != VIRTIO_GPU_CMD_MOVE_CURSOR) {
        log_guest_error("virtio-gpu: cursor queue: unsupported command 0x%x\n", c.hdr.type);
        return 0;
    }
    s->cursor_x = c.pos.x;
    s->cursor_y = c.pos.y;
    display_cursor_move(con, (int32_t)c.pos.x, (int32_t)c.pos.y, s->cursor_resource_id != 0);
    return 0;
}

static void gpu_notify(VirtioDevice *vdev, unsigned n)
{
    VirtioGpu *g = (VirtioGpu *)vdev;
    if (n == QUEUE_CTRL)
        virtio_process_queue(vdev, n, &g->ctrl_elem, handle_ctrl);
    else
        virtio_process_queue(vdev, n, &g->cursor_elem, handle_cursor);
}

/* ---- Config space, reset, the window ---- */

static void update_config(VirtioGpu *g)
{
    virtio_config_set32(&g->vdev, VIRTIO_GPU_CFG_EVENTS_READ, g->events_read);
    virtio_config_set32(&g->vdev, VIRTIO_GPU_CFG_EVENTS_CLEAR, 0);
    virtio_config_set32(&g->vdev, VIRTIO_GPU_CFG_NUM_SCANOUTS, g->max_outputs);
    virtio_config_set32(&g->vdev, VIRTIO_GPU_CFG_NUM_CAPSETS, 0);
}

static void gpu_config_write(VirtioDevice *vdev, unsigned offset, unsigned size, uint32_t value)
{
    VirtioGpu *g = (VirtioGpu *)vdev;
    if (offset != VIRTIO_GPU_CFG_EVENTS_CLEAR || size != 4) {
        log_guest_error("virtio-gpu: config write of %u bytes at %u ignored\n", size, offset);
        return;
    }
    g->events_read &= ~value;
    update_config(g);
}

/* The guest's view goes; what the heads offer (their modes) stays, as a
 * monitor stays plugged in across a reset. */
static void gpu_reset(VirtioDevice *vdev)
{
    VirtioGpu *g = (VirtioGpu *)vdev;
    free_resources(g);
    for (unsigned head = 0; head < g->max_outputs; head++) {
        GpuScanout *s = &g->scanouts[head];
        s->cursor_resource_id = 0;
        s->cursor_hot_x = s->cursor_hot_y = s->cursor_x = s->cursor_y = 0;
        display_cursor_define(g->consoles[head], NULL, 0, 0, 0, 0);
        disable_scanout(g, head);
    }
    g->events_read = 0;
    update_config(g);
}

/* The window showing a head changed size: the head now prefers that mode,
 * and the guest hears of it (VIRTIO_GPU_EVENT_DISPLAY), as from a monitor
 * that was replaced. */
static void gpu_window_size(void *opaque, unsigned head, uint32_t width, uint32_t height)
{
    VirtioGpu *g = opaque;
    GpuScanout *s = &g->scanouts[head];
    if (width < MIN_SCANOUT || height < MIN_SCANOUT || width > MAX_MODE || height > MAX_MODE)
        return;
    if (s->enabled && s->width == width && s->height == height)
        return;
    s->enabled = true;
    s->width = width;
    s->height = height;
    g->events_read |= VIRTIO_GPU_EVENT_DISPLAY;
    update_config(g);
    if (virtio_device_live(&g->vdev))
        virtio_config_changed(&g->vdev);
}

static const DisplayConsoleOps gpu_console_ops = {
    .window_size = gpu_window_size,
};

static const VirtioDeviceClass virtio_gpu_class = {
    .name = "virtio-gpu-device",
    .device_id = VIRTIO_ID_GPU,
    .num_queues = 2,
    .queue_size_max = 256,
    .notify = gpu_notify,
    .reset = gpu_reset,
    .config_write = gpu_config_write,
};

/* ---- Device type ---- */

static void gpu_unrealize(Device *dev)
{
    VirtioGpu *g = dev->state;
    free_resources(g);
    for (unsigned head = 0; head < VIRTIO_GPU_MAX_SCANOUTS; head++) {
        display_console_free(g->consoles[head]);
        g->consoles[head] = NULL;
    }
}

static bool gpu_realize(Device *dev, const DeviceContext *ctx, char *err, size_t errlen)
{
    VirtioGpu *g = dev->state;
    uint64_t outputs = device_prop_uint(dev, "max_outputs");
    uint64_t xres = device_prop_uint(dev, "xres"), yres = device_prop_uint(dev, "yres");
    if (outputs < 1 || outputs > VIRTIO_GPU_MAX_SCANOUTS) {
        snprintf(err, errlen, "virtio-gpu-device: max_outputs %" PRIu64 " is not 1 to %d", outputs,
                 VIRTIO_GPU_MAX_SCANOUTS);
        return false;
    }
    if (xres < MIN_SCANOUT || yres < MIN_SCANOUT || xres > MAX_MODE || yres > MAX_MODE) {
        snprintf(err, errlen, "virtio-gpu-device: xres and yres must be %d to %d", MIN_SCANOUT,
                 MAX_MODE);
        return false;
    }
    g->max_outputs = (uint32_t)outputs;
    g->max_hostmem = device_prop_uint(dev, "max_hostmem");
    uint64_t features = VIRTIO_F_INDIRECT_DESC | VIRTIO_F_EVENT_IDX;
    if (device_prop_bool(dev, "edid"))
        features |= 1ull << VIRTIO_GPU_F_EDID;
    virtio_device_init(&g->vdev, &virtio_gpu_class, ctx->as, features, VIRTIO_GPU_CFG_SIZE);
    snprintf(g->name, sizeof(g->name), "%s", dev->id[0] ? dev->id : dev->type->name);
    for (unsigned head = 0; head < g->max_outputs; head++) {
        g->scanouts[head].width = (uint32_t)xres;
        g->scanouts[head].height = (uint32_t)yres;
        g->consoles[head] = display_console_new(g->name, head, &gpu_console_ops, g);
        if (!g->consoles[head]) {
            gpu_unrealize(dev);
            snprintf(err, errlen, "virtio-gpu-device: out of memory");
            return false;
        }
    }
    /* As QEMU: the first head is connected, the others once a window
     * shows them. */
    g->scanouts[0].enabled = true;
    update_config(g);
    return true;
}

static VirtioDevice *gpu_virtio(Device *dev)
{
    return &((VirtioGpu *)dev->state)->vdev;
}

static const DeviceProperty gpu_props[] = {
    {.name = "max_outputs",
     .type = PROP_UINT,
     .default_value = "1",
     .help = "heads (scanouts), 1 to 16"},
    {.name = "xres", .type = PROP_UINT, .default_value = "1280", .help = "the preferred width"},
    {.name = "yres", .type = PROP_UINT, .default_value = "800", .help = "the preferred height"},
    {.name = "edid", .type = PROP_BOOL, .default_value = "on", .help = "offer an EDID"},
    {.name = "max_hostmem",
     .type = PROP_SIZE,
     .default_value = "256M",
     .help = "host memory all resources may take"},
    {0},
};

/* ---- Saved state: the resources ---- */

/* The resources as a FIELD_VARIABLE: a count, then each resource's id,
 * format, size, backing entries (address, length) and pixels. Pixels are
 * saved rather than fetched from the backing again at load, since the
 * guest may have drawn into the backing since its last transfer. */
enum { RES_HEADER = 5 * 4, BACKING_ENTRY = 8 + 4 };

static void put32(StateBuffer *buf, uint32_t v)
{
    uint8_t b[4];
    st_le32(b, v);
    state_buffer_put(buf, b, sizeof(b));
}

static void save_resources(void *object, StateBuffer *buf)
{
    VirtioGpu *g = object;
    put32(buf, g->n_resources);
    for (uint32_t i = 0; i < g->n_resources; i++) {
        const GpuResource *res = &g->resources[i];
        put32(buf, res->id);
        put32(buf, res->format);
        put32(buf, res->width);
        put32(buf, res->height);
        put32(buf, res->n_backing);
        for (uint32_t b = 0; b < res->n_backing; b++) {
            uint8_t entry[BACKING_ENTRY];
            st_le64(entry, res->backing[b].addr);
            st_le32(entry + 8, res->backing[b].len);
            state_buffer_put(buf, entry, sizeof(entry));
        }
        state_buffer_put(buf, res->pixels, (size_t)res->stride * res->height);
    }
}

/* Walks the saved resources, checking their structure; with g, also
 * rebuilds them there. */
static bool walk_resources(VirtioGpu *g, const uint8_t *data, size_t len, char *err, size_t errlen)
{
    if (len < 4) {
        snprintf(err, errlen, "no resource count");
        return false;
    }
    uint32_t n = ld_le32(data);
    size_t pos = 4;
    if (n > MAX_RESOURCES) {
        snprintf(err, errlen, "%u resources (at most %d)", n, MAX_RESOURCES);
        return false;
    }
    for (uint32_t i = 0; i < n; i++) {
        if (len - pos < RES_HEADER) {
            snprintf(err, errlen, "resource %u is cut short", i);
            return false;
        }
        const uint8_t *h = data + pos;
        uint32_t id = ld_le32(h), format = ld_le32(h + 4), width = ld_le32(h + 8);
        uint32_t height = ld_le32(h + 12), n_backing = ld_le32(h + 16);
        pos += RES_HEADER;
        if (id == 0 || !pixel_format(format, NULL) || width == 0 || height == 0 ||
            width > UINT32_MAX / 4 || n_backing > MAX_BACKING_ENTRIES) {
            snprintf(err, errlen,
                     "resource %u (id %u, format %u, %ux%u, %u backing entries) is "
                     "not one a guest can make",
                     i, id, format, width, height, n_backing);
            return false;
        }
        uint64_t pixels = (uint64_t)width * 4 * height; /* below 2^64: width < 2^30 */
        if ((len - pos) / BACKING_ENTRY < n_backing ||
            len - pos - (size_t)n_backing * BACKING_ENTRY < pixels) {
            snprintf(err, errlen, "resource %u is cut short", i);
            return false;
        }
        const uint8_t *entries = data + pos;
        pos += (size_t)n_backing * BACKING_ENTRY;
        for (uint32_t b = 0; b < n_backing; b++) {
            if (ld_le32(entries + b * BACKING_ENTRY + 8) == 0) {
                snprintf(err, errlen, "resource %u has an empty backing entry", i);
                return false;
            }
        }
        if (g) {
            GpuResource *res =
                find_resource(g, id) ? NULL : add_resource(g, id, format, width, height);
            GpuBacking *backing = n_backing ? calloc(n_backing, sizeof(*backing)) : NULL;
            bool ok = res && (backing || !n_backing);
            uint64_t total = 0;
            for (uint32_t b = 0; ok && b < n_backing; b++) {
                backing[b].addr = ld_le64(entries + b * BACKING_ENTRY);
                backing[b].len = ld_le32(entries + b * BACKING_ENTRY + 8);
                ok = map_backing(g, &backing[b]);
                total += backing[b].len;
            }
            if (!ok) {
                free(backing);
                snprintf(err, errlen, "resource %u (id %u) does not fit this machine", i, id);
                return false;
            }
            memcpy(res->pixels, data + pos, pixels);
            res->backing = backing;
            res->n_backing = n_backing;
            res->backing_len = total;
        }
        pos += pixels;
    }
    if (pos != len) {
        snprintf(err, errlen, "%zu bytes after the resources", len - pos);
        return false;
    }
    return true;
}

static bool check_resources(const uint8_t *data, size_t len, char *err, size_t errlen)
{
    return walk_resources(NULL, data, len, err, errlen);
}

static bool load_resources(void *object, const uint8_t *data, size_t len, char *err, size_t errlen)
{
    VirtioGpu *g = object;
    free_resources(g);
    if (walk_resources(g, data, len, err, errlen))
        return true;
    free_resources(g);
    return false;
}

static const StateVariable gpu_resources_state = {
    .save = save_resources,
    .check = check_resources,
    .load = load_resources,
};

/* What the heads show is derived from the loaded resources; what a stream
 * may not hold (heads past max_outputs, modes out of range, ids of no
 * resource) is cleared. */
static void gpu_post_load(void *object)
{
    VirtioGpu *g = object;
    for (unsigned head = 0; head < VIRTIO_GPU_MAX_SCANOUTS; head++) {
        GpuScanout *s = &g->scanouts[head];
        if (head >= g->max_outputs) {
            memset(s, 0, sizeof(*s));
            continue;
        }
        GpuResource *res = find_resource(g, s->resource_id);
        if (!res || s->rect.width < MIN_SCANOUT || s->rect.height < MIN_SCANOUT ||
            !rect_inside(&s->rect, res)) {
            s->resource_id = 0;
            memset(&s->rect, 0, sizeof(s->rect));
        }
        if (s->width < MIN_SCANOUT || s->height < MIN_SCANOUT || s->width > MAX_MODE ||
            s->height > MAX_MODE) {
            s->enabled = false;
            s->width = s->height = 0;
        }
        GpuResource *cursor = find_resource(g, s->cursor_resource_id);
        if (!cursor || cursor->width != CURSOR_SIZE || cursor->height != CURSOR_SIZE)
            s->cursor_resource_id = 0;
        show_scanout(g, head);
        if (s->cursor_resource_id) {
            uint32_t image[CURSOR_SIZE * CURSOR_SIZE];
            cursor_image(cursor, image);
            display_cursor_define(g->consoles[head], image, CURSOR_SIZE, CURSOR_SIZE,
                                  s->cursor_hot_x, s->cursor_hot_y);
        } else {
            display_cursor_define(g->consoles[head], NULL, 0, 0, 0, 0);
        }
        display_cursor_move(g->consoles[head], (int32_t)s->cursor_x, (int32_t)s->cursor_y,
                            s->cursor_resource_id != 0);
    }
    g->events_read &= VIRTIO_GPU_EVENT_DISPLAY;
    update_config(g);
}

static const StateField gpu_rect_fields[] = {
    STATE_UINT(struct virtio_gpu_rect, x),
    STATE_UINT(struct virtio_gpu_rect, y),
    STATE_UINT(struct virtio_gpu_rect, width),
    STATE_UINT(struct virtio_gpu_rect, height),
    STATE_END,
};

static const StateDescription gpu_rect_state = {
    .name = "virtio-gpu-rect",
    .c_type = "virtio_gpu_rect",
    .version = 1,
    .struct_size = sizeof(struct virtio_gpu_rect),
    .fields = gpu_rect_fields,
};

static const StateField gpu_scanout_fields[] = {
    STATE_UINT(GpuScanout, resource_id),
    STATE_STRUCT(GpuScanout, rect, &gpu_rect_state),
    STATE_BOOL(GpuScanout, enabled),
    STATE_UINT(GpuScanout, width),
    STATE_UINT(GpuScanout, height),
    STATE_UINT(GpuScanout, cursor_resource_id),
    STATE_UINT(GpuScanout, cursor_hot_x),
    STATE_UINT(GpuScanout, cursor_hot_y),
    STATE_UINT(GpuScanout, cursor_x),
    STATE_UINT(GpuScanout, cursor_y),
    STATE_END,
};

static const StateDescription gpu_scanout_state = {
    .name = "virtio-gpu-scanout",
    .c_type = "GpuScanout",
    .version = 1,
    .struct_size = sizeof(GpuScanout),
    .fields = gpu_scanout_fields,
};

static const StateField gpu_fields[] = {
    STATE_STRUCT(VirtioGpu, vdev, &virtio_device_state),
    STATE_UINT(VirtioGpu, events_read),
    STATE_STRUCT_ARRAY(VirtioGpu, scanouts, &gpu_scanout_state),
    /* After the scanouts, so post_load sees both. */
    STATE_VARIABLE(VirtioGpu, resources, &gpu_resources_state),
    STATE_END,
};

static const StateField gpu_unsaved[] = {
    STATE_UNSAVED(VirtioGpu, max_outputs), STATE_UNSAVED(VirtioGpu, max_hostmem),
    STATE_UNSAVED(VirtioGpu, n_resources), STATE_UNSAVED(VirtioGpu, cap_resources),
    STATE_UNSAVED(VirtioGpu, hostmem),     STATE_UNSAVED(VirtioGpu, consoles),
    STATE_UNSAVED(VirtioGpu, name),        STATE_UNSAVED(VirtioGpu, ctrl_elem),
    STATE_UNSAVED(VirtioGpu, cursor_elem), STATE_END,
};

static const StateDescription gpu_state = {
    .name = "virtio-gpu-device",
    .c_type = "VirtioGpu",
    .version = 1,
    .struct_size = sizeof(VirtioGpu),
    .fields = gpu_fields,
    .unsaved = gpu_unsaved,
    .post_load = gpu_post_load,
};

const DeviceType virtio_gpu_type = {
    .name = "virtio-gpu-device",
    .desc = "Virtio GPU (2D)",
    .bus = "virtio-bus",
    .state_size = sizeof(VirtioGpu),
    .props = gpu_props,
    .realize = gpu_realize,
    .unrealize = gpu_unrealize,
    .virtio = gpu_virtio,
    .state = &gpu_state,
};
