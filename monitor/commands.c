/* monitor/commands.c: the command table both monitors run, with QEMU's
 * names, arguments, replies and human output; and the commands that
 * control the machine or report on it as a whole. The inspection commands
 * (registers, memory, the address space, dumps) are in inspect.c. */
#define _GNU_SOURCE /* gettid */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "monitor/monitor_internal.h"

/* ---- Run state ---- */

static void cmd_nothing(MonitorCall *c)
{
    (void)c; /* qmp_capabilities: qmp.c negotiates */
}

static void cmd_query_status(MonitorCall *c)
{
    const MonitorTarget *t = &c->set->t;
    bool running = t->running(t->opaque);
    c->ret = json_pack("{s:s,s:b,s:b}", "status", t->run_state(t->opaque), "singlestep", 0,
                       "running", running);
}

/* QEMU's: "running", "paused", or "paused (postmigrate)" and the like. */
static void human_status(MonitorCall *c)
{
    const char *status = json_string_value(json_object_get(c->ret, "status"));
    if (strcmp(status, "running") == 0 || strcmp(status, "paused") == 0)
        strbuf_printf(c->out, "VM status: %s\n", status);
    else
        strbuf_printf(c->out, "VM status: paused (%s)\n", status);
}

static void cmd_query_version(MonitorCall *c)
{
    int major = 0, minor = 0, micro = 0;
    sscanf(EMBER_VERSION, "%d.%d.%d", &major, &minor, &micro);
    c->ret = json_pack("{s:{s:i,s:i,s:i},s:s}", "qemu", "major", major, "minor", minor, "micro",
                       micro, "package", EMBER_PACKAGE);
}

static void human_version(MonitorCall *c)
{
    strbuf_printf(c->out, "%s (%s)\n", EMBER_VERSION, EMBER_PACKAGE);
}

static void cmd_stop(MonitorCall *c)
{
    const MonitorTarget *t = &c->set->t;
    bool was_running = t->running(t->opaque);
    t->stop(t->opaque);
    /* As in QEMU, the event comes before the reply. */
    if (was_running)
        monitor_event(c->set, "STOP", NULL);
}

static void cmd_cont(MonitorCall *c)
{
    const MonitorTarget *t = &c->set->t;
    bool was_running = t->running(t->opaque);
    char err[400];
    if (!t->cont(t->opaque, err, sizeof(err))) {
        monitor_error(c, "GenericError", "%s", err);
        return;
    }
    if (!was_running && t->running(t->opaque))
        monitor_event(c->set, "RESUME", NULL);
}

static void cmd_system_reset(MonitorCall *c)
{
    const MonitorTarget *t = &c->set->t;
    t->reset(t->opaque);
    monitor_event(c->set, "RESET", "{\"guest\": false, \"reason\": \"host-qmp-system-reset\"}");
}

/* The virt board has no power button for a guest to hear, in QEMU as
 * here: the request is an event and nothing more. */
static void cmd_system_powerdown(MonitorCall *c)
{
    monitor_event(c->set, "POWERDOWN", NULL);
}

static void cmd_quit(MonitorCall *c)
{
    const MonitorTarget *t = &c->set->t;
    monitor_event(c->set, "SHUTDOWN", "{\"guest\": false, \"reason\": \"host-qmp-quit\"}");
    c->set->quitting = true;
    t->quit(t->opaque);
}

/* ---- Commands about commands ---- */

static void cmd_query_commands(MonitorCall *c)
{
    c->ret = json_array();
    const MonitorCommand *cmd;
    for (size_t i = 0; (cmd = monitor_command_at(i)) != NULL; i++)
        if (cmd->qmp_name)
            json_array_append_new(c->ret, json_pack("{s:s}", "name", cmd->qmp_name));
}

