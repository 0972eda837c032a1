/* tests/unit/test_net.c: the network layer without a guest: delivery and
 * the bounded queue with hold-off (net/net.c), the hub, the socket netdev
 * linked to itself over loopback, user networking's options and hostfwd
 * rules, the pcap capture, info network's layout and set_link's rule. */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "net/netdev.h"
#include "tests/unit/harness.h"

static MainLoop loop;
static TimerList timers;
static NetdevContext ctx = {&loop, &timers};

/* A test NIC: takes frames while it has room, remembers them. */
typedef struct Sink {
    NetClient nc;
    unsigned room; /* frames it takes before it is full */
    unsigned got, ready_calls, link_calls;
    size_t last_len;
    uint8_t last[2048];
} Sink;

static bool sink_receive(NetClient *nc, const uint8_t *buf, size_t len)
{
    Sink *s = nc->opaque;
    if (!s->room)
        return false;
    s->room--;
    s->got++;
    s->last_len = len < sizeof(s->last) ? len : sizeof(s->last);
    memcpy(s->last, buf, s->last_len);
    return true;
}

static bool sink_can_receive(NetClient *nc)
{
    return ((Sink *)nc->opaque)->room > 0;
}

static void sink_peer_ready(NetClient *nc)
{
    ((Sink *)nc->opaque)->ready_calls++;
}

static void sink_link_changed(NetClient *nc)
{
    ((Sink *)nc->opaque)->link_calls++;
}

static void sink_describe(NetClient *nc, char *buf, size_t len)
{
    snprintf(buf, len, "index=0,type=nic,model=test,room=%u", ((Sink *)nc->opaque)->room);
}

static const NetClientOps sink_ops = {
    .type = "nic",
    .receive = sink_receive,
    .can_receive = sink_can_receive,
    .link_changed = sink_link_changed,
    .describe = sink_describe,
    .peer_ready = sink_peer_ready,
};

static void sink_init(Sink *s, const char *id, unsigned room)
{
    memset(s, 0, sizeof(*s));
    s->room = room;
    net_client_init(&s->nc, &sink_ops, id, s);
}

static void frame(uint8_t *buf, size_t len, uint8_t tag)
{
    for (size_t i = 0; i < len; i++)
        buf[i] = (uint8_t)(tag + i);
}

static void setup(void)
{
    net_set_vm_running(true);
    mainloop_init(&loop);
    timers = (TimerList){0};
}

static void teardown(void)
{
    while (net_client_next(NULL)) {
        NetClient *nc = net_client_next(NULL);
        if (nc->ops == &sink_ops)
            net_client_cleanup(nc);
        else
            netdev_close(nc);
    }
    mainloop_destroy(&loop);
}

START_TEST(test_queue_holds_frames_in_order)
{
    static Sink a, b; /* listed until teardown */
    sink_init(&a, "a", 100);
    sink_init(&b, "b", 1);
    ck_assert(net_connect(&a.nc, &b.nc));
    ck_assert(!net_connect(&a.nc, &b.nc));
    uint8_t buf[64];
    frame(buf, sizeof(buf), 1);
    net_send(&a.nc, buf, sizeof(buf));
    ck_assert_uint_eq(b.got, 1);
    /* b is full: frames wait for it, and a is told to hold off. */
    for (uint8_t i = 2; i < 6; i++) {
        frame(buf, sizeof(buf), i);
        net_send(&a.nc, buf, sizeof(buf));
    }
    ck_assert_uint_eq(b.got, 1);
    ck_assert_uint_eq(b.nc.queued, 4);
    ck_assert(!net_peer_can_receive(&a.nc));
    /* Room for two: two come, in order; still holding off. */
    b.room = 2;
    net_receiver_ready(&b.nc);
    ck_assert_uint_eq(b.got, 3);
    ck_assert_uint_eq(b.last[0], 3);
    ck_assert_uint_eq(a.ready_calls, 0);
    b.room = 10;
    net_receiver_ready(&b.nc);
    ck_assert_uint_eq(b.got, 5);
    ck_assert_uint_eq(b.last[0], 5);
    ck_assert_uint_eq(a.ready_calls, 1);
    ck_assert(net_peer_can_receive(&a.nc));
}
END_TEST

