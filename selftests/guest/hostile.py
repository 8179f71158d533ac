#!/usr/bin/python3
"""Hostile frames at a router namespace, seeded and replayable, in the guest.

    hostile.py DUT PEER OUTDIR SEED FLOOD

Topology (made by selftests/families/hostile.sh):

    DUT h0 02:00:00:00:8a:01 10.81.1.1/24 --- hp0 02:00:00:00:8a:02 (PEER)
    DUT h1 02:00:00:00:8b:01 10.81.2.1/24 --- hp1 02:00:00:00:8b:02 (PEER)

The peer links have no address, ARP off and IPv6 off: every frame the
DUT gets comes from here. The DUT forwards; 10.82/16 goes via 10.81.2.2,
10.83/16 is a blackhole, 10.84/16 prohibit, 10.85/16 unreachable;
10.81.1.2 and 10.81.2.2 (the peer's ends) and 10.81.1.200 have permanent
entries, so nothing the DUT sends waits on ARP; icmp_ratelimit is 0 and
net.ipv4.route.error_cost (global) 0 while it runs, so no ICMP error
depends on timing (with the default cost, the unreachable, prohibit and
no-route errors, sent by ip_error() under its own per-source limit, came
and went from run to run).

1. IPv4 probes (one frame each, built with scapy): well-formed ones to the
   DUT, through it, to routes that refuse; broken headers (IHL, version,
   total length, checksum, truncation, options); martian and odd sources;
   broadcast, multicast, loopback and zero destinations; an IP unicast
   in a broadcast or multicast Ethernet frame; fragments. For each, what
   came out of the DUT on either link within 0.3 s (ICMP type/code,
   echo reply, a forwarded frame and its TTL, or nothing) and how the
   DUT's IP, IpExt and ICMP counters moved.
2. ARP probes beyond the arp family's (selftests/guest/arpcheck.py, case
   7): broadcast, multicast and zero sender MACs, an Ethernet source that
   is not the sender's, off-subnet senders, unsolicited replies, an
   attempt on a permanent entry, a request for the other link's address;
   then the DUT's neighbour table.
3. A flood: FLOOD frames as fast as one socket sends them, from the seed:
   ARP requests and IPv4 datagrams from random senders, a third of them
   with one to three random bytes changed or cut short. Then the DUT must
   still answer, and what no frame may change (the permanent entries, the
   routes) must be as it was.

Every probe of 1 and 2 has an outcome the oracle here predicts from
net/ipv4 (6.12) or, where noted (None), only stock's outcome to equal.
Writes OUTDIR/results.tsv ("ok|fail<TAB>name<TAB>detail") and OUTDIR/obs/
(compared byte for byte with stock's); exit status 0 when every part ran.
"""
import os
import random
import socket
import subprocess
import sys
import time

from arpcheck import Where, arp_raw, setns

DUT0, DUT1 = "02:00:00:00:8a:01", "02:00:00:00:8b:01"
P0, P1 = "02:00:00:00:8a:02", "02:00:00:00:8b:02"
D0, D1 = "10.81.1.1", "10.81.2.1"
PEER = "10.81.1.2"
BCAST = "ff:ff:ff:ff:ff:ff"
WINDOW = 0.3
COUNTERS = {
    "Ip": ("InReceives", "InHdrErrors", "InAddrErrors", "ForwDatagrams",
           "InUnknownProtos", "InDiscards", "InDelivers", "OutRequests",
           "OutNoRoutes", "ReasmReqds", "ReasmOKs", "ReasmFails"),
    "IpExt": ("InNoRoutes", "InTruncatedPkts", "InCsumErrors",
              "InBcastPkts", "InMcastPkts"),
    "Icmp": ("OutDestUnreachs", "OutTimeExcds", "OutParmProbs",
             "OutEchoReps", "OutRateLimitGlobal", "OutRateLimitHost"),
}


