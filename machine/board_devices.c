/* machine/board_devices.c: the devices the command line asks for, created
 * through the device registry and checked before anything is opened. */
#include "machine/board_devices.h"

#include <string.h>

#include "hw/devices.h"
#include "hw/virtio/console.h"
#include "util/keyval.h"

/* The device name of a -device spec, and where its properties start. */
static bool split_spec(const char *spec, KeyVal *name, const char **props, char *err, size_t errlen)
{
    const char *p = spec;
    if (!keyval_next(&p, true, "driver", name, "-device", err, errlen))
        return false;
    if (strcmp(name->key, "driver") != 0) {
        snprintf(err, errlen, "-device %s: the device name comes first", spec);
        return false;
    }
    *props = p;
    return true;
}

static bool asks_help(const char *props)
{
    KeyVal kv;
    char err[8];
    for (const char *p = props; *p;)
        if (!keyval_next(&p, false, NULL, &kv, "", err, sizeof(err)) || strcmp(kv.key, "help") == 0)
            return true;
    return false;
}

bool user_devices_help(const EmberOptions *opts, FILE *out, bool *failed, char *err, size_t errlen)
{
    *failed = false;
    for (unsigned i = 0; i < opts->ndevices; i++) {
        KeyVal name;
        const char *props;
        if (!split_spec(opts->devices[i].spec, &name, &props, err, errlen))
            continue; /* reported when the devices are created */
        if (strcmp(name.value, "help") == 0) {
            device_list_types(out);
            return true;
        }
        if (!asks_help(props))
            continue;
        const DeviceType *type = device_type_find(name.value);
        if (!type) {
            snprintf(err, errlen, "-device %s: unknown device (-device help lists them)",
                     name.value);
            *failed = true;
            return true;
        }
        device_list_properties(type, out);
        return true;
    }
    return false;
}

static const DriveOption *find_drive(const EmberOptions *opts, const char *id)
{
    for (unsigned i = 0; i < opts->ndrives; i++)
        if (strcmp(opts->drives[i].id, id) == 0)
            return &opts->drives[i];
    return NULL;
}

static bool chardev_exists(const EmberOptions *opts, const char *id)
{
    for (unsigned i = 0; i < opts->nchardevs; i++)
        if (strcmp(opts->chardevs[i].id, id) == 0)
            return true;
    return false;
}

static bool netdev_exists(const EmberOptions *opts, const char *id)
{
    for (unsigned i = 0; i < opts->nnetdevs; i++)
        if (strcmp(opts->netdevs[i].id, id) == 0)
            return true;
    return false;
}

/* Each -drive, -chardev and -netdev a property names exists and serves
 * one device. */
static bool check_references(const EmberOptions *opts, const UserDevices *d, char *err,
                             size_t errlen)
{
    for (unsigned i = 0; i < d->n; i++) {
        const DeviceType *type = d->dev[i]->type;
        for (const DeviceProperty *p = type->props; p && p->name; p++) {
            const char *id = device_prop(d->dev[i], p->name);
            if (!id || (p->type != PROP_DRIVE && p->type != PROP_CHARDEV && p->type != PROP_NETDEV))
                continue;
            bool drive = p->type == PROP_DRIVE;
            const char *what = drive ? "drive" : p->type == PROP_CHARDEV ? "chardev" : "netdev";
            const DriveOption *dr = drive ? find_drive(opts, id) : NULL;
            bool exists = drive                     ? dr != NULL
                          : p->type == PROP_CHARDEV ? chardev_exists(opts, id)
                                                    : netdev_exists(opts, id);
            if (!exists) {
                snprintf(err, errlen, "-device %s: no -%s with id=%s", type->name, what, id);
                return false;
            }
            for (unsigned j = 0; j < i; j++) {
                const char *other = device_prop(d->dev[j], p->name);
                if (other && strcmp(other, id) == 0) {
                    snprintf(err, errlen, "-device %s: %s '%s' is already in use%s", type->name,
                             what, id, drive && !dr->if_none ? " (give it if=none)" : "");
                    return false;
                }
            }
        }
    }
    return true;
}

static bool id_taken(const UserDevices *d, const char *id)
{
    for (unsigned i = 0; id[0] && i < d->n; i++)
        if (strcmp(d->dev[i]->id, id) == 0)
            return true;
    return false;
}

bool user_devices_create(const EmberOptions *opts, unsigned max_virtio, UserDevices *out, char *err,
                         size_t errlen)
{
    *out = (UserDevices){0};
    bool awaits_port = false; /* the last device is a virtio-serial-device */
    for (unsigned i = 0; i < opts->ndevices; i++) {
        const char *spec = opts->devices[i].spec;
        KeyVal name;
        const char *props;
        if (!split_spec(spec, &name, &props, err, errlen))
            goto fail;
        const DeviceType *type = device_type_find(name.value);
        if (!type) {
            snprintf(err, errlen, "-device: unknown device '%s' (-device help lists them)",
                     name.value);
            goto fail;
        }
        Device *dev = device_create(type, props, err, errlen);
        if (!dev)
            goto fail;
        if (id_taken(out, dev->id)) {
            snprintf(err, errlen, "-device %s: Duplicate ID '%s' for device", spec, dev->id);
            device_destroy(dev);
            goto fail;
        }
        if (type == &virtconsole_type && awaits_port) {
            /* The port of the virtio-serial-device just given: one device,
             * known by the serial device's id. */
            Device *serial = out->dev[--out->n];
            if (serial->id[0])
                strcpy(dev->id, serial->id);
            device_destroy(serial);
        }
        awaits_port = type == &virtio_serial_type;
        out->dev[out->n++] = dev;
        if (out->n > max_virtio) {
            snprintf(err, errlen,
                     "too many virtio devices: the virt board has %u virtio-mmio slots",
                     max_virtio);
            goto fail;
        }
    }
    if (check_references(opts, out, err, errlen))
        return true;
fail:
    user_devices_free(out);
    return false;
}

void user_devices_free(UserDevices *devices)
{
    for (unsigned i = 0; i < devices->n; i++)
        device_destroy(devices->dev[i]);
    *devices = (UserDevices){0};
}
