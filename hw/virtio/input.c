/* hw/virtio/input.c: virtio-input's keyboard, mouse and tablet. Queue 0
 * carries events to the guest, a group at a time (the events of one key
 * press or one motion, then SYN_REPORT); queue 1 brings the driver's
 * status events (the keyboard's LEDs). The config space answers the
 * driver's select/subsel queries with QEMU's names, ids and event bits. */
#include "hw/virtio/input.h"

#include <stdlib.h>
#include <string.h>

#include "ui/keymap.h"
#include "util/le.h"
#include "util/log.h"

enum { QUEUE_EVENT = 0, QUEUE_STATUS = 1 };

/* Linux evdev values ui/input.h does not name. */
enum {
    LINUX_SYN_REPORT = 0,
    LINUX_LED_NUML = 0,
    LINUX_LED_CAPSL = 1,
    LINUX_LED_SCROLLL = 2,
    LINUX_BTN_TOUCH = 0x14a,
    LINUX_BTN_GEAR_DOWN = 0x150,
    LINUX_BTN_GEAR_UP = 0x151,
    LINUX_BUS_VIRTUAL = 0x06,
};

#define LED_MASK ((1u << LINUX_LED_NUML) | (1u << LINUX_LED_CAPSL) | (1u << LINUX_LED_SCROLLL))

/* QEMU's: its USB HID devices' vendor, a product per kind; version 2 is a
 * mouse or tablet with a wheel. */
#define DEVIDS_VENDOR 0x0627

/* The buttons QEMU's pointers declare (its keymap_button): the guest's
 * evdev device shows exactly these. */
static const uint16_t pointer_buttons[] = {
    BTN_LEFT,  BTN_RIGHT,       BTN_MIDDLE,          BTN_SIDE,
    BTN_EXTRA, LINUX_BTN_TOUCH, LINUX_BTN_GEAR_DOWN, LINUX_BTN_GEAR_UP,
};

static const char *const kind_names[] = {
    [VIRTIO_INPUT_KEYBOARD] = "QEMU Virtio Keyboard",
    [VIRTIO_INPUT_MOUSE] = "QEMU Virtio Mouse",
    [VIRTIO_INPUT_TABLET] = "QEMU Virtio Tablet",
};

static void set_bit(uint8_t *bitmap, unsigned bit)
{
    bitmap[bit / 8] |= (uint8_t)(1u << (bit % 8));
}

/* A bitmap's size as the device reports it: up to its last byte with a
 * bit set. */
static unsigned bitmap_size(const uint8_t *bitmap, unsigned max)
{
    while (max && !bitmap[max - 1])
        max--;
    return max;
}

/* The keyboard offers what QEMU's does: every key a QKeyCode names. */
static unsigned keyboard_key_bits(uint8_t *u)
{
    for (unsigned code = 1; code < VIRTIO_INPUT_CONFIG_UNION_SIZE * 8; code++)
        if (keymap_linux_to_qcode((uint16_t)code))
            set_bit(u, code);
    return bitmap_size(u, VIRTIO_INPUT_CONFIG_UNION_SIZE);
}

static unsigned pointer_key_bits(uint8_t *u)
{
    for (size_t i = 0; i < sizeof(pointer_buttons) / sizeof(pointer_buttons[0]); i++)
        set_bit(u, pointer_buttons[i]);
    return bitmap_size(u, VIRTIO_INPUT_CONFIG_UNION_SIZE);
}

/* The event codes of type ev the device offers, into the zeroed union u;
 * returns the bitmap's size (0: none of that type). */
