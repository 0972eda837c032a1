/* block/qcow2.c: qcow2 images (versions 2 and 3, as QEMU's
 * docs/interop/qcow2.txt describes them): reads through L1/L2 tables,
 * compressed and zero clusters and backing files; writes allocate at the
 * end of the image with refcounts, data and pointers reaching the disk in
 * that order, so a crash can only leak clusters. Internal snapshots are in
 * qcow2_snapshot.c. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "block/qcow2_int.h"
#include "util/log.h"

int qcow2_file_read(BlockDevice *bd, uint64_t offset, void *buf, size_t len)
{
    return block_file_transfer(bd->fd, offset, buf, len, false);
}

int qcow2_file_write(BlockDevice *bd, uint64_t offset, const void *buf, size_t len)
{
    return block_file_transfer(bd->fd, offset, (void *)buf, len, true);
}

int qcow2_file_sync(BlockDevice *bd)
{
    return fdatasync(bd->fd) == 0 ? 0 : -errno;
}

static int write_be64(BlockDevice *bd, uint64_t offset, uint64_t value)
{
    uint8_t b[8];
    put_be64(b, value);
    return qcow2_file_write(bd, offset, b, 8);
}

/* ---- refcounts ---- */

static void compressed_extent(const Qcow2 *s, uint64_t entry, uint64_t *offset, uint64_t *len)
{
    uint32_t shift = 62 - (s->cluster_bits - 8);
    *offset = entry & ((1ull << shift) - 1);
    uint64_t sectors = ((entry >> shift) & ((1ull << (s->cluster_bits - 8)) - 1)) + 1;
    *len = sectors * 512 - (*offset & 511);
}

static int load_refblock(BlockDevice *bd, Qcow2 *s, uint64_t offset)
{
    if (s->rb_offset == offset)
        return 0;
    if (offset & (s->cluster_size - 1) || offset >> s->cluster_bits >= s->end_cluster)
        return -EIO;
    s->rb_offset = 0;
    int rc = qcow2_file_read(bd, offset, s->rb, s->cluster_size);
    if (rc == 0)
        s->rb_offset = offset;
    return rc;
}

/* Entries narrower than a byte are packed from the low bits up. */
static uint64_t refblock_get(const Qcow2 *s, uint64_t index)
{
    uint32_t bits = 1u << s->refcount_order;
    if (bits < 8) {
        uint32_t per_byte = 8 / bits;
        return (uint64_t)(s->rb[index / per_byte] >> (index % per_byte * bits)) & s->refcount_max;
    }
    const uint8_t *p = s->rb + index * (bits / 8);
    uint64_t v = 0;
    for (uint32_t i = 0; i < bits / 8; i++)
        v = v << 8 | p[i];
    return v;
}

/* Sets the entry in the cached block; returns the byte range to write. */
static void refblock_set(Qcow2 *s, uint64_t index, uint64_t value, size_t *at, size_t *len)
{
    uint32_t bits = 1u << s->refcount_order;
    if (bits < 8) {
        uint32_t per_byte = 8 / bits;
        uint32_t shift = (uint32_t)(index % per_byte) * bits;
        uint8_t *p = &s->rb[index / per_byte];
        *p = (uint8_t)((*p & ~(s->refcount_max << shift)) | value << shift);
        *at = index / per_byte;
        *len = 1;
        return;
    }
    uint8_t *p = s->rb + index * (bits / 8);
    for (int i = (int)(bits / 8) - 1; i >= 0; i--, value >>= 8)
        p[i] = (uint8_t)value;
    *at = index * (bits / 8);
    *len = bits / 8;
}

int qcow2_refcount_get(BlockDevice *bd, Qcow2 *s, uint64_t cluster, uint64_t *value)
{
    uint64_t t = cluster / s->refcounts_per_block;
    if (t >= s->rt_entries || !(s->rt[t] & ~0x1ffull)) {
        *value = 0;
        return 0;
    }
    int rc = load_refblock(bd, s, s->rt[t] & ~0x1ffull);
    if (rc == 0)
        *value = refblock_get(s, cluster % s->refcounts_per_block);
    return rc;
}

/* A bigger refcount table, covering at least entry need: written whole to
 * new clusters, then the header is switched to it (one 12-byte write), and
 * only then is the old one freed. */
static int refcount_add(BlockDevice *bd, Qcow2 *s, uint64_t cluster, int delta)
{
    uint64_t v = 0;
    if (cluster >= s->end_cluster)
        return -EIO; /* a reference past the image's end: corruption */
    int rc = qcow2_refcount_get(bd, s, cluster, &v);
    if (rc < 0)
        return rc;
    if (delta < 0 && v == 0)
        return -EIO; /* a reference to a free cluster: corruption */
    if (delta > 0 && v == s->refcount_max)
        return -ERANGE;
    return qcow2_refcount_set(bd, s, cluster, delta < 0 ? v - 1 : v + 1);
}

int qcow2_entry_refs(BlockDevice *bd, Qcow2 *s, uint64_t entry, int delta)
{
    uint64_t first, last;
    if (entry & OFLAG_COMPRESSED) {
        /* Every host cluster its sectors touch holds a reference. */
        uint64_t offset, len;
        compressed_extent(s, entry, &offset, &len);
        first = (offset & ~511ull) >> s->cluster_bits;
        last = ((offset & ~511ull) + len + (offset & 511) - 1) >> s->cluster_bits;
    } else if (entry & OFFSET_MASK) {
        first = last = (entry & OFFSET_MASK) >> s->cluster_bits;
    } else {
        return 0;
    }
    for (uint64_t c = first; c <= last; c++) {
        int rc = refcount_add(bd, s, c, delta);
        if (rc < 0)
            return rc;
    }
    return 0;
}

/* In a transaction, a refcount block the header reaches is copied to a new
 * cluster before its first change; the table then names the copy. */
static int shadow_refblock(BlockDevice *bd, Qcow2 *s, uint64_t t)
{
    uint64_t old = s->rt[t] & ~0x1ffull;
    int rc = load_refblock(bd, s, old);
    if (rc < 0)
        return rc;
    uint64_t block = s->end_cluster++;
    if ((rc = qcow2_file_write(bd, block << s->cluster_bits, s->rb, s->cluster_size)) < 0)
        return rc;
    s->rt[t] = block << s->cluster_bits;
    s->rb_offset = s->rt[t];
    if ((rc = qcow2_refcount_set(bd, s, block, 1)) < 0)
        return rc;
    return refcount_add(bd, s, old >> s->cluster_bits, -1);
}

static int resize_rt(Qcow2 *s, uint64_t entries)
{
    if (entries * 8 > MAX_REFTABLE_BYTES)
        return -EFBIG;
    uint64_t *rt = realloc(s->rt, entries * 8);
    if (!rt)
        return -ENOMEM;
    memset(rt + s->rt_entries, 0, (entries - s->rt_entries) * 8);
    s->rt = rt;
    s->rt_entries = entries;
    return 0;
}

