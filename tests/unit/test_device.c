/* tests/unit/test_device.c: the device model's property handling (hw/device.c)
 * on a device type made for the test: every property type, defaults,
 * required ones, QEMU's ",," escape, and one clear line for each bad value. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hw/device.h"
#include "tests/unit/harness.h"

static const DeviceProperty probe_props[] = {
    {.name = "label", .type = PROP_STRING, .default_value = "none", .help = "a name"},
    {.name = "fast", .type = PROP_BOOL, .default_value = "off", .help = "a flag"},
    {.name = "count", .type = PROP_UINT, .default_value = "3", .help = "a number"},
    {.name = "window", .type = PROP_SIZE, .help = "a size"},
    {.name = "chardev", .type = PROP_CHARDEV, .help = "a backend"},
    {.name = "drive", .type = PROP_DRIVE, .help = "a disk", .required = true},
    {0},
};

static int resets;

static void probe_reset(Device *dev)
{
    (void)dev;
    resets++;
}

static const DeviceType probe_type = {
    .name = "test-probe",
    .desc = "a device for the tests",
    .state_size = 16,
    .props = probe_props,
    .reset = probe_reset,
};

static char err[256];

static Device *create(const char *props)
{
    err[0] = '\0';
    return device_create(&probe_type, props, err, sizeof(err));
}

static void assert_refused(const char *props, const char *needle)
{
    Device *dev = create(props);
    ck_assert_msg(dev == NULL, "'%s' was accepted", props);
    ck_assert_msg(strstr(err, needle), "error '%s' does not mention '%s'", err, needle);
    ck_assert(!strchr(err, '\n'));
}

START_TEST(test_values_and_defaults)
{
    Device *dev = create("drive=d0,label=a,,b,fast=on,window=64K,id=p1");
    ck_assert_msg(dev != NULL, "%s", err);
    ck_assert_str_eq(dev->id, "p1");
    ck_assert_str_eq(device_prop(dev, "label"), "a,b");
    ck_assert(device_prop_bool(dev, "fast"));
    ck_assert_uint_eq(device_prop_uint(dev, "count"), 3); /* the default */
    ck_assert_uint_eq(device_prop_uint(dev, "window"), 64 * 1024);
    ck_assert_ptr_null(device_prop(dev, "chardev"));
    ck_assert_ptr_null(device_prop(dev, "nonesuch"));
    device_destroy(dev);

    /* A bare size is bytes, a flag alone is on, the last value wins. */
    dev = create("drive=d0,window=4096,fast,count=1,count=7");
    ck_assert_msg(dev != NULL, "%s", err);
    ck_assert_uint_eq(device_prop_uint(dev, "window"), 4096);
    ck_assert(device_prop_bool(dev, "fast"));
    ck_assert_uint_eq(device_prop_uint(dev, "count"), 7);
    device_destroy(dev);
}
END_TEST

START_TEST(test_bad_values)
{
    assert_refused("label=x", "test-probe: needs drive=");
    assert_refused("drive=d0,fast=maybe", "fast=maybe: expected bool");
    assert_refused("drive=d0,count=-1", "count=-1: expected uint64");
    assert_refused("drive=d0,count=0x10", "expected uint64");
    assert_refused("drive=d0,window=12Q", "window=12Q: expected size");
    assert_refused("drive=d0,chardev=a b", "expected str (a -chardev id)");
    assert_refused("drive=", "expected str (a -drive id)");
    assert_refused("drive=d0,colour=red", "no property 'colour' (-device test-probe,help");
    assert_refused("drive=d0,id=", "invalid id ''");
    assert_refused("drive=d0,id=a=b", "invalid id 'a=b'");
    assert_refused("drive=d0,=x", "bad item '=x'");
}
END_TEST

START_TEST(test_realize_and_reset)
{
    Device *dev = create("drive=d0");
    ck_assert_msg(dev != NULL, "%s", err);
    resets = 0;
    device_reset(dev); /* not realized: nothing to reset */
    ck_assert_int_eq(resets, 0);
    DeviceContext ctx = {0};
    ck_assert(device_realize(dev, &ctx, err, sizeof(err)));
    ck_assert_ptr_nonnull(dev->state);
    device_reset(dev);
    ck_assert_int_eq(resets, 1);
    device_destroy(dev);
    device_destroy(NULL);
}
END_TEST

START_TEST(test_help_lists_properties)
{
    FILE *f = tmpfile();
    ck_assert_ptr_nonnull(f);
    device_list_properties(&probe_type, f);
    long len = ftell(f);
    char *text = calloc(1, (size_t)len + 1);
    ck_assert_ptr_nonnull(text);
    rewind(f);
    ck_assert_uint_eq(fread(text, 1, (size_t)len, f), (size_t)len);
    fclose(f);
    ck_assert_ptr_nonnull(strstr(text, "test-probe options:"));
    ck_assert_ptr_nonnull(strstr(text, "count=<uint64>"));
    ck_assert_ptr_nonnull(strstr(text, "(default: 3)"));
    ck_assert_ptr_nonnull(strstr(text, "window=<size>"));
    ck_assert_ptr_nonnull(strstr(text, "drive=<str (a -drive id)> - a disk (required)"));
    free(text);
}
END_TEST

static Suite *device_suite(void)
{
    Suite *s = suite_create("device");
    TCase *tc = tcase_create("properties");
    tcase_add_test(tc, test_values_and_defaults);
    tcase_add_test(tc, test_bad_values);
    tcase_add_test(tc, test_realize_and_reset);
    tcase_add_test(tc, test_help_lists_properties);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return run_suite(device_suite());
}