class Peer:
    def __init__(self, dut, peer, out):
        self.where = Where(dut, peer)
        setns(self.where.peer)
        self.out = out
        self.results = []
        self.obs = {}
        self.links = {}
        for i, name in enumerate(("hp0", "hp1")):
            s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW,
                              socket.htons(0x0003))
            s.bind((name, 0))
            s.setblocking(False)
            self.links[i] = s

    def check(self, name, cond, detail=""):
        self.results.append(("ok" if cond else "fail", name, str(detail)))

    def note(self, obs, line):
        self.obs.setdefault(obs, []).append(line)

    def write(self):
        os.makedirs(os.path.join(self.out, "obs"), exist_ok=True)
        with open(os.path.join(self.out, "results.tsv"), "w") as f:
            for r in self.results:
                f.write("\t".join(x.replace("\t", " ").replace("\n", " | ")
                                  for x in r) + "\n")
        for name, lines in self.obs.items():
            with open(os.path.join(self.out, "obs", name), "w") as f:
                f.write("\n".join(lines) + "\n")

    def counters(self):
        got = {}
        with self.where.inside(self.where.dut):
            for path in ("/proc/net/snmp", "/proc/net/netstat"):
                with open(path) as f:
                    lines = f.read().splitlines()
                for head, vals in zip(lines[0::2], lines[1::2]):
                    sect, names = head.split(":", 1)
                    for n, v in zip(names.split(), vals.split(":", 1)[1].split()):
                        if n in COUNTERS.get(sect, ()):
                            got[sect + "." + n] = int(v)
        return got

    def drain(self):
        for s in self.links.values():
            while True:
                try:
                    s.recv(1 << 16)
                except BlockingIOError:
                    break

    def collect(self, window):
        """Frames out of the DUT on either link for window seconds (IPv6
        and IGMP, which the DUT sends of its own accord, left out)."""
        import select
        got = []
        end = time.monotonic() + window
        while True:
            left = end - time.monotonic()
            if left <= 0:
                return got
            ready, _, _ = select.select(list(self.links.values()), [], [], left)
            for i, s in self.links.items():
                if s not in ready:
                    continue
                while True:
                    try:
                        data, addr = s.recvfrom(1 << 16)
                    except BlockingIOError:
                        break
                    if addr[2] == socket.PACKET_OUTGOING:
                        continue
                    d = describe(i, data)
                    if d:
                        got.append(d)

    def probe(self, link, frame, window=WINDOW):
        self.drain()
        c0 = self.counters()
        self.links[link].send(bytes(frame))
        got = self.collect(window)
        c1 = self.counters()
        moved = ["%s+%d" % (k, c1[k] - c0[k]) for k in sorted(c0) if c1[k] != c0[k]]
        return " + ".join(sorted(got)) or "nothing", " ".join(moved)

    def neigh(self):
        r = subprocess.run(["ip", "-n", self.where.dut_name, "-4", "neigh", "show", "nud", "all"],
                           capture_output=True, text=True)
        return sorted(r.stdout.splitlines())


def describe(link, data):
    """One frame out of the DUT, in the words outcomes are written in."""
    if len(data) < 14:
        return "runt on hp%d" % link
    etype = int.from_bytes(data[12:14], "big")
    if etype == 0x86DD:
        return None
    if etype == 0x0806:
        p = ARP(data[14:])
        what = {1: "request", 2: "reply"}.get(p.op, "op%d" % p.op)
        return "arp %s %s>%s to %s on hp%d" % (what, p.psrc, p.pdst, Ether(data).dst, link)
    if etype != 0x0800:
        return "ethertype %04x on hp%d" % (etype, link)
    ip = IP(data[14:])
    if ip.proto == 2:
        return None
    if ip.proto == 1 and ICMP in ip:
        t, c = ip[ICMP].type, ip[ICMP].code
        if t == 0:
            return "echo-reply %s>%s on hp%d" % (ip.src, ip.dst, link)
        return "icmp %d/%d %s>%s on hp%d" % (t, c, ip.src, ip.dst, link)
    return "ip%d %s>%s ttl %d on hp%d" % (ip.proto, ip.src, ip.dst, ip.ttl, link)


def eth(dst=DUT0, src=P0, etype=0x0800):
    return Ether(dst=dst, src=src, type=etype)


def echo(dst=D0, src=PEER, **kw):
    return IP(src=src, dst=dst, **kw) / ICMP(id=0x4653, seq=1) / b"fsx-hostile"


def udp(dst, src=PEER, **kw):
    return IP(src=src, dst=dst, **kw) / UDP(sport=4000, dport=9) / b"fsx-hostile"