static int grow_refcount_table(BlockDevice *bd, Qcow2 *s, uint64_t need)
{
    if (s->relocating_rt)
        return -EIO;
    uint64_t per_cluster = s->cluster_size / 8;
    /* A transaction's table is written whole when it commits. */
    if (s->txn)
        return resize_rt(s, (need / per_cluster + 1) * per_cluster);
    uint64_t entries = s->rt_entries * 2 > need + 1 ? s->rt_entries * 2 : need + 1;
    uint64_t clusters;
    for (;;) {
        clusters = (entries + per_cluster - 1) / per_cluster;
        /* The table and the refcount blocks it may need for itself. */
        uint64_t last = s->end_cluster + clusters + 4;
        if (last / s->refcounts_per_block < entries)
            break;
        entries = last / s->refcounts_per_block + 1;
    }
    uint64_t old_offset = s->rt_offset, old_entries = s->rt_entries;
    uint64_t old_clusters = (old_entries * 8 + s->cluster_size - 1) >> s->cluster_bits;
    int rc = resize_rt(s, clusters * per_cluster);
    if (rc < 0)
        return rc;
    uint64_t start = 0;
    s->relocating_rt = true;
    rc = qcow2_alloc_run(bd, s, clusters, &start);
    s->relocating_rt = false;
    start >>= s->cluster_bits;
    uint8_t *buf = rc == 0 ? calloc(clusters, s->cluster_size) : NULL;
    if (rc == 0 && !buf)
        rc = -ENOMEM;
    if (rc == 0) {
        for (uint64_t i = 0; i < s->rt_entries; i++)
            put_be64(buf + i * 8, s->rt[i]);
        rc = qcow2_file_write(bd, start << s->cluster_bits, buf, clusters << s->cluster_bits);
    }
    free(buf);
    if (rc == 0)
        rc = qcow2_file_sync(bd);
    if (rc == 0) {
        uint8_t field[12];
        put_be64(field, start << s->cluster_bits);
        put_be32(field + 8, (uint32_t)clusters);
        rc = qcow2_file_write(bd, 48, field, sizeof(field));
    }
    if (rc == 0)
        rc = qcow2_file_sync(bd);
    if (rc < 0) {
        /* The header still names the old table: keep using it. */
        s->rt_entries = old_entries;
        return rc;
    }
    s->rt_offset = start << s->cluster_bits;
    for (uint64_t c = 0; c < old_clusters && rc == 0; c++)
        rc = qcow2_refcount_set(bd, s, (old_offset >> s->cluster_bits) + c, 0);
    return rc;
}

/* A new refcount block for table entry t, at the end of the image: whole on
 * disk, and itself counted, before the table points at it. */
static int new_refblock(BlockDevice *bd, Qcow2 *s, uint64_t t)
{
    uint64_t block = s->end_cluster++;
    int rc;
    if (block / s->refcounts_per_block != t && (rc = qcow2_refcount_set(bd, s, block, 1)) < 0)
        return rc;
    s->rb_offset = 0;
    memset(s->rb, 0, s->cluster_size);
    if (block / s->refcounts_per_block == t) {
        size_t at, len;
        refblock_set(s, block % s->refcounts_per_block, 1, &at, &len);
    }
    rc = qcow2_file_write(bd, block << s->cluster_bits, s->rb, s->cluster_size);
    if (rc < 0)
        return rc;
    s->rb_offset = block << s->cluster_bits;
    s->rt[t] = block << s->cluster_bits;
    if (t >= s->rt_used)
        s->rt_used = t + 1;
    if (s->relocating_rt || s->txn)
        return 0;
    if ((rc = qcow2_file_sync(bd)) < 0)
        return rc;
    return write_be64(bd, s->rt_offset + t * 8, s->rt[t]);
}

int qcow2_refcount_set(BlockDevice *bd, Qcow2 *s, uint64_t cluster, uint64_t value)
{
    uint64_t t = cluster / s->refcounts_per_block;
    int rc;
    if (t >= s->rt_entries && (rc = grow_refcount_table(bd, s, t)) < 0)
        return rc;
    if (s->txn && t < s->txn_rt_entries && s->txn_rt[t] && s->rt[t] == s->txn_rt[t] &&
        (rc = shadow_refblock(bd, s, t)) < 0)
        return rc;
    if (!(s->rt[t] & ~0x1ffull) && (rc = new_refblock(bd, s, t)) < 0)
        return rc;
    uint64_t block = s->rt[t] & ~0x1ffull;
    if ((rc = load_refblock(bd, s, block)) < 0)
        return rc;
    size_t at, len;
    refblock_set(s, cluster % s->refcounts_per_block, value, &at, &len);
    if (value == 0 && cluster < s->free_hint)
        s->free_hint = cluster;
    /* A freed L2 table's cluster may come back as another one. */
    for (int i = 0; value == 0 && i < L2_CACHE_SIZE; i++)
        if (s->l2_cache[i].offset == cluster << s->cluster_bits)
            s->l2_cache[i].offset = 0;
    return qcow2_file_write(bd, block + at, s->rb + at, len);
}

static bool overlaps(uint64_t cluster_offset, uint64_t cluster_size, uint64_t start, uint64_t len)
{
    return start < cluster_offset + cluster_size && cluster_offset < start + len;
}

/* Whether host cluster c holds metadata: the header, the L1 or refcount
 * table, a refcount block or an L2 table. Only corrupt refcounts or L2
 * entries lead a data write there (QEMU's metadata overlap check). */
static bool is_metadata(const Qcow2 *s, uint64_t c)
{
    uint64_t at = c << s->cluster_bits, size = s->cluster_size;
    if (c == 0 || overlaps(at, size, s->l1_offset, s->l1_entries * 8) ||
        overlaps(at, size, s->rt_offset, s->rt_entries * 8))
        return true;
    for (uint64_t t = 0; t < s->rt_used; t++)
        if ((s->rt[t] & ~0x1ffull) == at)
            return true;
    for (uint64_t i = 0; i < s->l1_used; i++)
        if ((s->l1[i] & OFFSET_MASK) == at)
            return true;
    return false;
}

/* As QEMU: the corrupt bit goes into the header, later writes fail, and
 * reads go on. -EIO for the write that found it. */
static int mark_corrupt(BlockDevice *bd, Qcow2 *s, uint64_t c, const char *why)
{
    if (!s->corrupt) {
        s->corrupt = true;
        error_report("qcow2 '%s': a write to host cluster 0x%llx would overwrite metadata (%s): "
                     "marking the image corrupt; repair it with 'qemu-img check -r all'",
                     bd->path, (unsigned long long)(c << s->cluster_bits), why);
        uint8_t field[8];
        if (qcow2_file_read(bd, 72, field, 8) == 0) {
            put_be64(field, be64(field) | INCOMPAT_CORRUPT);
            if (qcow2_file_write(bd, 72, field, 8) == 0)
                qcow2_file_sync(bd);
        }
    }
    return -EIO;
}

