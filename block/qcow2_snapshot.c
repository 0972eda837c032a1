/* block/qcow2_snapshot.c: qcow2 internal snapshots, laid out as QEMU's
 * savevm and qemu-img snapshot lay them (docs/interop/qcow2.txt): a table
 * of entries, each naming its own copy of the L1 table, with the machine
 * state stored in the guest address space just past the disk.
 *
 * Every change is one metadata transaction (qcow2_int.h): whatever is new
 * goes to new clusters, refcount blocks are changed in copies, and one
 * header write switches to all of it. That is why the active image gets
 * its own copies of the L2 tables where QEMU clears or sets OFLAG_COPIED
 * in the shared ones in place: qemu-img check wants an active entry's
 * flag to agree with its cluster's refcount at every moment, and no single
 * write changes both. A refcount counts the L1 tables that reach a
 * cluster, as qemu-img check counts them. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "block/qcow2_int.h"

#define ENTRY_HEADER 40u /* up to extra_data_size */
#define EXTRA_KNOWN 24u  /* vm_state_size_large, disk_size, icount */
#define NO_ICOUNT (~0ull)

static uint64_t align8(uint64_t x)
{
    return (x + 7) & ~7ull;
}

/* ---- the table ---- */

void qcow2_free_snapshots(Qcow2 *s)
{
    for (uint32_t i = 0; i < s->nb_snapshots; i++) {
        free(s->snapshots[i].id);
        free(s->snapshots[i].name);
        free(s->snapshots[i].extra);
    }
    free(s->snapshots);
    s->snapshots = NULL;
    s->nb_snapshots = 0;
}

/* The next len bytes of the table at *at, which must end by end. */
static int read_part(BlockDevice *bd, uint64_t *at, uint64_t end, void *buf, uint64_t len)
{
    if (len > end - *at)
        return -ERANGE;
    int rc = qcow2_file_read(bd, *at, buf, len);
    *at += len;
    return rc;
}

static int read_string(BlockDevice *bd, uint64_t *at, uint64_t end, uint16_t len, char **out)
{
    if (!(*out = malloc((size_t)len + 1)))
        return -ENOMEM;
    (*out)[len] = '\0';
    return read_part(bd, at, end, *out, len);
}

static int read_entry(BlockDevice *bd, Qcow2 *s, uint64_t *at, uint64_t end, Qcow2Snapshot *sn)
{
    uint8_t h[ENTRY_HEADER], extra[MAX_SNAPSHOT_EXTRA];
    *at = align8(*at);
    int rc = *at > end ? -ERANGE : read_part(bd, at, end, h, sizeof(h));
    if (rc < 0)
        return rc;
    sn->l1_offset = be64(h);
    sn->l1_size = be32(h + 8);
    sn->date_sec = be32(h + 16);
    sn->date_nsec = be32(h + 20);
    sn->vm_clock_ns = be64(h + 24);
    sn->vm_state_size = be32(h + 32);
    uint32_t extra_len = be32(h + 36);
    if (extra_len > MAX_SNAPSHOT_EXTRA)
        return -EFBIG;
    if ((rc = read_part(bd, at, end, extra, extra_len)) < 0)
        return rc;
    /* What an older writer left out, as QEMU reads it. */
    sn->vm_state_size = extra_len >= 8 ? be64(extra) : sn->vm_state_size;
    sn->disk_size = extra_len >= 16 ? be64(extra + 8) : s->disk_size;
    sn->icount = extra_len >= 24 ? be64(extra + 16) : NO_ICOUNT;
    if (extra_len > EXTRA_KNOWN) {
        sn->extra_len = extra_len - EXTRA_KNOWN;
        if (!(sn->extra = malloc(sn->extra_len)))
            return -ENOMEM;
        memcpy(sn->extra, extra + EXTRA_KNOWN, sn->extra_len);
    }
    if ((rc = read_string(bd, at, end, be16(h + 12), &sn->id)) < 0)
        return rc;
    return read_string(bd, at, end, be16(h + 14), &sn->name);
}