static unsigned event_bits(const VirtioInput *input, uint8_t ev, uint8_t *u)
{
    switch (input->kind) {
    case VIRTIO_INPUT_KEYBOARD:
        if (ev == EV_KEY)
            return keyboard_key_bits(u);
        if (ev == EV_REP)
            return 1; /* no codes: the type alone asks for autorepeat */
        if (ev == EV_LED) {
            u[0] = LED_MASK;
            return 1;
        }
        return 0;
    case VIRTIO_INPUT_MOUSE:
        if (ev == EV_KEY)
            return pointer_key_bits(u);
        if (ev == EV_REL) {
            set_bit(u, REL_X);
            set_bit(u, REL_Y);
            if (input->wheel)
                set_bit(u, REL_WHEEL);
            return bitmap_size(u, VIRTIO_INPUT_CONFIG_UNION_SIZE);
        }
        return 0;
    case VIRTIO_INPUT_TABLET:
        if (ev == EV_KEY)
            return pointer_key_bits(u);
        if (ev == EV_ABS) {
            set_bit(u, ABS_X);
            set_bit(u, ABS_Y);
            return 1;
        }
        if (ev == EV_REL && input->wheel) {
            set_bit(u, REL_WHEEL);
            return 2;
        }
        return 0;
    }
    return 0;
}

/* The answer to the query (select, subsel), into the zeroed union u;
 * returns its size (0: the device has nothing there). */
static unsigned config_answer(const VirtioInput *input, uint8_t select, uint8_t subsel, uint8_t *u)
{
    switch (select) {
    case VIRTIO_INPUT_CFG_ID_NAME:
        if (subsel)
            return 0;
        /* QEMU counts the terminating NUL. */
        memcpy(u, kind_names[input->kind], strlen(kind_names[input->kind]) + 1);
        return (unsigned)strlen(kind_names[input->kind]) + 1;
    case VIRTIO_INPUT_CFG_ID_SERIAL:
        if (subsel)
            return 0;
        memcpy(u, input->serial, strlen(input->serial));
        return (unsigned)strlen(input->serial);
    case VIRTIO_INPUT_CFG_ID_DEVIDS:
        if (subsel)
            return 0;
        st_le16(u, LINUX_BUS_VIRTUAL);
        st_le16(u + 2, DEVIDS_VENDOR);
        st_le16(u + 4, (uint16_t)(input->kind + 1));
        st_le16(u + 6, input->kind != VIRTIO_INPUT_KEYBOARD && input->wheel ? 2 : 1);
        return 8;
    case VIRTIO_INPUT_CFG_EV_BITS:
        return event_bits(input, subsel, u);
    case VIRTIO_INPUT_CFG_ABS_INFO:
        if (input->kind != VIRTIO_INPUT_TABLET || (subsel != ABS_X && subsel != ABS_Y))
            return 0;
        /* struct virtio_input_absinfo: min, max, fuzz, flat, res. */
        st_le32(u, 0);
        st_le32(u + 4, INPUT_ABS_MAX);
        return 20;
    default: /* PROP_BITS among them: none of these devices has a property */
        return 0;
    }
}

/* The config space is the 8-byte header and the largest answer the device
 * gives, as in QEMU, so the driver sees the same size. */
static unsigned config_space_size(const VirtioInput *input)
{
    static const uint8_t selects[] = {VIRTIO_INPUT_CFG_ID_NAME,   VIRTIO_INPUT_CFG_ID_SERIAL,
                                      VIRTIO_INPUT_CFG_ID_DEVIDS, VIRTIO_INPUT_CFG_PROP_BITS,
                                      VIRTIO_INPUT_CFG_EV_BITS,   VIRTIO_INPUT_CFG_ABS_INFO};
    unsigned largest = 0;
    for (size_t s = 0; s < sizeof(selects); s++) {
        for (unsigned subsel = 0; subsel < 256; subsel++) {
            uint8_t u[VIRTIO_INPUT_CONFIG_UNION_SIZE] = {0};
            unsigned size = config_answer(input, selects[s], (uint8_t)subsel, u);
            if (size > largest)
                largest = size;
        }
    }
    return VIRTIO_INPUT_CONFIG_UNION + largest;
}

