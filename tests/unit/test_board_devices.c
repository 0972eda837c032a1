/* tests/unit/test_board_devices.c: the devices a command line asks for,
 * resolved through the device registry (machine/board_devices.c): names,
 * typed properties, ids, the -drive and -chardev they name, the virtio-serial
 * pair, -device help. Nothing is opened: these are the one-line errors a
 * user sees before the machine is built. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hw/virtio/blk.h"
#include "hw/virtio/console.h"
#include "hw/virtio/rng.h"
#include "machine/board_devices.h"
#include "tests/unit/harness.h"
#include "util/options.h"

#define SLOTS 8

static EmberOptions opts;
static UserDevices devices;
static char err[256];

/* Parses "ember" and the arguments (NULL-terminated), then creates the
 * devices they ask for. */
static bool plan(const char *first, ...)
{
    char *argv[48] = {"ember"};
    int argc = 1;
    va_list ap;
    va_start(ap, first);
    for (const char *arg = first; arg; arg = va_arg(ap, const char *)) {
        ck_assert_int_lt(argc, 47);
        argv[argc++] = (char *)arg;
    }
    va_end(ap);
    memset(err, 0, sizeof(err));
    user_devices_free(&devices);
    ck_assert_msg(options_parse(argc, argv, &opts, err, sizeof(err)), "%s", err);
    return user_devices_create(&opts, SLOTS, &devices, err, sizeof(err));
}

static void assert_error_mentions(const char *needle)
{
    ck_assert_msg(strstr(err, needle) != NULL, "error '%s' does not mention '%s'", err, needle);
    ck_assert_msg(strchr(err, '\n') == NULL, "error '%s' is not one line", err);
}

static void teardown(void)
{
    user_devices_free(&devices);
}

START_TEST(test_drives_and_devices_in_order)
{
    ck_assert_msg(plan("-drive", "file=a.img,format=raw", "-device", "virtio-rng-device", "-device",
                       "virtio-blk-device,drive=hd", "-drive", "if=none,id=hd,file=x.img", NULL),
                  "%s", err);
    ck_assert_uint_eq(devices.n, 3);
    ck_assert_ptr_eq(devices.dev[0]->type, &virtio_blk_type);
    ck_assert_str_eq(device_prop(devices.dev[0], "drive"), "#0");
    ck_assert_ptr_eq(devices.dev[1]->type, &virtio_rng_type);
    ck_assert_ptr_eq(devices.dev[2]->type, &virtio_blk_type);
    ck_assert_str_eq(device_prop(devices.dev[2], "drive"), "hd");
}
END_TEST

START_TEST(test_device_ids)
{
    ck_assert_msg(plan("-device", "virtio-rng-device,id=r1", "-device",
                       "virtio-serial-device,id=s1", "-device", "virtconsole,id=c1", "-drive",
                       "file=d.img,if=none,id=d1", "-device", "virtio-blk-device,id=b1,drive=d1",
                       NULL),
                  "%s", err);
    ck_assert_str_eq(devices.dev[0]->id, "r1");
    ck_assert_str_eq(devices.dev[1]->id, "s1"); /* the port joined it */
    ck_assert_str_eq(devices.dev[2]->id, "b1");
    /* Device ids are unique, whatever the devices; a drive's id is not a
     * device's. */
    ck_assert(!plan("-device", "virtio-rng-device,id=x", "-device", "virtconsole,id=x", NULL));
    assert_error_mentions("Duplicate ID 'x' for device");
    ck_assert(!plan("-device", "virtio-serial-device,id=x", "-device", "virtconsole,id=x", NULL));
    ck_assert(plan("-drive", "file=d.img,if=none,id=x", "-device", "virtio-blk-device,id=x,drive=x",
                   NULL));
    ck_assert(!plan("-device", "virtio-rng-device,id=a b", NULL));
    assert_error_mentions("invalid id");
}
END_TEST

START_TEST(test_drive_references)
{
    ck_assert(!plan("-device", "virtio-blk-device,drive=nope", NULL));
    assert_error_mentions("no -drive with id=nope");
    ck_assert(!plan("-device", "virtio-blk-device", NULL));
    assert_error_mentions("needs drive=");
    ck_assert(!plan("-drive", "file=x,id=a", "-device", "virtio-blk-device,drive=a", NULL));
    assert_error_mentions("drive 'a' is already in use (give it if=none)");
    ck_assert(!plan("-drive", "file=x,id=a,if=none", "-device", "virtio-blk-device,drive=a",
                    "-device", "virtio-blk-device,drive=a", NULL));
    assert_error_mentions("already in use");
}
END_TEST

START_TEST(test_unknown_devices_and_properties)
{
    ck_assert(!plan("-device", "virtio-vga", NULL));
    assert_error_mentions("unknown device 'virtio-vga'");
    ck_assert(!plan("-device", "virtio-rng-device,foo=1", NULL));
    assert_error_mentions("no property 'foo'");
    /* The board's own devices are not for -device. */
    ck_assert(!plan("-device", "virtio-mmio", NULL));
    assert_error_mentions("unknown device 'virtio-mmio'");
}
END_TEST

