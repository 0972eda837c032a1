/* tests/unit/test_state.c: the state tables. For every device type: fill
 * its state with random values, save, reset the device, load, save again:
 * the two streams are identical. And the stream is checked before it is
 * used: a wrong name, version, field, size or a truncated stream is refused
 * with one line and leaves the device untouched. */
#define _GNU_SOURCE /* memmem */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "block/block.h"
#include "chardev/chardev.h"
#include "hw/devices.h"
#include "hw/intc/aclint.h"
#include "hw/intc/plic.h"
#include "hw/misc/htif.h"
#include "hw/misc/sifive_test.h"
#include "hw/char/uart16550.h"
#include "hw/rtc/goldfish_rtc.h"
#include "hw/virtio/mmio.h"
#include "tests/unit/harness.h"
#include "tests/xorshift.h"
#include "util/mainloop.h"
#include "util/timer.h"

static TestHart *hart;
static MainLoop loop;
static TimerList timers;
static Chardev *chr;
static BlockDevice *disk;
static char disk_path[64];

static IrqLine no_hart_irq(void *board, unsigned h, enum HartIrq irq)
{
    (void)board;
    (void)h;
    (void)irq;
    return (IrqLine){0};
}

static Chardev *test_chardev(void *board, const char *id, char *err, size_t errlen)
{
    (void)board;
    (void)id;
    (void)err;
    (void)errlen;
    return chr;
}

static BlockDevice *test_drive(void *board, const char *id, char *err, size_t errlen)
{
    (void)board;
    (void)id;
    (void)err;
    (void)errlen;
    return disk;
}

static DeviceContext context(void)
{
    return (DeviceContext){
        .as = &hart->as,
        .timers = &timers,
        .n_harts = 1,
        .hart_irq = no_hart_irq,
        .chardev = test_chardev,
        .drive = test_drive,
    };
}

static void setup(void)
{
    hart = test_hart_new();
    mainloop_init(&loop);
    timers = (TimerList){0};
    chr = chardev_open_fds(&loop, -1, -1, false);
    ck_assert_ptr_nonnull(chr);
    strcpy(disk_path, "/tmp/ember-state-XXXXXX");
    int fd = mkstemp(disk_path);
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(ftruncate(fd, 1 << 20), 0);
    close(fd);
    char err[256];
    disk = block_open(disk_path, false, "raw", err, sizeof(err));
    ck_assert_msg(disk != NULL, "%s", err);
    /* Saved times are virtual: a stopped clock makes them repeatable. */
    clock_virtual_stop();
}

static void teardown(void)
{
    clock_virtual_start();
    block_close(disk);
    unlink(disk_path);
    chardev_close(chr);
    test_hart_free(hart);
}

/* Random values in every state field (booleans 0 or 1). */
static void randomize(const StateDescription *desc, uint8_t *object, uint64_t *rng)
{
    for (const StateField *f = desc->fields; f->name; f++) {
        for (size_t i = 0; i < f->count; i++) {
            uint8_t *elem = object + f->offset + i * f->size;
            if (f->kind == FIELD_STRUCT) {
                randomize(f->sub, elem, rng);
            } else if (f->kind == FIELD_BOOL) {
                *(bool *)elem = xorshift64star(rng) & 1;
            } else {
                for (size_t b = 0; b < f->size; b++)
                    elem[b] = (uint8_t)xorshift64star(rng);
            }
        }
    }
}

static Device *realized(const DeviceType *type, const char *props)
{
    char err[256];
    Device *dev = device_create(type, props, err, sizeof(err));
    ck_assert_msg(dev != NULL, "%s: %s", type->name, err);
    DeviceContext ctx = context();
    ck_assert_msg(device_realize(dev, &ctx, err, sizeof(err)), "%s: %s", type->name, err);
    return dev;
}

/* Machine reset: a virtio device is reset by its transport's slot. */
static void reset(Device *dev)
{
    device_reset(dev);
    if (dev->type->virtio)
        virtio_reset(dev->type->virtio(dev));
}

static StateBuffer save(Device *dev)
{
    StateBuffer buf = {0};
    state_save(&buf, dev->type->state, dev->state);
    ck_assert(!buf.failed);
    return buf;
}

static void load(Device *dev, const StateBuffer *buf)
{
    char err[256];
    size_t pos = 0;
    ck_assert_msg(
        state_load(buf->data, buf->len, &pos, dev->type->state, dev->state, err, sizeof(err)),
        "%s: %s", dev->type->name, err);
    ck_assert_uint_eq(pos, buf->len);
}

