/* ui/sdl.c: the SDL2 window. Keys and pointer go to the guest except the
 * ember shortcuts, Ctrl-Alt (left) with G (grab or release the pointer and
 * keyboard), F (full screen) or U (back to the guest's size). */
#include "ui/sdl.h"

#include <SDL.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ui/console.h"
#include "ui/input.h"
#include "ui/keymap.h"
#include "util/timer.h"

/* SDL's events are taken every 10 ms; a changed window is presented at
 * most every 16 ms (60 Hz). */
#define EVENT_INTERVAL_NS 10000000ll
#define PRESENT_INTERVAL_NS 16000000ll
/* The window's size before the guest shows anything, as QEMU's. */
#define BLANK_WIDTH 640
#define BLANK_HEIGHT 480

typedef struct SdlWindow {
    DisplayConsole *con;
    SDL_Window *window;
    SDL_Renderer *renderer;
    SDL_Texture *texture;
    uint32_t tex_width, tex_height;
    Uint32 tex_format;
    SDL_Cursor *cursor;
    SDL_Surface *cursor_image;
    /* The part of the surface changed since the last present. */
    bool dirty;
    uint32_t dx0, dy0, dx1, dy1;
    bool redraw; /* present even without a change (resize, expose) */
    /* The size ember last gave the window: a resize to it is not the
     * user's, and is not offered to the guest. */
    int set_width, set_height;
    struct SdlWindow *next;
} SdlWindow;

static struct {
    bool open;
    MainLoop *loop;
    SdlDisplayOptions opts;
    SdlDisplayHooks hooks;
    SdlWindow *windows;
    bool grabbed;
    bool full_screen;
    bool title_running; /* what the titles say now */
    int64_t next_events, next_present;
    /* Ctrl and Alt held (left ones), for the shortcuts. */
    bool lctrl, lalt;
    /* Buttons the guest holds down, so a release of the grab lets go. */
    uint32_t buttons;
} sdl;

static SdlWindow *window_of_console(const DisplayConsole *con)
{
    for (SdlWindow *w = sdl.windows; w; w = w->next)
        if (w->con == con)
            return w;
    return NULL;
}

static SdlWindow *window_of_id(Uint32 id)
{
    for (SdlWindow *w = sdl.windows; w; w = w->next)
        if (SDL_GetWindowID(w->window) == id)
            return w;
    return NULL;
}

static void update_title(SdlWindow *w)
{
    char title[128];
    unsigned head = display_console_head(w->con);
    char which[32] = "";
    if (head)
        snprintf(which, sizeof(which), " (head %u)", head);
    snprintf(title, sizeof(title), "ember%s%s%s", which, sdl.title_running ? "" : " [Stopped]",
             sdl.grabbed ? " - Press Ctrl-Alt-G to exit grab" : "");
    SDL_SetWindowTitle(w->window, title);
}

static void update_titles(void)
{
    for (SdlWindow *w = sdl.windows; w; w = w->next)
        update_title(w);
}

/* SDL's packed formats are host words; the surface names bytes, and the
 * host is little-endian (util/le.h). */
static Uint32 sdl_format(PixelFormat format)
{
    switch (format) {
    case PIXEL_B8G8R8A8:
    case PIXEL_B8G8R8X8:
        return SDL_PIXELFORMAT_ARGB8888;
    case PIXEL_A8R8G8B8:
    case PIXEL_X8R8G8B8:
        return SDL_PIXELFORMAT_BGRA8888;
    case PIXEL_R8G8B8A8:
    case PIXEL_R8G8B8X8:
        return SDL_PIXELFORMAT_ABGR8888;
    case PIXEL_X8B8G8R8:
    case PIXEL_A8B8G8R8:
        return SDL_PIXELFORMAT_RGBA8888;
    }
    return SDL_PIXELFORMAT_ARGB8888;
}

static void mark_dirty(SdlWindow *w, uint32_t x, uint32_t y, uint32_t width, uint32_t height)
{
    if (!w->dirty) {
        w->dirty = true;
        w->dx0 = x, w->dy0 = y, w->dx1 = x + width, w->dy1 = y + height;
        return;
    }
    w->dx0 = x < w->dx0 ? x : w->dx0;
    w->dy0 = y < w->dy0 ? y : w->dy0;
    w->dx1 = x + width > w->dx1 ? x + width : w->dx1;
    w->dy1 = y + height > w->dy1 ? y + height : w->dy1;
}

