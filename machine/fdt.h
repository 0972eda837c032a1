/* machine/fdt.h: the virt board's device tree, built with libfdt from the
 * machine configuration, as QEMU's virt board builds it. */
#ifndef EMBER_MACHINE_FDT_H
#define EMBER_MACHINE_FDT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hw/device.h"

/* Phandles as QEMU numbers them for one hart, so trees compare equal. */
enum virt_phandle {
    PHANDLE_CPU0 = 1,
    PHANDLE_CPU0_INTC = 2,
    PHANDLE_PLIC = 3,
    PHANDLE_TEST = 4,
};

typedef struct VirtFdtConfig {
    uint64_t ram_base, ram_size;
    const char *isa;                   /* riscv,isa */
    const char *bootargs;              /* NULL: none */
    uint64_t initrd_start, initrd_end; /* end 0: no initrd */
    Device *const *devices;            /* the board's, for /soc */
    unsigned n_devices;
} VirtFdtConfig;

/* Builds the tree into a malloc'ed blob; NULL with err set on failure. */
void *virt_fdt_build(const VirtFdtConfig *config, size_t *size, char *err, size_t errlen);

#endif
