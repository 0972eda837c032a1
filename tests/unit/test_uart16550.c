/* tests/unit/test_uart16550.c: unit tests for hw/char/uart16550.c: the
 * registers a driver sees, FIFO, interrupt priorities, loopback, DLAB, the
 * device-tree node; the backend is a chardev over pipes. */
#include <fcntl.h>
#include <libfdt.h>
#include <string.h>
#include <unistd.h>

#include "hw/char/uart16550.h"
#include "tests/unit/harness.h"

enum {
    RBR = 0,
    THR = 0,
    DLL = 0,
    IER = 1,
    DLM = 1,
    IIR = 2,
    FCR = 2,
    LCR = 3,
    MCR = 4,
    LSR = 5,
    MSR = 6,
    SCR = 7,
};

/* IIR values with the FIFO off / on. */
enum {
    IIR_NONE = 0x01,
    IIR_MODEM = 0x00,
    IIR_THRE = 0x02,
    IIR_RX = 0x04,
    IIR_LINE = 0x06,
    IIR_TIMEOUT = 0x0c,
    IIR_FIFO = 0xc0,
};

static MainLoop loop;
static Uart16550 uart;
static Chardev *chr;
static int in_pipe[2], out_pipe[2];
static bool irq_level;
static unsigned irq_source;
static int irq_changes;

static void record_irq(void *opaque, unsigned n, bool level)
{
    (void)opaque;
    irq_source = n;
    if (level != irq_level)
        irq_changes++;
    irq_level = level;
}

static void setup(void)
{
    mainloop_init(&loop);
    ck_assert_int_eq(pipe(in_pipe), 0);
    ck_assert_int_eq(pipe(out_pipe), 0);
    fcntl(out_pipe[0], F_SETFL, O_NONBLOCK);
    chr = chardev_open_fds(&loop, in_pipe[0], out_pipe[1], false);
    ck_assert_ptr_nonnull(chr);
    irq_level = true; /* init must lower it */
    irq_changes = 0;
    uart16550_init(&uart, chr, (IrqLine){record_irq, NULL, 10});
    ck_assert(!irq_level);
    ck_assert_uint_eq(irq_source, 10);
}

static void teardown(void)
{
    chardev_close(chr);
}

static uint8_t rd(unsigned reg)
{
    uint64_t v = uart16550_ops.read(&uart, reg, 1);
    ck_assert_uint_le(v, 0xff);
    return (uint8_t)v;
}

static void wr(unsigned reg, uint8_t value)
{
    uart16550_ops.write(&uart, reg, value, 1);
}

/* Host input: written to the pipe, then the loop runs. */
static void type(const char *text)
{
    ck_assert_int_eq(write(in_pipe[1], text, strlen(text)), (ssize_t)strlen(text));
    for (int i = 0; i < 100 && mainloop_poll(&loop, 0) > 0; i++)
        ;
}

static size_t host_output(char *buf, size_t size)
{
    ssize_t n = read(out_pipe[0], buf, size - 1);
    size_t len = n > 0 ? (size_t)n : 0;
    buf[len] = '\0';
    return len;
}

START_TEST(test_reset_values)
{
    ck_assert_uint_eq(rd(IER), 0);
    ck_assert_uint_eq(rd(IIR), IIR_NONE);
    ck_assert_uint_eq(rd(LCR), 0);
    ck_assert_uint_eq(rd(MCR), 0x08); /* OUT2 */
    ck_assert_uint_eq(rd(LSR), 0x60); /* THRE | TEMT */
    ck_assert_uint_eq(rd(MSR), 0xb0); /* DCD | DSR | CTS */
    ck_assert_uint_eq(rd(SCR), 0);
    wr(LCR, 0x80);
    ck_assert_uint_eq(rd(DLL), 12); /* 9600 baud */
    ck_assert_uint_eq(rd(DLM), 0);
}
END_TEST

