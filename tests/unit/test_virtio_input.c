/* tests/unit/test_virtio_input.c: unit tests for hw/virtio/input.c: a
 * driver written here queries the config space and hands the device event
 * and status buffers through its virtio-mmio registers, and the front
 * ends' side is ui/input.h's input_event/input_sync, as the SDL window and
 * the monitor call them. */
#include <stdlib.h>
#include <string.h>

#include "hw/virtio/input.h"
#include "hw/virtio/mmio.h"
#include "tests/unit/harness.h"
#include "ui/input.h"
#include "util/le.h"
#include "util/log.h"

#define RAM_BASE 0x80000000ull
#define RAM_SIZE (1ull << 20)
#define ROM_BASE 0x1000ull
#define QSIZE 16
/* Each queue's rings: the event queue's, then the status queue's. */
#define QUEUE_BASE(q) (RAM_BASE + 0x4000ull * (q))
#define DESC(q) (QUEUE_BASE(q) + 0x0000)
#define AVAIL(q) (QUEUE_BASE(q) + 0x1000)
#define USED(q) (QUEUE_BASE(q) + 0x2000)
/* One 16-byte slot per descriptor, per queue. */
#define BUF(q, i) (RAM_BASE + 0x10000 + 0x1000ull * (q) + 16ull * (i))

enum { EVENTQ = 0, STATUSQ = 1 };
/* Linux codes the tests use. */
enum {
    KEY_A = 30,
    KEY_CAPSLOCK = 58,
    KEY_F24 = 194,
    KEY_MEDIA = 226,
    KEY_WWW = 150,
    BTN_TOUCH = 0x14a,
    BTN_GEAR_UP = 0x151,
};

typedef struct Slot {
    AddressSpace as;
    VirtioMmio mmio;
    Device *dev;
    VirtioDevice *vdev;
    unsigned next_desc[2]; /* next free descriptor of each queue */
    unsigned interrupts;   /* rising edges of the interrupt line */
    bool level;
} Slot;

/* Two devices at most: routing between them is tested too. */
static Slot slots[2];

static void set_irq(void *opaque, unsigned n, bool level)
{
    (void)n;
    Slot *s = opaque;
    if (level && !s->level)
        s->interrupts++;
    s->level = level;
}

static uint8_t *ram(Slot *s, uint64_t addr)
{
    return memory_host_ptr(&s->as, addr, 1);
}

static uint32_t rd(Slot *s, unsigned offset)
{
    return (uint32_t)virtio_mmio_ops.read(&s->mmio, offset, 4);
}

static void wr(Slot *s, unsigned offset, uint32_t value)
{
    virtio_mmio_ops.write(&s->mmio, offset, value, 4);
}

static uint8_t cfg8(Slot *s, unsigned offset)
{
    return (uint8_t)virtio_mmio_ops.read(&s->mmio, VIRTIO_MMIO_CONFIG + offset, 1);
}

/* Selects (select, subsel) as Linux's driver does, byte by byte; returns
 * the size the device answers. */
static unsigned query(Slot *s, uint8_t select, uint8_t subsel)
{
    virtio_mmio_ops.write(&s->mmio, VIRTIO_MMIO_CONFIG + 0, select, 1);
    virtio_mmio_ops.write(&s->mmio, VIRTIO_MMIO_CONFIG + 1, subsel, 1);
    return cfg8(s, 2);
}

static bool bit_set(Slot *s, unsigned bit)
{
    return (cfg8(s, 8 + bit / 8) >> (bit % 8)) & 1;
}

static Slot *plug(unsigned n, const DeviceType *type, const char *props)
{
    Slot *s = &slots[n];
    memset(&s->as, 0, sizeof(s->as));
    ck_assert_ptr_nonnull(memory_add_ram(&s->as, "ram", RAM_BASE, RAM_SIZE));
    ck_assert_ptr_nonnull(memory_add_rom(&s->as, "rom", ROM_BASE, 0x1000));
    char err[256];
    s->dev = device_create(type, props, err, sizeof(err));
    ck_assert_msg(s->dev != NULL, "%s", err);
    DeviceContext ctx = {.as = &s->as};
    ck_assert_msg(device_realize(s->dev, &ctx, err, sizeof(err)), "%s", err);
    s->vdev = type->virtio(s->dev);
    virtio_mmio_init(&s->mmio, s->vdev, (IrqLine){set_irq, s, 1});
    s->next_desc[0] = s->next_desc[1] = 0;
    s->interrupts = 0;
    s->level = false;
    return s;
}