static void resize_window(SdlWindow *w, int width, int height)
{
    if (sdl.full_screen)
        return;
    w->set_width = width;
    w->set_height = height;
    SDL_SetWindowSize(w->window, width, height);
}

/* The surface changed: a texture of its size and format, the window
 * resized to it (unless full screen), all of it to present. */
static void surface_changed(void *opaque, DisplayConsole *con)
{
    (void)opaque;
    SdlWindow *w = window_of_console(con);
    if (!w)
        return;
    DisplaySurface s;
    if (!display_console_surface(con, &s)) {
        if (w->texture)
            SDL_DestroyTexture(w->texture);
        w->texture = NULL;
        w->tex_width = w->tex_height = 0;
        w->dirty = false;
        w->redraw = true;
        return;
    }
    Uint32 format = sdl_format(s.format);
    if (!w->texture || w->tex_width != s.width || w->tex_height != s.height ||
        w->tex_format != format) {
        if (w->texture)
            SDL_DestroyTexture(w->texture);
        w->texture = SDL_CreateTexture(w->renderer, format, SDL_TEXTUREACCESS_STREAMING,
                                       (int)s.width, (int)s.height);
        if (!w->texture) {
            fprintf(stderr, "ember: sdl: no %ux%u texture: %s\n", s.width, s.height,
                    SDL_GetError());
            return;
        }
        SDL_SetTextureBlendMode(w->texture, SDL_BLENDMODE_NONE);
        if (w->tex_width != s.width || w->tex_height != s.height) {
            SDL_RenderSetLogicalSize(w->renderer, (int)s.width, (int)s.height);
            resize_window(w, (int)s.width, (int)s.height);
        }
        w->tex_width = s.width;
        w->tex_height = s.height;
        w->tex_format = format;
    }
    mark_dirty(w, 0, 0, s.width, s.height);
}

static void update(void *opaque, DisplayConsole *con, uint32_t x, uint32_t y, uint32_t width,
                   uint32_t height)
{
    (void)opaque;
    SdlWindow *w = window_of_console(con);
    if (w && w->texture)
        mark_dirty(w, x, y, width, height);
}

/* The guest's cursor becomes the window's (when the pointer is not
 * grabbed: a grabbed relative pointer shows none). */
static void cursor_changed(void *opaque, DisplayConsole *con)
{
    (void)opaque;
    SdlWindow *w = window_of_console(con);
    if (!w)
        return;
    const DisplayCursor *c = display_console_cursor(con);
    if (w->cursor) {
        SDL_SetCursor(SDL_GetDefaultCursor());
        SDL_FreeCursor(w->cursor);
        w->cursor = NULL;
    }
    if (w->cursor_image) {
        SDL_FreeSurface(w->cursor_image);
        w->cursor_image = NULL;
    }
    if (!c->pixels || !c->visible)
        return;
    w->cursor_image = SDL_CreateRGBSurfaceWithFormatFrom(
        c->pixels, (int)c->width, (int)c->height, 32, (int)c->width * 4, SDL_PIXELFORMAT_ARGB8888);
    if (w->cursor_image)
        w->cursor = SDL_CreateColorCursor(w->cursor_image, (int)c->hot_x, (int)c->hot_y);
    if (w->cursor)
        SDL_SetCursor(w->cursor);
}

static void close_window(SdlWindow *w)
{
    if (w->cursor)
        SDL_FreeCursor(w->cursor);
    if (w->cursor_image)
        SDL_FreeSurface(w->cursor_image);
    if (w->texture)
        SDL_DestroyTexture(w->texture);
    if (w->renderer)
        SDL_DestroyRenderer(w->renderer);
    if (w->window)
        SDL_DestroyWindow(w->window);
    free(w);
}

static void console_added(void *opaque, DisplayConsole *con)
{
    (void)opaque;
    SdlWindow *w = calloc(1, sizeof(*w));
    if (!w)
        return;
    w->con = con;
    Uint32 flags = SDL_WINDOW_RESIZABLE | (sdl.full_screen ? SDL_WINDOW_FULLSCREEN_DESKTOP : 0);
    w->window = SDL_CreateWindow("ember", SDL_WINDOWPOS_UNDEFINED, SDL_WINDOWPOS_UNDEFINED,
                                 BLANK_WIDTH, BLANK_HEIGHT, flags);
    if (w->window)
        w->renderer = SDL_CreateRenderer(w->window, -1, 0);
    if (!w->window || !w->renderer) {
        fprintf(stderr, "ember: sdl: no window for %s: %s\n", display_console_device(con),
                SDL_GetError());
        close_window(w);
        return;
    }
    w->set_width = BLANK_WIDTH;
    w->set_height = BLANK_HEIGHT;
    w->redraw = true;
    w->next = sdl.windows;
    sdl.windows = w;
    update_title(w);
    surface_changed(NULL, con);
    cursor_changed(NULL, con);
}

