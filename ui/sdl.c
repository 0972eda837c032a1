/* ui/sdl.c: the SDL2 window. Keys and pointer go to the guest except the
 * ember shortcuts, Ctrl-Alt (left) with G (grab or release the pointer and
 * keyboard), F (full screen) or U (back to the guest's size). */
#include "ui/sdl.h"

#include <SDL.h>
#include <SDL_syswm.h>
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
    /* The guest's surface as an SDL surface over the same pixels (no
     * copy), and where it lands in the window (scaled to fit, centred). */
    SDL_Surface *source;
    uint32_t width, height;
    SDL_Rect target;
    SDL_Cursor *cursor;
    SDL_Surface *cursor_image;
    /* The part of the surface changed since the last present. */
    bool dirty;
    uint32_t dx0, dy0, dx1, dy1;
    bool redraw; /* present even without a change (resize, expose) */
    /* The size ember last gave the window: a resize to it is not the
     * user's, and is not offered to the guest. */
    int set_width, set_height;
    /* Full screen: when to check the window manager did it (0: no
     * check due), whether ember did it itself, and the window before. */
    int64_t full_check_at;
    bool manual_full_screen;
    SDL_Rect before_full_screen;
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
    /* A window grown to the guest's mode stays on the screen it is on. */
    SDL_Rect screen;
    int x, y;
    int display = SDL_GetWindowDisplayIndex(w->window);
    if (display < 0 || SDL_GetDisplayUsableBounds(display, &screen) != 0)
        return;
    SDL_GetWindowPosition(w->window, &x, &y);
    int nx = x + width > screen.x + screen.w ? screen.x + screen.w - width : x;
    int ny = y + height > screen.y + screen.h ? screen.y + screen.h - height : y;
    nx = nx < screen.x ? screen.x : nx;
    ny = ny < screen.y ? screen.y : ny;
    if (nx != x || ny != y)
        SDL_SetWindowPosition(w->window, nx, ny);
}

/* Full screen is asked of the window manager (EWMH). Without one (a bare
 * X server, Xvfb) nothing would happen, so when the window has not grown
 * to the screen shortly after, ember covers the screen itself: no border,
 * the screen's position and size. */
#define FULL_SCREEN_CHECK_NS 300000000ll

static void enter_full_screen(SdlWindow *w)
{
    SDL_GetWindowPosition(w->window, &w->before_full_screen.x, &w->before_full_screen.y);
    SDL_GetWindowSize(w->window, &w->before_full_screen.w, &w->before_full_screen.h);
    SDL_SetWindowFullscreen(w->window, SDL_WINDOW_FULLSCREEN_DESKTOP);
    w->full_check_at = (int64_t)clock_host_ns() + FULL_SCREEN_CHECK_NS;
}

/* The window's size as the X server has it: SDL's own figure already says
 * full screen when it has only asked for it. false when not on X11. */
static bool x11_window_size(SdlWindow *w, int *width, int *height)
{
    SDL_SysWMinfo info;
    SDL_VERSION(&info.version);
    XWindowAttributes attrs;
    if (!SDL_GetWindowWMInfo(w->window, &info) || info.subsystem != SDL_SYSWM_X11 ||
        !XGetWindowAttributes(info.info.x11.display, info.info.x11.window, &attrs))
        return false;
    *width = attrs.width;
    *height = attrs.height;
    return true;
}

static void check_full_screen(SdlWindow *w)
{
    w->full_check_at = 0;
    SDL_Rect screen;
    int width, height, display = SDL_GetWindowDisplayIndex(w->window);
    if (!sdl.full_screen || display < 0 || SDL_GetDisplayBounds(display, &screen) != 0 ||
        !x11_window_size(w, &width, &height) || (width == screen.w && height == screen.h))
        return;
    SDL_SetWindowFullscreen(w->window, 0);
    SDL_SetWindowBordered(w->window, SDL_FALSE);
    SDL_SetWindowPosition(w->window, screen.x, screen.y);
    SDL_SetWindowSize(w->window, screen.w, screen.h);
    SDL_RaiseWindow(w->window);
    w->manual_full_screen = true;
}

/* Back to the window it was. Like entering, this is a size the user
 * chose: the guest hears of it (a guest that took the screen's size for
 * its mode goes back). */
static void leave_full_screen(SdlWindow *w)
{
    w->full_check_at = 0;
    if (w->manual_full_screen) {
        SDL_SetWindowBordered(w->window, SDL_TRUE);
        SDL_SetWindowPosition(w->window, w->before_full_screen.x, w->before_full_screen.y);
        SDL_SetWindowSize(w->window, w->before_full_screen.w, w->before_full_screen.h);
        w->manual_full_screen = false;
    } else {
        SDL_SetWindowFullscreen(w->window, 0);
    }
}

/* The surface changed: a view of its pixels, the window resized to it
 * (unless full screen), all of it to present. */
