#!/usr/bin/python3
"""ICMP echo probes that ping(8) cannot send, from a peer namespace.

    localprobe.py NETNS IFACE SRC_MAC SRC_IP DUT_MAC PROBE...

Enters NETNS, imports scapy once and sends, out of IFACE, one ICMP echo
request per PROBE, given as NAME=DST_IP[@ETHDST]: an Ethernet frame from
SRC_MAC to ETHDST (DUT_MAC unless ETHDST is given; "bcast" is
ff:ff:ff:ff:ff:ff) carrying IP SRC_IP -> DST_IP. Prints one line per
probe, in order: "NAME reply from IP" (an echo reply to that request,
from any source address: replies to broadcasts come from a unicast one)
or "NAME no-reply". Exit status 0 when the probes ran, whatever they saw.
"""
import sys

from fsxnet import enter_netns


def main(argv):
    if len(argv) < 7:
        sys.exit(__doc__)
    netns, iface, smac, sip, dmac = argv[1:6]
    enter_netns(netns)
    # scapy reads interfaces and routes at import: import after setns.
    from scapy.all import ICMP, IP, Ether, conf, srp1
    # A reply to a broadcast comes from a unicast address: match on the
    # ICMP id and sequence only.
    conf.checkIPaddr = False
    for k, spec in enumerate(argv[6:], start=1):
        name, target = spec.split("=", 1)
        dst, _, eth = target.partition("@")
        eth = {"": dmac, "bcast": "ff:ff:ff:ff:ff:ff"}.get(eth, eth)
        pkt = (Ether(src=smac, dst=eth) / IP(src=sip, dst=dst, ttl=64) /
               ICMP(type=8, id=0x4c00 + k, seq=k) / b"fsx-local")
        rep = srp1(pkt, iface=iface, timeout=2, verbose=False)
        if rep is not None and ICMP in rep and rep[ICMP].type == 0:
            print("%s reply from %s" % (name, rep[IP].src), flush=True)
        else:
            print("%s no-reply" % name, flush=True)


if __name__ == "__main__":
    main(sys.argv)