START_TEST(test_queue_is_bounded)
{
    static Sink a, b; /* listed until teardown */
    sink_init(&a, "a", 0);
    sink_init(&b, "b", 0);
    net_connect(&a.nc, &b.nc);
    uint8_t buf[60] = {0};
    for (unsigned i = 0; i < NET_QUEUE_MAX_FRAMES + 50; i++)
        net_send(&a.nc, buf, sizeof(buf));
    ck_assert_uint_eq(b.nc.queued, NET_QUEUE_MAX_FRAMES);
    /* Nonsense lengths never travel. */
    net_send(&b.nc, buf, 0);
    static uint8_t huge[NET_MAX_FRAME + 1];
    net_send(&b.nc, huge, sizeof(huge));
    ck_assert_uint_eq(a.nc.queued, 0);
}
END_TEST

/* A test NIC linked to a test backend: a sink whose type is not "nic",
 * which set_link and a stopped machine treat differently. */
static void nic_and_backend(Sink *nic, Sink *backend)
{
    static NetClientOps backend_ops;
    backend_ops = sink_ops;
    backend_ops.type = "user";
    sink_init(nic, "nic0", 10);
    sink_init(backend, "n0", 10);
    backend->nc.ops = &backend_ops;
    net_connect(&nic->nc, &backend->nc);
}

START_TEST(test_set_link_follows_qemu)
{
    static Sink nic, backend; /* listed until teardown */
    nic_and_backend(&nic, &backend);
    uint8_t buf[60] = {0};

    /* Down on the netdev: both ends down (its peer is a NIC), both told. */
    net_set_link(&backend.nc, false);
    ck_assert(nic.nc.link_down && backend.nc.link_down);
    ck_assert_uint_eq(nic.link_calls, 1);
    ck_assert_uint_eq(backend.link_calls, 1);
    net_send(&backend.nc, buf, sizeof(buf));
    net_send(&nic.nc, buf, sizeof(buf));
    ck_assert_uint_eq(nic.got + backend.got, 0);
    ck_assert_uint_eq(nic.nc.queued + backend.nc.queued, 0);
    net_set_link(&backend.nc, true);
    net_send(&backend.nc, buf, sizeof(buf));
    ck_assert_uint_eq(nic.got, 1);

    /* Down on the NIC: the backend keeps its own state, but is told. */
    net_set_link(&nic.nc, false);
    ck_assert(nic.nc.link_down && !backend.nc.link_down);
    ck_assert_uint_eq(backend.link_calls, 3);
    net_send(&backend.nc, buf, sizeof(buf));
    ck_assert_uint_eq(nic.got, 1);
}
END_TEST

START_TEST(test_stopped_machine_holds_nics)
{
    static Sink nic, backend; /* listed until teardown */
    nic_and_backend(&nic, &backend);
    uint8_t buf[60] = {0};
    net_set_vm_running(false);
    net_send(&backend.nc, buf, sizeof(buf));
    ck_assert_uint_eq(nic.got, 0);
    ck_assert(!net_peer_can_receive(&backend.nc));
    /* A backend draining while stopped does not wake the NIC's sending. */
    net_receiver_ready(&backend.nc);
    ck_assert_uint_eq(nic.ready_calls, 0);
    net_set_vm_running(true);
    ck_assert_uint_eq(nic.got, 1);
    ck_assert_uint_eq(backend.ready_calls, 1);
    ck_assert_uint_eq(nic.ready_calls, 1);
}
END_TEST

