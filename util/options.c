/* util/options.c: the command line (QEMU's spellings) parsed into a machine
 * configuration. */
#include "util/options.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/keyval.h"
#include "util/log.h"

bool parse_uint(const char *text, unsigned long long max, unsigned long long *out)
{
    /* strtoull alone takes "-1" (as a huge number), "+1" and " 1". */
    if (!text || !isdigit((unsigned char)*text))
        return false;
    errno = 0;
    char *end;
    unsigned long long value = strtoull(text, &end, 10);
    if (errno || *end != '\0' || value > max)
        return false;
    *out = value;
    return true;
}

bool parse_size(const char *text, uint64_t *out)
{
    if (!text || !isdigit((unsigned char)*text))
        return false;
    errno = 0;
    char *end;
    unsigned long long value = strtoull(text, &end, 10);
    if (errno || end == text)
        return false;
    unsigned shift = 20;
    switch (*end) {
    case '\0':
        break;
    case 'b':
    case 'B':
        shift = 0;
        end++;
        break;
    case 'k':
    case 'K':
        shift = 10;
        end++;
        break;
    case 'm':
    case 'M':
        shift = 20;
        end++;
        break;
    case 'g':
    case 'G':
        shift = 30;
        end++;
        break;
    case 't':
    case 'T':
        shift = 40;
        end++;
        break;
    default:
        return false;
    }
    if (*end == 'i' || *end == 'I') /* accept "MiB"-style spellings too */
        end++;
    if ((*end == 'b' || *end == 'B') && shift)
        end++;
    if (*end != '\0')
        return false;
    if (shift && value > (UINT64_MAX >> shift))
        return false;
    *out = (uint64_t)value << shift;
    return true;
}

/* "virt[,dumpdtb=FILE]"; the strings point into argv, which outlives opts. */
static bool parse_machine(EmberOptions *opts, const char *value, char *err, size_t errlen)
{
    size_t name_len = strcspn(value, ",");
    if (name_len != 4 || strncmp(value, "virt", 4) != 0) {
        snprintf(err, errlen, "unsupported machine '%.*s' (only 'virt')", (int)name_len, value);
        return false;
    }
    opts->machine = "virt";
    const char *p = value + name_len;
    while (*p == ',') {
        p++;
        size_t len = strcspn(p, ",");
        if (strncmp(p, "dumpdtb=", 8) == 0 && len > 8) {
            /* The file name runs to the end: QEMU's syntax has no escaping. */
            opts->dumpdtb = p + 8;
            return true;
        }
        snprintf(err, errlen, "unknown machine property '%.*s' for -M virt", (int)len, p);
        return false;
    }
    return true;
}

static bool set_id(char *dst, size_t size, const char *value, const char *option, char *err,
                   size_t errlen)
{
    if (*value == '\0' || *value == '#' || strlen(value) >= size || strpbrk(value, " ,=")) {
        snprintf(err, errlen, "%s: invalid id '%s'", option, value);
        return false;
    }
    strcpy(dst, value);
    return true;
}

static bool add_device(EmberOptions *opts, const char *spec, char *err, size_t errlen)
{
    if (opts->ndevices == EMBER_MAX_DEVICES) {
        snprintf(err, errlen, "too many devices (at most %d)", EMBER_MAX_DEVICES);
        return false;
    }
    DeviceOption *d = &opts->devices[opts->ndevices];
    if (snprintf(d->spec, sizeof(d->spec), "%s", spec) >= (int)sizeof(d->spec)) {
        snprintf(err, errlen, "-device %.40s...: too long", spec);
        return false;
    }
    opts->ndevices++;
    return true;
}

