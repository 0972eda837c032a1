/* machine/virt.h: the QEMU-compatible "virt" board: its memory map, devices,
 * image loading and the main loop that runs it. */
#ifndef EMBER_MACHINE_VIRT_H
#define EMBER_MACHINE_VIRT_H

#include <stdbool.h>
#include <stddef.h>

#include "cpu/riscv/cpu.h"
#include "cpu/tb.h"
#include "block/block.h"
#include "chardev/chardev.h"
#include "hw/char/uart16550.h"
#include "hw/intc/aclint.h"
#include "hw/intc/plic.h"
#include "hw/misc/htif.h"
#include "hw/misc/sifive_test.h"
#include "hw/rtc/goldfish_rtc.h"
#include "hw/virtio/mmio.h"
#include "machine/loader.h"
#include "softmmu/memory.h"
#include "util/mainloop.h"
#include "util/options.h"

/* QEMU's virt memory map (hw/riscv/virt.c); these never change. */
enum {
    VIRT_MROM_BASE = 0x1000,
    VIRT_MROM_SIZE = 0xf000,
    VIRT_TEST_BASE = 0x100000,
    VIRT_RTC_BASE = 0x101000,
    VIRT_CLINT_BASE = 0x2000000,
    VIRT_PLIC_BASE = 0xc000000,
    VIRT_UART0_BASE = 0x10000000,
    VIRT_VIRTIO_BASE = 0x10001000, /* VIRT_VIRTIO_COUNT slots of VIRTIO_MMIO_SIZE */
    VIRT_DRAM_BASE = 0x80000000,
};

/* PLIC sources (QEMU's VIRT_UART0_IRQ, VIRT_RTC_IRQ). */
enum { VIRT_UART0_IRQ = 10, VIRT_RTC_IRQ = 11 };
/* virtio-mmio slot n interrupts on PLIC source VIRT_VIRTIO_IRQ + n. */
enum { VIRT_VIRTIO_COUNT = 8, VIRT_VIRTIO_IRQ = 1 };

typedef struct VirtMachine {
    EmberOptions opts;
    AddressSpace as;
    TbCache tb_cache;
    RiscvCpu *cpu;
    Aclint aclint;
    Plic plic;
    MainLoop loop;
    Chardev *serial;
    Uart16550 uart;
    GoldfishRtc rtc;
    SifiveTest test;
    Htif htif;
    VirtioMmio virtio[VIRT_VIRTIO_COUNT];
    VirtioDevice *virtio_devices[VIRT_VIRTIO_COUNT]; /* by slot; NULL: empty */
    BlockDevice *drives[EMBER_MAX_DRIVES];
    Chardev *chardevs[EMBER_MAX_CHARDEVS];
    bool has_htif;
    MemoryRegion *ram;
    MemoryRegion *rom;
    uint64_t start_addr; /* where the reset vector jumps */
    void *fdt;           /* the device tree handed to the guest */
    size_t fdt_size;
    bool shutdown_requested;
    bool reset_requested;
    int exit_status;
} VirtMachine;

/* Builds the board and loads the images; false with a message in err. */
bool virt_init(VirtMachine *m, const EmberOptions *opts, char *err, size_t errlen);
/* Writes the device tree the guest would get (-M virt,dumpdtb=FILE). */
bool virt_dump_dtb(VirtMachine *m, const char *path, char *err, size_t errlen);
/* Runs until the guest powers off; returns ember's exit status. */
int virt_run(VirtMachine *m);
void virt_destroy(VirtMachine *m);
/* The -d stats report for a run of seconds. */
void virt_report_stats(VirtMachine *m, double seconds);

#endif
