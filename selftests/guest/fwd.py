#!/usr/bin/python3
"""forwarding: IPv4 forwarding decisions of a router namespace, with an oracle.

    fwd.py run --seed N --out DIR --rules 1|0 [--why TEXT]
    fwd.py plan --seed N            print the plan and every prediction
                                    (no root, no scapy: for reading)

`run` (as root, inside the guest) builds the topology

    src --- dut --- l1, l2, l3      (veth pairs, every interface a fixed MAC)

generates route tables from the seed, installs them in `dut` with
`ip -batch`, sends probes from `src` (one AF_PACKET socket, frames built
with scapy, imported once) and records on raw sockets in l1..l3 and src
what became of each probe: the link it left on with its destination MAC, the
ICMP error that came back, an ARP request, or nothing. The oracle (State
below) predicts each outcome from its own model of the tables and rules.

Phases: p1 main table only (no rule); p2 deletions, replacements and
additions in main; p3 a second table (100), routes in table default (253)
and rules. p3 needs IP_MULTIPLE_TABLES: with --rules 0 its cases are
written as skips with the same names.

Results go to DIR/results.tsv, one case a line: "ok|fail|skip<TAB>name
<TAB>detail"; route and rule dumps to DIR/obs-NAME. The family script
(selftests/families/forwarding.sh) turns them into TAP cases and
observations. Exit status 0 when the run itself worked.
"""
import argparse
import ctypes
import importlib
import os
import random
import select
import socket
import struct
import subprocess
import sys
import time

# --- addressing ---------------------------------------------------------

LINKS = ("l1", "l2", "l3")
DUT_IF = {"l1": "d-l1", "l2": "d-l2", "l3": "d-l3", "src": "d-src"}
PEER_IF = {"l1": "l1-d", "l2": "l2-d", "l3": "l3-d", "src": "src-d"}
LINK_NUM = {"l1": 1, "l2": 2, "l3": 3, "src": 100}
MAC_DUT = {k: "02:00:00:00:%02x:01" % n for k, n in LINK_NUM.items()}
MAC_PEER = {k: "02:00:00:00:%02x:02" % n for k, n in LINK_NUM.items()}
DUT_ADDR = {k: "192.168.%d.1" % n for k, n in LINK_NUM.items()}
GATEWAYS = {k: ["192.168.%d.%d" % (LINK_NUM[k], h) for h in (10, 11, 12)]
            for k in LINKS}
SRC_A = "192.168.100.2"          # the sender's address on the dut's subnet
SRC_B = "192.168.101.2"          # a second source, routed via SRC_A
SRC_B_NET = "192.168.101.0"
# Route prefixes are generated inside these regions and as supernets of
# their bases; probes stay away from the link subnets (192.168/16).
REGIONS = (("10.0.0.0", 8), ("172.16.0.0", 12), ("198.18.0.0", 15))
ROUTE_TOS = (0x04, 0x08, 0x10, 0x18, 0x28, 0xb8)   # 0x28, 0xb8: see tos_key
RULE_TOS = (0x04, 0x08, 0x0c, 0x10, 0x14, 0x18, 0x1c)
MAIN, LOCAL, DEFAULT, T100 = 254, 255, 253, 100
CAP = {1: 130, 2: 110, 3: 130}    # probes per phase
ONLINK_CAP = 24                   # static neighbour entries for on-link probes
MIN_HITS = 3                      # per outcome class, from p1 and p2 alone
CLASSES = ("egress l1", "egress l2", "egress l3", "on-link next hop",
           "icmp 3/0 net-unreachable", "icmp 3/1 host-unreachable",
           "icmp 3/13 admin-prohibited", "drop")
ICMP_NAME = {(3, 0): "net-unreachable", (3, 1): "host-unreachable",
             (3, 13): "admin-prohibited", (3, 3): "port-unreachable",
             (5, 1): "redirect-host", (11, 0): "ttl-exceeded"}


def ip2int(s):
    return struct.unpack("!I", socket.inet_aton(s))[0]


def int2ip(n):
    return socket.inet_ntoa(struct.pack("!I", n & 0xffffffff))


def mask(plen):
    return (0xffffffff << (32 - plen)) & 0xffffffff if plen else 0


def pfx(net, plen):
    return "%s/%d" % (int2ip(net), plen)


def covers(net, plen, addr):
    return (addr & mask(plen)) == net


def overlaps(net, plen, onet, oplen):
    p = min(plen, oplen)
    return (net & mask(p)) == (onet & mask(p))


def gw_link(gw):
    return {"1": "l1", "2": "l2", "3": "l3", "100": "src"}[gw.split(".")[2]]


def gw_mac(gw):
    """Static neighbour entry of a gateway: the MAC spells its address."""
    return "02:fe:" + ":".join("%02x" % int(o) for o in gw.split("."))


def onlink_mac(addr):
    """Static neighbour entry of an on-link destination."""
    return "02:0d:" + ":".join("%02x" % b for b in struct.pack("!I", addr))


MAC_OF_GW = {gw: gw_mac(gw) for k in LINKS for gw in GATEWAYS[k]}
MAC_OF_GW[SRC_A] = MAC_PEER["src"]
NO_GO = [(ip2int(a), p) for a, p in (("0.0.0.0", 8), ("127.0.0.0", 8),
                                     ("169.254.0.0", 16), ("192.168.0.0", 16),
                                     ("224.0.0.0", 3))]


def probeable(addr):
    """A destination whose packets the dut routes as unicast: not zeronet,
    loopback, link-local, multicast, class E, limited broadcast, nor in
    the link subnets (the dut's own and its neighbours' addresses)."""
    if addr < 0 or addr > 0xffffffff:
        return False
    return not any(covers(n, p, addr) for n, p in NO_GO)


