/* tests/unit/test_options.c: unit tests for util/options.c: QEMU-style sizes
 * and the command line, including the one-line errors a user sees. */
#include <stdarg.h>
#include <string.h>

#include "tests/unit/harness.h"
#include "util/log.h"
#include "util/options.h"

#define MIB (1ull << 20)
#define GIB (1ull << 30)

static EmberOptions opts;
static char err[256];

/* Parses "ember" followed by the given arguments (NULL-terminated). */
static bool parse(const char *first, ...)
{
    char *argv[32] = {"ember"};
    int argc = 1;
    va_list ap;
    va_start(ap, first);
    for (const char *arg = first; arg; arg = va_arg(ap, const char *)) {
        ck_assert_int_lt(argc, 31);
        argv[argc++] = (char *)arg;
    }
    va_end(ap);
    argv[argc] = NULL;
    memset(err, 0, sizeof(err));
    return options_parse(argc, argv, &opts, err, sizeof(err));
}

static void assert_error_mentions(const char *needle)
{
    ck_assert_msg(strstr(err, needle) != NULL, "error '%s' does not mention '%s'", err, needle);
    ck_assert_msg(strchr(err, '\n') == NULL, "error '%s' is not one line", err);
}

static void assert_size(const char *text, uint64_t expected)
{
    uint64_t value = 0xdeadbeef;
    ck_assert_msg(parse_size(text, &value), "'%s' rejected", text);
    ck_assert_msg(value == expected, "'%s' = %llu, expected %llu", text, (unsigned long long)value,
                  (unsigned long long)expected);
}

static void assert_bad_size(const char *text)
{
    uint64_t value = 12345;
    ck_assert_msg(!parse_size(text, &value), "'%s' accepted as %llu", text,
                  (unsigned long long)value);
    ck_assert_msg(value == 12345, "'%s' changed the output although rejected", text);
}

START_TEST(test_size_suffixes)
{
    assert_size("128M", 128 * MIB);
    assert_size("128m", 128 * MIB);
    assert_size("1G", GIB);
    assert_size("2048K", 2 * MIB);
    assert_size("1T", 1ull << 40);
    assert_size("4096B", 4096);
    assert_size("1MiB", MIB);
    assert_size("0", 0);
}
END_TEST

START_TEST(test_size_without_suffix_is_mib)
{
    /* As QEMU's -m: a bare number counts MiB. */
    assert_size("512", 512 * MIB);
}
END_TEST

START_TEST(test_size_rejects_junk)
{
    assert_bad_size("");
    assert_bad_size("12X");
    assert_bad_size("-5");
    assert_bad_size("+5");
    assert_bad_size("M");
    assert_bad_size("1.5G");
    assert_bad_size("1G ");
    assert_bad_size("1GG");
    assert_bad_size("0x10M");
}
END_TEST

START_TEST(test_size_rejects_overflow)
{
    assert_bad_size("99999999999999999999G"); /* beyond strtoull */
    assert_bad_size("18446744073709551616B"); /* 2^64 */
    assert_bad_size("17179869184G");          /* 2^34 GiB = 2^64 bytes */
    assert_bad_size("16777216T");             /* 2^24 TiB = 2^64 bytes */
    assert_size("18446744073709551615B", UINT64_MAX);
    assert_size("17179869183G", 17179869183ull << 30);
}
END_TEST

/* strtoull skips leading white space and then accepts '-', so " -5B" must
 * be rejected before it wraps to 2^64 - 5 bytes. */
START_TEST(test_size_rejects_negative_after_space)
{
    assert_bad_size(" -5B");
    assert_bad_size("\t-4096B");
}
END_TEST

START_TEST(test_size_null)
{
    uint64_t value = 12345;
    ck_assert(!parse_size(NULL, &value));
    ck_assert(value == 12345);
}
END_TEST

START_TEST(test_defaults)
{
    ck_assert(parse(NULL));
    ck_assert_str_eq(opts.machine, "virt");
    ck_assert_uint_eq(opts.ram_size, EMBER_DEFAULT_RAM_SIZE);
    ck_assert_uint_eq(opts.smp, 1);
    ck_assert_ptr_null(opts.bios);
    ck_assert_ptr_null(opts.kernel);
    ck_assert(!opts.nographic);
    ck_assert_uint_eq(opts.log_mask, 0);
    ck_assert(!opts.show_help && !opts.show_version && !opts.show_log_help);
}
END_TEST

