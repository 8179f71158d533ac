#!/bin/bash
# local: local delivery. ICMP echo to the DUT's own addresses, its subnet
# broadcasts, 255.255.255.255, 127.0.0.1 and 127.1.2.3, sent from inside
# the DUT and from peers (ping(8), and scapy for what ping cannot send:
# 127/8 destinations arriving on a veth must be dropped), and `ip route
# get` with from / iif / oif / tos / mark, each checked for the route type
# (local / broadcast / unicast), device and source this script expects.
# The route types come from the local table the DUT builds for its
# addresses (fib_add_ifaddr: local ADDR, broadcast SUBNET-BCAST, local
# 127.0.0.0/8 on lo) and ip_route_input_slow / ip_route_output_key_hash_rcu
# (net/ipv4/route.c, 6.12).
#
#   peer lp veth-p0 10.0.1.2/24 --- veth-d0 10.0.1.1/24  DUT ld
#   peer lq veth-q0 10.0.2.2/24 --- veth-d1 10.0.2.1/24  DUT ld
. "$FSX_REPO/selftests/guest/lib.sh"
D=ld P=lp Q=lq
MAC_D0=02:00:00:00:0c:01 MAC_P0=02:00:00:00:0c:02
MAC_D1=02:00:00:00:0c:11 MAC_Q0=02:00:00:00:0c:12
W=/tmp/local
mkdir -p $W

setup() {
	ip netns add $D && ip netns add $P && ip netns add $Q &&
	ip link add veth-d0 netns $D address $MAC_D0 type veth \
		peer name veth-p0 netns $P address $MAC_P0 &&
	ip link add veth-d1 netns $D address $MAC_D1 type veth \
		peer name veth-q0 netns $Q address $MAC_Q0 &&
	for ns in $D $P $Q; do ip -n $ns link set lo up || return 1; done &&
	ip -n $D addr add 10.0.1.1/24 brd + dev veth-d0 &&
	ip -n $D addr add 10.0.2.1/24 brd + dev veth-d1 &&
	ip -n $P addr add 10.0.1.2/24 brd + dev veth-p0 &&
	ip -n $Q addr add 10.0.2.2/24 brd + dev veth-q0 &&
	ip -n $D link set veth-d0 up && ip -n $D link set veth-d1 up &&
	ip -n $P link set veth-p0 up && ip -n $Q link set veth-q0 up &&
	# each peer reaches the DUT's other subnet through the DUT
	ip -n $P route add 10.0.2.0/24 via 10.0.1.1 &&
	ip -n $Q route add 10.0.1.0/24 via 10.0.2.1 &&
	ip netns exec $D sysctl -qw net.ipv4.icmp_echo_ignore_broadcasts=0
}
ok "DUT with two veth links to two peers" setup
observe dut-table-local ip -n $D -4 route show table local
observe dut-table-main ip -n $D -4 route show table main
ok "local table: local 10.0.1.1 and broadcast 10.0.1.255 on veth-d0" sh -c \
	"ip -n $D -4 route show table local | grep -q '^local 10.0.1.1 dev veth-d0 proto kernel scope host src 10.0.1.1' &&
	 ip -n $D -4 route show table local | grep -q '^broadcast 10.0.1.255 dev veth-d0 proto kernel scope link src 10.0.1.1'"
ok "local table: local 127.0.0.0/8 on lo" sh -c \
	"ip -n $D -4 route show table local | grep -q '^local 127.0.0.0/8 dev lo proto kernel scope host src 127.0.0.1'"
ok "icmp_echo_ignore_broadcasts is 0 in the DUT, 1 in the peers" sh -c \
	"[ \$(ip netns exec $D cat /proc/sys/net/ipv4/icmp_echo_ignore_broadcasts) = 0 ] &&
	 [ \$(ip netns exec $P cat /proc/sys/net/ipv4/icmp_echo_ignore_broadcasts) = 1 ]"

