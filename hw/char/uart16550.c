/* hw/char/uart16550.c: the NS16550A UART ("ns16550a") QEMU's virt board has
 * at 0x10000000, its console: byte registers, 16-byte receive FIFO. */
#include "hw/char/uart16550.h"

#include <inttypes.h>
#include <libfdt.h>
#include <stdio.h>

#include "util/log.h"
#include "hw/device.h"

/* Register offsets (reg-shift 0); DLL and DLM replace RBR/THR and IER
 * while LCR.DLAB is set. */
enum {
    REG_RBR_THR = 0,
    REG_IER = 1,
    REG_IIR_FCR = 2,
    REG_LCR = 3,
    REG_MCR = 4,
    REG_LSR = 5,
    REG_MSR = 6,
    REG_SCR = 7,
    REG_COUNT = 8,
};

enum {
    IER_RX_DATA = 0x01,
    IER_THR_EMPTY = 0x02,
    IER_RX_LINE_STATUS = 0x04,
    IER_MODEM_STATUS = 0x08,

    /* IIR: bit 0 clear when an interrupt is pending, bits 3:1 say which. */
    IIR_NONE = 0x01,
    IIR_MODEM_STATUS = 0x00,
    IIR_THR_EMPTY = 0x02,
    IIR_RX_DATA = 0x04,
    IIR_RX_LINE_STATUS = 0x06,
    IIR_RX_TIMEOUT = 0x0c,
    IIR_FIFO_ENABLED = 0xc0,

    FCR_ENABLE = 0x01,
    FCR_CLEAR_RX = 0x02,
    FCR_CLEAR_TX = 0x04,
    FCR_STICKY = 0xc9, /* enable, DMA mode, trigger level */

    LCR_DLAB = 0x80,

    MCR_DTR = 0x01,
    MCR_RTS = 0x02,
    MCR_OUT1 = 0x04,
    MCR_OUT2 = 0x08,
    MCR_LOOP = 0x10,
    MCR_MASK = 0x1f,

    LSR_DATA_READY = 0x01,
    LSR_OVERRUN = 0x02,
    LSR_ERRORS = 0x1e, /* overrun, parity, framing, break */
    LSR_THR_EMPTY = 0x20,
    LSR_TX_EMPTY = 0x40,

    MSR_DELTAS = 0x0f,
    MSR_TERI = 0x04, /* trailing edge of RI */
    MSR_CTS = 0x10,
    MSR_DSR = 0x20,
    MSR_RI = 0x40,
    MSR_DCD = 0x80,
};

static const unsigned rx_trigger_levels[4] = {1, 4, 8, 14};

static bool fifo_enabled(const Uart16550 *uart)
{
    return uart->fcr & FCR_ENABLE;
}

/* The pending interrupt of highest priority (16550 datasheet, table 4). */
static uint8_t interrupt_id(const Uart16550 *uart)
{
    if ((uart->ier & IER_RX_LINE_STATUS) && (uart->lsr_errors & LSR_ERRORS))
        return IIR_RX_LINE_STATUS;
    if ((uart->ier & IER_RX_DATA) && uart->rx_count) {
        if (!fifo_enabled(uart) || uart->rx_count >= uart->rx_trigger)
            return IIR_RX_DATA;
        /* Below the trigger level real hardware waits four character times
         * of silence first. Emulated input arrives in bursts with no line
         * time in between, so the line is already idle: waiting would only
         * delay the guest. */
        return IIR_RX_TIMEOUT;
    }
    if ((uart->ier & IER_THR_EMPTY) && uart->thr_interrupt)
        return IIR_THR_EMPTY;
    if ((uart->ier & IER_MODEM_STATUS) && (uart->msr & MSR_DELTAS))
        return IIR_MODEM_STATUS;
    return IIR_NONE;
}

static void update_irq(Uart16550 *uart)
{
    bool level = interrupt_id(uart) != IIR_NONE;
    if (level != uart->irq_level) {
        uart->irq_level = level;
        irq_set(&uart->irq, level);
    }
}

/* The modem inputs: the host side is always "connected" (as in QEMU); in
 * loopback the outputs are wired back: RTS->CTS, DTR->DSR, OUT1->RI,
 * OUT2->DCD. Changes set the delta bits, as on the chip. */