def raw_ip(pkt, **fix):
    """Bytes of pkt with header fields forced after scapy built it: ihl,
    tot_len, csum (recomputed unless given), version; cut=N truncates."""
    b = bytearray(bytes(pkt))
    if "version" in fix or "ihl" in fix:
        b[0] = (fix.get("version", 4) << 4) | fix.get("ihl", b[0] & 15)
    if "tot_len" in fix:
        b[2:4] = fix["tot_len"].to_bytes(2, "big")
    b[10:12] = b"\0\0"
    ihl = (b[0] & 15) * 4
    s = sum(int.from_bytes(b[i:i + 2], "big") for i in range(0, max(ihl, 20), 2))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    b[10:12] = fix.get("csum", ~s & 0xFFFF).to_bytes(2, "big")
    if "cut" in fix:
        b = b[:fix["cut"]]
    return bytes(b)


def frag_pair():
    """An echo to the DUT in two fragments; returned second first."""
    whole = IP(bytes(IP(src=PEER, dst=D0, id=0x4653) / ICMP(id=0x4653, seq=2) / (b"x" * 40)))
    body = bytes(whole[ICMP])
    first = IP(src=PEER, dst=D0, id=0x4653, flags="MF", frag=0, proto=1) / body[:24]
    second = IP(src=PEER, dst=D0, id=0x4653, frag=3, proto=1) / body[24:]
    return eth() / second, eth() / first


def ipv4_probes():
    """(name, link, frame, predicted outcome or None)."""
    reply = "echo-reply %s>%s on hp0" % (D0, PEER)
    fwd = "ip17 %s>10.82.1.1 ttl 63 on hp1" % PEER

    def icmp(t, c, src=D0):
        return "icmp %d/%d %s>%s on hp0" % (t, c, src, PEER)
    n = "nothing"
    second, first = frag_pair()
    return [
        ("echo to the DUT", 0, eth() / echo(), reply),
        ("echo to the DUT's other address", 0, eth() / echo(dst=D1),
         "echo-reply %s>%s on hp0" % (D1, PEER)),
        ("UDP through the DUT (10.82/16 via 10.81.2.2)", 0, eth() / udp("10.82.1.1"), fwd),
        ("UDP with TTL 1 through the DUT", 0, eth() / udp("10.82.1.1", ttl=1), icmp(11, 0)),
        ("UDP to a closed port of the DUT", 0, eth() / udp(D0), icmp(3, 3)),
        ("UDP to a blackhole route", 0, eth() / udp("10.83.1.1"), n),
        ("UDP to a prohibit route", 0, eth() / udp("10.84.1.1"), icmp(3, 13)),
        ("UDP to an unreachable route", 0, eth() / udp("10.85.1.1"), icmp(3, 1)),
        ("UDP to a destination without a route", 0, eth() / udp("10.99.9.9"), icmp(3, 0)),
        ("IHL 4", 0, eth() / raw_ip(echo(), ihl=4), n),
        ("IHL 0", 0, eth() / raw_ip(echo(), ihl=0), n),
        ("version 6 in an IPv4 frame", 0, eth() / raw_ip(echo(), version=6), n),
        ("total length past the frame", 0, eth() / raw_ip(echo(), tot_len=1400), n),
        ("total length 10", 0, eth() / raw_ip(echo(), tot_len=10), n),
        ("total length shorter than IHL", 0, eth() / raw_ip(echo(), ihl=6, tot_len=20), n),
        ("bad header checksum", 0, eth() / raw_ip(echo(), csum=0x1234), n),
        ("header cut at 12 bytes", 0, eth() / raw_ip(echo(), cut=12), n),
        ("trailing bytes past the total length", 0, eth() / echo() / (b"\xee" * 20), reply),
        ("IHL 15, options all 0xff", 0, eth() / raw_ip(
            IP(src=PEER, dst=D0, proto=1) / (b"\xff" * 40 + bytes(ICMP(id=0x4653))),
            ihl=15, tot_len=68), None),
        ("loose source route through the DUT", 0, eth() / (IP(
            src=PEER, dst=D0, options=IPOption_LSRR(routers=["10.82.1.1"]))
            / UDP(sport=4000, dport=9)), None),
        ("router alert option, echo to the DUT", 0, eth() / (IP(
            src=PEER, dst=D0, options=IPOption_Router_Alert())
            / ICMP(id=0x4653, seq=3)), None),
        ("source 224.0.0.5 (multicast)", 0, eth() / echo(src="224.0.0.5"), n),
        ("source 255.255.255.255", 0, eth() / echo(src="255.255.255.255"), n),
        ("source 0.0.0.0", 0, eth() / echo(src="0.0.0.0"), n),
        ("source 127.0.0.1", 0, eth() / echo(src="127.0.0.1"), n),
        ("source the DUT's own address", 0, eth() / echo(src=D0), n),
        ("source the DUT's other address", 0, eth() / echo(src=D1), n),
        ("source 240.0.0.1 (class E; no route back)", 0, eth() / echo(src="240.0.0.1"), n),
        ("source 10.81.1.255 (the subnet broadcast)", 0, eth() / echo(src="10.81.1.255"), None),
        ("source 10.82.7.7 on the wrong link (no rp_filter)", 0,
         eth() / echo(src="10.82.7.7"), "echo-reply %s>10.82.7.7 on hp1" % D0),
        ("echo to 255.255.255.255", 0, eth(dst=BCAST) / echo(dst="255.255.255.255"), n),
        ("echo to the subnet broadcast", 0, eth(dst=BCAST) / echo(dst="10.81.1.255"), n),
        ("echo to 224.0.0.1", 0, eth(dst="01:00:5e:00:00:01") / echo(dst="224.0.0.1"), n),
        ("echo to 127.0.0.1", 0, eth() / echo(dst="127.0.0.1"), n),
        ("echo to 0.0.0.0", 0, eth() / echo(dst="0.0.0.0"), n),
        ("UDP through the DUT in a broadcast frame", 0, eth(dst=BCAST) / udp("10.82.1.1"), n),
        ("UDP through the DUT in a multicast frame", 0,
         eth(dst="01:00:5e:00:00:01") / udp("10.82.1.1"), n),
        ("echo to the DUT in a frame to another MAC", 0,
         eth(dst="02:00:00:00:8a:99") / echo(), n),
        ("fragments of an echo to the DUT, last first (1/2)", 0, second, n),
        ("fragments of an echo to the DUT, last first (2/2)", 0, first,
         "echo-reply %s>%s on hp0" % (D0, PEER)),
        ("a first fragment through the DUT", 0, eth() / udp("10.82.1.1", flags="MF"), fwd),
        ("fragment offset past 64 KiB", 0, eth() / IP(
            src=PEER, dst=D0, id=7, frag=8190, proto=17) / (b"y" * 64), n),
    ]


