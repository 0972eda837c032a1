/* gdbstub/gdbstub.c: the GDB remote serial protocol. Every packet is input
 * from whoever reached the socket: lengths, addresses, register numbers and
 * hex are checked, and anything malformed gets an error or the empty
 * reply, never a crash. */
#include "gdbstub/gdbstub.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "cpu/riscv/mmu.h"
#include "disasm/riscv_disasm_internal.h"
#include "util/listen.h"
#include "util/log.h"

/* gdb's riscv register numbers (gdb/riscv-tdep.h). */
enum {
    REG_PC = 32,
    REG_F0 = 33,
    REG_CSR0 = 65,              /* CSR n is 65 + n: fflags 66, frm 67, fcsr 68 */
    REG_PRIV = REG_CSR0 + 4096, /* QEMU's "virtual" feature */
};

#define PACKET_MAX 4096 /* payload bytes, as PacketSize tells gdb */
#define XFER_TARGET "qXfer:features:read:target.xml:"
/* QEMU's sstep flags (maintenance packet Qqemu.sstep=N). */
enum { SSTEP_ENABLE = 1, SSTEP_NOIRQ = 2, SSTEP_NOTIMER = 4 };

struct GdbStub {
    GdbTarget t;
    MainLoop *loop;
    int listen_fd;
    int fd; /* the client, -1 when none */
    char unix_path[108];
    CpuDebug debug;                     /* the harts' breakpoints */
    bool hardware[CPU_MAX_BREAKPOINTS]; /* Z1, reported as hwbreak */
    bool running;                       /* the client let the machine go on */
    bool no_ack;
    bool phys_mode; /* memory packets take physical addresses */
    unsigned sstep;
    unsigned g_hart, c_hart;
    char *xml;
    size_t xml_len;
    char in[PACKET_MAX + 8];
    size_t in_len;
    bool in_packet;
    char last[2 * PACKET_MAX + 8]; /* the last packet sent, for a '-' */
};

/* ---- Bytes on the wire ---- */

