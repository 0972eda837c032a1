/* machine/virt_display.c: the board's display front end: which one, and
 * what it may ask of the machine (its run state for the title, a quit
 * when the window closes). */
#include <stdio.h>
#include <stdlib.h>

#include "machine/virt.h"
#include "monitor/monitor.h"
#include "ui/console.h"
#include "ui/sdl.h"

static bool machine_running(void *opaque)
{
    return virt_running(opaque);
}

/* Closing the window ends ember as QEMU's does: a host-initiated shutdown. */
static void window_closed(void *opaque)
{
    VirtMachine *m = opaque;
    monitor_event(m->monitors, "SHUTDOWN", "{\"guest\": false, \"reason\": \"host-ui\"}");
    virt_request_shutdown(m, 0);
}

static bool graphical_session(void)
{
    const char *x = getenv("DISPLAY"), *wayland = getenv("WAYLAND_DISPLAY");
    return (x && *x) || (wayland && *wayland);
}

bool virt_open_display(VirtMachine *m, char *err, size_t errlen)
{
    const DisplayOption *d = &m->opts.display;
    bool by_default = d->kind == DISPLAY_DEFAULT;
    if (d->kind == DISPLAY_NONE ||
        (by_default && (!display_console_next(NULL) || !graphical_session())))
        return true;
    SdlDisplayOptions opts = {.full_screen = d->full_screen, .window_close = !d->no_window_close};
    SdlDisplayHooks hooks = {.opaque = m, .running = machine_running, .quit = window_closed};
    if (sdl_display_open(&m->loop, &opts, &hooks, err, errlen)) {
        m->display_open = true;
        return true;
    }
    if (!by_default)
        return false;
    /* Chosen by default, not asked for: the machine runs without it. */
    fprintf(stderr, "ember: warning: %s; running without a display\n", err);
    return true;
}

void virt_close_display(VirtMachine *m)
{
    if (m->display_open)
        sdl_display_close();
    m->display_open = false;
}