static void unplug_all(void)
{
    for (unsigned n = 0; n < 2; n++) {
        if (slots[n].dev) {
            device_destroy(slots[n].dev);
            slots[n].dev = NULL;
            memory_destroy(&slots[n].as);
        }
    }
}

static void setup(void)
{
    memset(slots, 0, sizeof(slots));
}

static void teardown(void)
{
    unplug_all();
}

static void setup_queue(Slot *s, unsigned q)
{
    wr(s, VIRTIO_MMIO_QUEUE_SEL, q);
    wr(s, VIRTIO_MMIO_QUEUE_NUM, QSIZE);
    wr(s, VIRTIO_MMIO_QUEUE_DESC_LOW, (uint32_t)DESC(q));
    wr(s, VIRTIO_MMIO_QUEUE_DESC_HIGH, (uint32_t)(DESC(q) >> 32));
    wr(s, VIRTIO_MMIO_QUEUE_DRIVER_LOW, (uint32_t)AVAIL(q));
    wr(s, VIRTIO_MMIO_QUEUE_DRIVER_HIGH, (uint32_t)(AVAIL(q) >> 32));
    wr(s, VIRTIO_MMIO_QUEUE_DEVICE_LOW, (uint32_t)USED(q));
    wr(s, VIRTIO_MMIO_QUEUE_DEVICE_HIGH, (uint32_t)(USED(q) >> 32));
    wr(s, VIRTIO_MMIO_QUEUE_READY, 1);
    ck_assert_uint_eq(rd(s, VIRTIO_MMIO_QUEUE_READY), 1);
}

/* The driver side of initialisation (virtio 1.1, 3.1.1), up to FEATURES_OK
 * and the queues; driver_ok finishes it. */
static void driver_setup(Slot *s, uint64_t features)
{
    features |= VIRTIO_F_VERSION_1;
    wr(s, VIRTIO_MMIO_STATUS, 0);
    memset(ram(s, QUEUE_BASE(0)), 0, 0x8000);
    wr(s, VIRTIO_MMIO_STATUS, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER);
    wr(s, VIRTIO_MMIO_DRIVER_FEATURES_SEL, 0);
    wr(s, VIRTIO_MMIO_DRIVER_FEATURES, (uint32_t)features);
    wr(s, VIRTIO_MMIO_DRIVER_FEATURES_SEL, 1);
    wr(s, VIRTIO_MMIO_DRIVER_FEATURES, (uint32_t)(features >> 32));
    wr(s, VIRTIO_MMIO_STATUS,
       VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER | VIRTIO_STATUS_FEATURES_OK);
    ck_assert(rd(s, VIRTIO_MMIO_STATUS) & VIRTIO_STATUS_FEATURES_OK);
    setup_queue(s, EVENTQ);
    setup_queue(s, STATUSQ);
    s->next_desc[0] = s->next_desc[1] = 0;
}

static void driver_ok(Slot *s)
{
    wr(s, VIRTIO_MMIO_STATUS,
       VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER | VIRTIO_STATUS_FEATURES_OK |
           VIRTIO_STATUS_DRIVER_OK);
}

static void driver_start(Slot *s)
{
    driver_setup(s, 0);
    driver_ok(s);
}

/* Makes one single-descriptor buffer available on queue q. */
static void offer(Slot *s, unsigned q, uint64_t addr, uint32_t len, uint16_t flags)
{
    unsigned d = s->next_desc[q]++ % QSIZE;
    uint8_t *desc = ram(s, DESC(q) + 16ull * d);
    st_le64(desc, addr);
    st_le32(desc + 8, len);
    st_le16(desc + 12, flags);
    st_le16(desc + 14, 0);
    uint16_t idx = ld_le16(ram(s, AVAIL(q) + 2));
    st_le16(ram(s, AVAIL(q) + 4 + 2 * (idx % QSIZE)), (uint16_t)d);
    st_le16(ram(s, AVAIL(q) + 2), (uint16_t)(idx + 1));
}

