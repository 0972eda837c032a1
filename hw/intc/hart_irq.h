/* hw/intc/hart_irq.h: a RISC-V hart's interrupt inputs (its mip bits) as
 * IrqLines, so interrupt controllers drive harts without naming them. */
#ifndef EMBER_HW_INTC_HART_IRQ_H
#define EMBER_HW_INTC_HART_IRQ_H

#include <stdint.h>

#include "cpu/riscv/cpu.h"
#include "hw/irq.h"

/* The line sets or clears mip_bit (MIP_MSIP, MIP_MTIP, MIP_MEIP, ...). */
IrqLine hart_irq_line(RiscvCpu *cpu, uint64_t mip_bit);

#endif
