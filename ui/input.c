/* ui/input.c: routes input events to the guest's input devices. */
#include "ui/input.h"

#include <stdlib.h>

struct InputHandlerEntry {
    const InputHandler *handler;
    void *opaque;
    bool needs_sync; /* got events since the last sync */
    InputHandlerEntry *next;
};

/* Front first: the handler an event of a kind goes to is the first that
 * takes it. Input comes from the main loop only. */
static InputHandlerEntry *handlers;

static void unlink_entry(InputHandlerEntry *entry)
{
    for (InputHandlerEntry **p = &handlers; *p; p = &(*p)->next) {
        if (*p == entry) {
            *p = entry->next;
            entry->next = NULL;
            return;
        }
    }
}

InputHandlerEntry *input_handler_register(const InputHandler *handler, void *opaque)
{
    InputHandlerEntry *entry = calloc(1, sizeof(*entry));
    if (!entry)
        return NULL;
    entry->handler = handler;
    entry->opaque = opaque;
    InputHandlerEntry **tail = &handlers;
    while (*tail)
        tail = &(*tail)->next;
    *tail = entry;
    return entry;
}

void input_handler_activate(InputHandlerEntry *entry)
{
    unlink_entry(entry);
    entry->next = handlers;
    handlers = entry;
}

void input_handler_unregister(InputHandlerEntry *entry)
{
    if (!entry)
        return;
    unlink_entry(entry);
    free(entry);
}

static InputHandlerEntry *handler_for(InputKind kind)
{
    for (InputHandlerEntry *e = handlers; e; e = e->next)
        if (e->handler->mask & INPUT_MASK(kind))
            return e;
    return NULL;
}

void input_event(InputKind kind, uint16_t code, int32_t value)
{
    /* A button or the wheel goes where the pointer's motion goes, so a
     * tablet's clicks are not taken by a mouse the guest also has. */
    InputKind route = kind;
    if (kind == INPUT_BTN || (kind == INPUT_REL && (code == REL_WHEEL || code == REL_HWHEEL)))
        route = input_pointer_is_absolute() ? INPUT_ABS : INPUT_REL;
    InputHandlerEntry *e = handler_for(route);
    if (!e || !(e->handler->mask & INPUT_MASK(kind)))
        e = handler_for(kind);
    if (!e)
        return;
    e->handler->event(e->opaque, kind, code, value);
    e->needs_sync = true;
}

void input_sync(void)
{
    for (InputHandlerEntry *e = handlers; e; e = e->next) {
        if (e->needs_sync) {
            e->needs_sync = false;
            if (e->handler->sync)
                e->handler->sync(e->opaque);
        }
    }
}

bool input_pointer_is_absolute(void)
{
    for (InputHandlerEntry *e = handlers; e; e = e->next) {
        if (e->handler->mask & INPUT_MASK(INPUT_ABS))
            return true;
        if (e->handler->mask & INPUT_MASK(INPUT_REL))
            return false;
    }
    return false;
}

bool input_has_handler(InputKind kind)
{
    return handler_for(kind) != NULL;
}
