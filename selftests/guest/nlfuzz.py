#!/usr/bin/python3
"""Seeded hostile input for the IPv4 FIB and the ARP table, in the guest.

    ip netns exec NS /usr/bin/python3 nlfuzz.py SEED COUNT [TABLES [portable]]

Sends COUNT operations drawn from random.Random(SEED) to the kernel of
network namespace NS: rtnetlink RTM_NEWROUTE / RTM_DELROUTE /
RTM_GETROUTE (one route, or a dump read in part and abandoned) /
RTM_NEWNEIGH / RTM_DELNEIGH / RTM_NEWADDR / RTM_DELADDR / RTM_NEWLINK (up,
down), valid and malformed (odd prefix lengths, unknown types, scopes,
flags and attributes, huge metrics, short or overlong attributes,
truncated headers, trailing bytes), and the ioctls route(8) and arp(8)
use (SIOCADDRT, SIOCDELRT, SIOCSARP, SIOCDARP, SIOCGARP) with random
structs. TABLES (default "254 255 100 0 7") are the route tables the
draw picks from; "portable" leaves out what a small kernel may lack and
answer differently for (IPv6's address family, multipath routes), and is
given with "254 255" for kernels without policy routing, IPv6 or
multipath (whose answers are compared with stock's portable run).

Prints one line per operation: its number, what it was, and what the
kernel answered (errno by name, the extack message; a lookup's answer;
the first read of a dump). The same seed sends the same operations
whatever the kernel answers, so two kernels' outputs compare line by line.
Needs the family's devices: fz0 and fz1 (veth, up, 10.9.0.1/24 and
10.9.1.1/24), fz2 (dummy, down), nexthop object 1 via 10.9.0.2 dev fz0.
Exit status 0 when every operation was sent (whatever it got back).
"""
import ctypes
import errno
import fcntl
import random
import socket
import struct
import sys

from nldump import attrs  # the same directory: sys.path[0]

NLMSG_ERROR, NLMSG_DONE = 2, 3
RTM_NEWLINK, RTM_NEWADDR, RTM_DELADDR = 16, 20, 21
RTM_NEWROUTE, RTM_DELROUTE, RTM_GETROUTE = 24, 25, 26
RTM_NEWNEIGH, RTM_DELNEIGH = 28, 29
F_REQUEST, F_ACK, F_EXCL, F_CREATE, F_APPEND, F_REPLACE = 0x1, 0x4, 0x200, 0x400, 0x800, 0x100
F_DUMP = 0x300
SOL_NETLINK, NETLINK_EXT_ACK, NETLINK_CAP_ACK = 270, 11, 10
NLMSGERR_ATTR_MSG, NLM_F_ACK_TLVS = 1, 0x200
# attribute types (include/uapi/linux/rtnetlink.h, neighbour.h, if_addr.h)
RTA_DST, RTA_SRC, RTA_IIF, RTA_OIF, RTA_GATEWAY, RTA_PRIORITY = 1, 2, 3, 4, 5, 6
RTA_PREFSRC, RTA_METRICS, RTA_MULTIPATH, RTA_FLOW, RTA_TABLE = 7, 8, 9, 11, 15
RTA_MARK, RTA_VIA, RTA_PREF, RTA_ENCAP_TYPE, RTA_UID, RTA_NH_ID = 16, 18, 20, 21, 25, 30
NDA_DST, NDA_LLADDR, NDA_PROBES, NDA_PROTOCOL = 1, 2, 4, 12
IFA_ADDRESS, IFA_LOCAL = 1, 2
SIOCADDRT, SIOCDELRT = 0x890B, 0x890C
SIOCDARP, SIOCGARP, SIOCSARP = 0x8953, 0x8954, 0x8955

PREFIXES = ["0.0.0.0/0", "10.20.0.0/16", "10.20.1.0/24", "10.20.1.0/25",
            "10.20.1.128/25", "10.20.1.7/32", "10.9.0.0/24", "10.9.0.0/16",
            "10.9.1.5/32", "192.0.2.0/24", "224.1.0.0/16", "10.20.1.3/31",
            "10.0.0.0/8", "127.5.0.0/16", "255.255.255.255/32"]
GATEWAYS = ["10.9.0.2", "10.9.1.2", "10.9.0.77", "10.9.9.9", "0.0.0.0",
            "10.9.0.1", "224.0.0.5"]