/* n 8-byte event buffers, as Linux's driver keeps them. */
static void offer_events(Slot *s, unsigned n)
{
    for (unsigned i = 0; i < n; i++) {
        unsigned d = s->next_desc[EVENTQ] % QSIZE;
        memset(ram(s, BUF(EVENTQ, d)), 0xee, 16);
        offer(s, EVENTQ, BUF(EVENTQ, d), 8, VIRTQ_DESC_F_WRITE);
    }
    wr(s, VIRTIO_MMIO_QUEUE_NOTIFY, EVENTQ);
}

static uint16_t used_idx(Slot *s, unsigned q)
{
    return ld_le16(ram(s, USED(q) + 2));
}

static uint32_t used_id(Slot *s, unsigned q, uint16_t entry)
{
    return ld_le32(ram(s, USED(q) + 4 + 8ull * (entry % QSIZE)));
}

static uint32_t used_len(Slot *s, unsigned q, uint16_t entry)
{
    return ld_le32(ram(s, USED(q) + 4 + 8ull * (entry % QSIZE) + 4));
}

/* The event in the buffer of used entry n of the event queue. */
static void used_event(Slot *s, uint16_t n, uint16_t *type, uint16_t *code, uint32_t *value)
{
    uint32_t d = used_id(s, EVENTQ, n);
    uint64_t addr = ld_le64(ram(s, DESC(EVENTQ) + 16ull * d));
    *type = ld_le16(ram(s, addr));
    *code = ld_le16(ram(s, addr + 2));
    *value = ld_le32(ram(s, addr + 4));
}

static void assert_event(Slot *s, uint16_t n, uint16_t type, uint16_t code, uint32_t value)
{
    uint16_t t, c;
    uint32_t v;
    used_event(s, n, &t, &c, &v);
    ck_assert_uint_eq(used_len(s, EVENTQ, n), 8);
    ck_assert_uint_eq(t, type);
    ck_assert_uint_eq(c, code);
    ck_assert_uint_eq(v, value);
}

static void press(uint16_t code)
{
    input_event(INPUT_KEY, code, 1);
    input_sync();
}

/* ---- Config space ---- */

START_TEST(test_keyboard_config)
{
    Slot *s = plug(0, &virtio_keyboard_type, NULL);
    ck_assert_uint_eq(rd(s, VIRTIO_MMIO_DEVICE_ID), VIRTIO_ID_INPUT);
    wr(s, VIRTIO_MMIO_QUEUE_SEL, 0);
    ck_assert_uint_eq(rd(s, VIRTIO_MMIO_QUEUE_NUM_MAX), 64);
    /* QEMU's size: the EV_KEY bitmap (up to KEY_MEDIA) plus the header. */
    ck_assert_uint_eq(s->vdev->config_size, 8 + KEY_MEDIA / 8 + 1);

    ck_assert_uint_eq(query(s, VIRTIO_INPUT_CFG_ID_NAME, 0), sizeof("QEMU Virtio Keyboard"));
    char name[32];
    for (unsigned i = 0; i < sizeof("QEMU Virtio Keyboard"); i++)
        name[i] = (char)cfg8(s, 8 + i);
    ck_assert_str_eq(name, "QEMU Virtio Keyboard");

    ck_assert_uint_eq(query(s, VIRTIO_INPUT_CFG_ID_DEVIDS, 0), 8);
    ck_assert_uint_eq(cfg8(s, 8), 0x06); /* BUS_VIRTUAL */
    ck_assert_uint_eq(cfg8(s, 10) | cfg8(s, 11) << 8, 0x0627);
    ck_assert_uint_eq(cfg8(s, 12), 1);
    ck_assert_uint_eq(cfg8(s, 14), 1);

    ck_assert_uint_eq(query(s, VIRTIO_INPUT_CFG_EV_BITS, 0x01 /* EV_KEY */), KEY_MEDIA / 8 + 1);
    ck_assert(bit_set(s, KEY_A));
    ck_assert(bit_set(s, KEY_CAPSLOCK));
    ck_assert(bit_set(s, KEY_F24));
    ck_assert(bit_set(s, KEY_MEDIA));
    ck_assert(!bit_set(s, 0));
    ck_assert(!bit_set(s, KEY_WWW)); /* no QKeyCode for it: QEMU's keyboard lacks it */

    ck_assert_uint_eq(query(s, VIRTIO_INPUT_CFG_EV_BITS, EV_REP), 1);
    ck_assert_uint_eq(cfg8(s, 8), 0);
    ck_assert_uint_eq(query(s, VIRTIO_INPUT_CFG_EV_BITS, EV_LED), 1);
    ck_assert_uint_eq(cfg8(s, 8), 0x07);
    /* What it does not have answers size 0 and an empty union. */
    ck_assert_uint_eq(query(s, VIRTIO_INPUT_CFG_EV_BITS, EV_REL), 0);
    ck_assert_uint_eq(cfg8(s, 8), 0);
    ck_assert_uint_eq(query(s, VIRTIO_INPUT_CFG_ID_SERIAL, 0), 0);
    ck_assert_uint_eq(query(s, VIRTIO_INPUT_CFG_PROP_BITS, 0), 0);
    ck_assert_uint_eq(query(s, VIRTIO_INPUT_CFG_ABS_INFO, ABS_X), 0);
    ck_assert_uint_eq(query(s, 0xff, 0xff), 0);
    ck_assert_uint_eq(query(s, VIRTIO_INPUT_CFG_ID_NAME, 1), 0);
    /* The selectors read back; a 2-byte write sets both. */
    virtio_mmio_ops.write(&s->mmio, VIRTIO_MMIO_CONFIG, VIRTIO_INPUT_CFG_EV_BITS | EV_LED << 8, 2);
    ck_assert_uint_eq(cfg8(s, 0), VIRTIO_INPUT_CFG_EV_BITS);
    ck_assert_uint_eq(cfg8(s, 1), EV_LED);
    ck_assert_uint_eq(cfg8(s, 2), 1);
    /* The answer is read-only. */
    virtio_mmio_ops.write(&s->mmio, VIRTIO_MMIO_CONFIG + 2, 9, 1);
    virtio_mmio_ops.write(&s->mmio, VIRTIO_MMIO_CONFIG + 8, 0, 1);
    ck_assert_uint_eq(cfg8(s, 2), 1);
    ck_assert_uint_eq(cfg8(s, 8), 0x07);
}
END_TEST