START_TEST(test_ram_size)
{
    ck_assert(parse("-m", "256M", NULL));
    ck_assert_uint_eq(opts.ram_size, 256 * MIB);
    ck_assert(parse("-m", "1G", NULL));
    ck_assert_uint_eq(opts.ram_size, GIB);
    ck_assert(parse("-m", "2048", NULL));
    ck_assert_uint_eq(opts.ram_size, 2 * GIB);
    ck_assert(parse("-m", "size=512M", NULL));
    ck_assert_uint_eq(opts.ram_size, 512 * MIB);
    ck_assert(parse("-m", "16M", NULL)); /* the minimum */
    ck_assert_uint_eq(opts.ram_size, 16 * MIB);
    ck_assert(parse("-m", "64G", NULL)); /* the maximum */
    ck_assert_uint_eq(opts.ram_size, EMBER_MAX_RAM_SIZE);
    ck_assert(parse("-m", "256M", "-m", "512M", NULL)); /* the last one wins */
    ck_assert_uint_eq(opts.ram_size, 512 * MIB);
}
END_TEST

START_TEST(test_ram_size_out_of_range)
{
    ck_assert(!parse("-m", "15M", NULL));
    assert_error_mentions("15M");
    ck_assert(!parse("-m", "16383K", NULL));
    assert_error_mentions("16383K");
    ck_assert(!parse("-m", "0", NULL));
    ck_assert(!parse("-m", "65G", NULL));
    assert_error_mentions("65G");
    ck_assert(!parse("-m", "16777217B", NULL)); /* not a whole number of pages */
    ck_assert(!parse("-m", "99999999999999999999G", NULL));
}
END_TEST

START_TEST(test_ram_size_invalid)
{
    ck_assert(!parse("-m", "lots", NULL));
    assert_error_mentions("lots");
    assert_error_mentions("-m");
    ck_assert(!parse("-m", "", NULL));
    assert_error_mentions("-m");
}
END_TEST

START_TEST(test_smp)
{
    ck_assert(parse("-smp", "1", NULL));
    ck_assert_uint_eq(opts.smp, 1);
    ck_assert(parse("-smp", "cpus=1", NULL));
    ck_assert_uint_eq(opts.smp, 1);
    ck_assert(parse("-smp", "4", NULL));
    ck_assert_uint_eq(opts.smp, 4);
    ck_assert(parse("-smp", "8", NULL));
    ck_assert_uint_eq(opts.smp, 8);
    /* QEMU's topology: the count follows from it, or must agree with it. */
    ck_assert(parse("-smp", "cores=2,threads=2", NULL));
    ck_assert_uint_eq(opts.smp, 4);
    ck_assert(parse("-smp", "cpus=4,sockets=1,cores=4,threads=1,maxcpus=4", NULL));
    ck_assert_uint_eq(opts.smp, 4);
    ck_assert(parse("-smp", "2,threads=2", NULL));
    ck_assert_uint_eq(opts.smp, 2);
}
END_TEST

START_TEST(test_smp_rejected)
{
    ck_assert(!parse("-smp", "9", NULL));
    assert_error_mentions("at most 8 harts");
    ck_assert(!parse("-smp", "4,cores=3", NULL));
    assert_error_mentions("!= maxcpus");
    ck_assert(!parse("-smp", "2,maxcpus=4", NULL));
    assert_error_mentions("no hart hotplug");
    ck_assert(!parse("-smp", "4,sockets=2", NULL));
    assert_error_mentions("one socket");
    ck_assert(!parse("-smp", "4,books=2", NULL));
    assert_error_mentions("unknown option 'books'");
    ck_assert(!parse("-smp", "0", NULL));
    assert_error_mentions("-smp");
    ck_assert(!parse("-smp", "two", NULL));
    assert_error_mentions("two");
    ck_assert(!parse("-smp", "1x", NULL));
    ck_assert(!parse("-smp", "", NULL));
    ck_assert(!parse("-smp", "-1", NULL));
    /* Invalid, not a huge number that is "not supported". */
    assert_error_mentions("invalid -smp value '-1'");
    ck_assert(!parse("-smp", "+1", NULL));
    ck_assert(!parse("-smp", " 1", NULL));
    ck_assert(!parse("-smp", "99999999999999999999999", NULL));
    assert_error_mentions("invalid");
}
END_TEST

START_TEST(test_parse_uint)
{
    unsigned long long n;
    ck_assert(parse_uint("0", 10, &n));
    ck_assert_uint_eq(n, 0);
    ck_assert(parse_uint("10", 10, &n));
    ck_assert_uint_eq(n, 10);
    ck_assert(!parse_uint("11", 10, &n));
    ck_assert(!parse_uint("-1", ~0ull, &n));
    ck_assert(!parse_uint("", ~0ull, &n));
    ck_assert(!parse_uint("1 ", ~0ull, &n));
    ck_assert(!parse_uint("0x10", ~0ull, &n));
    ck_assert(!parse_uint("18446744073709551616", ~0ull, &n));
    ck_assert(!parse_uint(NULL, ~0ull, &n));
}
END_TEST

