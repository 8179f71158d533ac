#!/usr/bin/python3
"""ARP of a DUT namespace, probed with scapy from a peer namespace.

    arpcheck.py run DUT PEER OUTDIR     cases 1-7 of the arp family
    arpcheck.py ioctl <CASES            raw SIOC[SGD]ARP (case 9), in the
                                        current namespace; no scapy
                                        (lines as ioctl_case() and look()
                                        say; one result line each)

Topology (made by selftests/families/arp.sh):

    DUT veth-d0 02:00:00:00:0a:01 10.0.1.1/24 --- veth-p0 02:00:00:00:0a:02
    DUT veth-d1 02:00:00:00:0a:11 10.0.2.1/24 --- veth-p1 02:00:00:00:0a:12

Both peer links are in PEER, without addresses and with ARP off, so the
peer's kernel neither answers nor learns anything: every ARP frame the DUT
sees comes from here, and the neighbour tables hold only what the DUT
learns (the DUT's kernel may keep its ARP cache in a fixed number of slots
shared by all namespaces: no sub-test keeps more than 8 entries alive).

`run` enters PEER, imports scapy once (it costs ~8 s under QEMU TCG) and
runs every sub-test in one process: frames go in and out through
AF_PACKET sockets on veth-p0/veth-p1 (built and dissected by scapy), the
DUT sends through sockets this process opens inside DUT (setns there and
back), and reads its neighbour table through rtnetlink, which is quick
enough to catch DELAY and PROBE. Each sub-test computes what it expects
from net/ipv4/arp.c and net/core/neighbour.c (6.12) and writes

    OUTDIR/results.tsv   STATUS<tab>NAME<tab>DETAIL per check (ok / fail)
    OUTDIR/obs/NAME      what was seen, for the byte-for-byte comparison
                         with stock (nothing in it depends on timing)

Exit status 0 when every sub-test ran to its end.
"""
import contextlib
import ctypes
import errno
import fcntl
import os
import select
import socket
import struct
import subprocess
import sys
import time

CLONE_NEWNET = 0x40000000
LIBC = ctypes.CDLL(None, use_errno=True)

DUT_IF0, DUT_IF1 = "veth-d0", "veth-d1"
PEER_IF0, PEER_IF1 = "veth-p0", "veth-p1"
DUT0, DUT1 = "02:00:00:00:0a:01", "02:00:00:00:0a:11"
P0, P1 = "02:00:00:00:0a:02", "02:00:00:00:0a:12"
DUT_IP0, DUT_IP1, PEER_IP = "10.0.1.1", "10.0.2.1", "10.0.1.2"
BCAST = "ff:ff:ff:ff:ff:ff"
ZERO = "00:00:00:00:00:00"
MAX_ALIVE = 8

NUD = {0x01: "INCOMPLETE", 0x02: "REACHABLE", 0x04: "STALE", 0x08: "DELAY",
       0x10: "PROBE", 0x20: "FAILED", 0x40: "NOARP", 0x80: "PERMANENT",
       0x00: "NONE"}


# ------------------------------------------------------------ namespaces
def ns_fd(name):
    if name is None:
        return os.open("/proc/self/ns/net", os.O_RDONLY)
    return os.open("/run/netns/" + name, os.O_RDONLY)


def setns(fd):
    if LIBC.setns(fd, CLONE_NEWNET) != 0:
        err = ctypes.get_errno()
        raise OSError(err, "setns: " + os.strerror(err))


class Where:
    """The namespaces this process moves between; it lives in PEER."""

    def __init__(self, dut, peer):
        self.init = ns_fd(None)
        self.dut = ns_fd(dut)
        self.peer = ns_fd(peer)
        self.dut_name = dut

    @contextlib.contextmanager
    def inside(self, fd):
        setns(fd)
        try:
            yield
        finally:
            setns(self.peer)


# ------------------------------------------------------------ rtnetlink
RTM_DELNEIGH, RTM_GETNEIGH = 29, 30
NLM_F_REQUEST, NLM_F_ACK, NLM_F_DUMP = 1, 4, 0x300
NLMSG_ERROR, NLMSG_DONE = 2, 3
NDA_DST, NDA_LLADDR = 1, 2
NTF_PROXY = 0x08


class Rtnl:
    def __init__(self):
        self.sock = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 0)
        self.sock.bind((0, 0))
        self.seq = 0

    def _talk(self, msgtype, flags, payload):
        self.seq += 1
        self.sock.send(struct.pack("=IHHII", 16 + len(payload), msgtype,
                                   flags, self.seq, 0) + payload)
        out = []
        while True:
            data = self.sock.recv(1 << 16)
            off = 0
            while off + 16 <= len(data):
                ln, typ, _, seq, _ = struct.unpack_from("=IHHII", data, off)
                body = data[off + 16:off + ln]
                off += (ln + 3) & ~3
                if seq != self.seq:
                    continue
                if typ == NLMSG_DONE:
                    return out
                if typ == NLMSG_ERROR:
                    err = struct.unpack_from("=i", body)[0]
                    if err:
                        raise OSError(-err, os.strerror(-err))
                    return out
                out.append(body)

    def neighs(self, proxy=False):
        """[(ip, ifindex, state, lladdr)] of AF_INET (proxy) entries."""
        ndm = struct.pack("=BxxxiHBB", socket.AF_INET, 0, 0,
                          NTF_PROXY if proxy else 0, 0)
        res = []
        for body in self._talk(RTM_GETNEIGH, NLM_F_REQUEST | NLM_F_DUMP, ndm):
            fam, ifindex, state, flags, _ = struct.unpack_from("=BxxxiHBB", body)
            if fam != socket.AF_INET or bool(flags & NTF_PROXY) != proxy:
                continue
            ip, ll, off = None, None, 12
            while off + 4 <= len(body):
                alen, atype = struct.unpack_from("=HH", body, off)
                if alen < 4:
                    break
                val = body[off + 4:off + alen]
                if atype == NDA_DST and len(val) == 4:
                    ip = socket.inet_ntoa(val)
                elif atype == NDA_LLADDR:
                    ll = ":".join("%02x" % b for b in val)
                off += (alen + 3) & ~3
            res.append((ip, ifindex, state, ll))
        return res

    def delete(self, ip, ifindex, proxy=False):
        ndm = struct.pack("=BxxxiHBB", socket.AF_INET, ifindex, 0,
                          NTF_PROXY if proxy else 0, 0)
        attr = struct.pack("=HH4s", 8, NDA_DST, socket.inet_aton(ip))
        self._talk(RTM_DELNEIGH, NLM_F_REQUEST | NLM_F_ACK, ndm + attr)


# ------------------------------------------------------------ the harness
SO_TIMESTAMPNS = getattr(socket, "SO_TIMESTAMPNS", 35)


def rx_time(anc):
    """The kernel's receive time of a frame (CLOCK_REALTIME, as
    time.time()): python may read it much later under TCG."""
    for level, kind, data in anc:
        if level == socket.SOL_SOCKET and kind == SO_TIMESTAMPNS and len(data) >= 16:
            sec, nsec = struct.unpack_from("=qq", data)
            return sec + nsec / 1e9
    return time.time()


