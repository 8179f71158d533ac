#!/usr/bin/python3
"""An ARP flood from the far end of a link, run inside the guest.

    arpflood.py NETNS IFACE TARGET_IP FIRST_IP COUNT [MIN_SECONDS]

Enters network namespace NETNS and sends, out of IFACE through a raw
AF_PACKET socket, COUNT broadcast ARP requests "who-has TARGET_IP", each
from its own sender: sender k (0 <= k < COUNT) has the IP address
FIRST_IP + 256 * (k // 200) + k % 200 (200 senders per /24, so with
FIRST_IP's last byte at most 55 no sender is a .0 or .255) and the MAC
address 02:77:00:HH:MM:LL with HHMMLL = k + 1 (distinct, locally
administered, unicast). Each request makes the receiving kernel learn its sender
(arp_process -> neigh_event_ns: a STALE entry) and answer it.

The frames are built once with struct (no scapy: importing it costs ~8 s
under QEMU TCG, and sending through it ~150 frames/s) and sent in a
tight loop. A send the link refuses (ENOBUFS: the peer's backlog is
full) is retried after a short pause. Once all COUNT senders have been
sent, passes over the same senders repeat until MIN_SECONDS (default 0)
have passed since the start, so that whatever runs beside the flood (a
ping, samplers) sees it for at least that long.

Prints one line at the end:
  "arpflood distinct=COUNT sent=N passes=P retries=R seconds=S.SS"
Exit status 0 when every frame was sent, 1 otherwise.
"""
import errno
import socket
import struct
import sys
import time

from fsxnet import enter_netns

PER_NET = 200
# Ethernet type ARP; ARP over Ethernet for IPv4, a request.
HDR = struct.pack("!HHHBBH", 0x0806, 1, 0x0800, 6, 4, 1)


def frame(first, k, target):
    """Sender k's request: IP FIRST + 256 * (k // 200) + k % 200, MAC
    02:77 followed by k + 1 in 4 bytes; padded to the Ethernet minimum."""
    mac = struct.pack("!BBI", 0x02, 0x77, k + 1)
    ip = struct.pack("!I", first + (k // PER_NET) * 256 + k % PER_NET)
    return (b"\xff" * 6 + mac + HDR + mac + ip + b"\x00" * 6 + target +
            b"\x00" * 18)


def send_all(sock, frames):
    """Send every frame; return the number of retries it took."""
    retries = 0
    for f in frames:
        for attempt in range(1000):
            try:
                sock.send(f)
                break
            except OSError as e:
                if e.errno not in (errno.ENOBUFS, errno.EAGAIN):
                    raise
                retries += 1
                time.sleep(0.001 * min(attempt + 1, 20))
        else:
            raise OSError(errno.ENOBUFS, "a frame was refused 1000 times")
    return retries


def main(argv):
    if len(argv) not in (6, 7):
        sys.exit(__doc__)
    netns, iface = argv[1], argv[2]
    target = socket.inet_aton(argv[3])
    first = struct.unpack("!I", socket.inet_aton(argv[4]))[0]
    count = int(argv[5])
    min_seconds = float(argv[6]) if len(argv) == 7 else 0.0
    if first % 256 + PER_NET - 1 > 254:
        sys.exit("FIRST_IP's last byte must leave room for %d senders" % PER_NET)
    enter_netns(netns)
    frames = [frame(first, k, target) for k in range(count)]
    sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, 0)
    sock.bind((iface, 0))
    start = time.monotonic()
    sent = passes = retries = 0
    rc = 0
    try:
        while passes == 0 or time.monotonic() - start < min_seconds:
            retries += send_all(sock, frames)
            sent += len(frames)
            passes += 1
    except OSError as e:
        print("arpflood: %s" % e, file=sys.stderr)
        rc = 1
    print("arpflood distinct=%d sent=%d passes=%d retries=%d seconds=%.2f" % (
        count, sent, passes, retries, time.monotonic() - start), flush=True)
    sys.exit(rc)


if __name__ == "__main__":
    main(sys.argv)
