/* fb_flush: display-bench's guest side, frames drawn and sent to the screen.
 *   fb_flush drm SECONDS [FRAMES]  a dumb buffer of the connector's preferred
 *                                  mode on its CRTC (we become DRM master, the
 *                                  fbcon steps aside); each frame redraws every
 *                                  pixel and flushes the whole rectangle with
 *                                  DRM_IOCTL_MODE_DIRTYFB (virtio-gpu: one
 *                                  TRANSFER_TO_HOST_2D + RESOURCE_FLUSH)
 *   fb_flush flush SECONDS [FRAMES] as drm, but drawn once: each frame is only
 *                                  the DIRTYFB, the device's part alone
 *   fb_flush fb SECONDS [FRAMES]   every pixel of /dev/fb0 through mmap; the
 *                                  fbdev emulation copies to the screen from
 *                                  a deferred-I/O worker (about 20 Hz), so
 *                                  this is a rate of writing, not of showing
 * All stop after SECONDS or FRAMES, whichever comes first, and print
 *   "MODE WxH frames N seconds S fps F draw_ms D flush_ms L"
 * (draw_ms, flush_ms: per frame). Times are the guest's monotonic clock. */
#define _GNU_SOURCE
#include <drm/drm.h>
#include <drm/drm_mode.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/fb.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