START_TEST(test_unknown_option)
{
    ck_assert(!parse("-frobnicate", NULL));
    assert_error_mentions("-frobnicate");
    ck_assert(!parse("kernel.elf", NULL));
    assert_error_mentions("kernel.elf");
    ck_assert(!parse("-", NULL));
    ck_assert(!parse("--", NULL));
    ck_assert(!parse("-mm", "128M", NULL));
    assert_error_mentions("-mm");
}
END_TEST

START_TEST(test_missing_argument)
{
    ck_assert(!parse("-m", NULL));
    assert_error_mentions("-m");
    ck_assert(!parse("-nographic", "-kernel", NULL));
    assert_error_mentions("-kernel");
    ck_assert(!parse("-d", NULL));
    assert_error_mentions("-d");
}
END_TEST

START_TEST(test_machine)
{
    ck_assert(parse("-M", "virt", NULL));
    ck_assert_str_eq(opts.machine, "virt");
    ck_assert(parse("-machine", "virt", NULL));
    ck_assert_str_eq(opts.machine, "virt");
    ck_assert(!parse("-M", "sifive_u", NULL));
    assert_error_mentions("sifive_u");
    ck_assert(!parse("-machine", "spike", NULL));
    assert_error_mentions("spike");
}
END_TEST

START_TEST(test_log_items)
{
    ck_assert(parse("-d", "in_asm,int", NULL));
    ck_assert_uint_eq(opts.log_mask, LOG_IN_ASM | LOG_INT);
    ck_assert(!opts.show_log_help);
    ck_assert(parse("-d", "mmu", "-D", "/tmp/ember.log", NULL));
    ck_assert_uint_eq(opts.log_mask, LOG_MMU);
    ck_assert_str_eq(opts.log_path, "/tmp/ember.log");
    /* Parsing never touches the global mask: main applies it. */
    ck_assert_uint_eq(log_mask, 0);
}
END_TEST

START_TEST(test_log_items_bogus)
{
    ck_assert(!parse("-d", "bogus", NULL));
    assert_error_mentions("bogus");
    ck_assert(!parse("-d", "in_asm,nonsense,int", NULL));
    assert_error_mentions("nonsense");
    ck_assert_msg(strstr(err, "in_asm") == NULL, "error '%s' names a valid item", err);
}
END_TEST

START_TEST(test_log_help)
{
    ck_assert(parse("-d", "help", NULL));
    ck_assert(opts.show_log_help);
}
END_TEST

START_TEST(test_help_and_version)
{
    ck_assert(parse("-h", NULL));
    ck_assert(opts.show_help);
    ck_assert(parse("--help", NULL));
    ck_assert(opts.show_help);
    ck_assert(!opts.show_version);
    ck_assert(parse("-V", NULL));
    ck_assert(opts.show_version);
    ck_assert(parse("--version", NULL));
    ck_assert(opts.show_version);
    ck_assert(!opts.show_help);
}
END_TEST

START_TEST(test_double_dash_spellings)
{
    /* QEMU accepts --opt for every -opt. */
    ck_assert(parse("--nographic", "--m", "64M", "--machine", "virt", NULL));
    ck_assert(opts.nographic);
    ck_assert_uint_eq(opts.ram_size, 64 * MIB);
}
END_TEST

START_TEST(test_files_and_strings)
{
    ck_assert(parse("-bios", "none", "-kernel", "Image", "-initrd", "rootfs.cpio", "-append",
                    "console=ttyS0 earlycon", "-nographic", NULL));
    ck_assert_str_eq(opts.bios, "none");
    ck_assert_str_eq(opts.kernel, "Image");
    ck_assert_str_eq(opts.initrd, "rootfs.cpio");
    ck_assert_str_eq(opts.append, "console=ttyS0 earlycon");
    ck_assert(opts.nographic);
}
END_TEST

START_TEST(test_option_values_may_look_like_options)
{
    /* The argument of -append is taken verbatim even if it starts with '-'. */
    ck_assert(parse("-append", "-m", NULL));
    ck_assert_str_eq(opts.append, "-m");
    ck_assert_uint_eq(opts.ram_size, EMBER_DEFAULT_RAM_SIZE);
}
END_TEST

