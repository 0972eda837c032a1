/* machine/virt.c: the QEMU-compatible "virt" board: its memory map, devices,
 * image loading and the main loop that runs it. */
#include "machine/virt.h"

#include <errno.h>
#include <libfdt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cpu/exec.h"
#include "hw/virtio/blk.h"
#include "hw/virtio/console.h"
#include "hw/virtio/rng.h"
#include "machine/fdt.h"
#include "util/log.h"
#include "util/signals.h"

/* What the CPU implements, in the form Linux parses (riscv,isa). */
#define VIRT_ISA_STRING "rv64imafdc_zicsr_zifencei_sstc"

#define DEFAULT_BIOS "/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_dynamic.bin"
/* QEMU puts a kernel loaded after firmware at the next 2 MiB boundary
 * (riscv_calc_kernel_start_addr), which for OpenSBI is DRAM + 2 MiB. */
#define KERNEL_ALIGN (2ull << 20)
/* Instructions between checks of timers and devices. */
#define SLICE_INSNS 100000
#define MAX_IDLE_NS 100000000ull

/* fw_dynamic_info (OpenSBI's fw_dynamic.h), placed after the reset vector. */
#define FW_DYNAMIC_MAGIC 0x4942534f
#define FW_DYNAMIC_VERSION 2
#define FW_DYNAMIC_NEXT_MODE_S 1

static void power_shutdown(void *opaque, int status)
{
    VirtMachine *m = opaque;
    m->shutdown_requested = true;
    m->exit_status = status;
    m->cpu->exit_request = true;
}

/* Ctrl-A x on the console: end ember like a normal poweroff. */
static void serial_quit(void *opaque)
{
    power_shutdown(opaque, 0);
}

static void power_reset(void *opaque)
{
    VirtMachine *m = opaque;
    m->reset_requested = true;
    m->cpu->exit_request = true;
}

/* Stores to pages holding translated code or watched words land here. */
static void flagged_write(void *opaque, uint64_t paddr, unsigned size)
{
    VirtMachine *m = opaque;
    MemoryRegion *r = memory_find(&m->as, paddr);
    if (!r || !r->page_flags)
        return;
    uint8_t flags = r->page_flags[(paddr - r->base) >> PAGE_SHIFT];
    if (flags & PAGE_HAS_CODE)
        tb_invalidate_page(&m->tb_cache, paddr);
    if ((flags & PAGE_WATCHED) && m->has_htif)
        htif_store(&m->htif, paddr, size);
}

/* QEMU's reset vector (hw/riscv/boot.c), encoded by hand: a0 = mhartid,
 * a1 = device tree, a2 = fw_dynamic_info, then jump to the firmware. */
static bool write_reset_vector(VirtMachine *m, uint64_t fdt_addr, uint64_t next_addr)
{
    uint32_t code[10] = {
        0x00000297, /* auipc t0, 0 */
        0x02828613, /* addi a2, t0, 40 */
        0xf1402573, /* csrr a0, mhartid */
        0x0202b583, /* ld a1, 32(t0) */
        0x0182b283, /* ld t0, 24(t0) */
        0x00028067, /* jr t0 */
    };
    memcpy(&code[6], &m->start_addr, 8);
    memcpy(&code[8], &fdt_addr, 8);
    uint64_t fw_dynamic[6] = {
        FW_DYNAMIC_MAGIC, FW_DYNAMIC_VERSION, next_addr, FW_DYNAMIC_NEXT_MODE_S, 0, 0};
    return memory_load_image(&m->as, VIRT_MROM_BASE, code, sizeof(code)) &&
           memory_load_image(&m->as, VIRT_MROM_BASE + sizeof(code), fw_dynamic, sizeof(fw_dynamic));
}

/* load_image, with the option that named the file in the message. */
static bool load_option_image(VirtMachine *m, const char *option, const char *path, uint64_t addr,
                              bool raw, LoadedImage *image, char *err, size_t errlen)
{
    char detail[400];
    if ((raw ? load_raw_image : load_image)(&m->as, path, addr, image, detail, sizeof(detail)))
        return true;
    snprintf(err, errlen, "%s: %s", option, detail);
    return false;
}

/* The room QEMU 7.2 gives the tree in guest memory, which decides where it
 * goes and what may not overlap it: its generated tree is a 1 MiB buffer,
 * and a -dtb file gets twice its size plus 10000 bytes. */
#define QEMU_FDT_SIZE (1ull << 20)

static uint64_t qemu_fdt_room(const VirtMachine *m)
{
    return m->opts.dtb ? 2 * ((uint64_t)m->fdt_size + 10000) : QEMU_FDT_SIZE;
}