static bool parse_drive(EmberOptions *opts, const char *value, char *err, size_t errlen)
{
    if (opts->ndrives == EMBER_MAX_DRIVES) {
        snprintf(err, errlen, "-drive: at most %d drives", EMBER_MAX_DRIVES);
        return false;
    }
    DriveOption d = {0};
    KeyVal kv;
    for (const char *p = value; *p;) {
        if (!keyval_next(&p, false, NULL, &kv, "-drive", err, errlen))
            return false;
        if (strcmp(kv.key, "file") == 0) {
            snprintf(d.file, sizeof(d.file), "%s", kv.value);
        } else if (strcmp(kv.key, "format") == 0) {
            if (!kv.value[0] || strlen(kv.value) >= sizeof(d.format)) {
                snprintf(err, errlen, "-drive: format '%s' is not one ember knows", kv.value);
                return false;
            }
            strcpy(d.format, kv.value);
        } else if (strcmp(kv.key, "snapshot") == 0) {
            if (!keyval_bool(kv.value, &d.snapshot)) {
                snprintf(err, errlen, "-drive: snapshot=%s: say on or off", kv.value);
                return false;
            }
        } else if (strcmp(kv.key, "if") == 0) {
            if (strcmp(kv.value, "none") != 0 && strcmp(kv.value, "virtio") != 0) {
                snprintf(err, errlen, "-drive: if=%s is not supported (virtio or none)", kv.value);
                return false;
            }
            d.if_none = strcmp(kv.value, "none") == 0;
        } else if (strcmp(kv.key, "readonly") == 0) {
            if (!keyval_bool(kv.value, &d.readonly)) {
                snprintf(err, errlen, "-drive: readonly=%s: say on or off", kv.value);
                return false;
            }
        } else if (strcmp(kv.key, "id") == 0) {
            if (!set_id(d.id, sizeof(d.id), kv.value, "-drive", err, errlen))
                return false;
        } else if (strcmp(kv.key, "media") == 0 && strcmp(kv.value, "disk") == 0) {
            /* the only kind there is */
        } else {
            snprintf(err, errlen, "-drive: unknown option '%s'", kv.key);
            return false;
        }
    }
    if (d.file[0] == '\0') {
        snprintf(err, errlen, "-drive %s: needs file=PATH", value);
        return false;
    }
    for (unsigned i = 0; d.id[0] && i < opts->ndrives; i++) {
        if (strcmp(opts->drives[i].id, d.id) == 0) {
            snprintf(err, errlen, "-drive: duplicate id '%s'", d.id);
            return false;
        }
    }
    if (d.id[0] == '\0')
        snprintf(d.id, sizeof(d.id), "#%u", opts->ndrives);
    if (!d.if_none) {
        char spec[64];
        snprintf(spec, sizeof(spec), "virtio-blk-device,drive=%s", d.id);
        if (!add_device(opts, spec, err, errlen))
            return false;
    }
    opts->drives[opts->ndrives++] = d;
    return true;
}

/* -chardev, turned into the -serial spelling chardev_parse_spec checks. */
static bool parse_chardev(EmberOptions *opts, const char *value, char *err, size_t errlen)
{
    if (opts->nchardevs == EMBER_MAX_CHARDEVS) {
        snprintf(err, errlen, "-chardev: at most %d", EMBER_MAX_CHARDEVS);
        return false;
    }
    *err = '\0';
    ChardevOption c = {0};
    char backend[64] = "", path[EMBER_OPTION_TEXT] = "", host[256] = "", port[16] = "";
    bool server = false, wait = true;
    KeyVal kv;
    for (const char *p = value; *p;) {
        bool first = p == value;
        if (!keyval_next(&p, first, "backend", &kv, "-chardev", err, errlen))
            return false;
        bool ok = true;
        if (strcmp(kv.key, "backend") == 0)
            ok = snprintf(backend, sizeof(backend), "%s", kv.value) < (int)sizeof(backend);
        else if (strcmp(kv.key, "id") == 0)
            ok = set_id(c.id, sizeof(c.id), kv.value, "-chardev", err, errlen);
        else if (strcmp(kv.key, "path") == 0)
            snprintf(path, sizeof(path), "%s", kv.value);
        else if (strcmp(kv.key, "host") == 0)
            ok = snprintf(host, sizeof(host), "%s", kv.value) < (int)sizeof(host);
        else if (strcmp(kv.key, "port") == 0)
            ok = snprintf(port, sizeof(port), "%s", kv.value) < (int)sizeof(port);
        else if (strcmp(kv.key, "server") == 0)
            ok = keyval_bool(kv.value, &server);
        else if (strcmp(kv.key, "wait") == 0)
            ok = keyval_bool(kv.value, &wait);
        else if (strcmp(kv.key, "nowait") == 0)
            wait = false;
        else if (strcmp(kv.key, "mux") == 0)
            ok = keyval_bool(kv.value, &c.mux);
        else {
            snprintf(err, errlen, "-chardev: unknown option '%s'", kv.key);
            return false;
        }
        if (!ok) {
            if (!*err)
                snprintf(err, errlen, "-chardev: bad value '%s' for %s", kv.value, kv.key);
            return false;
        }
    }
    if (c.id[0] == '\0') {
        snprintf(err, errlen, "-chardev %s: needs id=ID", value);
        return false;
    }
    if (strcmp(backend, "stdio") == 0 || strcmp(backend, "null") == 0) {
        snprintf(c.spec, sizeof(c.spec), "%s", backend);
    } else if (strcmp(backend, "file") == 0 && path[0]) {
        snprintf(c.spec, sizeof(c.spec), "file:%s", path);
    } else if (strcmp(backend, "socket") == 0 && (port[0] || path[0])) {
        if (port[0])
            snprintf(c.spec, sizeof(c.spec), "tcp:%s:%s", host, port);
        else
            snprintf(c.spec, sizeof(c.spec), "unix:%s", path);
        size_t len = strlen(c.spec);
        snprintf(c.spec + len, sizeof(c.spec) - len, "%s%s", server ? ",server" : "",
                 server && !wait ? ",nowait" : "");
    } else {
        snprintf(
            err, errlen,
            "-chardev %s: use stdio, null, file with path=, or socket with port= or path=", value);
        return false;
    }
    for (unsigned i = 0; i < opts->nchardevs; i++) {
        if (strcmp(opts->chardevs[i].id, c.id) == 0) {
            snprintf(err, errlen, "-chardev: duplicate id '%s'", c.id);
            return false;
        }
    }
    opts->chardevs[opts->nchardevs++] = c;
    return true;
}