START_TEST(test_error_truncated_safely)
{
    char small[8];
    memset(small, 'x', sizeof(small));
    char *argv[] = {"ember", "-a-very-long-unknown-option", NULL};
    ck_assert(!options_parse(2, argv, &opts, small, sizeof(small)));
    ck_assert_uint_eq(strlen(small), sizeof(small) - 1);
}
END_TEST

START_TEST(test_drive_virtio)
{
    ck_assert(parse("-drive", "file=disk.img,format=raw,if=virtio", NULL));
    ck_assert_uint_eq(opts.ndrives, 1);
    ck_assert_str_eq(opts.drives[0].file, "disk.img");
    ck_assert(!opts.drives[0].readonly);
    /* The drive gets a made-up id and the device that stands for it. */
    ck_assert_str_eq(opts.drives[0].id, "#0");
    ck_assert_uint_eq(opts.ndevices, 1);
    ck_assert_str_eq(opts.devices[0].spec, "virtio-blk-device,drive=#0");
    /* if=virtio is the default; ",," is a comma in a file name. */
    ck_assert(parse("-drive", "file=a,,b.img,readonly=on,id=d0", NULL));
    ck_assert_str_eq(opts.drives[0].file, "a,b.img");
    ck_assert_str_eq(opts.drives[0].id, "d0");
    ck_assert(opts.drives[0].readonly);
    ck_assert_uint_eq(opts.ndevices, 1);
    /* The format is the block layer's to judge; snapshot=on is kept. */
    ck_assert(parse("-drive", "file=t.qcow2,format=qcow2,snapshot=on", NULL));
    ck_assert_str_eq(opts.drives[0].format, "qcow2");
    ck_assert(opts.drives[0].snapshot);
    ck_assert(parse("-snapshot", NULL));
    ck_assert(opts.snapshot);
}
END_TEST

START_TEST(test_drive_if_none_with_device)
{
    /* The -device may come before the -drive it names, as in QEMU. */
    ck_assert(parse("-device", "virtio-rng-device", "-device", "virtio-blk-device,drive=hd",
                    "-drive", "if=none,id=hd,file=x.img", NULL));
    ck_assert_uint_eq(opts.ndevices, 2);
    ck_assert_str_eq(opts.devices[0].spec, "virtio-rng-device");
    ck_assert_str_eq(opts.devices[1].spec, "virtio-blk-device,drive=hd");
    ck_assert(opts.drives[0].if_none);
}
END_TEST

START_TEST(test_nic_and_netdev)
{
    ck_assert(parse("-nic", "user,hostfwd=tcp::2222-:22,mac=52:54:00:00:00:01,hostfwd=udp::7-:7",
                    "-netdev", "socket,id=s0,listen=:7777", NULL));
    ck_assert_uint_eq(opts.nnetdevs, 2);
    ck_assert_str_eq(opts.netdevs[0].id, "__org.qemu.nic0");
    ck_assert_str_eq(opts.netdevs[0].spec,
                     "user,hostfwd=tcp::2222-:22,hostfwd=udp::7-:7,id=__org.qemu.nic0");
    ck_assert_str_eq(opts.devices[0].spec,
                     "virtio-net-device,netdev=__org.qemu.nic0,mac=52:54:00:00:00:01");
    ck_assert_str_eq(opts.netdevs[1].id, "s0");
    ck_assert(parse("-nic", "none", NULL));
    ck_assert_uint_eq(opts.nnetdevs + opts.ndevices, 0);
    ck_assert(!parse("-nic", "user,model=e1000", NULL));
    assert_error_mentions("model 'e1000' is not supported");
    ck_assert(!parse("-netdev", "user", NULL));
    assert_error_mentions("Parameter 'id' is missing");
    ck_assert(!parse("-netdev", "user,id=a", "-netdev", "socket,id=a,listen=:1", NULL));
    assert_error_mentions("Duplicate ID 'a' for netdev");
    ck_assert(parse("-object", "filter-dump,id=f,netdev=a,file=x.pcap", NULL));
    ck_assert_uint_eq(opts.filters[0].maxlen, 65536);
    ck_assert(!parse("-object", "filter-mirror,id=f,netdev=a", NULL));
    assert_error_mentions("type 'filter-mirror' is not supported");
    ck_assert(!parse("-object", "filter-dump,id=f,file=x", NULL));
    assert_error_mentions("needs id=, netdev= and file=");
}
END_TEST