START_TEST(test_mouse_config)
{
    Slot *s = plug(0, &virtio_mouse_type, NULL);
    ck_assert_uint_eq(query(s, VIRTIO_INPUT_CFG_ID_NAME, 0), sizeof("QEMU Virtio Mouse"));
    ck_assert_uint_eq(query(s, VIRTIO_INPUT_CFG_ID_DEVIDS, 0), 8);
    ck_assert_uint_eq(cfg8(s, 12), 2);
    ck_assert_uint_eq(cfg8(s, 14), 2); /* version 2: with a wheel */
    ck_assert_uint_eq(query(s, VIRTIO_INPUT_CFG_EV_BITS, EV_REL), 2);
    ck_assert_uint_eq(cfg8(s, 8), 0x03); /* REL_X, REL_Y */
    ck_assert_uint_eq(cfg8(s, 9), 0x01); /* REL_WHEEL */
    ck_assert_uint_eq(query(s, VIRTIO_INPUT_CFG_EV_BITS, EV_KEY), BTN_GEAR_UP / 8 + 1);
    ck_assert(bit_set(s, BTN_LEFT) && bit_set(s, BTN_RIGHT) && bit_set(s, BTN_MIDDLE));
    ck_assert(bit_set(s, BTN_SIDE) && bit_set(s, BTN_EXTRA) && bit_set(s, BTN_TOUCH));
    ck_assert(bit_set(s, BTN_GEAR_UP) && !bit_set(s, KEY_A));
    ck_assert_uint_eq(query(s, VIRTIO_INPUT_CFG_EV_BITS, EV_ABS), 0);
    ck_assert_uint_eq(s->vdev->config_size, 8 + BTN_GEAR_UP / 8 + 1);
    unplug_all();

    s = plug(0, &virtio_mouse_type, "wheel-axis=off,serial=mouse-7");
    ck_assert_uint_eq(query(s, VIRTIO_INPUT_CFG_ID_DEVIDS, 0), 8);
    ck_assert_uint_eq(cfg8(s, 14), 1);
    ck_assert_uint_eq(query(s, VIRTIO_INPUT_CFG_EV_BITS, EV_REL), 1);
    ck_assert_uint_eq(cfg8(s, 8), 0x03);
    ck_assert_uint_eq(query(s, VIRTIO_INPUT_CFG_ID_SERIAL, 0), strlen("mouse-7"));
    ck_assert_uint_eq(cfg8(s, 8), 'm');
    ck_assert_uint_eq(cfg8(s, 14), '7');
}
END_TEST

