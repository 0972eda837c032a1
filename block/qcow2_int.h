/* block/qcow2_int.h: what block/qcow2*.c share: the driver's state and
 * the helpers the snapshot code builds on. Only block/qcow2*.c include it. */
#ifndef EMBER_BLOCK_QCOW2_INT_H
#define EMBER_BLOCK_QCOW2_INT_H

#include <stdbool.h>
#include <stdint.h>

#include "block/block_int.h"

#define QCOW2_MAGIC 0x514649fbu
#define V2_HEADER_LENGTH 72u
#define V3_HEADER_LENGTH 104u

#define INCOMPAT_DIRTY (1ull << 0)
#define INCOMPAT_CORRUPT (1ull << 1)
#define INCOMPAT_DATA_FILE (1ull << 2)
#define INCOMPAT_COMPRESSION (1ull << 3)
#define INCOMPAT_EXTL2 (1ull << 4)
#define INCOMPAT_KNOWN 0x1full

#define EXT_END 0x00000000u
#define EXT_BACKING_FORMAT 0xe2792acau
#define EXT_FEATURE_NAMES 0x6803f857u

#define OFLAG_COPIED (1ull << 63)
#define OFLAG_COMPRESSED (1ull << 62)
#define OFLAG_ZERO 1ull
#define OFFSET_MASK 0x00fffffffffffe00ull /* bits 9-55 */

/* QEMU's limits: nothing a header says can make us allocate more. */
#define MAX_L1_BYTES (32u << 20)
#define MAX_REFTABLE_BYTES (8u << 20)
#define MAX_BACKING_NAME 1023u
#define MAX_CHAIN_DEPTH 64
#define MAX_SNAPSHOTS 65536u
#define MAX_SNAPSHOT_TABLE_BYTES (64u << 20)
#define MAX_SNAPSHOT_EXTRA 1024u
#define L2_CACHE_SIZE 16
#define MAX_PENDING 256

typedef struct {
    uint64_t offset; /* 0: empty */
    uint64_t last_use;
    uint8_t *table; /* as on disk: big-endian entries */
} L2Cached;

typedef struct {
    uint64_t file_offset;
    uint64_t value;
} PendingPointer;

/* One entry of the snapshot table, as read (or to be written). */
typedef struct {
    uint64_t l1_offset;
    uint32_t l1_size;
    char *id, *name;
    uint32_t date_sec, date_nsec;
    uint64_t vm_clock_ns;
    uint64_t vm_state_size;
    uint64_t disk_size;
    uint64_t icount;
    uint8_t *extra; /* extra data this version does not know, kept as is */
    uint32_t extra_len;
} Qcow2Snapshot;

typedef struct {
    uint32_t version;
    uint32_t cluster_bits;
    uint64_t cluster_size;
    uint64_t l2_entries;
    uint64_t disk_size;

    uint64_t l1_offset;
    /* All the header lists: past the disk's coverage may lie the area
     * QEMU's savevm writes machine state to. */
    uint64_t l1_entries;
    uint64_t *l1;

    uint64_t rt_offset;
    uint64_t rt_entries; /* whole clusters of them */
    uint64_t *rt;
    uint32_t refcount_order;
    uint64_t refcount_max;
    uint64_t refcounts_per_block;
    bool relocating_rt; /* table entries are written with the new table */

    /* Entries past these are all 0: what the metadata overlap check scans. */
    uint64_t l1_used, rt_used;
    /* A write would have overwritten metadata: the image is marked corrupt
     * and takes no more writes. */
    bool corrupt;

    uint64_t end_cluster; /* the first host cluster past everything used */
    uint64_t free_hint;   /* no free cluster below this one */

    L2Cached l2_cache[L2_CACHE_SIZE];
    uint64_t l2_clock;
    uint64_t rb_offset; /* the cached refcount block, 0: none */
    uint8_t *rb;
    uint64_t comp_entry; /* the cached decompressed cluster's L2 entry */
    uint8_t *comp_out;
    uint8_t *comp_in;
    uint8_t *cow; /* one cluster being assembled */

    /* Pointers to new data, written after a sync makes the data durable;
     * clusters they replaced, freed after a second sync. */
    PendingPointer *pending;
    size_t npending;
    uint64_t *to_free; /* L2 entries */
    size_t nfree;

    /* A metadata transaction (qcow2_txn_begin) is open: what the header
     * reaches stays as it was until qcow2_txn_commit. */
    bool txn;
    uint64_t *txn_rt; /* the refcount table the header names */
    uint64_t txn_rt_entries, txn_rt_used, txn_free_hint;

    Qcow2Snapshot *snapshots;
    uint32_t nb_snapshots;
    uint64_t snapshots_offset, snapshots_size;

    BlockDevice *backing;
    char *backing_name, *backing_format; /* as the header names them */
    bool lazy_refcounts;
} Qcow2;

