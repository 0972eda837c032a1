/* gdbstub/gdbstub.h: the GDB remote serial protocol, as gdb 13 speaks it,
 * over TCP or a Unix socket: registers (with a target description), memory
 * through the hart's own translation, breakpoints kept in the emulator,
 * single steps, Ctrl-C. One thread per hart. */
#ifndef EMBER_GDBSTUB_GDBSTUB_H
#define EMBER_GDBSTUB_GDBSTUB_H

#include <stdbool.h>
#include <stddef.h>

#include "cpu/riscv/cpu.h"
#include "util/mainloop.h"

/* What the stub controls: the harts and the machine around them. */
typedef struct GdbTarget {
    RiscvCpu *const *harts;
    unsigned n_harts;
    /* The machine stops (guest time too) or goes on. */
    void (*stop)(void *opaque);
    void (*resume)(void *opaque);
    /* Runs exactly one instruction of the hart, interrupts and timers
     * masked unless interrupts. */
    void (*step)(void *opaque, unsigned hart, bool interrupts);
    /* Breakpoints changed: translated code must be dropped. */
    void (*breakpoints_changed)(void *opaque);
    /* gdb's kill: ember ends. */
    void (*quit)(void *opaque);
    void *opaque;
} GdbTarget;

typedef struct GdbStub GdbStub;

/* Listens on -gdb's device, "tcp::PORT" (loopback), "tcp:HOST:PORT" or
 * "unix:PATH[,server]", and says where on stderr. The harts get the stub's
 * breakpoint table (cpu->debug). NULL with err on failure. */
GdbStub *gdbstub_open(const char *spec, MainLoop *loop, const GdbTarget *target, char *err,
                      size_t errlen);
void gdbstub_close(GdbStub *gdb);

/* The machine starts held for a client (-S): it runs when gdb continues. */
void gdbstub_hold(GdbStub *gdb);

/* The machine stopped at a breakpoint of hart: tells the client. */
void gdbstub_breakpoint_hit(GdbStub *gdb, unsigned hart);

#endif