# ---------------------------------------------------------------- ping
# pings NS EXPECT ARGS...: `ping -n -c 1 -W 2 ARGS...` in NS; EXPECT is
# the address the first reply comes from, "none" (no reply: exit 1) or
# "error:TEXT" (ping fails with TEXT). Logged to obs/pings.
: >$W/pings
_pings() {
	local ns=$1 exp=$2 out rc from
	shift 2
	out=$(ip netns exec $ns ping -n -c 1 -W 2 "$@" 2>&1) && rc=0 || rc=$?
	from=$(echo "$out" | sed -n 's/^[0-9]* bytes from \([0-9.]*\): icmp_seq=1 ttl=\([0-9]*\).*/\1 ttl \2/p' | head -n 1)
	echo "$ns ping $* => rc=$rc ${from:-no reply}$(echo "$out" | grep -i 'unreachable\|connect:' | head -n 1 | sed 's/^/ /')" >>$W/pings
	echo "$out"
	case $exp in
	none) [ "$rc" = 1 ] && [ -z "$from" ] ;;
	error:*) [ "$rc" = 2 ] && [[ $out == *"${exp#error:}"* ]] ;;
	*) [ "$rc" = 0 ] && [ "${from%% *}" = "$exp" ] ;;
	esac
}
pings() {
	local ns=$1 exp=$2
	shift 2
	ok "$ns: ping $*: $exp" _pings $ns "$exp" "$@"
}
# from inside the DUT
pings $D 10.0.1.1 10.0.1.1
pings $D 10.0.2.1 10.0.2.1
pings $D 127.0.0.1 127.0.0.1
pings $D 127.1.2.3 127.1.2.3
pings $D 10.0.1.1 -b 10.0.1.255
pings $D 10.0.2.1 -b 10.0.2.255
pings $D 10.0.1.1 -b -I veth-d0 255.255.255.255
pings $D "error:Network is unreachable" -b 255.255.255.255
pings $D 10.0.1.2 10.0.1.2
# from the peers
pings $P 10.0.1.1 10.0.1.1
pings $P 10.0.2.1 10.0.2.1
pings $P 10.0.1.1 -b 10.0.1.255
pings $P 10.0.1.1 -b -I veth-p0 255.255.255.255
pings $Q 10.0.1.1 10.0.1.1
# 10.0.2.255 is veth-d1's broadcast, reaching the DUT on veth-d0 as a
# unicast frame: ip_route_input_slow finds the broadcast route and
# delivers it locally; the reply's source is computed for the sender's
# side (fib_compute_spec_dst), 10.0.1.1.
pings $P 10.0.1.1 10.0.2.255
pings $Q 10.0.2.1 10.0.1.255
# the peer's own 127/8 is its own loopback, not the DUT
pings $P 127.0.0.1 127.0.0.1
ip netns exec $D sysctl -qw net.ipv4.icmp_echo_ignore_broadcasts=1
pings $P none -b 10.0.1.255
pings $D none -b 10.0.1.255
ip netns exec $D sysctl -qw net.ipv4.icmp_echo_ignore_broadcasts=0
pings $P 10.0.1.1 -b 10.0.1.255
observe pings cat $W/pings

# ---------------------------------------------------------------- scapy
# From the peer lp, frames addressed to the DUT's MAC (or broadcast). The
# DUT's Icmp InEchos counter must grow by the number of answered probes:
# a 127/8 packet arriving on veth is a martian destination, dropped before
# ICMP sees it (no reply, and no InEcho either).
in_echos() {
	ip netns exec $D awk '$1 == "Icmp:" { if (!h) { for (i = 2; i <= NF; i++) c[$i] = i; h = 1 } else print $c["InEchos"] }' /proc/net/snmp
}
before=$(in_echos)
ip netns exec $P true # (netns ready)
$PY "$FSX_REPO/selftests/guest/localprobe.py" $P veth-p0 $MAC_P0 10.0.1.2 $MAC_D0 \
	own=10.0.1.1 \
	lo-127.0.0.1=127.0.0.1 \
	lo-127.1.2.3=127.1.2.3 \
	lo-127.0.0.1-bcast=127.0.0.1@bcast \
	other-iface=10.0.2.1 \
	other-bcast=10.0.2.255 \
	subnet-bcast=10.0.1.255@bcast \
	subnet-bcast-unicast-mac=10.0.1.255 \
	limited-bcast=255.255.255.255@bcast \
	other-mac=10.0.1.1@02:00:00:00:0c:99 \
	>$W/scapy 2>&1
