/* ui/console.h: graphic consoles, QEMU's QemuConsole reduced to what a
 * scanout needs. A display device (virtio-gpu) owns one console per head
 * and shows it a surface: pixels the device keeps in host memory, in the
 * guest's own layout, which the console never copies. The device says
 * which rectangles changed; the front end (the SDL window) is told and
 * presents at its own pace; a screendump reads the surface as it is.
 *
 * Consoles and the front end live on the main loop's thread. */
#ifndef EMBER_UI_CONSOLE_H
#define EMBER_UI_CONSOLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* 32-bit pixels named by their bytes in memory, first to last (virtio-gpu's
 * names): B8G8R8X8 is Linux's XRGB8888 on a little-endian guest. */
typedef enum PixelFormat {
    PIXEL_B8G8R8A8,
    PIXEL_B8G8R8X8,
    PIXEL_A8R8G8B8,
    PIXEL_X8R8G8B8,
    PIXEL_R8G8B8A8,
    PIXEL_X8B8G8R8,
    PIXEL_A8B8G8R8,
    PIXEL_R8G8B8X8,
} PixelFormat;

/* Where red, green and blue sit in a pixel of format (byte indices). */
void pixel_format_rgb_bytes(PixelFormat format, unsigned *r, unsigned *g, unsigned *b);
/* Where alpha sits; false for the X formats (their fourth byte means
 * nothing: opaque). */
bool pixel_format_alpha_byte(PixelFormat format, unsigned *a);

typedef struct DisplaySurface {
    uint32_t width, height;
    uint32_t stride; /* bytes from one row to the next */
    PixelFormat format;
    uint8_t *data; /* the top-left pixel; owned by the device */
} DisplaySurface;

/* A cursor image: width*height pixels, 0xAARRGGBB each. */
typedef struct DisplayCursor {
    uint32_t width, height;
    uint32_t hot_x, hot_y;
    uint32_t *pixels; /* NULL: none defined */
    int32_t x, y;     /* where the hot spot is, in surface pixels */
    bool visible;
} DisplayCursor;

typedef struct DisplayConsole DisplayConsole;

/* What the front end may tell the device behind a console. */
typedef struct DisplayConsoleOps {
    /* The window showing this head is now width x height pixels: a device
     * that can follow (virtio-gpu) offers the guest that mode. */
    void (*window_size)(void *opaque, unsigned head, uint32_t width, uint32_t height);
} DisplayConsoleOps;

/* A new console for head of device (its id, or its type when it has none);
 * NULL when out of memory. */
DisplayConsole *display_console_new(const char *device, unsigned head, const DisplayConsoleOps *ops,
                                    void *opaque);
void display_console_free(DisplayConsole *con);

/* The device shows surface (copied; its pixels are not), or nothing
 * (NULL: the guest has not set a scanout, or disabled it). */
void display_set_surface(DisplayConsole *con, const DisplaySurface *surface);
/* The rectangle changed (clipped to the surface). */
void display_update(DisplayConsole *con, uint32_t x, uint32_t y, uint32_t width, uint32_t height);
/* A new cursor image (pixels copied; NULL removes it), and where it is. */
void display_cursor_define(DisplayConsole *con, const uint32_t *pixels, uint32_t width,
                           uint32_t height, uint32_t hot_x, uint32_t hot_y);
void display_cursor_move(DisplayConsole *con, int32_t x, int32_t y, bool visible);

/* The console's surface; false when it shows nothing. */
bool display_console_surface(const DisplayConsole *con, DisplaySurface *out);
const DisplayCursor *display_console_cursor(const DisplayConsole *con);
const char *display_console_device(const DisplayConsole *con);
unsigned display_console_head(const DisplayConsole *con);
/* Tells the device the window's size (DisplayConsoleOps.window_size). */
void display_console_window_size(DisplayConsole *con, uint32_t width, uint32_t height);

/* The consoles in creation order: display_console_next(NULL) is the first. */
DisplayConsole *display_console_next(const DisplayConsole *con);
/* The console of device (id or type name; NULL: the first console's) and
 * head; NULL when there is none. */
DisplayConsole *display_console_find(const char *device, unsigned head);

/* The front end: told of every console's changes. One at a time. */
typedef struct DisplayListener {
    void (*console_added)(void *opaque, DisplayConsole *con);
    void (*console_removed)(void *opaque, DisplayConsole *con);
    void (*surface_changed)(void *opaque, DisplayConsole *con);
    void (*update)(void *opaque, DisplayConsole *con, uint32_t x, uint32_t y, uint32_t width,
                   uint32_t height);
    void (*cursor_changed)(void *opaque, DisplayConsole *con);
} DisplayListener;
void display_set_listener(const DisplayListener *listener, void *opaque);

typedef enum ScreendumpFormat { SCREENDUMP_PPM, SCREENDUMP_PNG } ScreendumpFormat;
/* Writes the console's surface to path (PPM P6 as QEMU's, or an 8-bit RGB
 * PNG); false with one line in err when there is no image or the file
 * cannot be written (a partial file is removed). */
bool display_screendump(const DisplayConsole *con, const char *path, ScreendumpFormat format,
                        char *err, size_t errlen);

#endif
