/* monitor/ui.c: the display's and input's commands, with QEMU's arguments
 * and errors: screendump, send-key (HMP sendkey) and input-send-event. */
#include <string.h>

#include "monitor/monitor_internal.h"
#include "ui/console.h"
#include "ui/input.h"
#include "ui/keymap.h"

/* Whether the machine has a device with this id (a console's name is its
 * device's id, or its type's name when it has none). */
static bool device_exists(const MonitorCall *c, const char *name)
{
    const MonitorTarget *t = &c->set->t;
    Device *dev;
    for (unsigned i = 0; t->device && (dev = t->device(t->opaque, i)) != NULL; i++)
        if (strcmp(dev->id, name) == 0)
            return true;
    return false;
}

static void cmd_screendump(MonitorCall *c)
{
    const char *device = arg_str(c, "device");
    long long head = arg_int(c, "head", 0);
    const char *format = arg_str(c, "format");
    ScreendumpFormat fmt = SCREENDUMP_PPM;
    if (format && strcmp(format, "png") == 0) {
        fmt = SCREENDUMP_PNG;
    } else if (format && strcmp(format, "ppm") != 0) {
        monitor_error(c, "GenericError", "Parameter 'format' does not accept value '%s'", format);
        return;
    }
    if (json_object_get(c->args, "head") && !device) {
        monitor_error(c, "GenericError", "'head' must be specified together with 'device'");
        return;
    }
    if (head < 0 || head > 0xffff) {
        monitor_error(c, "GenericError", "Parameter 'head' is out of range");
        return;
    }
    DisplayConsole *con = display_console_find(device, (unsigned)head);
    if (!con && device && !display_console_find(device, 0) && !device_exists(c, device)) {
        monitor_error(c, "DeviceNotFound", "Device '%s' not found", device);
        return;
    }
    if (!con) {
        if (device)
            monitor_error(c, "GenericError", "Device %s (head %lld) is not bound to a console",
                          device, head);
        else
            monitor_error(c, "GenericError", "There is no console to take a screendump from.");
        return;
    }
    char err[512];
    if (!display_screendump(con, arg_str(c, "filename"), fmt, err, sizeof(err)))
        monitor_error(c, "GenericError", "%s", err);
}

/* A KeyValue: {"type": "qcode", "data": NAME} (QMP), or a name (HMP's
 * "ctrl-alt-f1" split at '-'). Numbers (QEMU's scancodes) are not taken. */
/* A key by QEMU's name (QKeyCode), as its Linux code; -1 (reported) when
 * there is no such key. */
static int key_named(MonitorCall *c, const char *name)
{
    int code = name ? keymap_qcode_to_linux(name) : -1;
    if (code < 0)
        monitor_error(c, "GenericError", "Parameter 'keys' has an invalid key '%s'",
                      name ? name : "?");
    return code;
}

static int key_code(MonitorCall *c, const json_t *key)
{
    const char *name = json_string_value(key);
    if (!name && json_is_object(key)) {
        const char *type = json_string_value(json_object_get(key, "type"));
        if (!type || strcmp(type, "qcode") != 0) {
            monitor_error(c, "GenericError", "ember takes keys as qcodes only");
            return -1;
        }
        name = json_string_value(json_object_get(key, "data"));
    }
    return key_named(c, name);
}

#define MAX_KEYS 16

/* The keys go down in order and come up in reverse, each step its own
 * event group, as a person's chord. */
static void cmd_send_key(MonitorCall *c)
{
    json_t *keys = json_object_get(c->args, "keys");
    int codes[MAX_KEYS];
    size_t n = 0;
    if (json_is_string(keys)) {
        char text[256];
        snprintf(text, sizeof(text), "%s", json_string_value(keys));
        for (char *save = NULL, *k = strtok_r(text, "-", &save); k;
             k = strtok_r(NULL, "-", &save)) {
            if (n == MAX_KEYS) {
                monitor_error(c, "GenericError", "at most %d keys at once", MAX_KEYS);
                return;
            }
            if ((codes[n++] = key_named(c, k)) < 0)
                return;
        }
    } else {
        size_t i;
        json_t *key;
        json_array_foreach(keys, i, key)
        {
            if (n == MAX_KEYS) {
                monitor_error(c, "GenericError", "at most %d keys at once", MAX_KEYS);
                return;
            }
            if ((codes[n++] = key_code(c, key)) < 0)
                return;
        }
    }
    if (n == 0) {
        monitor_error(c, "GenericError", "Parameter 'keys' needs at least one key");
        return;
    }
    for (size_t i = 0; i < n; i++) {
        input_event(INPUT_KEY, (uint16_t)codes[i], 1);
        input_sync();
    }
    for (size_t i = n; i-- > 0;) {
        input_event(INPUT_KEY, (uint16_t)codes[i], 0);
        input_sync();
    }
}

static bool axis_code(const char *axis, uint16_t x, uint16_t y, uint16_t *code)
{
    if (axis && strcmp(axis, "x") == 0)
        *code = x;
    else if (axis && strcmp(axis, "y") == 0)
        *code = y;
    else
        return false;
    return true;
}