/* ---- One handler per option ---- */

/* A -netdev's id, which must be there and unique. */
static bool add_netdev(EmberOptions *opts, const char *option, const char *spec, const char *id,
                       char *err, size_t errlen)
{
    if (opts->nnetdevs == EMBER_MAX_NETDEVS) {
        snprintf(err, errlen, "%s: at most %d netdevs", option, EMBER_MAX_NETDEVS);
        return false;
    }
    for (unsigned i = 0; i < opts->nnetdevs; i++) {
        if (strcmp(opts->netdevs[i].id, id) == 0) {
            snprintf(err, errlen, "%s: Duplicate ID '%s' for netdev", option, id);
            return false;
        }
    }
    NetdevOption *n = &opts->netdevs[opts->nnetdevs];
    if (snprintf(n->spec, sizeof(n->spec), "%s", spec) >= (int)sizeof(n->spec) ||
        strlen(id) >= sizeof(n->id)) {
        snprintf(err, errlen, "%s %.40s...: too long", option, spec);
        return false;
    }
    strcpy(n->id, id);
    opts->nnetdevs++;
    return true;
}

static bool opt_netdev(EmberOptions *o, const char *v, char *err, size_t errlen)
{
    KeyVal kv;
    char id[32] = "";
    for (const char *p = v; *p;) {
        if (!keyval_next(&p, p == v, "type", &kv, "-netdev", err, errlen))
            return false;
        if (strcmp(kv.key, "id") == 0 && !set_id(id, sizeof(id), kv.value, "-netdev", err, errlen))
            return false;
    }
    if (!id[0]) {
        snprintf(err, errlen, "-netdev %s: Parameter 'id' is missing", v);
        return false;
    }
    return add_netdev(o, "-netdev", v, id, err, errlen);
}

/* -nic TYPE[,model=M][,mac=X][,id=ID][,...]: a netdev and its NIC in one,
 * named as QEMU names them; -nic none is QEMU's "no network", ember's
 * default anyway. */
