#!/usr/bin/python3
"""An RTM_GETROUTE dump of the IPv4 FIB read in small pieces, in the guest.

    ip netns exec NS /usr/bin/python3 nldump.py [TABLE] [BUFSIZE]

Sends one NLM_F_DUMP request for AF_INET routes and reads the answer with
recv(BUFSIZE) (default 4096), so the kernel fills many small skbs and the
dump must resume where the previous skb ended. Prints, in the order the
kernel sent them, one line per route of table TABLE (default 254, main;
0 means all): "TABLE TYPE DST/LEN [tos T] [metric M]", then a last line
"recvs N messages M" counting the reads that carried routes and all route
messages seen (every table). Exit status 1 on a netlink error.
"""
import socket
import struct
import sys

NLMSG_ERROR, NLMSG_DONE = 2, 3
RTM_NEWROUTE, RTM_GETROUTE = 24, 26
NLM_F_REQUEST, NLM_F_DUMP = 0x1, 0x300
RTA_DST, RTA_PRIORITY, RTA_TABLE = 1, 6, 15
TYPES = {1: "unicast", 2: "local", 3: "broadcast", 4: "anycast",
         5: "multicast", 6: "blackhole", 7: "unreachable", 8: "prohibit",
         9: "throw", 10: "nat"}


def attrs(data):
    off = 0
    while off + 4 <= len(data):
        length, kind = struct.unpack_from("=HH", data, off)
        if length < 4:
            break
        yield kind & 0x3fff, data[off + 4:off + length]
        off += (length + 3) & ~3


def main(argv):
    table = int(argv[1]) if len(argv) > 1 else 254
    bufsize = int(argv[2]) if len(argv) > 2 else 4096
    sock = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW,
                         socket.NETLINK_ROUTE)
    sock.bind((0, 0))
    req = struct.pack("=LHHLL", 16 + 12, RTM_GETROUTE,
                      NLM_F_REQUEST | NLM_F_DUMP, 1, 0)
    req += struct.pack("=BBBBBBBBI", socket.AF_INET, 0, 0, 0, 0, 0, 0, 0, 0)
    sock.send(req)
    recvs = messages = 0
    out = []
    done = False
    while not done:
        data = sock.recv(bufsize)
        off = 0
        saw_route = False
        while off + 16 <= len(data):
            length, kind, _flags, _seq, _pid = struct.unpack_from(
                "=LHHLL", data, off)
            if length < 16:
                break
            body = data[off + 16:off + length]
            off += (length + 3) & ~3
            if kind == NLMSG_DONE:
                done = True
                break
            if kind == NLMSG_ERROR:
                err = struct.unpack_from("=i", body)[0]
                if err:
                    print("netlink error %d" % err)
                    return 1
                continue
            if kind != RTM_NEWROUTE:
                continue
            messages += 1
            saw_route = True
            (_fam, dst_len, _src_len, tos, rtm_table, _proto, _scope,
             rtype, _flags) = struct.unpack_from("=BBBBBBBBI", body)
            dst, prio, tb = "0.0.0.0", None, rtm_table
            for kind_a, val in attrs(body[12:]):
                if kind_a == RTA_DST:
                    dst = socket.inet_ntoa(val[:4])
                elif kind_a == RTA_PRIORITY:
                    prio = struct.unpack("=I", val[:4])[0]
                elif kind_a == RTA_TABLE:
                    tb = struct.unpack("=I", val[:4])[0]
            if table and tb != table:
                continue
            line = "%d %s %s/%d" % (tb, TYPES.get(rtype, str(rtype)), dst,
                                    dst_len)
            if tos:
                line += " tos 0x%02x" % tos
            if prio is not None:
                line += " metric %d" % prio
            out.append(line)
        recvs += saw_route
    for line in out:
        print(line)
    print("recvs %d messages %d" % (recvs, messages))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