bool qcow2_read_snapshots(BlockDevice *bd, Qcow2 *s, uint32_t nb, uint64_t offset,
                          uint64_t file_size, char *err, size_t errlen)
{
    if (nb == 0)
        return true;
    if (nb > MAX_SNAPSHOTS)
        return qcow2_fail(err, errlen, bd->path, "too many snapshots");
    if (!qcow2_check_table(offset, (uint64_t)nb * ENTRY_HEADER, s->cluster_size, file_size) ||
        offset < s->cluster_size)
        return qcow2_fail(err, errlen, bd->path,
                          "snapshot table offset is invalid or outside the image");
    if (!(s->snapshots = calloc(nb, sizeof(*s->snapshots))))
        return qcow2_fail(err, errlen, bd->path, strerror(ENOMEM));
    s->nb_snapshots = nb;
    uint64_t end = file_size - offset > MAX_SNAPSHOT_TABLE_BYTES ? offset + MAX_SNAPSHOT_TABLE_BYTES
                                                                 : file_size;
    uint64_t at = offset;
    for (uint32_t i = 0; i < nb; i++) {
        int rc = read_entry(bd, s, &at, end, &s->snapshots[i]);
        if (rc == -ERANGE)
            return qcow2_fail(err, errlen, bd->path,
                              end == file_size ? "snapshot table runs past the end of the image"
                                               : "snapshot table is larger than 64 MiB");
        if (rc == -EFBIG)
            return qcow2_fail(err, errlen, bd->path,
                              "a snapshot has more than 1 KiB of extra data");
        if (rc < 0)
            return qcow2_fail(err, errlen, bd->path, strerror(-rc));
    }
    s->snapshots_offset = offset;
    s->snapshots_size = at - offset;
    return true;
}

/* The table as QEMU 7.2 writes it: every entry with all the extra data it
 * knows, followed by what it did not know. */
static uint8_t *serialize_table(const Qcow2Snapshot *sn, uint32_t nb, uint64_t *size)
{
    uint64_t total = 0;
    for (uint32_t i = 0; i < nb; i++)
        total = align8(total) + ENTRY_HEADER + EXTRA_KNOWN + sn[i].extra_len + strlen(sn[i].id) +
                strlen(sn[i].name);
    uint8_t *buf = calloc(1, total ? total : 1);
    if (!buf)
        return NULL;
    uint64_t at = 0;
    for (uint32_t i = 0; i < nb; i++) {
        uint8_t *p = buf + align8(at);
        size_t id_len = strlen(sn[i].id), name_len = strlen(sn[i].name);
        put_be64(p, sn[i].l1_offset);
        put_be32(p + 8, sn[i].l1_size);
        put_be16(p + 12, (uint16_t)id_len);
        put_be16(p + 14, (uint16_t)name_len);
        put_be32(p + 16, sn[i].date_sec);
        put_be32(p + 20, sn[i].date_nsec);
        put_be64(p + 24, sn[i].vm_clock_ns);
        /* Too large for the old field: older readers see no state at all
         * rather than a truncated one. */
        put_be32(p + 32, sn[i].vm_state_size <= UINT32_MAX ? (uint32_t)sn[i].vm_state_size : 0);
        put_be32(p + 36, EXTRA_KNOWN + sn[i].extra_len);
        p += ENTRY_HEADER;
        put_be64(p, sn[i].vm_state_size);
        put_be64(p + 8, sn[i].disk_size);
        put_be64(p + 16, sn[i].icount);
        p += EXTRA_KNOWN;
        if (sn[i].extra_len)
            memcpy(p, sn[i].extra, sn[i].extra_len);
        p += sn[i].extra_len;
        memcpy(p, sn[i].id, id_len);
        memcpy(p + id_len, sn[i].name, name_len);
        at = (uint64_t)(p + id_len + name_len - buf);
    }
    *size = total;
    return buf;
}

/* QEMU's lookup: an id first, then a tag. */
static int find_snapshot(const Qcow2 *s, const char *name)
{
    for (uint32_t i = 0; i < s->nb_snapshots; i++)
        if (strcmp(s->snapshots[i].id, name) == 0)
            return (int)i;
    for (uint32_t i = 0; i < s->nb_snapshots; i++)
        if (strcmp(s->snapshots[i].name, name) == 0)
            return (int)i;
    return -1;
}

/* ---- tables and references ---- */

static uint64_t clusters_for(const Qcow2 *s, uint64_t bytes)
{
    return (bytes + s->cluster_size - 1) >> s->cluster_bits;
}