START_TEST(test_drive_errors)
{
    ck_assert(!parse("-drive", "file=x.img,format=", NULL));
    assert_error_mentions("format '' is not one ember knows");
    ck_assert(!parse("-drive", "file=x.img,snapshot=maybe", NULL));
    assert_error_mentions("snapshot=maybe: say on or off");
    ck_assert(!parse("-drive", "format=raw", NULL));
    assert_error_mentions("needs file=");
    ck_assert(!parse("-drive", "file=x,if=ide", NULL));
    assert_error_mentions("if=ide");
    ck_assert(!parse("-drive", "file=x,readonly=maybe", NULL));
    assert_error_mentions("readonly=maybe");
    ck_assert(!parse("-drive", "file=x,cache=none", NULL));
    assert_error_mentions("unknown option 'cache'");
    ck_assert(!parse("-drive", "file=x,id=a,if=none", "-drive", "file=y,id=a,if=none", NULL));
    assert_error_mentions("duplicate id 'a'");
    /* Made-up ids start with '#': a user's may not. */
    ck_assert(!parse("-drive", "file=x,id=#0", NULL));
    assert_error_mentions("invalid id '#0'");
}
END_TEST

START_TEST(test_chardev_and_console)
{
    ck_assert(parse("-chardev", "stdio,id=c0", "-device", "virtio-serial-device", "-device",
                    "virtconsole,chardev=c0", NULL));
    ck_assert_uint_eq(opts.nchardevs, 1);
    ck_assert_str_eq(opts.chardevs[0].spec, "stdio");

    ck_assert(parse("-device", "virtconsole,chardev=s", "-chardev",
                    "socket,id=s,host=127.0.0.1,port=4444,server=on,wait=off", NULL));
    ck_assert_str_eq(opts.chardevs[0].spec, "tcp:127.0.0.1:4444,server,nowait");
    ck_assert(parse("-chardev", "file,id=f,path=/tmp/out.txt", NULL));
    ck_assert_str_eq(opts.chardevs[0].spec, "file:/tmp/out.txt");

    ck_assert(!parse("-chardev", "stdio", NULL));
    assert_error_mentions("needs id=");
    ck_assert(!parse("-chardev", "pty,id=p", NULL));
    assert_error_mentions("use stdio, null, file");
}
END_TEST

/* -device is only text here: the board resolves it through the device
 * registry (tests/unit/test_board_devices.c). */
START_TEST(test_device_specs_kept)
{
    ck_assert(parse("-device", "virtio-net-device,foo=1", "-device", "help", NULL));
    ck_assert_uint_eq(opts.ndevices, 2);
    ck_assert_str_eq(opts.devices[0].spec, "virtio-net-device,foo=1");
    ck_assert_str_eq(opts.devices[1].spec, "help");
}
END_TEST

static Suite *options_suite(void)
{
    Suite *s = suite_create("options");
    TCase *sizes = tcase_create("parse_size");
    tcase_add_test(sizes, test_size_suffixes);
    tcase_add_test(sizes, test_size_without_suffix_is_mib);
    tcase_add_test(sizes, test_size_rejects_junk);
    tcase_add_test(sizes, test_size_rejects_overflow);
    tcase_add_test(sizes, test_size_rejects_negative_after_space);
    tcase_add_test(sizes, test_size_null);
    tcase_add_test(sizes, test_parse_uint);
    suite_add_tcase(s, sizes);

    TCase *cmdline = tcase_create("options_parse");
    tcase_add_test(cmdline, test_defaults);
    tcase_add_test(cmdline, test_ram_size);
    tcase_add_test(cmdline, test_ram_size_out_of_range);
    tcase_add_test(cmdline, test_ram_size_invalid);
    tcase_add_test(cmdline, test_smp);
    tcase_add_test(cmdline, test_smp_rejected);
    tcase_add_test(cmdline, test_unknown_option);
    tcase_add_test(cmdline, test_missing_argument);
    tcase_add_test(cmdline, test_machine);
    tcase_add_test(cmdline, test_log_items);
    tcase_add_test(cmdline, test_log_items_bogus);
    tcase_add_test(cmdline, test_log_help);
    tcase_add_test(cmdline, test_help_and_version);
    tcase_add_test(cmdline, test_double_dash_spellings);
    tcase_add_test(cmdline, test_files_and_strings);
    tcase_add_test(cmdline, test_option_values_may_look_like_options);
    tcase_add_test(cmdline, test_error_truncated_safely);
    tcase_add_test(cmdline, test_drive_virtio);
    tcase_add_test(cmdline, test_drive_if_none_with_device);
    tcase_add_test(cmdline, test_drive_errors);
    tcase_add_test(cmdline, test_nic_and_netdev);
    tcase_add_test(cmdline, test_device_specs_kept);
    tcase_add_test(cmdline, test_chardev_and_console);
    suite_add_tcase(s, cmdline);
    return s;
}

int main(void)
{
    return run_suite(options_suite());
}