def arp(op=1, sha=P0, spa=PEER, tha="00:00:00:00:00:00", tpa=D0, esrc=None, edst=BCAST):
    return (Ether(dst=edst, src=esrc or sha, type=0x0806)
            / Raw(arp_raw(op=op, sha=sha, spa=spa, tha=tha, tpa=tpa)))


def arp_probes():
    """(name, link, frame, predicted outcome or None, the sender whose
    entry the neighbour table then shows or None)."""
    def reply_to(spa, edst, link=0):
        return "arp reply %s>%s to %s on hp%d" % (D0 if link == 0 else D1, spa, edst, link)
    return [
        ("request from 10.81.1.50, sender MAC broadcast", 0,
         arp(sha=BCAST, spa="10.81.1.50", esrc=P0), None),
        ("request from 10.81.1.51, sender MAC multicast", 0,
         arp(sha="01:00:5e:00:00:01", spa="10.81.1.51", esrc=P0), None),
        ("request from 10.81.1.52, sender MAC zero", 0,
         arp(sha="00:00:00:00:00:00", spa="10.81.1.52", esrc=P0), None),
        ("request from 10.81.1.53, Ethernet source another MAC", 0,
         arp(sha="02:00:00:00:8a:53", spa="10.81.1.53", esrc="02:00:00:00:8a:99"),
         reply_to("10.81.1.53", "02:00:00:00:8a:53")),
        ("request from 10.9.9.9, off the link's subnet", 0,
         arp(sha="02:00:00:00:8a:54", spa="10.9.9.9"), None),
        ("unsolicited reply for 10.81.1.60 (not in the table)", 0,
         arp(op=2, sha="02:00:00:00:8a:60", spa="10.81.1.60", tha=DUT0, edst=DUT0), "nothing"),
        ("gratuitous request for permanent 10.81.1.200", 0,
         arp(sha="02:00:00:00:8a:61", spa="10.81.1.200", tpa="10.81.1.200"), "nothing"),
        ("gratuitous reply for permanent 10.81.1.200", 0,
         arp(op=2, sha="02:00:00:00:8a:62", spa="10.81.1.200", tpa="10.81.1.200",
             tha=BCAST), "nothing"),
        ("request on h0 for the address of h1", 0,
         arp(sha="02:00:00:00:8a:55", spa="10.81.1.55", tpa=D1),
         "arp reply %s>10.81.1.55 to 02:00:00:00:8a:55 on hp0" % D1),
        ("request from the peer of h1 on h0 (a moved host)", 0,
         arp(sha="02:00:00:00:8a:56", spa="10.81.2.2"), None),
    ]