# --- the oracle ------------------------------------------------------------

class ModelError(Exception):
    pass


# fib_props[type].error (net/ipv4/fib_semantics.c)
TYPE_ERR = {"unreachable": "EHOSTUNREACH", "prohibit": "EACCES",
            "blackhole": "EINVAL", "throw": "EAGAIN"}
# fib4_rule_action (net/ipv4/fib_rules.c)
RULE_ERR = {"unreachable": "ENETUNREACH", "prohibit": "EACCES",
            "blackhole": "EINVAL"}
# ip_error (net/ipv4/route.c): the ICMP a forwarding error sends, if any
ERR_ICMP = {"ENETUNREACH": (3, 0), "EHOSTUNREACH": (3, 1), "EACCES": (3, 13)}


class Route:
    __slots__ = ("table", "net", "plen", "tos", "metric", "type", "gw", "dev",
                 "fixed")

    def __init__(self, table, net, plen, type="unicast", gw=None, dev=None,
                 tos=0, metric=0, fixed=False):
        self.table, self.net, self.plen = table, net, plen
        self.type, self.gw, self.tos, self.metric = type, gw, tos, metric
        self.dev = gw_link(gw) if gw else dev
        self.fixed = fixed      # set up by the topology: never changed

    def same_info(self, o):
        """fib_info identity as fib_find_info sees it (what we vary)."""
        return (self.type, self.gw, self.dev, self.metric) == \
            (o.type, o.gw, o.dev, o.metric)

    def spec(self):
        """The route as `ip route` arguments."""
        a = [] if self.type == "unicast" else [self.type]
        a.append(pfx(self.net, self.plen))
        if self.tos:
            a += ["tos", "0x%02x" % self.tos]
        a += ["metric", str(self.metric)]
        if self.type == "unicast":
            a += ["via", self.gw] if self.gw else ["dev", DUT_IF[self.dev]]
        if self.table != MAIN:
            a += ["table", str(self.table)]
        return " ".join(a)

    def delspec(self):
        """`ip route del` arguments that select this route (and, as the
        kernel decides, the first alias in list order that fits them)."""
        return self.spec()

    def __str__(self):
        return "table %d %s" % (self.table, self.spec())


class Rule:
    __slots__ = ("pref", "src", "dst", "tos", "iif", "action", "table",
                 "suppress")

    def __init__(self, pref, action="table", table=None, src=None, dst=None,
                 tos=0, iif=None, suppress=None):
        self.pref, self.action, self.table = pref, action, table
        self.src, self.dst, self.tos, self.iif = src, dst, tos, iif
        self.suppress = suppress

    def matches(self, dst, src, tos_key, iif):
        """fib_rule_match + fib4_rule_match: the selectors we use."""
        if self.iif and self.iif != iif:
            return False
        if self.src and not covers(self.src[0], self.src[1], src):
            return False
        if self.dst and not covers(self.dst[0], self.dst[1], dst):
            return False
        if self.tos and self.tos != tos_key:
            return False
        return True

    def spec(self):
        a = []
        if self.src:
            a += ["from", pfx(*self.src)]
        if self.dst:
            a += ["to", pfx(*self.dst)]
        if self.tos:
            a += ["tos", "0x%02x" % self.tos]
        if self.iif:
            a += ["iif", DUT_IF[self.iif]]
        if self.action == "table":
            a += ["lookup", str(self.table)]
        else:
            a.append(self.action)
        if self.suppress is not None:
            a += ["suppress_prefixlength", str(self.suppress)]
        a += ["pref", str(self.pref)]
        return " ".join(a)

    def __str__(self):
        return "rule " + self.spec()


def tos_key(tos):
    """What a route's or rule's tos is compared with: ip_route_input_noref
    masks the header's TOS with INET_DSCP_MASK (0xfc), fib_dscp_masked_match
    then with RT_TOS (0x1e): only 0x04..0x1c survive. A route with tos 0x28
    or 0xb8 therefore never matches a forwarded packet, and a packet with
    tos 0xb8 matches a route with tos 0x18."""
    return tos & 0xfc & 0x1e