static void console_removed(void *opaque, DisplayConsole *con)
{
    (void)opaque;
    for (SdlWindow **p = &sdl.windows; *p; p = &(*p)->next) {
        if ((*p)->con == con) {
            SdlWindow *w = *p;
            *p = w->next;
            close_window(w);
            return;
        }
    }
}

static const DisplayListener sdl_listener = {
    .console_added = console_added,
    .console_removed = console_removed,
    .surface_changed = surface_changed,
    .update = update,
    .cursor_changed = cursor_changed,
};

/* ---- Presenting ---- */

static void present(SdlWindow *w)
{
    DisplaySurface s;
    bool shown = w->texture && display_console_surface(w->con, &s);
    if (shown && w->dirty) {
        SDL_Rect r = {(int)w->dx0, (int)w->dy0, (int)(w->dx1 - w->dx0), (int)(w->dy1 - w->dy0)};
        SDL_UpdateTexture(w->texture, &r, s.data + (size_t)w->dy0 * s.stride + (size_t)w->dx0 * 4,
                          (int)s.stride);
    }
    SDL_SetRenderDrawColor(w->renderer, 0, 0, 0, 255);
    SDL_RenderClear(w->renderer);
    if (shown)
        SDL_RenderCopy(w->renderer, w->texture, NULL, NULL);
    SDL_RenderPresent(w->renderer);
    w->dirty = false;
    w->redraw = false;
}

/* ---- Input ---- */

static void set_grab(bool on)
{
    if (on && !input_has_handler(INPUT_KEY) && !input_has_handler(INPUT_ABS) &&
        !input_has_handler(INPUT_REL))
        return; /* nothing in the guest would get what is grabbed */
    sdl.grabbed = on;
    bool relative = on && !input_pointer_is_absolute();
    for (SdlWindow *w = sdl.windows; w; w = w->next) {
        SDL_SetWindowGrab(w->window, on ? SDL_TRUE : SDL_FALSE);
        SDL_SetWindowKeyboardGrab(w->window, on ? SDL_TRUE : SDL_FALSE);
    }
    SDL_SetRelativeMouseMode(relative ? SDL_TRUE : SDL_FALSE);
    if (!on && sdl.buttons) {
        /* Let go of what the guest holds, as a mouse taken away would. */
        for (unsigned b = 0; b < 32; b++)
            if (sdl.buttons & (1u << b))
                input_event(INPUT_BTN, (uint16_t)(BTN_LEFT + b), 0);
        input_sync();
        sdl.buttons = 0;
    }
    update_titles();
}

static void toggle_full_screen(SdlWindow *w)
{
    sdl.full_screen = !sdl.full_screen;
    SDL_SetWindowFullscreen(w->window, sdl.full_screen ? SDL_WINDOW_FULLSCREEN_DESKTOP : 0);
    if (!sdl.full_screen && w->tex_width)
        resize_window(w, (int)w->tex_width, (int)w->tex_height);
    w->redraw = true;
}

/* Ctrl-Alt-G, -F, -U; true when the key was one of them. */
static bool shortcut(SdlWindow *w, const SDL_KeyboardEvent *k)
{
    if (!sdl.lctrl || !sdl.lalt)
        return false;
    switch (k->keysym.scancode) {
    case SDL_SCANCODE_G:
        if (k->type == SDL_KEYDOWN)
            set_grab(!sdl.grabbed);
        return true;
    case SDL_SCANCODE_F:
        if (k->type == SDL_KEYDOWN && w)
            toggle_full_screen(w);
        return true;
    case SDL_SCANCODE_U:
        if (k->type == SDL_KEYDOWN && w && w->tex_width)
            resize_window(w, (int)w->tex_width, (int)w->tex_height);
        return true;
    default:
        return false;
    }
}