/* A free cluster (refcount 0), the lowest from the hint on, else one at
 * the end of the image; counted, not yet synced. Freed clusters are only
 * reused once nothing on disk points at them any more (see qcow2_commit()). */
int qcow2_alloc_cluster(BlockDevice *bd, Qcow2 *s, uint64_t *offset)
{
    uint64_t c = s->txn ? s->end_cluster : s->free_hint;
    for (; c < s->end_cluster; c++) {
        uint64_t refcount = 0;
        int rc = qcow2_refcount_get(bd, s, c, &refcount);
        if (rc < 0)
            return rc;
        if (refcount == 0)
            break;
    }
    if (c == s->end_cluster)
        s->end_cluster++;
    else if (is_metadata(s, c))
        return mark_corrupt(bd, s, c, "its refcount is 0");
    if (!s->txn)
        s->free_hint = c + 1;
    int rc = qcow2_refcount_set(bd, s, c, 1);
    if (rc < 0)
        return rc;
    *offset = c << s->cluster_bits;
    return 0;
}

int qcow2_alloc_run(BlockDevice *bd, Qcow2 *s, uint64_t n, uint64_t *offset)
{
    uint64_t start = s->end_cluster;
    s->end_cluster += n;
    for (uint64_t c = start; c < start + n; c++) {
        int rc = qcow2_refcount_set(bd, s, c, 1);
        if (rc < 0)
            return rc;
    }
    *offset = start << s->cluster_bits;
    return 0;
}

/* ---- metadata transactions ---- */

int qcow2_txn_begin(BlockDevice *bd, Qcow2 *s)
{
    int rc = qcow2_commit(bd, s);
    if (rc < 0)
        return rc;
    if (!(s->txn_rt = malloc(s->rt_entries * 8)))
        return -ENOMEM;
    memcpy(s->txn_rt, s->rt, s->rt_entries * 8);
    s->txn_rt_entries = s->rt_entries;
    s->txn_rt_used = s->rt_used;
    s->txn_free_hint = s->free_hint;
    s->txn = true;
    return 0;
}

void qcow2_txn_abort(Qcow2 *s)
{
    free(s->rt);
    s->rt = s->txn_rt;
    s->rt_entries = s->txn_rt_entries;
    s->rt_used = s->txn_rt_used;
    s->free_hint = s->txn_free_hint;
    s->txn_rt = NULL;
    s->rb_offset = 0;
    s->txn = false;
}

int qcow2_txn_commit(BlockDevice *bd, Qcow2 *s, uint32_t l1_entries, uint64_t l1_offset,
                     uint32_t nb_snapshots, uint64_t snapshots_offset)
{
    int rc = 0;
    uint64_t old_first = s->rt_offset >> s->cluster_bits;
    for (uint64_t c = 0; c < (s->txn_rt_entries * 8) >> s->cluster_bits && rc == 0; c++)
        rc = refcount_add(bd, s, old_first + c, -1);
    /* Counting the new table's clusters may make it longer: then again. */
    uint64_t table = 0, clusters = 0;
    while (rc == 0 && clusters != (s->rt_entries * 8) >> s->cluster_bits) {
        for (uint64_t c = 0; c < clusters && rc == 0; c++)
            rc = refcount_add(bd, s, (table >> s->cluster_bits) + c, -1);
        clusters = (s->rt_entries * 8) >> s->cluster_bits;
        if (rc == 0)
            rc = qcow2_alloc_run(bd, s, clusters, &table);
    }
    uint8_t *buf = rc == 0 ? malloc(s->rt_entries * 8) : NULL;
    if (rc == 0 && !buf)
        rc = -ENOMEM;
    if (rc == 0) {
        for (uint64_t i = 0; i < s->rt_entries; i++)
            put_be64(buf + i * 8, s->rt[i]);
        rc = qcow2_file_write(bd, table, buf, s->rt_entries * 8);
    }
    free(buf);
    if (rc == 0)
        rc = qcow2_file_sync(bd);
    /* l1_size, l1_table_offset, refcount_table_offset and _clusters,
     * nb_snapshots, snapshots_offset: one sector, one write. */
    uint8_t h[36];
    put_be32(h, l1_entries);
    put_be64(h + 4, l1_offset);
    put_be64(h + 12, table);
    put_be32(h + 20, (uint32_t)clusters);
    put_be32(h + 24, nb_snapshots);
    put_be64(h + 28, snapshots_offset);
    if (rc == 0)
        rc = qcow2_file_write(bd, 36, h, sizeof(h));
    if (rc < 0) {
        qcow2_txn_abort(s);
        return rc;
    }
    s->rt_offset = table;
    free(s->txn_rt);
    s->txn_rt = NULL;
    s->txn = false;
    return 0;
}

void qcow2_forget_caches(Qcow2 *s)
{
    for (int i = 0; i < L2_CACHE_SIZE; i++)
        s->l2_cache[i].offset = 0;
    s->rb_offset = 0;
    s->comp_entry = 0;
}

/* ---- L2 tables ---- */

static L2Cached *l2_lookup(Qcow2 *s, uint64_t offset)
{
    for (int i = 0; i < L2_CACHE_SIZE; i++) {
        if (s->l2_cache[i].offset == offset) {
            s->l2_cache[i].last_use = ++s->l2_clock;
            return &s->l2_cache[i];
        }
    }
    return NULL;
}

/* A slot to fill; an evicted table may have pointers still pending. */
static int l2_slot(BlockDevice *bd, Qcow2 *s, L2Cached **slot)
{
    L2Cached *victim = &s->l2_cache[0];
    for (int i = 1; i < L2_CACHE_SIZE; i++)
        if (s->l2_cache[i].last_use < victim->last_use)
            victim = &s->l2_cache[i];
    int rc = qcow2_commit(bd, s);
    if (rc < 0)
        return rc;
    victim->offset = 0;
    victim->last_use = ++s->l2_clock;
    *slot = victim;
    return 0;
}

static int l2_load(BlockDevice *bd, Qcow2 *s, uint64_t offset, L2Cached **out)
{
    if ((*out = l2_lookup(s, offset)))
        return 0;
    if (offset & (s->cluster_size - 1) || offset >> s->cluster_bits >= s->end_cluster)
        return -EIO;
    L2Cached *slot;
    int rc = l2_slot(bd, s, &slot);
    if (rc < 0)
        return rc;
    if ((rc = qcow2_file_read(bd, offset, slot->table, s->cluster_size)) < 0)
        return rc;
    slot->offset = offset;
    *out = slot;
    return 0;
}