NEIGHS = ["10.9.0.%d" % i for i in range(2, 10)] + \
    ["10.9.1.%d" % i for i in range(2, 8)] + ["10.9.0.255", "0.0.0.0", "224.0.0.9"]
LOCALS = ["10.9.0.1", "10.9.0.3", "10.9.1.1", "10.9.1.9", "10.20.1.1"]
DEVS = ["fz0", "fz1", "fz2", "lo", "nosuchdev", ""]
TYPES = [1] * 6 + [2, 3, 4, 5, 6, 7, 8, 9, 10, 0, 11, 12, 200]
SCOPES = [0] * 6 + [200, 253, 254, 255, 100]
PROTOS = [3, 4, 2, 0, 186, 255]
# (no state that starts a timer: INCOMPLETE, DELAY, PROBE would send ARP
# probes no one answers, and when the entry then fails is a matter of
# guest speed, not of the table)
NUD = [0x80] * 4 + [0x40, 0x02, 0x04, 0x00, 0x80 | 0x40, 0x100, 0x02 | 0x80]
NTF = [0] * 6 + [0x08, 0x80, 0x10, 0x02, 0x04, 0x20, 0xff]


def errname(e):
    return errno.errorcode.get(e, str(e))


def attr(kind, payload):
    return struct.pack("=HH", 4 + len(payload), kind) + payload + b"\0" * (-len(payload) % 4)


def ip4(a):
    return socket.inet_aton(a)