class State:
    """Route tables and rules as the kernel holds them: per table and
    prefix, the alias list in fib_trie's order (tos descending, then
    metric ascending, then as inserted/appended/prepended)."""

    def __init__(self):
        self.tables = {}          # table -> {(net, plen): [Route]}
        self.rules = None         # None: no custom rule yet (tables merged)

    def clone(self):
        s = State()
        s.tables = {t: {k: list(v) for k, v in d.items()}
                    for t, d in self.tables.items()}
        s.rules = list(self.rules) if self.rules is not None else None
        return s

    def routes(self, table=None):
        for t in sorted(self.tables):
            if table is not None and t != table:
                continue
            for k in sorted(self.tables[t]):
                yield from self.tables[t][k]

    # fib_table_insert
    def insert(self, r, mode):
        lst = self.tables.setdefault(r.table, {}).setdefault((r.net, r.plen), [])
        idx = None
        for i, a in enumerate(lst):               # fib_find_alias
            if a.tos > r.tos:
                continue
            if a.metric >= r.metric or a.tos < r.tos:
                idx = i
                break
        if idx is not None and lst[idx].tos == r.tos and \
                lst[idx].metric == r.metric:
            if mode == "add":
                raise ModelError("EEXIST")
            first, match, j = idx, None, idx
            while j < len(lst) and lst[j].tos == r.tos and \
                    lst[j].metric == r.metric:
                if lst[j].same_info(r):
                    match = j
                    break
                j += 1
            if mode == "replace":
                if match is not None:
                    if match != first:
                        raise ModelError("EEXIST")
                    return
                lst[first] = r
                return
            if match is not None:
                raise ModelError("EEXIST")
            pos = j if mode == "append" else first
        else:
            pos = idx if idx is not None else len(lst)
        lst.insert(pos, r)

    # fib_table_delete with the keys `ip route del` sends
    def delete(self, r):
        lst = self.tables.get(r.table, {}).get((r.net, r.plen))
        if not lst:
            raise ModelError("ESRCH")
        start = next((i for i, a in enumerate(lst) if not a.tos > r.tos), None)
        if start is None:
            raise ModelError("ESRCH")
        for i in range(start, len(lst)):
            a = lst[i]
            if a.tos != r.tos:
                break
            if r.type != "unicast" and a.type != r.type:
                continue
            if r.metric and a.metric != r.metric:
                continue
            if r.type == "unicast":
                if a.type != "unicast":
                    continue          # reject routes have no oif/gateway
                if a.dev != r.dev or (r.gw and a.gw != r.gw):
                    continue
            if a.fixed:
                raise ModelError("would delete a topology route")
            del lst[i]
            if not lst:
                del self.tables[r.table][(r.net, r.plen)]
            return
        raise ModelError("ESRCH")

    def add_rule(self, rule):
        if self.rules is None:        # fib4_rules_init's three
            self.rules = [Rule(0, table=LOCAL), Rule(32766, table=MAIN),
                          Rule(32767, table=DEFAULT)]
        if any(x.pref == rule.pref for x in self.rules):
            raise ModelError("duplicate pref")
        self.rules.append(rule)
        self.rules.sort(key=lambda x: x.pref)

    # fib_table_lookup over one table, or local+main while they are merged
    def table_lookup(self, tids, dst, key):
        for plen in range(32, -1, -1):
            net = dst & mask(plen)
            for tid in sorted(tids, reverse=True):     # local before main
                for a in self.tables.get(tid, {}).get((net, plen), ()):
                    if a.tos and a.tos != key:
                        continue
                    err = TYPE_ERR.get(a.type)
                    if err:
                        return err, a            # reject types decide at once
                    return 0, a
        return "EAGAIN", None

    def lookup(self, dst, src, tos, iif="src"):
        """fib_lookup for a packet arriving on iif: (err, route, trace)."""
        key = tos_key(tos)
        trace = []
        if self.rules is None:
            err, r = self.table_lookup([LOCAL, MAIN], dst, key)
            trace.append("main: %s" % (r or "miss"))
            if err == "EAGAIN" and DEFAULT in self.tables:
                err, r = self.table_lookup([DEFAULT], dst, key)
                trace.append("default: %s" % (r or "miss"))
            if err == "EAGAIN":
                err = "ENETUNREACH"
            return err, r, trace
        for rule in self.rules:
            if not rule.matches(dst, src, key, iif):
                continue
            if rule.action != "table":
                trace.append(str(rule))
                trace.append("pref %d" % rule.pref)
                return RULE_ERR[rule.action], None, trace
            err, r = self.table_lookup([rule.table], dst, key)
            trace.append("%s: %s" % (rule, r or "miss"))
            if err == 0 and rule.suppress is not None and \
                    r.plen <= rule.suppress:
                trace.append("suppressed")
                continue
            if err == "EAGAIN":
                continue
            trace.append("pref %d" % rule.pref)
            return err, r, trace
        trace.append("no rule matched")
        return "ENETUNREACH", None, trace

    def predict(self, dst, src, tos):
        """(outcome, explanation, what decided it: for probe selection)"""
        err, r, trace = self.lookup(dst, src, tos)
        same = self.tables[r.table][(r.net, r.plen)] if r else []
        how = (trace[-1] if trace[-1].startswith("pref") else "",
               r.table if r else 0, bool(r and r.tos), r.type if r else err,
               "suppressed" in trace,
               sum(a.tos == r.tos for a in same) > 1,      # metrics
               sum((a.tos, a.metric) == (r.tos, r.metric) for a in same) > 1)
        if err == 0:
            if r.type in ("local", "broadcast"):
                out = "local"
            elif r.gw:
                out = "%s %s" % (r.dev, MAC_OF_GW[r.gw])
            else:
                out = "%s %s" % (r.dev, onlink_mac(dst))
        elif err in ERR_ICMP:
            t, c = ERR_ICMP[err]
            out = "icmp %d/%d %s" % (t, c, ICMP_NAME[(t, c)])
        else:
            out = "drop"
        return out, "; ".join(t for t in trace if not t.startswith("pref")), how


def outcome_classes(out):
    """The outcome classes an outcome text counts for."""
    if out == "drop":
        return ["drop"]
    if out.startswith("icmp "):
        return [out]
    parts = out.split()
    cls = []
    if len(parts) == 2 and parts[0] in LINKS:
        cls.append("egress " + parts[0])
        if parts[1].startswith("02:0d:"):
            cls.append("on-link next hop")
    return cls


def base_state():
    """What the topology leaves in the dut: local and connected routes."""
    s = State()
    for k in list(LINKS) + ["src"]:
        a = ip2int(DUT_ADDR[k])
        s.insert(Route(LOCAL, a, 32, "local", fixed=True), "add")
        s.insert(Route(LOCAL, a | 0xff, 32, "broadcast", fixed=True), "add")
        s.insert(Route(MAIN, a & mask(24), 24, dev=k, fixed=True), "add")
    s.insert(Route(LOCAL, ip2int("127.0.0.0"), 8, "local", fixed=True), "add")
    s.insert(Route(LOCAL, ip2int("127.0.0.1"), 32, "local", fixed=True), "add")
    s.insert(Route(LOCAL, ip2int("127.255.255.255"), 32, "broadcast",
                   fixed=True), "add")
    s.insert(Route(MAIN, ip2int(SRC_B_NET), 24, gw=SRC_A, fixed=True), "add")
    return s