after=$(in_echos)
sed 's/^/# scapy: /' $W/scapy
observe scapy cat $W/scapy
# expect NAME RESULT: the scapy probe NAME saw RESULT
expect() {
	ok "scapy from $P: $1: $2" grep -qx "$1 $2" $W/scapy
}
expect own "reply from 10.0.1.1"
expect lo-127.0.0.1 no-reply
expect lo-127.1.2.3 no-reply
expect lo-127.0.0.1-bcast no-reply
expect other-iface "reply from 10.0.2.1"
expect other-bcast "reply from 10.0.1.1"
expect subnet-bcast "reply from 10.0.1.1"
expect subnet-bcast-unicast-mac "reply from 10.0.1.1"
expect limited-bcast "reply from 10.0.1.1"
# a unicast frame for another MAC is PACKET_OTHERHOST: dropped by ip_rcv
expect other-mac no-reply
ok "DUT InEchos grew by the 6 answered probes only" sh -c \
	"echo before=$before after=$after; [ \$(($after - $before)) = 6 ]"

# ---------------------------------------------------------------- route get
# rget TYPE DEV SRC ARGS...: `ip route get ARGS...` in the DUT gives a
# route of TYPE (local, broadcast, unicast, ...) through DEV with source
# SRC ("-": none printed); TYPE "error:TEXT": fails with TEXT. Every
# answer's first line goes to obs/route-get.
: >$W/route-get
_rget() {
	local type=$1 dev=$2 src=$3 out rc line gtype gdev gsrc
	shift 3
	out=$(ip -n $D -4 route get "$@" 2>&1) && rc=0 || rc=$?
	line=$(echo "$out" | head -n 1 | sed 's/ *$//')
	echo "get $* => $line" >>$W/route-get
	echo "$line"
	case $type in
	error:*) [ "$rc" != 0 ] && [[ $line == *"${type#error:}"* ]]; return ;;
	esac
	[ "$rc" = 0 ] || return 1
	set -- $line
	case $1 in
	local | broadcast | multicast | unreachable | prohibit | blackhole) gtype=$1 ;;
	*) gtype=unicast ;;
	esac
	gdev=- gsrc=-
	while [ $# -gt 1 ]; do
		case $1 in
		dev) gdev=$2 ;;
		src) gsrc=$2 ;;
		esac
		shift
	done
	echo "got: $gtype dev $gdev src $gsrc"
	[ "$gtype" = "$type" ] && [ "$gdev" = "$dev" ] && [ "$gsrc" = "$src" ]
}
rget() {
	local what="$1 dev $2 src $3"
	case $1 in error:*) what=$1 ;; esac
	ok "route get $(echo "${@:4}"): $what" _rget "$@"
}
# output routes
rget local lo 10.0.1.1 10.0.1.1
rget local lo 10.0.2.1 10.0.2.1
rget broadcast veth-d0 10.0.1.1 10.0.1.255
rget broadcast veth-d1 10.0.2.1 10.0.2.255
rget unicast veth-d0 10.0.1.1 10.0.1.2
rget unicast veth-d0 10.0.1.1 10.0.1.0
rget local lo 127.0.0.1 127.0.0.1
rget local lo 127.0.0.1 127.1.2.3
rget broadcast lo 127.0.0.1 127.255.255.255
rget "error:Network is unreachable" - - 255.255.255.255
rget "error:Network is unreachable" - - 192.0.2.1
rget broadcast veth-d0 10.0.1.1 255.255.255.255 oif veth-d0
rget broadcast veth-d1 10.0.2.1 255.255.255.255 oif veth-d1
# oif forces the device: an address not on it is assumed on link there
rget unicast veth-d1 10.0.2.1 10.0.1.2 oif veth-d1
rget unicast veth-d0 10.0.1.1 192.0.2.1 oif veth-d0
# The local route for 10.0.1.1 has veth-d0 as its nexthop device, so an
# oif of veth-d0 finds it (local, delivered through lo) but an oif of lo
# does not: the lookup fails and the address is assumed on link on lo
# (stock 6.12: "10.0.1.1 dev lo src 10.0.1.1", a unicast route).
rget unicast lo 10.0.1.1 10.0.1.1 oif lo
rget local lo 10.0.1.1 10.0.1.1 oif veth-d0
# with a source given, ip(8) prints "from", no "src"
rget unicast veth-d0 - 10.0.1.2 from 10.0.1.1
rget unicast veth-d0 - 10.0.1.2 from 10.0.2.1
# 127.1.2.3 is local only through the 127.0.0.0/8 local route: found by
# __ip_dev_find's fallback to the local table
rget local lo - 127.0.0.1 from 127.1.2.3
rget local lo - 127.1.2.3 from 127.1.2.3
# a source that is not local: ENETUNREACH (ip_route_output_key_hash_rcu)
rget "error:Network is unreachable" - - 10.0.1.2 from 10.0.1.99
rget "error:Invalid argument" - - 10.0.1.2 from 127.1.2.3
rget unicast veth-d0 10.0.1.1 10.0.1.2 tos 0x10
rget unicast veth-d0 10.0.1.1 10.0.1.2 mark 7
rget local lo 10.0.1.1 10.0.1.1 tos 0x10 mark 7
# input routes (as if received)
rget local lo - 10.0.1.1 from 10.0.1.2 iif veth-d0
rget local lo - 10.0.2.1 from 10.0.1.2 iif veth-d0
rget broadcast lo - 10.0.1.255 from 10.0.1.2 iif veth-d0
rget broadcast lo - 10.0.2.255 from 10.0.1.2 iif veth-d0
rget broadcast lo - 255.255.255.255 from 10.0.1.2 iif veth-d0
rget broadcast lo - 255.255.255.255 from 0.0.0.0 iif veth-d0
rget local lo - 10.0.1.1 from 10.0.1.2 iif veth-d0 tos 0x10 mark 5
rget "error:Invalid argument" - - 127.0.0.1 from 10.0.1.2 iif veth-d0
rget "error:Invalid argument" - - 127.1.2.3 from 10.0.1.2 iif veth-d0
rget "error:Invalid argument" - - 10.0.1.1 from 127.0.0.1 iif veth-d0
# Without rp_filter fib_validate_source only refuses the DUT's own
# addresses as sources (inet_lookup_ifaddr_rcu); a subnet broadcast
# source gets through (stock 6.12 agrees).
rget "error:Invalid argument" - - 10.0.1.1 from 10.0.1.1 iif veth-d0
rget "error:Invalid argument" - - 10.0.1.1 from 127.1.2.3 iif veth-d0
rget local lo - 10.0.1.1 from 10.0.1.255 iif veth-d0
rget "error:Invalid argument" - - 10.0.1.1 from 255.255.255.255 iif veth-d0
# forwarding is off: a unicast destination that is not local
rget "error:No route to host" - - 10.0.2.2 from 10.0.1.2 iif veth-d0
# strict reverse path filter: 10.0.2.2 is reached through veth-d1
ip netns exec $D sysctl -qw net.ipv4.conf.all.rp_filter=1
rget "error:Invalid cross-device link" - - 10.0.1.1 from 10.0.2.2 iif veth-d0
rget local lo - 10.0.1.1 from 10.0.1.2 iif veth-d0
ip netns exec $D sysctl -qw net.ipv4.conf.all.rp_filter=0
rget local lo - 10.0.1.1 from 10.0.2.2 iif veth-d0
# route_localnet lets 127/8 in from veth-d0
ip netns exec $D sysctl -qw net.ipv4.conf.veth-d0.route_localnet=1
rget local lo - 127.0.0.1 from 10.0.1.2 iif veth-d0
ip netns exec $D sysctl -qw net.ipv4.conf.veth-d0.route_localnet=0
rget "error:Invalid argument" - - 127.0.0.1 from 10.0.1.2 iif veth-d0
observe route-get cat $W/route-get

for ns in $D $P $Q; do ip netns del $ns; done
done_testing