START_TEST(test_tablet_config)
{
    Slot *s = plug(0, &virtio_tablet_type, NULL);
    ck_assert_uint_eq(query(s, VIRTIO_INPUT_CFG_ID_NAME, 0), sizeof("QEMU Virtio Tablet"));
    ck_assert_uint_eq(query(s, VIRTIO_INPUT_CFG_ID_DEVIDS, 0), 8);
    ck_assert_uint_eq(cfg8(s, 12), 3);
    ck_assert_uint_eq(cfg8(s, 14), 2);
    ck_assert_uint_eq(query(s, VIRTIO_INPUT_CFG_EV_BITS, EV_ABS), 1);
    ck_assert_uint_eq(cfg8(s, 8), 0x03);
    ck_assert_uint_eq(query(s, VIRTIO_INPUT_CFG_EV_BITS, EV_REL), 2);
    ck_assert_uint_eq(cfg8(s, 8), 0x00);
    ck_assert_uint_eq(cfg8(s, 9), 0x01);
    for (uint8_t axis = ABS_X; axis <= ABS_Y; axis++) {
        ck_assert_uint_eq(query(s, VIRTIO_INPUT_CFG_ABS_INFO, axis), 20);
        ck_assert_uint_eq(virtio_mmio_ops.read(&s->mmio, VIRTIO_MMIO_CONFIG + 8, 4), 0);
        ck_assert_uint_eq(virtio_mmio_ops.read(&s->mmio, VIRTIO_MMIO_CONFIG + 12, 4), 0x7fff);
        ck_assert_uint_eq(virtio_mmio_ops.read(&s->mmio, VIRTIO_MMIO_CONFIG + 16, 4), 0);
    }
    ck_assert_uint_eq(query(s, VIRTIO_INPUT_CFG_ABS_INFO, 2), 0);
    ck_assert(input_pointer_is_absolute());
    unplug_all();

    s = plug(0, &virtio_tablet_type, "wheel-axis=off");
    ck_assert_uint_eq(query(s, VIRTIO_INPUT_CFG_EV_BITS, EV_REL), 0);
    ck_assert(!input_has_handler(INPUT_REL));
}
END_TEST

START_TEST(test_serial_too_long_refused)
{
    char props[200] = "serial=";
    memset(props + 7, 'x', 129);
    char err[256];
    Device *dev = device_create(&virtio_keyboard_type, props, err, sizeof(err));
    ck_assert_ptr_nonnull(dev);
    AddressSpace space = {0};
    DeviceContext ctx = {.as = &space};
    ck_assert(!device_realize(dev, &ctx, err, sizeof(err)));
    ck_assert_msg(strstr(err, "serial"), "%s", err);
    device_destroy(dev);
}
END_TEST

/* ---- Events ---- */

START_TEST(test_key_press_reaches_guest)
{
    Slot *s = plug(0, &virtio_keyboard_type, NULL);
    driver_start(s);
    offer_events(s, 8);
    ck_assert(input_has_handler(INPUT_KEY));
    press(KEY_A);
    ck_assert_uint_eq(used_idx(s, EVENTQ), 2);
    assert_event(s, 0, EV_KEY, KEY_A, 1);
    assert_event(s, 1, EV_SYN, 0, 0);
    ck_assert_uint_eq(s->interrupts, 1); /* one for the group */
    ck_assert(rd(s, VIRTIO_MMIO_INTERRUPT_STATUS) & VIRTIO_ISR_QUEUE);
    wr(s, VIRTIO_MMIO_INTERRUPT_ACK, VIRTIO_ISR_QUEUE);

    input_event(INPUT_KEY, KEY_A, 0);
    input_sync();
    ck_assert_uint_eq(used_idx(s, EVENTQ), 4);
    assert_event(s, 2, EV_KEY, KEY_A, 0);
    assert_event(s, 3, EV_SYN, 0, 0);
    ck_assert_uint_eq(s->interrupts, 2);
}
END_TEST