/* The L2 entry of guest cluster gc, 0 where no L2 table maps it. */
static int l2_entry(BlockDevice *bd, Qcow2 *s, uint64_t gc, uint64_t *entry)
{
    uint64_t l1 = s->l1[gc / s->l2_entries] & OFFSET_MASK;
    *entry = 0;
    if (!l1)
        return 0;
    L2Cached *t;
    int rc = l2_load(bd, s, l1, &t);
    if (rc == 0)
        *entry = be64(t->table + gc % s->l2_entries * 8);
    return rc;
}

/* ---- reading ---- */

static int decompress(BlockDevice *bd, Qcow2 *s, uint64_t entry)
{
    if (s->comp_entry == entry)
        return 0;
    s->comp_entry = 0;
    uint64_t offset, len;
    compressed_extent(s, entry, &offset, &len);
    int rc = qcow2_file_read(bd, offset, s->comp_in, len);
    if (rc < 0)
        return rc;
    z_stream z = {0};
    if (inflateInit2(&z, -12) != Z_OK)
        return -ENOMEM;
    z.next_in = s->comp_in;
    z.avail_in = (uInt)len;
    z.next_out = s->comp_out;
    z.avail_out = (uInt)s->cluster_size;
    rc = inflate(&z, Z_FINISH);
    /* The compressed length is only known to the sector: the input may run
     * on past the stream's end, but the cluster must come out whole. */
    bool ok = (rc == Z_STREAM_END || rc == Z_BUF_ERROR) && z.avail_out == 0;
    inflateEnd(&z);
    if (!ok)
        return -EIO;
    s->comp_entry = entry;
    return 0;
}

static int read_backing(Qcow2 *s, uint64_t offset, uint8_t *buf, size_t len)
{
    size_t n = 0;
    if (s->backing && offset < s->backing->size) {
        n = s->backing->size - offset < len ? (size_t)(s->backing->size - offset) : len;
        int rc = block_read(s->backing, offset, buf, n);
        if (rc < 0)
            return rc;
    }
    memset(buf + n, 0, len - n);
    return 0;
}

/* A piece of guest cluster gc whose L2 entry is entry. */
int qcow2_read_piece(BlockDevice *bd, Qcow2 *s, uint64_t entry, uint64_t offset, uint8_t *buf,
                     size_t len)
{
    uint64_t in = offset & (s->cluster_size - 1);
    if (entry & OFLAG_COMPRESSED) {
        int rc = decompress(bd, s, entry);
        if (rc == 0)
            memcpy(buf, s->comp_out + in, len);
        return rc;
    }
    if (entry & OFLAG_ZERO) {
        memset(buf, 0, len);
        return 0;
    }
    uint64_t host = entry & OFFSET_MASK;
    if (!host)
        return read_backing(s, offset, buf, len);
    if (host & (s->cluster_size - 1) || entry & 0x3fff0000000001feull)
        return -EIO;
    return qcow2_file_read(bd, host + in, buf, len);
}

static int qcow2_read(BlockDevice *bd, uint64_t offset, void *buf, size_t len)
{
    Qcow2 *s = bd->opaque;
    uint8_t *p = buf;
    while (len > 0) {
        uint64_t in = offset & (s->cluster_size - 1);
        size_t n = s->cluster_size - in < len ? (size_t)(s->cluster_size - in) : len;
        uint64_t entry;
        int rc = l2_entry(bd, s, offset >> s->cluster_bits, &entry);
        if (rc == 0)
            rc = qcow2_read_piece(bd, s, entry, offset, p, n);
        if (rc < 0)
            return rc;
        p += n;
        offset += n;
        len -= n;
    }
    return 0;
}

/* ---- writing ---- */

static int add_pending(BlockDevice *bd, Qcow2 *s, uint64_t file_offset, uint64_t value)
{
    if (s->npending == MAX_PENDING) {
        int rc = qcow2_commit(bd, s);
        if (rc < 0)
            return rc;
    }
    s->pending[s->npending++] = (PendingPointer){file_offset, value};
    return 0;
}

static int add_to_free(BlockDevice *bd, Qcow2 *s, uint64_t entry)
{
    if (!(entry & OFFSET_MASK) && !(entry & OFLAG_COMPRESSED))
        return 0;
    if (s->nfree == MAX_PENDING) {
        int rc = qcow2_commit(bd, s);
        if (rc < 0)
            return rc;
    }
    s->to_free[s->nfree++] = entry;
    return 0;
}

/* Data and new tables are durable before anything points at them, and
 * pointers are durable before what they replaced is freed. */
int qcow2_commit(BlockDevice *bd, Qcow2 *s)
{
    if (s->npending == 0 && s->nfree == 0)
        return 0;
    int rc = qcow2_file_sync(bd);
    for (size_t i = 0; i < s->npending && rc == 0; i++)
        rc = write_be64(bd, s->pending[i].file_offset, s->pending[i].value);
    s->npending = 0;
    if (rc == 0 && s->nfree)
        rc = qcow2_file_sync(bd);
    /* A cluster that cannot be freed (a refcount already 0 in a damaged
     * image) is only leaked: the guest's request itself is done. */
    for (size_t i = 0; i < s->nfree && rc == 0; i++)
        (void)qcow2_entry_refs(bd, s, s->to_free[i], -1);
    s->nfree = 0;
    return rc;
}

/* The L2 table for guest cluster gc, ours alone to change: a new one where
 * none is mapped, a copy where it is shared (a snapshot's). */
static int l2_for_write(BlockDevice *bd, Qcow2 *s, uint64_t gc, L2Cached **out)
{
    uint64_t index = gc / s->l2_entries;
    uint64_t l1 = s->l1[index];
    int rc;
    if ((l1 & OFFSET_MASK) && (l1 & OFLAG_COPIED))
        return l2_load(bd, s, l1 & OFFSET_MASK, out);
    L2Cached *old = NULL;
    if ((l1 & OFFSET_MASK) && (rc = l2_load(bd, s, l1 & OFFSET_MASK, &old)) < 0)
        return rc;
    uint64_t offset;
    if ((rc = qcow2_alloc_cluster(bd, s, &offset)) < 0)
        return rc;
    L2Cached *slot;
    if (old)
        old->last_use = ++s->l2_clock; /* keep it for the copy */
    if ((rc = l2_slot(bd, s, &slot)) < 0)
        return rc;
    if (old && old->offset == (l1 & OFFSET_MASK))
        memcpy(slot->table, old->table, s->cluster_size);
    else if (old)
        rc = qcow2_file_read(bd, l1 & OFFSET_MASK, slot->table, s->cluster_size);
    else
        memset(slot->table, 0, s->cluster_size);
    if (rc == 0)
        rc = qcow2_file_write(bd, offset, slot->table, s->cluster_size);
    if (rc < 0)
        return rc;
    slot->offset = offset;
    s->l1[index] = offset | OFLAG_COPIED;
    if (index >= s->l1_used)
        s->l1_used = index + 1;
    if ((rc = add_pending(bd, s, s->l1_offset + index * 8, s->l1[index])) < 0)
        return rc;
    if (old && (rc = add_to_free(bd, s, l1 & OFFSET_MASK)) < 0)
        return rc;
    *out = slot;
    return 0;
}