static bool opt_nic(EmberOptions *o, const char *v, char *err, size_t errlen)
{
    char netdev[EMBER_OPTION_TEXT + 64] = "", device[EMBER_OPTION_TEXT] = "";
    char model[64] = "virtio-net-device", mac[32] = "", id[32] = "";
    size_t len = 0;
    KeyVal kv;
    for (const char *p = v; *p;) {
        const char *item = p;
        if (!keyval_next(&p, p == v, "type", &kv, "-nic", err, errlen))
            return false;
        if (strcmp(kv.key, "type") == 0 && strcmp(kv.value, "none") == 0 && !*p)
            return true;
        bool ok = true;
        if (strcmp(kv.key, "model") == 0)
            ok = snprintf(model, sizeof(model), "%s", kv.value) < (int)sizeof(model);
        else if (strcmp(kv.key, "mac") == 0)
            ok = snprintf(mac, sizeof(mac), "%s", kv.value) < (int)sizeof(mac);
        else if (strcmp(kv.key, "id") == 0)
            ok = set_id(id, sizeof(id), kv.value, "-nic", err, errlen);
        else if (len + (size_t)(p - item) + 1 < sizeof(netdev))
            /* The item as written (",," escapes kept), without the comma
             * that ended it. */
            len += (size_t)snprintf(netdev + len, sizeof(netdev) - len, "%s%.*s", len ? "," : "",
                                    (int)(p - item) - (*p ? 1 : 0), item);
        else
            ok = false;
        if (!ok) {
            if (!*err)
                snprintf(err, errlen, "-nic %.40s: bad or too long", v);
            return false;
        }
    }
    if (strcmp(model, "virtio-net-device") != 0) {
        snprintf(err, errlen, "-nic: model '%s' is not supported (virtio-net-device)", model);
        return false;
    }
    if (!id[0])
        snprintf(id, sizeof(id), "__org.qemu.nic%u", o->nnetdevs);
    size_t n = strlen(netdev);
    snprintf(netdev + n, sizeof(netdev) - n, ",id=%s", id);
    snprintf(device, sizeof(device), "%s,netdev=%s%s%s", model, id, mac[0] ? ",mac=" : "", mac);
    return add_netdev(o, "-nic", netdev, id, err, errlen) && add_device(o, device, err, errlen);
}

/* -object filter-dump,id=ID,netdev=ND,file=PATH[,maxlen=N] (QEMU's one
 * object type that ember has). */
static bool opt_object(EmberOptions *o, const char *v, char *err, size_t errlen)
{
    if (o->nfilters == EMBER_MAX_FILTERS) {
        snprintf(err, errlen, "-object: at most %d", EMBER_MAX_FILTERS);
        return false;
    }
    FilterDumpOption f = {.maxlen = 65536};
    KeyVal kv;
    for (const char *p = v; *p;) {
        if (!keyval_next(&p, p == v, "qom-type", &kv, "-object", err, errlen))
            return false;
        bool ok = true;
        unsigned long long n;
        if (strcmp(kv.key, "qom-type") == 0) {
            if (strcmp(kv.value, "filter-dump") != 0) {
                snprintf(err, errlen, "-object: type '%s' is not supported (filter-dump)",
                         kv.value);
                return false;
            }
        } else if (strcmp(kv.key, "id") == 0) {
            ok = set_id(f.id, sizeof(f.id), kv.value, "-object", err, errlen);
        } else if (strcmp(kv.key, "netdev") == 0) {
            ok = snprintf(f.netdev, sizeof(f.netdev), "%s", kv.value) < (int)sizeof(f.netdev);
        } else if (strcmp(kv.key, "file") == 0) {
            ok = snprintf(f.file, sizeof(f.file), "%s", kv.value) < (int)sizeof(f.file);
        } else if (strcmp(kv.key, "maxlen") == 0) {
            ok = parse_uint(kv.value, UINT32_MAX, &n) && n > 0;
            f.maxlen = n;
        } else {
            snprintf(err, errlen, "-object filter-dump: Property '.%s' not found", kv.key);
            return false;
        }
        if (!ok) {
            if (!*err)
                snprintf(err, errlen, "-object filter-dump: bad %s '%s'", kv.key, kv.value);
            return false;
        }
    }
    if (!f.id[0] || !f.netdev[0] || !f.file[0]) {
        snprintf(err, errlen, "-object %s: filter-dump needs id=, netdev= and file=", v);
        return false;
    }
    for (unsigned i = 0; i < o->nfilters; i++) {
        if (strcmp(o->filters[i].id, f.id) == 0) {
            snprintf(err, errlen, "-object: duplicate id '%s'", f.id);
            return false;
        }
    }
    o->filters[o->nfilters++] = f;
    return true;
}

static bool opt_snapshot(EmberOptions *o, const char *v, char *err, size_t errlen)
{
    (void)v, (void)err, (void)errlen;
    o->snapshot = true;
    return true;
}

static bool opt_ram(EmberOptions *o, const char *v, char *err, size_t errlen)
{
    const char *size = strncmp(v, "size=", 5) == 0 ? v + 5 : v;
    uint64_t bytes;
    if (!parse_size(size, &bytes)) {
        snprintf(err, errlen, "invalid RAM size '%s' for -m", v);
        return false;
    }
    if (bytes < (16ull << 20) || bytes > EMBER_MAX_RAM_SIZE || (bytes & 0xfff)) {
        snprintf(err, errlen, "RAM size '%s' out of range (16M to %lluG, page multiple)", v,
                 (unsigned long long)(EMBER_MAX_RAM_SIZE >> 30));
        return false;
    }
    o->ram_size = bytes;
    return true;
}

