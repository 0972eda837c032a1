/* machine/virt_boot.c: what the virt board puts in guest memory before
 * the hart starts, as QEMU's hw/riscv/boot.c does: firmware, kernel,
 * initrd and device tree where QEMU places them (overlaps refused), and the
 * reset vector in the mask ROM. */
#include <errno.h>
#include <libfdt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "machine/fdt.h"
#include "machine/loader.h"
#include "machine/virt.h"

#define DEFAULT_BIOS "/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_dynamic.bin"
/* QEMU puts a kernel loaded after firmware at the next 2 MiB boundary
 * (riscv_calc_kernel_start_addr), which for OpenSBI is DRAM + 2 MiB; on
 * RV32 at the next 4 MiB one (a megapage, the Image's text_offset). */
#define KERNEL_ALIGN (2ull << 20)
#define KERNEL_ALIGN_RV32 (4ull << 20)
/* fw_dynamic_info (OpenSBI's fw_dynamic.h), placed after the reset vector. */
#define FW_DYNAMIC_MAGIC 0x4942534f
#define FW_DYNAMIC_VERSION 2
#define FW_DYNAMIC_NEXT_MODE_S 1

static bool rv32(const VirtMachine *m)
{
    return (m->harts[0]->ext & RISCV_XLEN32) != 0;
}

/* QEMU's reset vector (hw/riscv/boot.c), encoded by hand: a0 = mhartid,
 * a1 = device tree, a2 = fw_dynamic_info, then jump to the firmware. The
 * addresses stay 8-byte slots; RV32 loads their low words (lw), and its
 * fw_dynamic_info has 4-byte fields (unsigned long). */
static bool write_reset_vector(VirtMachine *m, uint64_t fdt_addr, uint64_t next_addr)
{
    bool is32 = rv32(m);
    uint32_t code[10] = {
        0x00000297,                      /* auipc t0, 0 */
        0x02828613,                      /* addi a2, t0, 40 */
        0xf1402573,                      /* csrr a0, mhartid */
        is32 ? 0x0202a583 : 0x0202b583u, /* lw/ld a1, 32(t0) */
        is32 ? 0x0182a283 : 0x0182b283u, /* lw/ld t0, 24(t0) */
        0x00028067,                      /* jr t0 */
    };
    memcpy(&code[6], &m->start_addr, 8);
    memcpy(&code[8], &fdt_addr, 8);
    uint64_t fw_dynamic[6] = {
        FW_DYNAMIC_MAGIC, FW_DYNAMIC_VERSION, next_addr, FW_DYNAMIC_NEXT_MODE_S, 0, 0};
    uint32_t fw_dynamic32[6];
    for (unsigned i = 0; i < 6; i++)
        fw_dynamic32[i] = (uint32_t)fw_dynamic[i];
    return memory_load_image(&m->as, VIRT_MROM_BASE, code, sizeof(code)) &&
           (is32 ? memory_load_image(&m->as, VIRT_MROM_BASE + sizeof(code), fw_dynamic32,
                                     sizeof(fw_dynamic32))
                 : memory_load_image(&m->as, VIRT_MROM_BASE + sizeof(code), fw_dynamic,
                                     sizeof(fw_dynamic)));
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
            .n_harts = m->n_harts,
            .ext = m->harts[0]->ext,
            .bootargs = o->append,
            .initrd_start = initrd ? initrd->low : 0,
            .initrd_end = initrd ? initrd->high : 0,
            .devices = m->devices,
            .n_devices = m->n_devices,
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

bool virt_load_images(VirtMachine *m, char *err, size_t errlen)
{
    const EmberOptions *o = &m->opts;
    LoadedImage bios = {0}, kernel = {0}, initrd = {0};
    bool have_bios = !(o->bios && strcmp(o->bios, "none") == 0);
    const char *bios_path = o->bios ? o->bios : DEFAULT_BIOS;
    uint64_t kernel_addr = VIRT_DRAM_BASE;

    if (have_bios) {
        if (!o->bios && rv32(m)) {
            /* As QEMU's riscv32 virt: Debian ships no RV32 OpenSBI. */
            snprintf(err, errlen,
                     "an RV32 hart has no default firmware: use -bios FILE or -bios none");
            return false;
        }
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
        uint64_t align = rv32(m) ? KERNEL_ALIGN_RV32 : KERNEL_ALIGN;
        kernel_addr = (bios.high + align - 1) & ~(align - 1);
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
    m->tohost = first->tohost;
    m->fromhost = first->fromhost;
    m->first_program = have_bios ? bios_path : o->kernel;
    return write_reset_vector(m, fdt_addr, o->kernel ? kernel.entry : 0);
}