static void update_modem_inputs(Uart16550 *uart)
{
    uint8_t inputs = MSR_DCD | MSR_DSR | MSR_CTS;
    if (uart->mcr & MCR_LOOP) {
        inputs = 0;
        inputs |= (uart->mcr & MCR_RTS) ? MSR_CTS : 0;
        inputs |= (uart->mcr & MCR_DTR) ? MSR_DSR : 0;
        inputs |= (uart->mcr & MCR_OUT1) ? MSR_RI : 0;
        inputs |= (uart->mcr & MCR_OUT2) ? MSR_DCD : 0;
    }
    uint8_t old = uart->msr & ~MSR_DELTAS;
    /* Each delta bit sits four bits below its line; RI counts only when it
     * falls. */
    uint8_t deltas = ((old ^ inputs) >> 4) & ~MSR_TERI;
    if ((old & MSR_RI) && !(inputs & MSR_RI))
        deltas |= MSR_TERI;
    uart->msr = inputs | (uart->msr & MSR_DELTAS) | deltas;
}

static void receive_byte(Uart16550 *uart, uint8_t byte)
{
    if (!fifo_enabled(uart) && uart->rx_count) {
        /* Without the FIFO an unread byte is overwritten. */
        uart->rx_fifo[uart->rx_head] = byte;
        uart->lsr_errors |= LSR_OVERRUN;
        return;
    }
    if (uart->rx_count == UART16550_FIFO_SIZE) {
        /* A full FIFO keeps its contents; the new byte is lost. */
        uart->lsr_errors |= LSR_OVERRUN;
        return;
    }
    uart->rx_fifo[(uart->rx_head + uart->rx_count) % UART16550_FIFO_SIZE] = byte;
    uart->rx_count++;
}

static size_t uart_can_receive(void *opaque)
{
    Uart16550 *uart = opaque;
    /* Loopback disconnects the receiver from the line: input waits in the
     * chardev until it ends. */
    if (uart->mcr & MCR_LOOP)
        return 0;
    if (!fifo_enabled(uart))
        return uart->rx_count ? 0 : 1;
    return UART16550_FIFO_SIZE - uart->rx_count;
}

static void uart_receive(void *opaque, const uint8_t *buf, size_t len)
{
    Uart16550 *uart = opaque;
    for (size_t i = 0; i < len; i++)
        receive_byte(uart, buf[i]);
    update_irq(uart);
}

static uint8_t read_rbr(Uart16550 *uart)
{
    if (!uart->rx_count)
        return 0;
    uint8_t byte = uart->rx_fifo[uart->rx_head];
    uart->rx_head = (uart->rx_head + 1) % UART16550_FIFO_SIZE;
    uart->rx_count--;
    update_irq(uart);
    chardev_accept_input(uart->chr);
    return byte;
}

static void write_thr(Uart16550 *uart, uint8_t byte)
{
    if (uart->mcr & MCR_LOOP) {
        receive_byte(uart, byte);
    } else {
        chardev_write(uart->chr, &byte, 1);
    }
    /* Sent at once: THR is empty again, so its interrupt is pending again
     * (as in QEMU; Linux's 8250 driver refills from that interrupt). */
    uart->thr_interrupt = true;
    update_irq(uart);
}

static void write_ier(Uart16550 *uart, uint8_t value)
{
    uint8_t changed = (uart->ier ^ value) & 0x0f;
    uart->ier = value & 0x0f;
    /* Enabling the THR-empty interrupt while THR is empty (always, here)
     * raises it even if an IIR read cleared it before, as in QEMU; drivers
     * toggle IER to kick transmission. */
    if (changed & IER_THR_EMPTY)
        uart->thr_interrupt = uart->ier & IER_THR_EMPTY;
    update_irq(uart);
}

static void write_fcr(Uart16550 *uart, uint8_t value)
{
    /* Switching the FIFO on or off empties both FIFOs. */
    if ((value ^ uart->fcr) & FCR_ENABLE)
        value |= FCR_CLEAR_RX | FCR_CLEAR_TX;
    if (value & FCR_CLEAR_RX) {
        uart->rx_head = 0;
        uart->rx_count = 0;
    }
    /* FCR_CLEAR_TX has nothing to clear: bytes leave as THR is written. */
    uart->fcr = value & FCR_STICKY;
    uart->rx_trigger = rx_trigger_levels[value >> 6];
    update_irq(uart);
    chardev_accept_input(uart->chr);
}