class Arp:
    def __init__(self, dut, peer, out):
        self.out = out
        self.results = []
        self.obs = {}
        self.max_alive = 0
        self.where = Where(dut, peer)
        self.dut = dut
        # rtnetlink in each namespace, opened while there
        self.nl_init = Rtnl()
        with self.where.inside(self.where.dut):
            self.nl_dut = Rtnl()
            self.ifname = {socket.if_nametoindex(n): n
                           for n in ("lo", DUT_IF0, DUT_IF1)}
        setns(self.where.peer)
        self.nl_peer = Rtnl()
        self.ifindex = {v: k for k, v in self.ifname.items()}
        self.links = {}
        for name in (PEER_IF0, PEER_IF1):
            s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW,
                              socket.htons(3))
            s.bind((name, 3))
            s.setsockopt(socket.SOL_SOCKET, SO_TIMESTAMPNS, 1)
            s.setblocking(False)
            self.links[name] = s
        self.frames = []     # (time, link, Ether) received, in order
        self.mac_seq = 0
        self.responder = {}  # ip -> mac: answer the DUT's requests for ip

    # -- results
    def check(self, name, cond, detail=""):
        self.results.append(("ok" if cond else "fail", name,
                             str(detail).replace("\t", " ").replace("\n", " | ")))
        return cond

    def note(self, obsname, line):
        self.obs.setdefault(obsname, []).append(line)

    def write(self):
        os.makedirs(os.path.join(self.out, "obs"), exist_ok=True)
        with open(os.path.join(self.out, "results.tsv"), "w") as f:
            for st, name, detail in self.results:
                f.write("%s\t%s\t%s\n" % (st, name, detail))
        for name, lines in self.obs.items():
            with open(os.path.join(self.out, "obs", name), "w") as f:
                f.write("".join(line + "\n" for line in lines))

    # -- the DUT
    def sysctl(self, path, value=None):
        """Read (and with value, write) /proc/sys/net/PATH in the DUT."""
        with self.where.inside(self.where.dut):
            with open("/proc/sys/net/" + path) as f:
                old = f.read().strip()
            if value is not None:
                with open("/proc/sys/net/" + path, "w") as f:
                    f.write(str(value))
        return old

    @contextlib.contextmanager
    def knobs(self, **settings):
        """Set DUT sysctls for a while: keys are paths under
        /proc/sys/net with ':' for '/' (ipv4:conf:veth-d0:arp_accept);
        the old values come back on the way out."""
        old = {}
        try:
            for path, value in settings.items():
                path = path.replace(":", "/")
                old[path] = self.sysctl(path, value)
            yield
        finally:
            for path, value in reversed(list(old.items())):
                self.sysctl(path, value)

    def ip(self, *args, check=True):
        p = subprocess.run(["ip", "-n", self.dut] + list(args),
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           universal_newlines=True)
        if check and p.returncode != 0:
            raise RuntimeError("ip %s: %s" % (" ".join(args), p.stdout.strip()))
        return p.stdout

    def neigh_show(self, *args):
        """`ip -4 neigh show ARGS` in the DUT, sorted, trailing blanks cut."""
        out = self.ip("-4", "neigh", "show", *args)
        return sorted(line.rstrip() for line in out.splitlines() if line.strip())

    def table(self):
        """{ip: (ifname, lladdr, state)} of the DUT's AF_INET entries."""
        res = {}
        for ip, ifindex, state, ll in self.nl_dut.neighs():
            res[ip] = (self.ifname.get(ifindex, str(ifindex)), ll,
                       NUD.get(state, hex(state)))
        return res

    def state(self, ip):
        e = self.table().get(ip)
        return e[2] if e else "absent"

    def census(self):
        n = 0
        for nl in (self.nl_init, self.nl_dut, self.nl_peer):
            n += len(nl.neighs())
        self.max_alive = max(self.max_alive, n)
        return n

    def reset(self):
        """Delete every AF_INET neighbour and proxy entry of the DUT (and
        of the peer, which should have none)."""
        self.census()
        for nl in (self.nl_dut, self.nl_peer):
            for proxy in (False, True):
                for ip, ifindex, _, _ in nl.neighs(proxy):
                    try:
                        nl.delete(ip, ifindex, proxy)
                    except OSError:
                        pass
        self.drain()

    def dut_socket(self, kind=socket.SOCK_DGRAM, bind=None):
        with self.where.inside(self.where.dut):
            s = socket.socket(socket.AF_INET, kind)
            if bind:
                s.bind((bind, 0))
        return s

    # -- frames
    def new_mac(self):
        self.mac_seq += 1
        return "02:00:00:00:0b:%02x" % self.mac_seq

    def send(self, link, frame):
        data = bytes(frame)
        self.links[link].send(data)

    def drain(self):
        for s in self.links.values():
            while True:
                try:
                    s.recvfrom(1 << 16)
                except BlockingIOError:
                    break
        self.frames = []

    def pump(self, timeout, until=None):
        """Read frames for up to timeout seconds, or until until() holds
        (checked after every frame and once at the start). Answers the
        DUT's ARP requests for the addresses in self.responder."""
        end = time.monotonic() + timeout
        if until is not None and until():
            return True
        while True:
            left = end - time.monotonic()
            if left <= 0:
                return until() if until is not None else False
            # until() may change without a frame (a process ends)
            rd, _, _ = select.select(list(self.links.values()), [], [],
                                     min(left, 0.05))
            for s in rd:
                link = [k for k, v in self.links.items() if v is s][0]
                while True:
                    try:
                        data, anc, _, addr = s.recvmsg(1 << 16, 64)
                    except BlockingIOError:
                        break
                    if addr[2] == socket.PACKET_OUTGOING:
                        continue
                    pkt = Ether(data)
                    self.frames.append((rx_time(anc), link, pkt))
                    self.respond(link, pkt)
            if until is not None and until():
                return True

    def respond(self, link, pkt):
        if ARP not in pkt or pkt[ARP].op != 1:
            return
        mac = self.responder.get(pkt[ARP].pdst)
        if mac:
            self.send(link, Ether(dst=pkt[ARP].hwsrc, src=mac) / ARP(
                op=2, hwsrc=mac, psrc=pkt[ARP].pdst,
                hwdst=pkt[ARP].hwsrc, pdst=pkt[ARP].psrc))

    def arps(self, link=None, op=None, pdst=None, ethdst=None):
        return [(t, p) for t, lk, p in self.frames
                if ARP in p and (link is None or lk == link)
                and (op is None or p[ARP].op == op)
                and (pdst is None or p[ARP].pdst == pdst)
                and (ethdst is None or p[Ether].dst == ethdst)]

    def udps(self, link, dport):
        return [(t, p) for t, lk, p in self.frames
                if lk == link and UDP in p and p[UDP].dport == dport]

    def wait_state(self, ip, accept, timeout, step=0.05):
        """Poll ip's state until it is in accept; return (state, seen)
        where seen is the list of distinct states in order."""
        end = time.monotonic() + timeout
        seen = []
        while True:
            st = self.state(ip)
            if not seen or seen[-1] != st:
                seen.append(st)
            if st in accept or time.monotonic() >= end:
                return st, seen
            time.sleep(step)


def describe_arp(p):
    a = p[ARP]
    return "eth %s>%s arp op=%d hrd=%d %s/%s > %s/%s" % (
        p[Ether].src, p[Ether].dst, a.op, a.hwtype, a.hwsrc, a.psrc,
        a.hwdst, a.pdst)