START_TEST(test_nothing_before_driver_ok)
{
    Slot *s = plug(0, &virtio_keyboard_type, NULL);
    driver_setup(s, 0);
    offer_events(s, 8);
    press(KEY_A);
    ck_assert_uint_eq(used_idx(s, EVENTQ), 0);
    driver_ok(s);
    /* The earlier press is gone, not replayed. */
    ck_assert_uint_eq(used_idx(s, EVENTQ), 0);
    press(KEY_A);
    ck_assert_uint_eq(used_idx(s, EVENTQ), 2);
}
END_TEST

START_TEST(test_group_without_room_dropped_whole)
{
    Slot *s = plug(0, &virtio_keyboard_type, NULL);
    driver_start(s);
    offer_events(s, 1);
    press(KEY_A); /* needs two buffers */
    ck_assert_uint_eq(used_idx(s, EVENTQ), 0);
    ck_assert_uint_eq(s->interrupts, 0);
    /* The buffer taken for it went back: with one more, the next group
     * fits exactly. */
    offer_events(s, 1);
    press(KEY_CAPSLOCK);
    ck_assert_uint_eq(used_idx(s, EVENTQ), 2);
    assert_event(s, 0, EV_KEY, KEY_CAPSLOCK, 1);
    assert_event(s, 1, EV_SYN, 0, 0);
    ck_assert(!(rd(s, VIRTIO_MMIO_STATUS) & VIRTIO_STATUS_NEEDS_RESET));
}
END_TEST

START_TEST(test_group_too_long_dropped)
{
    Slot *s = plug(0, &virtio_keyboard_type, NULL);
    driver_start(s);
    offer_events(s, QSIZE);
    for (unsigned i = 0; i < VIRTIO_INPUT_QUEUE_SIZE; i++)
        input_event(INPUT_KEY, KEY_A, i & 1);
    input_sync();
    ck_assert_uint_eq(used_idx(s, EVENTQ), 0);
    /* The next group starts afresh. */
    press(KEY_A);
    ck_assert_uint_eq(used_idx(s, EVENTQ), 2);
    assert_event(s, 0, EV_KEY, KEY_A, 1);
}
END_TEST

START_TEST(test_keys_it_lacks_not_sent)
{
    Slot *s = plug(0, &virtio_keyboard_type, NULL);
    driver_start(s);
    offer_events(s, 8);
    press(KEY_WWW);
    ck_assert_uint_eq(used_idx(s, EVENTQ), 0);
    ck_assert_uint_eq(s->interrupts, 0);
    input_event(INPUT_KEY, KEY_WWW, 1);
    input_event(INPUT_KEY, KEY_A, 1);
    input_sync();
    ck_assert_uint_eq(used_idx(s, EVENTQ), 2);
    assert_event(s, 0, EV_KEY, KEY_A, 1);
}
END_TEST

START_TEST(test_mouse_motion_and_buttons)
{
    Slot *s = plug(0, &virtio_mouse_type, NULL);
    driver_start(s);
    offer_events(s, QSIZE);
    ck_assert(!input_pointer_is_absolute());
    input_event(INPUT_REL, REL_X, -5);
    input_event(INPUT_REL, REL_Y, 7);
    input_event(INPUT_REL, REL_HWHEEL, 1); /* QEMU's mouse has no such axis */
    input_sync();
    ck_assert_uint_eq(used_idx(s, EVENTQ), 3);
    assert_event(s, 0, EV_REL, REL_X, (uint32_t)-5);
    assert_event(s, 1, EV_REL, REL_Y, 7);
    assert_event(s, 2, EV_SYN, 0, 0);
    wr(s, VIRTIO_MMIO_INTERRUPT_ACK, VIRTIO_ISR_QUEUE);
    input_event(INPUT_BTN, BTN_RIGHT, 1);
    input_event(INPUT_REL, REL_WHEEL, -1);
    input_sync();
    ck_assert_uint_eq(used_idx(s, EVENTQ), 6);
    assert_event(s, 3, EV_KEY, BTN_RIGHT, 1);
    assert_event(s, 4, EV_REL, REL_WHEEL, (uint32_t)-1);
    ck_assert_uint_eq(s->interrupts, 2);
}
END_TEST