struct screen {
    uint32_t *pixels;
    uint32_t width, height;
    uint32_t stride; /* in pixels */
};

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* A pattern that moves every frame; every pixel is stored, two at a time
 * (the guest's drawing is part of the cost, but not the part we measure).
 * Rows start 8-byte aligned (rows_aligned): without being told, GCC stores
 * the pairs a byte at a time. */
static void draw(const struct screen *s, uint32_t frame)
{
    uint32_t width = s->width;
    for (uint32_t y = 0; y < s->height; y++) {
        uint32_t *row = __builtin_assume_aligned(s->pixels + (size_t)y * s->stride, 8);
        uint32_t base = ((y + frame) & 0xff) << 8 | (frame * 3 & 0xff) << 16;
        uint32_t x = 0;
        for (; x + 1 < width; x += 2) {
            uint64_t pair =
                (uint64_t)(base | ((x + 1 + frame) & 0xff)) << 32 | (base | ((x + frame) & 0xff));
            memcpy(row + x, &pair, sizeof(pair));
        }
        if (x < width)
            row[x] = base | ((x + frame) & 0xff);
    }
}

static bool rows_aligned(const struct screen *s)
{
    if ((uintptr_t)s->pixels % 8 == 0 && s->stride % 2 == 0)
        return true;
    fprintf(stderr, "fb_flush: rows of %u pixels are not 8-byte aligned\n", s->stride);
    return false;
}

/* ioctl, retried when a signal interrupts it (as libdrm's drmIoctl). */
static int drm_ioctl(int fd, unsigned long request, void *arg)
{
    int ret;
    do
        ret = ioctl(fd, request, arg);
    while (ret == -1 && (errno == EINTR || errno == EAGAIN));
    return ret;
}

static int fail(const char *what)
{
    fprintf(stderr, "fb_flush: %s: %s\n", what, strerror(errno));
    return 1;
}

/* The first connected connector with modes: its id, preferred mode and a
 * CRTC that can drive it. */
static int find_output(int fd, uint32_t *connector_id, uint32_t *crtc_id,
                       struct drm_mode_modeinfo *mode)
{
    struct drm_mode_card_res res = {0};
    if (drm_ioctl(fd, DRM_IOCTL_MODE_GETRESOURCES, &res) != 0)
        return fail("DRM_IOCTL_MODE_GETRESOURCES");
    uint32_t connectors[16], crtcs[16], encoders[16], fbs[16];
    /* More than we look at: the kernel fills in the first 16 of each. */
    res.count_connectors = res.count_connectors > 16 ? 16 : res.count_connectors;
    res.count_crtcs = res.count_crtcs > 16 ? 16 : res.count_crtcs;
    res.count_encoders = res.count_encoders > 16 ? 16 : res.count_encoders;
    res.count_fbs = res.count_fbs > 16 ? 16 : res.count_fbs;
    res.connector_id_ptr = (uintptr_t)connectors;
    res.crtc_id_ptr = (uintptr_t)crtcs;
    res.encoder_id_ptr = (uintptr_t)encoders;
    res.fb_id_ptr = (uintptr_t)fbs;
    if (drm_ioctl(fd, DRM_IOCTL_MODE_GETRESOURCES, &res) != 0)
        return fail("DRM_IOCTL_MODE_GETRESOURCES");

    for (uint32_t i = 0; i < res.count_connectors && i < 16; i++) {
        struct drm_mode_get_connector conn = {.connector_id = connectors[i]};
        if (drm_ioctl(fd, DRM_IOCTL_MODE_GETCONNECTOR, &conn) != 0)
            return fail("DRM_IOCTL_MODE_GETCONNECTOR");
        if (conn.connection != 1 || conn.count_modes == 0) /* 1: connected */
            continue;
        uint32_t count = conn.count_modes;
        struct drm_mode_modeinfo *modes = calloc(count, sizeof(*modes));
        if (!modes)
            return fail("calloc");
        conn.modes_ptr = (uintptr_t)modes;
        conn.count_props = 0;
        conn.count_encoders = 0;
        if (drm_ioctl(fd, DRM_IOCTL_MODE_GETCONNECTOR, &conn) != 0)
            return fail("DRM_IOCTL_MODE_GETCONNECTOR");
        if (conn.count_modes < count)
            count = conn.count_modes;
        *mode = modes[0];
        for (uint32_t m = 0; m < count; m++) {
            if (modes[m].type & DRM_MODE_TYPE_PREFERRED) {
                *mode = modes[m];
                break;
            }
        }
        free(modes);

        *crtc_id = 0;
        if (conn.encoder_id != 0) {
            struct drm_mode_get_encoder enc = {.encoder_id = conn.encoder_id};
            if (drm_ioctl(fd, DRM_IOCTL_MODE_GETENCODER, &enc) != 0)
                return fail("DRM_IOCTL_MODE_GETENCODER");
            *crtc_id = enc.crtc_id;
        }
        if (*crtc_id == 0 && res.count_crtcs > 0)
            *crtc_id = crtcs[0];
        if (*crtc_id == 0)
            continue;
        *connector_id = connectors[i];
        return 0;
    }
    fprintf(stderr, "fb_flush: no connected connector with a mode and a CRTC\n");
    return 1;
}

static void report(const char *mode, const struct screen *s, uint32_t frames, double seconds,
                   double draw_s, double flush_s)
{
    printf("%s %ux%u frames %u seconds %.3f fps %.2f draw_ms %.2f flush_ms %.2f\n", mode, s->width,
           s->height, frames, seconds, frames / seconds, draw_s * 1e3 / frames,
           flush_s * 1e3 / frames);
}

static int run_drm(const char *name, bool redraw, double seconds, uint32_t max_frames)
{
    int fd = open("/dev/dri/card0", O_RDWR | O_CLOEXEC);
    if (fd < 0)
        return fail("/dev/dri/card0");
    /* The first opener is master already; this only matters if it was not. */
    drm_ioctl(fd, DRM_IOCTL_SET_MASTER, NULL);

    uint32_t connector_id, crtc_id;
    struct drm_mode_modeinfo mode;
    if (find_output(fd, &connector_id, &crtc_id, &mode) != 0)
        return 1;

    struct drm_mode_create_dumb dumb = {.width = mode.hdisplay, .height = mode.vdisplay, .bpp = 32};
    if (drm_ioctl(fd, DRM_IOCTL_MODE_CREATE_DUMB, &dumb) != 0)
        return fail("DRM_IOCTL_MODE_CREATE_DUMB");
    struct drm_mode_fb_cmd fb = {.width = dumb.width,
                                 .height = dumb.height,
                                 .pitch = dumb.pitch,
                                 .bpp = 32,
                                 .depth = 24,
                                 .handle = dumb.handle};
    if (drm_ioctl(fd, DRM_IOCTL_MODE_ADDFB, &fb) != 0)
        return fail("DRM_IOCTL_MODE_ADDFB");
    struct drm_mode_map_dumb map = {.handle = dumb.handle};
    if (drm_ioctl(fd, DRM_IOCTL_MODE_MAP_DUMB, &map) != 0)
        return fail("DRM_IOCTL_MODE_MAP_DUMB");
    void *pixels = mmap(NULL, dumb.size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, (off_t)map.offset);
    if (pixels == MAP_FAILED)
        return fail("mmap of the dumb buffer");
    struct screen s = {pixels, dumb.width, dumb.height, dumb.pitch / 4};
    if (!rows_aligned(&s))
        return 1;

    draw(&s, 0);
    struct drm_mode_crtc crtc = {.set_connectors_ptr = (uintptr_t)&connector_id,
                                 .count_connectors = 1,
                                 .crtc_id = crtc_id,
                                 .fb_id = fb.fb_id,
                                 .mode_valid = 1,
                                 .mode = mode};
    if (drm_ioctl(fd, DRM_IOCTL_MODE_SETCRTC, &crtc) != 0)
        return fail("DRM_IOCTL_MODE_SETCRTC (not DRM master?)");

    struct drm_clip_rect clip = {0, 0, (unsigned short)s.width, (unsigned short)s.height};
    struct drm_mode_fb_dirty_cmd dirty = {
        .fb_id = fb.fb_id, .num_clips = 1, .clips_ptr = (uintptr_t)&clip};
    double draw_s = 0, flush_s = 0, start = now(), t = start;
    uint32_t frames = 0;
    while (frames < max_frames && t - start < seconds) {
        if (redraw)
            draw(&s, frames + 1);
        double drawn = now();
        if (drm_ioctl(fd, DRM_IOCTL_MODE_DIRTYFB, &dirty) != 0)
            return fail("DRM_IOCTL_MODE_DIRTYFB");
        double flushed = now();
        draw_s += drawn - t;
        flush_s += flushed - drawn;
        t = flushed;
        frames++;
    }
    report(name, &s, frames, t - start, draw_s, flush_s);
    /* Closing the last file gives the screen back to the fbcon. */
    munmap(pixels, dumb.size);
    close(fd);
    return 0;
}

static int run_fb(double seconds, uint32_t max_frames)
{
    int fd = open("/dev/fb0", O_RDWR | O_CLOEXEC);
    if (fd < 0)
        return fail("/dev/fb0");
    struct fb_var_screeninfo var;
    struct fb_fix_screeninfo fix;
    if (ioctl(fd, FBIOGET_VSCREENINFO, &var) != 0 || ioctl(fd, FBIOGET_FSCREENINFO, &fix) != 0)
        return fail("FBIOGET_VSCREENINFO/FSCREENINFO");
    if (var.bits_per_pixel != 32) {
        fprintf(stderr, "fb_flush: /dev/fb0 has %u bits per pixel, not 32\n", var.bits_per_pixel);
        return 1;
    }
    size_t size = (size_t)fix.line_length * var.yres_virtual;
    void *pixels = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (pixels == MAP_FAILED)
        return fail("mmap of /dev/fb0");
    struct screen s = {pixels, var.xres, var.yres, fix.line_length / 4};
    if (!rows_aligned(&s))
        return 1;

    double draw_s = 0, start = now(), t = start;
    uint32_t frames = 0;
    while (frames < max_frames && t - start < seconds) {
        draw(&s, frames + 1);
        double drawn = now();
        draw_s += drawn - t;
        t = drawn;
        frames++;
    }
    report("fb", &s, frames, t - start, draw_s, 0);
    munmap(pixels, size);
    close(fd);
    return 0;
}

int main(int argc, char **argv)
{
    if ((argc == 3 || argc == 4) && atof(argv[2]) > 0) {
        uint32_t frames = argc == 4 ? (uint32_t)strtoul(argv[3], NULL, 0) : UINT32_MAX;
        if (strcmp(argv[1], "drm") == 0)
            return run_drm("drm", true, atof(argv[2]), frames);
        if (strcmp(argv[1], "flush") == 0)
            return run_drm("flush", false, atof(argv[2]), frames);
        if (strcmp(argv[1], "fb") == 0)
            return run_fb(atof(argv[2]), frames);
    }
    fprintf(stderr, "usage: fb_flush drm|flush|fb SECONDS [FRAMES]\n");
    return 2;
}