static int set_l2_entry(BlockDevice *bd, Qcow2 *s, uint64_t gc, uint64_t entry)
{
    L2Cached *t;
    int rc = l2_for_write(bd, s, gc, &t);
    if (rc < 0)
        return rc;
    uint64_t i = gc % s->l2_entries;
    uint64_t old = be64(t->table + i * 8);
    put_be64(t->table + i * 8, entry);
    if ((rc = add_pending(bd, s, t->offset + i * 8, entry)) < 0)
        return rc;
    /* An entry that keeps its cluster (zeroed in place, or written again
     * after that) frees nothing. */
    bool same_cluster = !(old & OFLAG_COMPRESSED) && (old & OFFSET_MASK) &&
                        (old & OFFSET_MASK) == (entry & OFFSET_MASK);
    return same_cluster ? 0 : add_to_free(bd, s, old);
}

/* Writes len bytes (zeros when data is NULL) into guest cluster gc at in. */
static int write_piece(BlockDevice *bd, Qcow2 *s, uint64_t gc, uint64_t in, const uint8_t *data,
                       size_t len)
{
    uint64_t entry;
    int rc = l2_entry(bd, s, gc, &entry);
    if (rc < 0)
        return rc;
    uint64_t host = entry & OFFSET_MASK;
    bool ours = !(entry & OFLAG_COMPRESSED) && host && (entry & OFLAG_COPIED) &&
                (s->l1[gc / s->l2_entries] & OFLAG_COPIED);
    /* A zero cluster that kept its space (write-zeroes without unmap). */
    bool zero_alloc = ours && (entry & OFLAG_ZERO);
    if (zero_alloc && !data)
        return 0;
    if (ours) {
        if (host & (s->cluster_size - 1))
            return -EIO;
        if (is_metadata(s, host >> s->cluster_bits))
            return mark_corrupt(bd, s, host >> s->cluster_bits, "an L2 entry points at it");
        if (zero_alloc) {
            /* Written in place, the rest of it zeros, as QEMU does. */
            memset(s->cow, 0, s->cluster_size);
            memcpy(s->cow + in, data, len);
            if ((rc = qcow2_file_write(bd, host, s->cow, s->cluster_size)) < 0)
                return rc;
            return set_l2_entry(bd, s, gc, host | OFLAG_COPIED);
        }
        if (data)
            return qcow2_file_write(bd, host + in, data, len);
        memset(s->cow, 0, len);
        return qcow2_file_write(bd, host + in, s->cow, len);
    }
    /* Copy on write: the cluster as it reads now, with the new bytes. */
    uint64_t guest = gc << s->cluster_bits;
    if (len < s->cluster_size &&
        (rc = qcow2_read_piece(bd, s, entry, guest, s->cow, s->cluster_size)) < 0)
        return rc;
    if (data)
        memcpy(s->cow + in, data, len);
    else
        memset(s->cow + in, 0, len);
    if ((rc = qcow2_alloc_cluster(bd, s, &host)) < 0)
        return rc;
    if ((rc = qcow2_file_write(bd, host, s->cow, s->cluster_size)) < 0)
        return rc;
    return set_l2_entry(bd, s, gc, host | OFLAG_COPIED);
}

static int write_range(BlockDevice *bd, uint64_t offset, const uint8_t *data, uint64_t len)
{
    Qcow2 *s = bd->opaque;
    while (len > 0) {
        uint64_t in = offset & (s->cluster_size - 1);
        size_t n = s->cluster_size - in < len ? (size_t)(s->cluster_size - in) : (size_t)len;
        int rc = write_piece(bd, s, offset >> s->cluster_bits, in, data, n);
        if (rc < 0)
            return rc;
        if (data)
            data += n;
        offset += n;
        len -= n;
    }
    /* The new pointers reach the image at the guest's next flush (or when
     * the pending list or the L2 cache needs the room): one sync for many
     * requests, as QEMU's metadata caches do. Until then reads see them in
     * the cache, and a crash loses only what the guest had not flushed. */
    return 0;
}

static int qcow2_write(BlockDevice *bd, uint64_t offset, const void *buf, size_t len)
{
    Qcow2 *s = bd->opaque;
    return s->corrupt ? -EIO : write_range(bd, offset, buf, len);
}

static int qcow2_flush(BlockDevice *bd)
{
    int rc = qcow2_commit(bd, bd->opaque);
    return rc < 0 ? rc : qcow2_file_sync(bd);
}

/* Whole clusters of [offset, offset + len) get entry (zero flag or 0),
 * their space freed; partial ones are left to the caller. */
/* Every whole cluster of the range gets entry; with keep, a cluster of
 * ours that becomes a zero cluster keeps its space (QEMU's zero cluster
 * with an offset: write-zeroes without unmap). */
static int set_whole_clusters(BlockDevice *bd, Qcow2 *s, uint64_t offset, uint64_t len,
                              uint64_t entry, bool keep)
{
    uint64_t first = (offset + s->cluster_size - 1) >> s->cluster_bits;
    uint64_t end = offset + len;
    /* The last cluster counts as whole when the range reaches the disk's end. */
    uint64_t last = end == s->disk_size ? (end + s->cluster_size - 1) >> s->cluster_bits
                                        : end >> s->cluster_bits;
    for (uint64_t gc = first; gc < last; gc++) {
        uint64_t old;
        int rc = l2_entry(bd, s, gc, &old);
        if (rc < 0)
            return rc;
        if (old == entry)
            continue;
        if (!(s->l1[gc / s->l2_entries] & OFFSET_MASK) && entry == 0)
            continue;
        uint64_t set = entry;
        if (keep && !(old & OFLAG_COMPRESSED) && (old & OFFSET_MASK) && (old & OFLAG_COPIED) &&
            (s->l1[gc / s->l2_entries] & OFLAG_COPIED))
            set = (old & OFFSET_MASK) | OFLAG_COPIED | OFLAG_ZERO;
        if (set != old && (rc = set_l2_entry(bd, s, gc, set)) < 0)
            return rc;
    }
    return qcow2_commit(bd, s);
}

static int qcow2_write_zeroes(BlockDevice *bd, uint64_t offset, uint64_t len, bool unmap)
{
    Qcow2 *s = bd->opaque;
    /* Whole clusters become zero clusters, their space freed with unmap
     * and kept without, as in QEMU. */
    if (s->corrupt)
        return -EIO;
    if (s->version < 3)
        return write_range(bd, offset, NULL, len);
    uint64_t first = (offset + s->cluster_size - 1) & ~(s->cluster_size - 1);
    uint64_t end = offset + len;
    uint64_t last = end == s->disk_size ? end : end & ~(s->cluster_size - 1);
    if (first >= last)
        return write_range(bd, offset, NULL, len);
    int rc = write_range(bd, offset, NULL, first - offset);
    if (rc == 0)
        rc = set_whole_clusters(bd, s, first, last - first, OFLAG_ZERO, !unmap);
    if (rc == 0 && end > last)
        rc = write_range(bd, last, NULL, end - last);
    return rc;
}