/* A snapshot's L1 table, checked as QEMU checks it before use. */
static int load_l1(BlockDevice *bd, Qcow2 *s, const Qcow2Snapshot *sn, uint64_t **l1)
{
    uint64_t bytes = (uint64_t)sn->l1_size * 8;
    *l1 = NULL;
    if (bytes > MAX_L1_BYTES ||
        !qcow2_check_table(sn->l1_offset, bytes, s->cluster_size,
                           s->end_cluster << s->cluster_bits) ||
        (bytes && sn->l1_offset < s->cluster_size))
        return -EINVAL;
    uint8_t *raw = malloc(bytes ? bytes : 1);
    if (!raw)
        return -ENOMEM;
    int rc = qcow2_file_read(bd, sn->l1_offset, raw, bytes);
    /* Converted in place: the same 8 bytes an entry. */
    for (uint64_t i = 0; rc == 0 && i < sn->l1_size; i++)
        ((uint64_t *)raw)[i] = be64(raw + i * 8);
    if (rc < 0)
        free(raw);
    else
        *l1 = (uint64_t *)raw;
    return rc;
}

static int read_l2(BlockDevice *bd, Qcow2 *s, uint64_t l1_entry, uint8_t *buf)
{
    uint64_t offset = l1_entry & OFFSET_MASK;
    if (offset & (s->cluster_size - 1) || offset >> s->cluster_bits >= s->end_cluster)
        return -EIO;
    return qcow2_file_read(bd, offset, buf, s->cluster_size);
}

/* delta on every reference the L1 entries hold: their L2 tables and,
 * through each, the clusters it maps. */
static int l1_refs(BlockDevice *bd, Qcow2 *s, const uint64_t *l1, uint64_t n, int delta,
                   uint8_t *buf)
{
    for (uint64_t i = 0; i < n; i++) {
        if (!(l1[i] & OFFSET_MASK))
            continue;
        int rc = read_l2(bd, s, l1[i], buf);
        for (uint64_t j = 0; j < s->l2_entries && rc == 0; j++)
            rc = qcow2_entry_refs(bd, s, be64(buf + j * 8), delta);
        if (rc == 0)
            rc = qcow2_entry_refs(bd, s, l1[i] & OFFSET_MASK, delta);
        if (rc < 0)
            return rc;
    }
    return 0;
}

/* Private copies of the L2 tables of l1[0, n) for the active image: they
 * share every cluster with the originals, so none is COPIED. */
static int copy_l2_tables(BlockDevice *bd, Qcow2 *s, const uint64_t *l1, uint64_t n, uint64_t *out,
                          uint8_t *buf)
{
    for (uint64_t i = 0; i < n; i++) {
        if (!(l1[i] & OFFSET_MASK))
            continue;
        int rc = read_l2(bd, s, l1[i], buf);
        for (uint64_t j = 0; j < s->l2_entries && rc == 0; j++) {
            uint64_t entry = be64(buf + j * 8);
            rc = qcow2_entry_refs(bd, s, entry, 1);
            put_be64(buf + j * 8, entry & ~OFLAG_COPIED);
        }
        uint64_t table;
        if (rc == 0)
            rc = qcow2_alloc_cluster(bd, s, &table);
        if (rc == 0)
            rc = qcow2_file_write(bd, table, buf, s->cluster_size);
        if (rc < 0)
            return rc;
        out[i] = table | OFLAG_COPIED;
    }
    return 0;
}

/* A new L1 table of n entries (none: offset 0, as qemu-img writes it). */
static int write_l1(BlockDevice *bd, Qcow2 *s, const uint64_t *l1, uint64_t n, uint64_t *offset)
{
    *offset = 0;
    if (n == 0)
        return 0;
    uint64_t clusters = clusters_for(s, n * 8);
    uint8_t *buf = calloc(clusters, s->cluster_size);
    if (!buf)
        return -ENOMEM;
    for (uint64_t i = 0; i < n; i++)
        put_be64(buf + i * 8, l1[i]);
    int rc = qcow2_alloc_run(bd, s, clusters, offset);
    if (rc == 0)
        rc = qcow2_file_write(bd, *offset, buf, clusters << s->cluster_bits);
    free(buf);
    return rc;
}

