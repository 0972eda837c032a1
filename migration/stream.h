/* migration/stream.h: ember's machine stream, what snapshots (savevm),
 * migration and migration to a file carry. Documented byte by byte in
 * migration/STREAM.md:
 *
 *   header   "EMBERMIG", version, the machine's configuration, CRC32
 *   section  type, length, payload, CRC32 of the three; one of
 *     RAM      pages by number: zero pages by their number only, the
 *              others zlib-compressed together; live migration sends a
 *              page again when the guest wrote it meanwhile (last wins)
 *     DEVICES  the virtual clock, every device and the hart, through their
 *              state descriptions (util/state.h)
 *     END      the machine is complete; one byte: whether it was running
 *
 * Everything read is checked (lengths, CRCs, page numbers, the compressed
 * data's exact size) before it is used. */
#ifndef EMBER_MIGRATION_STREAM_H
#define EMBER_MIGRATION_STREAM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/state.h"

#define MIG_PAGE_SIZE 4096u
#define MIG_STREAM_VERSION 1u
/* Pages in one RAM section (1 MiB of data before compression). */
#define MIG_RAM_BATCH 256u
/* The longest configuration text and section the reader accepts. */
#define MIG_CONFIG_MAX 4096u
#define MIG_SECTION_MAX (64u << 20)

enum MigSectionType {
    MIG_SECTION_RAM = 1,
    MIG_SECTION_DEVICES = 2,
    MIG_SECTION_END = 3,
};

/* What writing RAM found, for query-migrate's counters. */
typedef struct MigRamStats {
    uint64_t zero_pages;   /* QEMU's "duplicate" */
    uint64_t normal_pages; /* sent with their data */
} MigRamStats;

void mig_put_header(StateBuffer *out, const char *config);
void mig_put_section(StateBuffer *out, uint8_t type, const void *payload, size_t len);
/* END, saying whether the machine was running (the destination of a
 * migration runs it only then, as QEMU's does). */
void mig_put_end(StateBuffer *out, bool running);
/* A RAM section with pages[0..n) (n <= MIG_RAM_BATCH) of ram. */
void mig_put_ram(StateBuffer *out, const uint8_t *ram, const uint32_t *pages, unsigned n,
                 MigRamStats *stats);

/* The reader returns the bytes it consumed (> 0), 0 when data holds only
 * part of the header or section so far, or -1 with one line in err. */
long mig_get_header(const uint8_t *data, size_t len, char *config, char *err, size_t errlen);

typedef struct MigSection {
    uint8_t type;
    const uint8_t *payload;
    uint32_t len;
} MigSection;
long mig_get_section(const uint8_t *data, size_t len, MigSection *section, char *err,
                     size_t errlen);
/* END's run state: 1 running, 0 not, -1 malformed (with err). */
int mig_end_running(const MigSection *section, char *err, size_t errlen);
/* Checks a RAM section against a RAM of ram_size bytes and, when ram is
 * not NULL, loads its pages there. false with one line in err (nothing
 * loaded when ram was NULL; when it was, only a section that passed the
 * check before is given). */
bool mig_load_ram(const MigSection *section, uint8_t *ram, uint64_t ram_size, char *err,
                  size_t errlen);

#endif