START_TEST(test_hub_forwards_and_holds_off)
{
    char err[256];
    NetClient *p[3];
    static Sink s[3]; /* listed until teardown */
    for (int i = 0; i < 3; i++) {
        char spec[64], id[8];
        snprintf(spec, sizeof(spec), "hubport,id=h%d,hubid=5", i);
        p[i] = netdev_open(spec, &ctx, err, sizeof(err));
        ck_assert_msg(p[i], "%s", err);
        snprintf(id, sizeof(id), "nic%d", i);
        sink_init(&s[i], id, 10);
        ck_assert(net_connect(&s[i].nc, p[i]));
    }
    uint8_t buf[100];
    frame(buf, sizeof(buf), 7);
    net_send(&s[0].nc, buf, sizeof(buf));
    ck_assert_uint_eq(s[0].got, 0);
    ck_assert_uint_eq(s[1].got, 1);
    ck_assert_uint_eq(s[2].got, 1);
    ck_assert_mem_eq(s[2].last, buf, sizeof(buf));

    /* One member full: the hub tells the senders to hold off, and says go
     * when it drains; nothing is lost. */
    s[2].room = 0;
    ck_assert(!net_peer_can_receive(&s[0].nc));
    net_send(&s[0].nc, buf, sizeof(buf));
    ck_assert_uint_eq(s[1].got + s[2].got, 2);
    s[2].room = 5;
    unsigned before = s[0].ready_calls;
    net_receiver_ready(&s[2].nc);
    ck_assert_uint_eq(s[1].got, 2);
    ck_assert_uint_eq(s[2].got, 2);
    ck_assert_uint_gt(s[0].ready_calls, before);
    ck_assert(net_peer_can_receive(&s[0].nc));

    /* A port joined to a netdev, and the layout of info network. */
    NetClient *user = netdev_open("user,id=u1", &ctx, err, sizeof(err));
    ck_assert_msg(user, "%s", err);
    ck_assert(netdev_open("hubport,id=h3,hubid=5,netdev=u1", &ctx, err, sizeof(err)));
    ck_assert(!netdev_open("hubport,id=h4,hubid=5,netdev=u1", &ctx, err, sizeof(err)));
    ck_assert_str_eq(err, "-netdev hubport,id=h4: netdev 'u1' is already in use");
    StrBuf out = STRBUF_INIT;
    netdev_info(&out);
    ck_assert_str_eq(strbuf_text(&out), "hub 5\n"
                                        " \\ h3: u1: index=0,type=user,net=10.0.2.0,restrict=off\n"
                                        " \\ h2: nic2: index=0,type=nic,model=test,room=4\n"
                                        " \\ h1: nic1: index=0,type=nic,model=test,room=8\n"
                                        " \\ h0: nic0: index=0,type=nic,model=test,room=10\n");
    strbuf_free(&out);
}
END_TEST