static int free_run(BlockDevice *bd, Qcow2 *s, uint64_t offset, uint64_t bytes)
{
    for (uint64_t c = 0; c < clusters_for(s, bytes); c++) {
        int rc = qcow2_entry_refs(bd, s, offset + (c << s->cluster_bits), -1);
        if (rc < 0)
            return rc;
    }
    return 0;
}

/* Replaces the table with the nb entries of sn: *offset is the new one's
 * (0 when empty), the old one is freed. */
static int write_table(BlockDevice *bd, Qcow2 *s, const Qcow2Snapshot *sn, uint32_t nb,
                       uint64_t *offset, uint64_t *size)
{
    int rc = 0;
    if (s->nb_snapshots)
        rc = free_run(bd, s, s->snapshots_offset, s->snapshots_size);
    *offset = 0;
    *size = 0;
    if (rc < 0 || nb == 0)
        return rc;
    uint8_t *buf = serialize_table(sn, nb, size);
    if (!buf)
        return -ENOMEM;
    if (*size > MAX_SNAPSHOT_TABLE_BYTES) {
        free(buf);
        return -EFBIG;
    }
    rc = qcow2_alloc_run(bd, s, clusters_for(s, *size), offset);
    if (rc == 0)
        rc = qcow2_file_write(bd, *offset, buf, *size);
    free(buf);
    return rc;
}

/* The machine state, in new clusters mapped by new L2 tables whose L1
 * entries go to l1[0, ...). */
static int write_vmstate(BlockDevice *bd, Qcow2 *s, const uint8_t *data, size_t len, uint64_t *l1,
                         uint8_t *table)
{
    uint64_t clusters = clusters_for(s, len);
    for (uint64_t c = 0; c < clusters; c++) {
        uint64_t at = c << s->cluster_bits, host;
        int rc = qcow2_alloc_cluster(bd, s, &host);
        const uint8_t *src = data + at;
        if (len - at < s->cluster_size) {
            memset(s->cow, 0, s->cluster_size);
            memcpy(s->cow, src, len - at);
            src = s->cow;
        }
        if (rc == 0)
            rc = qcow2_file_write(bd, host, src, s->cluster_size);
        if (rc < 0)
            return rc;
        if (c % s->l2_entries == 0)
            memset(table, 0, s->cluster_size);
        put_be64(table + c % s->l2_entries * 8, host | OFLAG_COPIED);
        if (c % s->l2_entries == s->l2_entries - 1 || c == clusters - 1) {
            if ((rc = qcow2_alloc_cluster(bd, s, &host)) < 0 ||
                (rc = qcow2_file_write(bd, host, table, s->cluster_size)) < 0)
                return rc;
            l1[c / s->l2_entries] = host | OFLAG_COPIED;
        }
    }
    return 0;
}

/* After a snapshot's references are gone: active entries whose clusters
 * are the image's alone again get OFLAG_COPIED back. The live L2 tables
 * are not edited: one that changes is copied into l1, which *changed says
 * must replace the active L1 table. */
static int restore_copied(BlockDevice *bd, Qcow2 *s, uint64_t *l1, bool *changed, uint8_t *buf)
{
    for (uint64_t i = 0; i < s->l1_entries; i++) {
        uint64_t l2 = l1[i] & OFFSET_MASK, refcount;
        if (!l2)
            continue;
        int rc = read_l2(bd, s, l1[i], buf);
        bool copy = false;
        for (uint64_t j = 0; j < s->l2_entries && rc == 0; j++) {
            uint64_t entry = be64(buf + j * 8);
            if ((entry & OFLAG_COMPRESSED) || !(entry & OFFSET_MASK))
                continue;
            rc = qcow2_refcount_get(bd, s, (entry & OFFSET_MASK) >> s->cluster_bits, &refcount);
            uint64_t want = refcount == 1 ? entry | OFLAG_COPIED : entry & ~OFLAG_COPIED;
            if (rc == 0 && want != entry) {
                put_be64(buf + j * 8, want);
                copy = true;
            }
        }
        if (rc == 0 && copy) {
            /* The copy takes over the table's references: only the table
             * loses one. */
            uint64_t table = 0;
            if ((rc = qcow2_alloc_cluster(bd, s, &table)) == 0 &&
                (rc = qcow2_file_write(bd, table, buf, s->cluster_size)) == 0)
                rc = qcow2_entry_refs(bd, s, l2, -1);
            l1[i] = table | OFLAG_COPIED;
            *changed = true;
        } else if (rc == 0 &&
                   (rc = qcow2_refcount_get(bd, s, l2 >> s->cluster_bits, &refcount)) == 0) {
            uint64_t want = refcount == 1 ? l1[i] | OFLAG_COPIED : l1[i] & ~OFLAG_COPIED;
            *changed |= want != l1[i];
            l1[i] = want;
        }
        if (rc < 0)
            return rc;
    }
    return 0;
}

