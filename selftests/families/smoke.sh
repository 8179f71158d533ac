#!/bin/bash
# smoke: loopback, two hosts over veth, routes through iproute2, net-tools
# and busybox, neighbour tables after traffic, and scapy on the far end.
# Every case checks against what this script expects (its oracle); the
# observations (obs/) are compared with stock's by the judge.
. "$FSX_REPO/selftests/guest/lib.sh"
A=ha B=hb
MAC_A=02:00:00:00:00:01 MAC_B=02:00:00:00:00:02

ok "lo has 127.0.0.1/8" sh -c 'ip -4 -o addr show dev lo | grep -q "inet 127.0.0.1/8"'
ok "ping 127.0.0.1" ping -c 1 -W 2 127.0.0.1
ok "local table has the 127.0.0.1 local route" sh -c \
	'ip route show table local | grep -q "^local 127.0.0.1 dev lo"'
ok "two namespaces over veth" two_hosts $A $B 10.0.1.1 10.0.1.2 24
ok "ping a -> b" ip netns exec $A ping -c 1 -W 2 10.0.1.2
ok "ping b -> a" ip netns exec $B ping -c 1 -W 2 10.0.1.1
observe neigh-a.unordered ip -n $A neigh show
observe arp-a.unordered ip netns exec $A arp -n
observe busybox-arp-a.unordered ip netns exec $A busybox arp -n
ok "ip neigh: b's MAC learnt in a" sh -c "ip -n $A neigh show 10.0.1.2 | grep -q 'lladdr $MAC_B'"
ok "arp -n: b's MAC learnt in a" sh -c "ip netns exec $A arp -n | grep -q '^10.0.1.2 .*$MAC_B'"
ok "busybox arp -n: b's MAC learnt in a" sh -c \
	"ip netns exec $A busybox arp -n | grep -q '(10.0.1.2) at $MAC_B'"

# iproute2
ok "ip route add 192.0.2.0/24 via b" ip -n $A route add 192.0.2.0/24 via 10.0.1.2
observe ip-route-a ip -n $A route show
observe ip-route-local-a ip -n $A route show table local
ok "ip route get 192.0.2.7 uses b" sh -c \
	"ip -n $A route get 192.0.2.7 | grep -q '^192.0.2.7 via 10.0.1.2 dev veth-$A'"
ok "ip route add of an existing route fails EEXIST" sh -c \
	"ip -n $A route add 192.0.2.0/24 via 10.0.1.2 2>&1 | grep -q 'File exists'"
ok "ip route del 192.0.2.0/24" ip -n $A route del 192.0.2.0/24
ok "deleted route is gone" sh -c "! ip -n $A route show | grep -q 192.0.2.0"
ok "ip route get 192.0.2.7 is unreachable" sh -c \
	"ip -n $A route get 192.0.2.7 2>&1 | grep -q 'Network is unreachable'"

# net-tools route(8): ioctls
observe route-n-a ip netns exec $A route -n
ok "route add -net gw" ip netns exec $A route add -net 198.51.100.0 netmask 255.255.255.0 gw 10.0.1.2
ok "route -n lists it" sh -c \
	"ip netns exec $A route -n | grep -Eq '^198\.51\.100\.0 +10\.0\.1\.2 +255\.255\.255\.0 +UG '"
ok "route add default gw" ip netns exec $A route add default gw 10.0.1.2
observe route-n-a-2 ip netns exec $A route -n
observe proc-net-route-a ip netns exec $A cat /proc/net/route
observe busybox-route-a ip netns exec $A busybox route -n
ok "busybox route -n lists the default" sh -c \
	"ip netns exec $A busybox route -n | grep -Eq '^0\.0\.0\.0 +10\.0\.1\.2 +0\.0\.0\.0 +UG '"
ok "ip route shows the ioctl routes" sh -c \
	"ip -n $A route show | grep -q '^198.51.100.0/24 via 10.0.1.2 dev veth-$A'"
ok "route del -net" ip netns exec $A route del -net 198.51.100.0 netmask 255.255.255.0 gw 10.0.1.2
ok "route del of a missing route fails" sh -c \
	"! ip netns exec $A route del -net 198.51.100.0 netmask 255.255.255.0 2>/dev/null"
ok "route del default" ip netns exec $A route del default
observe route-n-a-3 ip netns exec $A route -n

# scapy on the far end (b): ARP and ICMP answered by a's kernel.
ip -n $B neigh flush dev veth-$B
out=$($PY "$FSX_REPO/selftests/guest/fsxnet.py" $B arp-probe veth-$B $MAC_B 10.0.1.2 10.0.1.1 2>&1)
echo "$out" | sed 's/^/# scapy: /'
ok "scapy: a answers ARP for 10.0.1.1 with its MAC" test "$out" = "arp 10.0.1.1 is-at $MAC_A"
out=$($PY "$FSX_REPO/selftests/guest/fsxnet.py" $B icmp-echo 10.0.1.1 4242 2>&1)
echo "$out" | sed 's/^/# scapy: /'
ok "scapy: a answers ICMP echo" test "$out" = "icmp 10.0.1.1 type=0 id=4242 payload=fsx-smoke"

ip netns del $A
ip netns del $B
done_testing
