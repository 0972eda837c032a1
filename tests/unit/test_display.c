/* tests/unit/test_display.c: the display layer without a window: the
 * EDID block, screendumps (PPM and PNG decoded again), consoles and the
 * front end's notifications, and the routing of input events. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "harness.h"
#include "hw/display/edid.h"
#include "ui/console.h"
#include "ui/input.h"

START_TEST(test_edid_block)
{
    uint8_t e[EDID_BLOCK_SIZE];
    edid_generate(e, 1280, 800, "ember");
    static const uint8_t header[8] = {0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0};
    ck_assert_mem_eq(e, header, 8);
    uint8_t sum = 0;
    for (int i = 0; i < EDID_BLOCK_SIZE; i++)
        sum += e[i];
    ck_assert_uint_eq(sum, 0);
    ck_assert_uint_eq(e[18], 1);
    ck_assert_uint_eq(e[19], 4);
    /* The first descriptor is the preferred mode: 1280 x 800. */
    const uint8_t *d = e + 54;
    ck_assert_uint_eq(d[2] | (d[4] >> 4) << 8, 1280);
    ck_assert_uint_eq(d[5] | (d[7] >> 4) << 8, 800);
    ck_assert_uint_ne(d[0] | d[1] << 8, 0);
    /* The name descriptor ends the name with a newline. */
    ck_assert_mem_eq(e + 90 + 5, "ember\n", 6);
    ck_assert_uint_eq(e[90 + 3], 0xfc);
    /* A mode beyond the fields' 12 bits is clamped, not wrapped. */
    edid_generate(e, 8192, 8192, "a-name-longer-than-13");
    ck_assert_uint_eq(e[54 + 2] | (e[54 + 4] >> 4) << 8, 4095);
    ck_assert_mem_eq(e + 90 + 5, "a-name-longer", 13);
}
END_TEST

/* A 5x3 surface in B8G8R8X8 whose pixel (x, y) is (r=10x, g=20y, b=x+y). */
static uint8_t pixels[3][8 * 4];

static DisplaySurface test_surface(void)
{
    for (unsigned y = 0; y < 3; y++) {
        for (unsigned x = 0; x < 5; x++) {
            uint8_t *p = &pixels[y][x * 4];
            p[0] = (uint8_t)(x + y);
            p[1] = (uint8_t)(20 * y);
            p[2] = (uint8_t)(10 * x);
            p[3] = 0x77;
        }
    }
    return (DisplaySurface){5, 3, sizeof(pixels[0]), PIXEL_B8G8R8X8, &pixels[0][0]};
}

static uint8_t *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    ck_assert_ptr_nonnull(f);
    uint8_t *data = malloc(1 << 16);
    *len = fread(data, 1, 1 << 16, f);
    fclose(f);
    return data;
}

static uint32_t be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* The PNG's RGB rows, inflated from its IDAT chunks (every chunk's CRC
 * checked on the way). */
static void png_rgb(const uint8_t *png, size_t len, uint32_t *w, uint32_t *h, uint8_t *rgb)
{
    ck_assert_mem_eq(png, "\x89PNG\r\n\x1a\n", 8);
    uint8_t idat[4096];
    size_t idat_len = 0;
    for (size_t pos = 8; pos < len;) {
        uint32_t n = be32(png + pos);
        const uint8_t *type = png + pos + 4;
        ck_assert_uint_eq(crc32(0, type, 4 + n), be32(png + pos + 8 + n));
        if (memcmp(type, "IHDR", 4) == 0) {
            *w = be32(type + 4);
            *h = be32(type + 8);
            ck_assert_uint_eq(type[12], 8);
            ck_assert_uint_eq(type[13], 2);
        } else if (memcmp(type, "IDAT", 4) == 0) {
            memcpy(idat + idat_len, type + 4, n);
            idat_len += n;
        }
        pos += 12 + n;
    }
    uint8_t raw[4096];
    uLongf raw_len = sizeof(raw);
    ck_assert_int_eq(uncompress(raw, &raw_len, idat, idat_len), Z_OK);
    ck_assert_uint_eq(raw_len, *h * (1 + *w * 3));
    for (uint32_t y = 0; y < *h; y++) {
        ck_assert_uint_eq(raw[y * (1 + *w * 3)], 0);
        memcpy(rgb + y * *w * 3, raw + y * (1 + *w * 3) + 1, *w * 3);
    }
}

