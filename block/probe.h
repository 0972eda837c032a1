/* block/probe.h: which image format an image's first bytes announce, by the
 * rules QEMU's probing follows, so ember never takes another format's image
 * (or a guest's attempt to forge one) for a raw disk. */
#ifndef EMBER_BLOCK_PROBE_H
#define EMBER_BLOCK_PROBE_H

#include <stdint.h>

/* QEMU probes the first 512 bytes, zero-padded when the image is shorter. */
#define BLOCK_PROBE_SIZE 512

/* The format's QEMU name ("qcow2", "vmdk", ...), or NULL when the bytes look
 * like no format and the image is taken as raw. */
const char *block_probe_format(const uint8_t buf[BLOCK_PROBE_SIZE]);

#endif