static void surface_changed(void *opaque, DisplayConsole *con)
{
    (void)opaque;
    SdlWindow *w = window_of_console(con);
    if (!w)
        return;
    if (w->source)
        SDL_FreeSurface(w->source);
    w->source = NULL;
    w->dirty = false;
    w->redraw = true;
    DisplaySurface s;
    if (!display_console_surface(con, &s)) {
        w->width = w->height = 0;
        return;
    }
    w->source = SDL_CreateRGBSurfaceWithFormatFrom(s.data, (int)s.width, (int)s.height, 32,
                                                   (int)s.stride, sdl_format(s.format));
    if (!w->source) {
        fprintf(stderr, "ember: sdl: no %ux%u surface: %s\n", s.width, s.height, SDL_GetError());
        return;
    }
    /* The guest's alpha (or X byte) is not a blend. */
    SDL_SetSurfaceBlendMode(w->source, SDL_BLENDMODE_NONE);
    if (w->width != s.width || w->height != s.height)
        resize_window(w, (int)s.width, (int)s.height);
    w->width = s.width;
    w->height = s.height;
}

static void update(void *opaque, DisplayConsole *con, uint32_t x, uint32_t y, uint32_t width,
                   uint32_t height)
{
    (void)opaque;
    SdlWindow *w = window_of_console(con);
    if (w && w->source)
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
    if (w->source)
        SDL_FreeSurface(w->source);
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
    w->window = SDL_CreateWindow("ember", SDL_WINDOWPOS_UNDEFINED, SDL_WINDOWPOS_UNDEFINED,
                                 BLANK_WIDTH, BLANK_HEIGHT, SDL_WINDOW_RESIZABLE);
    if (!w->window) {
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
    if (sdl.full_screen)
        enter_full_screen(w);
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

/* The surface scaled to fit the window, keeping its aspect, centred. */
static SDL_Rect fit(const SdlWindow *w, int win_w, int win_h)
{
    SDL_Rect r = {0, 0, win_w, win_h};
    if ((int64_t)win_w * w->height > (int64_t)win_h * w->width)
        r.w = (int)((int64_t)win_h * w->width / w->height);
    else
        r.h = (int)((int64_t)win_w * w->height / w->width);
    r.x = (win_w - r.w) / 2;
    r.y = (win_h - r.h) / 2;
    return r;
}

/* Presents through the window's own surface (XShm on X11): at 1:1, only
 * the changed rectangle is copied and sent, so a blinking cursor costs a
 * few hundred bytes, not the whole screen. */
static void present(SdlWindow *w)
{
    SDL_Surface *dst = SDL_GetWindowSurface(w->window);
    if (!dst)
        return;
    Uint32 black = SDL_MapRGB(dst->format, 0, 0, 0);
    if (!w->source) {
        SDL_FillRect(dst, NULL, black);
        SDL_UpdateWindowSurface(w->window);
        w->dirty = w->redraw = false;
        return;
    }
    SDL_Rect target = fit(w, dst->w, dst->h);
    bool moved = memcmp(&target, &w->target, sizeof(target)) != 0;
    w->target = target;
    bool whole = w->redraw || moved || !w->dirty;
    if (target.w == (int)w->width && target.h == (int)w->height) {
        SDL_Rect from = {0, 0, (int)w->width, (int)w->height};
        if (!whole)
            from = (SDL_Rect){(int)w->dx0, (int)w->dy0, (int)(w->dx1 - w->dx0),
                              (int)(w->dy1 - w->dy0)};
        SDL_Rect to = {target.x + from.x, target.y + from.y, from.w, from.h};
        if (whole)
            SDL_FillRect(dst, NULL, black);
        SDL_BlitSurface(w->source, &from, dst, &to);
        if (whole)
            SDL_UpdateWindowSurface(w->window);
        else
            SDL_UpdateWindowSurfaceRects(w->window, &to, 1);
    } else {
        if (whole)
            SDL_FillRect(dst, NULL, black);
        SDL_BlitScaled(w->source, NULL, dst, &target);
        SDL_UpdateWindowSurface(w->window);
    }
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
    if (sdl.full_screen)
        enter_full_screen(w);
    else
        leave_full_screen(w);
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
        if (k->type == SDL_KEYDOWN && w && w->width)
            resize_window(w, (int)w->width, (int)w->height);
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

/* A window position to the 0..INPUT_ABS_MAX scale over the surface where
 * it is shown, as QEMU scales (position * max / size), so a guest sees the
 * same values. */
static int32_t abs_axis(int position, int start, int shown)
{
    position -= start;
    if (position < 0 || shown <= 0)
        return 0;
    if (position >= shown)
        position = shown - 1;
    return (int32_t)((int64_t)position * INPUT_ABS_MAX / shown);
}

static void motion_event(const SDL_MouseMotionEvent *m)
{
    SdlWindow *w = window_of_id(m->windowID);
    if (!w)
        return;
    if (input_pointer_is_absolute()) {
        if (!w->source)
            return;
        input_event(INPUT_ABS, ABS_X, abs_axis(m->x, w->target.x, w->target.w));
        input_event(INPUT_ABS, ABS_Y, abs_axis(m->y, w->target.y, w->target.h));
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
        for (SdlWindow *w = sdl.windows; w; w = w->next)
            if (w->full_check_at && now >= w->full_check_at)
                check_full_screen(w);
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
    /* The window's framebuffer in memory (XShm on X11), unless
     * SDL_FRAMEBUFFER_ACCELERATION in the environment says otherwise:
     * presenting a 2D surface is a copy, and where there is no GPU (a
     * server, Xvfb) OpenGL runs on Mesa's llvmpipe, which took 6% of a
     * core to blink the text console's cursor. */
    SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0");
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
