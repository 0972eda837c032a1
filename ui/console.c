/* ui/console.c: graphic consoles and the front end listening to them. */
#include "ui/console.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct DisplayConsole {
    char device[64];
    unsigned head;
    const DisplayConsoleOps *ops;
    void *opaque;
    bool has_surface;
    DisplaySurface surface;
    DisplayCursor cursor;
    DisplayConsole *next;
};

static DisplayConsole *consoles;
static const DisplayListener *listener;
static void *listener_opaque;

void pixel_format_rgb_bytes(PixelFormat format, unsigned *r, unsigned *g, unsigned *b)
{
    switch (format) {
    case PIXEL_B8G8R8A8:
    case PIXEL_B8G8R8X8:
        *b = 0, *g = 1, *r = 2;
        return;
    case PIXEL_A8R8G8B8:
    case PIXEL_X8R8G8B8:
        *r = 1, *g = 2, *b = 3;
        return;
    case PIXEL_R8G8B8A8:
    case PIXEL_R8G8B8X8:
        *r = 0, *g = 1, *b = 2;
        return;
    case PIXEL_X8B8G8R8:
    case PIXEL_A8B8G8R8:
        *b = 1, *g = 2, *r = 3;
        return;
    }
    *r = 0, *g = 1, *b = 2;
}

bool pixel_format_alpha_byte(PixelFormat format, unsigned *a)
{
    unsigned r, g, b;
    pixel_format_rgb_bytes(format, &r, &g, &b);
    *a = 6 - r - g - b; /* the byte that is none of the colours */
    return format == PIXEL_B8G8R8A8 || format == PIXEL_A8R8G8B8 || format == PIXEL_R8G8B8A8 ||
           format == PIXEL_A8B8G8R8;
}

DisplayConsole *display_console_new(const char *device, unsigned head, const DisplayConsoleOps *ops,
                                    void *opaque)
{
    DisplayConsole *con = calloc(1, sizeof(*con));
    if (!con)
        return NULL;
    snprintf(con->device, sizeof(con->device), "%s", device);
    con->head = head;
    con->ops = ops;
    con->opaque = opaque;
    DisplayConsole **tail = &consoles;
    while (*tail)
        tail = &(*tail)->next;
    *tail = con;
    if (listener && listener->console_added)
        listener->console_added(listener_opaque, con);
    return con;
}

void display_console_free(DisplayConsole *con)
{
    if (!con)
        return;
    if (listener && listener->console_removed)
        listener->console_removed(listener_opaque, con);
    for (DisplayConsole **p = &consoles; *p; p = &(*p)->next) {
        if (*p == con) {
            *p = con->next;
            break;
        }
    }
    free(con->cursor.pixels);
    free(con);
}

void display_set_surface(DisplayConsole *con, const DisplaySurface *surface)
{
    con->has_surface = surface != NULL;
    if (surface)
        con->surface = *surface;
    if (listener && listener->surface_changed)
        listener->surface_changed(listener_opaque, con);
}

void display_update(DisplayConsole *con, uint32_t x, uint32_t y, uint32_t width, uint32_t height)
{
    if (!con->has_surface || x >= con->surface.width || y >= con->surface.height)
        return;
    if (width > con->surface.width - x)
        width = con->surface.width - x;
    if (height > con->surface.height - y)
        height = con->surface.height - y;
    if (width && height && listener && listener->update)
        listener->update(listener_opaque, con, x, y, width, height);
}

void display_cursor_define(DisplayConsole *con, const uint32_t *pixels, uint32_t width,
                           uint32_t height, uint32_t hot_x, uint32_t hot_y)
{
    uint32_t *copy = NULL;
    if (pixels) {
        copy = malloc((size_t)width * height * sizeof(*copy));
        if (!copy)
            return; /* the old image stays: a cursor is not worth failing over */
        memcpy(copy, pixels, (size_t)width * height * sizeof(*copy));
    }
    free(con->cursor.pixels);
    con->cursor.pixels = copy;
    con->cursor.width = copy ? width : 0;
    con->cursor.height = copy ? height : 0;
    con->cursor.hot_x = hot_x;
    con->cursor.hot_y = hot_y;
    if (listener && listener->cursor_changed)
        listener->cursor_changed(listener_opaque, con);
}

void display_cursor_move(DisplayConsole *con, int32_t x, int32_t y, bool visible)
{
    con->cursor.x = x;
    con->cursor.y = y;
    con->cursor.visible = visible;
    if (listener && listener->cursor_changed)
        listener->cursor_changed(listener_opaque, con);
}

bool display_console_surface(const DisplayConsole *con, DisplaySurface *out)
{
    if (con->has_surface && out)
        *out = con->surface;
    return con->has_surface;
}

const DisplayCursor *display_console_cursor(const DisplayConsole *con)
{
    return &con->cursor;
}

const char *display_console_device(const DisplayConsole *con)
{
    return con->device;
}

unsigned display_console_head(const DisplayConsole *con)
{
    return con->head;
}

void display_console_window_size(DisplayConsole *con, uint32_t width, uint32_t height)
{
    if (con->ops && con->ops->window_size)
        con->ops->window_size(con->opaque, con->head, width, height);
}

DisplayConsole *display_console_next(const DisplayConsole *con)
{
    return con ? con->next : consoles;
}

DisplayConsole *display_console_find(const char *device, unsigned head)
{
    if (!device) {
        /* The first device's consoles. */
        if (!consoles)
            return NULL;
        device = consoles->device;
    }
    for (DisplayConsole *con = consoles; con; con = con->next)
        if (con->head == head && strcmp(con->device, device) == 0)
            return con;
    return NULL;
}

void display_set_listener(const DisplayListener *l, void *opaque)
{
    listener = l;
    listener_opaque = opaque;
}