/* The tree goes where QEMU puts it (riscv_load_fdt): the highest 2 MiB
 * boundary below the end of RAM (or 3 GiB) that leaves room for it. */
static bool place_fdt(VirtMachine *m, const LoadedImage *initrd, uint64_t *addr, char *err,
                      size_t errlen)
{
    const EmberOptions *o = &m->opts;
    free(m->fdt);
    m->fdt = NULL;
    if (o->dtb) {
        char detail[400];
        m->fdt = read_file(o->dtb, 1u << 20, &m->fdt_size, detail, sizeof(detail));
        if (!m->fdt) {
            snprintf(err, errlen, "-dtb: %s", detail);
            return false;
        }
        if (fdt_check_header(m->fdt) != 0 || fdt_totalsize(m->fdt) > m->fdt_size) {
            snprintf(err, errlen, "-dtb: '%s' is not a flattened device tree", o->dtb);
            return false;
        }
    } else {
        VirtFdtConfig config = {
            .ram_base = VIRT_DRAM_BASE,
            .ram_size = o->ram_size,
            .isa = VIRT_ISA_STRING,
            .bootargs = o->append,
            .initrd_start = initrd ? initrd->low : 0,
            .initrd_end = initrd ? initrd->high : 0,
        };
        m->fdt = virt_fdt_build(&config, &m->fdt_size, err, errlen);
        if (!m->fdt)
            return false;
    }
    uint64_t dram_end = VIRT_DRAM_BASE + o->ram_size;
    uint64_t top = dram_end < (3ull << 30) ? dram_end : (3ull << 30);
    uint64_t room = qemu_fdt_room(m);
    if (room > top - VIRT_DRAM_BASE) {
        snprintf(err, errlen, "the device tree does not fit in guest RAM");
        return false;
    }
    *addr = (top - room) & ~((2ull << 20) - 1);
    if (!memory_load_image(&m->as, *addr, m->fdt, m->fdt_size)) {
        snprintf(err, errlen, "the device tree does not fit in guest RAM");
        return false;
    }
    return true;
}

/* What was loaded where, for the overlap check. */
typedef struct LoadedRegion {
    const char *what; /* "-kernel", or "the device tree" */
    const char *path; /* NULL for the device tree */
    uint64_t low, high;
} LoadedRegion;

static void describe_region(const LoadedRegion *r, char *out, size_t len)
{
    if (r->path)
        snprintf(out, len, "%s '%s' (0x%llx-0x%llx)", r->what, r->path, (unsigned long long)r->low,
                 (unsigned long long)r->high);
    else
        snprintf(out, len, "%s (0x%llx-0x%llx)", r->what, (unsigned long long)r->low,
                 (unsigned long long)r->high);
}

/* Images that overlap in guest memory would boot into a silent hang (an
 * initrd over the device tree, say): refuse them, as QEMU does. */
static bool check_overlaps(const LoadedRegion *r, unsigned n, char *err, size_t errlen)
{
    for (unsigned i = 0; i < n; i++) {
        for (unsigned j = i + 1; j < n; j++) {
            if (r[i].low >= r[j].high || r[j].low >= r[i].high)
                continue;
            char a[EMBER_OPTION_TEXT + 64], b[EMBER_OPTION_TEXT + 64];
            describe_region(&r[i], a, sizeof(a));
            describe_region(&r[j], b, sizeof(b));
            snprintf(err, errlen, "images overlap in guest memory: %s and %s", a, b);
            return false;
        }
    }
    return true;
}

bool virt_dump_dtb(VirtMachine *m, const char *path, char *err, size_t errlen)
{
    FILE *f = fopen(path, "wb");
    if (!f) {
        snprintf(err, errlen, "dumpdtb: cannot create '%s': %s", path, strerror(errno));
        return false;
    }
    bool ok = fwrite(m->fdt, 1, m->fdt_size, f) == m->fdt_size;
    int saved = errno;
    if (fclose(f) != 0 && ok) {
        ok = false;
        saved = errno;
    }
    if (!ok)
        snprintf(err, errlen, "dumpdtb: cannot write '%s': %s", path, strerror(saved));
    return ok;
}

