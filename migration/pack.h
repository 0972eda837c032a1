/* migration/pack.h: RAM sections made on worker threads. Compressing RAM
 * (zlib, about 50 MB/s here) is most of what saving a machine costs; the
 * packer takes it off the CPU thread and spreads it over the host's cores,
 * while the sections still come out in the order the batches went in.
 *
 * A worker reads the pages when it gets to them. While the guest runs that
 * is later than the batch was made, which is safe for migration: a page
 * the guest writes meanwhile is in the dirty log and goes again. */
#ifndef EMBER_MIGRATION_PACK_H
#define EMBER_MIGRATION_PACK_H

#include <stdbool.h>
#include <stdint.h>

#include "migration/stream.h"

typedef struct MigPacker MigPacker;

/* threads workers; NULL when the host refuses threads or memory. */
MigPacker *mig_packer_new(unsigned threads);
/* Waits for the batches in flight, then stops the workers. */
void mig_packer_free(MigPacker *p);

/* Batches in flight (submitted, not collected) stay under this. */
#define MIG_PACKER_QUEUE 8

/* Queues a RAM section of pages[0..n) of ram (n <= MIG_RAM_BATCH); false
 * when MIG_PACKER_QUEUE are in flight. */
bool mig_packer_submit(MigPacker *p, const uint8_t *ram, const uint32_t *pages, unsigned n);
/* Appends the finished sections to out in submission order, counting
 * their pages into stats, waiting until at most most_left are in flight
 * (0: all done; MIG_PACKER_QUEUE: no waiting). Returns how many remain. */
unsigned mig_packer_collect(MigPacker *p, StateBuffer *out, MigRamStats *stats, unsigned most_left);

#endif