def arp_raw(op=1, sha="", spa="0.0.0.0", tha=ZERO, tpa="0.0.0.0", hrd=1,
            pro=0x0800, hln=6, pln=4, cut=None):
    """An ARP body as bytes, any field wrong on purpose: addresses are
    padded or cut to hln/pln bytes."""
    def hw(mac):
        b = bytes(int(x, 16) for x in mac.split(":"))
        return (b + bytes(hln))[:hln]

    def pa(ip):
        b = socket.inet_aton(ip)
        return (b + bytes(pln))[:pln]
    body = (struct.pack("!HHBBH", hrd, pro, hln, pln, op) + hw(sha) +
            pa(spa) + hw(tha) + pa(tpa))
    return body[:cut] if cut is not None else body


# ------------------------------------------------------------ case 1
def who_has(h, label, tpa, spa=PEER_IP, ethdst=BCAST, sha=None):
    sha = sha or h.new_mac()
    frame = Ether(dst=ethdst, src=sha) / ARP(op=1, hwsrc=sha, psrc=spa,
                                             hwdst=ZERO, pdst=tpa)
    return {"label": label, "sha": sha, "spa": spa, "tpa": tpa,
            "frame": frame}


def replies_to(h, probe):
    return [p for t, p in h.arps(link=PEER_IF0, ethdst=probe["sha"])]


def run_probes(h, cid, obsname, probes, grace=0.6):
    """Send each probe ({label, sha, spa, tpa, frame, expect}); expect is
    None (no reply) or (hwsrc, psrc, pdst): the reply's ARP sender MAC,
    sender IP and target IP (its target MAC and Ethernet destination must
    be the probe's sender MAC, its Ethernet source the DUT's veth-d0).
    Negative probes go first; each positive waits for its reply (so the
    last positive is the last one the DUT processed); then grace seconds
    for late answers. One check per probe, one observation line each."""
    h.drain()
    order = ([p for p in probes if p["expect"] is None] +
             [p for p in probes if p["expect"] is not None])
    for p in order:
        h.send(PEER_IF0, p["frame"])
        if p["expect"] is not None:
            h.pump(3.0 + p.get("delay", 0), lambda p=p: replies_to(h, p))
    h.pump(grace)
    for p in probes:
        reps = replies_to(h, p)
        got = "; ".join(describe_arp(r) for r in reps) or "no reply"
        h.note(obsname, "%s: who-has %s tell %s: %s" % (
            p["label"], p["tpa"], p["spa"], got))
        if p["expect"] is None:
            h.check("%s %s: who-has %s tell %s: no reply" % (
                cid, p["label"], p["tpa"], p["spa"]), not reps, got)
            continue
        hwsrc, psrc, pdst = p["expect"]
        good = (len(reps) == 1 and reps[0][ARP].op == 2 and
                reps[0][ARP].hwsrc == hwsrc and reps[0][ARP].psrc == psrc and
                reps[0][ARP].pdst == pdst and
                reps[0][ARP].hwdst == p["sha"] and
                reps[0][Ether].dst == p["sha"] and
                reps[0][Ether].src == DUT0)
        h.check("%s %s: who-has %s tell %s: %s is-at %s" % (
            cid, p["label"], p["tpa"], p["spa"], psrc, hwsrc), good, got)


def case1(h):
    """Requests for the DUT's addresses are answered, others are not,
    under arp_ignore 0 (default), 1, 2 and 8 on veth-d0; a request for the
    DUT's own address teaches it the sender (STALE, sender MAC from the
    ARP body); arp_announce is case 2's."""
    c = "c1"
    h.reset()
    h.note("c1-defaults", "arp_ignore=%s arp_announce=%s arp_accept=%s "
           "arp_filter=%s proxy_arp=%s drop_gratuitous_arp=%s" % tuple(
               h.sysctl("ipv4/conf/%s/%s" % (DUT_IF0, k)) for k in (
                   "arp_ignore", "arp_announce", "arp_accept", "arp_filter",
                   "proxy_arp", "drop_gratuitous_arp")))
    h.check(c + " defaults: arp_ignore=0 arp_announce=0 arp_accept=0 on veth-d0",
            h.sysctl("ipv4/conf/%s/arp_ignore" % DUT_IF0) == "0" and
            h.sysctl("ipv4/conf/%s/arp_announce" % DUT_IF0) == "0" and
            h.sysctl("ipv4/conf/%s/arp_accept" % DUT_IF0) == "0",
            h.obs["c1-defaults"][0])

    def mk(label, tpa, reply, spa=PEER_IP, ethdst=BCAST):
        p = who_has(h, label, tpa, spa=spa, ethdst=ethdst)
        p["expect"] = (DUT0, tpa, spa) if reply else None
        return p

    # arp_ignore=0: any local address, on any interface, is answered
    # (arp_process: ip_route_input gives RTN_LOCAL); a loopback or
    # multicast target is dropped outright; a broadcast or unicast
    # non-local target is not RTN_LOCAL, and forwarding is off.
    probes = [mk("ignore=0 own address", DUT_IP0, True),
              mk("ignore=0 other interface's address", DUT_IP1, True),
              mk("ignore=0 unicast to the DUT's MAC", DUT_IP0, True, ethdst=DUT0),
              mk("ignore=0 non-local address", "10.0.1.77", False),
              mk("ignore=0 the sender's own address", PEER_IP, False),
              mk("ignore=0 loopback", "127.0.0.1", False),
              mk("ignore=0 subnet broadcast", "10.0.1.255", False),
              mk("ignore=0 network address", "10.0.1.0", False),
              mk("ignore=0 multicast", "224.0.0.1", False),
              mk("ignore=0 limited broadcast", "255.255.255.255", False)]
    run_probes(h, c, "c1-replies", probes)
    last = [p for p in probes if p["expect"]][-1]
    t = h.table()
    h.note("c1-neigh", "after ignore=0: " + " | ".join(h.neigh_show("nud", "all")))
    h.check(c + " ignore=0: the requester is learnt STALE with its ARP sender MAC",
            t.get(PEER_IP) == (DUT_IF0, last["sha"], "STALE") and len(t) == 1, t)
    h.census()

    for val, probes in (
            ("1", [mk("ignore=1 own address", DUT_IP0, True),
                   mk("ignore=1 other interface's address", DUT_IP1, False)]),
            ("2", [mk("ignore=2 own address, sender in its subnet", DUT_IP0, True),
                   mk("ignore=2 own address, sender outside its subnet",
                      DUT_IP0, False, spa="10.0.3.3"),
                   mk("ignore=2 other interface's address", DUT_IP1, False)]),
            ("8", [mk("ignore=8 own address", DUT_IP0, False)])):
        h.reset()
        with h.knobs(**{"ipv4:conf:%s:arp_ignore" % DUT_IF0: val}):
            run_probes(h, c, "c1-replies", probes)
            t = h.table()
            h.note("c1-neigh", "after ignore=%s: %s" % (
                val, " | ".join(h.neigh_show("nud", "all"))))
            answered = [p for p in probes if p["expect"]]
            want = ({PEER_IP: (DUT_IF0, answered[-1]["sha"], "STALE")}
                    if answered else {})
            h.check("%s ignore=%s: only answered requesters are learnt" % (c, val),
                    t == want, "got %s want %s" % (t, want))
    h.reset()


