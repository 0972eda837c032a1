/* monitor/net.c: the network's commands: info network, set_link,
 * hostfwd_add and hostfwd_remove, info usernet, with QEMU's arguments,
 * texts and errors. */
#include "monitor/monitor_internal.h"
#include "net/netdev.h"

static void cmd_info_network(MonitorCall *c)
{
    netdev_info(c->out);
}

static void cmd_info_usernet(MonitorCall *c)
{
    netdev_usernet_info(c->out);
}

static void cmd_set_link(MonitorCall *c)
{
    const char *name = arg_str(c, "name");
    NetClient *nc = net_client_find(name);
    if (!nc) {
        monitor_error(c, "DeviceNotFound", "Device '%s' not found", name);
        return;
    }
    net_set_link(nc, arg_bool(c, "up"));
}

/* hostfwd_add [netdev_id] rule: with one argument, it is the rule. */
static void split_hostfwd_args(MonitorCall *c, const char **id, const char **rule)
{
    *rule = arg_str(c, "arg2");
    *id = *rule ? arg_str(c, "arg1") : NULL;
    if (!*rule)
        *rule = arg_str(c, "arg1");
}

static void cmd_hostfwd_add(MonitorCall *c)
{
    const char *id, *rule;
    split_hostfwd_args(c, &id, &rule);
    char err[400];
    if (!netdev_hostfwd_add(id, rule, err, sizeof(err)))
        strbuf_printf(c->out, "%s\n", err);
}

static void cmd_hostfwd_remove(MonitorCall *c)
{
    const char *id, *rule;
    split_hostfwd_args(c, &id, &rule);
    char text[400];
    netdev_hostfwd_remove(id, rule, text, sizeof(text));
    strbuf_printf(c->out, "%s\n", text);
}

const MonitorCommand monitor_net_commands[] = {
    {NULL, "info network", "", NULL, "", "show the network state", cmd_info_network, NULL},
    {NULL, "info usernet", "", NULL, "", "show user network stack connection states",
     cmd_info_usernet, NULL},
    {"set_link", "set_link", "name:s,up:b", NULL, "name on|off",
     "change the link status of a network adapter", cmd_set_link, NULL},
    {NULL, "hostfwd_add", "arg1:s,arg2:s?", NULL,
     "[netdev_id] [tcp|udp]:[hostaddr]:hostport-[guestaddr]:guestport",
     "redirect TCP or UDP connections from host to guest (requires -net user)", cmd_hostfwd_add,
     NULL},
    {NULL, "hostfwd_remove", "arg1:s,arg2:s?", NULL, "[netdev_id] [tcp|udp]:[hostaddr]:hostport",
     "remove host-to-guest TCP or UDP redirection", cmd_hostfwd_remove, NULL},
};

const size_t monitor_n_net_commands =
    sizeof(monitor_net_commands) / sizeof(monitor_net_commands[0]);