/* -cpu MODEL[,PROP=on|off...]: the machine checks it against the
 * extensions it knows (isa/riscv_ext.c); "help" lists them. */
static bool opt_cpu(EmberOptions *o, const char *v, char *err, size_t errlen)
{
    (void)err;
    (void)errlen;
    o->cpu = v;
    return true;
}

/* -smp [cpus=]N[,sockets=S][,cores=C][,threads=T][,maxcpus=M][,dies=1]
 * [,clusters=1], QEMU's spelling: missing topology counts are derived
 * (cores first, as QEMU 7.2 prefers them), the product must be maxcpus.
 * The virt board has one socket here, and no hart hotplug. */
static bool opt_smp(EmberOptions *o, const char *v, char *err, size_t errlen)
{
    static const char *const keys[] = {"cpus",    "sockets", "cores",   "threads",
                                       "maxcpus", "dies",    "clusters"};
    unsigned long long val[7] = {0};
    KeyVal kv;
    *err = '\0';
    if (!*v) {
        snprintf(err, errlen, "invalid -smp value ''");
        return false;
    }
    for (const char *p = v; *p;) {
        if (!keyval_next(&p, p == v, "cpus", &kv, "-smp", err, errlen))
            return false;
        size_t k = 0;
        while (k < 7 && strcmp(kv.key, keys[k]) != 0)
            k++;
        if (k == 7) {
            snprintf(err, errlen,
                     "-smp: unknown option '%s' (cpus, sockets, cores, threads, "
                     "maxcpus)",
                     kv.key);
            return false;
        }
        if (!parse_uint(kv.value, UINT32_MAX, &val[k]) || val[k] == 0) {
            snprintf(err, errlen, "invalid -smp value '%s'", v);
            return false;
        }
    }
    unsigned long long cpus = val[0], sockets = val[1], cores = val[2], threads = val[3];
    unsigned long long maxcpus = val[4];
    if ((val[5] && val[5] != 1) || (val[6] && val[6] != 1)) {
        snprintf(err, errlen, "-smp %s: the virt board has one die and one cluster", v);
        return false;
    }
    if (!sockets)
        sockets = 1;
    if (!threads)
        threads = 1;
    if (!cores) {
        unsigned long long want = maxcpus ? maxcpus : cpus ? cpus : 1;
        cores = want / (sockets * threads) ? want / (sockets * threads) : 1;
    }
    unsigned long long product = sockets * cores * threads;
    if (!maxcpus)
        maxcpus = cpus ? cpus : product;
    if (!cpus)
        cpus = maxcpus;
    if (product != maxcpus) {
        snprintf(err, errlen,
                 "-smp %s: sockets (%llu) * cores (%llu) * threads (%llu) != maxcpus (%llu)", v,
                 sockets, cores, threads, maxcpus);
        return false;
    }
    if (cpus != maxcpus) {
        snprintf(err, errlen, "-smp %s: ember has no hart hotplug (cpus must be maxcpus)", v);
        return false;
    }
    if (sockets != 1) {
        snprintf(err, errlen, "-smp %s: ember's virt board has one socket", v);
        return false;
    }
    if (cpus > EMBER_MAX_HARTS) {
        snprintf(err, errlen, "-smp %s: at most %d harts", v, EMBER_MAX_HARTS);
        return false;
    }
    o->smp = (unsigned)cpus;
    return true;
}

/* Options whose value is kept as given, checked where it is used. */
#define STRING_OPTION(fn, member)                                                                  \
    static bool fn(EmberOptions *o, const char *v, char *err, size_t errlen)                       \
    {                                                                                              \
        (void)err;                                                                                 \
        (void)errlen;                                                                              \
        o->member = v;                                                                             \
        return true;                                                                               \
    }
STRING_OPTION(opt_bios, bios)
STRING_OPTION(opt_kernel, kernel)
STRING_OPTION(opt_initrd, initrd)
STRING_OPTION(opt_dtb, dtb)
STRING_OPTION(opt_append, append)
STRING_OPTION(opt_serial, serial)
STRING_OPTION(opt_log_file, log_path)