static inline uint64_t be64(const uint8_t *p)
{
    uint64_t v = 0;
    for (int i = 0; i < 8; i++)
        v = v << 8 | p[i];
    return v;
}

static inline uint32_t be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static inline uint16_t be16(const uint8_t *p)
{
    return (uint16_t)(p[0] << 8 | p[1]);
}

static inline void put_be64(uint8_t *p, uint64_t v)
{
    for (int i = 7; i >= 0; i--, v >>= 8)
        p[i] = (uint8_t)v;
}

static inline void put_be32(uint8_t *p, uint32_t v)
{
    for (int i = 3; i >= 0; i--, v >>= 8)
        p[i] = (uint8_t)v;
}

static inline void put_be16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

/* Guest clusters' L1 entries the disk needs. */
static inline uint64_t qcow2_l1_for_disk(const Qcow2 *s)
{
    uint64_t l2_span = s->l2_entries << s->cluster_bits;
    return s->disk_size / l2_span + (s->disk_size % l2_span != 0);
}

int qcow2_file_read(BlockDevice *bd, uint64_t offset, void *buf, size_t len);
int qcow2_file_write(BlockDevice *bd, uint64_t offset, const void *buf, size_t len);
int qcow2_file_sync(BlockDevice *bd);
/* One line "'PATH': what" in err; false, for returning. */
bool qcow2_fail(char *err, size_t errlen, const char *path, const char *what);
/* Whether a table of bytes at offset is cluster-aligned and in the file. */
bool qcow2_check_table(uint64_t offset, uint64_t bytes, uint64_t cluster_size, uint64_t file_size);

int qcow2_refcount_get(BlockDevice *bd, Qcow2 *s, uint64_t cluster, uint64_t *value);
int qcow2_refcount_set(BlockDevice *bd, Qcow2 *s, uint64_t cluster, uint64_t value);
/* Adds delta (+1 or -1) to the refcount of every host cluster an L2 entry
 * holds a reference to: -ERANGE on overflow, -EIO for a free cluster or
 * one past the image's end. */
int qcow2_entry_refs(BlockDevice *bd, Qcow2 *s, uint64_t entry, int delta);
int qcow2_alloc_cluster(BlockDevice *bd, Qcow2 *s, uint64_t *offset);
/* n contiguous new clusters at the end of the image, counted. */
int qcow2_alloc_run(BlockDevice *bd, Qcow2 *s, uint64_t n, uint64_t *offset);
/* Makes pending pointers durable and frees what they replaced. */
int qcow2_commit(BlockDevice *bd, Qcow2 *s);
/* Reads len bytes at guest offset through an L2 entry of its cluster. */
int qcow2_read_piece(BlockDevice *bd, Qcow2 *s, uint64_t entry, uint64_t offset, uint8_t *buf,
                     size_t len);

/* Metadata transactions: while one is open, a refcount block is copied to
 * a new cluster before its first change, clusters come only from the end
 * of the image (none freed meanwhile is reused), and nothing the header
 * reaches may be written. qcow2_txn_commit writes the new refcount table
 * and switches the header to it, the active L1 table and the snapshot
 * table in one write: killed at any moment, the image is the old one or
 * the new one. */
int qcow2_txn_begin(BlockDevice *bd, Qcow2 *s);
void qcow2_txn_abort(Qcow2 *s);
int qcow2_txn_commit(BlockDevice *bd, Qcow2 *s, uint32_t l1_entries, uint64_t l1_offset,
                     uint32_t nb_snapshots, uint64_t snapshots_offset);
/* After a commit that changed the active L1 table or freed clusters: no
 * cached table or cluster may be trusted. */
void qcow2_forget_caches(Qcow2 *s);

/* qcow2_snapshot.c */
bool qcow2_read_snapshots(BlockDevice *bd, Qcow2 *s, uint32_t nb, uint64_t offset,
                          uint64_t file_size, char *err, size_t errlen);
void qcow2_free_snapshots(Qcow2 *s);
int qcow2_snapshot_list(BlockDevice *bd, BlockSnapshot **list, char *err, size_t errlen);
int qcow2_snapshot_create(BlockDevice *bd, const char *name, const void *vmstate, size_t len,
                          uint64_t vm_clock_ns, char *err, size_t errlen);
int qcow2_snapshot_goto(BlockDevice *bd, const char *name, char *err, size_t errlen);
int qcow2_snapshot_read_vmstate(BlockDevice *bd, const char *name, uint8_t **data, size_t *len,
                                char *err, size_t errlen);
int qcow2_snapshot_delete(BlockDevice *bd, const char *name, char *err, size_t errlen);

#endif