static int qcow2_discard(BlockDevice *bd, uint64_t offset, uint64_t len)
{
    Qcow2 *s = bd->opaque;
    /* With a backing file, a discarded cluster must not show the backing
     * file's data again: it reads zeros. Version 2 has no zero clusters. */
    if (s->corrupt || (s->backing && s->version < 3))
        return 0;
    return set_whole_clusters(bd, s, offset, len, s->backing ? OFLAG_ZERO : 0, false);
}

/* ---- opening ---- */

/* The images being opened, top first: a backing file met twice loops. */
static struct {
    dev_t dev;
    ino_t ino;
} chain[MAX_CHAIN_DEPTH];
static int chain_depth;
static bool chain_error_reported;
static const char *chain_top; /* the image the user opened */

bool qcow2_fail(char *err, size_t errlen, const char *path, const char *what)
{
    snprintf(err, errlen, "'%s': %s", path, what);
    return false;
}

/* Names an unknown incompatible feature from the image's feature table. */
static void feature_name(const uint8_t *table, uint32_t len, uint64_t bits, char *out,
                         size_t outlen)
{
    int bit = __builtin_ctzll(bits);
    snprintf(out, outlen, "incompatible feature bit %d", bit);
    for (uint32_t i = 0; table && i + 48 <= len; i += 48) {
        if (table[i] == 0 && table[i + 1] == bit) {
            snprintf(out, outlen, "incompatible feature '%.46s'", (const char *)table + i + 2);
            return;
        }
    }
}

static void qcow2_close(BlockDevice *bd);

/* QEMU's path_combine: relative to the directory of the overlay's path. */
static char *backing_path(const char *overlay, const char *name)
{
    const char *slash = strrchr(overlay, '/');
    size_t dir = name[0] == '/' || !slash ? 0 : (size_t)(slash - overlay) + 1;
    char *path = malloc(dir + strlen(name) + 1);
    if (path) {
        memcpy(path, overlay, dir);
        strcpy(path + dir, name);
    }
    return path;
}

static bool open_backing(BlockDevice *bd, Qcow2 *s, const char *name, const char *format, char *err,
                         size_t errlen)
{
    if (chain_depth >= MAX_CHAIN_DEPTH) {
        chain_error_reported = true;
        snprintf(err, errlen, "'%s': backing file chain is longer than %d images (at '%s')",
                 chain_top, MAX_CHAIN_DEPTH, bd->path);
        return false;
    }
    char *path = backing_path(bd->path, name);
    if (!path)
        return qcow2_fail(err, errlen, bd->path, strerror(ENOMEM));
    struct stat st;
    if (stat(path, &st) == 0) {
        for (int i = 0; i < chain_depth; i++) {
            if (chain[i].dev == st.st_dev && chain[i].ino == st.st_ino) {
                chain_error_reported = true;
                snprintf(err, errlen, "'%s': backing file chain loops: '%s' appears twice",
                         chain_top, path);
                free(path);
                return false;
            }
        }
    }
    char inner[512];
    s->backing_name = strdup(name);
    s->backing_format = format[0] ? strdup(format) : NULL;
    if (!s->backing_name || (format[0] && !s->backing_format)) {
        free(path);
        return qcow2_fail(err, errlen, bd->path, strerror(ENOMEM));
    }
    s->backing = block_open(path, true, format[0] ? format : NULL, inner, sizeof(inner));
    if (!s->backing && chain_error_reported) {
        snprintf(err, errlen, "%s", inner);
    } else if (!s->backing) {
        chain_error_reported = true;
        snprintf(err, errlen, "'%s': cannot open its backing file '%s': %s", bd->path, path, inner);
    }
    free(path);
    return s->backing != NULL;
}

bool qcow2_check_table(uint64_t offset, uint64_t bytes, uint64_t cluster_size, uint64_t file_size)
{
    return !(offset & (cluster_size - 1)) && offset <= file_size && bytes <= file_size - offset;
}

