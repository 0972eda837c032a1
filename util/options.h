/* util/options.h: the command line (QEMU's spellings) parsed into a machine
 * configuration; pure, so it can be unit-tested. */
#ifndef EMBER_UTIL_OPTIONS_H
#define EMBER_UTIL_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* -drive: a disk image; if=virtio gives it a virtio-blk device, if=none
 * waits for -device virtio-blk-device,drive=ID. Ids starting with '#' are
 * the ones ember makes up, as QEMU's generated ids do. */
#define EMBER_MAX_DRIVES 8
#define EMBER_OPTION_TEXT 1024
typedef struct DriveOption {
    char file[EMBER_OPTION_TEXT];
    char format[16]; /* empty: none given, the format is probed; the block
                        layer checks it is one ember reads */
    char id[32];     /* as given; "#N" (the Nth -drive) when none was */
    bool readonly;
    bool if_none;
    /* snapshot=on (or -snapshot): writes go to a temporary overlay, the
     * image is never written. */
    bool snapshot;
} DriveOption;

/* -chardev BACKEND,id=ID,...: kept as a -serial style spec ("stdio",
 * "null", "file:PATH", "tcp:HOST:PORT,server,nowait") for chardev_open. */
#define EMBER_MAX_CHARDEVS 4
typedef struct ChardevOption {
    char id[32];
    char spec[EMBER_OPTION_TEXT + 16];
    bool mux; /* mux=on: a device and a monitor may share it */
} ChardevOption;

/* -monitor DEV, -qmp DEV and -mon chardev=ID,mode=...: a monitor on a
 * device spec of its own (as -serial's) or on a -chardev. */
#define EMBER_MAX_MONITORS 4
typedef struct MonitorOption {
    const char *spec; /* NULL: on the -chardev named by chardev */
    char chardev[32];
    bool control; /* QMP; else the human monitor */
} MonitorOption;

/* -device NAME,... as given, and the virtio-blk-device a -drive if=virtio
 * stands for, in command-line order: the first gets the highest virtio-mmio
 * slot, as in QEMU, which Linux probes first (vda). The board resolves the
 * names through the device registry; here they are only text. */
#define EMBER_MAX_DEVICES 16
typedef struct DeviceOption {
    char spec[EMBER_OPTION_TEXT + 64];
} DeviceOption;

/* -netdev TYPE,id=ID,... as given (the backend checks the rest when it is
 * opened), and the one each -nic stands for. */
#define EMBER_MAX_NETDEVS 8
typedef struct NetdevOption {
    char id[32];
    char spec[EMBER_OPTION_TEXT + 64];
} NetdevOption;

/* -object filter-dump,id=ID,netdev=ND,file=PATH[,maxlen=N] */
#define EMBER_MAX_FILTERS 8
typedef struct FilterDumpOption {
    char id[32];
    char netdev[32];
    char file[EMBER_OPTION_TEXT];
    uint64_t maxlen;
} FilterDumpOption;

/* -display: which front end shows the guest's screen. The default is sdl
 * when the machine has a display device and the host a graphical session
 * (DISPLAY or WAYLAND_DISPLAY), none otherwise. */
typedef enum DisplayKind { DISPLAY_DEFAULT, DISPLAY_NONE, DISPLAY_SDL } DisplayKind;
typedef struct DisplayOption {
    DisplayKind kind;
    bool full_screen;     /* -full-screen, or full-screen=on */
    bool no_window_close; /* window-close=off: closing the window does not quit */
} DisplayOption;

typedef struct EmberOptions {
    const char *machine;
    uint64_t ram_size;
    const char *cpu;  /* -cpu: model and extensions, NULL for rv64's defaults */
    unsigned smp;     /* harts, 1..EMBER_MAX_HARTS */
    const char *bios; /* NULL: the default firmware; "none": no firmware */
    const char *kernel;
    const char *initrd;
    const char *append;
    const char *dtb;     /* -dtb: replaces the generated device tree */
    const char *dumpdtb; /* -M virt,dumpdtb=FILE: write the tree and exit */
    bool nographic;
    DisplayOption display;
    bool snapshot;      /* -snapshot: every drive as with snapshot=on */
    const char *serial; /* -serial SPEC (default stdio) */
    DriveOption drives[EMBER_MAX_DRIVES];
    unsigned ndrives;
    ChardevOption chardevs[EMBER_MAX_CHARDEVS];
    unsigned nchardevs;
    DeviceOption devices[EMBER_MAX_DEVICES];
    unsigned ndevices;
    NetdevOption netdevs[EMBER_MAX_NETDEVS];
    unsigned nnetdevs;
    FilterDumpOption filters[EMBER_MAX_FILTERS];
    unsigned nfilters;
    const char *gdb; /* -gdb DEV, or tcp::1234 for -s */
    MonitorOption monitors[EMBER_MAX_MONITORS];
    unsigned nmonitors;
    bool no_default_monitor; /* -monitor none (or vc, with no display) */
    bool start_stopped;      /* -S: the hart waits for a debugger's continue */
    const char *incoming;    /* -incoming URI|defer */
    const char *loadvm;      /* -loadvm TAG */
    unsigned log_mask;
    const char *log_path;
    bool show_help;
    bool show_version;
    bool show_log_help;
} EmberOptions;

/* Harts a machine may have (the virt board's ACLINT and PLIC are sized
 * for them). */
#define EMBER_MAX_HARTS 8

#define EMBER_DEFAULT_RAM_SIZE (128ull << 20)
#define EMBER_MAX_RAM_SIZE (64ull << 30)

/* Parses a plain decimal number no larger than max: digits only, so a
 * negative or malformed number is invalid rather than huge. */
bool parse_uint(const char *text, unsigned long long max, unsigned long long *out);

/* Parses a QEMU-style size: a number with an optional K/M/G/T suffix
 * (bytes if B, MiB when no suffix, as -m does). */
bool parse_size(const char *text, uint64_t *out);

/* Fills *opts from argv. On failure returns false with one message naming
 * the culprit in err. Only checks syntax and ranges; files are opened later. */
bool options_parse(int argc, char **argv, EmberOptions *opts, char *err, size_t errlen);

void options_print_help(const char *argv0);

#endif