# --- the generator -------------------------------------------------------

ALL_GWS = [gw for k in LINKS for gw in GATEWAYS[k]]


def rand_action(rng, forced=None):
    kind = forced or rng.choices(
        ["gw", "onlink", "unreachable", "prohibit", "blackhole", "throw"],
        [45, 12, 11, 11, 11, 10])[0]
    if kind == "gw":
        return dict(type="unicast", gw=rng.choice(ALL_GWS))
    if kind in LINKS:                     # a gateway on that link
        return dict(type="unicast", gw=rng.choice(GATEWAYS[kind]))
    if kind == "onlink":
        return dict(type="unicast", dev=rng.choice(LINKS))
    return dict(type=kind)


def child_prefix(rng, net, plen):
    delta = rng.choice([1, 2, 3, 4, 5, 6, 8, 8, 12, 16, 24])
    nplen = min(32, plen + delta)
    host = rng.getrandbits(32 - plen) if plen < 32 else 0
    return (net | host) & mask(nplen), nplen


def free_of_links(net, plen):
    """Not overlapping 192.168/16: tables other than main must not hold a
    route that the gateways' or the senders' addresses would match."""
    return not overlaps(net, plen, ip2int("192.168.0.0"), 16)


class Plan:
    pass


class Gen:
    def __init__(self, seed, attempt):
        self.rng = random.Random("fsx-forwarding/%s/%d" % (seed, attempt))

    def prefix_pool(self):
        rng = self.rng
        pool = []
        for base, rplen in REGIONS:
            b = ip2int(base)
            nodes = [(b, rplen)]
            for _ in range(rng.randint(9, 12)):
                pn, pl = rng.choice(nodes)
                if pl < 32:
                    c = child_prefix(rng, pn, pl)
                    if c not in nodes:
                        nodes.append(c)
            for _ in range(2):                       # host routes
                pn, pl = rng.choice(nodes)
                c = ((pn | rng.getrandbits(32 - pl)) if pl < 32 else pn, 32)
                if c not in nodes:
                    nodes.append(c)
            if rng.random() < 0.35:
                nodes.pop(0)                         # no region route
            pool += nodes
        for _ in range(2):                           # supernets
            base, rplen = rng.choice(REGIONS)
            pl = rng.randint(1, rplen - 1)
            c = (ip2int(base) & mask(pl), pl)
            if c not in pool:
                pool.append(c)
        if rng.random() < 0.8:
            pool.append((0, 0))
        return pool

    def new_children(self, state, n, table_filter=None):
        rng = self.rng
        have = {(r.net, r.plen) for r in state.routes()}
        keys = sorted({(r.net, r.plen) for r in state.routes(MAIN)
                       if not r.fixed and r.plen < 32})
        out = []
        while len(out) < n:
            c = child_prefix(rng, *rng.choice(keys))
            if c in have or c in out:
                continue
            if table_filter and not table_filter(*c):
                continue
            out.append(c)
        return out

    def cmd(self, state, cmds, verb, r):
        """Apply one route command to the model; keep it if valid there."""
        try:
            if verb == "del":
                state.delete(r)
            else:
                state.insert(r, {"add": "add", "append": "append",
                                 "prepend": "prepend",
                                 "replace": "replace"}[verb])
        except ModelError:
            return False
        cmds.append("route %s %s" % (verb, r.delspec() if verb == "del"
                                     else r.spec()))
        return True

    def phase1(self, state):
        rng = self.rng
        cmds = []
        pool = self.prefix_pool()
        rng.shuffle(pool)
        forced = ["l1", "l2", "l3", "onlink", "unreachable", "prohibit",
                  "blackhole", "throw", "onlink", "prohibit", "unreachable",
                  "blackhole"]
        adds = []
        for i, (net, plen) in enumerate(pool):
            f = forced[i] if i < len(forced) else None
            if plen == 0 and f is None:
                f = rng.choice(["gw", "gw", "gw", "unreachable", "blackhole"])
            metric = rng.choice([0, 0, 0, 10, 100])
            # Some prefixes only have tos-keyed routes: a packet with
            # another tos falls through to a shorter prefix.
            tos = rng.choice(ROUTE_TOS[:4]) if f is None and plen and \
                rng.random() < 0.1 else 0
            adds.append(Route(MAIN, net, plen, metric=metric, tos=tos,
                              **rand_action(rng, f)))
            if rng.random() < 0.22:                  # same prefix, 2nd metric
                m2 = metric + rng.choice([5, 10, 50])
                adds.append(Route(MAIN, net, plen, metric=m2,
                                  **rand_action(rng)))
            if rng.random() < 0.2:                   # a tos-keyed route
                adds.append(Route(MAIN, net, plen, tos=rng.choice(ROUTE_TOS),
                                  metric=metric + rng.choice([0, 10]),
                                  **rand_action(rng)))
        rng.shuffle(adds)
        for r in adds:
            self.cmd(state, cmds, "add", r)
        # Same prefix, tos and metric: `append` queues behind, `prepend`
        # goes before (fib_table_insert without NLM_F_EXCL).
        gws = [r for r in state.routes(MAIN) if r.gw and not r.fixed]
        gws = [r for r in gws if state.table_lookup(
            [LOCAL, MAIN], r.net, 0)[1] is r] or gws
        for verb in ("append", "prepend"):
            r = rng.choice(gws)
            other = [g for g in ALL_GWS if g != r.gw]
            self.cmd(state, cmds, verb, Route(MAIN, r.net, r.plen, tos=r.tos,
                                              metric=r.metric,
                                              gw=rng.choice(other)))
        return cmds

    def phase2(self, state):
        rng = self.rng
        cmds = []
        mine = [r for r in state.routes(MAIN) if not r.fixed]
        # Same prefix and tos, several metrics or appended aliases: delete
        # the one serving now (the first), so the next one serves.
        multi = [v for (net, plen), v in state.tables[MAIN].items()
                 if len([a for a in v if a.tos == 0]) > 1 and not v[0].fixed]
        for v in multi:
            if rng.random() < 0.3:
                continue
            first = [a for a in v if a.tos == 0][0]
            victim = first if rng.random() < 0.7 else \
                [a for a in v if a.tos == 0][-1]
            self.cmd(state, cmds, "del", victim)
        for r in rng.sample(mine, len(mine) // 5):
            self.cmd(state, cmds, "del", r)
        mine = [r for r in state.routes(MAIN) if not r.fixed]
        for r in rng.sample(mine, min(6, len(mine))):
            while True:
                a = rand_action(rng)
                n = Route(MAIN, r.net, r.plen, tos=r.tos, metric=r.metric, **a)
                if not n.same_info(r):
                    break
            self.cmd(state, cmds, "replace", n)
        for net, plen in self.new_children(state, 7):
            verb = rng.choice(["add", "add", "replace"])
            self.cmd(state, cmds, verb, Route(MAIN, net, plen,
                                              metric=rng.choice([0, 10]),
                                              **rand_action(rng)))
        return cmds

    def phase3(self, state):
        """Table 100, table default and rules."""
        rng = self.rng
        cmds = []
        main_keys = sorted({(r.net, r.plen) for r in state.routes(MAIN)
                            if not r.fixed and free_of_links(r.net, r.plen)})
        keys100 = rng.sample(main_keys, min(7, len(main_keys)))
        keys100 += self.new_children(state, 5, free_of_links)
        # Rule 500 below sends B's traffic through main but suppresses
        # results of prefix length <= S: give table 100 (rule 1000) routes
        # under such short main routes, so the suppression shows.
        suppress = None
        for S in [rng.choice([0, 8, 16]), 8, 16, 24]:
            found = []
            for _ in range(300):
                net, plen = self.new_children(state, 1, free_of_links)[0]
                err, r = state.table_lookup([LOCAL, MAIN], net, 0)
                if err == 0 and r.plen <= S and (net, plen) not in keys100:
                    found.append((net, plen))
                    if len(found) == 2:
                        break
            if found:
                suppress = S
                keys100 = found + keys100
                break
        if suppress is None:
            suppress = 0
        forced = ["gw", "gw", "onlink", "unreachable", "prohibit",
                  "blackhole", "throw", "throw"]
        for i, (net, plen) in enumerate(keys100):
            f = forced[i] if i < len(forced) else None
            self.cmd(state, cmds, "add", Route(T100, net, plen,
                                               **rand_action(rng, f)))
        for net, plen in rng.sample(keys100, 2):
            self.cmd(state, cmds, "add", Route(T100, net, plen,
                                               tos=rng.choice(ROUTE_TOS[:4]),
                                               **rand_action(rng)))
        # Table default serves what main throws or misses: two new throw
        # routes in main, and routes in default for them and older ones.
        for net, plen in self.new_children(state, 2, free_of_links):
            self.cmd(state, cmds, "add", Route(MAIN, net, plen, type="throw"))
        throws = [(r.net, r.plen) for r in state.routes(MAIN)
                  if r.type == "throw" and free_of_links(r.net, r.plen)]
        keys253 = rng.sample(throws, min(3, len(throws)))
        for base, rplen in REGIONS:
            if rng.random() < 0.5:
                keys253.append((ip2int(base), rplen))
        keys253 += self.new_children(state, 2, free_of_links)
        for net, plen in keys253:
            self.cmd(state, cmds, "add", Route(DEFAULT, net, plen,
                                               **rand_action(rng, rng.choice(
                                                   ["gw", "gw", "onlink",
                                                    "prohibit"]))))
        # Rules: B's traffic, a tos, a destination, and reject actions.
        rules = []
        b = (ip2int(SRC_B_NET), 24)
        rules.append(Rule(500, table=MAIN, src=b, suppress=suppress))
        rules.append(Rule(1000, table=T100, src=b))
        rules.append(Rule(1100, table=T100, tos=rng.choice(RULE_TOS),
                          iif="src"))
        rules.append(Rule(1050, table=T100, iif="l1"))   # never our probes
        small = [k for k in main_keys if k[1] >= 12]
        dst_keys = rng.sample(small, 4)
        rules.append(Rule(1200, table=T100, dst=dst_keys[0]))
        rules.append(Rule(800, action="prohibit", dst=dst_keys[1]))
        rules.append(Rule(810, action="unreachable", dst=dst_keys[2]))
        rules.append(Rule(820, action="blackhole", dst=dst_keys[3],
                          iif="src"))
        for rule in rules:
            state.add_rule(rule)
            cmds.append("rule add " + rule.spec())
        return cmds


class Probe:
    __slots__ = ("phase", "dst", "tos", "src", "proto", "ident", "want",
                 "why", "name")

    def __str__(self):
        return self.name


def probe_candidates(rng, state, phase):
    keys = {(r.net, r.plen) for r in state.routes() if not r.fixed}
    for rule in state.rules or ():
        if rule.dst:
            keys.add(rule.dst)
    toses = [(r.net, r.plen, r.tos) for r in state.routes() if r.tos] + \
        [(0, 0, rule.tos) for rule in state.rules or () if rule.tos]
    cands = set()
    for net, plen in sorted(keys):
        last = net | (~mask(plen) & 0xffffffff)
        pts = {net, last, net - 1, last + 1, rng.randint(net, last)}
        for d in sorted(pts):
            if not probeable(d):
                continue
            tl = {0}
            for tn, tp, t in toses:
                if covers(tn, tp, d):
                    tl.add(t)
                    tl.add(rng.choice([t | 1, t | 2, t ^ 0xe0, (t & 0x1c) | 0x20]))
            for t in sorted(tl):
                if phase == 3:
                    for s in ([SRC_A, SRC_B] if rng.random() < 0.3 else
                              [rng.choice([SRC_A, SRC_B, SRC_B])]):
                        cands.add((d, t, s))
                else:
                    cands.add((d, t, SRC_A))
    return sorted(cands)


def select_probes(rng, state, phase, onlink):
    """Round robin over outcome classes and what decided them (rule,
    table, tos-keyed route, type, suppression), so every class and every
    path through the rules is hit, and no one kind dominates."""
    cands = probe_candidates(rng, state, phase)
    rng.shuffle(cands)
    buckets = {}
    for d, t, s in cands:
        want, why, how = state.predict(d, ip2int(s), t)
        cls = (outcome_classes(want) or [want])[-1]
        buckets.setdefault((cls,) + how, []).append((d, t, s, want, why))
    chosen = []
    order = sorted(buckets)
    while len(chosen) < CAP[phase] and any(buckets.values()):
        for cls in order:
            if not buckets[cls] or len(chosen) >= CAP[phase]:
                continue
            d, t, s, want, why = buckets[cls].pop()
            if "on-link next hop" in outcome_classes(want):
                k = (d, want.split()[0])
                if k not in onlink and len(onlink) >= ONLINK_CAP:
                    continue
                onlink.add(k)
            chosen.append((d, t, s, want, why))
    chosen.sort(key=lambda c: (c[0], c[1], c[2]))
    probes = []
    for i, (d, t, s, want, why) in enumerate(chosen):
        p = Probe()
        p.phase, p.dst, p.tos, p.src = phase, d, t, ip2int(s)
        p.proto = rng.choice(["udp", "icmp"])
        p.ident = phase * 1000 + i + 1
        p.want, p.why = want, why
        p.name = "p%d fwd %s tos 0x%02x%s -> %s" % (
            phase, int2ip(d), t, " from " + s if phase == 3 else "", want)
        probes.append(p)
    return probes


def make_plan(seed):
    for attempt in range(100):
        g = Gen(seed, attempt)
        plan = Plan()
        plan.seed, plan.attempt = seed, attempt
        s0 = base_state()
        s1 = s0.clone()
        plan.cmds = {1: g.phase1(s1)}
        s2 = s1.clone()
        plan.cmds[2] = g.phase2(s2)
        s3 = s2.clone()
        plan.cmds[3] = g.phase3(s3)
        plan.states = {1: s1, 2: s2, 3: s3}
        onlink = set()
        plan.probes = {ph: select_probes(g.rng, plan.states[ph], ph, onlink)
                       for ph in (1, 2, 3)}
        plan.onlink = sorted(onlink)
        hits = {c: 0 for c in CLASSES}
        for ph in (1, 2):
            for p in plan.probes[ph]:
                for c in outcome_classes(p.want):
                    hits[c] += 1
        if min(hits.values()) >= MIN_HITS + 2:
            plan.hits12 = hits
            return plan
    raise SystemExit("fwd.py: no plan meets the class minimum for seed %s" % seed)


def setup_cmds(plan):
    """ip -batch input per namespace: topology and static neighbours."""
    root = []
    for k in list(LINKS) + ["src"]:
        root.append("link add %s netns dut address %s type veth peer name %s "
                    "netns %s address %s" % (DUT_IF[k], MAC_DUT[k], PEER_IF[k],
                                             k, MAC_PEER[k]))
    dut = ["link set lo up"]
    for k in list(LINKS) + ["src"]:
        dut.append("addr add %s/24 dev %s" % (DUT_ADDR[k], DUT_IF[k]))
        dut.append("link set %s up" % DUT_IF[k])
    dut.append("neigh add %s lladdr %s dev d-src nud permanent" %
               (SRC_A, MAC_PEER["src"]))
    for k in LINKS:
        for gw in GATEWAYS[k]:
            dut.append("neigh add %s lladdr %s dev %s nud permanent" %
                       (gw, gw_mac(gw), DUT_IF[k]))
    for d, k in plan.onlink:
        dut.append("neigh add %s lladdr %s dev %s nud permanent" %
                   (int2ip(d), onlink_mac(d), DUT_IF[k]))
    dut.append("route add %s/24 via %s" % (SRC_B_NET, SRC_A))
    per = {"dut": dut}
    for k in LINKS:
        per[k] = ["link set lo up", "link set %s up" % PEER_IF[k]]
    per["src"] = ["link set lo up", "addr add %s/24 dev src-d" % SRC_A,
                  "addr add %s/24 dev src-d" % SRC_B, "link set src-d up"]
    return root, per


# --- the guest side: namespaces, sockets, probes -------------------------

CLONE_NEWNET = 0x40000000
_libc = ctypes.CDLL(None, use_errno=True)


class Netns:
    def __init__(self):
        self.home = os.open("/proc/self/ns/net", os.O_RDONLY)

    def _setns(self, fd):
        if _libc.setns(fd, CLONE_NEWNET) != 0:
            e = ctypes.get_errno()
            raise OSError(e, os.strerror(e))

    def enter(self, name):
        fd = os.open("/run/netns/" + name, os.O_RDONLY)
        try:
            self._setns(fd)
        finally:
            os.close(fd)

    def leave(self):
        self._setns(self.home)


def sysctl(ns, netns, key, val, optional=False):
    netns.enter(ns)
    try:
        with open("/proc/sys/" + key.replace(".", "/"), "w") as f:
            f.write("%s\n" % val)
    except OSError:
        if not optional:
            raise
    finally:
        netns.leave()


def ip(args, stdin=None):
    p = subprocess.run(["ip"] + args, input=stdin, capture_output=True,
                       text=True)
    return p.returncode, (p.stdout + p.stderr).strip()


def setup(plan, netns):
    errs = []
    for ns in ("dut", "src") + LINKS:
        rc, out = ip(["netns", "add", ns])
        if rc:
            errs.append("netns add %s: %s" % (ns, out))
        sysctl(ns, netns, "net.ipv6.conf.all.disable_ipv6", 1, True)
        sysctl(ns, netns, "net.ipv6.conf.default.disable_ipv6", 1, True)
    for k, v in (("net.ipv4.ip_forward", 1),
                 ("net.ipv4.conf.all.rp_filter", 0),
                 ("net.ipv4.conf.default.rp_filter", 0),
                 ("net.ipv4.icmp_ratelimit", 0),
                 ("net.ipv4.icmp_ratemask", 0),
                 ("net.ipv4.icmp_msgs_per_sec", 100000),
                 ("net.ipv4.icmp_msgs_burst", 100000)):
        try:
            sysctl("dut", netns, k, v)
        except OSError as e:
            errs.append("sysctl %s: %s" % (k, e))
    # ip_error's token bucket (route.c) is global, set in the root netns.
    for k, v in (("net.ipv4.route.error_cost", 0),
                 ("net.ipv4.route.error_burst", 1000000)):
        try:
            with open("/proc/sys/" + k.replace(".", "/"), "w") as f:
                f.write("%d\n" % v)
        except OSError as e:
            errs.append("sysctl %s: %s" % (k, e))
    root, per = setup_cmds(plan)
    rc, out = ip(["-batch", "-"], "\n".join(root) + "\n")
    if rc:
        errs.append("links: " + out)
    for ns in ("dut", "src") + LINKS:
        rc, out = ip(["-n", ns, "-batch", "-"], "\n".join(per[ns]) + "\n")
        if rc:
            errs.append("%s: %s" % (ns, out))
    for k in LINKS + ("src",):
        sysctl("dut", netns, "net.ipv4.conf.%s.rp_filter" % DUT_IF[k], 0, True)
    return errs


class Prober:
    def __init__(self, netns):
        self.socks = {}
        for k in LINKS + ("src",):
            netns.enter("src" if k == "src" else k)
            try:
                s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW,
                                  socket.htons(3))
                s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 21)
                s.bind((PEER_IF[k], 3))
                s.setblocking(False)
                self.socks[s] = k
                if k == "src":
                    tx = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
                    tx.bind((PEER_IF[k], 0))
                    self.tx = tx
            finally:
                netns.leave()
        self.reset({})

    def reset(self, byid):
        self.byid = byid
        self.events = {}
        self.arps = {}
        self.other = 0
        self.last = time.monotonic()

    def drain(self, timeout):
        r, _, _ = select.select(list(self.socks), [], [], timeout)
        for s in r:
            while True:
                try:
                    data, addr = s.recvfrom(65535)
                except BlockingIOError:
                    break
                if addr[2] == socket.PACKET_OUTGOING:
                    continue
                self.handle(self.socks[s], data)

    def handle(self, link, data):
        self.last = time.monotonic()
        if len(data) < 34:
            return
        etype = struct.unpack("!H", data[12:14])[0]
        if etype == 0x0806 and link != "src":
            if data[20:22] == b"\x00\x01":
                t = struct.unpack("!I", data[38:42])[0]
                self.arps.setdefault(t, set()).add(link)
            return
        if etype != 0x0800:
            self.other += 1
            return
        iph = data[14:]
        ihl = (iph[0] & 15) * 4
        tos, ttl, proto = iph[1], iph[8], iph[9]
        ident = struct.unpack("!H", iph[4:6])[0]
        src, dst = struct.unpack("!II", iph[12:20])
        if link == "src":
            if proto != 1 or len(iph) < ihl + 28:
                self.other += 1
                return
            typ, code = iph[ihl], iph[ihl + 1]
            q = iph[ihl + 8:]
            qid = struct.unpack("!H", q[4:6])[0]
            qsrc, qdst = struct.unpack("!II", q[12:20])
            p = self.byid.get(qid)
            if p is None or (qsrc, qdst) != (p.src, p.dst) or dst != p.src:
                self.other += 1
                return
            txt = "icmp %d/%d %s" % (typ, code, ICMP_NAME.get((typ, code), "?"))
            self.events.setdefault(qid, []).append(txt)
            return
        p = self.byid.get(ident)
        if p is None or (src, dst) != (p.src, p.dst):
            self.other += 1
            return
        txt = "%s %s" % (link, ":".join("%02x" % b for b in data[0:6]))
        if ttl != 63:
            txt += " ttl=%d" % ttl
        if tos != p.tos:
            txt += " tos=0x%02x" % tos
        self.events.setdefault(ident, []).append(txt)

    def observed(self, p):
        ev = self.events.get(p.ident)
        if ev:
            return " + ".join(sorted(ev))
        if p.dst in self.arps:
            return " + ".join("arp %s on %s" % (int2ip(p.dst), k)
                              for k in sorted(self.arps[p.dst]))
        return "drop"

    def run(self, frames, probes, gap=0.003, settle=2.0, quiet=1.0):
        """Send every frame, then listen for `settle` seconds after the
        last one and until nothing came for `quiet` seconds (a slow kernel
        is still answering), at most 20 s."""
        self.drain(0.2)
        self.reset({p.ident: p for p in probes})
        for f in frames:
            self.tx.send(f)
            self.drain(gap)
        sent = time.monotonic()
        while True:
            now = time.monotonic()
            end = max(sent + settle, self.last + quiet)
            if now >= end or now > sent + 20:
                break
            self.drain(end - now)
        return {p.ident: self.observed(p) for p in probes}


