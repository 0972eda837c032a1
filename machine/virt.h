/* machine/virt.h: the QEMU-compatible "virt" board: its memory map, devices,
 * image loading and the main loop that runs it. */
#ifndef EMBER_MACHINE_VIRT_H
#define EMBER_MACHINE_VIRT_H

#include <stdbool.h>
#include <stddef.h>

#include "block/block.h"
#include "chardev/chardev.h"
#include "cpu/riscv/cpu.h"
#include "cpu/tb.h"
#include "hw/device.h"
#include "hw/intc/aclint.h"
#include "hw/intc/plic.h"
#include "hw/misc/htif.h"
#include "machine/board_devices.h"
#include "softmmu/memory.h"
#include "util/mainloop.h"
#include "util/options.h"

/* Memory that is not a device (QEMU's virt_memmap entries "mrom" and
 * "dram"); the devices' windows are in the board table (virt.c). */
enum {
    VIRT_MROM_BASE = 0x1000,
    VIRT_MROM_SIZE = 0xf000,
    VIRT_DRAM_BASE = 0x80000000,
};

/* The board's own devices: the table's rows, with every instance of a row
 * that has several (the virtio-mmio slots). */
#define VIRT_MAX_BOARD_DEVICES 24
#define VIRT_VIRTIO_COUNT 8

/* Why a hart's turn ended (virt_run_slice). */
enum TurnEnd { TURN_WAITED, TURN_YIELDED, TURN_QUANTUM, TURN_OTHER, TURN_ENDS };

typedef struct VirtMachine {
    EmberOptions opts;
    AddressSpace as;
    TbCache tb_cache; /* shared by the harts: keyed by physical address */
    RiscvCpu *harts[EMBER_MAX_HARTS];
    unsigned n_harts;
    unsigned running; /* the hart whose turn it is (see virt_run_slice) */
    /* A hart whose interrupt came while another ran: it goes next. */
    int wake_next;
    uint64_t turns[EMBER_MAX_HARTS][TURN_ENDS]; /* how each hart's turns ended */
    MainLoop loop;
    TimerList timers; /* the devices' events, on the virtual clock */
    Chardev *serial;
    Chardev *chardevs[EMBER_MAX_CHARDEVS];
    bool chardev_taken[EMBER_MAX_CHARDEVS];
    BlockDevice *drives[EMBER_MAX_DRIVES];
    struct NetClient *netdevs[EMBER_MAX_NETDEVS]; /* -netdev and -nic, in order */
    Device *devices[VIRT_MAX_BOARD_DEVICES];      /* in the table's order */
    unsigned n_devices;
    Device *virtio_slots[VIRT_VIRTIO_COUNT]; /* slot n at 0x10001000 + n * 0x1000 */
    UserDevices user;                        /* -device and -drive if=virtio */
    Device *htif;                            /* when the first program has tohost */
    Plic *plic;                              /* the devices' interrupt controller */
    struct GdbStub *gdb;                     /* -gdb: NULL without */
    bool debug_stopped;                      /* a debugger holds the machine */
    struct MonitorSet *monitors;             /* HMP and QMP, on their chardevs */
    unsigned n_monitors;
    Chardev *monitor_chardevs[EMBER_MAX_MONITORS]; /* -monitor and -qmp's own */
    char monitor_labels[EMBER_MAX_MONITORS][32];
    bool paused;       /* the monitor's stop */
    bool display_open; /* the SDL window is up */
    struct Migration *migration;
    bool cont_after_incoming; /* cont came while a migration's state was coming */
    bool postmigrate;         /* stopped by a migration that completed */
    Aclint *clint;            /* the harts' timer */
    MemoryRegion *ram;
    MemoryRegion *rom;
    uint64_t start_addr;       /* where the reset vector jumps */
    uint64_t tohost, fromhost; /* the first program's HTIF words (0: none) */
    const char *first_program; /* its path, for messages */
    void *fdt;                 /* the device tree handed to the guest */
    size_t fdt_size;
    bool shutdown_requested;
    bool reset_requested;
    int exit_status;
} VirtMachine;

/* Builds the board and loads the images; false with a message in err. */
bool virt_init(VirtMachine *m, const EmberOptions *opts, char *err, size_t errlen);
/* Writes the device tree the guest would get (-M virt,dumpdtb=FILE). */
bool virt_dump_dtb(VirtMachine *m, const char *path, char *err, size_t errlen);
/* Loads -bios, -kernel, -initrd and the device tree where QEMU puts them
 * and writes the reset vector (machine/virt_boot.c); again at each reset.
 * Sets tohost when the program that runs first has one. */
bool virt_load_images(VirtMachine *m, char *err, size_t errlen);

/* Makes the running hart return to the run loop at its next block (a
 * shutdown, a reset, another hart to run). */
void virt_kick(VirtMachine *m);
/* Ends the run with status once the running hart returns (poweroff, quit,
 * the window closed); the caller sends whatever QMP event says why. */
void virt_request_shutdown(VirtMachine *m, int status);

/* Runs until the guest powers off; returns ember's exit status. */
int virt_run(VirtMachine *m);
/* One time slice of virt_run (timers, the hart, the main loop, a wait
 * while the hart idles): -1 while the machine goes on, else the status. */
int virt_run_slice(VirtMachine *m);
void virt_destroy(VirtMachine *m);

/* machine/virt_net.c: every -netdev (and -nic) opened before the devices
 * that name them; the filter-dumps started once the NICs are there, and
 * a warning for each netdev left without a peer; closed after the NICs. */
bool virt_open_netdevs(VirtMachine *m, char *err, size_t errlen);
bool virt_start_network(VirtMachine *m, char *err, size_t errlen);
void virt_close_netdevs(VirtMachine *m);
/* machine/virt_display.c: the -display front end (SDL or none; by
 * default SDL when there is a display device and a graphical session),
 * opened once the devices are there. */
bool virt_open_display(VirtMachine *m, char *err, size_t errlen);
void virt_close_display(VirtMachine *m);
/* The DeviceContext's netdev lookup. */
struct NetClient *virt_board_netdev(void *board, const char *id, char *err, size_t errlen);
/* The -d stats report for a run of seconds. */
void virt_report_stats(VirtMachine *m, double seconds);

/* The run state the monitor and migration share: pause waits for disk
 * requests in flight and stops guest time; resume undoes it. */
bool virt_running(VirtMachine *m);
void virt_pause(VirtMachine *m);
void virt_resume(VirtMachine *m);
/* The i-th -drive's name as the monitor shows it (its id, or QEMU's
 * generated "virtio0", "none1", ...). */
const char *virt_drive_name(VirtMachine *m, unsigned i);
/* The disks change hands with a migration (block_inactivate and
 * block_activate on each); false with one line in err. */
bool virt_activate_disks(VirtMachine *m, char *err, size_t errlen);
bool virt_inactivate_disks(VirtMachine *m, char *err, size_t errlen);

#endif
