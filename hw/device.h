/* hw/device.h: the device model. A device type is a const description at
 * the bottom of its device's own file (name, state size, typed properties,
 * realize, reset, MMIO window, device-tree node); the board creates
 * devices from its table and from -device, and every board-level loop
 * (mapping, reset, device tree) runs over them. Devices schedule events on
 * the machine's timer list (util/timer.h), which the main loop runs. */
#ifndef EMBER_HW_DEVICE_H
#define EMBER_HW_DEVICE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "hw/irq.h"
#include "hw/power.h"
#include "util/state.h"
#include "softmmu/memory.h"
#include "util/timer.h"

typedef struct Chardev Chardev;
typedef struct BlockDevice BlockDevice;
typedef struct VirtioDevice VirtioDevice;
typedef struct NetClient NetClient;

typedef enum PropType {
    PROP_STRING,
    PROP_BOOL,    /* on/off, yes/no, true/false */
    PROP_UINT,    /* a plain decimal number */
    PROP_SIZE,    /* a size: a number with an optional K, M, G or T suffix (bytes) */
    PROP_CHARDEV, /* the id of a -chardev */
    PROP_DRIVE,   /* the id of a -drive */
    PROP_NETDEV,  /* the id of a -netdev */
} PropType;

typedef struct DeviceProperty {
    const char *name;
    PropType type;
    const char *default_value; /* as help shows it; NULL: none */
    const char *help;
    bool required;
} DeviceProperty;

#define DEVICE_MAX_PROPS 8
#define DEVICE_ID_SIZE 32

/* A RISC-V hart's interrupt inputs, by their number in mip. */
enum HartIrq {
    HART_IRQ_MSOFT = 3,
    HART_IRQ_MTIMER = 7,
    HART_IRQ_SEXT = 9,
    HART_IRQ_MEXT = 11,
};

/* What a device may use of the board while it is realized: wiring, never
 * state. */
typedef struct DeviceContext {
    AddressSpace *as;
    TimerList *timers;
    PowerControl power;
    unsigned n_harts;
    /* A hart's interrupt input (enum HartIrq). */
    IrqLine (*hart_irq)(void *board, unsigned hart, enum HartIrq irq);
    /* The backends named by PROP_CHARDEV, PROP_DRIVE and PROP_NETDEV
     * properties; NULL with err set when there is no such id or it is
     * already taken. */
    Chardev *(*chardev)(void *board, const char *id, char *err, size_t errlen);
    BlockDevice *(*drive)(void *board, const char *id, char *err, size_t errlen);
    NetClient *(*netdev)(void *board, const char *id, char *err, size_t errlen);
    void *board;
} DeviceContext;

/* What a device-tree node may refer to. */
typedef struct DeviceFdtContext {
    uint32_t plic_phandle;
    const uint32_t *hart_intc_phandles;
    unsigned n_harts;
} DeviceFdtContext;

typedef struct Device Device;

typedef struct DeviceType {
    const char *name; /* QEMU's spelling: "virtio-blk-device", "goldfish-rtc" */
    const char *desc;
    const char *bus;             /* as QEMU's -device help shows it; NULL: system */
    size_t state_size;           /* zeroed before realize */
    const DeviceProperty *props; /* ends with a NULL name; NULL: none */
    /* Connects and initialises the state from the properties; false with
     * one line naming the culprit in err. */
    bool (*realize)(Device *dev, const DeviceContext *ctx, char *err, size_t errlen);
    /* Machine reset; NULL: nothing to do. */
    void (*reset)(Device *dev);
    /* Releases what realize acquired; NULL: nothing. */
    void (*unrealize)(Device *dev);
    /* The register window, placed by the board; NULL: no MMIO. */
    const MemoryOps *mmio_ops;
    /* Its node inside /soc; NULL: none. 0 or a negative libfdt error. */
    int (*fdt_node)(Device *dev, void *fdt, const DeviceFdtContext *ctx);
    /* A virtio device: the virtio-mmio slot it plugs into gets this. */
    VirtioDevice *(*virtio)(Device *dev);
    /* What of state_size is saved (snapshots, migration); NULL: nothing
     * (the device has no state of its own). */
    const StateDescription *state;
} DeviceType;

struct Device {
    const DeviceType *type;
    char id[DEVICE_ID_SIZE]; /* empty: none given */
    void *state;             /* type->state_size bytes */
    uint64_t base, size;     /* MMIO window */
    unsigned irq_number;     /* the PLIC source (0: none) */
    uint32_t phandle;        /* its device-tree node's, when others refer to it */
    IrqLine irq;
    /* Property values as given, by the index in type->props; NULL: the
     * default. Checked against their type when the device is created. */
    char *values[DEVICE_MAX_PROPS];
};

/* Every device type, for -device and the board. */
const DeviceType *device_type_find(const char *name);
/* -device help, as QEMU lists them ("name "X", bus Y, desc "Z""). */
void device_list_types(FILE *out);
/* -device NAME,help: the properties with their types and defaults. */
void device_list_properties(const DeviceType *type, FILE *out);

/* A device of type from "KEY=VALUE,..." properties (QEMU's syntax, ",,"
 * escaping commas; "id" is every device's): NULL with one line naming the
 * culprit in err for an unknown property or a value of the wrong type.
 * Not realized yet. */
Device *device_create(const DeviceType *type, const char *props, char *err, size_t errlen);
bool device_realize(Device *dev, const DeviceContext *ctx, char *err, size_t errlen);
void device_reset(Device *dev);
/* Unrealizes (if it was realized) and frees. */
void device_destroy(Device *dev);

/* A property's value, or its default (NULL when it has none). */
const char *device_prop(const Device *dev, const char *name);
bool device_prop_bool(const Device *dev, const char *name);
/* A PROP_UINT or PROP_SIZE property's value (0 when unset). */
uint64_t device_prop_uint(const Device *dev, const char *name);

#endif