START_TEST(test_transmit_goes_to_the_backend)
{
    wr(THR, 'o');
    wr(THR, 'k');
    char buf[16];
    ck_assert_uint_eq(host_output(buf, sizeof(buf)), 2);
    ck_assert_str_eq(buf, "ok");
    /* Sent at once: the transmitter is empty again. */
    ck_assert_uint_eq(rd(LSR) & 0x60, 0x60);
}
END_TEST

START_TEST(test_dlab_switches_registers)
{
    wr(IER, 0x05);
    wr(LCR, 0x83); /* DLAB, 8 data bits */
    wr(DLL, 0x01); /* 115200 baud */
    wr(DLM, 0x02);
    ck_assert_uint_eq(rd(DLL), 0x01);
    ck_assert_uint_eq(rd(DLM), 0x02);
    char buf[16];
    ck_assert_uint_eq(host_output(buf, sizeof(buf)), 0); /* DLL is no THR */
    wr(LCR, 0x03);
    ck_assert_uint_eq(rd(LCR), 0x03);
    ck_assert_uint_eq(rd(IER), 0x05);
    wr(LCR, 0x83);
    ck_assert_uint_eq(rd(DLM), 0x02);
}
END_TEST

START_TEST(test_scratch_and_ier_bits)
{
    wr(SCR, 0x5a);
    ck_assert_uint_eq(rd(SCR), 0x5a);
    wr(IER, 0xf0); /* only bits 3:0 exist on a 16550A */
    ck_assert_uint_eq(rd(IER), 0);
    wr(MCR, 0xff);
    ck_assert_uint_eq(rd(MCR), 0x1f);
}
END_TEST

START_TEST(test_thre_interrupt_as_linux_uses_it)
{
    /* Enabling it with THR empty raises it. */
    wr(IER, 0x02);
    ck_assert(irq_level);
    ck_assert_uint_eq(rd(IIR), IIR_THRE);
    /* Reading IIR when it reports THRE acknowledges it. */
    ck_assert(!irq_level);
    ck_assert_uint_eq(rd(IIR), IIR_NONE);
    /* Writing THR: sent at once, so it is pending again. */
    wr(THR, 'a');
    ck_assert(irq_level);
    ck_assert_uint_eq(rd(IIR), IIR_THRE);
    /* Masking lowers the line; unmasking raises it again (THR empty). */
    wr(THR, 'b');
    wr(IER, 0x00);
    ck_assert(!irq_level);
    wr(IER, 0x02);
    ck_assert(irq_level);
    /* Rewriting the same IER does not re-arm an acknowledged interrupt. */
    rd(IIR);
    wr(IER, 0x02);
    ck_assert(!irq_level);
}
END_TEST

START_TEST(test_receive_without_fifo)
{
    wr(IER, 0x01);
    type("ab");
    /* Without the FIFO the UART holds one byte; the rest waits in the
     * chardev instead of overrunning. */
    ck_assert_uint_eq(rd(LSR) & 0x03, 0x01);
    ck_assert(irq_level);
    ck_assert_uint_eq(rd(IIR), IIR_RX);
    ck_assert_uint_eq(rd(RBR), 'a');
    ck_assert_uint_eq(rd(LSR) & 0x01, 0x01);
    ck_assert_uint_eq(rd(RBR), 'b');
    ck_assert_uint_eq(rd(LSR) & 0x03, 0x00);
    ck_assert(!irq_level);
    ck_assert_uint_eq(rd(IIR), IIR_NONE);
}
END_TEST

