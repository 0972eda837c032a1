/* hw/irq.h: an interrupt line from a device to an interrupt controller; the
 * board connects them, so devices never name their controller. */
#ifndef EMBER_HW_IRQ_H
#define EMBER_HW_IRQ_H

#include <stdbool.h>

typedef struct IrqLine {
    void (*set)(void *opaque, unsigned n, bool level);
    void *opaque;
    unsigned n; /* the controller's input number (PLIC source) */
} IrqLine;

/* Level-triggered: devices call this whenever their condition changes; an
 * unconnected line (set == NULL) is ignored. */
static inline void irq_set(const IrqLine *line, bool level)
{
    if (line->set)
        line->set(line->opaque, line->n, level);
}

#endif