/* ---- the operations ---- */

static const char *why(int rc)
{
    switch (rc) {
    case -EINVAL:
        return "its L1 table is invalid or outside the image";
    case -EIO:
        return "the image's metadata is damaged (see qemu-img check)";
    case -ERANGE:
        return "a cluster's refcount would overflow (too many snapshots for its refcount width)";
    case -EFBIG:
        return "the image's tables would grow too large";
    default:
        return strerror(-rc);
    }
}

static int report(BlockDevice *bd, int rc, const char *op, const char *name, const char *what,
                  char *err, size_t errlen)
{
    snprintf(err, errlen, "'%s': cannot %s snapshot '%s': %s", bd->path, op, name,
             what ? what : why(rc));
    return rc;
}

/* Adopts a committed transaction's active L1 table, then makes it all
 * durable. */
static int finish(BlockDevice *bd, Qcow2 *s, uint64_t *l1, uint64_t n, uint64_t l1_offset)
{
    if (l1 != s->l1) {
        free(s->l1);
        s->l1 = l1;
        s->l1_entries = n;
        s->l1_offset = l1_offset;
    }
    s->l1_used = 0;
    for (uint64_t i = 0; i < n; i++)
        if (l1[i])
            s->l1_used = i + 1;
    qcow2_forget_caches(s);
    return qcow2_file_sync(bd);
}

static int check_writable(BlockDevice *bd, Qcow2 *s, const char *op, const char *name, char *err,
                          size_t errlen)
{
    if (s->corrupt)
        return report(bd, -EIO, op, name, "the image is marked corrupt", err, errlen);
    return 0;
}

/* The snapshot named name (id or tag) that op changes the image with: its
 * index, or a negative errno with err. */
static int snapshot_to_change(BlockDevice *bd, Qcow2 *s, const char *op, const char *name,
                              char *err, size_t errlen)
{
    int rc = check_writable(bd, s, op, name, err, errlen);
    if (rc < 0)
        return rc;
    int i = find_snapshot(s, name);
    if (i < 0)
        return report(bd, -ENOENT, op, name, "no snapshot has that id or tag", err, errlen);
    return i;
}

int qcow2_snapshot_list(BlockDevice *bd, BlockSnapshot **list, char *err, size_t errlen)
{
    Qcow2 *s = bd->opaque;
    *list = calloc(s->nb_snapshots ? s->nb_snapshots : 1, sizeof(**list));
    if (!*list) {
        snprintf(err, errlen, "'%s': cannot list snapshots: %s", bd->path, strerror(ENOMEM));
        return -ENOMEM;
    }
    for (uint32_t i = 0; i < s->nb_snapshots; i++) {
        const Qcow2Snapshot *sn = &s->snapshots[i];
        BlockSnapshot *out = &(*list)[i];
        snprintf(out->id, sizeof(out->id), "%s", sn->id);
        snprintf(out->name, sizeof(out->name), "%s", sn->name);
        out->vm_state_size = sn->vm_state_size;
        out->date_sec = sn->date_sec;
        out->date_nsec = sn->date_nsec;
        out->vm_clock_ns = sn->vm_clock_ns;
        out->disk_size = sn->disk_size;
    }
    return (int)s->nb_snapshots;
}

/* QEMU's: one past the largest id that reads as a number, the snapshot
 * being replaced left out. */
static void new_id(const Qcow2 *s, int skip, char *id, size_t len)
{
    unsigned long max = 0;
    for (uint32_t i = 0; i < s->nb_snapshots; i++) {
        unsigned long v = strtoul(s->snapshots[i].id, NULL, 10);
        if ((int)i != skip && v > max)
            max = v;
    }
    snprintf(id, len, "%lu", max + 1);
}

