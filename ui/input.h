/* ui/input.h: input events from the front ends (the SDL window, the
 * monitor) to the guest's input devices, in Linux's evdev terms, which is
 * what virtio-input hands the guest: a key or button is its Linux code
 * (KEY_A, BTN_LEFT), a pointer moves by REL_X/REL_Y or to ABS_X/ABS_Y on
 * a 0..INPUT_ABS_MAX scale over the whole screen, and a sync ends a group
 * of events that belong together (one motion, one key).
 *
 * Routing follows QEMU's: each event goes to the first handler whose mask
 * takes its kind, and a handler moves to the front when it is activated
 * (its driver set DRIVER_OK), so the device the guest uses last wins. */
#ifndef EMBER_UI_INPUT_H
#define EMBER_UI_INPUT_H

#include <stdbool.h>
#include <stdint.h>

#define INPUT_ABS_MAX 0x7fff

/* Linux's event types (linux/input-event-codes.h), the ones used here. */
enum {
    EV_SYN = 0x00,
    EV_KEY = 0x01,
    EV_REL = 0x02,
    EV_ABS = 0x03,
    EV_MSC = 0x04,
    EV_LED = 0x11,
    EV_REP = 0x14,
};
enum { REL_X = 0x00, REL_Y = 0x01, REL_HWHEEL = 0x06, REL_WHEEL = 0x08 };
enum { ABS_X = 0x00, ABS_Y = 0x01 };
enum {
    BTN_LEFT = 0x110,
    BTN_RIGHT = 0x111,
    BTN_MIDDLE = 0x112,
    BTN_SIDE = 0x113,
    BTN_EXTRA = 0x114,
};
/* The highest key code a keyboard may report (KEY_MAX's range). */
#define INPUT_KEY_MAX 0x2ff

typedef enum InputKind {
    INPUT_KEY, /* code: a KEY_* code; value 1 down, 0 up */
    INPUT_BTN, /* code: a BTN_* code; value 1 down, 0 up */
    INPUT_REL, /* code: REL_*; value: the motion */
    INPUT_ABS, /* code: ABS_X or ABS_Y; value 0..INPUT_ABS_MAX */
} InputKind;

#define INPUT_MASK(kind) (1u << (kind))

typedef struct InputHandler {
    const char *name;
    unsigned mask; /* INPUT_MASK of the kinds it takes */
    void (*event)(void *opaque, InputKind kind, uint16_t code, int32_t value);
    void (*sync)(void *opaque);
} InputHandler;

typedef struct InputHandlerEntry InputHandlerEntry;

/* Registers a handler (at the back: a device the guest has not driven
 * yet does not take events from one it does); NULL when out of memory. */
InputHandlerEntry *input_handler_register(const InputHandler *handler, void *opaque);
/* Moves it to the front. */
void input_handler_activate(InputHandlerEntry *entry);
void input_handler_unregister(InputHandlerEntry *entry);

void input_event(InputKind kind, uint16_t code, int32_t value);
/* Ends a group: every handler that got events since the last sync gets
 * its sync. */
void input_sync(void);

/* Whether pointer motion goes to an absolute device (a tablet): the front
 * end then sends positions and need not grab the pointer. */
bool input_pointer_is_absolute(void);
/* Whether any handler takes the kind (a front end tells the user when
 * nothing takes the keyboard, say). */
bool input_has_handler(InputKind kind);

#endif