/* Fills size and the union for the select/subsel the driver wrote. */
static void config_refresh(VirtioInput *input)
{
    uint8_t *config = input->vdev.config;
    memset(config + VIRTIO_INPUT_CONFIG_SIZE, 0, VIRTIO_MAX_CONFIG - VIRTIO_INPUT_CONFIG_SIZE);
    config[VIRTIO_INPUT_CONFIG_SIZE] = (uint8_t)config_answer(
        input, config[VIRTIO_INPUT_CONFIG_SELECT], config[VIRTIO_INPUT_CONFIG_SUBSEL],
        config + VIRTIO_INPUT_CONFIG_UNION);
}

static void input_config_write(VirtioDevice *vdev, unsigned offset, unsigned size, uint32_t value)
{
    VirtioInput *input = (VirtioInput *)vdev;
    for (unsigned i = 0; i < size; i++) {
        unsigned at = offset + i;
        if (at == VIRTIO_INPUT_CONFIG_SELECT || at == VIRTIO_INPUT_CONFIG_SUBSEL)
            vdev->config[at] = (uint8_t)(value >> (8 * i));
        else
            log_guest_error("virtio %s: write to read-only config byte %u ignored\n",
                            vdev->cls->name, at);
    }
    config_refresh(input);
    /* As QEMU: a driver that queries while running hears of the change. */
    if (vdev->status & VIRTIO_STATUS_DRIVER_OK)
        virtio_config_changed(vdev);
}

/* ---- Events to the guest ---- */

/* Whether the device declares (type, code): the guest's input core drops
 * anything else, so it is not worth a buffer. */
static bool offers(const VirtioInput *input, uint16_t type, uint16_t code)
{
    if (input->kind == VIRTIO_INPUT_KEYBOARD && type == EV_KEY)
        return keymap_linux_to_qcode(code) != NULL; /* the bitmap's source, cheaper */
    uint8_t u[VIRTIO_INPUT_CONFIG_UNION_SIZE] = {0};
    unsigned size = event_bits(input, (uint8_t)type, u);
    return code / 8 < size && (u[code / 8] >> (code % 8)) & 1;
}

static void handle_event(void *opaque, InputKind kind, uint16_t code, int32_t value)
{
    VirtioInput *input = opaque;
    /* As QEMU: until its driver runs, the device has nowhere to put them. */
    if (!virtio_device_live(&input->vdev))
        return;
    uint16_t type = EV_KEY;
    if (kind == INPUT_REL) {
        type = EV_REL;
    } else if (kind == INPUT_ABS) {
        type = EV_ABS;
        value = value < 0 ? 0 : value > INPUT_ABS_MAX ? INPUT_ABS_MAX : value;
    }
    if (!offers(input, type, code))
        return;
    /* The sync's SYN_REPORT needs the last place. */
    if (input->n_pending + 1 >= VIRTIO_INPUT_QUEUE_SIZE) {
        input->overflow = true;
        return;
    }
    input->pending[input->n_pending++] = (VirtioInputEvent){type, code, value};
}

static void drop_group(VirtioInput *input, const char *why)
{
    warn_report_guest(input, "%s: %s: input dropped", input->vdev.cls->name, why);
}

/* Hands the group to the guest, one event a buffer, all or none (as
 * QEMU: half a key press is worse than none), with one interrupt. */
static void deliver_group(VirtioInput *input)
{
    VirtioDevice *vdev = &input->vdev;
    VirtQueue *vq = &vdev->queues[QUEUE_EVENT];
    unsigned n = input->n_pending;
    for (unsigned i = 0; i < n; i++) {
        if (virtio_pop(vdev, QUEUE_EVENT, &input->elem) != 1) {
            /* The buffers taken so far go back unused (what was written
             * into them is not published). */
            virtq_unpop(vq, (uint16_t)i);
            if (virtio_device_live(vdev))
                drop_group(input, "the guest's event queue is full");
            return;
        }
        const VirtioInputEvent *e = &input->pending[i];
        uint8_t raw[8];
        st_le16(raw, e->type);
        st_le16(raw + 2, e->code);
        st_le32(raw + 4, (uint32_t)e->value);
        /* A buffer too small gets what fits, as in QEMU; the driver
         * ignores an event of the wrong length. */
        size_t len = virtq_write(vdev->as, &input->elem, 0, raw, sizeof(raw));
        virtq_fill(vq, vdev->as, &input->elem, (uint32_t)len, (uint16_t)i);
    }
    virtq_flush(vq, vdev->as, (uint16_t)n);
    virtio_notify(vdev, QUEUE_EVENT);
}