START_TEST(test_too_many_virtio_devices)
{
    const char *args[2 * (SLOTS + 1) + 1] = {0};
    for (int i = 0; i < SLOTS + 1; i++) {
        args[2 * i] = "-device";
        args[2 * i + 1] = "virtio-rng-device";
    }
    char *argv[2 * (SLOTS + 1) + 2] = {"ember"};
    for (int i = 0; args[i]; i++)
        argv[i + 1] = (char *)args[i];
    ck_assert(options_parse(2 * (SLOTS + 1) + 1, argv, &opts, err, sizeof(err)));
    ck_assert(!user_devices_create(&opts, SLOTS, &devices, err, sizeof(err)));
    assert_error_mentions("too many virtio devices");
}
END_TEST

START_TEST(test_console_pair_and_chardevs)
{
    /* QEMU's pair is one device here: the port joins its serial device. */
    ck_assert_msg(plan("-chardev", "stdio,id=c0", "-device", "virtio-serial-device", "-device",
                       "virtconsole,chardev=c0", NULL),
                  "%s", err);
    ck_assert_uint_eq(devices.n, 1);
    ck_assert_ptr_eq(devices.dev[0]->type, &virtconsole_type);
    ck_assert_str_eq(device_prop(devices.dev[0], "chardev"), "c0");
    /* A chardev may be given after the device that names it. */
    ck_assert(plan("-device", "virtconsole,chardev=s", "-chardev",
                   "socket,id=s,host=127.0.0.1,port=4444,server=on,wait=off", NULL));
    ck_assert(!plan("-device", "virtconsole,chardev=zz", NULL));
    assert_error_mentions("no -chardev with id=zz");
    ck_assert(!plan("-chardev", "null,id=n", "-device", "virtconsole,chardev=n", "-device",
                    "virtconsole,chardev=n", NULL));
    assert_error_mentions("chardev 'n' is already in use");
}
END_TEST

/* The help text, captured through a temporary file. */
static char *help_for(const char *spec, bool *asked, bool *failed)
{
    ck_assert(plan("-device", spec, NULL) || true);
    FILE *f = tmpfile();
    ck_assert_ptr_nonnull(f);
    *asked = user_devices_help(&opts, f, failed, err, sizeof(err));
    long len = ftell(f);
    char *text = calloc(1, (size_t)len + 1);
    ck_assert_ptr_nonnull(text);
    rewind(f);
    ck_assert_uint_eq(fread(text, 1, (size_t)len, f), (size_t)len);
    fclose(f);
    return text;
}

START_TEST(test_help)
{
    bool asked, failed;
    char *text = help_for("help", &asked, &failed);
    ck_assert(asked && !failed);
    ck_assert_ptr_nonnull(strstr(text, "name \"virtio-blk-device\", bus virtio-bus"));
    ck_assert_ptr_nonnull(strstr(text, "name \"virtconsole\""));
    ck_assert_ptr_null(strstr(text, "virtio-mmio"));
    free(text);

    text = help_for("virtio-blk-device,help", &asked, &failed);
    ck_assert(asked && !failed);
    ck_assert_ptr_nonnull(strstr(text, "virtio-blk-device options:"));
    ck_assert_ptr_nonnull(strstr(text, "drive=<str (a -drive id)>"));
    ck_assert_ptr_nonnull(strstr(text, "(required)"));
    ck_assert_ptr_nonnull(strstr(text, "id=<str>"));
    free(text);

    text = help_for("bogus,help", &asked, &failed);
    ck_assert(asked && failed);
    assert_error_mentions("-device bogus: unknown device");
    free(text);

    text = help_for("virtio-rng-device", &asked, &failed);
    ck_assert(!asked);
    free(text);
}
END_TEST

START_TEST(test_property_types_checked)
{
    /* A drive id is an id: no spaces. */
    ck_assert(!plan("-device", "virtio-blk-device,drive=a b", NULL));
    assert_error_mentions("drive=a b: expected str (a -drive id)");
}
END_TEST

static Suite *board_devices_suite(void)
{
    Suite *s = suite_create("board_devices");
    TCase *tc = tcase_create("create");
    tcase_add_checked_fixture(tc, NULL, teardown);
    tcase_add_test(tc, test_drives_and_devices_in_order);
    tcase_add_test(tc, test_device_ids);
    tcase_add_test(tc, test_drive_references);
    tcase_add_test(tc, test_unknown_devices_and_properties);
    tcase_add_test(tc, test_too_many_virtio_devices);
    tcase_add_test(tc, test_console_pair_and_chardevs);
    tcase_add_test(tc, test_help);
    tcase_add_test(tc, test_property_types_checked);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return run_suite(board_devices_suite());
}
