/* ui/sdl.h: the SDL2 front end: one window per console, showing its
 * surface scaled to fit, and the keyboard and mouse going to the guest's
 * input devices (ui/input.h). It runs on the main loop (a source that
 * pumps SDL's events and presents changed windows at most 60 times a
 * second). SDL is initialised only by sdl_display_open. */
#ifndef EMBER_UI_SDL_H
#define EMBER_UI_SDL_H

#include <stdbool.h>
#include <stddef.h>

#include "util/mainloop.h"

typedef struct SdlDisplayHooks {
    void *opaque;
    /* Whether the machine runs (the title says "[Stopped]" otherwise). */
    bool (*running)(void *opaque);
    /* The user closed the window: ember ends, as QEMU does. */
    void (*quit)(void *opaque);
} SdlDisplayHooks;

typedef struct SdlDisplayOptions {
    bool full_screen;
    bool window_close; /* closing the window quits */
} SdlDisplayOptions;

/* Opens a window for every console there is (and later ones as they come);
 * false with one line in err when SDL cannot show windows here. */
bool sdl_display_open(MainLoop *loop, const SdlDisplayOptions *opts, const SdlDisplayHooks *hooks,
                      char *err, size_t errlen);
void sdl_display_close(void);

#endif
