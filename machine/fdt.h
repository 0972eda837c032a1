/* machine/fdt.h: the virt board's device tree, built with libfdt from the
 * machine configuration, as QEMU's virt board builds it. */
#ifndef EMBER_MACHINE_FDT_H
#define EMBER_MACHINE_FDT_H

#include "isa/riscv_ext.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hw/device.h"

/* Phandles as QEMU numbers them, so trees compare equal: the harts'
 * nodes first, made from the last hart down (each hart's node, then its
 * interrupt controller's), then the PLIC and the test device. */
static inline uint32_t virt_phandle_cpu(unsigned n_harts, unsigned hart)
{
    return 2 * (n_harts - 1 - hart) + 1;
}

static inline uint32_t virt_phandle_cpu_intc(unsigned n_harts, unsigned hart)
{
    return virt_phandle_cpu(n_harts, hart) + 1;
}

static inline uint32_t virt_phandle_plic(unsigned n_harts)
{
    return 2 * n_harts + 1;
}

static inline uint32_t virt_phandle_test(unsigned n_harts)
{
    return 2 * n_harts + 2;
}

typedef struct VirtFdtConfig {
    uint64_t ram_base, ram_size;
    unsigned n_harts;
    RiscvExtSet ext;                   /* the harts' extensions (riscv,isa) */
    const char *bootargs;              /* NULL: none */
    uint64_t initrd_start, initrd_end; /* end 0: no initrd */
    Device *const *devices;            /* the board's, for /soc */
    unsigned n_devices;
} VirtFdtConfig;

/* Builds the tree into a malloc'ed blob; NULL with err set on failure. */
void *virt_fdt_build(const VirtFdtConfig *config, size_t *size, char *err, size_t errlen);

#endif