START_TEST(test_tablet_positions)
{
    Slot *s = plug(0, &virtio_tablet_type, NULL);
    driver_start(s);
    offer_events(s, QSIZE);
    input_event(INPUT_ABS, ABS_X, 0x4000);
    input_event(INPUT_ABS, ABS_Y, 0x9000); /* past the edge: clamped */
    input_event(INPUT_BTN, BTN_LEFT, 1);
    input_sync();
    ck_assert_uint_eq(used_idx(s, EVENTQ), 4);
    assert_event(s, 0, EV_ABS, ABS_X, 0x4000);
    assert_event(s, 1, EV_ABS, ABS_Y, 0x7fff);
    assert_event(s, 2, EV_KEY, BTN_LEFT, 1);
    assert_event(s, 3, EV_SYN, 0, 0);
    /* Relative motion is not the tablet's; its wheel is. */
    input_event(INPUT_REL, REL_X, 3);
    input_event(INPUT_REL, REL_WHEEL, 1);
    input_sync();
    ck_assert_uint_eq(used_idx(s, EVENTQ), 6);
    assert_event(s, 4, EV_REL, REL_WHEEL, 1);
}
END_TEST

/* Odd buffers: each gets what fits, none makes the device touch what it
 * must not. */
START_TEST(test_small_and_readonly_buffers)
{
    Slot *s = plug(0, &virtio_keyboard_type, NULL);
    driver_start(s);
    memset(ram(s, BUF(EVENTQ, 0)), 0xee, 16);
    offer(s, EVENTQ, BUF(EVENTQ, 0), 4, VIRTQ_DESC_F_WRITE); /* half an event */
    offer(s, EVENTQ, BUF(EVENTQ, 1), 8, 0);                  /* device-readable only */
    press(KEY_A);
    ck_assert_uint_eq(used_idx(s, EVENTQ), 2);
    ck_assert_uint_eq(used_len(s, EVENTQ, 0), 4);
    ck_assert_uint_eq(used_len(s, EVENTQ, 1), 0);
    ck_assert_uint_eq(ld_le16(ram(s, BUF(EVENTQ, 0))), EV_KEY);
    ck_assert_uint_eq(ld_le16(ram(s, BUF(EVENTQ, 0) + 2)), KEY_A);
    ck_assert_uint_eq(*ram(s, BUF(EVENTQ, 0) + 4), 0xee); /* nothing past the buffer */
    ck_assert(!(rd(s, VIRTIO_MMIO_STATUS) & VIRTIO_STATUS_NEEDS_RESET));

    /* A writable buffer in ROM is a broken driver: the device stops. */
    offer(s, EVENTQ, ROM_BASE, 8, VIRTQ_DESC_F_WRITE);
    offer(s, EVENTQ, BUF(EVENTQ, 3), 8, VIRTQ_DESC_F_WRITE);
    press(KEY_A);
    ck_assert_uint_eq(used_idx(s, EVENTQ), 2);
    ck_assert(rd(s, VIRTIO_MMIO_STATUS) & VIRTIO_STATUS_NEEDS_RESET);
    press(KEY_A);
    ck_assert_uint_eq(used_idx(s, EVENTQ), 2);
}
END_TEST

START_TEST(test_leds_from_status_queue)
{
    Slot *s = plug(0, &virtio_keyboard_type, NULL);
    driver_start(s);
    VirtioInput *kbd = s->dev->state;
    uint8_t *ev = ram(s, BUF(STATUSQ, 0));
    st_le16(ev, EV_LED);
    st_le16(ev + 2, 1); /* LED_CAPSL */
    st_le32(ev + 4, 1);
    offer(s, STATUSQ, BUF(STATUSQ, 0), 8, 0);
    ev = ram(s, BUF(STATUSQ, 1));
    st_le16(ev, EV_LED);
    st_le16(ev + 2, 9); /* no such LED */
    st_le32(ev + 4, 1);
    offer(s, STATUSQ, BUF(STATUSQ, 1), 8, 0);
    offer(s, STATUSQ, BUF(STATUSQ, 2), 3, 0); /* too short to be one */
    wr(s, VIRTIO_MMIO_QUEUE_NOTIFY, STATUSQ);
    ck_assert_uint_eq(used_idx(s, STATUSQ), 3);
    ck_assert_uint_eq(used_len(s, STATUSQ, 0), 0);
    ck_assert_uint_eq(kbd->leds, 1u << 1);
    st_le32(ram(s, BUF(STATUSQ, 0)) + 4, 0);
    offer(s, STATUSQ, BUF(STATUSQ, 0), 8, 0);
    wr(s, VIRTIO_MMIO_QUEUE_NOTIFY, STATUSQ);
    ck_assert_uint_eq(kbd->leds, 0);
    ck_assert(!(rd(s, VIRTIO_MMIO_STATUS) & VIRTIO_STATUS_NEEDS_RESET));
}
END_TEST