START_TEST(test_netdev_option_errors)
{
    static const struct {
        const char *spec, *error;
    } cases[] = {
        {"user", "-netdev user: Parameter 'id' is missing"},
        {"tap,id=t", "-netdev tap: Parameter 'type' expects a netdev backend type (user, "
                     "socket, hubport)"},
        {"user,id=u,bogus=1", "-netdev user,id=u: Invalid parameter 'bogus'"},
        {"user,id=u,net=10.0.2.0/33", "-netdev user,id=u: invalid net '10.0.2.0/33'"},
        {"user,id=u,net=10.0.2.0/255.0.255.0", "-netdev user,id=u: invalid net "
                                               "'10.0.2.0/255.0.255.0'"},
        {"user,id=u,dhcpstart=10.0.3.9", "-netdev user,id=u: dhcpstart 10.0.3.9 is not in the "
                                         "guest network 10.0.2.0"},
        {"user,id=u,hostfwd=tcp:1.2.3:80-:80", "Invalid host forwarding rule 'tcp:1.2.3:80-:80' "
                                               "(Bad host address)"},
        {"user,id=u,hostfwd=sctp::80-:80", "Invalid host forwarding rule 'sctp::80-:80' (Bad "
                                           "protocol name)"},
        {"user,id=u,hostfwd=tcp::80", "Invalid host forwarding rule 'tcp::80' (Bad host port "
                                      "separator)"},
        {"user,id=u,hostfwd=tcp::8x-:80", "Invalid host forwarding rule 'tcp::8x-:80' (Bad host "
                                          "port)"},
        {"user,id=u,hostfwd=tcp::80-:0", "Invalid host forwarding rule 'tcp::80-:0' (Bad guest "
                                         "port)"},
        {"user,id=u,ipv4=off,ipv6=off", "-netdev user,id=u: IPv4 and IPv6 cannot both be "
                                        "disabled"},
        {"socket,id=s", "-netdev socket,id=s: exactly one of listen= and connect= is needed"},
        {"socket,id=s,listen=:1,connect=:2", "-netdev socket,id=s: exactly one of listen= and "
                                             "connect= is needed"},
        {"socket,id=s,listen=nowhere", "-netdev socket,id=s: 'nowhere' is not [HOST]:PORT"},
        {"hubport,id=h", "-netdev hubport,id=h: Parameter 'hubid' is missing"},
        {"hubport,id=h,hubid=-1", "-netdev hubport,id=h: invalid hubid '-1'"},
        {"hubport,id=h,hubid=0,netdev=nope", "-netdev hubport,id=h: no -netdev 'nope' (other "
                                             "than a hubport) given before it"},
    };
    char err[256];
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        err[0] = '\0';
        ck_assert_msg(!netdev_open(cases[i].spec, &ctx, err, sizeof(err)), "%s", cases[i].spec);
        ck_assert_str_eq(err, cases[i].error);
        ck_assert_ptr_null(net_client_next(NULL)); /* nothing left behind */
    }
    ck_assert(netdev_open("user,id=dup", &ctx, err, sizeof(err)));
    ck_assert(!netdev_open("hubport,id=dup,hubid=1", &ctx, err, sizeof(err)));
    ck_assert_str_eq(err, "-netdev hubport: Duplicate ID 'dup' for netdev");
}
END_TEST

START_TEST(test_user_options_and_hostfwd)
{
    char err[256], done[256];
    NetClient *u = netdev_open("user,id=u,net=192.168.76.0/24,restrict=on,hostname=guest,"
                               "hostfwd=tcp::0-:22,hostfwd=udp:127.0.0.1:0-192.168.76.9:7",
                               &ctx, err, sizeof(err));
    ck_assert_msg(u, "%s", err);
    char text[200];
    u->ops->describe(u, text, sizeof(text));
    ck_assert_str_eq(text, "index=0,type=user,net=192.168.76.0,restrict=on");
    /* Rules at run time: port 0 picks a free one; a rule twice fails. */
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in sin = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t slen = sizeof(sin);
    ck_assert_int_eq(bind(fd, (struct sockaddr *)&sin, sizeof(sin)), 0);
    ck_assert_int_eq(getsockname(fd, (struct sockaddr *)&sin, &slen), 0);
    char rule[64], hostport[64];
    int port = ntohs(sin.sin_port);
    close(fd); /* free again: the rule takes it */
    snprintf(rule, sizeof(rule), "tcp::%d-:80", port);
    snprintf(hostport, sizeof(hostport), "tcp::%d", port);
    ck_assert_msg(netdev_hostfwd_add(NULL, rule, err, sizeof(err)), "%s", err);
    ck_assert(!netdev_hostfwd_add("u", rule, err, sizeof(err)));
    snprintf(text, sizeof(text), "Could not set up host forwarding rule '%s'", rule);
    ck_assert_str_eq(err, text);
    ck_assert(!netdev_hostfwd_add("zz", rule, err, sizeof(err)));
    ck_assert_str_eq(err, "unrecognized netdev id 'zz'");
    StrBuf out = STRBUF_INIT;
    netdev_usernet_info(&out);
    snprintf(text, sizeof(text), "127.0.0.1 %5d", port);
    ck_assert_msg(strstr(strbuf_text(&out), text), "%s", strbuf_text(&out));
    strbuf_free(&out);
    ck_assert(netdev_hostfwd_remove("u", hostport, done, sizeof(done)));
    snprintf(text, sizeof(text), "host forwarding rule for %s removed", hostport);
    ck_assert_str_eq(done, text);
    ck_assert(!netdev_hostfwd_remove("u", hostport, done, sizeof(done)));
    snprintf(text, sizeof(text), "host forwarding rule for %s not found", hostport);
    ck_assert_str_eq(done, text);
    ck_assert(!netdev_hostfwd_remove("u", "bogus", done, sizeof(done)));
    ck_assert_str_eq(done, "invalid format");
}
END_TEST