static bool load_images(VirtMachine *m, char *err, size_t errlen)
{
    const EmberOptions *o = &m->opts;
    LoadedImage bios = {0}, kernel = {0}, initrd = {0};
    bool have_bios = !(o->bios && strcmp(o->bios, "none") == 0);
    const char *bios_path = o->bios ? o->bios : DEFAULT_BIOS;
    uint64_t kernel_addr = VIRT_DRAM_BASE;

    if (have_bios) {
        if (!o->bios && access(DEFAULT_BIOS, R_OK) != 0) {
            snprintf(err, errlen,
                     "no firmware given and Debian's OpenSBI (%s) is not installed: "
                     "install package 'opensbi', or use -bios FILE or -bios none",
                     DEFAULT_BIOS);
            return false;
        }
        if (!load_option_image(m, "-bios", bios_path, VIRT_DRAM_BASE, false, &bios, err, errlen))
            return false;
        m->start_addr = bios.is_elf ? bios.entry : VIRT_DRAM_BASE;
        kernel_addr = (bios.high + KERNEL_ALIGN - 1) & ~(KERNEL_ALIGN - 1);
    }
    if (o->kernel) {
        if (!load_option_image(m, "-kernel", o->kernel, kernel_addr, false, &kernel, err, errlen))
            return false;
        if (!have_bios)
            m->start_addr = kernel.entry;
    } else if (!have_bios) {
        snprintf(err, errlen, "-bios none needs -kernel: there is nothing to run");
        return false;
    }
    if (o->initrd) {
        if (!o->kernel) {
            snprintf(err, errlen, "-initrd needs -kernel");
            return false;
        }
        /* QEMU's placement (riscv_load_initrd): half of RAM, at most 128 MiB
         * above the kernel, so a decompressing kernel does not overwrite it. */
        uint64_t half = o->ram_size / 2 < (128ull << 20) ? o->ram_size / 2 : (128ull << 20);
        if (!load_option_image(m, "-initrd", o->initrd, kernel.entry + half, true, &initrd, err,
                               errlen))
            return false;
    }
    if (o->append && !o->kernel) {
        snprintf(err, errlen, "-append needs -kernel");
        return false;
    }
    uint64_t fdt_addr;
    if (!place_fdt(m, o->initrd ? &initrd : NULL, &fdt_addr, err, errlen))
        return false;
    LoadedRegion regions[4];
    unsigned nregions = 0;
    if (have_bios)
        regions[nregions++] = (LoadedRegion){"-bios", bios_path, bios.low, bios.high};
    if (o->kernel)
        regions[nregions++] = (LoadedRegion){"-kernel", o->kernel, kernel.low, kernel.high};
    if (o->initrd)
        regions[nregions++] = (LoadedRegion){"-initrd", o->initrd, initrd.low, initrd.high};
    regions[nregions++] =
        (LoadedRegion){"the device tree", NULL, fdt_addr, fdt_addr + qemu_fdt_room(m)};
    /* QEMU dumps the tree before it checks for overlaps: so does ember. */
    if (!o->dumpdtb && !check_overlaps(regions, nregions, err, errlen))
        return false;

    /* HTIF exists when the program that runs first defines tohost. */
    const LoadedImage *first = have_bios ? &bios : &kernel;
    const char *first_path = have_bios ? bios_path : o->kernel;
    if (first->tohost) {
        PowerControl power = {power_shutdown, power_reset, m};
        if (!htif_init(&m->htif, &m->as, first->tohost, first->fromhost, stdout, power)) {
            snprintf(err, errlen, "'%s': tohost at 0x%llx is not in guest RAM", first_path,
                     (unsigned long long)first->tohost);
            return false;
        }
        m->has_htif = true;
    }
    return write_reset_vector(m, fdt_addr, o->kernel ? kernel.entry : 0);
}

/* Opens every -chardev; stdio can serve only one of them and -serial. */
static bool open_chardevs(VirtMachine *m, const ChardevSpec *serial, char *err, size_t errlen)
{
    const EmberOptions *o = &m->opts;
    const char *stdio_user = serial->kind == CHARDEV_STDIO ? "-serial" : NULL;
    for (unsigned i = 0; i < o->nchardevs; i++) {
        ChardevSpec spec;
        if (!chardev_parse_spec(o->chardevs[i].spec, &spec, err, errlen))
            return false;
        if (spec.kind == CHARDEV_STDIO) {
            if (stdio_user) {
                snprintf(err, errlen,
                         "-chardev id=%s: stdio is already used by %s (give -serial "
                         "null, or another backend)",
                         o->chardevs[i].id, stdio_user);
                return false;
            }
            stdio_user = "another -chardev";
        }
        m->chardevs[i] = chardev_open(&spec, &m->loop, err, errlen);
        if (!m->chardevs[i])
            return false;
        chardev_set_quit_handler(m->chardevs[i], serial_quit, m);
    }
    return true;
}

/* Creates the -device and -drive if=virtio devices; the first lands in the
 * highest slot, as in QEMU, so Linux finds it first. */