/* Flags: value is NULL. */
#define FLAG_OPTION(fn, member)                                                                    \
    static bool fn(EmberOptions *o, const char *v, char *err, size_t errlen)                       \
    {                                                                                              \
        (void)v;                                                                                   \
        (void)err;                                                                                 \
        (void)errlen;                                                                              \
        o->member = true;                                                                          \
        return true;                                                                               \
    }
FLAG_OPTION(opt_start_stopped, start_stopped)
STRING_OPTION(opt_gdb, gdb)
STRING_OPTION(opt_incoming, incoming)
STRING_OPTION(opt_loadvm, loadvm)

static MonitorOption *new_monitor(EmberOptions *o, const char *option, char *err, size_t errlen)
{
    if (o->nmonitors == EMBER_MAX_MONITORS) {
        snprintf(err, errlen, "%s: at most %d monitors", option, EMBER_MAX_MONITORS);
        return NULL;
    }
    MonitorOption *mon = &o->monitors[o->nmonitors++];
    *mon = (MonitorOption){0};
    return mon;
}

static bool opt_qmp(EmberOptions *o, const char *v, char *err, size_t errlen)
{
    MonitorOption *mon = new_monitor(o, "-qmp", err, errlen);
    if (mon)
        *mon = (MonitorOption){.spec = v, .control = true};
    return mon != NULL;
}

/* -monitor none ends the default monitor; vc is a display's text console,
 * which ember's display does not have, so it is none too (with a warning). */
static bool opt_monitor(EmberOptions *o, const char *v, char *err, size_t errlen)
{
    o->no_default_monitor = true;
    if (strcmp(v, "none") == 0 || strcmp(v, "vc") == 0 || strncmp(v, "vc:", 3) == 0) {
        if (strcmp(v, "none") != 0)
            fprintf(stderr,
                    "ember: warning: -monitor %s: ember's display has no text consoles, so no "
                    "monitor there (use stdio, tcp: or unix:)\n",
                    v);
        return true;
    }
    MonitorOption *mon = new_monitor(o, "-monitor", err, errlen);
    if (mon)
        *mon = (MonitorOption){.spec = v};
    return mon != NULL;
}

/* -mon chardev=ID[,mode=readline|control][,pretty=on|off] */
static bool opt_mon(EmberOptions *o, const char *v, char *err, size_t errlen)
{
    MonitorOption mon = {0};
    KeyVal kv;
    *err = '\0';
    for (const char *p = v; *p;) {
        if (!keyval_next(&p, p == v, "chardev", &kv, "-mon", err, errlen))
            return false;
        bool pretty;
        if (strcmp(kv.key, "chardev") == 0 && kv.value[0] &&
            strlen(kv.value) < sizeof(mon.chardev)) {
            memcpy(mon.chardev, kv.value, strlen(kv.value) + 1);
        } else if (strcmp(kv.key, "mode") == 0 && strcmp(kv.value, "readline") == 0) {
            mon.control = false;
        } else if (strcmp(kv.key, "mode") == 0 && strcmp(kv.value, "control") == 0) {
            mon.control = true;
        } else if (strcmp(kv.key, "pretty") == 0 && keyval_bool(kv.value, &pretty) && !pretty) {
            continue;
        } else {
            snprintf(err, errlen, "-mon: bad option '%s=%s' (chardev=ID, mode=readline|control)",
                     kv.key, kv.value);
            return false;
        }
    }
    if (!mon.chardev[0]) {
        snprintf(err, errlen, "-mon %s: needs chardev=ID", v);
        return false;
    }
    MonitorOption *slot = new_monitor(o, "-mon", err, errlen);
    if (slot)
        *slot = mon;
    return slot != NULL;
}

static bool opt_gdb_default(EmberOptions *o, const char *v, char *err, size_t errlen)
{
    (void)v;
    return opt_gdb(o, "tcp::1234", err, errlen);
}
FLAG_OPTION(opt_help, show_help)
FLAG_OPTION(opt_version, show_version)