/* The table with entry skip left out and add (if any) appended, sharing
 * the strings of s's. */
static Qcow2Snapshot *new_table(const Qcow2 *s, int skip, const Qcow2Snapshot *add, uint32_t *nb)
{
    Qcow2Snapshot *t = calloc((size_t)s->nb_snapshots + 1, sizeof(*t));
    if (!t)
        return NULL;
    *nb = 0;
    for (uint32_t i = 0; i < s->nb_snapshots; i++)
        if ((int)i != skip)
            t[(*nb)++] = s->snapshots[i];
    if (add)
        t[(*nb)++] = *add;
    return t;
}

/* Puts the new table in place, freeing the entry it dropped. */
static void adopt_table(Qcow2 *s, Qcow2Snapshot *t, uint32_t nb, int dropped, uint64_t offset,
                        uint64_t size)
{
    if (dropped >= 0) {
        free(s->snapshots[dropped].id);
        free(s->snapshots[dropped].name);
        free(s->snapshots[dropped].extra);
    }
    free(s->snapshots);
    s->snapshots = t;
    s->nb_snapshots = nb;
    s->snapshots_offset = offset;
    s->snapshots_size = size;
}

int qcow2_snapshot_create(BlockDevice *bd, const char *name, const void *vmstate, size_t len,
                          uint64_t vm_clock_ns, char *err, size_t errlen)
{
    Qcow2 *s = bd->opaque;
    int rc = check_writable(bd, s, "create", name, err, errlen);
    if (rc < 0)
        return rc;
    if (strlen(name) > UINT16_MAX)
        return report(bd, -EINVAL, "create", name, "the name is too long", err, errlen);
    /* savevm's: a snapshot of that name is replaced, in the same switch. */
    int replaced = -1;
    for (uint32_t i = 0; i < s->nb_snapshots && replaced < 0; i++)
        if (strcmp(s->snapshots[i].name, name) == 0)
            replaced = (int)i;
    if (s->nb_snapshots >= MAX_SNAPSHOTS && replaced < 0)
        return report(bd, -EFBIG, "create", name, "the image has too many snapshots", err, errlen);
    uint64_t disk_l1 = qcow2_l1_for_disk(s);
    uint64_t vm_tables = (clusters_for(s, len) + s->l2_entries - 1) / s->l2_entries;
    uint64_t n = disk_l1 + vm_tables > s->l1_entries ? disk_l1 + vm_tables : s->l1_entries;
    if (n > MAX_L1_BYTES / 8)
        return report(bd, -EFBIG, "create", name, "the machine state is too large", err, errlen);

    Qcow2Snapshot sn = {.disk_size = s->disk_size, .icount = NO_ICOUNT};
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    sn.date_sec = (uint32_t)now.tv_sec;
    sn.date_nsec = (uint32_t)now.tv_nsec;
    sn.vm_clock_ns = vm_clock_ns;
    sn.vm_state_size = len;
    sn.l1_size = (uint32_t)n;
    char id[24];
    new_id(s, replaced, id, sizeof(id));
    sn.id = strdup(id);
    sn.name = strdup(name);
    uint64_t *sn_l1 = calloc(n ? n : 1, 8), *act_l1 = calloc(n ? n : 1, 8), *old_l1 = NULL;
    uint64_t act_offset = 0, table_offset = 0, table_size = 0;
    uint8_t *buf = malloc(s->cluster_size);
    uint32_t nb = 0;
    Qcow2Snapshot *table = new_table(s, replaced, &sn, &nb);
    if (!sn.id || !sn.name || !sn_l1 || !act_l1 || !buf || !table)
        rc = -ENOMEM;
    if (rc == 0 && replaced >= 0)
        rc = load_l1(bd, s, &s->snapshots[replaced], &old_l1);
    if (rc == 0 && (rc = qcow2_txn_begin(bd, s)) == 0) {
        /* The snapshot takes the active image's L2 tables of the disk; the
         * active image, copies of them. What it mapped past the disk (an
         * earlier savevm's state, as QEMU leaves it) it drops. */
        memcpy(sn_l1, s->l1, disk_l1 * 8);
        const Qcow2Snapshot *old = replaced >= 0 ? &s->snapshots[replaced] : NULL;
        uint64_t sn_offset = 0;
        if ((rc = copy_l2_tables(bd, s, s->l1, disk_l1, act_l1, buf)) < 0 ||
            (rc = l1_refs(bd, s, s->l1 + disk_l1, s->l1_entries - disk_l1, -1, buf)) < 0 ||
            (rc = write_vmstate(bd, s, vmstate, len, sn_l1 + disk_l1, buf)) < 0 ||
            (old && ((rc = l1_refs(bd, s, old_l1, old->l1_size, -1, buf)) < 0 ||
                     (rc = free_run(bd, s, old->l1_offset, (uint64_t)old->l1_size * 8)) < 0)) ||
            (rc = write_l1(bd, s, sn_l1, n, &sn_offset)) < 0 ||
            (rc = write_l1(bd, s, act_l1, n, &act_offset)) < 0 ||
            (rc = free_run(bd, s, s->l1_offset, s->l1_entries * 8)) < 0 ||
            (table[nb - 1].l1_offset = sn_offset,
             rc = write_table(bd, s, table, nb, &table_offset, &table_size)) < 0)
            qcow2_txn_abort(s);
        else
            rc = qcow2_txn_commit(bd, s, (uint32_t)n, act_offset, nb, table_offset);
        if (rc == 0) {
            adopt_table(s, table, nb, replaced, table_offset, table_size);
            table = NULL;
            sn.id = sn.name = NULL;
            rc = finish(bd, s, act_l1, n, act_offset);
            act_l1 = NULL;
        }
    }
    if (rc < 0)
        report(bd, rc, "create", name, NULL, err, errlen);
    free(sn.id);
    free(sn.name);
    free(table);
    free(sn_l1);
    free(act_l1);
    free(old_l1);
    free(buf);
    return rc;
}