/* Two socket netdevs of one process linked over loopback. */
static int free_port(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in sin = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof(sin);
    ck_assert_int_eq(bind(fd, (struct sockaddr *)&sin, sizeof(sin)), 0);
    ck_assert_int_eq(getsockname(fd, (struct sockaddr *)&sin, &len), 0);
    close(fd);
    return ntohs(sin.sin_port);
}

static void pump(unsigned turns)
{
    for (unsigned i = 0; i < turns; i++)
        mainloop_poll(&loop, 1000000);
}

START_TEST(test_socket_link_carries_frames_both_ways)
{
    char err[256], spec[64];
    int port = free_port();
    snprintf(spec, sizeof(spec), "socket,id=l,listen=127.0.0.1:%d", port);
    NetClient *l = netdev_open(spec, &ctx, err, sizeof(err));
    ck_assert_msg(l, "%s", err);
    snprintf(spec, sizeof(spec), "socket,id=c,connect=127.0.0.1:%d", port);
    NetClient *c = netdev_open(spec, &ctx, err, sizeof(err));
    ck_assert_msg(c, "%s", err);
    static Sink nl, ncon; /* listed until teardown */
    sink_init(&nl, "nl", 10000);
    sink_init(&ncon, "nc", 10000);
    net_connect(&nl.nc, l);
    net_connect(&ncon.nc, c);
    pump(3); /* the listener accepts */

    uint8_t buf[1514];
    for (unsigned i = 0; i < 500; i++) {
        frame(buf, 60 + i, (uint8_t)i);
        net_send(&ncon.nc, buf, 60 + i);
        net_send(&nl.nc, buf, 60 + i);
    }
    for (unsigned i = 0; i < 200 && (nl.got < 500 || ncon.got < 500); i++)
        pump(1);
    ck_assert_uint_eq(nl.got, 500);
    ck_assert_uint_eq(ncon.got, 500);
    frame(buf, 559, (uint8_t)499);
    ck_assert_uint_eq(nl.last_len, 559);
    ck_assert_mem_eq(nl.last, buf, 559);

    /* A receiver that is full holds the stream: nothing is lost, the rest
     * waits in the socket and comes when there is room. */
    nl.room = 0;
    for (unsigned i = 0; i < 300; i++) {
        frame(buf, 1000, (uint8_t)i);
        net_send(&ncon.nc, buf, 1000);
    }
    pump(20);
    ck_assert_uint_le(nl.nc.queued, 1);
    nl.room = 100000;
    net_receiver_ready(&nl.nc);
    for (unsigned i = 0; i < 200 && nl.got < 800; i++)
        pump(1);
    ck_assert_uint_eq(nl.got, 800);

    char text[200];
    l->ops->describe(l, text, sizeof(text));
    snprintf(spec, sizeof(spec), "127.0.0.1:%d", port);
    ck_assert_msg(strstr(text, spec), "%s", text);

    /* The connecting side goes away: the listener waits for another. */
    netdev_close(c);
    pump(5);
    l->ops->describe(l, text, sizeof(text));
    ck_assert_str_eq(text, "index=0,type=socket,");
    snprintf(spec, sizeof(spec), "socket,id=c2,connect=127.0.0.1:%d", port);
    c = netdev_open(spec, &ctx, err, sizeof(err));
    ck_assert_msg(c, "%s", err);
    pump(3);
    l->ops->describe(l, text, sizeof(text));
    ck_assert_msg(strstr(text, "socket:"), "%s", text);
}
END_TEST

