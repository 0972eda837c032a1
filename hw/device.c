/* hw/device.c: the device model: creating devices from their properties,
 * realizing and resetting them, and listing what exists. */
#include "hw/device.h"

#include <stdlib.h>
#include <string.h>

#include "hw/devices.h"
#include "util/keyval.h"
#include "util/options.h"

static const char *const prop_type_names[] = {
    [PROP_STRING] = "str",
    [PROP_BOOL] = "bool",
    [PROP_UINT] = "uint64",
    [PROP_SIZE] = "size",
    [PROP_CHARDEV] = "str (a -chardev id)",
    [PROP_DRIVE] = "str (a -drive id)",
    [PROP_NETDEV] = "str (a -netdev id)",
};

const DeviceType *device_type_find(const char *name)
{
    for (const DeviceType *const *t = device_types; *t; t++)
        if (strcmp((*t)->name, name) == 0)
            return *t;
    return NULL;
}

void device_list_types(FILE *out)
{
    for (const DeviceType *const *t = device_types; *t; t++) {
        fprintf(out, "name \"%s\"", (*t)->name);
        if ((*t)->bus)
            fprintf(out, ", bus %s", (*t)->bus);
        fprintf(out, ", desc \"%s\"\n", (*t)->desc);
    }
}

void device_list_properties(const DeviceType *type, FILE *out)
{
    fprintf(out, "%s options:\n", type->name);
    fprintf(out, "  %-22s - %s\n", "id=<str>", "the device's name, unique among devices");
    for (const DeviceProperty *p = type->props; p && p->name; p++) {
        char left[64];
        snprintf(left, sizeof(left), "%s=<%s>", p->name, prop_type_names[p->type]);
        fprintf(out, "  %-22s - %s", left, p->help);
        if (p->default_value)
            fprintf(out, " (default: %s)", p->default_value);
        if (p->required)
            fprintf(out, " (required)");
        fputc('\n', out);
    }
}

static int prop_index(const DeviceType *type, const char *name)
{
    for (int i = 0; type->props && type->props[i].name; i++)
        if (strcmp(type->props[i].name, name) == 0)
            return i;
    return -1;
}

static bool check_value(const DeviceType *type, const DeviceProperty *p, const char *value,
                        char *err, size_t errlen)
{
    bool flag;
    unsigned long long number;
    bool ok = true;
    switch (p->type) {
    case PROP_BOOL:
        ok = keyval_bool(value, &flag);
        break;
    case PROP_UINT:
        ok = parse_uint(value, UINT64_MAX, &number);
        break;
    case PROP_SIZE: {
        /* QEMU's sizes: a bare number is bytes here, unlike -m's MiB. */
        uint64_t bytes;
        ok = parse_uint(value, UINT64_MAX, &number) || parse_size(value, &bytes);
        break;
    }
    case PROP_CHARDEV:
    case PROP_DRIVE:
    case PROP_NETDEV:
        ok = *value != '\0' && !strpbrk(value, " ,=");
        break;
    case PROP_STRING:
        break;
    }
    if (!ok)
        snprintf(err, errlen, "-device %s: %s=%s: expected %s", type->name, p->name, value,
                 prop_type_names[p->type]);
    return ok;
}

Device *device_create(const DeviceType *type, const char *props, char *err, size_t errlen)
{
    Device *dev = calloc(1, sizeof(*dev));
    if (!dev) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    dev->type = type;
    char option[64];
    snprintf(option, sizeof(option), "-device %s", type->name);
    KeyVal kv;
    for (const char *p = props ? props : ""; *p;) {
        if (!keyval_next(&p, false, NULL, &kv, option, err, errlen))
            goto fail;
        if (strcmp(kv.key, "id") == 0) {
            if (kv.value[0] == '\0' || strlen(kv.value) >= sizeof(dev->id) ||
                strpbrk(kv.value, " ,=")) {
                snprintf(err, errlen, "%s: invalid id '%s'", option, kv.value);
                goto fail;
            }
            strcpy(dev->id, kv.value);
            continue;
        }
        int i = prop_index(type, kv.key);
        if (i < 0) {
            snprintf(err, errlen, "%s: no property '%s' (-device %s,help lists them)", option,
                     kv.key, type->name);
            goto fail;
        }
        if (!check_value(type, &type->props[i], kv.value, err, errlen))
            goto fail;
        free(dev->values[i]);
        dev->values[i] = strdup(kv.value);
        if (!dev->values[i]) {
            snprintf(err, errlen, "out of memory");
            goto fail;
        }
    }
    for (int i = 0; type->props && type->props[i].name; i++) {
        if (type->props[i].required && !dev->values[i]) {
            snprintf(err, errlen, "%s: needs %s=", option, type->props[i].name);
            goto fail;
        }
    }
    return dev;
fail:
    device_destroy(dev);
    return NULL;
}

bool device_realize(Device *dev, const DeviceContext *ctx, char *err, size_t errlen)
{
    dev->state = calloc(1, dev->type->state_size ? dev->type->state_size : 1);
    if (!dev->state) {
        snprintf(err, errlen, "out of memory");
        return false;
    }
    if (dev->type->realize && !dev->type->realize(dev, ctx, err, errlen)) {
        free(dev->state);
        dev->state = NULL;
        return false;
    }
    return true;
}

void device_reset(Device *dev)
{
    if (dev->state && dev->type->reset)
        dev->type->reset(dev);
}

void device_destroy(Device *dev)
{
    if (!dev)
        return;
    if (dev->state && dev->type->unrealize)
        dev->type->unrealize(dev);
    free(dev->state);
    for (int i = 0; i < DEVICE_MAX_PROPS; i++)
        free(dev->values[i]);
    free(dev);
}

const char *device_prop(const Device *dev, const char *name)
{
    int i = prop_index(dev->type, name);
    if (i < 0)
        return NULL;
    return dev->values[i] ? dev->values[i] : dev->type->props[i].default_value;
}

uint64_t device_prop_uint(const Device *dev, const char *name)
{
    const char *value = device_prop(dev, name);
    unsigned long long number = 0;
    uint64_t bytes = 0;
    if (value && parse_uint(value, UINT64_MAX, &number))
        return number;
    return value && parse_size(value, &bytes) ? bytes : 0;
}

bool device_prop_bool(const Device *dev, const char *name)
{
    const char *value = device_prop(dev, name);
    bool flag = false;
    return value && keyval_bool(value, &flag) && flag;
}
