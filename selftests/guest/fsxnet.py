#!/usr/bin/python3
"""Scapy on the far end of a test topology, run inside the guest.

    fsxnet.py NETNS COMMAND ARGS...

Enters network namespace NETNS (as `ip netns add` made it), imports scapy
once, runs COMMAND and prints one line per observation, for the calling
family script to compare with what it expects. Exit status 0 when the
command ran, whatever it observed; the shell side decides pass or fail.
"""
import ctypes
import os
import sys

CLONE_NEWNET = 0x40000000


def enter_netns(name):
    libc = ctypes.CDLL(None, use_errno=True)
    fd = os.open("/run/netns/" + name, os.O_RDONLY)
    try:
        if libc.setns(fd, CLONE_NEWNET) != 0:
            err = ctypes.get_errno()
            raise OSError(err, "setns(%s): %s" % (name, os.strerror(err)))
    finally:
        os.close(fd)


def cmd_arp_probe(iface, src_mac, src_ip, target_ip):
    """Broadcast an ARP who-has; print who answered with which MAC."""
    from scapy.all import ARP, Ether, srp
    req = Ether(dst="ff:ff:ff:ff:ff:ff", src=src_mac) / ARP(
        op=1, hwsrc=src_mac, psrc=src_ip, pdst=target_ip)
    ans, _ = srp(req, iface=iface, timeout=3, verbose=False)
    if not ans:
        print("arp %s no-reply" % target_ip)
    for _, rep in ans:
        print("arp %s is-at %s" % (rep[ARP].psrc, rep[ARP].hwsrc))


def cmd_icmp_echo(dst, ident):
    """One ICMP echo through the kernel's routing; print the reply."""
    from scapy.all import ICMP, IP, sr1
    rep = sr1(IP(dst=dst) / ICMP(id=int(ident), seq=1) / b"fsx-smoke",
              timeout=3, verbose=False)
    if rep is None:
        print("icmp %s no-reply" % dst)
    else:
        print("icmp %s type=%d id=%d payload=%s" % (
            rep[IP].src, rep[ICMP].type, rep[ICMP].id,
            bytes(rep[ICMP].payload).decode(errors="replace")))


COMMANDS = {"arp-probe": cmd_arp_probe, "icmp-echo": cmd_icmp_echo}


def main(argv):
    if len(argv) < 3 or argv[2] not in COMMANDS:
        sys.exit("usage: fsxnet.py NETNS {%s} ARGS..." % ",".join(COMMANDS))
    enter_netns(argv[1])
    # scapy reads interfaces and routes at import: import after setns.
    import scapy.all  # noqa: F401
    COMMANDS[argv[2]](*argv[3:])


if __name__ == "__main__":
    main(sys.argv)