def build_frames(probes):
    from scapy.all import ICMP, IP, UDP, Ether, Raw
    frames = []
    for p in probes:
        l3 = IP(src=int2ip(p.src), dst=int2ip(p.dst), tos=p.tos, ttl=64,
                id=p.ident)
        if p.proto == "udp":
            l4 = UDP(sport=40000 + p.ident, dport=33434)
        else:
            l4 = ICMP(type=8, id=p.ident, seq=p.phase)
        pay = Raw(b"fsx-fwd %d" % p.ident)
        frames.append(bytes(Ether(src=MAC_PEER["src"], dst=MAC_DUT["src"]) /
                            l3 / l4 / pay))
    return frames


def cmd_run(a):
    t0 = time.monotonic()
    plan = make_plan(a.seed)
    out = a.out
    os.makedirs(out, exist_ok=True)
    res = open(os.path.join(out, "results.tsv"), "w")

    def case(status, name, detail=""):
        res.write("%s\t%s\t%s\n" % (status, name, detail.replace("\t", " ")
                                    .replace("\n", " | ")))
        res.flush()

    def obs(name, args):
        rc, txt = ip(["-n", "dut"] + args)
        with open(os.path.join(out, "obs-" + name), "w") as f:
            f.write(txt + "\n")

    print("# plan: seed %s attempt %d, probes p1 %d p2 %d p3 %d, on-link "
          "neighbours %d, route/rule commands p1 %d p2 %d p3 %d" % (
              a.seed, plan.attempt, len(plan.probes[1]), len(plan.probes[2]),
              len(plan.probes[3]), len(plan.onlink), len(plan.cmds[1]),
              len(plan.cmds[2]), len(plan.cmds[3])), flush=True)
    netns = Netns()
    errs = setup(plan, netns)
    case("fail" if errs else "ok", "setup: namespaces, links, sysctls, "
         "static neighbours", "; ".join(errs))
    importlib.import_module("scapy.all")     # once: ~8 s under TCG
    prober = Prober(netns)
    print("# setup and scapy: %.1f s" % (time.monotonic() - t0), flush=True)
    hits = {c: 0 for c in CLASSES}
    for ph in (1, 2, 3):
        probes = plan.probes[ph]
        what = "p%d: %d route%s commands applied" % (
            ph, len(plan.cmds[ph]), "/rule" if ph == 3 else "")
        if ph == 3 and not a.rules:
            case("skip", what, a.why)
            for p in probes:
                case("skip", p.name, a.why)
            continue
        rc, txt = ip(["-n", "dut", "-batch", "-"], "\n".join(plan.cmds[ph]) + "\n")
        case("fail" if rc else "ok", what, txt)
        obs("routes-p%d" % ph, ["-4", "-d", "route", "show", "table", "all"])
        if ph == 3:
            obs("rules-p3", ["-4", "rule", "show"])
        frames = build_frames(probes)
        t1 = time.monotonic()
        got = prober.run(frames, probes)
        bad = 0
        for p in probes:
            o = got[p.ident]
            for c in outcome_classes(o):
                hits[c] += 1
            if o == p.want:
                case("ok", p.name)
            else:
                bad += 1
                case("fail", p.name, "expected: %s | observed: %s | oracle: %s"
                     % (p.want, o, p.why))
        print("# p%d: %d probes in %.1f s, %d not as predicted, %d other "
              "frames" % (ph, len(probes), time.monotonic() - t1, bad,
                          prober.other), flush=True)
    for c in CLASSES:
        case("ok" if hits[c] >= MIN_HITS else "fail",
             "class %s hit at least %d times" % (c, MIN_HITS),
             "hit %d times" % hits[c])
    print("# class hits: " + ", ".join("%s %d" % (c, hits[c]) for c in CLASSES))
    print("# fwd.py: %.1f s" % (time.monotonic() - t0), flush=True)
    res.close()
    return 0


def cmd_plan(a):
    plan = make_plan(a.seed)
    print("# seed %s attempt %d" % (a.seed, plan.attempt))
    print("# p1+p2 predicted class hits: " +
          ", ".join("%s %d" % kv for kv in plan.hits12.items()))
    for ph in (1, 2, 3):
        print("## phase %d commands" % ph)
        for c in plan.cmds[ph]:
            print("  " + c)
        print("## phase %d probes (%d)" % (ph, len(plan.probes[ph])))
        for p in plan.probes[ph]:
            print("  %s   [%s]" % (p.name, p.why) if a.verbose else "  " + p.name)
    print("## on-link neighbours: %d" % len(plan.onlink))


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    r = sub.add_parser("run")
    r.add_argument("--seed", required=True)
    r.add_argument("--out", required=True)
    r.add_argument("--rules", type=int, required=True)
    r.add_argument("--why", default="")
    p = sub.add_parser("plan")
    p.add_argument("--seed", required=True)
    p.add_argument("-v", "--verbose", action="store_true")
    a = ap.parse_args()
    sys.exit(cmd_run(a) if a.cmd == "run" else cmd_plan(a))


if __name__ == "__main__":
    main()