static void handle_sync(void *opaque)
{
    VirtioInput *input = opaque;
    bool overflow = input->overflow;
    input->overflow = false;
    if (!input->n_pending || !virtio_device_live(&input->vdev)) {
        input->n_pending = 0;
        return;
    }
    if (overflow) {
        drop_group(input, "a group of events too long for the event queue");
    } else {
        input->pending[input->n_pending++] = (VirtioInputEvent){EV_SYN, LINUX_SYN_REPORT, 0};
        deliver_group(input);
    }
    input->n_pending = 0;
}

static const InputHandler keyboard_handler = {
    .name = "QEMU Virtio Keyboard",
    .mask = INPUT_MASK(INPUT_KEY),
    .event = handle_event,
    .sync = handle_sync,
};

static const InputHandler mouse_handler = {
    .name = "QEMU Virtio Mouse",
    .mask = INPUT_MASK(INPUT_BTN) | INPUT_MASK(INPUT_REL),
    .event = handle_event,
    .sync = handle_sync,
};

static const InputHandler tablet_handler = {
    .name = "QEMU Virtio Tablet",
    .mask = INPUT_MASK(INPUT_BTN) | INPUT_MASK(INPUT_ABS),
    .event = handle_event,
    .sync = handle_sync,
};

/* The wheel is relative motion, so a tablet with one takes that too. */
static const InputHandler tablet_wheel_handler = {
    .name = "QEMU Virtio Tablet",
    .mask = INPUT_MASK(INPUT_BTN) | INPUT_MASK(INPUT_ABS) | INPUT_MASK(INPUT_REL),
    .event = handle_event,
    .sync = handle_sync,
};

static const InputHandler *handler_of(const VirtioInput *input)
{
    switch (input->kind) {
    case VIRTIO_INPUT_KEYBOARD:
        return &keyboard_handler;
    case VIRTIO_INPUT_MOUSE:
        return &mouse_handler;
    case VIRTIO_INPUT_TABLET:
        break;
    }
    return input->wheel ? &tablet_wheel_handler : &tablet_handler;
}

/* Whether the handler is at the front of the routing follows whether the
 * driver runs: a guest that drives the device gets the input, as in QEMU,
 * and one that reset it gives it up to the others. ui/input.h has no
 * demotion, so a fresh registration (at the back) stands for one. */
static void set_active(VirtioInput *input, bool active)
{
    if (active == input->active || !input->handler)
        return;
    if (active) {
        input_handler_activate(input->handler);
    } else {
        input_handler_unregister(input->handler);
        input->handler = input_handler_register(handler_of(input), input);
    }
    input->active = active;
}

/* ---- Status from the guest ---- */

/* The driver's status events: only the keyboard's LEDs mean anything. */
static int64_t take_status(VirtioDevice *vdev, VirtqElement *e)
{
    VirtioInput *input = (VirtioInput *)vdev;
    uint8_t raw[8];
    if (virtq_read(e, 0, raw, sizeof(raw)) < sizeof(raw)) {
        log_guest_error("virtio %s: status event shorter than 8 bytes ignored\n", vdev->cls->name);
        return 0;
    }
    uint16_t type = ld_le16(raw), code = ld_le16(raw + 2);
    uint32_t value = ld_le32(raw + 4);
    if (input->kind != VIRTIO_INPUT_KEYBOARD || type != EV_LED || code > LINUX_LED_SCROLLL) {
        log_guest_error("virtio %s: status event type %u code %u ignored\n", vdev->cls->name, type,
                        code);
        return 0;
    }
    if (value)
        input->leds |= (uint8_t)(1u << code);
    else
        input->leds &= (uint8_t) ~(1u << code);
    return 0;
}