static void key_event(const SDL_KeyboardEvent *k)
{
    bool down = k->type == SDL_KEYDOWN;
    if (k->keysym.scancode == SDL_SCANCODE_LCTRL)
        sdl.lctrl = down;
    if (k->keysym.scancode == SDL_SCANCODE_LALT)
        sdl.lalt = down;
    if (shortcut(window_of_id(k->windowID), k))
        return;
    /* The guest repeats keys itself (EV_REP): the host's repeats would
     * double them. */
    if (k->repeat)
        return;
    uint16_t code = keymap_usb_hid_to_linux(k->keysym.scancode);
    if (!code)
        return;
    input_event(INPUT_KEY, code, down);
    input_sync();
}

/* A window position in surface pixels to the 0..INPUT_ABS_MAX scale, as
 * QEMU scales it (position * max / size), so a guest sees the same values. */
static int32_t abs_axis(int position, uint32_t size)
{
    if (position < 0 || size == 0)
        return 0;
    if ((uint32_t)position >= size)
        position = (int)size - 1;
    return (int32_t)((int64_t)position * INPUT_ABS_MAX / size);
}

static void motion_event(const SDL_MouseMotionEvent *m)
{
    SdlWindow *w = window_of_id(m->windowID);
    if (!w)
        return;
    if (input_pointer_is_absolute()) {
        if (!w->tex_width)
            return;
        input_event(INPUT_ABS, ABS_X, abs_axis(m->x, w->tex_width));
        input_event(INPUT_ABS, ABS_Y, abs_axis(m->y, w->tex_height));
        input_sync();
    } else if (sdl.grabbed && (m->xrel || m->yrel)) {
        input_event(INPUT_REL, REL_X, m->xrel);
        input_event(INPUT_REL, REL_Y, m->yrel);
        input_sync();
    }
}

static void button_event(const SDL_MouseButtonEvent *b)
{
    bool down = b->type == SDL_MOUSEBUTTONDOWN;
    if (!input_pointer_is_absolute() && !sdl.grabbed) {
        /* A relative pointer needs the grab: the first click takes it. */
        if (down && b->button == SDL_BUTTON_LEFT)
            set_grab(true);
        return;
    }
    static const uint16_t codes[] = {
        [SDL_BUTTON_LEFT] = BTN_LEFT,   [SDL_BUTTON_MIDDLE] = BTN_MIDDLE,
        [SDL_BUTTON_RIGHT] = BTN_RIGHT, [SDL_BUTTON_X1] = BTN_SIDE,
        [SDL_BUTTON_X2] = BTN_EXTRA,
    };
    if (b->button >= sizeof(codes) / sizeof(codes[0]) || !codes[b->button])
        return;
    uint16_t code = codes[b->button];
    if (down)
        sdl.buttons |= 1u << (code - BTN_LEFT);
    else
        sdl.buttons &= ~(1u << (code - BTN_LEFT));
    input_event(INPUT_BTN, code, down);
    input_sync();
}

static void wheel_event(const SDL_MouseWheelEvent *wh)
{
    if (!input_pointer_is_absolute() && !sdl.grabbed)
        return;
    int y = wh->direction == SDL_MOUSEWHEEL_FLIPPED ? -wh->y : wh->y;
    int x = wh->direction == SDL_MOUSEWHEEL_FLIPPED ? -wh->x : wh->x;
    if (y)
        input_event(INPUT_REL, REL_WHEEL, y);
    if (x)
        input_event(INPUT_REL, REL_HWHEEL, x);
    input_sync();
}

static void window_event(const SDL_WindowEvent *e)
{
    SdlWindow *w = window_of_id(e->windowID);
    if (!w)
        return;
    switch (e->event) {
    case SDL_WINDOWEVENT_SIZE_CHANGED:
        if (e->data1 != w->set_width || e->data2 != w->set_height) {
            /* The user's new size: the guest may follow (virtio-gpu offers
             * it as the preferred mode). */
            display_console_window_size(w->con, (uint32_t)e->data1, (uint32_t)e->data2);
        }
        w->redraw = true;
        break;
    case SDL_WINDOWEVENT_EXPOSED:
    case SDL_WINDOWEVENT_SHOWN:
    case SDL_WINDOWEVENT_RESTORED:
        w->redraw = true;
        break;
    case SDL_WINDOWEVENT_FOCUS_LOST:
        /* Keys released elsewhere never come back as releases here. */
        sdl.lctrl = sdl.lalt = false;
        break;
    case SDL_WINDOWEVENT_CLOSE:
        if (sdl.opts.window_close && sdl.hooks.quit)
            sdl.hooks.quit(sdl.hooks.opaque);
        break;
    default:
        break;
    }
}