static bool open_image(BlockDevice *bd, Qcow2 *s, char *err, size_t errlen)
{
    uint8_t h[V3_HEADER_LENGTH + 8];
    const char *path = bd->path;
    struct stat st;
    if (fstat(bd->fd, &st) != 0)
        return qcow2_fail(err, errlen, path, strerror(errno));
    uint64_t file_size = (uint64_t)st.st_size;
    if (S_ISBLK(st.st_mode)) {
        off_t end = lseek(bd->fd, 0, SEEK_END);
        file_size = end < 0 ? 0 : (uint64_t)end;
    }
    int rc = qcow2_file_read(bd, 0, h, sizeof(h));
    if (rc < 0)
        return qcow2_fail(err, errlen, path, strerror(-rc));
    if (be32(h) != QCOW2_MAGIC)
        return qcow2_fail(err, errlen, path, "not a qcow2 image");
    s->version = be32(h + 4);
    if (s->version != 2 && s->version != 3) {
        char m[64];
        snprintf(m, sizeof(m), "unsupported qcow2 version %u", s->version);
        return qcow2_fail(err, errlen, path, m);
    }
    uint64_t backing_offset = be64(h + 8);
    uint32_t backing_size = be32(h + 16);
    s->cluster_bits = be32(h + 20);
    s->disk_size = be64(h + 24);
    uint32_t crypt = be32(h + 32);
    uint32_t l1_size = be32(h + 36);
    s->l1_offset = be64(h + 40);
    s->rt_offset = be64(h + 48);
    uint32_t rt_clusters = be32(h + 56);
    uint64_t incompat = 0, autoclear = 0;
    uint32_t header_length = V2_HEADER_LENGTH;
    uint8_t compression = 0;
    s->refcount_order = 4;
    if (s->version == 3) {
        incompat = be64(h + 72);
        autoclear = be64(h + 88);
        s->lazy_refcounts = be64(h + 80) & 1;
        s->refcount_order = be32(h + 96);
        header_length = be32(h + 100);
        if (header_length < V3_HEADER_LENGTH)
            return qcow2_fail(err, errlen, path, "qcow2 header is too short");
        if (header_length > V3_HEADER_LENGTH)
            compression = h[104];
    }
    if (s->cluster_bits < 9 || s->cluster_bits > 21)
        return qcow2_fail(err, errlen, path, "cluster size must be between 512 bytes and 2 MiB");
    s->cluster_size = 1ull << s->cluster_bits;
    s->l2_entries = s->cluster_size / 8;
    if (header_length > s->cluster_size)
        return qcow2_fail(err, errlen, path, "qcow2 header is longer than a cluster");
    if (crypt != 0)
        return qcow2_fail(err, errlen, path, "encrypted qcow2 images are not supported");
    if (compression != 0 || (incompat & INCOMPAT_COMPRESSION))
        return qcow2_fail(err, errlen, path,
                          "compression types other than zlib (zstd) are not supported");
    if (incompat & INCOMPAT_DATA_FILE)
        return qcow2_fail(err, errlen, path,
                          "qcow2 images with an external data file are not supported");
    if (incompat & INCOMPAT_EXTL2)
        return qcow2_fail(err, errlen, path,
                          "qcow2 images with extended L2 entries are not supported");
    if (s->refcount_order > 6)
        return qcow2_fail(err, errlen, path, "refcount width must be at most 64 bits");

    /* Header extensions, up to the backing file's name or the cluster's end. */
    uint64_t ext_end = backing_offset ? backing_offset : s->cluster_size;
    if (ext_end > s->cluster_size)
        ext_end = s->cluster_size;
    char backing_format[64] = "";
    uint8_t *features = NULL;
    uint32_t features_len = 0;
    for (uint64_t at = header_length; at + 8 <= ext_end;) {
        uint8_t eh[8];
        if ((rc = qcow2_file_read(bd, at, eh, 8)) < 0) {
            free(features);
            return qcow2_fail(err, errlen, path, strerror(-rc));
        }
        uint32_t type = be32(eh), len = be32(eh + 4);
        if (type == EXT_END)
            break;
        if (len > ext_end - at - 8) {
            free(features);
            return qcow2_fail(err, errlen, path, "a qcow2 header extension runs past its end");
        }
        if (type == EXT_BACKING_FORMAT) {
            if (len >= sizeof(backing_format)) {
                free(features);
                return qcow2_fail(err, errlen, path, "backing file format name is too long");
            }
            rc = qcow2_file_read(bd, at + 8, backing_format, len);
            backing_format[len] = '\0';
        } else if (type == EXT_FEATURE_NAMES && !features) {
            features = malloc(len ? len : 1);
            features_len = len;
            rc = features ? qcow2_file_read(bd, at + 8, features, len) : -ENOMEM;
        }
        if (rc < 0) {
            free(features);
            return qcow2_fail(err, errlen, path, strerror(-rc));
        }
        at += 8 + ((uint64_t)len + 7) / 8 * 8;
    }
    uint64_t unknown = incompat & ~INCOMPAT_KNOWN;
    if (unknown) {
        char name[96], m[160];
        feature_name(features, features_len, unknown, name, sizeof(name));
        snprintf(m, sizeof(m), "unsupported qcow2 %s", name);
        free(features);
        return qcow2_fail(err, errlen, path, m);
    }
    free(features);
    if (!bd->readonly && (incompat & INCOMPAT_DIRTY))
        return qcow2_fail(err, errlen, path,
                          "image was not closed cleanly (lazy refcounts): repair it with "
                          "'qemu-img check -r all' before writing to it");
    s->corrupt = incompat & INCOMPAT_CORRUPT;
    if (!bd->readonly && s->corrupt)
        return qcow2_fail(err, errlen, path,
                          "image is marked corrupt: repair it with 'qemu-img check -r all' before "
                          "writing to it");

    /* The tables, bounded by what the disk size needs and the file holds. */
    uint64_t l2_span = s->l2_entries << s->cluster_bits;
    uint64_t needed = s->disk_size / l2_span + (s->disk_size % l2_span != 0);
    if (needed > MAX_L1_BYTES / 8)
        return qcow2_fail(err, errlen, path, "disk size is too large");
    if (l1_size < needed)
        return qcow2_fail(err, errlen, path, "L1 table is too small for the disk size");
    if (l1_size > MAX_L1_BYTES / 8)
        return qcow2_fail(err, errlen, path, "L1 table is too large");
    uint64_t l1_bytes = (uint64_t)l1_size * 8;
    if (!qcow2_check_table(s->l1_offset, l1_bytes, s->cluster_size, file_size))
        return qcow2_fail(err, errlen, path, "L1 table offset is invalid or outside the image");
    if (rt_clusters == 0 || (uint64_t)rt_clusters << s->cluster_bits > MAX_REFTABLE_BYTES)
        return qcow2_fail(err, errlen, path, "refcount table size is invalid");
    if (!qcow2_check_table(s->rt_offset, (uint64_t)rt_clusters << s->cluster_bits, s->cluster_size,
                           file_size))
        return qcow2_fail(err, errlen, path,
                          "refcount table offset is invalid or outside the image");
    if (overlaps(s->l1_offset, l1_bytes, 0, s->cluster_size) ||
        overlaps(s->rt_offset, (uint64_t)rt_clusters << s->cluster_bits, 0, s->cluster_size) ||
        overlaps(s->l1_offset, l1_bytes, s->rt_offset, (uint64_t)rt_clusters << s->cluster_bits))
        return qcow2_fail(err, errlen, path, "L1 table, refcount table and header overlap");
    if (backing_offset &&
        (backing_size > MAX_BACKING_NAME || backing_offset + backing_size > s->cluster_size))
        return qcow2_fail(err, errlen, path, "backing file name is invalid");

    s->l1_entries = l1_size;
    s->rt_entries = (uint64_t)rt_clusters << (s->cluster_bits - 3);
    s->l1 = malloc(l1_size ? l1_bytes : 1);
    s->rt = malloc(s->rt_entries * 8);
    s->rb = malloc(s->cluster_size);
    s->cow = malloc(s->cluster_size);
    s->comp_out = malloc(s->cluster_size);
    s->comp_in = malloc(s->cluster_size * 2);
    s->pending = malloc(MAX_PENDING * sizeof(*s->pending));
    s->to_free = malloc(MAX_PENDING * sizeof(*s->to_free));
    bool ok =
        s->l1 && s->rt && s->rb && s->cow && s->comp_out && s->comp_in && s->pending && s->to_free;
    for (int i = 0; i < L2_CACHE_SIZE && ok; i++)
        ok = (s->l2_cache[i].table = malloc(s->cluster_size)) != NULL;
    if (!ok)
        return qcow2_fail(err, errlen, path, strerror(ENOMEM));
    uint8_t *raw = (uint8_t *)s->rt; /* converted in place, both 8-byte entries */
    if ((rc = qcow2_file_read(bd, s->rt_offset, raw, s->rt_entries * 8)) < 0)
        return qcow2_fail(err, errlen, path, strerror(-rc));
    for (uint64_t i = 0; i < s->rt_entries; i++)
        s->rt[i] = be64(raw + i * 8);
    raw = (uint8_t *)s->l1;
    if ((rc = qcow2_file_read(bd, s->l1_offset, raw, l1_bytes)) < 0)
        return qcow2_fail(err, errlen, path, strerror(-rc));
    for (uint64_t i = 0; i < l1_size; i++)
        if ((s->l1[i] = be64(raw + i * 8)) != 0)
            s->l1_used = i + 1;
    for (uint64_t t = 0; t < s->rt_entries; t++)
        if (s->rt[t] != 0)
            s->rt_used = t + 1;
    s->refcount_max = s->refcount_order == 6 ? ~0ull : (1ull << (1u << s->refcount_order)) - 1;
    s->refcounts_per_block = (s->cluster_size * 8) >> s->refcount_order;
    s->end_cluster = (file_size + s->cluster_size - 1) >> s->cluster_bits;
    bd->size = s->disk_size;
    if (!qcow2_read_snapshots(bd, s, be32(h + 60), be64(h + 64), file_size, err, errlen))
        return false;

    /* Bits for features we do not keep up to date (bitmaps) are cleared
     * before the first change, as the specification asks. */
    if (!bd->readonly && !bd->inactive && autoclear) {
        if ((rc = write_be64(bd, 88, 0)) < 0 || (rc = qcow2_file_sync(bd)) < 0)
            return qcow2_fail(err, errlen, path, strerror(-rc));
    }

    if (backing_offset) {
        char name[MAX_BACKING_NAME + 1];
        if ((rc = qcow2_file_read(bd, backing_offset, name, backing_size)) < 0)
            return qcow2_fail(err, errlen, path, strerror(-rc));
        name[backing_size] = '\0';
        if (strlen(name) != backing_size || backing_size == 0)
            return qcow2_fail(err, errlen, path, "backing file name is invalid");
        return open_backing(bd, s, name, backing_format, err, errlen);
    }
    return true;
}