def flood(h, rnd, count):
    """count frames as fast as one socket sends: ARP requests and IPv4
    to the DUT or through it, from random senders, a third corrupted."""
    frames = []
    for k in range(count):
        sender = "10.81.1.%d" % rnd.randrange(3, 200)
        mac = "02:00:00:00:8c:%02x" % rnd.randrange(256)
        kind = rnd.randrange(3)
        if kind == 0:
            f = bytes(arp(sha=mac, spa=sender))
        elif kind == 1:
            f = bytes(Ether(dst=DUT0, src=mac) / udp(
                "10.%d.%d.%d" % (rnd.choice((81, 82, 83, 84, 99)), rnd.randrange(256),
                                 rnd.randrange(1, 255)), src=sender))
        else:
            f = bytes(Ether(dst=DUT0, src=mac) / echo(src=sender))
        if rnd.randrange(3) == 0:
            b = bytearray(f)
            for _ in range(rnd.randrange(1, 4)):
                i = rnd.randrange(14, min(len(b), 14 + 28))
                b[i] = rnd.randrange(256)
            if rnd.randrange(4) == 0:
                b = b[:rnd.randrange(15, len(b))]
            f = bytes(b)
        frames.append(f)
    s = h.links[0]
    sent = refused = 0
    t0 = time.monotonic()
    for f in frames:
        while True:
            try:
                s.send(f)
                sent += 1
                break
            except BlockingIOError:
                refused += 1
                time.sleep(0.001)
    return sent, refused, time.monotonic() - t0


def main(argv):
    if len(argv) != 6:
        sys.exit(__doc__)
    dut, peer, out, seed, count = argv[1], argv[2], argv[3], int(argv[4]), int(argv[5])
    h = Peer(dut, peer, out)
    t0 = time.monotonic()
    import logging
    logging.getLogger("scapy.runtime").setLevel(logging.ERROR)
    global ARP, Ether, IP, UDP, ICMP, Raw, IPOption_LSRR, IPOption_Router_Alert
    from scapy.all import ARP, Ether, IP, UDP, ICMP, Raw  # noqa: F401
    from scapy.layers.inet import IPOption_LSRR, IPOption_Router_Alert
    print("# scapy imported in %.1f s" % (time.monotonic() - t0), flush=True)

    try:
        run(h, seed, count)
    finally:
        h.write()
    print("# hostile.py: %.1f s" % (time.monotonic() - t0), flush=True)
    return 0


def run(h, seed, count):
    for name, link, frame, want in ipv4_probes():
        got, moved = h.probe(link, frame)
        h.note("ipv4", "%s: %s | %s" % (name, got, moved or "no counter moved"))
        if want is None:
            h.check("ipv4 " + name + " (as stock)", True, got)
        else:
            h.check("ipv4 " + name + ": " + want, got == want, got)
    before = h.neigh()
    for name, link, frame, want in arp_probes():
        got, _ = h.probe(link, frame)
        h.note("arp", "%s: %s" % (name, got))
        if want is None:
            h.check("arp " + name + " (as stock)", True, got)
        else:
            h.check("arp " + name + ": " + want, got == want, got)
    after = h.neigh()
    h.note("arp-neigh", "before: " + " | ".join(before))
    h.note("arp-neigh", "after: " + " | ".join(after))
    perm = [ln for ln in before if "PERMANENT" in ln]
    h.check("arp the permanent entries are as before",
            [ln for ln in after if "PERMANENT" in ln] == perm, after)
    h.check("arp nothing learnt for 10.81.1.60 (unsolicited reply)",
            not any(ln.startswith("10.81.1.60 ") for ln in after), after)

    rnd = random.Random(seed)
    sent, refused, secs = flood(h, rnd, count)
    print("# flood: %d frames in %.2f s (%d sends refused and retried)" % (sent, secs, refused),
          flush=True)
    time.sleep(1)
    got, _ = h.probe(0, eth() / echo(), window=1.0)
    h.check("flood: %d frames sent" % count, sent == count, sent)
    h.check("flood: the DUT still answers an echo",
            "echo-reply %s>%s on hp0" % (D0, PEER) in got.split(" + "), got)
    now = h.neigh()
    h.check("flood: the permanent entries are intact",
            [ln for ln in now if "PERMANENT" in ln] == perm, now)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