static void send_raw(GdbStub *g, const char *data, size_t len)
{
    while (g->fd >= 0 && len > 0) {
        ssize_t n = send(g->fd, data, len, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return; /* the client went away; its hangup is seen on input */
        data += n;
        len -= (size_t)n;
    }
}

/* Sends payload (len bytes, '$', '#', '}' and '*' escaped) as a packet. */
static void send_packet_len(GdbStub *g, const char *payload, size_t len)
{
    size_t n = 0;
    unsigned sum = 0;
    g->last[n++] = '$';
    for (size_t i = 0; i < len && n + 6 < sizeof(g->last); i++) {
        char c = payload[i];
        if (c == '$' || c == '#' || c == '}' || c == '*') {
            g->last[n++] = '}';
            sum += '}';
            c ^= 0x20;
        }
        g->last[n++] = c;
        sum += (unsigned char)c;
    }
    n += (size_t)snprintf(g->last + n, sizeof(g->last) - n, "#%02x", sum & 0xff);
    send_raw(g, g->last, n);
}

static void send_packet(GdbStub *g, const char *payload)
{
    send_packet_len(g, payload, strlen(payload));
}

static void send_fmt(GdbStub *g, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void send_fmt(GdbStub *g, const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    send_packet(g, buf);
}

static int hex_digit(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* A hex number at *p (at most 16 digits), moving *p past it. */
static bool parse_hex(const char **p, uint64_t *value)
{
    uint64_t v = 0;
    int digits = 0;
    for (int d; (d = hex_digit(**p)) >= 0; (*p)++) {
        if (++digits > 16)
            return false;
        v = v << 4 | (uint64_t)d;
    }
    *value = v;
    return digits > 0;
}

static bool parse_hex_bytes(const char *p, size_t n, uint8_t *out)
{
    for (size_t i = 0; i < n; i++) {
        int hi = hex_digit(p[2 * i]), lo = hi < 0 ? -1 : hex_digit(p[2 * i + 1]);
        if (lo < 0)
            return false;
        out[i] = (uint8_t)(hi << 4 | lo);
    }
    return true;
}

static void to_hex(const uint8_t *bytes, size_t n, char *out)
{
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = digits[bytes[i] >> 4];
        out[2 * i + 1] = digits[bytes[i] & 15];
    }
    out[2 * n] = '\0';
}

/* ---- Registers ---- */

static RiscvCpu *hart(GdbStub *g, unsigned n)
{
    return g->t.harts[n < g->t.n_harts ? n : 0];
}

/* The register's bytes (little-endian) and size, 0 when there is none. */
static size_t read_register(RiscvCpu *cpu, unsigned reg, uint8_t *out)
{
    uint64_t v;
    size_t size = 8;
    if (reg < 32)
        v = cpu->x[reg];
    else if (reg == REG_PC)
        v = cpu->pc;
    else if (reg >= REG_F0 && reg < REG_F0 + 32)
        v = cpu->f[reg - REG_F0];
    else if (reg == REG_PRIV)
        v = (uint64_t)cpu->priv;
    else if (reg >= REG_CSR0 && reg < REG_PRIV && riscv_csr_read(cpu, reg - REG_CSR0, &v))
        size = reg - REG_CSR0 <= 3 ? 4 : 8; /* fflags, frm, fcsr are 32 bits */
    else
        return 0;
    memcpy(out, &v, size);
    return size;
}

static bool write_register(RiscvCpu *cpu, unsigned reg, const uint8_t *in, size_t size)
{
    uint64_t v = 0;
    memcpy(&v, in, size < 8 ? size : 8);
    if (reg < 32) {
        if (reg != 0)
            cpu->x[reg] = v;
    } else if (reg == REG_PC) {
        cpu->pc = v & ~1ull;
    } else if (reg >= REG_F0 && reg < REG_F0 + 32) {
        cpu->f[reg - REG_F0] = v;
    } else if (reg == REG_PRIV) {
        if (v != PRV_U && v != PRV_S && v != PRV_M)
            return false;
        cpu->priv = (enum privilege)v;
        riscv_update_mmu_mode(cpu);
    } else if (reg >= REG_CSR0 && reg < REG_PRIV) {
        return riscv_csr_write(cpu, reg - REG_CSR0, v);
    } else {
        return false;
    }
    return true;
}

/* ---- The target description ---- */

static void xml_add(char **buf, size_t *len, size_t *cap, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void xml_add(char **buf, size_t *len, size_t *cap, const char *fmt, ...)
{
    char line[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(line, sizeof(line), fmt, ap);
    va_end(ap);
    if (n < 0 || !*buf)
        return;
    if (*len + (size_t)n + 1 > *cap) {
        size_t grown = *cap * 2 + (size_t)n;
        char *p = realloc(*buf, grown);
        if (!p) {
            free(*buf);
            *buf = NULL;
            return;
        }
        *buf = p;
        *cap = grown;
    }
    memcpy(*buf + *len, line, (size_t)n + 1);
    *len += (size_t)n;
}

/* gdb's standard features, with every CSR the hart implements by name. */
static bool build_xml(GdbStub *g)
{
    static const char *const xnames[32] = {"zero", "ra", "sp",  "gp",  "tp", "t0", "t1", "t2",
                                           "fp",   "s1", "a0",  "a1",  "a2", "a3", "a4", "a5",
                                           "a6",   "a7", "s2",  "s3",  "s4", "s5", "s6", "s7",
                                           "s8",   "s9", "s10", "s11", "t3", "t4", "t5", "t6"};
    size_t len = 0, cap = 16384;
    char *x = malloc(cap);
    xml_add(&x, &len, &cap,
            "<?xml version=\"1.0\"?>\n<!DOCTYPE target SYSTEM \"gdb-target.dtd\">\n<target>\n"
            "<architecture>riscv:rv64</architecture>\n"
            "<feature name=\"org.gnu.gdb.riscv.cpu\">\n");
    for (int i = 0; i < 32; i++)
        xml_add(&x, &len, &cap, "<reg name=\"%s\" bitsize=\"64\" type=\"%s\" regnum=\"%d\"/>\n",
                xnames[i],
                i == 1             ? "code_ptr"
                : i == 2 || i == 8 ? "data_ptr"
                                   : "int",
                i);
    xml_add(&x, &len, &cap,
            "<reg name=\"pc\" bitsize=\"64\" type=\"code_ptr\" regnum=\"32\"/>\n</feature>\n"
            "<feature name=\"org.gnu.gdb.riscv.fpu\">\n");
    for (int i = 0; i < 32; i++)
        xml_add(&x, &len, &cap,
                "<reg name=\"f%d\" bitsize=\"64\" type=\"ieee_double\" regnum=\"%d\"/>\n", i,
                REG_F0 + i);
    xml_add(&x, &len, &cap,
            "<reg name=\"fflags\" bitsize=\"32\" type=\"int\" regnum=\"66\"/>\n"
            "<reg name=\"frm\" bitsize=\"32\" type=\"int\" regnum=\"67\"/>\n"
            "<reg name=\"fcsr\" bitsize=\"32\" type=\"int\" regnum=\"68\"/>\n</feature>\n"
            "<feature name=\"org.gnu.gdb.riscv.csr\">\n");
    RiscvCpu *cpu = hart(g, 0);
    for (unsigned csr = 4; csr < 4096; csr++) {
        uint64_t v;
        const char *name = disasm_csr_name(csr);
        if (name && riscv_csr_read(cpu, csr, &v))
            xml_add(&x, &len, &cap,
                    "<reg name=\"%s\" bitsize=\"64\" type=\"int\" regnum=\"%u\"/>\n", name,
                    REG_CSR0 + csr);
    }
    xml_add(&x, &len, &cap,
            "</feature>\n<feature name=\"org.gnu.gdb.riscv.virtual\">\n"
            "<reg name=\"priv\" bitsize=\"64\" type=\"int\" regnum=\"%d\"/>\n</feature>\n"
            "</target>\n",
            REG_PRIV);
    g->xml = x;
    g->xml_len = len;
    return x != NULL;
}

/* ---- Memory, through the hart's translation (or physical) ---- */

static bool translate(GdbStub *g, uint64_t vaddr, uint64_t *paddr)
{
    if (g->phys_mode) {
        *paddr = vaddr;
        return true;
    }
    return riscv_debug_translate(hart(g, g->g_hart), vaddr, paddr);
}

static bool read_memory(GdbStub *g, uint64_t addr, uint8_t *out, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        uint64_t paddr, v;
        if (!translate(g, addr + i, &paddr) || !memory_read(hart(g, 0)->as, paddr, 1, &v))
            return false;
        out[i] = (uint8_t)v;
    }
    return true;
}

/* Writes go through the address space, so translated code there is
 * dropped as for any store. */
static bool write_memory(GdbStub *g, uint64_t addr, const uint8_t *in, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        uint64_t paddr;
        if (!translate(g, addr + i, &paddr) || !memory_write(hart(g, 0)->as, paddr, 1, in[i]))
            return false;
    }
    return true;
}

/* ---- Breakpoints ---- */

static bool add_breakpoint(GdbStub *g, uint64_t addr, bool hardware)
{
    CpuDebug *d = &g->debug;
    for (unsigned i = 0; i < d->n_breakpoints; i++)
        if (d->breakpoints[i] == addr)
            return true;
    if (d->n_breakpoints == CPU_MAX_BREAKPOINTS)
        return false;
    g->hardware[d->n_breakpoints] = hardware;
    d->breakpoints[d->n_breakpoints++] = addr;
    g->t.breakpoints_changed(g->t.opaque);
    return true;
}

static bool remove_breakpoint(GdbStub *g, uint64_t addr)
{
    CpuDebug *d = &g->debug;
    for (unsigned i = 0; i < d->n_breakpoints; i++) {
        if (d->breakpoints[i] == addr) {
            d->n_breakpoints--;
            d->breakpoints[i] = d->breakpoints[d->n_breakpoints];
            g->hardware[i] = g->hardware[d->n_breakpoints];
            g->t.breakpoints_changed(g->t.opaque);
            return true;
        }
    }
    return false;
}

/* Z2, Z3, Z4: write, read, access. */
static const unsigned watch_kinds[3] = {WATCH_WRITE, WATCH_READ, WATCH_ACCESS};

static bool add_watchpoint(GdbStub *g, uint64_t addr, uint64_t len, unsigned kind)
{
    CpuDebug *d = &g->debug;
    if (len == 0 || addr + len < addr || d->n_watchpoints == CPU_MAX_WATCHPOINTS)
        return false;
    d->watchpoints[d->n_watchpoints++] = (CpuWatchpoint){addr, len, kind};
    g->t.breakpoints_changed(g->t.opaque);
    return true;
}

static bool remove_watchpoint(GdbStub *g, uint64_t addr, uint64_t len, unsigned kind)
{
    CpuDebug *d = &g->debug;
    for (unsigned i = 0; i < d->n_watchpoints; i++) {
        CpuWatchpoint *w = &d->watchpoints[i];
        if (w->addr == addr && w->len == len && w->kind == kind) {
            *w = d->watchpoints[--d->n_watchpoints];
            g->t.breakpoints_changed(g->t.opaque);
            return true;
        }
    }
    return false;
}

static bool breakpoint_is_hardware(const GdbStub *g, uint64_t addr)
{
    for (unsigned i = 0; i < g->debug.n_breakpoints; i++)
        if (g->debug.breakpoints[i] == addr)
            return g->hardware[i];
    return false;
}

/* ---- Running and stopping ---- */

static void stop_reply(GdbStub *g, int signal, unsigned h, const char *reason)
{
    send_fmt(g, "T%02xthread:%02x;%s", signal, h + 1, reason);
}

static void stop_machine(GdbStub *g)
{
    if (g->running) {
        g->running = false;
        g->t.stop(g->t.opaque);
    }
}

static void resume_machine(GdbStub *g)
{
    /* Each hart first runs the instruction it stands on, breakpoint or
     * not: that is where the client continues it from. */
    g->debug.resuming = 0;
    for (unsigned h = 0; h < g->t.n_harts && h < CPU_DEBUG_MAX_HARTS; h++) {
        g->debug.resume_pc[h] = hart(g, h)->pc;
        g->debug.resuming |= 1u << h;
    }
    g->running = true;
    g->t.resume(g->t.opaque);
}

/* Why the hart stopped, for the stop reply: a watched access (gdb's
 * watch, rwatch, awatch with the address), or a breakpoint. */
static void stop_reason(GdbStub *g, unsigned h, char *reason, size_t len)
{
    CpuDebug *d = &g->debug;
    if (d->watch_hit) {
        static const char *const names[] = {"", "watch", "rwatch", "awatch"};
        snprintf(reason, len, "%s:%llx;", names[d->watch_kind & 3],
                 (unsigned long long)d->watch_addr);
        d->watch_hit = false;
    } else if (cpu_debug_breakpoint_at(hart(g, h), hart(g, h)->pc)) {
        snprintf(reason, len, "%s",
                 breakpoint_is_hardware(g, hart(g, h)->pc) ? "hwbreak:;" : "swbreak:;");
    } else {
        reason[0] = '\0';
    }
}

static void step(GdbStub *g, unsigned h)
{
    g->t.step(g->t.opaque, h, !(g->sstep & SSTEP_NOIRQ));
    char reason[64] = "";
    if (g->debug.watch_hit)
        stop_reason(g, h, reason, sizeof(reason));
    stop_reply(g, 5, h, reason);
}

void gdbstub_breakpoint_hit(GdbStub *gdb, unsigned h)
{
    if (!gdb->running)
        return;
    gdb->running = false;
    /* The hart that stopped is the client's current thread from now on,
     * as the stop reply says (a continue without a thread resumes it
     * from its breakpoint, not another hart's pc). */
    gdb->g_hart = gdb->c_hart = h;
    char reason[64];
    stop_reason(gdb, h, reason, sizeof(reason));
    stop_reply(gdb, 5, h, reason);
}

static void client_connects(void *opaque);

/* The client left: its breakpoints go and the guest runs on. */
static void drop_client(GdbStub *g)
{
    if (g->fd < 0)
        return;
    mainloop_remove_fd(g->loop, g->fd);
    close(g->fd);
    g->fd = -1;
    /* The next client, waiting in the backlog, is taken now. */
    mainloop_add_fd(g->loop, g->listen_fd, client_connects, g);
    if (g->debug.n_breakpoints || g->debug.n_watchpoints) {
        g->debug.n_breakpoints = g->debug.n_watchpoints = 0;
        g->t.breakpoints_changed(g->t.opaque);
    }
    g->no_ack = false;
    if (!g->running)
        resume_machine(g);
}

/* ---- Packets ---- */

/* "H<op><thread>" and "T<thread>": thread ids are hart + 1; 0 and -1
 * mean any / all. */
static bool parse_thread(const char *p, unsigned n_harts, unsigned *h)
{
    if (strcmp(p, "-1") == 0 || strcmp(p, "0") == 0) {
        *h = 0;
        return true;
    }
    uint64_t id;
    if (!parse_hex(&p, &id) || *p || id == 0 || id > n_harts)
        return false;
    *h = (unsigned)(id - 1);
    return true;
}

/* "monitor CMD": a few of QEMU's, the answer as hex-encoded text. */
static void handle_monitor(GdbStub *g, const char *hex)
{
    char cmd[256];
    size_t n = strlen(hex) / 2;
    if (n >= sizeof(cmd) || !parse_hex_bytes(hex, n, (uint8_t *)cmd)) {
        send_packet(g, "E01");
        return;
    }
    cmd[n] = '\0';
    char text[2048];
    RiscvCpu *cpu = hart(g, g->g_hart);
    if (strcmp(cmd, "help") == 0) {
        snprintf(text, sizeof(text),
                 "help                 this list\n"
                 "info registers       the hart's pc, privilege and integer registers\n"
                 "phys on|off          memory packets take physical addresses (or virtual)\n"
                 "sstep N              step flags: 1 step, 2 no interrupts, 4 no timers\n");
    } else if (strcmp(cmd, "info registers") == 0) {
        size_t len = (size_t)snprintf(text, sizeof(text), " pc       %016llx priv %d\n",
                                      (unsigned long long)cpu->pc, cpu->priv);
        for (int i = 0; i < 32 && len < sizeof(text); i++)
            len += (size_t)snprintf(text + len, sizeof(text) - len, " x%-2d %016llx%s", i,
                                    (unsigned long long)cpu->x[i], i % 4 == 3 ? "\n" : "");
    } else if (strcmp(cmd, "phys on") == 0 || strcmp(cmd, "phys off") == 0) {
        g->phys_mode = cmd[6] == 'n';
        snprintf(text, sizeof(text), "memory access is %s\n",
                 g->phys_mode ? "physical" : "virtual");
    } else if (strncmp(cmd, "sstep ", 6) == 0) {
        g->sstep = (unsigned)strtoul(cmd + 6, NULL, 0) & 7;
        snprintf(text, sizeof(text), "sstep flags 0x%x\n", g->sstep);
    } else {
        snprintf(text, sizeof(text), "unknown command '%s' (try help)\n", cmd);
    }
    char out[2 * sizeof(text) + 1];
    to_hex((const uint8_t *)text, strlen(text), out);
    send_packet(g, out);
}

static void handle_query(GdbStub *g, const char *p)
{
    if (strncmp(p, "qSupported", 10) == 0) {
        send_fmt(g,
                 "PacketSize=%x;qXfer:features:read+;vContSupported+;QStartNoAckMode+;"
                 "swbreak+;hwbreak+",
                 PACKET_MAX);
    } else if (strncmp(p, XFER_TARGET, strlen(XFER_TARGET)) == 0) {
        const char *q = p + strlen(XFER_TARGET);
        uint64_t off, len;
        if (!parse_hex(&q, &off) || *q++ != ',' || !parse_hex(&q, &len) || *q) {
            send_packet(g, "E01");
            return;
        }
        if (off >= g->xml_len) {
            send_packet(g, "l");
            return;
        }
        size_t n = g->xml_len - off < len ? g->xml_len - off : len;
        if (n > PACKET_MAX - 1)
            n = PACKET_MAX - 1;
        char buf[PACKET_MAX + 1];
        buf[0] = off + n < g->xml_len ? 'm' : 'l';
        memcpy(buf + 1, g->xml + off, n);
        send_packet_len(g, buf, n + 1);
    } else if (strcmp(p, "qAttached") == 0) {
        send_packet(g, "1");
    } else if (strcmp(p, "qC") == 0) {
        send_fmt(g, "QC%02x", g->g_hart + 1);
    } else if (strcmp(p, "qfThreadInfo") == 0) {
        char list[256] = "m";
        for (unsigned h = 0; h < g->t.n_harts && strlen(list) < sizeof(list) - 8; h++)
            snprintf(list + strlen(list), sizeof(list) - strlen(list), "%s%02x", h ? "," : "",
                     h + 1);
        send_packet(g, list);
    } else if (strcmp(p, "qsThreadInfo") == 0) {
        send_packet(g, "l");
    } else if (strcmp(p, "qqemu.sstep") == 0) {
        send_fmt(g, "0x%x", g->sstep);
    } else if (strcmp(p, "qqemu.PhyMemMode") == 0) {
        send_packet(g, g->phys_mode ? "1" : "0");
    } else if (strncmp(p, "qRcmd,", 6) == 0) {
        handle_monitor(g, p + 6);
    } else {
        send_packet(g, "");
    }
}

static void handle_v(GdbStub *g, const char *p)
{
    if (strcmp(p, "vCont?") == 0) {
        send_packet(g, "vCont;c;C;s;S");
        return;
    }
    if (strncmp(p, "vCont;", 6) != 0) {
        send_packet(g, "");
        return;
    }
    /* The first action that applies decides: one hart steps, or all run. */
    for (const char *a = p + 6; *a;) {
        char action = *a++;
        if (action == 'C' || action == 'S') { /* a signal: ember has none to deliver */
            uint64_t sig;
            if (!parse_hex(&a, &sig)) {
                send_packet(g, "E01");
                return;
            }
        }
        unsigned h = g->c_hart;
        if (*a == ':') {
            char tid[20] = "";
            size_t n = strcspn(++a, ";");
            if (n < sizeof(tid))
                memcpy(tid, a, n);
            if (n >= sizeof(tid) || !parse_thread(tid, g->t.n_harts, &h)) {
                send_packet(g, "E01");
                return;
            }
            a += n;
        }
        if (action == 's' || action == 'S') {
            step(g, h);
            return;
        }
        if (action == 'c' || action == 'C') {
            resume_machine(g);
            return;
        }
        a += strcspn(a, ";");
        if (*a == ';')
            a++;
    }
    send_packet(g, "E01");
}

static void handle_packet(GdbStub *g, char *p, size_t len)
{
    char reply[2 * PACKET_MAX + 1];
    uint64_t addr, n, value;
    const char *q = p + 1;
    RiscvCpu *cpu = hart(g, g->g_hart);
    switch (p[0]) {
    case '?':
        stop_reply(g, 5, g->g_hart, "");
        return;
    case 'g': {
        uint8_t bytes[33 * 8];
        for (unsigned r = 0; r <= REG_PC; r++)
            read_register(cpu, r, bytes + 8 * r);
        to_hex(bytes, sizeof(bytes), reply);
        send_packet(g, reply);
        return;
    }
    case 'G': {
        uint8_t bytes[33 * 8];
        if (len - 1 != 2 * sizeof(bytes) || !parse_hex_bytes(q, sizeof(bytes), bytes)) {
            send_packet(g, "E01");
            return;
        }
        for (unsigned r = 0; r <= REG_PC; r++)
            write_register(cpu, r, bytes + 8 * r, 8);
        send_packet(g, "OK");
        return;
    }
    case 'p': {
        uint8_t bytes[8];
        size_t size;
        if (!parse_hex(&q, &n) || *q || n > REG_PRIV ||
            !(size = read_register(cpu, (unsigned)n, bytes))) {
            send_packet(g, "E01");
            return;
        }
        to_hex(bytes, size, reply);
        send_packet(g, reply);
        return;
    }
    case 'P': {
        uint8_t bytes[8];
        size_t size = 0;
        bool ok = parse_hex(&q, &n) && *q++ == '=' && n <= REG_PRIV;
        if (ok) {
            size = strlen(q) / 2;
            ok = size > 0 && size <= 8 && strlen(q) == 2 * size &&
                 parse_hex_bytes(q, size, bytes) && write_register(cpu, (unsigned)n, bytes, size);
        }
        if (!ok) {
            send_packet(g, "E01");
            return;
        }
        send_packet(g, "OK");
        return;
    }
    case 'm': {
        uint8_t bytes[PACKET_MAX / 2];
        if (!parse_hex(&q, &addr) || *q++ != ',' || !parse_hex(&q, &n) || *q || n > sizeof(bytes)) {
            send_packet(g, "E01");
            return;
        }
        if (!read_memory(g, addr, bytes, n)) {
            send_packet(g, "E14");
            return;
        }
        to_hex(bytes, n, reply);
        send_packet(g, reply);
        return;
    }
    case 'M':
    case 'X': {
        uint8_t bytes[PACKET_MAX];
        if (!parse_hex(&q, &addr) || *q++ != ',' || !parse_hex(&q, &n) || *q++ != ':' ||
            n > sizeof(bytes)) {
            send_packet(g, "E01");
            return;
        }
        size_t have = len - (size_t)(q - p);
        bool ok = p[0] == 'M' ? have == 2 * n && parse_hex_bytes(q, n, bytes)
                              : have == n && (memcpy(bytes, q, n), true);
        if (!ok) {
            send_packet(g, "E01");
            return;
        }
        send_packet(g, write_memory(g, addr, bytes, n) ? "OK" : "E14");
        return;
    }
    case 'Z':
    case 'z': {
        uint64_t type;
        if (!parse_hex(&q, &type) || *q++ != ',' || !parse_hex(&q, &addr) || *q++ != ',' ||
            !parse_hex(&q, &n)) {
            send_packet(g, "E01");
            return;
        }
        if (type > 4) {
            send_packet(g, "");
            return;
        }
        bool ok;
        if (type >= 2)
            ok = p[0] == 'Z' ? add_watchpoint(g, addr, n, watch_kinds[type - 2])
                             : remove_watchpoint(g, addr, n, watch_kinds[type - 2]);
        else
            ok = p[0] == 'Z' ? add_breakpoint(g, addr, type == 1) : remove_breakpoint(g, addr);
        send_packet(g, ok ? "OK" : "E01");
        return;
    }
    case 'c':
        if (*q && (!parse_hex(&q, &addr) || *q)) {
            send_packet(g, "E01");
            return;
        }
        if (p[1])
            hart(g, g->c_hart)->pc = addr;
        resume_machine(g);
        return;
    case 's':
        if (*q && (!parse_hex(&q, &addr) || *q)) {
            send_packet(g, "E01");
            return;
        }
        if (p[1])
            hart(g, g->c_hart)->pc = addr;
        step(g, g->c_hart);
        return;
    case 'H': {
        unsigned h;
        if ((p[1] != 'g' && p[1] != 'c') || !p[1] || !parse_thread(p + 2, g->t.n_harts, &h)) {
            send_packet(g, "E01");
            return;
        }
        *(p[1] == 'g' ? &g->g_hart : &g->c_hart) = h;
        send_packet(g, "OK");
        return;
    }
    case 'T': {
        unsigned h;
        send_packet(g, parse_thread(q, g->t.n_harts, &h) ? "OK" : "E01");
        return;
    }
    case 'D':
        send_packet(g, "OK");
        drop_client(g);
        return;
    case 'k':
        drop_client(g);
        g->t.quit(g->t.opaque);
        return;
    case 'q':
        handle_query(g, p);
        return;
    case 'Q':
        if (strcmp(p, "QStartNoAckMode") == 0) {
            send_packet(g, "OK");
            g->no_ack = true;
        } else if (strncmp(p, "Qqemu.sstep=", 12) == 0) {
            q = p + 12;
            if (!parse_hex(&q, &value) || *q || value > 7) {
                send_packet(g, "E01");
            } else {
                g->sstep = (unsigned)value;
                send_packet(g, "OK");
            }
        } else if (strncmp(p, "Qqemu.PhyMemMode:", 17) == 0 && (p[17] == '0' || p[17] == '1') &&
                   !p[18]) {
            g->phys_mode = p[17] == '1';
            send_packet(g, "OK");
        } else {
            send_packet(g, "");
        }
        return;
    case 'v':
        handle_v(g, p);
        return;
    default:
        send_packet(g, "");
        return;
    }
}

/* Bytes from the client: packets "$...#cc", acks, and Ctrl-C. */
static void consume(GdbStub *g, const char *data, size_t len)
{
    for (size_t i = 0; i < len && g->fd >= 0; i++) {
        char c = data[i];
        if (!g->in_packet) {
            if (c == '$') {
                g->in_packet = true;
                g->in_len = 0;
            } else if (c == 0x03 && g->running) {
                stop_machine(g);
                stop_reply(g, 2, g->c_hart, "");
            } else if (c == '-' && !g->no_ack) {
                send_raw(g, g->last, strlen(g->last));
            }
            continue;
        }
        if (c == '$') { /* gdb escapes '$' in a body: a new packet begins */
            g->in_len = 0;
            continue;
        }
        if (g->in_len == sizeof(g->in) - 1) { /* overlong: dropped whole */
            g->in_packet = false;
            if (!g->no_ack)
                send_raw(g, "-", 1);
            continue;
        }
        g->in[g->in_len++] = c;
        /* The packet ends two characters after its '#'. */
        if (g->in_len < 3 || g->in[g->in_len - 3] != '#')
            continue;
        g->in_packet = false;
        size_t body = g->in_len - 3;
        unsigned sum = 0;
        for (size_t k = 0; k < body; k++)
            sum += (unsigned char)g->in[k];
        int hi = hex_digit(g->in[body + 1]), lo = hex_digit(g->in[body + 2]);
        if (!g->no_ack && (hi < 0 || lo < 0 || (unsigned)(hi << 4 | lo) != (sum & 0xff))) {
            send_raw(g, "-", 1);
            continue;
        }
        if (!g->no_ack)
            send_raw(g, "+", 1);
        g->in[body] = '\0';
        /* Binary data (X) may hold '}' escapes; undo them in place. */
        size_t out = 0;
        for (size_t k = 0; k < body; k++)
            g->in[out++] = g->in[k] == '}' && k + 1 < body ? g->in[++k] ^ 0x20 : g->in[k];
        g->in[out] = '\0';
        if (out > 0)
            handle_packet(g, g->in, out);
        else
            send_packet(g, "");
    }
}

static void client_readable(void *opaque)
{
    GdbStub *g = opaque;
    char buf[4096];
    ssize_t n = recv(g->fd, buf, sizeof(buf), 0);
    if (n < 0 && (errno == EINTR || errno == EAGAIN))
        return;
    if (n <= 0) {
        drop_client(g);
        return;
    }
    consume(g, buf, (size_t)n);
}

/* A client connects: the machine stops for it, as QEMU's does. One at a
 * time; another one waits until the first leaves. */
static void client_connects(void *opaque)
{
    GdbStub *g = opaque;
    int fd = listen_accept(g->listen_fd);
    if (fd < 0)
        return;
    /* One client at a time: others wait in the backlog until it leaves. */
    mainloop_remove_fd(g->loop, g->listen_fd);
    g->fd = fd;
    g->in_packet = false;
    g->g_hart = g->c_hart = 0;
    if (mainloop_add_fd(g->loop, fd, client_readable, g) != 0) {
        close(fd);
        g->fd = -1;
        return;
    }
    if (g->running) {
        g->running = false;
        g->t.stop(g->t.opaque);
    }
}

/* ---- Opening ---- */

typedef struct GdbSpec {
    bool is_unix;
    char host[LISTEN_HOST_SIZE];
    char port[LISTEN_PORT_SIZE];
    char path[108];
} GdbSpec;

static bool parse_spec(const char *spec, GdbSpec *s, char *err, size_t errlen)
{
    memset(s, 0, sizeof(*s));
    if (strncmp(spec, "unix:", 5) == 0) {
        size_t n = strcspn(spec + 5, ",");
        const char *opt = spec + 5 + n;
        if (n == 0 || n >= sizeof(s->path) ||
            (*opt && strcmp(opt, ",server") != 0 && strcmp(opt, ",server=on") != 0 &&
             strcmp(opt, ",server,nowait") != 0 && strcmp(opt, ",server=on,wait=off") != 0)) {
            snprintf(err, errlen, "-gdb %s: use unix:PATH[,server]", spec);
            return false;
        }
        s->is_unix = true;
        memcpy(s->path, spec + 5, n);
        return true;
    }
    const char *addr = strncmp(spec, "tcp:", 4) == 0 ? spec + 4 : spec;
    if (!listen_parse_tcp(addr, strcspn(addr, ","), s->host, s->port)) {
        snprintf(err, errlen, "-gdb %s: use tcp:[HOST]:PORT (port 0 to 65535) or unix:PATH", spec);
        return false;
    }
    return true;
}

GdbStub *gdbstub_open(const char *spec, MainLoop *loop, const GdbTarget *target, char *err,
                      size_t errlen)
{
    GdbSpec s;
    if (!parse_spec(spec, &s, err, errlen))
        return NULL;
    GdbStub *g = calloc(1, sizeof(*g));
    if (!g) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    *g = (GdbStub){.t = *target,
                   .loop = loop,
                   .fd = -1,
                   .running = true,
                   .sstep = SSTEP_ENABLE | SSTEP_NOIRQ | SSTEP_NOTIMER};
    g->listen_fd = s.is_unix ? listen_unix("-gdb", s.path, err, errlen)
                             : listen_tcp("-gdb", s.host, s.port, err, errlen);
    if (g->listen_fd < 0 || !build_xml(g) ||
        mainloop_add_fd(loop, g->listen_fd, client_connects, g) != 0) {
        if (g->listen_fd >= 0 && !*err)
            snprintf(err, errlen, "-gdb: out of memory");
        gdbstub_close(g);
        return NULL;
    }
    if (s.is_unix)
        snprintf(g->unix_path, sizeof(g->unix_path), "%s", s.path);
    for (unsigned h = 0; h < target->n_harts; h++)
        target->harts[h]->debug = &g->debug;
    if (s.is_unix)
        fprintf(stderr, "ember: gdbstub listening on unix:%s\n", s.path);
    else
        fprintf(stderr, "ember: gdbstub listening on tcp:%s:%s\n", s.host, s.port);
    return g;
}

void gdbstub_close(GdbStub *g)
{
    if (!g)
        return;
    if (g->fd >= 0) {
        mainloop_remove_fd(g->loop, g->fd);
        close(g->fd);
    }
    if (g->listen_fd >= 0) {
        mainloop_remove_fd(g->loop, g->listen_fd);
        close(g->listen_fd);
    }
    if (g->unix_path[0])
        unlink(g->unix_path);
    for (unsigned h = 0; h < g->t.n_harts; h++)
        if (g->t.harts[h]->debug == &g->debug)
            g->t.harts[h]->debug = NULL;
    free(g->xml);
    free(g);
}

void gdbstub_hold(GdbStub *gdb)
{
    gdb->running = false;
}