static void round_trip(const DeviceType *type, const char *props)
{
    ck_assert_msg(type->state != NULL, "%s has no state description", type->name);
    Device *dev = realized(type, props);
    uint64_t rng = 0x5eed0000u + (uint64_t)strlen(type->name);
    randomize(type->state, dev->state, &rng);
    /* Loading sanitises what a stream may not hold (a FIFO index out of
     * range, rings outside RAM): from then on a round trip is exact. */
    StateBuffer first = save(dev);
    load(dev, &first);
    StateBuffer a = save(dev);
    reset(dev);
    load(dev, &a);
    StateBuffer b = save(dev);
    ck_assert_uint_eq(a.len, b.len);
    ck_assert_msg(memcmp(a.data, b.data, a.len) == 0, "%s: the second save differs", type->name);
    state_buffer_free(&first);
    state_buffer_free(&a);
    state_buffer_free(&b);
    device_destroy(dev);
}

START_TEST(test_board_devices_round_trip)
{
    round_trip(&aclint_type, NULL);
    round_trip(&plic_type, NULL);
    round_trip(&virtio_mmio_type, NULL);
    round_trip(&sifive_test_type, NULL);
    round_trip(&uart16550_type, NULL);
    round_trip(&goldfish_rtc_type, NULL);
    round_trip(&htif_type, "tohost=2147487744");
}
END_TEST

START_TEST(test_user_devices_round_trip)
{
    for (const DeviceType *const *t = device_types; *t; t++)
        round_trip(*t, (*t)->props && (*t)->props[0].required ? "drive=d" : NULL);
}
END_TEST

/* A virtio device with a live queue keeps it across a round trip. */
START_TEST(test_virtio_queue_survives)
{
    Device *dev = realized(device_type_find("virtio-rng-device"), NULL);
    VirtioDevice *vdev = dev->type->virtio(dev);
    VirtQueue *vq = &vdev->queues[0];
    vq->size = 8;
    vq->desc_addr = TEST_RAM_BASE + 0x1000;
    vq->avail_addr = TEST_RAM_BASE + 0x2000;
    vq->used_addr = TEST_RAM_BASE + 0x3000;
    char err[128];
    ck_assert(virtq_enable(vq, &hart->as, false, false, err, sizeof(err)));
    vq->last_avail_idx = 5;
    StateBuffer buf = save(dev);
    reset(dev);
    ck_assert(!vq->ready);
    load(dev, &buf);
    ck_assert(vq->ready);
    ck_assert_uint_eq(vq->last_avail_idx, 5);
    ck_assert_ptr_nonnull(vq->desc);
    /* Rings outside RAM in a stream leave the device needing a reset. */
    vq->desc_addr = 0x10;
    state_buffer_free(&buf);
    buf = save(dev);
    load(dev, &buf);
    ck_assert(!vq->ready);
    ck_assert(vdev->status & VIRTIO_STATUS_NEEDS_RESET);
    state_buffer_free(&buf);
    device_destroy(dev);
}
END_TEST

static void assert_refused(Device *dev, const uint8_t *data, size_t len, const char *needle)
{
    uint8_t *before = malloc(dev->type->state->struct_size);
    ck_assert_ptr_nonnull(before);
    memcpy(before, dev->state, dev->type->state->struct_size);
    char err[256] = "";
    size_t pos = 0;
    ck_assert(!state_load(data, len, &pos, dev->type->state, dev->state, err, sizeof(err)));
    ck_assert_msg(strstr(err, needle), "error '%s' does not mention '%s'", err, needle);
    ck_assert(!strchr(err, '\n'));
    ck_assert_uint_eq(pos, 0);
    ck_assert(memcmp(before, dev->state, dev->type->state->struct_size) == 0);
    free(before);
}

/* FIELD_VARIABLE: a list of bytes of any length between fixed fields,
 * its hooks called to write, check and load it. */
typedef struct Listed {
    uint32_t before;
    uint8_t *items;
    size_t n_items;
    uint32_t after;
} Listed;

static void listed_save(void *object, StateBuffer *buf)
{
    Listed *l = object;
    state_buffer_put(buf, l->items, l->n_items);
}

/* Well-formed: no byte 0xff. */
static bool listed_check(const uint8_t *data, size_t len, char *err, size_t errlen)
{
    if (memchr(data, 0xff, len)) {
        snprintf(err, errlen, "an item is 0xff");
        return false;
    }
    return true;
}

static bool listed_load(void *object, const uint8_t *data, size_t len, char *err, size_t errlen)
{
    (void)err, (void)errlen;
    Listed *l = object;
    free(l->items);
    l->items = len ? malloc(len) : NULL;
    if (len)
        memcpy(l->items, data, len);
    l->n_items = len;
    return true;
}