static void write_mcr(Uart16550 *uart, uint8_t value)
{
    uint8_t old = uart->mcr;
    uart->mcr = value & MCR_MASK;
    update_modem_inputs(uart);
    update_irq(uart);
    if ((old & MCR_LOOP) && !(uart->mcr & MCR_LOOP))
        chardev_accept_input(uart->chr);
}

static uint64_t uart16550_read(void *opaque, uint64_t offset, unsigned size)
{
    Uart16550 *uart = opaque;
    (void)size;
    bool dlab = uart->lcr & LCR_DLAB;
    uint8_t value;
    switch (offset) {
    case REG_RBR_THR:
        return dlab ? uart->divisor & 0xff : read_rbr(uart);
    case REG_IER:
        return dlab ? uart->divisor >> 8 : uart->ier;
    case REG_IIR_FCR:
        value = interrupt_id(uart);
        /* Reading IIR acknowledges a THR-empty interrupt it reports. */
        if (value == IIR_THR_EMPTY) {
            uart->thr_interrupt = false;
            update_irq(uart);
        }
        return value | (fifo_enabled(uart) ? IIR_FIFO_ENABLED : 0);
    case REG_LCR:
        return uart->lcr;
    case REG_MCR:
        return uart->mcr;
    case REG_LSR:
        value = uart->lsr_errors | LSR_THR_EMPTY | LSR_TX_EMPTY;
        value |= uart->rx_count ? LSR_DATA_READY : 0;
        uart->lsr_errors = 0;
        update_irq(uart);
        return value;
    case REG_MSR:
        value = uart->msr;
        uart->msr &= ~MSR_DELTAS;
        update_irq(uart);
        return value;
    case REG_SCR:
        return uart->scr;
    default:
        log_guest_error("uart16550: read at offset 0x%" PRIx64 " (registers end at 0x%x)\n", offset,
                        REG_COUNT);
        return 0;
    }
}

static void uart16550_write(void *opaque, uint64_t offset, uint64_t value, unsigned size)
{
    Uart16550 *uart = opaque;
    (void)size;
    /* Wider accesses (QEMU allows up to 8 bytes) reach the register at
     * their address with their low byte. */
    uint8_t byte = (uint8_t)value;
    bool dlab = uart->lcr & LCR_DLAB;
    switch (offset) {
    case REG_RBR_THR:
        if (dlab)
            uart->divisor = (uint16_t)((uart->divisor & 0xff00) | byte);
        else
            write_thr(uart, byte);
        return;
    case REG_IER:
        if (dlab)
            uart->divisor = (uint16_t)((uart->divisor & 0x00ff) | byte << 8);
        else
            write_ier(uart, byte);
        return;
    case REG_IIR_FCR:
        write_fcr(uart, byte);
        return;
    case REG_LCR:
        uart->lcr = byte;
        return;
    case REG_MCR:
        write_mcr(uart, byte);
        return;
    case REG_SCR:
        uart->scr = byte;
        return;
    case REG_LSR:
    case REG_MSR:
        log_guest_error("uart16550: write of 0x%02x to read-only %s ignored\n", byte,
                        offset == REG_LSR ? "LSR" : "MSR");
        return;
    default:
        log_guest_error("uart16550: write of 0x%02x at offset 0x%" PRIx64
                        " ignored (registers end at 0x%x)\n",
                        byte, offset, REG_COUNT);
        return;
    }
}

const MemoryOps uart16550_ops = {
    .read = uart16550_read,
    .write = uart16550_write,
    .min_size = 1,
    .max_size = 8,
};

void uart16550_reset(Uart16550 *uart)
{
    /* QEMU's reset values: 9600 baud (divisor 12), OUT2 set, modem lines
     * of the host side up. */
    uart->rx_head = 0;
    uart->rx_count = 0;
    uart->rx_trigger = 1;
    uart->ier = 0;
    uart->fcr = 0;
    uart->lcr = 0;
    uart->mcr = MCR_OUT2;
    uart->lsr_errors = 0;
    uart->msr = MSR_DCD | MSR_DSR | MSR_CTS;
    uart->scr = 0;
    uart->divisor = 12;
    uart->thr_interrupt = false;
    uart->irq_level = false;
    irq_set(&uart->irq, false);
    chardev_accept_input(uart->chr);
}