static void cmd_human_monitor_command(MonitorCall *c)
{
    long long cpu = arg_int(c, "cpu-index", 0);
    if (cpu < 0 || cpu >= (long long)c->set->t.n_harts) {
        monitor_error(c, "GenericError", "CPU %lld is not present", cpu);
        return;
    }
    /* cpu-index is the current hart for this line only, as QEMU's. */
    unsigned current = c->set->cpu;
    if (json_object_get(c->args, "cpu-index"))
        c->set->cpu = (unsigned)cpu;
    StrBuf out = STRBUF_INIT;
    hmp_run_line(c->set, arg_str(c, "command-line"), &out);
    if (json_object_get(c->args, "cpu-index"))
        c->set->cpu = current;
    /* A terminal's line ends, as QEMU's reply has them. */
    StrBuf crlf = STRBUF_INIT;
    for (const char *p = strbuf_text(&out); *p; p++) {
        if (*p == '\n')
            strbuf_append(&crlf, "\r", 1);
        strbuf_append(&crlf, p, 1);
    }
    c->ret = json_string(strbuf_text(&crlf));
    strbuf_free(&out);
    strbuf_free(&crlf);
}

static void cmd_help(MonitorCall *c)
{
    const char *name = arg_str(c, "name");
    size_t before = c->out->len;
    hmp_help(name, c->out);
    if (name && c->out->len == before)
        strbuf_printf(c->out, "unknown command: '%s'\n", name);
}

/* ---- The machine's parts ---- */

static void cmd_query_cpus_fast(MonitorCall *c)
{
    c->ret = json_array();
    for (unsigned i = 0; i < c->set->t.n_harts; i++) {
        char path[64];
        snprintf(path, sizeof(path), "/machine/soc0/harts[%u]", i);
        json_array_append_new(c->ret, json_pack("{s:i,s:s,s:I,s:{s:i},s:s}", "cpu-index", i,
                                                "qom-path", path, "thread-id", (json_int_t)gettid(),
                                                "props", "core-id", i, "target", "riscv64"));
    }
}

/* HMP's cpu N: the hart info registers, info mem, x and $REG mean. */
static void cmd_cpu(MonitorCall *c)
{
    long long index = arg_int(c, "index", 0);
    if (index < 0 || index >= (long long)c->set->t.n_harts) {
        monitor_error(c, "GenericError", "invalid CPU index");
        return;
    }
    c->set->cpu = (unsigned)index;
}

static void human_cpus(MonitorCall *c)
{
    size_t i;
    json_t *cpu;
    json_array_foreach(c->ret, i, cpu)
    {
        strbuf_printf(c->out, "%sCPU #%lld: thread_id=%lld\n", i == c->set->cpu ? "* " : "  ",
                      (long long)json_integer_value(json_object_get(cpu, "cpu-index")),
                      (long long)json_integer_value(json_object_get(cpu, "thread-id")));
    }
}

/* The device a drive is attached to, as QEMU's qdev path. */
static bool drive_qdev(const MonitorTarget *t, const char *id, char *path, size_t len)
{
    unsigned anon = 0;
    Device *dev;
    for (unsigned i = 0; (dev = t->device(t->opaque, i)) != NULL; i++) {
        const char *drive = NULL;
        for (unsigned k = 0; dev->type->props && dev->type->props[k].name; k++)
            if (dev->type->props[k].type == PROP_DRIVE)
                drive = device_prop(dev, dev->type->props[k].name);
        if (drive && strcmp(drive, id) == 0) {
            if (dev->id[0])
                snprintf(path, len, "/machine/peripheral/%s/virtio-backend", dev->id);
            else
                snprintf(path, len, "/machine/peripheral-anon/device[%u]/virtio-backend", anon);
            return true;
        }
        if (drive && !dev->id[0])
            anon++;
    }
    return false;
}