# ------------------------------------------------------------ case 2
def resolve(h, sends, reply_mac=P0, bind=None, port=7001):
    """DUT sends the datagrams `sends` to PEER_IP:port from a new socket;
    wait for its ARP request, answer it (reply_mac None: do not), collect
    what follows. Returns (request or None, state when the request was
    seen, datagrams seen after)."""
    h.drain()
    s = h.dut_socket(bind=bind)
    for payload in sends:
        s.sendto(payload, (PEER_IP, port))
    h.pump(3.0, lambda: h.arps(link=PEER_IF0, op=1, pdst=PEER_IP))
    reqs = h.arps(link=PEER_IF0, op=1, pdst=PEER_IP)
    if not reqs:
        s.close()
        return None, h.state(PEER_IP), []
    st = h.state(PEER_IP)
    req = reqs[0][1]
    if reply_mac:
        h.send(PEER_IF0, Ether(dst=DUT0, src=reply_mac) / ARP(
            op=2, hwsrc=reply_mac, psrc=PEER_IP, hwdst=DUT0, pdst=DUT_IP0))
        h.pump(2.0, lambda: len(h.udps(PEER_IF0, port)) >= len(sends))
        h.pump(0.3)
    s.close()
    return req, st, [p for t, p in h.udps(PEER_IF0, port)]


def case2(h):
    """Resolution: the DUT's first datagrams to an unresolved peer wait
    in the neighbour's queue (unres_qlen_bytes, default 212992) while it
    broadcasts a request; the reply releases all of them in order, to the
    MAC in the reply. With unres_qlen_bytes=1 only the newest survives
    (__neigh_event_send drops from the head until the new one fits, and
    always queues the new one). arp_announce picks the request's source."""
    c = "c2"
    h.reset()
    h.note("c2-queue", "veth-d0 unres_qlen_bytes=%s unres_qlen=%s" % (
        h.sysctl("ipv4/neigh/%s/unres_qlen_bytes" % DUT_IF0),
        h.sysctl("ipv4/neigh/%s/unres_qlen" % DUT_IF0)))
    req, st, dgrams = resolve(h, [b"q1", b"q2", b"q3"])
    h.check(c + " the DUT broadcasts who-has 10.0.1.2 tell 10.0.1.1",
            req is not None and req[Ether].dst == BCAST and
            req[Ether].src == DUT0 and req[ARP].hwsrc == DUT0 and
            req[ARP].psrc == DUT_IP0 and req[ARP].hwdst == ZERO,
            describe_arp(req) if req else "no request")
    h.note("c2-queue", "request: " + (describe_arp(req) if req else "none"))
    h.check(c + " the entry is INCOMPLETE while the request is out",
            st == "INCOMPLETE", st)
    got = [bytes(p[UDP].payload) for p in dgrams]
    h.note("c2-queue", "default queue: delivered %s to %s" % (
        got, sorted(set(p[Ether].dst for p in dgrams))))
    h.check(c + " after the reply all 3 queued datagrams arrive, in order",
            got == [b"q1", b"q2", b"q3"] and
            all(p[Ether].dst == P0 and p[Ether].src == DUT0 for p in dgrams),
            got)
    t = h.table()
    h.check(c + " the entry is REACHABLE with the replied MAC",
            t.get(PEER_IP) == (DUT_IF0, P0, "REACHABLE"), t)
    h.note("c2-queue", "neigh: " + " | ".join(h.neigh_show()))
    h.census()

    h.reset()
    with h.knobs(**{"ipv4:neigh:%s:unres_qlen_bytes" % DUT_IF0: 1}):
        req, st, dgrams = resolve(h, [b"q1", b"q2", b"q3"])
    got = [bytes(p[UDP].payload) for p in dgrams]
    h.note("c2-queue", "unres_qlen_bytes=1: delivered %s" % got)
    h.check(c + " unres_qlen_bytes=1: only the newest queued datagram arrives",
            req is not None and got == [b"q3"], got)

    # arp_announce: the request's source for a datagram from 10.0.2.1
    # (veth-d1's address) out of veth-d0 (arp_solicit).
    for val, want in (("0", DUT_IP1), ("1", DUT_IP0), ("2", DUT_IP0)):
        h.reset()
        with h.knobs(**{"ipv4:conf:%s:arp_announce" % DUT_IF0: val}):
            req, st, dgrams = resolve(h, [b"a" + val.encode()], bind=DUT_IP1)
        src = req[ARP].psrc if req else "no request"
        h.note("c2-announce", "arp_announce=%s: request %s; datagram from %s" % (
            val, describe_arp(req) if req else "none",
            [p[IP].src for p in dgrams]))
        h.check("%s arp_announce=%s: datagram from 10.0.2.1, request tells %s" % (
            c, val, want), src == want and len(dgrams) == 1 and
            dgrams[0][IP].src == DUT_IP1, src)
    h.reset()


