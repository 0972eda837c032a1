/* hw/virtio/console.c: virtio-console without the multiport extension:
 * queue 0 carries input to the guest, queue 1 output from it. */
#include "hw/virtio/console.h"
#include "hw/device.h"

enum { QUEUE_RX = 0, QUEUE_TX = 1 };

/* struct virtio_console_config: cols, rows, max_nr_ports, emerg_wr. */
#define CONFIG_SIZE 12

static size_t con_can_receive(void *opaque)
{
    VirtioConsole *con = opaque;
    if (!con->rx_held)
        con->rx_held = virtio_pop(&con->vdev, QUEUE_RX, &con->rx) == 1;
    return con->rx_held ? (size_t)con->rx.in_len : 0;
}

static void con_receive(void *opaque, const uint8_t *buf, size_t len)
{
    VirtioConsole *con = opaque;
    if (!con->rx_held)
        return;
    size_t n = virtq_write(con->vdev.as, &con->rx, 0, buf, len);
    virtio_push(&con->vdev, QUEUE_RX, &con->rx, (uint32_t)n);
    con->rx_held = false;
    virtio_notify(&con->vdev, QUEUE_RX);
}

/* Output: the readable buffers go to the chardev; nothing is written back. */
static int64_t write_output(VirtioDevice *vdev, VirtqElement *e)
{
    VirtioConsole *con = (VirtioConsole *)vdev;
    for (unsigned s = 0; con->chr && s < e->out_num; s++)
        chardev_write(con->chr, e->seg[s].host, e->seg[s].len);
    return 0;
}

static void con_notify(VirtioDevice *vdev, unsigned n)
{
    VirtioConsole *con = (VirtioConsole *)vdev;
    if (n == QUEUE_RX) {
        /* New receive buffers: input waiting in the chardev can go now. */
        if (con->chr)
            chardev_accept_input(con->chr);
        return;
    }
    virtio_process_queue(vdev, QUEUE_TX, &con->tx, write_output);
}

static void con_driver_ok(VirtioDevice *vdev)
{
    VirtioConsole *con = (VirtioConsole *)vdev;
    if (con->chr)
        chardev_accept_input(con->chr);
}

static void con_reset(VirtioDevice *vdev)
{
    ((VirtioConsole *)vdev)->rx_held = false;
}

static const VirtioDeviceClass virtio_console_class = {
    .name = "virtconsole",
    .device_id = VIRTIO_ID_CONSOLE,
    .num_queues = 2,
    .queue_size_max = 128,
    .notify = con_notify,
    .reset = con_reset,
    .driver_ok = con_driver_ok,
};

void virtio_console_init(VirtioConsole *con, AddressSpace *as, Chardev *chr)
{
    virtio_device_init(&con->vdev, &virtio_console_class, as, VIRTIO_F_EVENT_IDX, CONFIG_SIZE);
    con->chr = chr;
    con->rx_held = false;
    if (chr) {
        ChardevFrontend frontend = {con_can_receive, con_receive, con, NULL, false};
        /* Devices are connected first and each -chardev serves one device
         * (board_devices.c), so there is always room. */
        (void)chardev_add_frontend(chr, &frontend);
    }
}

/* ---- Device types ---- */

static bool console_realize(Device *dev, const DeviceContext *ctx, char *err, size_t errlen)
{
    const char *id = device_prop(dev, "chardev");
    Chardev *chr = NULL;
    if (id && !(chr = ctx->chardev(ctx->board, id, err, errlen)))
        return false;
    virtio_console_init(dev->state, ctx->as, chr);
    return true;
}

static VirtioDevice *console_virtio(Device *dev)
{
    return &((VirtioConsole *)dev->state)->vdev;
}

static const DeviceProperty console_props[] = {
    {.name = "chardev",
     .type = PROP_CHARDEV,
     .default_value = NULL,
     .help = "the port's -chardev (none: output dropped, no input)"},
    {0},
};

/* A receive buffer held for input that has not come goes back to the
 * queue (the driver's entry is simply taken again later), so no element
 * with host pointers is in flight in a saved state. */
static void console_pre_save(void *object)
{
    VirtioConsole *con = object;
    if (con->rx_held) {
        con->vdev.queues[QUEUE_RX].last_avail_idx--;
        con->rx_held = false;
    }
}

static const StateField console_fields[] = {
    STATE_STRUCT(VirtioConsole, vdev, &virtio_device_state),
    STATE_BOOL(VirtioConsole, rx_held),
    STATE_END,
};

static const StateField console_unsaved[] = {
    STATE_UNSAVED(VirtioConsole, chr),
    STATE_UNSAVED(VirtioConsole, rx),
    STATE_UNSAVED(VirtioConsole, tx),
    STATE_END,
};

static const StateDescription console_state = {
    .name = "virtconsole",
    .c_type = "VirtioConsole",
    .version = 1,
    .struct_size = sizeof(VirtioConsole),
    .fields = console_fields,
    .unsaved = console_unsaved,
    .pre_save = console_pre_save,
};

/* QEMU's pair "-device virtio-serial-device -device virtconsole,chardev=X"
 * is one device here: the board hands the port's chardev to the serial
 * device just before it (see machine/board_devices.c). */
const DeviceType virtconsole_type = {
    .name = "virtconsole",
    .desc = "Virtio console (one port, hvc0)",
    .bus = "virtio-serial-bus",
    .state_size = sizeof(VirtioConsole),
    .props = console_props,
    .realize = console_realize,
    .virtio = console_virtio,
    .state = &console_state,
};

const DeviceType virtio_serial_type = {
    .name = "virtio-serial-device",
    .desc = "Virtio serial (one port, no multiport: a virtconsole joins it)",
    .bus = "virtio-bus",
    .state_size = sizeof(VirtioConsole),
    .realize = console_realize,
    .virtio = console_virtio,
    .state = &console_state,
};