void uart16550_init(Uart16550 *uart, Chardev *chr, IrqLine irq)
{
    uart->chr = chr;
    uart->irq = irq;
    uart16550_reset(uart);
    ChardevFrontend frontend = {uart_can_receive, uart_receive, uart, NULL, false};
    /* Devices are connected first and each -chardev serves one device
     * (board_devices.c), so there is always room. */
    (void)chardev_add_frontend(chr, &frontend);
}

int uart16550_fdt_node(void *fdt, uint64_t base, uint64_t size, uint32_t plic_phandle, unsigned irq)
{
    char name[32];
    snprintf(name, sizeof(name), "serial@%" PRIx64, base);
    fdt64_t reg[2] = {cpu_to_fdt64(base), cpu_to_fdt64(size)};
    /* Property order as in QEMU's dumpdtb output. */
    int err = fdt_begin_node(fdt, name);
    if (!err)
        err = fdt_property_u32(fdt, "interrupts", irq);
    if (!err)
        err = fdt_property_u32(fdt, "interrupt-parent", plic_phandle);
    if (!err)
        err = fdt_property_u32(fdt, "clock-frequency", UART16550_CLOCK_HZ);
    if (!err)
        err = fdt_property(fdt, "reg", reg, sizeof(reg));
    if (!err)
        err = fdt_property_string(fdt, "compatible", "ns16550a");
    if (!err)
        err = fdt_end_node(fdt);
    return err;
}

/* ---- Device type ---- */

static bool uart_realize(Device *dev, const DeviceContext *ctx, char *err, size_t errlen)
{
    Chardev *chr = ctx->chardev(ctx->board, device_prop(dev, "chardev"), err, errlen);
    if (!chr)
        return false;
    uart16550_init(dev->state, chr, dev->irq);
    return true;
}

static void uart_reset(Device *dev)
{
    uart16550_reset(dev->state);
}

static int uart_fdt_node(Device *dev, void *fdt, const DeviceFdtContext *ctx)
{
    return uart16550_fdt_node(fdt, dev->base, dev->size, ctx->plic_phandle, dev->irq_number);
}

static const DeviceProperty uart_props[] = {
    {.name = "chardev",
     .type = PROP_CHARDEV,
     .default_value = "serial0",
     .help = "the character backend (-serial's is serial0)"},
    {0},
};

/* A stream is input like any other: the FIFO indices are kept in range. */
static void uart_post_load(void *object)
{
    Uart16550 *uart = object;
    uart->rx_head %= UART16550_FIFO_SIZE;
    if (uart->rx_count > UART16550_FIFO_SIZE)
        uart->rx_count = UART16550_FIFO_SIZE;
    irq_set(&uart->irq, uart->irq_level);
    update_irq(uart);
}

static const StateField uart_fields[] = {
    STATE_BOOL(Uart16550, irq_level),
    STATE_UINT_ARRAY(Uart16550, rx_fifo),
    STATE_UINT(Uart16550, rx_head),
    STATE_UINT(Uart16550, rx_count),
    STATE_UINT(Uart16550, rx_trigger),
    STATE_UINT(Uart16550, ier),
    STATE_UINT(Uart16550, fcr),
    STATE_UINT(Uart16550, lcr),
    STATE_UINT(Uart16550, mcr),
    STATE_UINT(Uart16550, lsr_errors),
    STATE_UINT(Uart16550, msr),
    STATE_UINT(Uart16550, scr),
    STATE_UINT(Uart16550, divisor),
    STATE_BOOL(Uart16550, thr_interrupt),
    STATE_END,
};

static const StateField uart_unsaved[] = {
    STATE_UNSAVED(Uart16550, chr),
    STATE_UNSAVED(Uart16550, irq),
    STATE_END,
};

static const StateDescription uart_state = {
    .name = "serial-mm",
    .c_type = "Uart16550",
    .version = 1,
    .struct_size = sizeof(Uart16550),
    .fields = uart_fields,
    .unsaved = uart_unsaved,
    .post_load = uart_post_load,
};

const DeviceType uart16550_type = {
    .name = "serial-mm",
    .desc = "NS16550A UART",
    .state_size = sizeof(Uart16550),
    .props = uart_props,
    .realize = uart_realize,
    .reset = uart_reset,
    .mmio_ops = &uart16550_ops,
    .fdt_node = uart_fdt_node,
    .state = &uart_state,
};