START_TEST(test_receive_with_fifo_loses_nothing)
{
    wr(FCR, 0x07); /* enable, clear both, trigger 1 */
    ck_assert_uint_eq(rd(IIR), IIR_FIFO | IIR_NONE);
    char text[41] = "the quick brown fox jumps over a lazy dog";
    ck_assert_int_eq(write(in_pipe[1], text, 40), 40);
    char got[41] = {0};
    size_t n = 0;
    for (int spins = 0; spins < 1000 && n < 40; spins++) {
        mainloop_poll(&loop, 0);
        while (n < 40 && (rd(LSR) & 0x01))
            got[n++] = (char)rd(RBR);
    }
    ck_assert_uint_eq(n, 40);
    ck_assert_mem_eq(got, text, 40);
    ck_assert_uint_eq(rd(LSR) & 0x02, 0); /* no overrun */
}
END_TEST

START_TEST(test_fifo_holds_sixteen_bytes)
{
    wr(FCR, 0x01);
    type("0123456789abcdefXYZ");
    /* 16 in the FIFO; three more wait in the chardev. */
    const char *fifo = "0123456789abcdef";
    for (int i = 0; i < 16; i++)
        ck_assert_uint_eq(rd(RBR), (uint8_t)fifo[i]);
    ck_assert_uint_eq(rd(RBR), 'X');
    ck_assert_uint_eq(rd(RBR), 'Y');
    ck_assert_uint_eq(rd(RBR), 'Z');
    ck_assert_uint_eq(rd(LSR) & 0x03, 0);
    ck_assert_uint_eq(rd(RBR), 0); /* empty */
}
END_TEST

START_TEST(test_trigger_level_and_timeout)
{
    wr(IER, 0x01);
    wr(FCR, 0x81); /* trigger at 8 bytes */
    type("abc");
    /* Below the trigger: the character timeout reports the data. */
    ck_assert(irq_level);
    ck_assert_uint_eq(rd(IIR), IIR_FIFO | IIR_TIMEOUT);
    type("defgh");
    ck_assert_uint_eq(rd(IIR), IIR_FIFO | IIR_RX);
    for (int i = 0; i < 8; i++)
        rd(RBR);
    ck_assert(!irq_level);
    ck_assert_uint_eq(rd(IIR), IIR_FIFO | IIR_NONE);

    static const struct {
        uint8_t fcr;
        int level;
    } levels[] = {{0x01, 1}, {0x41, 4}, {0xc1, 14}};
    for (size_t k = 0; k < sizeof(levels) / sizeof(levels[0]); k++) {
        wr(FCR, levels[k].fcr | 0x02);
        char text[20] = {0};
        memset(text, 'x', (size_t)levels[k].level - 1);
        if (levels[k].level > 1) {
            type(text);
            ck_assert_uint_eq(rd(IIR), IIR_FIFO | IIR_TIMEOUT);
        }
        type("y");
        ck_assert_uint_eq(rd(IIR), IIR_FIFO | IIR_RX);
    }
}
END_TEST

START_TEST(test_fcr_clears_and_toggles)
{
    wr(FCR, 0x01);
    type("abc");
    ck_assert_uint_eq(rd(LSR) & 0x01, 0x01);
    wr(FCR, 0x03); /* clear the receive FIFO */
    ck_assert_uint_eq(rd(LSR) & 0x01, 0);
    type("def");
    wr(FCR, 0x00); /* switching the FIFO off empties it */
    ck_assert_uint_eq(rd(LSR) & 0x01, 0);
    ck_assert_uint_eq(rd(IIR), IIR_NONE);
    type("gh");
    ck_assert_uint_eq(rd(RBR), 'g');
    ck_assert_uint_eq(rd(RBR), 'h');
    wr(FCR, 0x01);
    type("ij");
    wr(FCR, 0xc1); /* a new trigger level alone keeps the contents */
    ck_assert_uint_eq(rd(RBR), 'i');
    ck_assert_uint_eq(rd(IIR), IIR_FIFO | IIR_NONE);
}
END_TEST

START_TEST(test_receive_interrupt_needs_ier)
{
    type("z");
    ck_assert(!irq_level);
    ck_assert_uint_eq(rd(IIR), IIR_NONE);
    wr(IER, 0x01);
    ck_assert(irq_level);
    wr(IER, 0x00);
    ck_assert(!irq_level);
}
END_TEST