# ------------------------------------------------------------ case 3
def case3(h):
    """Failure: an unanswered entry sends mcast_solicit broadcast requests
    retrans_time_ms apart (the probe counter starts at ucast_solicit, so
    none is unicast), goes FAILED, and every queued packet gets an ICMP
    host unreachable (arp_error_report -> ipv4_link_failure): ping(8) in
    the DUT prints it; a datagram the DUT forwards for the peer brings one
    back to the peer, from 10.0.1.1 (the address facing it)."""
    c = "c3"
    h.reset()
    with h.knobs(**{"ipv4:neigh:%s:mcast_solicit" % DUT_IF1: 3,
                    "ipv4:neigh:%s:retrans_time_ms" % DUT_IF1: 200}):
        h.drain()
        ping = subprocess.Popen(
            ["ip", "netns", "exec", h.dut, "ping", "-n", "-c", "1", "-W", "5",
             "10.0.2.98"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            universal_newlines=True)
        h.pump(10.0, lambda: ping.poll() is not None)
        out = ping.communicate()[0]
        h.pump(0.7)
        reqs = h.arps(link=PEER_IF1, op=1, pdst="10.0.2.98")
        st = h.state("10.0.2.98")
    line = [ln for ln in out.splitlines() if ln.startswith("From ")]
    h.note("c3-fail", "ping 10.0.2.98: rc=%s %s" % (ping.returncode, line))
    h.note("c3-fail", "ping 10.0.2.98: %d requests: %s" % (
        len(reqs), sorted(set(describe_arp(p) for t, p in reqs))))
    h.check(c + " ping from the DUT: Destination Host Unreachable from 10.0.2.1",
            ping.returncode == 1 and
            line == ["From 10.0.2.1 icmp_seq=1 Destination Host Unreachable"],
            "rc=%s %s" % (ping.returncode, out))
    h.check(c + " mcast_solicit=3: 3 broadcast requests tell 10.0.2.1",
            len(reqs) == 3 and all(
                p[Ether].dst == BCAST and p[ARP].psrc == DUT_IP1 and
                p[ARP].hwsrc == DUT1 for t, p in reqs),
            [describe_arp(p) for t, p in reqs])
    gaps = [round(reqs[i + 1][0] - reqs[i][0], 2) for i in range(len(reqs) - 1)]
    h.check(c + " retrans_time_ms=200: requests at least 0.15 s apart",
            len(gaps) == 2 and min(gaps) >= 0.15, gaps)
    h.check(c + " the entry is FAILED", st == "FAILED", st)
    h.note("c3-fail", "neigh: " + " | ".join(h.neigh_show("nud", "all")))
    h.census()

    # forwarded: peer -> DUT -> 10.0.2.99 on veth-d1, nobody there
    h.reset()
    with h.knobs(**{"ipv4:neigh:%s:mcast_solicit" % DUT_IF1: 2,
                    "ipv4:neigh:%s:retrans_time_ms" % DUT_IF1: 200,
                    "ipv4:ip_forward": 1}):
        h.drain()
        h.responder = {PEER_IP: P0}
        h.send(PEER_IF0, Ether(dst=DUT0, src=P0) / IP(
            src=PEER_IP, dst="10.0.2.99", ttl=64) / UDP(
                sport=40001, dport=9) / b"fwd")

        def icmps():
            return [p for t, lk, p in h.frames
                    if lk == PEER_IF0 and ICMP in p]
        h.pump(8.0, icmps)
        h.pump(0.7)
        h.responder = {}
        reqs = h.arps(link=PEER_IF1, op=1, pdst="10.0.2.99")
        st = h.state("10.0.2.99")
        ic = icmps()
    h.note("c3-fail", "forwarded to 10.0.2.99: %d requests: %s" % (
        len(reqs), sorted(set(describe_arp(p) for t, p in reqs))))
    desc = ["%s>%s icmp type=%d code=%d quoting %s>%s" % (
        p[IP].src, p[IP].dst, p[ICMP].type, p[ICMP].code,
        p[ICMP].payload.src if IPerror in p else "?",
        p[ICMP].payload.dst if IPerror in p else "?") for p in ic]
    h.note("c3-fail", "forwarded to 10.0.2.99: %s" % desc)
    h.check(c + " forwarded: mcast_solicit=2: 2 broadcast requests on veth-d1",
            len(reqs) == 2 and all(
                p[Ether].dst == BCAST and p[ARP].psrc == DUT_IP1 for t, p in reqs),
            [describe_arp(p) for t, p in reqs])
    h.check(c + " forwarded: one ICMP host unreachable from 10.0.1.1 to the peer",
            desc == ["10.0.1.1>10.0.1.2 icmp type=3 code=1 quoting 10.0.1.2>10.0.2.99"]
            and ic[0][Ether].dst == P0, desc)
    h.check(c + " forwarded: the entry is FAILED", st == "FAILED", st)
    h.census()
    h.reset()


# ------------------------------------------------------------ case 4
def case4(h):
    """REACHABLE -> STALE -> DELAY -> PROBE -> REACHABLE, and PROBE ->
    FAILED. base_reachable_time_ms=3000 makes the reachable time random
    in [1.5 s, 4.5 s) (neigh_rand_reach_time), always longer than
    delay_first_probe_time=1 s after the last use, so it ends in STALE,
    not DELAY (neigh_timer_handler). A datagram to a STALE entry goes out
    at once to the old MAC and starts DELAY; 1 s later PROBE sends a
    unicast request (target MAC zero) to that MAC, every retrans_time_ms,
    ucast_solicit times, then FAILED."""
    c = "c4"
    h.reset()
    with h.knobs(**{"ipv4:neigh:%s:base_reachable_time_ms" % DUT_IF0: 3000,
                    "ipv4:neigh:%s:delay_first_probe_time" % DUT_IF0: 1,
                    "ipv4:neigh:%s:retrans_time_ms" % DUT_IF0: 500,
                    "ipv4:neigh:%s:ucast_solicit" % DUT_IF0: 3}):
        h.drain()
        s = h.dut_socket()
        s.sendto(b"r1", (PEER_IP, 7004))
        h.pump(3.0, lambda: h.arps(link=PEER_IF0, op=1, pdst=PEER_IP))
        reply = bytes(Ether(dst=DUT0, src=P0) / ARP(
            op=2, hwsrc=P0, psrc=PEER_IP, hwdst=DUT0, pdst=DUT_IP0))
        t_reply = time.time()
        h.links[PEER_IF0].send(reply)
        # the states at each step, for the observation (none timed)
        steps = []
        st, seen = h.wait_state(PEER_IP, ("REACHABLE", "STALE", "FAILED"), 1.0)
        steps.append(st)
        h.check(c + " answered: REACHABLE", st == "REACHABLE", seen)
        st, seen = h.wait_state(PEER_IP, ("STALE", "DELAY", "FAILED", "absent"),
                                4.5 + 3.0, step=0.1)
        dt = time.time() - t_reply
        steps.append(st)
        h.check(c + " then STALE (not DELAY) after 0.5-1.5 x base_reachable_time",
                st == "STALE" and 1.45 <= dt <= 4.5 + 2.5,
                "%s after %.2f s" % (seen, dt))
        h.note("c4-states", "stale: " + " | ".join(h.neigh_show(PEER_IP)))
        h.drain()
        t_use = time.time()
        s.sendto(b"r2", (PEER_IP, 7004))
        st, seen = h.wait_state(PEER_IP, ("DELAY", "PROBE", "FAILED"), 0.5,
                                step=0.02)
        steps.append(st)
        h.check(c + " a datagram to the STALE entry: DELAY", st == "DELAY", seen)
        h.pump(4.0, lambda: h.arps(link=PEER_IF0, op=1))
        probes = h.arps(link=PEER_IF0, op=1)
        d = h.udps(PEER_IF0, 7004)
        h.check(c + " the datagram goes out at once (before the probe), to the old MAC",
                len(d) == 1 and d[0][1][Ether].dst == P0 and bool(probes) and
                d[0][0] < probes[0][0],
                [(round(t - t_use, 2), p[Ether].dst) for t, p in d])
        st = h.state(PEER_IP)
        steps.append(st)
        if probes:
            h.links[PEER_IF0].send(reply)
        h.check(c + " in PROBE when the probe arrives", st == "PROBE", st)
        pr = probes[0][1] if probes else None
        h.note("c4-states", "probe: " + (describe_arp(pr) if pr else "none"))
        h.check(c + " the probe: unicast who-has 10.0.1.2 to its MAC, target MAC 0",
                pr is not None and pr[Ether].dst == P0 and pr[ARP].hwsrc == DUT0 and
                pr[ARP].psrc == DUT_IP0 and pr[ARP].pdst == PEER_IP and
                pr[ARP].hwdst == ZERO, describe_arp(pr) if pr else "none")
        dtp = probes[0][0] - t_use if probes else -1
        h.check(c + " the probe comes delay_first_probe_time (1 s) after the use",
                0.95 <= dtp <= 1.0 + 2.5, "%.2f s" % dtp)
        st, seen = h.wait_state(PEER_IP, ("REACHABLE", "STALE", "FAILED"), 1.0)
        steps.append(st)
        h.check(c + " the probe answered: REACHABLE again", st == "REACHABLE", seen)
        h.note("c4-states", "answered: " + " -> ".join(steps))
        h.census()

        # no answer this time
        with h.knobs(**{"ipv4:neigh:%s:ucast_solicit" % DUT_IF0: 2}):
            h.ip("neigh", "change", PEER_IP, "lladdr", P0, "dev", DUT_IF0,
                 "nud", "stale")
            st0 = h.state(PEER_IP)
            h.drain()
            t_use = time.time()
            s.sendto(b"r3", (PEER_IP, 7004))
            st, seen = h.wait_state(PEER_IP, ("FAILED", "absent"), 6.0,
                                    step=0.05)
            h.pump(0.8)
            probes = h.arps(link=PEER_IF0, op=1, pdst=PEER_IP)
        seen = [st0] + seen
        h.note("c4-states", "unanswered: " + " -> ".join(seen))
        h.note("c4-states", "unanswered probes: %d: %s" % (
            len(probes), sorted(set(describe_arp(p) for t, p in probes))))
        h.check(c + " unanswered: STALE -> DELAY -> PROBE -> FAILED",
                seen == ["STALE", "DELAY", "PROBE", "FAILED"], seen)
        h.check(c + " unanswered: ucast_solicit=2 unicast probes, then no more",
                len(probes) == 2 and all(p[Ether].dst == P0 for t, p in probes),
                [describe_arp(p) for t, p in probes])
        times = [round(t - t_use, 2) for t, p in probes]
        h.check(c + " unanswered: probes 1 s after the use, retrans_time_ms (0.5 s) apart",
                len(times) == 2 and times[0] >= 0.95 and times[1] - times[0] >= 0.45,
                times)
        s.close()
    h.reset()


# ------------------------------------------------------------ case 5
def case5(h):
    """Gratuitous ARP (sender IP == target IP; a reply also needs target
    MAC == sender MAC) and unsolicited replies, arp_accept 0/1/2
    (arp_process, arp_accept, arp_is_garp; ip-sysctl.rst): 0 creates
    nothing; 1 creates from a garp, or from a reply whose sender is a
    unicast address; 2 as 1 but only for senders in a subnet of veth-d0.
    A broadcast frame or a request gives STALE, a unicast reply
    REACHABLE. Whatever arp_accept says, a garp updates an existing entry
    (override), never a PERMANENT one; a plain reply does not override
    within locktime (1 s) of the last update, a garp does."""
    c = "c5"

    def garp(ip, mac, op=1, tha=None, ethdst=BCAST, tpa=None):
        return Ether(dst=ethdst, src=mac) / ARP(
            op=op, hwsrc=mac, psrc=ip, pdst=tpa or ip,
            hwdst=(tha if tha is not None else (mac if op == 2 else ZERO)))
    new = {}
    frames = [
        ("garp request in subnet", "10.0.1.21", 1, None, BCAST, None),
        ("garp reply in subnet", "10.0.1.22", 2, None, BCAST, None),
        ("garp request outside the subnets", "10.0.9.23", 1, None, BCAST, None),
        ("unsolicited unicast reply to the DUT", "10.0.1.24", 2, DUT0, DUT0, DUT_IP0),
        ("broadcast reply, target MAC 0 (not a garp)", "10.0.1.27", 2, ZERO, BCAST, None),
    ]
    for val in ("0", "1", "2"):
        h.reset()
        if val == "0":
            h.ip("neigh", "add", "10.0.1.25", "lladdr", "02:00:00:00:0c:25",
                 "dev", DUT_IF0, "nud", "stale")
            h.ip("neigh", "add", "10.0.1.26", "lladdr", "02:00:00:00:0c:26",
                 "dev", DUT_IF0, "nud", "permanent")
        with h.knobs(**{"ipv4:conf:%s:arp_accept" % DUT_IF0: val}):
            h.drain()
            sent = []
            for label, ip, op, tha, ethdst, tpa in frames:
                mac = h.new_mac()
                new[ip] = mac
                h.send(PEER_IF0, garp(ip, mac, op, tha, ethdst, tpa))
                sent.append((label, ip, op, ethdst))
            if val == "0":
                for ip in ("10.0.1.25", "10.0.1.26"):
                    new[ip] = h.new_mac()
                    h.send(PEER_IF0, garp(ip, new[ip]))
            h.pump(0.8)
            t = h.table()
            h.census()
        h.note("c5-garp", "arp_accept=%s: %s" % (
            val, " | ".join(h.neigh_show("nud", "all"))))
        replies = [describe_arp(p) for tt, p in h.arps(link=PEER_IF0)]
        h.check("%s arp_accept=%s: no frame answers a garp" % (c, val),
                not replies, replies)
        for label, ip, op, ethdst in sent:
            in_subnet = ip.startswith("10.0.1.")
            create = val == "1" or (val == "2" and in_subnet)
            state = "REACHABLE" if (op == 2 and ethdst == DUT0) else "STALE"
            want = (DUT_IF0, new[ip], state) if create else None
            h.check("%s arp_accept=%s: %s %s: %s" % (
                c, val, label, ip, "entry %s" % state if create else "no entry"),
                t.get(ip) == want, "got %s want %s" % (t.get(ip), want))
        if val == "0":
            h.check(c + " arp_accept=0: a garp updates an existing entry",
                    t.get("10.0.1.25") == (DUT_IF0, new["10.0.1.25"], "STALE"),
                    t.get("10.0.1.25"))
            h.check(c + " arp_accept=0: a garp leaves a PERMANENT entry alone",
                    t.get("10.0.1.26") == (DUT_IF0, "02:00:00:00:0c:26", "PERMANENT"),
                    t.get("10.0.1.26"))

    # locktime: first reply wins; a garp overrides at once
    h.reset()
    req, st, dg = resolve(h, [b"l1"], reply_mac=None, port=7005)
    x, y, z = h.new_mac(), h.new_mac(), h.new_mac()

    def reply(mac):
        return Ether(dst=DUT0, src=mac) / ARP(op=2, hwsrc=mac, psrc=PEER_IP,
                                              hwdst=DUT0, pdst=DUT_IP0)
    h.links[PEER_IF0].send(bytes(reply(P0)))
    h.links[PEER_IF0].send(bytes(reply(x)))
    time.sleep(0.2)
    t1 = h.table().get(PEER_IP)
    h.check(c + " a second reply within locktime does not override the first",
            req is not None and t1 == (DUT_IF0, P0, "REACHABLE"), t1)
    time.sleep(1.3)
    h.links[PEER_IF0].send(bytes(reply(y)))
    time.sleep(0.2)
    t2 = h.table().get(PEER_IP)
    h.check(c + " a reply after locktime overrides", t2 == (DUT_IF0, y, "REACHABLE"), t2)
    h.send(PEER_IF0, garp(PEER_IP, z))
    time.sleep(0.2)
    t3 = h.table().get(PEER_IP)
    h.check(c + " a garp overrides within locktime (STALE)",
            t3 == (DUT_IF0, z, "STALE"), t3)
    h.note("c5-locktime", "first reply, second at once, third after 1.3 s, garp: "
           "%s / %s / %s" % (t1, t2, t3))
    h.reset()


# ------------------------------------------------------------ case 6
def case6(h):
    """Proxy ARP (arp_process, arp_fwd_proxy, pneigh_lookup): with
    forwarding on, a request for an address routed out of another
    interface is answered with veth-d0's MAC when veth-d0 has proxy_arp=1
    or a proxy entry (`ip neigh add proxy`) exists; never for a target on
    the same link or without a route, nor with forwarding off on veth-d0.
    Broadcast requests wait up to proxy_delay (0.8 s) in the proxy queue,
    unicast ones are answered at once."""
    c = "c6"
    h.reset()

    def mk(label, tpa, reply, ethdst=BCAST):
        p = who_has(h, label, tpa, ethdst=ethdst)
        p["expect"] = (DUT0, tpa, PEER_IP) if reply else None
        p["delay"] = 1.0
        return p
    h.ip("route", "add", "198.51.100.0/24", "dev", DUT_IF1)
    try:
        with h.knobs(**{"ipv4:ip_forward": 1,
                        "ipv4:conf:%s:proxy_arp" % DUT_IF0: 1}):
            h.note("c6-proxy", "proxy_delay=%s" % h.sysctl(
                "ipv4/neigh/%s/proxy_delay" % DUT_IF0))
            probes = [mk("proxy_arp=1 target behind veth-d1", "10.0.2.7", True),
                      mk("proxy_arp=1 unicast request", "10.0.2.8", True, DUT0),
                      mk("proxy_arp=1 target on the same link", "10.0.1.77", False),
                      mk("proxy_arp=1 target without a route", "192.0.2.9", False)]
            run_probes(h, c, "c6-replies", probes, grace=1.2)
            t = h.table()
            h.check(c + " proxy_arp=1: the requester is learnt",
                    t.get(PEER_IP) == (DUT_IF0, probes[1]["sha"], "STALE"), t)
        h.reset()
        with h.knobs(**{"ipv4:ip_forward": 1,
                        "ipv4:neigh:%s:proxy_delay" % DUT_IF0: 0}):
            for ip in ("10.0.2.30", "10.0.1.31", "198.51.100.33", "192.0.2.34"):
                h.ip("neigh", "add", "proxy", ip, "dev", DUT_IF0)
            h.note("c6-proxy", "ip neigh show proxy: " + " | ".join(
                h.neigh_show("proxy")))
            pt = sorted(ip for ip, _, _, _ in h.nl_dut.neighs(proxy=True))
            h.check(c + " ip neigh add proxy: 4 proxy entries",
                    pt == ["10.0.1.31", "10.0.2.30", "192.0.2.34", "198.51.100.33"], pt)
            probes = [mk("proxy_arp=0 target behind veth-d1", "10.0.2.7", False),
                      mk("proxy entry, target behind veth-d1", "10.0.2.30", True),
                      mk("proxy entry, target on the same link", "10.0.1.31", False),
                      mk("proxy entry, target routed out of veth-d1", "198.51.100.33", True),
                      mk("proxy entry, target without a route", "192.0.2.34", False)]
            run_probes(h, c, "c6-replies", probes)
            with h.knobs(**{"ipv4:conf:%s:forwarding" % DUT_IF0: 0}):
                probes = [mk("forwarding off on veth-d0, proxy entry", "10.0.2.30", False)]
                with h.knobs(**{"ipv4:conf:%s:proxy_arp" % DUT_IF0: 1}):
                    probes.append(mk("forwarding off on veth-d0, proxy_arp=1",
                                     "10.0.2.8", False))
                    run_probes(h, c, "c6-replies", probes)
            h.census()
            h.ip("neigh", "del", "proxy", "10.0.2.30", "dev", DUT_IF0)
            pt = sorted(ip for ip, _, _, _ in h.nl_dut.neighs(proxy=True))
            h.check(c + " ip neigh del proxy removes one", len(pt) == 3, pt)
    finally:
        h.ip("route", "del", "198.51.100.0/24", "dev", DUT_IF1, check=False)
    h.reset()


# ------------------------------------------------------------ case 7
def case7(h):
    """Malformed and odd ARP (arp_rcv, arp_process): a hardware address
    length other than 6, a protocol length other than 4, a frame too
    short for the header and addresses, a hardware type other than 1/6,
    a protocol other than IPv4, an opcode other than request/reply, a
    multicast or loopback target, a frame to another MAC: dropped, so
    the entry for 10.0.1.2 keeps its MAC. Senders: 255.255.255.255,
    multicast and loopback are martian sources (ip_route_input fails: no
    reply, nothing learnt); the DUT's own address is refused the same way
    (fib_validate_source); 0.0.0.0 is a duplicate-address probe, answered
    without learning; the subnet broadcast 10.0.1.255 is a valid source
    to the route lookup, so it is answered, and the neighbour it makes is
    a NOARP one with the broadcast MAC that the request cannot change
    (arp_constructor). Hardware type 6 (IEEE 802) is accepted."""
    c = "c7"
    h.reset()
    h.ip("neigh", "replace", PEER_IP, "lladdr", P0, "dev", DUT_IF0, "nud", "stale")

    def raw(label, ethdst=BCAST, spa=PEER_IP, tpa=DUT_IP0, **kw):
        sha = h.new_mac()
        body = arp_raw(sha=sha, spa=spa, tpa=tpa, **kw)
        return {"label": label, "sha": sha, "spa": spa, "tpa": tpa,
                "frame": Ether(dst=ethdst, src=sha, type=0x0806) / Raw(body),
                "expect": None}
    probes = [raw("hardware length 8", hln=8),
              raw("protocol length 6", pln=6),
              raw("truncated after 20 bytes", cut=20),
              raw("hardware type 0x99", hrd=0x99),
              raw("protocol 0x86dd", pro=0x86dd),
              raw("opcode 3 (RARP request)", op=3),
              raw("opcode 0", op=0),
              raw("multicast target", tpa="224.0.0.1"),
              raw("loopback target", tpa="127.0.0.1"),
              raw("frame to another MAC", ethdst="02:00:00:00:0a:99"),
              raw("hardware length 8, new sender", hln=8, spa="10.0.1.60")]
    run_probes(h, c, "c7-malformed", probes, grace=1.0)
    t = h.table()
    h.note("c7-malformed", "neigh: " + " | ".join(h.neigh_show("nud", "all")))
    h.check(c + " dropped frames leave 10.0.1.2's entry alone (not poisoned)",
            t.get(PEER_IP) == (DUT_IF0, P0, "STALE"), t.get(PEER_IP))
    h.check(c + " nothing learnt from a dropped frame (10.0.1.60)",
            "10.0.1.60" not in t, t)
    ctrl = who_has(h, "well-formed control", DUT_IP0)
    ctrl["expect"] = (DUT0, DUT_IP0, PEER_IP)
    ctrl2 = who_has(h, "well-formed control, new sender", DUT_IP0, spa="10.0.1.61")
    ctrl2["expect"] = (DUT0, DUT_IP0, "10.0.1.61")
    run_probes(h, c, "c7-malformed", [ctrl, ctrl2], grace=0.2)
    t = h.table()
    h.check(c + " control: a well-formed request does update 10.0.1.2 (STALE)",
            t.get(PEER_IP) == (DUT_IF0, ctrl["sha"], "STALE"), t.get(PEER_IP))
    h.check(c + " control: a well-formed request from 10.0.1.61 is learnt",
            t.get("10.0.1.61") == (DUT_IF0, ctrl2["sha"], "STALE"), t.get("10.0.1.61"))
    h.census()

    h.reset()
    h.ip("neigh", "replace", PEER_IP, "lladdr", P0, "dev", DUT_IF0, "nud", "stale")

    def req(label, spa, tpa, reply, op=1, ethdst=BCAST, hrd=1):
        p = raw(label, spa=spa, tpa=tpa, op=op, ethdst=ethdst, hrd=hrd,
                tha=DUT0 if op == 2 else ZERO)
        p["expect"] = (DUT0, tpa, spa) if reply else None
        return p
    probes = [req("sender 255.255.255.255", "255.255.255.255", DUT_IP0, False),
              req("sender multicast", "224.0.0.5", DUT_IP0, False),
              req("sender loopback", "127.0.0.1", DUT_IP0, False),
              req("sender is the DUT's own address (garp)", DUT_IP0, DUT_IP0, False),
              req("sender is the DUT's own address", DUT_IP0, "10.0.1.77", False),
              req("sender is the DUT's own address, reply", DUT_IP0, DUT_IP0, False,
                  op=2, ethdst=DUT0),
              req("sender 0.0.0.0, target not local", "0.0.0.0", "10.0.1.77", False),
              req("sender 0.0.0.0 (duplicate address probe)", "0.0.0.0", DUT_IP0, True),
              req("sender is the subnet broadcast", "10.0.1.255", DUT_IP0, True),
              req("hardware type 6 (IEEE 802)", PEER_IP, DUT_IP0, True, hrd=6)]
    run_probes(h, c, "c7-senders", probes)
    t = h.table()
    h.note("c7-senders", "neigh: " + " | ".join(h.neigh_show("nud", "all")))
    for ip in ("255.255.255.255", "224.0.0.5", "127.0.0.1", DUT_IP0, "0.0.0.0"):
        h.check("%s nothing learnt for sender %s" % (c, ip), ip not in t, t.get(ip))
    h.check(c + " the subnet broadcast sender leaves a NOARP broadcast entry",
            t.get("10.0.1.255") == (DUT_IF0, BCAST, "NOARP"), t.get("10.0.1.255"))
    h.check(c + " hardware type 6 updates 10.0.1.2 like type 1",
            t.get(PEER_IP) == (DUT_IF0, probes[-1]["sha"], "STALE"), t.get(PEER_IP))
    rep = replies_to(h, probes[-1])
    h.check(c + " the reply to hardware type 6 says type 1 (the device's)",
            len(rep) == 1 and rep[0][ARP].hwtype == 1,
            [describe_arp(p) for p in rep])
    h.census()
    h.reset()


# ------------------------------------------------------------ main
def cmd_run(dut, peer, out):
    h = Arp(dut, peer, out)
    t0 = time.monotonic()
    import logging
    logging.getLogger("scapy.runtime").setLevel(logging.ERROR)
    global ARP, Ether, IP, UDP, ICMP, IPerror, Raw
    # scapy reads interfaces and routes at import: import in PEER.
    from scapy.all import ARP, Ether, IP, UDP, ICMP, IPerror, Raw  # noqa: F401
    print("# scapy imported in %.1f s" % (time.monotonic() - t0), flush=True)
    rc = 0
    cases = (case1, case2, case3, case4, case5, case6, case7)
    only = os.environ.get("ARPCHECK_CASES")  # e.g. "3 4", for debugging
    if only:
        cases = [cs for cs in cases if cs.__name__[4:] in only.split()]
    for case in cases:
        t1 = time.monotonic()
        try:
            case(h)
            h.check("c%s ran to the end" % case.__name__[4:], True)
        except Exception as e:  # a broken case must not stop the others
            import traceback
            traceback.print_exc()
            h.check("c%s ran to the end" % case.__name__[4:], False, repr(e))
            rc = 1
            try:
                h.responder = {}
                h.reset()
            except Exception:
                pass
        print("# %s: %.1f s" % (case.__name__, time.monotonic() - t1), flush=True)
    h.check("c1-c7 at most %d neighbour entries alive at once (all namespaces)" % MAX_ALIVE,
            h.max_alive <= MAX_ALIVE, "max %d" % h.max_alive)
    print("# max neighbour entries alive: %d" % h.max_alive, flush=True)
    h.write()
    return rc


# ------------------------------------------------------------ case 9
SIOCDARP, SIOCGARP, SIOCSARP = 0x8953, 0x8954, 0x8955
ATF = {"C": 0x02, "M": 0x04, "P": 0x08, "N": 0x20, "D": 0x40}
ARPREQ = "<16s16si16s16s"   # struct arpreq (include/uapi/linux/if_arp.h)
assert struct.calcsize(ARPREQ) == 68


def sockaddr_in(ip, family=socket.AF_INET):
    return struct.pack("<HH4s8x", family, 0, socket.inet_aton(ip))


def sockaddr_hw(mac, family):
    b = bytes(int(x, 16) for x in mac.split(":")) if mac else b""
    return struct.pack("<H14s", family, b)


def ioctl_case(sock, words):
    """NAME set|get|del [ip=A] [pafam=N] [ha=MAC] [hafam=N] [flags=CMPND]
    [mask=M] [dev=NAME]: one ioctl; "NAME OK ..." or "NAME EXXX"."""
    name, op = words[0], words[1]
    kv = dict(w.split("=", 1) for w in words[2:])
    flags = 0
    for ch in kv.get("flags", ""):
        flags |= ATF[ch]
    dev = kv.get("dev", "").encode()
    buf = bytearray(struct.pack(
        ARPREQ, sockaddr_in(kv.get("ip", "0.0.0.0"), int(kv.get("pafam", 2))),
        sockaddr_hw(kv.get("ha"), int(kv.get("hafam", 1))), flags,
        sockaddr_in(kv.get("mask", "0.0.0.0")), dev[:16]))
    cmd = {"set": SIOCSARP, "get": SIOCGARP, "del": SIOCDARP}[op]
    try:
        fcntl.ioctl(sock.fileno(), cmd, buf, True)
    except OSError as e:
        return "%s %s" % (name, errno.errorcode.get(e.errno, str(e.errno)))
    if op != "get":
        return "%s OK" % name
    _, ha, fl, _, devname = struct.unpack(ARPREQ, bytes(buf))
    fam = struct.unpack_from("<H", ha)[0]
    return "%s OK ha=%s hafam=%d flags=0x%x dev=%s" % (
        name, ":".join("%02x" % b for b in ha[2:8]), fam, fl,
        devname.split(b"\0")[0].decode())


def look(words):
    """NAME cat FILE: its content; NAME arp IP: IP's lines of
    /proc/net/arp (" / " between them) or "absent"."""
    name, op, arg = words[0], words[1], words[2]
    if op == "cat":
        with open(arg) as f:
            return "%s %s" % (name, f.read().strip())
    with open("/proc/net/arp") as f:
        lines = [" ".join(ln.split()) for ln in f.readlines()[1:]
                 if ln.split()[:1] == [arg]]
    return "%s %s" % (name, " / ".join(sorted(lines)) or "absent")


def cmd_ioctl():
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    for line in sys.stdin:
        words = line.split()
        if not words or words[0].startswith("#"):
            continue
        if words[1] in ("cat", "arp"):
            print(look(words), flush=True)
        else:
            print(ioctl_case(sock, words), flush=True)
    return 0


def main(argv):
    if len(argv) >= 5 and argv[1] == "run":
        return cmd_run(argv[2], argv[3], argv[4])
    if len(argv) == 2 and argv[1] == "ioctl":
        return cmd_ioctl()
    sys.exit(__doc__)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
