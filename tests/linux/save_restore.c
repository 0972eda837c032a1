/* tests/linux/save_restore.c: the state tables are complete. Linux boots
 * to its shell on the virt board; the whole machine (clock, RAM, devices,
 * hart) is saved into memory; a command runs that changes the guest (a
 * file in its tmpfs) and prints; the machine is restored: its RAM and its
 * state are then exactly the saved ones, and the same command prints the
 * same again (the file it makes is not there yet, as at the save). Then
 * damaged copies of the stream (bytes flipped and their CRCs made right
 * again, so the damage reaches the device sections) are refused or
 * loaded without harm, and the guest powers off normally.
 *
 *   save_restore GUEST_DIR
 *
 * The guest's console is this program's stdin and stdout (pipes it makes);
 * what it reports goes to stderr. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <zlib.h>

#include "machine/virt.h"
#include "machine/virt_state.h"
#include "util/options.h"
#include "util/timer.h"

#define TIMEOUT_S 120

static VirtMachine machine;
static int console_in = -1, console_out = -1; /* our ends of the guest's console */
static char output[1 << 20];
static size_t output_len, seen;

static void fail(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("save_restore: FAIL: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    fprintf(stderr, "console so far:\n%.*s\n", (int)output_len, output);
    exit(1);
}

/* The guest's console becomes a pair of pipes on stdin and stdout. */
static void console_to_pipes(void)
{
    int in[2], out[2];
    if (pipe(in) != 0 || pipe(out) != 0 || dup2(in[0], STDIN_FILENO) < 0 ||
        dup2(out[1], STDOUT_FILENO) < 0)
        fail("pipes: %s", strerror(errno));
    close(in[0]);
    close(out[1]);
    console_in = in[1];
    console_out = out[0];
    fcntl(console_out, F_SETFL, fcntl(console_out, F_GETFL) | O_NONBLOCK);
}

static void drain(void)
{
    for (;;) {
        ssize_t n = read(console_out, output + output_len, sizeof(output) - 1 - output_len);
        if (n <= 0)
            break;
        output_len += (size_t)n;
        output[output_len] = '\0';
    }
}

/* Runs the machine until text appears after what was seen; returns where
 * it starts. */
static size_t run_until(const char *text)
{
    time_t deadline = time(NULL) + TIMEOUT_S;
    for (;;) {
        drain();
        char *at = strstr(output + seen, text);
        if (at) {
            seen = (size_t)(at - output) + strlen(text);
            return (size_t)(at - output);
        }
        if (time(NULL) > deadline)
            fail("no '%s' within %d s", text, TIMEOUT_S);
        int status = virt_run_slice(&machine);
        if (status >= 0)
            fail("ember ended (status %d) before '%s'", status, text);
    }
}

static void type(const char *line)
{
    size_t len = strlen(line);
    if (write(console_in, line, len) != (ssize_t)len || write(console_in, "\r", 1) != 1)
        fail("cannot type into the console");
}

/* What command prints, between two markers the shell prints (the tty
 * echoes the typed command, so the markers are split in it). */
static char *run_command(const char *command)
{
    char line[512];
    snprintf(line, sizeof(line), "echo BEGIN''MARK; %s; echo END''MARK", command);
    type(line);
    size_t start = run_until("BEGINMARK") + strlen("BEGINMARK");
    size_t end = run_until("ENDMARK");
    run_until("# ");
    char *text = strndup(output + start, end - start);
    if (!text)
        fail("out of memory");
    return text;
}

static uint32_t crc_of(const uint8_t *data, size_t len)
{
    return (uint32_t)crc32(crc32(0, Z_NULL, 0), data, (uInt)len);
}

static void put_le32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static uint32_t get_le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* Where the DEVICES section's payload lies in a stream (type 2). */
static void find_devices(const uint8_t *data, size_t len, size_t *start, size_t *n)
{
    *start = *n = 0;
    size_t pos = 16 + (size_t)get_le32(data + 12) + 4;
    while (pos + 9 <= len) {
        size_t size = get_le32(data + pos + 1);
        if (data[pos] == 2) {
            *start = pos + 5;
            *n = size;
            return;
        }
        pos += 9 + size;
    }
}

/* Recomputes the header's and every section's CRC (migration/STREAM.md)
 * as far as the lengths lead. */
static void fix_crcs(uint8_t *data, size_t len)
{
    if (len < 16)
        return;
    size_t pos = 16 + (size_t)get_le32(data + 12);
    if (pos + 4 > len)
        return;
    put_le32(data + pos, crc_of(data, pos));
    for (pos += 4; pos + 9 <= len;) {
        size_t n = get_le32(data + pos + 1);
        if (n > len - pos - 9)
            return;
        put_le32(data + pos + 5 + n, crc_of(data + pos, 5 + n));
        pos += 9 + n;
    }
}

/* Damaged streams, past their CRCs: refused, or loaded (a flipped byte
 * may land in guest RAM, or leave a valid value) without harm. The
 * machine is then restored from the good stream again. */
static void load_damaged_streams(const StateBuffer *saved)
{
    uint8_t *copy = malloc(saved->len);
    if (!copy)
        fail("out of memory");
    uint64_t seed = 0x5eed;
    unsigned refused = 0;
    size_t devices, devices_len;
    find_devices(saved->data, saved->len, &devices, &devices_len);
    if (!devices_len)
        fail("no DEVICES section in the saved stream");
    for (int round = 0; round < 300; round++) {
        memcpy(copy, saved->data, saved->len);
        /* Most rounds damage the devices' and the hart's state, the rest
         * anything. */
        for (int k = 0; k < 3; k++) {
            seed ^= seed << 13, seed ^= seed >> 7, seed ^= seed << 17;
            size_t at = round % 6 ? devices + seed % devices_len : seed % saved->len;
            copy[at] ^= (uint8_t)(1 + (seed >> 32) % 255);
        }
        fix_crcs(copy, saved->len);
        char err[512];
        bool loaded = virt_load_state(&machine, copy, saved->len, err, sizeof(err));
        refused += !loaded;
        if (!loaded && round < 5)
            fprintf(stderr, "save_restore: damaged stream %d: %s\n", round, err);
    }
    free(copy);
    char err[512];
    if (!virt_load_state(&machine, saved->data, saved->len, err, sizeof(err)))
        fail("restore after the damaged streams: %s", err);
    fprintf(stderr, "save_restore: 300 damaged streams, %u refused, none harmful\n", refused);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: save_restore GUEST_DIR\n");
        return 2;
    }
    console_to_pipes();
    char image[1024], initrd[1024];
    snprintf(image, sizeof(image), "%s/Image", argv[1]);
    snprintf(initrd, sizeof(initrd), "%s/initramfs.cpio.gz", argv[1]);
    char *args[] = {"ember",   "-M",   "virt",    "-nographic",    "-kernel", image,
                    "-initrd", initrd, "-append", "console=ttyS0", "-device", "virtio-rng-device",
                    NULL};
    EmberOptions opts;
    char err[512];
    if (!options_parse((int)(sizeof(args) / sizeof(args[0])) - 1, args, &opts, err, sizeof(err)) ||
        !virt_init(&machine, &opts, err, sizeof(err)))
        fail("%s", err);

    run_until("ember: guest ready");
    run_until("# ");
    /* Linux makes boot_id at its first read, from its random pool, whose
     * input (interrupt timing) differs between runs: read it before the
     * save, so the command below reads the same id in both runs. */
    char *boot_id = run_command("cat /proc/sys/kernel/random/boot_id");

    StateBuffer saved = {0};
    if (!virt_save_state(&machine, &saved, NULL))
        fail("cannot save the machine");
    uint8_t *ram_at_save = malloc(opts.ram_size);
    if (!ram_at_save)
        fail("out of memory");
    memcpy(ram_at_save, machine.ram->host, opts.ram_size);
    fprintf(stderr, "save_restore: saved %zu bytes of state\n", saved.len);

    const char *command = "cat /tmp/made 2>&1; echo made > /tmp/made; echo $((6 * 7)); "
                          "cat /proc/sys/kernel/random/boot_id";
    char *first = run_command(command);
    if (!strstr(first, "42") || !strstr(first, "No such file") || !strstr(first, boot_id))
        fail("the command printed '%s'", first);

    /* With the clock held, the restored machine saved again is the saved
     * stream byte for byte, its clock included. */
    clock_virtual_stop();
    if (!virt_load_state(&machine, saved.data, saved.len, err, sizeof(err)))
        fail("restore: %s", err);
    if (memcmp(machine.ram->host, ram_at_save, opts.ram_size) != 0)
        fail("RAM after the restore is not the saved RAM");
    StateBuffer again = {0};
    if (!virt_save_state(&machine, &again, NULL))
        fail("cannot save the machine again");
    clock_virtual_start();
    if (again.len != saved.len || memcmp(again.data, saved.data, saved.len) != 0)
        fail("the restored machine saves differently");
    fprintf(stderr, "save_restore: restored; RAM and state are the saved ones\n");

    char *second = run_command(command);
    if (strcmp(first, second) != 0)
        fail("after the restore the command printed '%s', before '%s'", second, first);
    fprintf(stderr, "save_restore: the same command printed the same: %s\n", second);

    clock_virtual_stop();
    load_damaged_streams(&saved);
    clock_virtual_start();
    type("poweroff");
    time_t deadline = time(NULL) + TIMEOUT_S;
    int status;
    while ((status = virt_run_slice(&machine)) < 0) {
        drain();
        if (time(NULL) > deadline)
            fail("the guest did not power off");
    }
    if (status != 0)
        fail("exit status %d after poweroff", status);
    free(boot_id);
    free(first);
    free(second);
    free(ram_at_save);
    state_buffer_free(&saved);
    state_buffer_free(&again);
    virt_destroy(&machine);
    fprintf(stderr, "save_restore: passed\n");
    return 0;
}
