/* hw/intc/plic.h: the SiFive PLIC ("sifive,plic-1.0.0") as on QEMU's virt
 * board: 95 level-triggered sources, an M and an S context per hart. */
#ifndef EMBER_HW_INTC_PLIC_H
#define EMBER_HW_INTC_PLIC_H

#include <stdbool.h>
#include <stdint.h>

#include "hw/device.h"
#include "hw/irq.h"
#include "softmmu/memory.h"

/* Interrupt IDs 0..95 as on QEMU's virt; ID 0 means "no interrupt", so
 * sources are 1..PLIC_NUM_IDS-1. */
#define PLIC_NUM_IDS 96
#define PLIC_ID_WORDS ((PLIC_NUM_IDS + 31) / 32)
#define PLIC_MAX_HARTS 8
#define PLIC_MAX_CONTEXTS (2 * PLIC_MAX_HARTS)

#define PLIC_PENDING_BASE 0x1000
#define PLIC_ENABLE_BASE 0x2000
#define PLIC_ENABLE_STRIDE 0x80
#define PLIC_CONTEXT_BASE 0x200000
#define PLIC_CONTEXT_STRIDE 0x1000
/* QEMU sizes the window for its 512-hart maximum (1024 contexts) whatever
 * -smp says, and the device tree's reg shows that size. */
#define PLIC_SIZE (PLIC_CONTEXT_BASE + 1024 * PLIC_CONTEXT_STRIDE)

typedef struct Plic {
    /* Context 2h: hart h's M-mode external interrupt; 2h+1: its S-mode. */
    IrqLine context_line[PLIC_MAX_CONTEXTS];
    unsigned n_contexts;
    uint8_t priority[PLIC_NUM_IDS];
    uint32_t level[PLIC_ID_WORDS];     /* input lines as the devices drive them */
    uint32_t pending[PLIC_ID_WORDS];   /* requests the gateways forwarded */
    uint32_t in_flight[PLIC_ID_WORDS]; /* claimed and not yet completed */
    uint32_t enable[PLIC_MAX_CONTEXTS][PLIC_ID_WORDS];
    uint8_t threshold[PLIC_MAX_CONTEXTS];
} Plic;

extern const MemoryOps plic_ops;

/* Each context interrupts on its line (context 2h: hart h's MEIP, 2h+1:
 * its SEIP); contexts beyond PLIC_MAX_CONTEXTS are not connected. */
void plic_init(Plic *plic, const IrqLine *contexts, unsigned n_contexts);
/* Clears priorities, enables, thresholds and claims; input lines keep their
 * level, since the devices driving them are not part of the PLIC. */
void plic_reset(Plic *plic);
/* The input for a device wired to source (1..PLIC_NUM_IDS-1); any other
 * number gives an unconnected line. */
IrqLine plic_irq_line(Plic *plic, unsigned source);

/* Emits the PLIC's node (sequential-write libfdt) as QEMU's virt does, with
 * an M and an S context per hart; 0 or a negative libfdt error. */
int plic_fdt_node(void *fdt, uint64_t base, uint64_t size, const uint32_t *hart_intc_phandles,
                  unsigned n_harts, uint32_t phandle);

extern const DeviceType plic_type;

#endif