int qcow2_snapshot_goto(BlockDevice *bd, const char *name, char *err, size_t errlen)
{
    Qcow2 *s = bd->opaque;
    int rc, i = snapshot_to_change(bd, s, "apply", name, err, errlen);
    if (i < 0)
        return i;
    const Qcow2Snapshot *sn = &s->snapshots[i];
    if (sn->disk_size != s->disk_size)
        return report(bd, -ENOTSUP, "apply", name,
                      "its disk size differs from the image's (not supported, as in QEMU)", err,
                      errlen);
    uint64_t disk_l1 = qcow2_l1_for_disk(s), n = s->l1_entries, act_offset;
    uint64_t *sn_l1 = NULL, *act_l1 = calloc(n ? n : 1, 8);
    uint8_t *buf = malloc(s->cluster_size);
    rc = !act_l1 || !buf ? -ENOMEM : load_l1(bd, s, sn, &sn_l1);
    if (rc == 0 && (rc = qcow2_txn_begin(bd, s)) == 0) {
        /* The machine state past the disk stays the snapshot's alone. */
        uint64_t copy = sn->l1_size < disk_l1 ? sn->l1_size : disk_l1;
        if ((rc = copy_l2_tables(bd, s, sn_l1, copy, act_l1, buf)) < 0 ||
            (rc = l1_refs(bd, s, s->l1, s->l1_entries, -1, buf)) < 0 ||
            (rc = write_l1(bd, s, act_l1, n, &act_offset)) < 0 ||
            (rc = free_run(bd, s, s->l1_offset, s->l1_entries * 8)) < 0)
            qcow2_txn_abort(s);
        else
            rc = qcow2_txn_commit(bd, s, (uint32_t)n, act_offset, s->nb_snapshots,
                                  s->snapshots_offset);
        if (rc == 0) {
            rc = finish(bd, s, act_l1, n, act_offset);
            act_l1 = NULL;
        }
    }
    if (rc < 0)
        report(bd, rc, "apply", name, NULL, err, errlen);
    free(sn_l1);
    free(act_l1);
    free(buf);
    return rc;
}

