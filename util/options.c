/* util/options.c: the command line (QEMU's spellings) parsed into a machine
 * configuration. */
#include "util/options.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chardev/chardev.h"
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

/* Options that take an argument, and where the argument goes. */
enum option_kind { OPT_FLAG, OPT_STRING };

struct option_desc {
    const char *name;
    const char *alias;
    enum option_kind kind;
    const char *help;
};

static const struct option_desc option_table[] = {
    {"-M", "-machine", OPT_STRING,
     "-M virt[,dumpdtb=FILE]  select the board (only virt); dumpdtb writes its device tree"},
    {"-m", NULL, OPT_STRING, "-m SIZE          guest RAM (default 128M; suffixes K, M, G)"},
    {"-smp", NULL, OPT_STRING, "-smp N           number of harts (only 1 for now)"},
    {"-bios", NULL, OPT_STRING, "-bios FILE|none  M-mode firmware (ELF or raw image)"},
    {"-kernel", NULL, OPT_STRING, "-kernel FILE     kernel or bare-metal program (ELF or raw)"},
    {"-initrd", NULL, OPT_STRING, "-initrd FILE     initial ram disk"},
    {"-append", NULL, OPT_STRING, "-append STRING   kernel command line"},
    {"-dtb", NULL, OPT_STRING, "-dtb FILE        use FILE as the device tree"},
    {"-nographic", NULL, OPT_FLAG, "-nographic       no display; serial console on stdio"},
    {"-serial", NULL, OPT_STRING,
     "-serial DEV      stdio|null|file:PATH|tcp:HOST:PORT,server[,nowait]"},
    {"-drive", NULL, OPT_STRING,
     "-drive file=PATH[,format=raw][,if=virtio|none][,readonly=on][,id=ID]  a disk image"},
    {"-device", NULL, OPT_STRING,
     "-device DEV      virtio-blk-device,drive=ID | virtio-rng-device | virtconsole[,chardev=ID]\n"
     "                   (virtio-serial-device + virtconsole,chardev=ID also work: one port)"},
    {"-chardev", NULL, OPT_STRING,
     "-chardev stdio|null,id=ID | file,id=ID,path=P | "
     "socket,id=ID,host=H,port=P[,server=on][,wait=off]"},
    {"-display", NULL, OPT_STRING, "-display none    no display (the only one for now)"},
    {"-d", NULL, OPT_STRING, "-d ITEM,...      enable logging of items (-d help lists them)"},
    {"-D", NULL, OPT_STRING, "-D FILE          write the log to FILE instead of stderr"},
    {"-h", "--help", OPT_FLAG, "-h, --help       show this help"},
    {"-V", "--version", OPT_FLAG, "-V, --version    show the version"},
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

/* One item of QEMU's KEY=VALUE,... lists. ",," is a comma inside a value;
 * a first item without '=' is the value of the implied key (the device or
 * backend name); a later one is a flag, KEY=on. */
typedef struct KvItem {
    char key[32];
    char value[EMBER_OPTION_TEXT];
} KvItem;

static bool kv_next(const char **cursor, bool first, const char *implied, KvItem *item,
                    const char *option, char *err, size_t errlen)
{
    char text[EMBER_OPTION_TEXT + 32];
    size_t n = 0;
    const char *p = *cursor;
    for (; *p; p++) {
        if (*p == ',') {
            if (p[1] != ',')
                break;
            p++;
        }
        if (n + 1 >= sizeof(text)) {
            snprintf(err, errlen, "%s: item too long", option);
            return false;
        }
        text[n++] = *p;
    }
    text[n] = '\0';
    *cursor = *p == ',' ? p + 1 : p;
    char *eq = strchr(text, '=');
    const char *key = text, *value = "on";
    if (eq) {
        *eq = '\0';
        value = eq + 1;
    } else if (first && implied) {
        key = implied;
        value = text;
    }
    if (strlen(key) >= sizeof(item->key) || *key == '\0') {
        snprintf(err, errlen, "%s: bad item '%s'", option, text);
        return false;
    }
    if (strlen(value) >= sizeof(item->value)) {
        snprintf(err, errlen, "%s: value of %s too long", option, key);
        return false;
    }
    strcpy(item->key, key);
    strcpy(item->value, value);
    return true;
}

static bool parse_bool(const char *text, bool *out)
{
    static const char *const yes[] = {"on", "yes", "true"}, *const no[] = {"off", "no", "false"};
    for (int i = 0; i < 3; i++) {
        if (strcmp(text, yes[i]) == 0)
            return (*out = true);
        if (strcmp(text, no[i]) == 0)
            return !(*out = false);
    }
    return false;
}

static bool set_id(char *dst, size_t size, const char *value, const char *option, char *err,
                   size_t errlen)
{
    if (*value == '\0' || strlen(value) >= size || strpbrk(value, " ,=")) {
        snprintf(err, errlen, "%s: invalid id '%s'", option, value);
        return false;
    }
    strcpy(dst, value);
    return true;
}

static DeviceOption *add_device(EmberOptions *opts, DeviceKind kind, char *err, size_t errlen)
{
    if (opts->ndevices == EMBER_MAX_DEVICES) {
        snprintf(err, errlen, "too many virtio devices: the virt board has %d virtio-mmio slots",
                 EMBER_MAX_DEVICES);
        return NULL;
    }
    DeviceOption *d = &opts->devices[opts->ndevices++];
    *d = (DeviceOption){.kind = kind, .drive = -1, .chardev = -1};
    return d;
}

/* A port that joins its virtio-serial-device shares that device's entry:
 * its id is checked against all others but kept only if the device had
 * none. */
static bool add_device_id(EmberOptions *opts, DeviceOption *dev, const char *id, const char *spec,
                          char *err, size_t errlen)
{
    char checked[sizeof(dev->id)];
    if (!set_id(checked, sizeof(checked), id, "-device", err, errlen))
        return false;
    for (unsigned i = 0; i < opts->ndevices; i++) {
        if (strcmp(opts->devices[i].id, checked) == 0) {
            snprintf(err, errlen, "-device %s: Duplicate ID '%s' for device", spec, checked);
            return false;
        }
    }
    if (dev->id[0] == '\0')
        strcpy(dev->id, checked);
    return true;
}

static bool parse_drive(EmberOptions *opts, const char *value, char *err, size_t errlen)
{
    if (opts->ndrives == EMBER_MAX_DRIVES) {
        snprintf(err, errlen, "-drive: at most %d drives", EMBER_MAX_DRIVES);
        return false;
    }
    DriveOption d = {0};
    KvItem kv;
    for (const char *p = value; *p;) {
        if (!kv_next(&p, false, NULL, &kv, "-drive", err, errlen))
            return false;
        if (strcmp(kv.key, "file") == 0) {
            snprintf(d.file, sizeof(d.file), "%s", kv.value);
        } else if (strcmp(kv.key, "format") == 0) {
            if (strcmp(kv.value, "raw") != 0) {
                snprintf(err, errlen, "-drive: format '%s' is not supported yet (only raw)",
                         kv.value);
                return false;
            }
            strcpy(d.format, "raw");
        } else if (strcmp(kv.key, "if") == 0) {
            if (strcmp(kv.value, "none") != 0 && strcmp(kv.value, "virtio") != 0) {
                snprintf(err, errlen, "-drive: if=%s is not supported (virtio or none)", kv.value);
                return false;
            }
            d.if_none = strcmp(kv.value, "none") == 0;
        } else if (strcmp(kv.key, "readonly") == 0) {
            if (!parse_bool(kv.value, &d.readonly)) {
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
    if (!d.if_none) {
        DeviceOption *dev = add_device(opts, DEVICE_VIRTIO_BLK, err, errlen);
        if (!dev)
            return false;
        dev->drive = (int)opts->ndrives;
        d.used = true;
    }
    opts->drives[opts->ndrives++] = d;
    return true;
}

static bool parse_device(EmberOptions *opts, const char *value, char *err, size_t errlen)
{
    KvItem kv;
    const char *p = value;
    if (!kv_next(&p, true, "driver", &kv, "-device", err, errlen))
        return false;
    char name[sizeof(kv.value)];
    strcpy(name, kv.value);
    DeviceOption *dev;
    if (strcmp(name, "virtconsole") == 0 && opts->ndevices > 0 &&
        opts->devices[opts->ndevices - 1].awaits_port) {
        /* The port of the virtio-serial-device just given. */
        dev = &opts->devices[opts->ndevices - 1];
        dev->awaits_port = false;
    } else if (strcmp(name, "virtio-blk-device") == 0) {
        dev = add_device(opts, DEVICE_VIRTIO_BLK, err, errlen);
    } else if (strcmp(name, "virtio-rng-device") == 0) {
        dev = add_device(opts, DEVICE_VIRTIO_RNG, err, errlen);
    } else if (strcmp(name, "virtconsole") == 0 || strcmp(name, "virtio-serial-device") == 0) {
        dev = add_device(opts, DEVICE_VIRTIO_CONSOLE, err, errlen);
    } else {
        snprintf(err, errlen,
                 "-device: unknown device '%s' (ember has virtio-blk-device, "
                 "virtio-rng-device, virtio-serial-device and virtconsole)",
                 name);
        return false;
    }
    if (!dev)
        return false;
    if (strcmp(name, "virtio-serial-device") == 0)
        dev->awaits_port = true;
    bool is_blk = dev->kind == DEVICE_VIRTIO_BLK, is_port = strcmp(name, "virtconsole") == 0;
    while (*p) {
        if (!kv_next(&p, false, NULL, &kv, "-device", err, errlen))
            return false;
        if ((is_blk && strcmp(kv.key, "drive") == 0) ||
            (is_port && strcmp(kv.key, "chardev") == 0)) {
            if (!set_id(dev->ref, sizeof(dev->ref), kv.value, "-device", err, errlen))
                return false;
        } else if (strcmp(kv.key, "id") == 0) {
            /* QEMU takes id= on every device, and scripts name theirs. */
            if (!add_device_id(opts, dev, kv.value, value, err, errlen))
                return false;
        } else {
            snprintf(err, errlen, "-device %s: unknown option '%s'", name, kv.key);
            return false;
        }
    }
    if (is_blk && dev->ref[0] == '\0') {
        snprintf(err, errlen, "-device virtio-blk-device: needs drive=ID (of a -drive if=none)");
        return false;
    }
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
    KvItem kv;
    for (const char *p = value; *p;) {
        bool first = p == value;
        if (!kv_next(&p, first, "backend", &kv, "-chardev", err, errlen))
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
            ok = parse_bool(kv.value, &server);
        else if (strcmp(kv.key, "wait") == 0)
            ok = parse_bool(kv.value, &wait);
        else if (strcmp(kv.key, "nowait") == 0)
            wait = false;
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
    } else if (strcmp(backend, "socket") == 0 && port[0]) {
        snprintf(c.spec, sizeof(c.spec), "tcp:%s:%s%s%s", host, port, server ? ",server" : "",
                 server && !wait ? ",nowait" : "");
    } else {
        snprintf(err, errlen,
                 "-chardev %s: use stdio, null, file with path=, or socket with port=", value);
        return false;
    }
    ChardevSpec spec;
    if (!chardev_parse_spec(c.spec, &spec, err, errlen))
        return false;
    for (unsigned i = 0; i < opts->nchardevs; i++) {
        if (strcmp(opts->chardevs[i].id, c.id) == 0) {
            snprintf(err, errlen, "-chardev: duplicate id '%s'", c.id);
            return false;
        }
    }
    opts->chardevs[opts->nchardevs++] = c;
    return true;
}

/* After the whole command line: -device drive= and chardev= name ids that
 * may be given later (QEMU does not care about the order either). */
static bool resolve_devices(EmberOptions *opts, char *err, size_t errlen)
{
    for (unsigned i = 0; i < opts->ndevices; i++) {
        DeviceOption *dev = &opts->devices[i];
        if (dev->ref[0] == '\0' || dev->drive >= 0)
            continue;
        if (dev->kind == DEVICE_VIRTIO_BLK) {
            for (unsigned j = 0; j < opts->ndrives && dev->drive < 0; j++)
                if (strcmp(opts->drives[j].id, dev->ref) == 0)
                    dev->drive = (int)j;
            if (dev->drive < 0) {
                snprintf(err, errlen, "-device virtio-blk-device: no -drive with id=%s", dev->ref);
                return false;
            }
            if (opts->drives[dev->drive].used) {
                snprintf(err, errlen, "-device virtio-blk-device: drive '%s' is already in use%s",
                         dev->ref, opts->drives[dev->drive].if_none ? "" : " (give it if=none)");
                return false;
            }
            opts->drives[dev->drive].used = true;
        } else {
            for (unsigned j = 0; j < opts->nchardevs && dev->chardev < 0; j++)
                if (strcmp(opts->chardevs[j].id, dev->ref) == 0)
                    dev->chardev = (int)j;
            if (dev->chardev < 0) {
                snprintf(err, errlen, "-device virtconsole: no -chardev with id=%s", dev->ref);
                return false;
            }
            for (unsigned j = 0; j < i; j++) {
                if (opts->devices[j].kind == DEVICE_VIRTIO_CONSOLE &&
                    opts->devices[j].chardev == dev->chardev) {
                    snprintf(err, errlen, "-device virtconsole: chardev '%s' is already in use",
                             dev->ref);
                    return false;
                }
            }
        }
    }
    return true;
}

static bool apply_option(EmberOptions *opts, const char *name, const char *value, char *err,
                         size_t errlen)
{
    if (strcmp(name, "-M") == 0) {
        return parse_machine(opts, value, err, errlen);
    } else if (strcmp(name, "-m") == 0) {
        const char *size = value;
        if (strncmp(size, "size=", 5) == 0)
            size += 5;
        uint64_t bytes;
        if (!parse_size(size, &bytes)) {
            snprintf(err, errlen, "invalid RAM size '%s' for -m", value);
            return false;
        }
        if (bytes < (16ull << 20) || bytes > EMBER_MAX_RAM_SIZE || (bytes & 0xfff)) {
            snprintf(err, errlen, "RAM size '%s' out of range (16M to %lluG, page multiple)", value,
                     (unsigned long long)(EMBER_MAX_RAM_SIZE >> 30));
            return false;
        }
        opts->ram_size = bytes;
    } else if (strcmp(name, "-smp") == 0) {
        const char *count = value;
        if (strncmp(count, "cpus=", 5) == 0)
            count += 5;
        unsigned long long n;
        if (!parse_uint(count, UINT32_MAX, &n) || n == 0) {
            snprintf(err, errlen, "invalid -smp value '%s'", value);
            return false;
        }
        if (n != 1) {
            snprintf(err, errlen, "-smp %llu: only 1 hart is supported for now", n);
            return false;
        }
        opts->smp = (unsigned)n;
    } else if (strcmp(name, "-bios") == 0) {
        opts->bios = value;
    } else if (strcmp(name, "-kernel") == 0) {
        opts->kernel = value;
    } else if (strcmp(name, "-initrd") == 0) {
        opts->initrd = value;
    } else if (strcmp(name, "-dtb") == 0) {
        opts->dtb = value;
    } else if (strcmp(name, "-append") == 0) {
        opts->append = value;
    } else if (strcmp(name, "-serial") == 0) {
        ChardevSpec spec;
        if (!chardev_parse_spec(value, &spec, err, errlen))
            return false;
        opts->serial = value;
    } else if (strcmp(name, "-drive") == 0) {
        return parse_drive(opts, value, err, errlen);
    } else if (strcmp(name, "-device") == 0) {
        return parse_device(opts, value, err, errlen);
    } else if (strcmp(name, "-chardev") == 0) {
        return parse_chardev(opts, value, err, errlen);
    } else if (strcmp(name, "-display") == 0) {
        if (strcmp(value, "none") != 0) {
            snprintf(err, errlen, "-display %s: only 'none' is supported", value);
            return false;
        }
    } else if (strcmp(name, "-nographic") == 0) {
        opts->nographic = true;
    } else if (strcmp(name, "-d") == 0) {
        bool help;
        if (!log_parse_categories(value, &opts->log_mask, &help, err, errlen))
            return false;
        opts->show_log_help |= help;
    } else if (strcmp(name, "-D") == 0) {
        opts->log_path = value;
    } else if (strcmp(name, "-h") == 0) {
        opts->show_help = true;
    } else if (strcmp(name, "-V") == 0) {
        opts->show_version = true;
    }
    return true;
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
        if (d->kind == OPT_STRING) {
            if (i + 1 >= argc) {
                snprintf(err, errlen, "option '%s' needs an argument", arg);
                return false;
            }
            value = argv[++i];
        }
        if (!apply_option(opts, d->name, value, err, errlen))
            return false;
    }
    return resolve_devices(opts, err, errlen);
}

void options_print_help(const char *argv0)
{
    printf("usage: %s [options]\n\nember %s: an interpreting RISC-V full-system emulator\n\n",
           argv0, EMBER_VERSION);
    for (size_t i = 0; i < sizeof(option_table) / sizeof(option_table[0]); i++)
        printf("  %s\n", option_table[i].help);
}