class Fuzz:
    def __init__(self, seed, tables, portable):
        self.r = random.Random(seed)
        self.tables = tables
        self.families = [0, 255] if portable else [0, 10, 255]
        self.multipath_ok = not portable
        self.seq = 0
        self.nl = self.socket()
        self.ifindex = {d: socket.if_nametoindex(d) for d in ("fz0", "fz1", "fz2", "lo")}
        self.io = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        # half the messages are well formed (clean): they reach the
        # table's insert, replace and delete, not only the parser
        self.clean = False

    @staticmethod
    def socket():
        s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, socket.NETLINK_ROUTE)
        s.setsockopt(SOL_NETLINK, NETLINK_EXT_ACK, 1)
        s.setsockopt(SOL_NETLINK, NETLINK_CAP_ACK, 1)
        s.bind((0, 0))
        s.settimeout(10)
        return s

    def pick(self, seq):
        return seq[self.r.randrange(len(seq))]

    def chance(self, p):
        return self.r.random() < p

    # --- the kernel's answer
    def request(self, kind, flags, body):
        self.seq += 1
        msg = struct.pack("=LHHLL", 16 + len(body), kind, flags, self.seq, 0) + body
        self.nl.send(msg)
        while True:
            data = self.nl.recv(65536)
            off = 0
            while off + 16 <= len(data):
                length, mtype, mflags, seq, _ = struct.unpack_from("=LHHLL", data, off)
                if length < 16:
                    return "bad-reply"
                part = data[off:off + length]
                off += (length + 3) & ~3
                if seq != self.seq:
                    continue
                if mtype == NLMSG_ERROR:
                    return self.ack(part, mflags)
                if mtype == RTM_NEWROUTE:
                    return "answer " + self.route_answer(part[16:])
                if mtype == NLMSG_DONE:
                    return "done"

    @staticmethod
    def ack(part, mflags):
        err = struct.unpack_from("=i", part, 16)[0]
        text = "OK" if err == 0 else errname(-err)
        if mflags & NLM_F_ACK_TLVS:
            # the capped ack: the request's header only, then the TLVs
            tlv = part[16 + 4 + 16:]
            for kind, val in attrs(tlv):
                if kind == NLMSGERR_ATTR_MSG:
                    text += " (%s)" % val.rstrip(b"\0").decode(errors="replace")
        return text

    @staticmethod
    def route_answer(body):
        fam, dlen, slen, tos, table, proto, scope, rtype, flags = struct.unpack_from("=BBBBBBBBI", body)
        out = "type=%d scope=%d table=%d dlen=%d" % (rtype, scope, table, dlen)
        names = {RTA_OIF: "oif", RTA_GATEWAY: "gw", RTA_PREFSRC: "src", RTA_TABLE: "tb",
                 RTA_DST: "dst"}
        for kind, val in attrs(body[12:]):
            if kind in names:
                if kind == RTA_OIF:
                    # by name: ifindexes differ between kernels (devices
                    # some configs create in every namespace)
                    idx = struct.unpack("=I", val[:4])[0]
                    try:
                        out += " oif=" + socket.if_indextoname(idx)
                    except OSError:
                        out += " oif=%d" % idx
                elif len(val) == 4 and kind != RTA_TABLE:
                    out += " %s=%s" % (names[kind], socket.inet_ntoa(val))
                else:
                    out += " %s=%d" % (names[kind], struct.unpack("=I", val[:4])[0])
        return out

    # --- attributes, well-formed and not
    def addr_attr(self, kind, addr):
        r = 1 if self.clean else self.r.random()
        if r < 0.04:
            return attr(kind, ip4(addr)[:2])
        if r < 0.07:
            return attr(kind, ip4(addr) + b"\1\2\3\4")
        if r < 0.09:
            return struct.pack("=HH", 2, kind)      # shorter than its header
        return attr(kind, ip4(addr))

    def u32_attr(self, kind, value):
        if not self.clean and self.chance(0.04):
            return attr(kind, struct.pack("=H", value & 0xffff))
        return attr(kind, struct.pack("=I", value & 0xffffffff))

    def junk_attr(self):
        r = self.r.random()
        if r < 0.3:
            return attr(self.r.randrange(31, 0x3fff), bytes(self.r.randrange(256) for _ in range(self.r.randrange(9))))
        if r < 0.5:
            return struct.pack("=HH", 200, RTA_DST)  # overlong: runs past the message
        if r < 0.7:
            return attr(0, b"")
        return attr(self.pick([RTA_FLOW, RTA_MARK, RTA_UID, RTA_PREF, RTA_ENCAP_TYPE, RTA_IIF, RTA_SRC]),
                    struct.pack("=I", self.r.randrange(1 << 32)))

    def metrics(self):
        inner = b""
        for _ in range(self.r.randrange(1, 4)):
            kind = self.r.randrange(0, 20)
            if kind == 16:      # RTAX_CC_ALGO: a name
                inner += attr(kind, self.pick([b"reno\0", b"nosuchcc\0", b"x" * 20]))
            else:
                inner += attr(kind, struct.pack("=I", self.pick([1500, 0, 68, 67, 65535, 0xffffffff,
                                                                  1 << 31, 255, 256])))
        if self.chance(0.1):
            inner += struct.pack("=HH", 40, 2)
        return attr(RTA_METRICS, inner)

    def multipath(self):
        out = b""
        for _ in range(self.r.randrange(0, 4)):
            gw = attr(RTA_GATEWAY, ip4(self.pick(GATEWAYS))) if self.chance(0.8) else b""
            ln = 8 + len(gw)
            if self.chance(0.08):
                ln = self.pick([0, 4, 7, 200])
            out += struct.pack("=HBBi", ln, self.pick([0, 0, 4, 0xff]), self.pick([0, 1, 255]),
                               self.ifindex[self.pick(["fz0", "fz1", "fz2"])] if self.chance(0.9) else 999) + gw
        return attr(RTA_MULTIPATH, out)

    # --- operations
    def route(self, kind):
        self.clean = self.chance(0.5)
        pfx = self.pick(PREFIXES)
        dst, plen = pfx.split("/")
        plen = int(plen)
        table = self.pick(self.tables)
        if self.clean:
            fam, rflags = socket.AF_INET, 0
            tos = self.pick([0] * 6 + [4, 8])
            rtype = self.pick([1] * 8 + [6, 7, 8, 2])
            scope = 0 if rtype != 2 else 254
            proto = self.pick([3, 4])
        else:
            if self.chance(0.1):
                plen = self.pick([33, 64, 255, plen + 1])
            fam = socket.AF_INET if self.chance(0.95) else self.pick(self.families)
            tos = self.pick([0] * 8 + [4, 8, 0x10, 0x1c, 3, 0xff])
            rtype = self.pick(TYPES)
            scope = self.pick(SCOPES)
            proto = self.pick(PROTOS)
            rflags = self.pick([0] * 8 + [4, 0x100, 0x200, 0x1000, 0xffffffff])
        body = struct.pack("=BBBBBBBBI", fam, plen, 0, tos, table & 0xff, proto, scope, rtype, rflags)
        if not self.clean and self.chance(0.05):
            body = body[:self.r.randrange(12)]    # a truncated rtmsg
        a = b""
        if self.clean or self.chance(0.9):
            a += self.addr_attr(RTA_DST, dst)
        if table > 255 or self.chance(0.1):
            a += self.u32_attr(RTA_TABLE, table)
        if kind != RTM_GETROUTE and self.clean:
            # what iproute2 would send: a reachable gateway and its device
            # for unicast, a device for local, neither for the rest
            if rtype == 1:
                gw, dev = self.pick([("10.9.0.2", "fz0"), ("10.9.1.2", "fz1"), (None, "fz0"),
                                     (None, "fz1"), ("10.9.0.2", None)])
                if gw:
                    a += attr(RTA_GATEWAY, ip4(gw))
                if dev:
                    a += attr(RTA_OIF, struct.pack("=I", self.ifindex[dev]))
            elif rtype == 2:
                a += attr(RTA_OIF, struct.pack("=I", self.ifindex[self.pick(["fz0", "fz1"])]))
            if self.chance(0.4):
                a += self.u32_attr(RTA_PRIORITY, self.pick([0, 1, 10, 100, 1024, 0xffffffff]))
            if self.chance(0.1):
                a += self.metrics()
        elif kind != RTM_GETROUTE:
            if self.chance(0.5):
                a += self.addr_attr(RTA_GATEWAY, self.pick(GATEWAYS))
            if self.chance(0.6):
                dev = self.pick(DEVS[:4])
                a += self.u32_attr(RTA_OIF, self.ifindex[dev] if self.chance(0.95) else 4242)
            if self.chance(0.4):
                a += self.u32_attr(RTA_PRIORITY, self.pick([0, 1, 10, 100, 1024, 0xffffffff]))
            if self.chance(0.15):
                a += self.addr_attr(RTA_PREFSRC, self.pick(LOCALS))
            if self.chance(0.15):
                a += self.metrics()
            if not self.clean and self.chance(0.08):
                mp = self.multipath()
                if self.multipath_ok:
                    a += mp
            if self.chance(0.05):
                a += self.u32_attr(RTA_NH_ID, self.pick([1, 1, 2, 0]))
            if not self.clean and self.chance(0.04):
                a += attr(RTA_VIA, struct.pack("=H", socket.AF_INET) + ip4(self.pick(GATEWAYS)))
        for _ in range(self.r.randrange(3) if not self.clean and self.chance(0.3) else 0):
            a += self.junk_attr()
        if not self.clean and self.chance(0.03):
            a += b"\xaa" * self.r.randrange(1, 4)    # trailing bytes, not an attribute
        if kind == RTM_NEWROUTE and self.clean:
            flags = self.pick([F_CREATE | F_EXCL, F_CREATE | F_EXCL, F_CREATE, F_CREATE | F_APPEND,
                               F_CREATE | F_REPLACE, F_REPLACE])
        elif kind == RTM_NEWROUTE:
            flags = self.pick([F_CREATE | F_EXCL, F_CREATE | F_EXCL, F_CREATE, F_CREATE | F_APPEND,
                               F_CREATE | F_REPLACE, F_REPLACE, 0, F_APPEND, F_EXCL | F_REPLACE,
                               F_CREATE | F_EXCL | F_REPLACE | F_APPEND | 0x8000])
        elif kind == RTM_DELROUTE:
            flags = self.pick([0, 0, 0, F_EXCL, 0x8000])
        else:
            flags = 0
        name = {RTM_NEWROUTE: "newroute", RTM_DELROUTE: "delroute", RTM_GETROUTE: "getroute"}[kind]
        return ("%s %s/%d fam=%d table=%d tos=%d type=%d scope=%d proto=%d rflags=%#x flags=%#x attrs=%d"
                % (name, dst, plen, fam, table, tos, rtype, scope, proto, rflags, flags, len(a)),
                self.request(kind, F_REQUEST | F_ACK | flags, body + a))

    def dump_partial(self):
        """A dump read in part: one small read, then the socket closed."""
        s = self.socket()
        self.seq += 1
        body = struct.pack("=BBBBBBBBI", socket.AF_INET, 0, 0, 0, 0, 0, 0, 0, 0)
        s.send(struct.pack("=LHHLL", 16 + len(body), RTM_GETROUTE, F_REQUEST | F_DUMP, self.seq, 0) + body)
        first = s.recv(self.pick([256, 1024, 4096]), socket.MSG_TRUNC)
        s.close()
        return "dump abandoned after one read", "first read %d bytes" % len(first)

    def neigh(self, kind):
        self.clean = self.chance(0.5)
        dst = self.pick(NEIGHS)
        dev = self.pick(DEVS[:4])
        idx = self.ifindex[dev] if self.chance(0.95) else self.pick([0, 4242])
        state = self.pick(NUD)
        nflags = self.pick(NTF) if not self.clean else self.pick([0] * 6 + [0x08, 0x80])
        fam = socket.AF_INET if self.clean or self.chance(0.9) else self.pick([7] + self.families[:-1])
        body = struct.pack("=BxxxiHBB", fam, idx, state, nflags, self.pick([0, 0, 1, 255]))
        if not self.clean and self.chance(0.05):
            body = body[:self.r.randrange(12)]
        a = b""
        if self.clean or self.chance(0.95):
            a += self.addr_attr(NDA_DST, dst)
        if self.chance(0.8):
            ll = bytes([2, 0, 0, 0x0f, self.r.randrange(4), self.r.randrange(256)])
            if not self.clean and self.chance(0.1):
                ll = ll[:self.pick([0, 3, 5])] if self.chance(0.5) else ll + b"\1\2"
            a += attr(NDA_LLADDR, ll)
        if self.chance(0.05):
            a += attr(NDA_PROBES, struct.pack("=I", self.r.randrange(1 << 32)))
        if self.chance(0.05):
            a += attr(NDA_PROTOCOL, bytes([self.r.randrange(256)]))
        if not self.clean and self.chance(0.2):
            a += self.junk_attr()
        if kind == RTM_NEWNEIGH:
            flags = self.pick([F_CREATE | F_REPLACE, F_CREATE | F_REPLACE, F_CREATE | F_EXCL,
                               F_CREATE, F_REPLACE, 0, F_APPEND | F_CREATE])
            name = "newneigh"
        else:
            flags, name = 0, "delneigh"
        return ("%s %s dev=%s fam=%d state=%#x ntf=%#x flags=%#x attrs=%d"
                % (name, dst, dev, fam, state, nflags, flags, len(a)),
                self.request(kind, F_REQUEST | F_ACK | flags, body + a))

    def address(self, kind):
        self.clean = True
        addr = self.pick(LOCALS)
        plen = self.pick([24, 24, 32, 16, 0, 33])
        # not fz0: deleting its last address would flush the routes
        # through it, the permanent one the family keeps an eye on too
        dev = self.pick(["fz1", "fz1", "fz2"])
        body = struct.pack("=BBBBi", socket.AF_INET, plen, 0, self.pick([0, 0, 253, 254]), self.ifindex[dev])
        a = self.addr_attr(IFA_LOCAL, addr) + attr(IFA_ADDRESS, ip4(addr))
        flags = F_CREATE | F_EXCL if kind == RTM_NEWADDR else 0
        return ("%s %s/%d dev=%s" % ("newaddr" if kind == RTM_NEWADDR else "deladdr", addr, plen, dev),
                self.request(kind, F_REQUEST | F_ACK | flags, body + a))

    def link(self):
        dev = self.pick(["fz1", "fz1", "fz2"])
        up = self.chance(0.6)
        body = struct.pack("=BxHiII", 0, 0, self.ifindex[dev], 1 if up else 0, 1)
        return ("link %s %s" % (dev, "up" if up else "down"),
                self.request(RTM_NEWLINK, F_REQUEST | F_ACK, body))

    def sockaddr(self, addr):
        fam = socket.AF_INET if self.chance(0.93) else self.pick([0, 1, 10, 0xffff])
        return struct.pack("=HH4s8x", fam, 0, ip4(addr))

    def rt_ioctl(self, cmd):
        dst, plen = self.pick(PREFIXES).split("/")
        plen = int(plen)
        mask = (0xffffffff << (32 - plen)) & 0xffffffff if plen else 0
        if self.chance(0.08):
            mask = self.pick([0xff00ff00, 0x00ffffff, 0xfffffffe, 1])
        dev = self.pick(DEVS) if self.chance(0.5) else ""
        devbuf = ctypes.create_string_buffer(dev.encode(), 16) if dev else None
        flags = self.pick([0x1, 0x3, 0x5, 0x7, 0x201, 0x41, 0x81, 0x101, 0x0, 0xffff])
        buf = struct.pack("<Q16s16s16sHh4xQQh6xQQQH6x", 0, self.sockaddr(dst),
                          self.sockaddr(self.pick(GATEWAYS)),
                          struct.pack("=HH4s8x", socket.AF_INET, 0, struct.pack("!I", mask)),
                          flags, 0, 0, 0, self.pick([0, 1, 2, 101, 0x7fff, -1]),
                          ctypes.addressof(devbuf) if devbuf else 0,
                          self.pick([0, 1500, 67, 0xffffffff]), self.pick([0, 4096]),
                          self.pick([0, 300]))
        try:
            fcntl.ioctl(self.io.fileno(), cmd, buf)
            res = "OK"
        except OSError as e:
            res = errname(e.errno)
        del devbuf
        return ("%s %s/%#010x flags=%#x dev=%s" % ("SIOCADDRT" if cmd == SIOCADDRT else "SIOCDELRT",
                                                   dst, mask, flags, dev or "-"), res)

    def arp_ioctl(self, cmd):
        dst = self.pick(NEIGHS)
        dev = self.pick(["fz0", "fz1", "fz2", "lo", "nosuchdev", ""])
        flags = self.pick([0x06, 0x06, 0x02, 0x04, 0x0e, 0x08, 0x2e, 0x40, 0, 0xffff])
        ha = struct.pack("=H6s8x", self.pick([1, 1, 1, 0, 772, 0xffff]),
                         bytes([2, 0, 0, 0x0e, self.r.randrange(4), self.r.randrange(256)]))
        netmask = struct.pack("=HH4s8x", socket.AF_INET, 0, ip4(self.pick(["255.255.255.255", "255.255.255.0",
                                                                            "0.0.0.0"])))
        req = self.sockaddr(dst) + ha + struct.pack("=i", flags) + netmask + dev.encode().ljust(16, b"\0")[:16]
        buf = bytearray(req)
        try:
            fcntl.ioctl(self.io.fileno(), cmd, buf)
            res = "OK"
            if cmd == SIOCGARP:
                res += " flags=%#x ha=%s" % (struct.unpack_from("=i", buf, 32)[0], bytes(buf[18:24]).hex())
        except OSError as e:
            res = errname(e.errno)
        name = {SIOCSARP: "SIOCSARP", SIOCDARP: "SIOCDARP", SIOCGARP: "SIOCGARP"}[cmd]
        return "%s %s flags=%#x dev=%s" % (name, dst, flags, dev or "-"), res

    def step(self):
        r = self.r.random()
        if r < 0.30:
            return self.route(RTM_NEWROUTE)
        if r < 0.45:
            return self.route(RTM_DELROUTE)
        if r < 0.53:
            return self.route(RTM_GETROUTE)
        if r < 0.55:
            return self.dump_partial()
        if r < 0.67:
            return self.neigh(RTM_NEWNEIGH)
        if r < 0.73:
            return self.neigh(RTM_DELNEIGH)
        if r < 0.76:
            return self.address(self.pick([RTM_NEWADDR, RTM_DELADDR]))
        if r < 0.78:
            return self.link()
        if r < 0.88:
            return self.rt_ioctl(self.pick([SIOCADDRT, SIOCADDRT, SIOCDELRT]))
        return self.arp_ioctl(self.pick([SIOCSARP, SIOCSARP, SIOCDARP, SIOCGARP]))


def main(argv):
    if len(argv) < 3:
        sys.exit(__doc__)
    seed, count = int(argv[1]), int(argv[2])
    tables = [int(t) for t in (argv[3] if len(argv) > 3 else "254 255 100 0 7").split()]
    portable = len(argv) > 4 and argv[4] == "portable"
    fz = Fuzz(seed, tables, portable)
    print("# nlfuzz seed=%d count=%d tables=%s%s" % (seed, count, " ".join(map(str, tables)),
                                                   " portable" if portable else ""))
    for i in range(count):
        what, res = fz.step()
        print("%d %s => %s" % (i, what, res))
    sys.stdout.flush()


if __name__ == "__main__":
    main(sys.argv)