/* QEMU's ImageInfo of an image and, nested, its backing chain. */
static json_t *image_info(const BlockDevice *bd)
{
    struct stat st;
    json_int_t actual = fstat(bd->fd, &st) == 0 ? (json_int_t)st.st_blocks * 512 : 0;
    json_t *image =
        json_pack("{s:s,s:s,s:I,s:I,s:b}", "filename", bd->path, "format", block_format(bd),
                  "virtual-size", (json_int_t)bd->size, "actual-size", actual, "dirty-flag", 0);
    BlockImageInfo info;
    block_image_info(bd, &info);
    if (info.cluster_size)
        json_object_set_new(image, "cluster-size", json_integer((json_int_t)info.cluster_size));
    if (info.qcow2_version) {
        json_t *data =
            json_pack("{s:s,s:s,s:i}", "compat", info.qcow2_version == 3 ? "1.1" : "0.10",
                      "compression-type", "zlib", "refcount-bits", (int)info.refcount_bits);
        if (info.qcow2_version == 3) {
            json_object_set_new(data, "lazy-refcounts", json_boolean(info.lazy_refcounts));
            json_object_set_new(data, "corrupt", json_boolean(info.corrupt));
            json_object_set_new(data, "extended-l2", json_false());
        }
        json_object_set_new(image, "format-specific",
                            json_pack("{s:s,s:o}", "type", "qcow2", "data", data));
    }
    if (info.backing) {
        json_object_set_new(image, "backing-filename", json_string(info.backing_name));
        json_object_set_new(image, "full-backing-filename", json_string(info.backing->path));
        if (info.backing_format)
            json_object_set_new(image, "backing-filename-format", json_string(info.backing_format));
        json_object_set_new(image, "backing-image", image_info(info.backing));
    }
    return image;
}

static void cmd_query_block(MonitorCall *c)
{
    const MonitorTarget *t = &c->set->t;
    c->ret = json_array();
    BlockDevice *bd;
    bool readonly;
    const char *name;
    for (unsigned i = 0; (name = t->drive(t->opaque, i, &bd, &readonly)) != NULL; i++) {
        json_t *entry = json_pack("{s:s,s:b,s:b,s:s,s:s}", "device", name, "locked", 0, "removable",
                                  0, "type", "unknown", "io-status", "ok");
        char qdev[128], node[32];
        if (drive_qdev(t, name, qdev, sizeof(qdev)))
            json_object_set_new(entry, "qdev", json_string(qdev));
        if (bd) {
            snprintf(node, sizeof(node), "#block%u", i);
            BlockImageInfo info;
            block_image_info(bd, &info);
            /* QEMU's backing_file is the resolved name, not the header's. */
            const char *backing_file = info.backing ? info.backing->path : NULL;
            int depth = 0;
            for (const BlockDevice *b = info.backing; b; b = info.backing, depth++)
                block_image_info(b, &info);
            json_t *inserted = json_pack(
                "{s:s,s:s,s:b,s:s,s:b,s:i,s:s,s:i,s:i,s:i,s:i,s:i,s:i,s:i,s:{s:b,s:b,s:b},s:o}",
                "file", bd->path, "node-name", node, "ro", readonly, "drv", block_format(bd),
                "encrypted", 0, "backing_file_depth", depth, "detect_zeroes", "off", "bps", 0,
                "bps_rd", 0, "bps_wr", 0, "iops", 0, "iops_rd", 0, "iops_wr", 0, "write_threshold",
                0, "cache", "writeback", 1, "direct", 0, "no-flush", 0, "image", image_info(bd));
            if (backing_file)
                json_object_set_new(inserted, "backing_file", json_string(backing_file));
            json_object_set_new(entry, "inserted", inserted);
        }
        json_array_append_new(c->ret, entry);
    }
}

