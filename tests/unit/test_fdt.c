/* test_fdt.c: the virt board's generated device tree is sized for what it
 * must hold: a long kernel command line fits (QEMU takes 100 KB), and one
 * past the tree's room is refused with a message naming -append. */
#include <libfdt.h>
#include <stdlib.h>
#include <string.h>

#include "machine/fdt.h"
#include "tests/unit/harness.h"

static void *build(const char *bootargs, size_t *size, char *err, size_t errlen)
{
    VirtFdtConfig config = {
        .ram_base = 0x80000000ull,
        .ram_size = 128ull << 20,
        .n_harts = 1,
        .ext = riscv_ext_defaults(),
        .bootargs = bootargs,
    };
    return virt_fdt_build(&config, size, err, errlen);
}

static char *repeated(size_t len)
{
    char *text = malloc(len + 1);
    ck_assert_ptr_nonnull(text);
    memset(text, 'x', len);
    text[len] = '\0';
    return text;
}

START_TEST(test_long_command_line_fits)
{
    char *args = repeated(100 * 1000);
    char err[256] = "";
    size_t size;
    void *fdt = build(args, &size, err, sizeof(err));
    ck_assert_msg(fdt != NULL, "%s", err);
    ck_assert_int_eq(fdt_check_header(fdt), 0);
    int chosen = fdt_path_offset(fdt, "/chosen");
    ck_assert_int_ge(chosen, 0);
    int len;
    const char *got = fdt_getprop(fdt, chosen, "bootargs", &len);
    ck_assert_ptr_nonnull(got);
    ck_assert_int_eq(len, 100 * 1000 + 1);
    ck_assert_str_eq(got, args);
    free(fdt);
    free(args);
}
END_TEST

START_TEST(test_small_tree_stays_small)
{
    char err[256] = "";
    size_t size;
    void *fdt = build("console=ttyS0", &size, err, sizeof(err));
    ck_assert_msg(fdt != NULL, "%s", err);
    ck_assert_uint_lt(size, 16 * 1024);
    free(fdt);
}
END_TEST

START_TEST(test_too_long_command_line_names_append)
{
    char *args = repeated(2u << 20);
    char err[256] = "";
    size_t size;
    ck_assert_ptr_null(build(args, &size, err, sizeof(err)));
    ck_assert_ptr_nonnull(strstr(err, "-append"));
    ck_assert_ptr_nonnull(strstr(err, "2097152 bytes"));
    free(args);
}
END_TEST

static Suite *fdt_suite(void)
{
    Suite *s = suite_create("fdt");
    TCase *tc = tcase_create("size");
    tcase_add_test(tc, test_long_command_line_fits);
    tcase_add_test(tc, test_small_tree_stays_small);
    tcase_add_test(tc, test_too_long_command_line_names_append);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return run_suite(fdt_suite());
}