/* -display sdl[,full-screen=on|off][,window-close=on|off] | none */
static bool opt_display(EmberOptions *o, const char *v, char *err, size_t errlen)
{
    KeyVal kv;
    *err = '\0';
    for (const char *p = v; *p;) {
        bool first = p == v, on;
        if (!keyval_next(&p, first, "type", &kv, "-display", err, errlen))
            return false;
        if (first && strcmp(kv.value, "none") == 0) {
            o->display.kind = DISPLAY_NONE;
        } else if (first && strcmp(kv.value, "sdl") == 0) {
            o->display.kind = DISPLAY_SDL;
        } else if (first) {
            snprintf(err, errlen, "-display %s: ember has the displays 'sdl' and 'none'", kv.value);
            return false;
        } else if (o->display.kind == DISPLAY_SDL && strcmp(kv.key, "full-screen") == 0 &&
                   keyval_bool(kv.value, &on)) {
            o->display.full_screen = on;
        } else if (o->display.kind == DISPLAY_SDL && strcmp(kv.key, "window-close") == 0 &&
                   keyval_bool(kv.value, &on)) {
            o->display.no_window_close = !on;
        } else {
            snprintf(err, errlen,
                     "-display: bad option '%s=%s' (sdl takes full-screen=on|off and "
                     "window-close=on|off)",
                     kv.key, kv.value);
            return false;
        }
    }
    return true;
}

static bool opt_full_screen(EmberOptions *o, const char *v, char *err, size_t errlen)
{
    (void)v;
    (void)err;
    (void)errlen;
    o->display.full_screen = true;
    return true;
}

/* -nographic: no display, the console and monitor on stdio. */
static bool opt_nographic(EmberOptions *o, const char *v, char *err, size_t errlen)
{
    (void)v;
    (void)err;
    (void)errlen;
    o->nographic = true;
    o->display.kind = DISPLAY_NONE;
    return true;
}

static bool opt_log(EmberOptions *o, const char *v, char *err, size_t errlen)
{
    bool help;
    if (!log_parse_categories(v, &o->log_mask, &help, err, errlen))
        return false;
    o->show_log_help |= help;
    return true;
}

/* One row per option: its spellings, whether it takes an argument, its
 * handler and its help line. */
struct option_desc {
    const char *name;
    const char *alias;
    bool takes_value;
    bool (*handler)(EmberOptions *opts, const char *value, char *err, size_t errlen);
    const char *help;
};