static void input_notify(VirtioDevice *vdev, unsigned n)
{
    /* New event buffers need nothing now: a group that found none was
     * dropped, as in QEMU, since stale input is worse than lost input. */
    if (n == QUEUE_STATUS)
        virtio_process_queue(vdev, QUEUE_STATUS, &((VirtioInput *)vdev)->elem, take_status);
}

static void input_driver_ok(VirtioDevice *vdev)
{
    set_active((VirtioInput *)vdev, true);
}

static void input_reset(VirtioDevice *vdev)
{
    VirtioInput *input = (VirtioInput *)vdev;
    input->n_pending = 0;
    input->overflow = false;
    input->leds = 0;
    set_active(input, false);
}

#define VIRTIO_INPUT_CLASS(qemu_name)                                                              \
    {                                                                                              \
        .name = qemu_name, .device_id = VIRTIO_ID_INPUT, .num_queues = 2,                          \
        .queue_size_max = VIRTIO_INPUT_QUEUE_SIZE, .notify = input_notify, .reset = input_reset,   \
        .driver_ok = input_driver_ok, .config_write = input_config_write,                          \
    }

static const VirtioDeviceClass input_classes[] = {
    [VIRTIO_INPUT_KEYBOARD] = VIRTIO_INPUT_CLASS("virtio-keyboard-device"),
    [VIRTIO_INPUT_MOUSE] = VIRTIO_INPUT_CLASS("virtio-mouse-device"),
    [VIRTIO_INPUT_TABLET] = VIRTIO_INPUT_CLASS("virtio-tablet-device"),
};

bool virtio_input_init(VirtioInput *input, AddressSpace *as, VirtioInputKind kind, bool wheel,
                       const char *serial)
{
    memset(input, 0, sizeof(*input));
    input->kind = kind;
    input->wheel = kind != VIRTIO_INPUT_KEYBOARD && wheel;
    if (serial)
        snprintf(input->serial, sizeof(input->serial), "%s", serial);
    virtio_device_init(&input->vdev, &input_classes[kind], as,
                       VIRTIO_F_INDIRECT_DESC | VIRTIO_F_EVENT_IDX, config_space_size(input));
    config_refresh(input);
    input->handler = input_handler_register(handler_of(input), input);
    return input->handler != NULL;
}

void virtio_input_destroy(VirtioInput *input)
{
    input_handler_unregister(input->handler);
    input->handler = NULL;
}

/* ---- Device types ---- */

static bool input_realize(Device *dev, const DeviceContext *ctx, VirtioInputKind kind, char *err,
                          size_t errlen)
{
    const char *serial = device_prop(dev, "serial");
    if (serial && strlen(serial) > VIRTIO_INPUT_SERIAL_MAX) {
        snprintf(err, errlen, "%s: serial is longer than %d characters", dev->type->name,
                 VIRTIO_INPUT_SERIAL_MAX);
        return false;
    }
    bool wheel = kind != VIRTIO_INPUT_KEYBOARD && device_prop_bool(dev, "wheel-axis");
    if (!virtio_input_init(dev->state, ctx->as, kind, wheel, serial)) {
        snprintf(err, errlen, "%s: out of memory", dev->type->name);
        return false;
    }
    return true;
}

static bool keyboard_realize(Device *dev, const DeviceContext *ctx, char *err, size_t errlen)
{
    return input_realize(dev, ctx, VIRTIO_INPUT_KEYBOARD, err, errlen);
}