static bool qcow2_open(BlockDevice *bd, char *err, size_t errlen)
{
    Qcow2 *s = calloc(1, sizeof(*s));
    if (!s)
        return qcow2_fail(err, errlen, bd->path, strerror(ENOMEM));
    bd->opaque = s;
    if (chain_depth == 0) {
        chain_error_reported = false;
        chain_top = bd->path;
    }
    bool ok;
    if (chain_depth >= MAX_CHAIN_DEPTH) {
        ok = qcow2_fail(err, errlen, bd->path, "backing file chain is too long");
    } else {
        chain[chain_depth].dev = bd->dev;
        chain[chain_depth].ino = bd->ino;
        chain_depth++;
        ok = open_image(bd, s, err, errlen);
        chain_depth--;
    }
    if (!ok)
        qcow2_close(bd);
    return ok;
}

static void qcow2_close(BlockDevice *bd)
{
    Qcow2 *s = bd->opaque;
    if (!s)
        return;
    block_close(s->backing);
    free(s->backing_name);
    free(s->backing_format);
    for (int i = 0; i < L2_CACHE_SIZE; i++)
        free(s->l2_cache[i].table);
    free(s->l1);
    free(s->rt);
    free(s->rb);
    free(s->cow);
    free(s->comp_out);
    free(s->comp_in);
    free(s->pending);
    free(s->to_free);
    free(s->txn_rt);
    qcow2_free_snapshots(s);
    free(s);
    bd->opaque = NULL;
}

static void qcow2_info(const BlockDevice *bd, BlockImageInfo *info)
{
    const Qcow2 *s = bd->opaque;
    info->backing = s->backing;
    info->backing_name = s->backing_name;
    info->backing_format = s->backing_format;
    info->cluster_size = s->cluster_size;
    info->qcow2_version = s->version;
    info->refcount_bits = 1u << s->refcount_order;
    info->lazy_refcounts = s->lazy_refcounts;
    info->corrupt = s->corrupt;
}

const BlockDriver block_qcow2_driver = {
    .format = "qcow2",
    .open = qcow2_open,
    .read = qcow2_read,
    .write = qcow2_write,
    .flush = qcow2_flush,
    .write_zeroes = qcow2_write_zeroes,
    .discard = qcow2_discard,
    .info = qcow2_info,
    .close = qcow2_close,
    .snapshot_list = qcow2_snapshot_list,
    .snapshot_create = qcow2_snapshot_create,
    .snapshot_goto = qcow2_snapshot_goto,
    .snapshot_read_vmstate = qcow2_snapshot_read_vmstate,
    .snapshot_delete = qcow2_snapshot_delete,
};

/* ---- creating ---- */

bool block_qcow2_create(const char *path, uint64_t size, const char *backing,
                        const char *backing_format, char *err, size_t errlen)
{
    const uint32_t cluster_bits = 16;
    const uint64_t cs = 1ull << cluster_bits;
    uint64_t l2_span = (cs / 8) * cs;
    uint64_t l1_size = size / l2_span + (size % l2_span != 0);
    uint64_t l1_clusters = (l1_size * 8 + cs - 1) / cs;
    size_t backing_len = backing ? strlen(backing) : 0;
    size_t format_len = backing_format ? strlen(backing_format) : 0;
    if (l1_size * 8 > MAX_L1_BYTES || backing_len > MAX_BACKING_NAME || format_len > 63) {
        snprintf(err, errlen, "cannot create '%s': size or backing file name too large", path);
        return false;
    }
    /* QEMU's layout: header, refcount table, refcount block, L1 table. */
    uint64_t clusters = 3 + l1_clusters;
    size_t total = (size_t)(clusters * cs);
    uint8_t *img = calloc(1, total);
    if (!img) {
        snprintf(err, errlen, "cannot create '%s': %s", path, strerror(ENOMEM));
        return false;
    }
    put_be32(img, QCOW2_MAGIC);
    put_be32(img + 4, 3);
    put_be32(img + 20, cluster_bits);
    put_be64(img + 24, size);
    put_be32(img + 36, (uint32_t)l1_size);
    put_be64(img + 40, 3 * cs);
    put_be64(img + 48, cs);
    put_be32(img + 56, 1);
    put_be32(img + 96, 4);
    put_be32(img + 100, 112);
    uint64_t at = 112;
    if (backing_format && format_len) {
        put_be32(img + at, EXT_BACKING_FORMAT);
        put_be32(img + at + 4, (uint32_t)format_len);
        memcpy(img + at + 8, backing_format, format_len);
        at += 8 + (format_len + 7) / 8 * 8;
    }
    at += 8; /* the end of the extensions */
    if (backing && backing_len) {
        put_be64(img + 8, at);
        put_be32(img + 16, (uint32_t)backing_len);
        memcpy(img + at, backing, backing_len);
    }
    put_be64(img + cs, 2 * cs);
    for (uint64_t c = 0; c < clusters; c++)
        img[2 * cs + c * 2 + 1] = 1; /* 16-bit refcounts of 1 */
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    int rc = fd < 0 ? -errno : block_file_transfer(fd, 0, img, total, true);
    if (rc == 0 && fdatasync(fd) != 0)
        rc = -errno;
    if (fd >= 0)
        close(fd);
    free(img);
    if (rc < 0) {
        snprintf(err, errlen, "cannot create '%s': %s", path, strerror(-rc));
        return false;
    }
    return true;
}
