/* tests/linux/save_restore.c: the state tables are complete. Linux boots
 * to its shell on the virt board; the whole machine (clock, RAM, devices,
 * hart) is saved into memory; a command runs that changes the guest (a
 * file in its tmpfs) and prints; the machine is restored: its RAM and its
 * state are then exactly the saved ones, and the same command prints the
 * same again (the file it makes is not there yet, as at the save). Then
 * the guest powers off normally.
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