static bool create_virtio_devices(VirtMachine *m, char *err, size_t errlen)
{
    const EmberOptions *o = &m->opts;
    for (unsigned i = 0; i < o->ndevices; i++) {
        const DeviceOption *d = &o->devices[i];
        unsigned slot = VIRT_VIRTIO_COUNT - 1 - i;
        VirtioDevice *vdev = NULL;
        if (d->kind == DEVICE_VIRTIO_BLK) {
            const DriveOption *drive = &o->drives[d->drive];
            char detail[400];
            m->drives[d->drive] =
                block_open(drive->file, drive->readonly, drive->format[0] ? drive->format : NULL,
                           detail, sizeof(detail));
            if (!m->drives[d->drive]) {
                snprintf(err, errlen, "-drive: %s", detail);
                return false;
            }
            if (!drive->readonly)
                signals_sync_at_death(m->drives[d->drive]->fd);
            VirtioBlk *blk = malloc(sizeof(*blk));
            if (blk) {
                virtio_blk_init(blk, &m->as, m->drives[d->drive], drive->id);
                vdev = &blk->vdev;
            }
        } else if (d->kind == DEVICE_VIRTIO_RNG) {
            VirtioRng *rng = malloc(sizeof(*rng));
            if (rng) {
                virtio_rng_init(rng, &m->as);
                vdev = &rng->vdev;
            }
        } else {
            VirtioConsole *con = malloc(sizeof(*con));
            if (con) {
                virtio_console_init(con, &m->as, d->chardev >= 0 ? m->chardevs[d->chardev] : NULL);
                vdev = &con->vdev;
            }
        }
        if (!vdev) {
            snprintf(err, errlen, "out of memory");
            return false;
        }
        m->virtio_devices[slot] = vdev;
    }
    for (unsigned n = 0; n < VIRT_VIRTIO_COUNT; n++) {
        virtio_mmio_init(&m->virtio[n], m->virtio_devices[n],
                         plic_irq_line(&m->plic, VIRT_VIRTIO_IRQ + n));
        if (!memory_add_mmio(&m->as, "virtio-mmio", VIRT_VIRTIO_BASE + n * VIRTIO_MMIO_SIZE,
                             VIRTIO_MMIO_SIZE, &virtio_mmio_ops, &m->virtio[n])) {
            snprintf(err, errlen, "cannot build the virt memory map");
            return false;
        }
    }
    return true;
}

bool virt_init(VirtMachine *m, const EmberOptions *opts, char *err, size_t errlen)
{
    memset(m, 0, sizeof(*m));
    m->opts = *opts;
    m->as.flagged_write = flagged_write;
    m->as.flagged_write_opaque = m;
    m->cpu = malloc(sizeof(*m->cpu));
    if (!m->cpu || !tb_cache_init(&m->tb_cache, &m->as, 64ull << 20)) {
        snprintf(err, errlen, "out of memory");
        return false;
    }
    riscv_cpu_init(m->cpu, &m->as, 0);
    tb_cache_add_cpu(&m->tb_cache, m->cpu);
    m->cpu->no_chain = (log_mask & (LOG_EXEC | LOG_CPU)) != 0;

    mainloop_init(&m->loop);
    ChardevSpec serial;
    if (!chardev_parse_spec(opts->serial ? opts->serial : "stdio", &serial, err, errlen))
        return false;
    m->serial = chardev_open(&serial, &m->loop, err, errlen);
    if (!m->serial)
        return false;
    chardev_set_quit_handler(m->serial, serial_quit, m);
    if (!open_chardevs(m, &serial, err, errlen))
        return false;

    m->rom = memory_add_rom(&m->as, "mrom", VIRT_MROM_BASE, VIRT_MROM_SIZE);
    m->ram = memory_add_ram(&m->as, "ram", VIRT_DRAM_BASE, opts->ram_size);
    m->test.power = (PowerControl){power_shutdown, power_reset, m};
    aclint_init(&m->aclint, &m->cpu, 1);
    m->cpu->time = (RiscvTimeSource){aclint_read_time, &m->aclint};
    plic_init(&m->plic, &m->cpu, 1);
    uart16550_init(&m->uart, m->serial, plic_irq_line(&m->plic, VIRT_UART0_IRQ));
    goldfish_rtc_init(&m->rtc, plic_irq_line(&m->plic, VIRT_RTC_IRQ));
    if (!m->rom || !m->ram ||
        !memory_add_mmio(&m->as, "test", VIRT_TEST_BASE, SIFIVE_TEST_SIZE, &sifive_test_ops,
                         &m->test) ||
        !memory_add_mmio(&m->as, "rtc", VIRT_RTC_BASE, GOLDFISH_RTC_SIZE, &goldfish_rtc_ops,
                         &m->rtc) ||
        !memory_add_mmio(&m->as, "clint", VIRT_CLINT_BASE, ACLINT_SIZE, &aclint_ops, &m->aclint) ||
        !memory_add_mmio(&m->as, "plic", VIRT_PLIC_BASE, PLIC_SIZE, &plic_ops, &m->plic) ||
        !memory_add_mmio(&m->as, "uart0", VIRT_UART0_BASE, UART16550_SIZE, &uart16550_ops,
                         &m->uart)) {
        snprintf(err, errlen, "cannot build the virt memory map");
        return false;
    }
    if (!create_virtio_devices(m, err, errlen) || !load_images(m, err, errlen))
        return false;
    riscv_cpu_reset(m->cpu, VIRT_MROM_BASE);
    return true;
}