START_TEST(test_loopback)
{
    wr(MCR, 0x10);
    wr(THR, 'L');
    char buf[8];
    ck_assert_uint_eq(host_output(buf, sizeof(buf)), 0); /* not on the line */
    ck_assert_uint_eq(rd(LSR) & 0x01, 0x01);
    ck_assert_uint_eq(rd(RBR), 'L');

    /* Host input waits while the receiver is looped back. */
    type("host");
    ck_assert_uint_eq(rd(LSR) & 0x01, 0);

    /* Linux's 8250 probe: loop with OUT2 | RTS must read DCD | CTS. */
    wr(MCR, 0x1a);
    ck_assert_uint_eq(rd(MSR) & 0xf0, 0x90);
    wr(MCR, 0x15); /* DTR, OUT1 -> DSR, RI */
    ck_assert_uint_eq(rd(MSR) & 0xf0, 0x60);

    wr(MCR, 0x08);
    ck_assert_uint_eq(rd(MSR) & 0xf0, 0xb0);
    ck_assert_uint_eq(rd(RBR), 'h');
}
END_TEST

START_TEST(test_overrun)
{
    /* Without the FIFO, a second byte overwrites the first. */
    wr(MCR, 0x10);
    wr(THR, '1');
    wr(THR, '2');
    ck_assert_uint_eq(rd(LSR) & 0x03, 0x03);
    ck_assert_uint_eq(rd(LSR) & 0x02, 0); /* reading LSR clears OE */
    ck_assert_uint_eq(rd(RBR), '2');

    /* With it, a 17th byte is lost and the 16 are kept. */
    wr(FCR, 0x01);
    for (int i = 0; i < 17; i++)
        wr(THR, (uint8_t)('a' + i));
    ck_assert_uint_eq(rd(LSR) & 0x03, 0x03);
    for (int i = 0; i < 16; i++)
        ck_assert_uint_eq(rd(RBR), (uint8_t)('a' + i));
    ck_assert_uint_eq(rd(LSR) & 0x01, 0);
}
END_TEST

START_TEST(test_interrupt_priorities)
{
    wr(MCR, 0x10); /* loopback, all modem outputs off */
    rd(MSR);       /* clear the deltas entering loopback made */
    wr(IER, 0x0f);
    ck_assert_uint_eq(rd(IIR), IIR_THRE); /* acknowledges it */
    ck_assert_uint_eq(rd(IIR), IIR_NONE);

    wr(MCR, 0x12); /* RTS -> CTS: a modem status change */
    wr(THR, 'x');  /* THR empty again, and 'x' received */
    wr(THR, 'y');  /* overrun: line status */
    ck_assert(irq_level);
    ck_assert_uint_eq(rd(IIR), IIR_LINE);
    ck_assert_uint_eq(rd(LSR) & 0x03, 0x03);
    ck_assert_uint_eq(rd(IIR), IIR_RX);
    ck_assert_uint_eq(rd(RBR), 'y');
    ck_assert_uint_eq(rd(IIR), IIR_THRE);
    ck_assert_uint_eq(rd(IIR), IIR_MODEM);
    ck_assert_uint_eq(rd(MSR), 0x11); /* CTS and its delta */
    ck_assert_uint_eq(rd(IIR), IIR_NONE);
    ck_assert(!irq_level);
}
END_TEST

START_TEST(test_line_and_modem_interrupts_need_ier)
{
    wr(MCR, 0x10);
    wr(THR, '1');
    wr(THR, '2');
    wr(MCR, 0x13);
    ck_assert(!irq_level); /* IER is 0 */
    wr(IER, 0x04);
    ck_assert_uint_eq(rd(IIR), IIR_LINE);
    wr(IER, 0x08);
    ck_assert_uint_eq(rd(IIR), IIR_MODEM);
    wr(IER, 0x00);
    ck_assert(!irq_level);
}
END_TEST