static void handle_events(void)
{
    SDL_Event ev;
    while (SDL_PollEvent(&ev)) {
        switch (ev.type) {
        case SDL_KEYDOWN:
        case SDL_KEYUP:
            key_event(&ev.key);
            break;
        case SDL_MOUSEMOTION:
            motion_event(&ev.motion);
            break;
        case SDL_MOUSEBUTTONDOWN:
        case SDL_MOUSEBUTTONUP:
            button_event(&ev.button);
            break;
        case SDL_MOUSEWHEEL:
            wheel_event(&ev.wheel);
            break;
        case SDL_WINDOWEVENT:
            window_event(&ev.window);
            break;
        case SDL_QUIT:
            if (sdl.opts.window_close && sdl.hooks.quit)
                sdl.hooks.quit(sdl.hooks.opaque);
            break;
        default:
            break;
        }
    }
}

/* ---- The main loop's source ---- */

static void sdl_prepare(void *opaque, int64_t *timeout_ns)
{
    (void)opaque;
    int64_t now = (int64_t)clock_host_ns();
    int64_t due = sdl.next_events;
    for (SdlWindow *w = sdl.windows; w; w = w->next)
        if ((w->dirty || w->redraw) && sdl.next_present < due)
            due = sdl.next_present;
    int64_t wait = due > now ? due - now : 0;
    if (*timeout_ns < 0 || wait < *timeout_ns)
        *timeout_ns = wait;
}

static void sdl_dispatch(void *opaque, bool error)
{
    (void)opaque;
    (void)error;
    int64_t now = (int64_t)clock_host_ns();
    if (now >= sdl.next_events) {
        sdl.next_events = now + EVENT_INTERVAL_NS;
        handle_events();
        bool running = !sdl.hooks.running || sdl.hooks.running(sdl.hooks.opaque);
        if (running != sdl.title_running) {
            sdl.title_running = running;
            update_titles();
        }
    }
    if (now >= sdl.next_present) {
        bool presented = false;
        for (SdlWindow *w = sdl.windows; w; w = w->next) {
            if (w->dirty || w->redraw) {
                present(w);
                presented = true;
            }
        }
        if (presented)
            sdl.next_present = now + PRESENT_INTERVAL_NS;
    }
}

bool sdl_display_open(MainLoop *loop, const SdlDisplayOptions *opts, const SdlDisplayHooks *hooks,
                      char *err, size_t errlen)
{
    /* ember owns the signals (util/signals.c), and the guest gets the
     * keyboard's shortcuts while the window grabs it. */
    SDL_SetHint(SDL_HINT_NO_SIGNAL_HANDLERS, "1");
    SDL_SetHint(SDL_HINT_GRAB_KEYBOARD, "1");
    SDL_SetHint(SDL_HINT_VIDEO_X11_NET_WM_BYPASS_COMPOSITOR, "0");
    SDL_SetHint(SDL_HINT_RENDER_SCALE_QUALITY, "linear");
    if (SDL_InitSubSystem(SDL_INIT_VIDEO) != 0) {
        snprintf(err, errlen, "sdl: cannot open a display: %s", SDL_GetError());
        return false;
    }
    sdl.open = true;
    sdl.loop = loop;
    sdl.opts = *opts;
    sdl.hooks = *hooks;
    sdl.full_screen = opts->full_screen;
    sdl.title_running = !hooks->running || hooks->running(hooks->opaque);
    MainLoopSource source = {sdl_prepare, sdl_dispatch, &sdl};
    if (mainloop_add_source(loop, &source) != 0) {
        snprintf(err, errlen, "sdl: the main loop has no room for the display");
        SDL_QuitSubSystem(SDL_INIT_VIDEO);
        sdl.open = false;
        return false;
    }
    /* The consoles there are, in creation order, then those to come. */
    for (DisplayConsole *con = display_console_next(NULL); con; con = display_console_next(con))
        console_added(NULL, con);
    display_set_listener(&sdl_listener, NULL);
    return true;
}

void sdl_display_close(void)
{
    if (!sdl.open)
        return;
    display_set_listener(NULL, NULL);
    mainloop_remove_source(sdl.loop, &sdl);
    while (sdl.windows) {
        SdlWindow *w = sdl.windows;
        sdl.windows = w->next;
        close_window(w);
    }
    SDL_QuitSubSystem(SDL_INIT_VIDEO);
    SDL_Quit();
    memset(&sdl, 0, sizeof(sdl));
}
