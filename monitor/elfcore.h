/* monitor/elfcore.h: dump-guest-memory's ELF core, laid out as QEMU 7.2
 * writes it for a RISC-V 64 guest, so gdb, crash and QEMU's own
 * scripts/dump-guest-memory users open ember's dumps unchanged. */
#ifndef EMBER_MONITOR_ELFCORE_H
#define EMBER_MONITOR_ELFCORE_H

#include <stdbool.h>
#include <stddef.h>

#include "cpu/riscv/cpu.h"
#include "softmmu/memory.h"

/* Writes an ELF64 little-endian ET_CORE (EM_RISCV) file of the machine to
 * path: one PT_NOTE holding an NT_PRSTATUS note ("CORE", Linux's riscv64
 * elf_prstatus: pr_pid hart index + 1, pr_reg pc and x1..x31) per hart, in
 * the order given, and one PT_LOAD per RAM or ROM region of as, by
 * address, with p_vaddr = p_paddr = its guest physical address (QEMU's
 * dump without paging). The harts must be stopped. The file is written
 * beside path under a temporary name and renamed over path only when
 * complete, so a failed dump leaves path as it was; false with one line in
 * err (naming path) on failure. */
bool elfcore_write(const char *path, AddressSpace *as, RiscvCpu *const *harts, unsigned n_harts,
                   char *err, size_t errlen);

#endif