static void human_block(MonitorCall *c)
{
    size_t i;
    json_t *entry;
    json_array_foreach(c->ret, i, entry)
    {
        json_t *ins = json_object_get(entry, "inserted");
        const char *device = json_string_value(json_object_get(entry, "device"));
        if (i > 0)
            strbuf_printf(c->out, "\n");
        if (!ins) {
            strbuf_printf(c->out, "%s: [not inserted]\n", device);
            continue;
        }
        strbuf_printf(c->out, "%s (%s): %s (%s%s)\n", device,
                      json_string_value(json_object_get(ins, "node-name")),
                      json_string_value(json_object_get(ins, "file")),
                      json_string_value(json_object_get(ins, "drv")),
                      json_is_true(json_object_get(ins, "ro")) ? ", read-only" : "");
        json_t *qdev = json_object_get(entry, "qdev");
        if (qdev)
            strbuf_printf(c->out, "    Attached to:      %s\n", json_string_value(qdev));
        strbuf_printf(c->out, "    Cache mode:       writeback\n");
        json_t *backing = json_object_get(ins, "backing_file");
        if (backing)
            strbuf_printf(
                c->out, "    Backing file:     %s (chain depth: %lld)\n",
                json_string_value(backing),
                (long long)json_integer_value(json_object_get(ins, "backing_file_depth")));
    }
}

static void cmd_query_chardev(MonitorCall *c)
{
    const MonitorTarget *t = &c->set->t;
    c->ret = json_array();
    const char *label;
    Chardev *chr;
    for (unsigned i = 0; (chr = t->chardev(t->opaque, i, &label)) != NULL; i++) {
        char filename[400];
        chardev_describe(chr, filename, sizeof(filename));
        json_array_append_new(c->ret,
                              json_pack("{s:s,s:s,s:b}", "label", label, "filename", filename,
                                        "frontend-open", chardev_is_connected(chr)));
    }
}

static void human_chardev(MonitorCall *c)
{
    size_t i;
    json_t *entry;
    json_array_foreach(c->ret, i, entry)
    {
        strbuf_printf(c->out, "%s: filename=%s\n",
                      json_string_value(json_object_get(entry, "label")),
                      json_string_value(json_object_get(entry, "filename")));
    }
}

/* ---- The table ---- */

const MonitorCommand monitor_control_commands[] = {
    {"qmp_capabilities", NULL, "enable:s?", NULL, NULL, "negotiate QMP capabilities", cmd_nothing,
     NULL},
    {"query-commands", NULL, "", NULL, NULL, "list QMP commands", cmd_query_commands, NULL},
    {"human-monitor-command", NULL, "command-line:s,cpu-index:i?", NULL, NULL,
     "run a human monitor command", cmd_human_monitor_command, NULL},
    {NULL, "help", "name:S?", NULL, "[cmd]", "show the help", cmd_help, NULL},
    {"query-status", "info status", "", NULL, "", "show the current VM status (running|paused)",
     cmd_query_status, human_status},
    {"query-version", "info version", "", NULL, "", "show the version of ember", cmd_query_version,
     human_version},
    {"stop", "stop", "", NULL, "", "stop emulation", cmd_stop, NULL},
    {"cont", "cont", "", NULL, "", "resume emulation", cmd_cont, NULL},
    {NULL, "c", "", NULL, "", "resume emulation", cmd_cont, NULL},
    {"system_reset", "system_reset", "", NULL, "", "reset the system", cmd_system_reset, NULL},
    {"system_powerdown", "system_powerdown", "", NULL, "",
     "send system power down event (the virt board has no power button)", cmd_system_powerdown,
     NULL},
    {"quit", "quit", "", NULL, "", "quit the emulator", cmd_quit, NULL},
    {NULL, "q", "", NULL, "", "quit the emulator", cmd_quit, NULL},
    {NULL, "cpu", "index:i", NULL, "index", "set the default CPU", cmd_cpu, NULL},
    {"query-cpus-fast", "info cpus", "", NULL, "", "show infos for each CPU", cmd_query_cpus_fast,
     human_cpus},
    {"query-block", "info block", "", NULL, "", "show the block devices", cmd_query_block,
     human_block},
    {"query-chardev", "info chardev", "", NULL, "", "show the character devices", cmd_query_chardev,
     human_chardev},
};

const size_t monitor_n_control_commands =
    sizeof(monitor_control_commands) / sizeof(monitor_control_commands[0]);
