/* machine/loader.h: loading guest images into guest memory: RV64 and RV32 ELF files
 * (with their HTIF symbols) and raw binaries. */
#ifndef EMBER_MACHINE_LOADER_H
#define EMBER_MACHINE_LOADER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "softmmu/memory.h"

typedef struct LoadedImage {
    uint64_t entry;     /* ELF entry, or the load address of a raw image */
    uint64_t low, high; /* physical range the image occupies [low, high) */
    uint64_t tohost;    /* HTIF symbols, 0 if absent */
    uint64_t fromhost;
    bool is_elf;
    bool is_elf32; /* an ELFCLASS32 file */
} LoadedImage;

/* Loads path: an ELF at its physical addresses, anything else (but an
 * empty file) as a raw image at raw_addr. On failure returns false with one
 * message (naming the file) in err; guest memory may hold part of the image
 * then, which is harmless because the machine does not start. */
bool load_image(AddressSpace *as, const char *path, uint64_t raw_addr, LoadedImage *image,
                char *err, size_t errlen);

/* Loads path byte for byte at addr, whatever it holds (an initrd). */
bool load_raw_image(AddressSpace *as, const char *path, uint64_t addr, LoadedImage *image,
                    char *err, size_t errlen);

/* Reads a whole file (at most max_size bytes); NULL with err set on failure. */
uint8_t *read_file(const char *path, uint64_t max_size, size_t *size, char *err, size_t errlen);

#endif