START_TEST(test_screendump_ppm_and_png)
{
    DisplayConsole *con = display_console_new("gpu0", 0, NULL, NULL);
    char err[256];
    char ppm[] = "/tmp/ember-dump-XXXXXX";
    close(mkstemp(ppm));
    /* Nothing shown yet: a clean error, and no file left behind. */
    ck_assert(!display_screendump(con, ppm, SCREENDUMP_PPM, err, sizeof(err)));
    ck_assert(strstr(err, "gpu0") != NULL);

    DisplaySurface s = test_surface();
    display_set_surface(con, &s);
    ck_assert(display_screendump(con, ppm, SCREENDUMP_PPM, err, sizeof(err)));
    size_t len;
    uint8_t *data = slurp(ppm, &len);
    static const char head[] = "P6\n5 3\n255\n";
    ck_assert_uint_eq(len, strlen(head) + 5 * 3 * 3);
    ck_assert_mem_eq(data, head, strlen(head));
    uint8_t want[5 * 3 * 3];
    for (unsigned y = 0; y < 3; y++) {
        for (unsigned x = 0; x < 5; x++) {
            want[(y * 5 + x) * 3] = (uint8_t)(10 * x);
            want[(y * 5 + x) * 3 + 1] = (uint8_t)(20 * y);
            want[(y * 5 + x) * 3 + 2] = (uint8_t)(x + y);
        }
    }
    ck_assert_mem_eq(data + strlen(head), want, sizeof(want));
    free(data);

    ck_assert(display_screendump(con, ppm, SCREENDUMP_PNG, err, sizeof(err)));
    data = slurp(ppm, &len);
    uint32_t w = 0, h = 0;
    uint8_t rgb[5 * 3 * 3];
    png_rgb(data, len, &w, &h, rgb);
    ck_assert_uint_eq(w, 5);
    ck_assert_uint_eq(h, 3);
    ck_assert_mem_eq(rgb, want, sizeof(want));
    free(data);
    unlink(ppm);

    ck_assert(!display_screendump(con, "/nonexistent-dir/x.ppm", SCREENDUMP_PPM, err, sizeof(err)));
    ck_assert(strstr(err, "/nonexistent-dir/x.ppm") != NULL);
    display_console_free(con);
}
END_TEST

START_TEST(test_pixel_formats)
{
    unsigned r, g, b;
    pixel_format_rgb_bytes(PIXEL_B8G8R8X8, &r, &g, &b);
    ck_assert(r == 2 && g == 1 && b == 0);
    pixel_format_rgb_bytes(PIXEL_X8R8G8B8, &r, &g, &b);
    ck_assert(r == 1 && g == 2 && b == 3);
    pixel_format_rgb_bytes(PIXEL_R8G8B8A8, &r, &g, &b);
    ck_assert(r == 0 && g == 1 && b == 2);
    pixel_format_rgb_bytes(PIXEL_A8B8G8R8, &r, &g, &b);
    ck_assert(r == 3 && g == 2 && b == 1);
    unsigned a;
    ck_assert(pixel_format_alpha_byte(PIXEL_A8B8G8R8, &a) && a == 0);
    ck_assert(pixel_format_alpha_byte(PIXEL_B8G8R8A8, &a) && a == 3);
    ck_assert(!pixel_format_alpha_byte(PIXEL_B8G8R8X8, &a) && a == 3);
}
END_TEST

/* ---- Consoles and the front end ---- */

static struct {
    int added, removed, surfaces, updates, cursors;
    uint32_t x, y, w, h;
    uint32_t window_w, window_h;
    unsigned window_head;
} seen;

static void l_added(void *o, DisplayConsole *c)
{
    (void)o, (void)c;
    seen.added++;
}
static void l_removed(void *o, DisplayConsole *c)
{
    (void)o, (void)c;
    seen.removed++;
}
static void l_surface(void *o, DisplayConsole *c)
{
    (void)o, (void)c;
    seen.surfaces++;
}
static void l_update(void *o, DisplayConsole *c, uint32_t x, uint32_t y, uint32_t w, uint32_t h)
{
    (void)o, (void)c;
    seen.updates++;
    seen.x = x, seen.y = y, seen.w = w, seen.h = h;
}
static void l_cursor(void *o, DisplayConsole *c)
{
    (void)o, (void)c;
    seen.cursors++;
}

static const DisplayListener listener = {l_added, l_removed, l_surface, l_update, l_cursor};

static void window_size(void *opaque, unsigned head, uint32_t w, uint32_t h)
{
    (void)opaque;
    seen.window_head = head, seen.window_w = w, seen.window_h = h;
}

static const DisplayConsoleOps ops = {window_size};