START_TEST(test_ring_delta_only_on_trailing_edge)
{
    wr(MCR, 0x10);
    rd(MSR);
    wr(MCR, 0x14); /* OUT1 -> RI rises */
    ck_assert_uint_eq(rd(MSR), 0x40);
    wr(MCR, 0x10); /* RI falls */
    ck_assert_uint_eq(rd(MSR), 0x04);
}
END_TEST

START_TEST(test_wide_accesses_use_the_low_byte)
{
    /* QEMU's serial-mm accepts 1 to 8 bytes. */
    ck_assert_uint_eq(uart16550_ops.min_size, 1);
    ck_assert_uint_eq(uart16550_ops.max_size, 8);
    uart16550_ops.write(&uart, SCR, 0x1122334455667788ull, 8);
    ck_assert_uint_eq(rd(SCR), 0x88);
    ck_assert_uint_eq(uart16550_ops.read(&uart, LSR, 1), 0x60);
    uart16550_ops.write(&uart, THR, 0x4142, 2);
    char buf[8];
    host_output(buf, sizeof(buf));
    ck_assert_str_eq(buf, "B");
    ck_assert_uint_eq(uart16550_ops.read(&uart, 4, 4), 0x08);
}
END_TEST

START_TEST(test_bad_offsets_and_read_only_writes_are_ignored)
{
    for (uint64_t off = 8; off < UART16550_SIZE; off++) {
        ck_assert_uint_eq(uart16550_ops.read(&uart, off, 1), 0);
        uart16550_ops.write(&uart, off, 0xff, 1);
    }
    wr(LSR, 0x00);
    wr(MSR, 0x00);
    char buf[8];
    ck_assert_uint_eq(host_output(buf, sizeof(buf)), 0);
    ck_assert_uint_eq(rd(LSR), 0x60);
    ck_assert_uint_eq(rd(MSR), 0xb0);
    ck_assert_uint_eq(rd(IER), 0);
    ck_assert_uint_eq(rd(MCR), 0x08);
}
END_TEST

START_TEST(test_reset_empties_and_lowers)
{
    wr(IER, 0x03);
    wr(FCR, 0x01);
    type("abc");
    ck_assert(irq_level);
    uart16550_reset(&uart);
    ck_assert(!irq_level);
    ck_assert_uint_eq(rd(LSR), 0x60);
    ck_assert_uint_eq(rd(IIR), IIR_NONE);
    ck_assert_uint_eq(rd(IER), 0);
}
END_TEST

START_TEST(test_irq_line_only_moves_on_changes)
{
    wr(IER, 0x02);
    int changes = irq_changes;
    for (int i = 0; i < 10; i++)
        wr(THR, '.');
    ck_assert_int_eq(irq_changes, changes);
}
END_TEST