static const StateVariable listed_hooks = {listed_save, listed_check, listed_load};

static const StateField listed_fields[] = {
    STATE_UINT(Listed, before),
    STATE_VARIABLE(Listed, items, &listed_hooks),
    STATE_UINT(Listed, after),
    STATE_END,
};

static const StateDescription listed_state = {
    .name = "listed",
    .c_type = "Listed",
    .version = 1,
    .struct_size = sizeof(Listed),
    .fields = listed_fields,
};

START_TEST(test_variable_field)
{
    uint8_t items[300];
    for (size_t i = 0; i < sizeof(items); i++)
        items[i] = (uint8_t)(i % 255);
    Listed a = {.before = 7, .items = items, .n_items = sizeof(items), .after = 9};
    StateBuffer buf = {0};
    state_save(&buf, &listed_state, &a);
    ck_assert(!buf.failed);

    Listed b = {0};
    char err[256];
    size_t pos = 0;
    ck_assert_msg(state_load(buf.data, buf.len, &pos, &listed_state, &b, err, sizeof(err)), "%s",
                  err);
    ck_assert_uint_eq(pos, buf.len);
    ck_assert(b.before == 7 && b.after == 9 && b.n_items == sizeof(items));
    ck_assert_mem_eq(b.items, items, sizeof(items));

    /* Cut anywhere: refused, b untouched. */
    for (size_t cut = 0; cut < buf.len; cut += 7) {
        pos = 0;
        ck_assert(!state_load(buf.data, cut, &pos, &listed_state, &b, err, sizeof(err)));
    }
    ck_assert_mem_eq(b.items, items, sizeof(items));

    /* Data its check refuses: refused with the hook's reason. */
    uint8_t *first_item = memmem(buf.data, buf.len, items, 16);
    ck_assert_ptr_nonnull(first_item);
    first_item[3] = 0xff;
    pos = 0;
    ck_assert(!state_load(buf.data, buf.len, &pos, &listed_state, &b, err, sizeof(err)));
    ck_assert_msg(strstr(err, "'listed.items': an item is 0xff") != NULL, "%s", err);
    ck_assert_uint_eq(b.items[3], 3);

    /* Empty. */
    Listed none = {.before = 1, .after = 2};
    state_buffer_free(&buf);
    state_save(&buf, &listed_state, &none);
    pos = 0;
    ck_assert(state_load(buf.data, buf.len, &pos, &listed_state, &b, err, sizeof(err)));
    ck_assert_uint_eq(b.n_items, 0);
    free(b.items);
    state_buffer_free(&buf);
}
END_TEST

START_TEST(test_bad_streams_refused)
{
    Device *uart = realized(&uart16550_type, NULL);
    Device *plic = realized(&plic_type, NULL);
    StateBuffer buf = save(uart);
    /* Another device's section. */
    assert_refused(plic, buf.data, buf.len, "section 'serial-mm' where 'riscv.sifive.plic'");
    /* Every truncation. */
    for (size_t len = 0; len < buf.len; len++)
        assert_refused(uart, buf.data, len, "ends inside");
    /* Another version: the u32 after magic and name. */
    size_t version_at = 4 + 2 + strlen("serial-mm");
    buf.data[version_at] ^= 1;
    assert_refused(uart, buf.data, buf.len, "version");
    buf.data[version_at] ^= 1;
    /* A field renamed ("irq_level" is the first). */
    size_t field_at = version_at + 8 + 2;
    buf.data[field_at] = 'X';
    assert_refused(uart, buf.data, buf.len, "field 'Xrq_level' where 'irq_level'");
    buf.data[field_at] = 'i';
    /* A boolean that is not 0 or 1. */
    size_t bool_at = field_at + strlen("irq_level") + 1 + 4 + 4;
    buf.data[bool_at] = 7;
    assert_refused(uart, buf.data, buf.len, "not a boolean");
    buf.data[bool_at] = 0;
    state_buffer_free(&buf);
    device_destroy(uart);
    device_destroy(plic);
}
END_TEST

static Suite *state_suite(void)
{
    Suite *s = suite_create("state");
    TCase *tc = tcase_create("round_trip");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_board_devices_round_trip);
    tcase_add_test(tc, test_user_devices_round_trip);
    tcase_add_test(tc, test_virtio_queue_survives);
    tcase_add_test(tc, test_bad_streams_refused);
    tcase_add_test(tc, test_variable_field);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return run_suite(state_suite());
}
