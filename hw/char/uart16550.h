/* hw/char/uart16550.h: the NS16550A UART ("ns16550a") QEMU's virt board has
 * at 0x10000000, its console: byte registers, 16-byte receive FIFO. */
#ifndef EMBER_HW_CHAR_UART16550_H
#define EMBER_HW_CHAR_UART16550_H

#include <stdbool.h>
#include <stdint.h>

#include "chardev/chardev.h"
#include "hw/irq.h"
#include "hw/device.h"
#include "softmmu/memory.h"

/* The window the board reserves; the registers are its first 8 bytes. */
#define UART16550_SIZE 0x100
#define UART16550_CLOCK_HZ 3686400 /* QEMU's clock-frequency (1.8432 MHz * 2) */
#define UART16550_FIFO_SIZE 16

typedef struct Uart16550 {
    Chardev *chr;
    IrqLine irq;
    bool irq_level;
    uint8_t rx_fifo[UART16550_FIFO_SIZE]; /* also the RBR when the FIFO is off */
    unsigned rx_head;
    unsigned rx_count;
    unsigned rx_trigger; /* bytes for a received-data interrupt (FCR bits 7:6) */
    uint8_t ier;
    uint8_t fcr; /* the bits that stick: enable, DMA mode, trigger level */
    uint8_t lcr;
    uint8_t mcr;
    uint8_t lsr_errors; /* overrun; cleared by reading LSR */
    uint8_t msr;        /* modem inputs and their delta bits */
    uint8_t scr;
    uint16_t divisor;
    bool thr_interrupt; /* THR-empty interrupt pending (IER.ETBEI) */
} Uart16550;

extern const MemoryOps uart16550_ops;

/* Connects the UART to its backend (non-NULL; use a null chardev for none)
 * and interrupt line, and resets it. */
void uart16550_init(Uart16550 *uart, Chardev *chr, IrqLine irq);
void uart16550_reset(Uart16550 *uart);

/* The "serial@BASE" node, as QEMU's virt board emits it, inside the
 * current node of a sequential-write tree (its /soc). Returns 0 or a
 * negative libfdt error. */
int uart16550_fdt_node(void *fdt, uint64_t base, uint64_t size, uint32_t plic_phandle,
                       unsigned irq);

extern const DeviceType uart16550_type;

#endif