int qcow2_snapshot_read_vmstate(BlockDevice *bd, const char *name, uint8_t **data, size_t *len,
                                char *err, size_t errlen)
{
    Qcow2 *s = bd->opaque;
    *data = NULL;
    *len = 0;
    int i = find_snapshot(s, name);
    if (i < 0)
        return report(bd, -ENOENT, "read", name, "no snapshot has that id or tag", err, errlen);
    const Qcow2Snapshot *sn = &s->snapshots[i];
    if (sn->vm_state_size == 0)
        return 0;
    /* Every byte of it is data in the file: a larger size is a lie. */
    struct stat st;
    if (fstat(bd->fd, &st) != 0 || sn->vm_state_size > (uint64_t)st.st_size)
        return report(bd, -EIO, "read", name, "its machine state is larger than the image", err,
                      errlen);
    uint64_t *l1 = NULL, table = 0;
    uint8_t *l2 = malloc(s->cluster_size), *out = malloc(sn->vm_state_size);
    int rc = !l2 || !out ? -ENOMEM : load_l1(bd, s, sn, &l1);
    uint64_t start = qcow2_l1_for_disk(s) * s->l2_entries << s->cluster_bits;
    for (uint64_t pos = 0; rc == 0 && pos < sn->vm_state_size;) {
        uint64_t at = start + pos, in = at & (s->cluster_size - 1);
        uint64_t n = s->cluster_size - in < sn->vm_state_size - pos ? s->cluster_size - in
                                                                    : sn->vm_state_size - pos;
        uint64_t gc = at >> s->cluster_bits, index = gc / s->l2_entries, entry = 0;
        if (index < sn->l1_size && (l1[index] & OFFSET_MASK)) {
            if (table != (l1[index] & OFFSET_MASK) && (rc = read_l2(bd, s, l1[index], l2)) == 0)
                table = l1[index] & OFFSET_MASK;
            entry = rc == 0 ? be64(l2 + gc % s->l2_entries * 8) : 0;
        }
        if (rc == 0)
            rc = qcow2_read_piece(bd, s, entry, at, out + pos, n);
        pos += n;
    }
    free(l1);
    free(l2);
    if (rc < 0) {
        free(out);
        return report(bd, rc, "read", name, NULL, err, errlen);
    }
    *data = out;
    *len = sn->vm_state_size;
    return 0;
}

int qcow2_snapshot_delete(BlockDevice *bd, const char *name, char *err, size_t errlen)
{
    Qcow2 *s = bd->opaque;
    int rc, i = snapshot_to_change(bd, s, "delete", name, err, errlen);
    if (i < 0)
        return i;
    const Qcow2Snapshot *sn = &s->snapshots[i];
    uint64_t n = s->l1_entries, act_offset = s->l1_offset, table_offset, table_size;
    uint64_t *sn_l1 = NULL, *act_l1 = malloc(n ? n * 8 : 1);
    uint8_t *buf = malloc(s->cluster_size);
    uint32_t nb = 0;
    Qcow2Snapshot *table = new_table(s, i, NULL, &nb);
    rc = !act_l1 || !buf || !table ? -ENOMEM : load_l1(bd, s, sn, &sn_l1);
    if (rc == 0 && (rc = qcow2_txn_begin(bd, s)) == 0) {
        memcpy(act_l1, s->l1, n * 8);
        bool changed = false;
        if ((rc = l1_refs(bd, s, sn_l1, sn->l1_size, -1, buf)) < 0 ||
            (rc = free_run(bd, s, sn->l1_offset, (uint64_t)sn->l1_size * 8)) < 0 ||
            (rc = restore_copied(bd, s, act_l1, &changed, buf)) < 0 ||
            (changed && ((rc = write_l1(bd, s, act_l1, n, &act_offset)) < 0 ||
                         (rc = free_run(bd, s, s->l1_offset, n * 8)) < 0)) ||
            (rc = write_table(bd, s, table, nb, &table_offset, &table_size)) < 0)
            qcow2_txn_abort(s);
        else
            rc = qcow2_txn_commit(bd, s, (uint32_t)n, act_offset, nb, table_offset);
        if (rc == 0) {
            adopt_table(s, table, nb, i, table_offset, table_size);
            table = NULL;
            rc = finish(bd, s, changed ? act_l1 : s->l1, n, act_offset);
            if (changed)
                act_l1 = NULL;
        }
    }
    if (rc < 0)
        report(bd, rc, "delete", name, NULL, err, errlen);
    free(table);
    free(sn_l1);
    free(act_l1);
    free(buf);
    return rc;
}