/* Guest-requested reset: devices and hart restart, images are reloaded. */
static bool virt_reset(VirtMachine *m)
{
    char err[512];
    m->reset_requested = false;
    m->cpu->exit_request = false;
    tb_flush(&m->tb_cache);
    aclint_reset(&m->aclint);
    plic_reset(&m->plic);
    uart16550_reset(&m->uart);
    goldfish_rtc_reset(&m->rtc);
    for (unsigned n = 0; n < VIRT_VIRTIO_COUNT; n++)
        virtio_mmio_reset(&m->virtio[n]);
    if (!load_images(m, err, sizeof(err))) {
        error_report("reset: %s", err);
        return false;
    }
    riscv_cpu_reset(m->cpu, VIRT_MROM_BASE);
    return true;
}

static void idle_wait(VirtMachine *m)
{
    uint64_t deadline = aclint_next_deadline(&m->aclint);
    uint64_t stimecmp = riscv_next_timer_deadline(m->cpu);
    if (stimecmp < deadline)
        deadline = stimecmp;
    uint64_t ns = aclint_ns_until(&m->aclint, deadline);
    uint64_t rtc_ns = goldfish_rtc_next_deadline_ns(&m->rtc);
    if (rtc_ns < ns)
        ns = rtc_ns;
    if (ns > MAX_IDLE_NS)
        ns = MAX_IDLE_NS;
    /* Input on the console (or any watched fd) wakes the hart early. */
    mainloop_poll(&m->loop, (int64_t)ns);
}

static int run_loop(VirtMachine *m)
{
    RiscvCpu *cpu = m->cpu;
    for (;;) {
        aclint_update(&m->aclint);
        goldfish_rtc_update(&m->rtc);
        cpu_exec(cpu, SLICE_INSNS);
        mainloop_poll(&m->loop, 0);
        pid_t sender;
        int sig = signals_exit_requested(&sender);
        if (sig) {
            /* QEMU's answer to SIGINT, SIGTERM and SIGHUP: a normal end,
             * so disks are flushed and closed as at a poweroff. */
            signals_report_exit(sig, sender);
            return 0;
        }
        if (m->shutdown_requested)
            return m->exit_status;
        if (m->reset_requested && !virt_reset(m))
            return 1;
        if (cpu->wfi && !riscv_pending_interrupts(cpu)) {
            aclint_update(&m->aclint);
            if (!riscv_pending_interrupts(cpu))
                idle_wait(m);
        }
    }
}

int virt_run(VirtMachine *m)
{
    signals_set_orderly_exit(true);
    int status = run_loop(m);
    signals_set_orderly_exit(false);
    return status;
}

void virt_report_stats(VirtMachine *m, double seconds)
{
    cpu_report_stats(m->cpu, &m->tb_cache.stats, seconds);
}

void virt_destroy(VirtMachine *m)
{
    /* Disks first: what the guest wrote is flushed before ember exits. */
    for (unsigned i = 0; i < EMBER_MAX_DRIVES; i++) {
        if (m->drives[i])
            signals_forget_fd(m->drives[i]->fd);
        block_close(m->drives[i]);
        m->drives[i] = NULL;
    }
    for (unsigned n = 0; n < VIRT_VIRTIO_COUNT; n++) {
        free(m->virtio_devices[n]);
        m->virtio_devices[n] = NULL;
    }
    for (unsigned i = 0; i < EMBER_MAX_CHARDEVS; i++) {
        chardev_close(m->chardevs[i]);
        m->chardevs[i] = NULL;
    }
    chardev_close(m->serial);
    m->serial = NULL;
    free(m->fdt);
    m->fdt = NULL;
    tb_cache_destroy(&m->tb_cache);
    memory_destroy(&m->as);
    free(m->cpu);
    m->cpu = NULL;
}