/* QEMU's InputButton names; the wheel's are steps of a relative axis. */
static const struct {
    const char *name;
    InputKind kind;
    uint16_t code;
    int value; /* a wheel's step (sent on the press only) */
} input_buttons[] = {
    {"left", INPUT_BTN, BTN_LEFT, 0},          {"middle", INPUT_BTN, BTN_MIDDLE, 0},
    {"right", INPUT_BTN, BTN_RIGHT, 0},        {"side", INPUT_BTN, BTN_SIDE, 0},
    {"extra", INPUT_BTN, BTN_EXTRA, 0},        {"wheel-up", INPUT_REL, REL_WHEEL, 1},
    {"wheel-down", INPUT_REL, REL_WHEEL, -1},  {"wheel-left", INPUT_REL, REL_HWHEEL, -1},
    {"wheel-right", INPUT_REL, REL_HWHEEL, 1},
};

static int button_index(const char *name)
{
    for (size_t i = 0; name && i < sizeof(input_buttons) / sizeof(input_buttons[0]); i++)
        if (strcmp(name, input_buttons[i].name) == 0)
            return (int)i;
    return -1;
}

/* One InputEvent: key, btn, rel or abs. Checked whole before any is sent. */
static bool input_one(MonitorCall *c, const json_t *ev, bool send)
{
    const char *type = json_string_value(json_object_get(ev, "type"));
    const json_t *data = json_object_get(ev, "data");
    if (!type || !json_is_object(data)) {
        monitor_error(c, "GenericError", "an input event needs 'type' and 'data'");
        return false;
    }
    if (strcmp(type, "key") == 0) {
        const json_t *down = json_object_get(data, "down");
        int code = key_code(c, json_object_get(data, "key"));
        if (code < 0)
            return false;
        if (!json_is_boolean(down)) {
            monitor_error(c, "GenericError", "key needs 'down'");
            return false;
        }
        if (send)
            input_event(INPUT_KEY, (uint16_t)code, json_is_true(down));
        return true;
    }
    if (strcmp(type, "btn") == 0) {
        const json_t *down = json_object_get(data, "down");
        int b = button_index(json_string_value(json_object_get(data, "button")));
        if (b < 0 || !json_is_boolean(down)) {
            monitor_error(c, "GenericError", "btn needs 'down' and a known 'button'");
            return false;
        }
        if (!send)
            return true;
        if (input_buttons[b].kind == INPUT_BTN)
            input_event(INPUT_BTN, input_buttons[b].code, json_is_true(down));
        else if (json_is_true(down))
            input_event(INPUT_REL, input_buttons[b].code, input_buttons[b].value);
        return true;
    }
    bool rel = strcmp(type, "rel") == 0;
    if (rel || strcmp(type, "abs") == 0) {
        uint16_t code;
        const json_t *value = json_object_get(data, "value");
        const char *axis = json_string_value(json_object_get(data, "axis"));
        if (!axis_code(axis, rel ? REL_X : ABS_X, rel ? REL_Y : ABS_Y, &code) ||
            !json_is_integer(value)) {
            monitor_error(c, "GenericError", "%s needs 'axis' (x or y) and an integer 'value'",
                          type);
            return false;
        }
        json_int_t v = json_integer_value(value);
        if (!rel && (v < 0 || v > INPUT_ABS_MAX)) {
            monitor_error(c, "GenericError", "abs values are 0 to %d", INPUT_ABS_MAX);
            return false;
        }
        if (send)
            input_event(rel ? INPUT_REL : INPUT_ABS, code, (int32_t)v);
        return true;
    }
    monitor_error(c, "GenericError", "Invalid parameter 'type' '%s'", type);
    return false;
}

static void cmd_input_send_event(MonitorCall *c)
{
    json_t *events = json_object_get(c->args, "events");
    size_t i;
    json_t *ev;
    json_array_foreach(events, i, ev)
    {
        if (!input_one(c, ev, false))
            return;
    }
    json_array_foreach(events, i, ev)
    {
        input_one(c, ev, true);
    }
    input_sync();
}

const MonitorCommand monitor_ui_commands[] = {
    {"screendump", "screendump", "filename:s,device:s?,head:i?,format:s?",
     "filename:F,format:-fs,device:s?,head:i?", "filename [-f format] [device [head]]",
     "save screen from head 'head' of display device 'device' in format 'format' (ppm or png) "
     "as image 'filename'",
     cmd_screendump, NULL},
    {"send-key", "sendkey", "keys:a,hold-time:i?", "keys:s,hold-time:i?", "keys [hold_ms]",
     "send keys to the VM (e.g. 'sendkey ctrl-alt-f1')", cmd_send_key, NULL},
    {"input-send-event", NULL, "events:a,device:s?,head:i?", NULL, NULL, NULL, cmd_input_send_event,
     NULL},
};

const size_t monitor_n_ui_commands = sizeof(monitor_ui_commands) / sizeof(monitor_ui_commands[0]);