static const struct option_desc option_table[] = {
    {"-M", "-machine", true, parse_machine,
     "-M virt[,dumpdtb=FILE]  select the board (only virt); dumpdtb writes its device tree"},
    {"-m", NULL, true, opt_ram, "-m SIZE          guest RAM (default 128M; suffixes K, M, G)"},
    {"-cpu", NULL, true, opt_cpu,
     "-cpu rv64|max[,EXT=on|off...]  the harts' extensions (-cpu help lists them)"},
    {"-smp", NULL, true, opt_smp,
     "-smp [cpus=]N[,cores=C][,threads=T][,maxcpus=N]  number of harts (1 to 8)"},
    {"-bios", NULL, true, opt_bios, "-bios FILE|none  M-mode firmware (ELF or raw image)"},
    {"-kernel", NULL, true, opt_kernel,
     "-kernel FILE     kernel or bare-metal program (ELF or raw)"},
    {"-initrd", NULL, true, opt_initrd, "-initrd FILE     initial ram disk"},
    {"-append", NULL, true, opt_append, "-append STRING   kernel command line"},
    {"-dtb", NULL, true, opt_dtb, "-dtb FILE        use FILE as the device tree"},
    {"-nographic", NULL, false, opt_nographic,
     "-nographic       no display; serial console on stdio"},
    {"-serial", NULL, true, opt_serial,
     "-serial DEV      mon:stdio|stdio|null|file:PATH|tcp:HOST:PORT,server[,nowait]|unix:PATH..."},
    {"-drive", NULL, true, parse_drive,
     "-drive file=PATH[,format=raw|qcow2][,if=virtio|none][,readonly=on][,snapshot=on][,id=ID]\n"
     "                   a disk image"},
    {"-snapshot", NULL, false, opt_snapshot,
     "-snapshot        write to temporary overlays: the disk images stay as they are"},
    {"-device", NULL, true, add_device,
     "-device DEV[,PROP=VALUE...]  add a device (-device help lists them,\n"
     "                   -device DEV,help its properties)"},
    {"-chardev", NULL, true, parse_chardev,
     "-chardev stdio|null,id=ID | file,id=ID,path=P | "
     "socket,id=ID,host=H,port=P|path=P[,server=on][,wait=off][,mux=on]"},
    {"-netdev", NULL, true, opt_netdev,
     "-netdev user,id=ID[,net=A/M][,host=A][,dhcpstart=A][,dns=A][,hostfwd=RULE...]\n"
     "                   [,restrict=on][,hostname=H] | socket,id=ID,listen=[H]:P|connect=H:P\n"
     "                   | hubport,id=ID,hubid=N[,netdev=ND]   a network backend"},
    {"-nic", NULL, true, opt_nic,
     "-nic user|socket|hubport[,model=virtio-net-device][,mac=M][,...]  a netdev and its NIC"},
    {"-object", NULL, true, opt_object,
     "-object filter-dump,id=ID,netdev=ND,file=PATH[,maxlen=N]  a pcap of a netdev's traffic"},
    {"-s", NULL, false, opt_gdb_default, "-s               shorthand for -gdb tcp::1234"},
    {"-S", NULL, false, opt_start_stopped,
     "-S               do not start the CPU until a debugger says continue"},
    {"-gdb", NULL, true, opt_gdb,
     "-gdb DEV         gdbstub on tcp:[HOST]:PORT (no HOST: loopback only) or unix:PATH"},
    {"-incoming", NULL, true, opt_incoming,
     "-incoming tcp:[HOST]:PORT|exec:CMD|file:PATH|defer  wait for a migration's state"},
    {"-loadvm", NULL, true, opt_loadvm, "-loadvm TAG      start from snapshot TAG (savevm's)"},
    {"-qmp", NULL, true, opt_qmp,
     "-qmp DEV         QMP on tcp:[HOST]:PORT,server,wait=off or unix:PATH,server,wait=off"},
    {"-monitor", NULL, true, opt_monitor,
     "-monitor DEV     the human monitor on stdio, none, tcp:... or unix:... (as -serial;\n"
     "                   default: on the console, Ctrl-A c switches)"},
    {"-mon", NULL, true, opt_mon,
     "-mon chardev=ID[,mode=readline|control]  a monitor on a -chardev"},
    {"-display", NULL, true, opt_display,
     "-display sdl[,full-screen=on|off][,window-close=on|off] | none\n"
     "                   the guest's screen in a window, or nowhere (default: sdl when\n"
     "                   there is a display device and a graphical session)"},
    {"-full-screen", NULL, false, opt_full_screen, "-full-screen     start the window full screen"},
    {"-d", NULL, true, opt_log, "-d ITEM,...      enable logging of items (-d help lists them)"},
    {"-D", NULL, true, opt_log_file, "-D FILE          write the log to FILE instead of stderr"},
    {"-h", "--help", false, opt_help, "-h, --help       show this help"},
    {"-V", "--version", false, opt_version, "-V, --version    show the version"},
};

static const struct option_desc *find_option(const char *arg)
{
    /* QEMU accepts both -opt and --opt. */
    const char *name = arg;
    if (name[0] == '-' && name[1] == '-' && name[2] != '\0')
        name++;
    for (size_t i = 0; i < sizeof(option_table) / sizeof(option_table[0]); i++) {
        const struct option_desc *d = &option_table[i];
        if (strcmp(arg, d->name) == 0 || strcmp(name, d->name) == 0 ||
            (d->alias && (strcmp(arg, d->alias) == 0 || strcmp(name, d->alias) == 0)))
            return d;
    }
    return NULL;
}

bool options_parse(int argc, char **argv, EmberOptions *opts, char *err, size_t errlen)
{
    *opts = (EmberOptions){.machine = "virt", .ram_size = EMBER_DEFAULT_RAM_SIZE, .smp = 1};
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        const struct option_desc *d = arg[0] == '-' ? find_option(arg) : NULL;
        if (!d) {
            snprintf(err, errlen, "unknown option '%s' (try -h)", arg);
            return false;
        }
        const char *value = NULL;
        if (d->takes_value) {
            if (i + 1 >= argc) {
                snprintf(err, errlen, "option '%s' needs an argument", arg);
                return false;
            }
            value = argv[++i];
        }
        if (!d->handler(opts, value, err, errlen))
            return false;
    }
    return true;
}

void options_print_help(const char *argv0)
{
    printf("usage: %s [options]\n\nember %s: an interpreting RISC-V full-system emulator\n\n",
           argv0, EMBER_VERSION);
    for (size_t i = 0; i < sizeof(option_table) / sizeof(option_table[0]); i++)
        printf("  %s\n", option_table[i].help);
}