/* The device whose driver started last gets the input; one reset gives it
 * back to the other. */
START_TEST(test_routing_follows_driver)
{
    Slot *a = plug(0, &virtio_keyboard_type, NULL);
    Slot *b = plug(1, &virtio_keyboard_type, NULL);
    driver_start(a);
    offer_events(a, QSIZE);
    driver_start(b);
    offer_events(b, QSIZE);
    press(KEY_A);
    ck_assert_uint_eq(used_idx(a, EVENTQ), 0);
    ck_assert_uint_eq(used_idx(b, EVENTQ), 2);
    wr(b, VIRTIO_MMIO_STATUS, 0);
    press(KEY_A);
    ck_assert_uint_eq(used_idx(a, EVENTQ), 2);
    /* b's driver back: b again. */
    driver_start(b);
    offer_events(b, QSIZE);
    press(KEY_A);
    ck_assert_uint_eq(used_idx(a, EVENTQ), 2);
    ck_assert_uint_eq(used_idx(b, EVENTQ), 2);
}
END_TEST

/* A saved device comes back with its selectors, answer, LEDs and, with
 * its driver running, the input. */
START_TEST(test_state_round_trip)
{
    Slot *s = plug(0, &virtio_keyboard_type, NULL);
    driver_start(s);
    offer_events(s, QSIZE);
    VirtioInput *kbd = s->dev->state;
    kbd->leds = 5;
    query(s, VIRTIO_INPUT_CFG_EV_BITS, EV_LED);
    StateBuffer buf = {0};
    state_save(&buf, s->dev->type->state, s->dev->state);
    ck_assert(!buf.failed);
    virtio_reset(s->vdev);
    ck_assert_uint_eq(kbd->leds, 0);
    ck_assert(!kbd->active);
    char err[256];
    size_t pos = 0;
    ck_assert_msg(
        state_load(buf.data, buf.len, &pos, s->dev->type->state, s->dev->state, err, sizeof(err)),
        "%s", err);
    ck_assert_uint_eq(kbd->leds, 5);
    ck_assert_uint_eq(cfg8(s, 0), VIRTIO_INPUT_CFG_EV_BITS);
    ck_assert_uint_eq(cfg8(s, 2), 1);
    ck_assert_uint_eq(cfg8(s, 8), 0x07);
    ck_assert(kbd->active);
    uint16_t before = used_idx(s, EVENTQ);
    press(KEY_A);
    ck_assert_uint_eq(used_idx(s, EVENTQ), (uint16_t)(before + 2));
    state_buffer_free(&buf);
}
END_TEST

static Suite *virtio_input_suite(void)
{
    Suite *s = suite_create("virtio_input");
    TCase *tc = tcase_create("config");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_keyboard_config);
    tcase_add_test(tc, test_mouse_config);
    tcase_add_test(tc, test_tablet_config);
    tcase_add_test(tc, test_serial_too_long_refused);
    suite_add_tcase(s, tc);
    tc = tcase_create("events");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_key_press_reaches_guest);
    tcase_add_test(tc, test_nothing_before_driver_ok);
    tcase_add_test(tc, test_group_without_room_dropped_whole);
    tcase_add_test(tc, test_group_too_long_dropped);
    tcase_add_test(tc, test_keys_it_lacks_not_sent);
    tcase_add_test(tc, test_mouse_motion_and_buttons);
    tcase_add_test(tc, test_tablet_positions);
    tcase_add_test(tc, test_small_and_readonly_buffers);
    tcase_add_test(tc, test_leds_from_status_queue);
    tcase_add_test(tc, test_routing_follows_driver);
    tcase_add_test(tc, test_state_round_trip);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return run_suite(virtio_input_suite());
}