START_TEST(test_fdt_node_matches_qemu)
{
    char fdt[4096];
    ck_assert_int_eq(fdt_create(fdt, sizeof(fdt)), 0);
    ck_assert_int_eq(fdt_finish_reservemap(fdt), 0);
    ck_assert_int_eq(fdt_begin_node(fdt, ""), 0);
    ck_assert_int_eq(uart16550_fdt_node(fdt, 0x10000000, UART16550_SIZE, 3, 10), 0);
    ck_assert_int_eq(fdt_end_node(fdt), 0);
    ck_assert_int_eq(fdt_finish(fdt), 0);

    int node = fdt_path_offset(fdt, "/serial@10000000");
    ck_assert_int_ge(node, 0);
    int len;
    const char *compat = fdt_getprop(fdt, node, "compatible", &len);
    ck_assert_int_eq(len, sizeof("ns16550a"));
    ck_assert_str_eq(compat, "ns16550a");
    const fdt32_t *reg = fdt_getprop(fdt, node, "reg", &len);
    ck_assert_int_eq(len, 16);
    ck_assert_uint_eq(fdt32_to_cpu(reg[0]), 0);
    ck_assert_uint_eq(fdt32_to_cpu(reg[1]), 0x10000000);
    ck_assert_uint_eq(fdt32_to_cpu(reg[2]), 0);
    ck_assert_uint_eq(fdt32_to_cpu(reg[3]), 0x100);
    const fdt32_t *cell = fdt_getprop(fdt, node, "clock-frequency", &len);
    ck_assert_int_eq(len, 4);
    ck_assert_uint_eq(fdt32_to_cpu(*cell), 0x384000);
    cell = fdt_getprop(fdt, node, "interrupts", &len);
    ck_assert_int_eq(len, 4);
    ck_assert_uint_eq(fdt32_to_cpu(*cell), 10);
    cell = fdt_getprop(fdt, node, "interrupt-parent", &len);
    ck_assert_int_eq(len, 4);
    ck_assert_uint_eq(fdt32_to_cpu(*cell), 3);

    /* Same property order as QEMU's dumpdtb, so the trees diff cleanly. */
    static const char *const order[] = {"interrupts", "interrupt-parent", "clock-frequency", "reg",
                                        "compatible"};
    size_t i = 0;
    int prop;
    fdt_for_each_property_offset(prop, fdt, node)
    {
        const char *name;
        fdt_getprop_by_offset(fdt, prop, &name, &len);
        ck_assert_uint_lt(i, 5);
        ck_assert_str_eq(name, order[i]);
        i++;
    }
    ck_assert_uint_eq(i, 5);
}
END_TEST

START_TEST(test_fdt_node_reports_a_full_tree)
{
    char fdt[128];
    ck_assert_int_eq(fdt_create(fdt, sizeof(fdt)), 0);
    ck_assert_int_eq(fdt_finish_reservemap(fdt), 0);
    ck_assert_int_eq(fdt_begin_node(fdt, ""), 0);
    ck_assert_int_eq(uart16550_fdt_node(fdt, 0x10000000, UART16550_SIZE, 3, 10), -FDT_ERR_NOSPACE);
}
END_TEST

static Suite *uart_suite(void)
{
    Suite *s = suite_create("uart16550");
    TCase *tc = tcase_create("registers");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_reset_values);
    tcase_add_test(tc, test_transmit_goes_to_the_backend);
    tcase_add_test(tc, test_dlab_switches_registers);
    tcase_add_test(tc, test_scratch_and_ier_bits);
    tcase_add_test(tc, test_thre_interrupt_as_linux_uses_it);
    tcase_add_test(tc, test_receive_without_fifo);
    tcase_add_test(tc, test_receive_with_fifo_loses_nothing);
    tcase_add_test(tc, test_fifo_holds_sixteen_bytes);
    tcase_add_test(tc, test_trigger_level_and_timeout);
    tcase_add_test(tc, test_fcr_clears_and_toggles);
    tcase_add_test(tc, test_receive_interrupt_needs_ier);
    tcase_add_test(tc, test_loopback);
    tcase_add_test(tc, test_overrun);
    tcase_add_test(tc, test_interrupt_priorities);
    tcase_add_test(tc, test_line_and_modem_interrupts_need_ier);
    tcase_add_test(tc, test_ring_delta_only_on_trailing_edge);
    tcase_add_test(tc, test_wide_accesses_use_the_low_byte);
    tcase_add_test(tc, test_bad_offsets_and_read_only_writes_are_ignored);
    tcase_add_test(tc, test_reset_empties_and_lowers);
    tcase_add_test(tc, test_irq_line_only_moves_on_changes);
    tcase_add_test(tc, test_fdt_node_matches_qemu);
    tcase_add_test(tc, test_fdt_node_reports_a_full_tree);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return run_suite(uart_suite());
}