START_TEST(test_socket_refuses_bad_lengths)
{
    char err[256], spec[64];
    int port = free_port();
    snprintf(spec, sizeof(spec), "socket,id=l,listen=127.0.0.1:%d", port);
    NetClient *l = netdev_open(spec, &ctx, err, sizeof(err));
    ck_assert_msg(l, "%s", err);
    static Sink nic; /* listed until teardown */
    sink_init(&nic, "nic", 100);
    net_connect(&nic.nc, l);
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in sin = {.sin_family = AF_INET,
                              .sin_addr.s_addr = htonl(INADDR_LOOPBACK),
                              .sin_port = htons((uint16_t)port)};
    ck_assert_int_eq(connect(fd, (struct sockaddr *)&sin, sizeof(sin)), 0);
    pump(3);
    /* A good frame, then a length of 16 MiB: the link drops the client. */
    uint8_t good[4 + 60] = {0, 0, 0, 60};
    uint8_t bad[4] = {1, 0, 0, 0};
    ck_assert_int_eq(write(fd, good, sizeof(good)), (ssize_t)sizeof(good));
    ck_assert_int_eq(write(fd, bad, sizeof(bad)), 4);
    pump(5);
    ck_assert_uint_eq(nic.got, 1);
    char c;
    ck_assert_int_eq(read(fd, &c, 1), 0); /* closed by ember */
    close(fd);
}
END_TEST

START_TEST(test_pcap_capture)
{
    char err[256];
    char path[] = "/tmp/ember-test-net-XXXXXX";
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    NetClient *h = netdev_open("hubport,id=h,hubid=9", &ctx, err, sizeof(err));
    static Sink nic; /* listed until teardown */
    sink_init(&nic, "nic", 100);
    net_connect(&nic.nc, h);
    ck_assert(netdev_start_dump("f0", "h", path, 100, err, sizeof(err)));
    ck_assert(!netdev_start_dump("f0", "h", path, 100, err, sizeof(err)));
    ck_assert(!netdev_start_dump("f1", "nic", path, 100, err, sizeof(err)));
    ck_assert_str_eq(err, "filter-dump: no -netdev with id=nic");
    char line[300], want[300];
    net_dump_describe(h, line, sizeof(line));
    snprintf(want, sizeof(want),
             "f0: type=filter-dump,file=%s,maxlen=100,position=tail,status=on,insert=behind,"
             "netdev=h,queue=all",
             path);
    ck_assert_str_eq(line, want);
    uint8_t buf[150];
    frame(buf, sizeof(buf), 3);
    net_send(&nic.nc, buf, sizeof(buf));
    net_send(&nic.nc, buf, 20);
    netdev_close(h);
    uint8_t file[24 + 16 + 100 + 16 + 20 + 1];
    ck_assert_int_eq(read(fd, file, sizeof(file)), (ssize_t)sizeof(file) - 1);
    close(fd);
    unlink(path);
    static const uint8_t header[24] = {0xd4, 0xc3, 0xb2, 0xa1, 2,   0, 4, 0, 0, 0, 0, 0,
                                       0,    0,    0,    0,    100, 0, 0, 0, 1, 0, 0, 0};
    ck_assert_mem_eq(file, header, 24);
    /* Record one: 100 of 150 bytes kept. */
    ck_assert_uint_eq(file[24 + 8], 100);
    ck_assert_uint_eq(file[24 + 12], 150);
    ck_assert_mem_eq(file + 40, buf, 100);
    ck_assert_uint_eq(file[140 + 8], 20);
    ck_assert_uint_eq(file[140 + 12], 20);
}
END_TEST

static Suite *net_suite(void)
{
    Suite *s = suite_create("net");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_queue_holds_frames_in_order);
    tcase_add_test(tc, test_queue_is_bounded);
    tcase_add_test(tc, test_set_link_follows_qemu);
    tcase_add_test(tc, test_stopped_machine_holds_nics);
    tcase_add_test(tc, test_hub_forwards_and_holds_off);
    tcase_add_test(tc, test_netdev_option_errors);
    tcase_add_test(tc, test_user_options_and_hostfwd);
    tcase_add_test(tc, test_socket_link_carries_frames_both_ways);
    tcase_add_test(tc, test_socket_refuses_bad_lengths);
    tcase_add_test(tc, test_pcap_capture);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return run_suite(net_suite());
}