START_TEST(test_consoles_and_listener)
{
    memset(&seen, 0, sizeof(seen));
    display_set_listener(&listener, NULL);
    DisplayConsole *a = display_console_new("virtio-gpu-device", 0, &ops, NULL);
    DisplayConsole *b = display_console_new("virtio-gpu-device", 1, &ops, NULL);
    DisplayConsole *c = display_console_new("second", 0, &ops, NULL);
    ck_assert_int_eq(seen.added, 3);
    ck_assert_ptr_eq(display_console_next(NULL), a);
    ck_assert_ptr_eq(display_console_next(a), b);
    ck_assert_ptr_eq(display_console_find(NULL, 0), a);
    ck_assert_ptr_eq(display_console_find(NULL, 1), b);
    ck_assert_ptr_eq(display_console_find("second", 0), c);
    ck_assert_ptr_null(display_console_find("second", 1));
    ck_assert_ptr_null(display_console_find("nothing", 0));

    DisplaySurface s = test_surface();
    display_set_surface(a, &s);
    ck_assert_int_eq(seen.surfaces, 1);
    /* Updates are clipped to the surface; outside it, none at all. */
    display_update(a, 3, 1, 100, 100);
    ck_assert_int_eq(seen.updates, 1);
    ck_assert(seen.x == 3 && seen.y == 1 && seen.w == 2 && seen.h == 2);
    display_update(a, 5, 0, 1, 1);
    display_update(b, 0, 0, 1, 1); /* b shows nothing */
    ck_assert_int_eq(seen.updates, 1);

    uint32_t image[4] = {0xff000000, 0xffffffff, 0, 0x80ff0000};
    display_cursor_define(a, image, 2, 2, 1, 0);
    display_cursor_move(a, 7, 8, true);
    const DisplayCursor *cur = display_console_cursor(a);
    ck_assert(cur->pixels != image && memcmp(cur->pixels, image, sizeof(image)) == 0);
    ck_assert(cur->x == 7 && cur->y == 8 && cur->visible && cur->hot_x == 1);
    ck_assert_int_eq(seen.cursors, 2);

    display_console_window_size(b, 1024, 768);
    ck_assert(seen.window_head == 1 && seen.window_w == 1024 && seen.window_h == 768);

    display_console_free(b);
    ck_assert_int_eq(seen.removed, 1);
    ck_assert_ptr_eq(display_console_next(a), c);
    display_set_listener(NULL, NULL);
    display_console_free(a);
    display_console_free(c);
    ck_assert_ptr_null(display_console_next(NULL));
    ck_assert_int_eq(seen.removed, 1);
}
END_TEST

/* ---- Input routing ---- */

typedef struct Sink {
    int events, syncs;
    InputKind kind;
    uint16_t code;
    int32_t value;
} Sink;

static void sink_event(void *opaque, InputKind kind, uint16_t code, int32_t value)
{
    Sink *s = opaque;
    s->events++;
    s->kind = kind, s->code = code, s->value = value;
}

static void sink_sync(void *opaque)
{
    ((Sink *)opaque)->syncs++;
}

START_TEST(test_input_routing)
{
    static const InputHandler keyboard = {"kbd", INPUT_MASK(INPUT_KEY), sink_event, sink_sync};
    static const InputHandler mouse = {"mouse", INPUT_MASK(INPUT_REL) | INPUT_MASK(INPUT_BTN),
                                       sink_event, sink_sync};
    static const InputHandler tablet = {
        "tablet", INPUT_MASK(INPUT_ABS) | INPUT_MASK(INPUT_BTN) | INPUT_MASK(INPUT_REL), sink_event,
        sink_sync};
    Sink k = {0}, m = {0}, t = {0};
    ck_assert(!input_has_handler(INPUT_KEY));
    input_event(INPUT_KEY, 30, 1); /* nobody: dropped */
    input_sync();

    InputHandlerEntry *ke = input_handler_register(&keyboard, &k);
    InputHandlerEntry *me = input_handler_register(&mouse, &m);
    InputHandlerEntry *te = input_handler_register(&tablet, &t);
    /* Registered, not activated: the first registered pointer wins. */
    ck_assert(!input_pointer_is_absolute());
    input_event(INPUT_BTN, BTN_LEFT, 1);
    input_sync();
    ck_assert_int_eq(m.events, 1);
    ck_assert_int_eq(m.syncs, 1);
    ck_assert_int_eq(t.events, 0);
    ck_assert_int_eq(t.syncs, 0); /* only who got events gets the sync */

    /* The tablet's driver starts: pointer events go to it, wheel too. */
    input_handler_activate(te);
    ck_assert(input_pointer_is_absolute());
    input_event(INPUT_ABS, ABS_X, 100);
    input_event(INPUT_BTN, BTN_RIGHT, 1);
    input_event(INPUT_REL, REL_WHEEL, -1);
    input_sync();
    ck_assert_int_eq(t.events, 3);
    ck_assert_int_eq(t.syncs, 1);
    ck_assert_int_eq(m.events, 1);
    ck_assert(t.kind == INPUT_REL && t.code == REL_WHEEL && t.value == -1);

    input_event(INPUT_KEY, 30, 1);
    input_sync();
    ck_assert(k.events == 1 && k.code == 30 && k.value == 1 && k.syncs == 1);

    input_handler_activate(me);
    ck_assert(!input_pointer_is_absolute());
    input_handler_unregister(me);
    ck_assert(input_pointer_is_absolute());
    input_handler_unregister(te);
    input_handler_unregister(ke);
    input_handler_unregister(NULL);
    ck_assert(!input_has_handler(INPUT_KEY));
}
END_TEST

int main(void)
{
    Suite *s = suite_create("display");
    TCase *tc = tcase_create("display");
    tcase_add_test(tc, test_edid_block);
    tcase_add_test(tc, test_screendump_ppm_and_png);
    tcase_add_test(tc, test_pixel_formats);
    tcase_add_test(tc, test_consoles_and_listener);
    tcase_add_test(tc, test_input_routing);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
