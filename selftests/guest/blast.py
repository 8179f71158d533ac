#!/usr/bin/python3
"""UDP to many destinations as fast as one process can send, in the guest.

    blast.py NETNS SECONDS SEED NET/PLEN [STOPFILE]

Enters network namespace NETNS and, until SECONDS have passed (or
STOPFILE exists), sends 16-byte UDP datagrams to port 9 of addresses
drawn at random (from SEED) in NET/PLEN, skipping its network and
broadcast addresses. The namespace's routes take them wherever they go
(the stress family points them at a router whose routes or neighbour
entries are changing meanwhile); nothing is expected back. A send the
kernel refuses (ENOBUFS, a full queue; ENETUNREACH, EHOSTUNREACH: an
ICMP error arrived) is counted and the loop goes on.

Prints one line at the end:
  "blast sent=N refused=R distinct=D seconds=S.SS"
Exit status 0 when at least one datagram left.
"""
import ipaddress
import os
import random
import socket
import sys
import time

from fsxnet import enter_netns


def main(argv):
    if len(argv) not in (5, 6):
        sys.exit(__doc__)
    netns, seconds, seed, net = argv[1], float(argv[2]), int(argv[3]), argv[4]
    stop = argv[5] if len(argv) == 6 else None
    enter_netns(netns)
    net = ipaddress.ip_network(net)
    base, size = int(net.network_address), net.num_addresses
    rnd = random.Random(seed)
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setblocking(False)
    payload = b"fsx-stress-blast"
    sent = refused = 0
    seen = set()
    t0 = time.monotonic()
    end = t0 + seconds
    while True:
        # Look at the clock and the stop file every 256 sends only.
        if (sent + refused) % 256 == 0:
            now = time.monotonic()
            if now >= end or (stop and os.path.exists(stop)):
                break
        a = base + 1 + rnd.randrange(size - 2)
        seen.add(a)
        try:
            s.sendto(payload, (socket.inet_ntoa(a.to_bytes(4, "big")), 9))
            sent += 1
        except OSError:
            refused += 1
    print("blast sent=%d refused=%d distinct=%d seconds=%.2f" % (
        sent, refused, len(seen), time.monotonic() - t0), flush=True)
    return 0 if sent else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