static bool mouse_realize(Device *dev, const DeviceContext *ctx, char *err, size_t errlen)
{
    return input_realize(dev, ctx, VIRTIO_INPUT_MOUSE, err, errlen);
}

static bool tablet_realize(Device *dev, const DeviceContext *ctx, char *err, size_t errlen)
{
    return input_realize(dev, ctx, VIRTIO_INPUT_TABLET, err, errlen);
}

static void input_unrealize(Device *dev)
{
    virtio_input_destroy(dev->state);
}

static VirtioDevice *input_virtio(Device *dev)
{
    return &((VirtioInput *)dev->state)->vdev;
}

static const DeviceProperty keyboard_props[] = {
    {.name = "serial", .type = PROP_STRING, .help = "the ID_SERIAL string the guest reads"},
    {0},
};

static const DeviceProperty pointer_props[] = {
    {.name = "serial", .type = PROP_STRING, .help = "the ID_SERIAL string the guest reads"},
    {.name = "wheel-axis",
     .type = PROP_BOOL,
     .default_value = "on",
     .help = "a scroll wheel (REL_WHEEL)"},
    {0},
};

/* What is not saved comes from the type and its properties (and the
 * config space's answer from the saved select and subsel); a group being
 * assembled never outlives the main-loop turn that brought its events. */
static void input_post_load(void *object)
{
    VirtioInput *input = object;
    input->vdev.config_size = config_space_size(input);
    input->leds &= LED_MASK;
    config_refresh(input);
    input->n_pending = 0;
    input->overflow = false;
    set_active(input, virtio_device_live(&input->vdev));
}

static const StateField input_fields[] = {
    STATE_STRUCT(VirtioInput, vdev, &virtio_device_state),
    STATE_UINT(VirtioInput, leds),
    STATE_END,
};

static const StateField input_unsaved[] = {
    STATE_UNSAVED(VirtioInput, kind),      STATE_UNSAVED(VirtioInput, wheel),
    STATE_UNSAVED(VirtioInput, serial),    STATE_UNSAVED(VirtioInput, handler),
    STATE_UNSAVED(VirtioInput, active),    STATE_UNSAVED(VirtioInput, pending),
    STATE_UNSAVED(VirtioInput, n_pending), STATE_UNSAVED(VirtioInput, overflow),
    STATE_UNSAVED(VirtioInput, elem),      STATE_END,
};

/* One section name for the three: the kind is the device's, not the
 * stream's, and each type's section is only ever loaded into its own. */
static const StateDescription input_state = {
    .name = "virtio-input",
    .c_type = "VirtioInput",
    .version = 1,
    .struct_size = sizeof(VirtioInput),
    .fields = input_fields,
    .unsaved = input_unsaved,
    .post_load = input_post_load,
};

const DeviceType virtio_keyboard_type = {
    .name = "virtio-keyboard-device",
    .desc = "Virtio keyboard (QEMU Virtio Keyboard)",
    .bus = "virtio-bus",
    .state_size = sizeof(VirtioInput),
    .props = keyboard_props,
    .realize = keyboard_realize,
    .unrealize = input_unrealize,
    .virtio = input_virtio,
    .state = &input_state,
};

const DeviceType virtio_mouse_type = {
    .name = "virtio-mouse-device",
    .desc = "Virtio mouse: relative motion (QEMU Virtio Mouse)",
    .bus = "virtio-bus",
    .state_size = sizeof(VirtioInput),
    .props = pointer_props,
    .realize = mouse_realize,
    .unrealize = input_unrealize,
    .virtio = input_virtio,
    .state = &input_state,
};

const DeviceType virtio_tablet_type = {
    .name = "virtio-tablet-device",
    .desc = "Virtio tablet: absolute pointer (QEMU Virtio Tablet)",
    .bus = "virtio-bus",
    .state_size = sizeof(VirtioInput),
    .props = pointer_props,
    .realize = tablet_realize,
    .unrealize = input_unrealize,
    .virtio = input_virtio,
    .state = &input_state,
};
