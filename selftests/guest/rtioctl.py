#!/usr/bin/python3
"""Raw SIOCADDRT / SIOCDELRT (what route(8) does), run inside the guest.

    ip netns exec NS /usr/bin/python3 rtioctl.py <CASES

Each line of CASES is one ioctl:

    NAME add|del [dst=A] [mask=M] [gw=G] [dstfam=N] [maskfam=N] [gwfam=N]
                 [flags=UGHRMWI] [metric=N] [dev=IFNAME] [mtu=N] [window=N]
                 [irtt=N]

A missing address is 0.0.0.0; every sockaddr is AF_INET (2) unless its
*fam says otherwise. flags letters: U up, G gateway, H host, R reject,
M mtu, W window, I irtt (or a number). metric is rt_metric as passed to
the kernel (route(8) passes its "metric" + 1). Blank lines and lines
starting with # are ignored.

Prints "NAME OK" or "NAME E<NAME>" (the errno by name) per case, in order;
the calling family compares them with what it expects. Exit status 0 when
every line could be parsed.
"""
import ctypes
import errno
import fcntl
import socket
import struct
import sys

SIOCADDRT = 0x890B
SIOCDELRT = 0x890C
FLAGS = {"U": 0x0001, "G": 0x0002, "H": 0x0004, "M": 0x0040, "W": 0x0080,
         "I": 0x0100, "R": 0x0200}

# struct rtentry, x86_64 (include/uapi/linux/route.h; checked against
# glibc's <net/route.h>: size 120, rt_dst 8, rt_gateway 24, rt_genmask 40,
# rt_flags 56, rt_metric 80, rt_dev 88, rt_mtu 96, rt_window 104,
# rt_irtt 112).
RTENTRY = "<Q16s16s16sHh4xQQh6xQQQH6x"
assert struct.calcsize(RTENTRY) == 120


def sockaddr(addr, family):
    return struct.pack("<HH4s8x", family, 0, socket.inet_aton(addr))


def parse_flags(text):
    if text.isdigit() or text.startswith("0x"):
        return int(text, 0)
    value = 0
    for c in text:
        value |= FLAGS[c]
    return value


def run_case(sock, words):
    name, op = words[0], words[1]
    kv = dict(w.split("=", 1) for w in words[2:])
    devbuf = None
    devptr = 0
    if "dev" in kv:
        dev = kv["dev"].encode()
        # The kernel copies IFNAMSIZ - 1 bytes whatever the length.
        devbuf = ctypes.create_string_buffer(dev, max(16, len(dev) + 1))
        devptr = ctypes.addressof(devbuf)
    buf = struct.pack(
        RTENTRY, 0,
        sockaddr(kv.get("dst", "0.0.0.0"), int(kv.get("dstfam", 2))),
        sockaddr(kv.get("gw", "0.0.0.0"), int(kv.get("gwfam", 2))),
        sockaddr(kv.get("mask", "0.0.0.0"), int(kv.get("maskfam", 2))),
        parse_flags(kv.get("flags", "U")), 0, 0, 0,
        int(kv.get("metric", 0)), devptr,
        int(kv.get("mtu", 0)), int(kv.get("window", 0)),
        int(kv.get("irtt", 0)))
    cmd = {"add": SIOCADDRT, "del": SIOCDELRT}[op]
    try:
        fcntl.ioctl(sock.fileno(), cmd, buf)
        result = "OK"
    except OSError as e:
        result = errno.errorcode.get(e.errno, str(e.errno))
    del devbuf
    return "%s %s" % (name, result)


def main():
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    for line in sys.stdin:
        words = line.split()
        if not words or words[0].startswith("#"):
            continue
        print(run_case(sock, words), flush=True)


if __name__ == "__main__":
    main()
