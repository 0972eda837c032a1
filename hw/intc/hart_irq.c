/* hw/intc/hart_irq.c: a RISC-V hart's interrupt inputs as IrqLines. */
#include "hw/intc/hart_irq.h"

static void set_hart_irq(void *opaque, unsigned mip_bit, bool level)
{
    riscv_set_irq_line(opaque, mip_bit, level);
}

IrqLine hart_irq_line(RiscvCpu *cpu, uint64_t mip_bit)
{
    return (IrqLine){.set = set_hart_irq, .opaque = cpu, .n = (unsigned)mip_bit};
}
