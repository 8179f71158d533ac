#!/bin/bash
# hostile: hostile frames at a router namespace, from scapy on the far end
# of its two links (selftests/guest/hostile.py; its docstring has the
# topology and the probes): broken IPv4 headers, martian and spoofed
# sources, broadcast and multicast destinations and frames, fragments,
# odd ARP senders and attempts on permanent entries, then a seeded flood
# of FLOOD frames (the argument; 3000, 20000 in check-full), a third of
# them corrupted. Each probe is a case named by its predicted outcome
# (where the script predicts one) and an observation: what left the DUT
# and how its IP/ICMP counters moved, compared with stock's line for
# line. After the flood the DUT must answer and its permanent entries
# and routes must be as before. Replay one run with
#   selftests/vm.sh --seed SEED PROFILE hostile
. "$FSX_REPO/selftests/guest/lib.sh"
FLOOD=${1:-$([ "${FSX_FULL:-0}" = 1 ] && echo 20000 || echo 3000)}
D=hd P=hp
out=/tmp/hostile
echo "# seed $FSX_SEED, flood of $FLOOD frames, $(fsx_backends)"

setup() {
	ip netns add $D && ip netns add $P &&
		ip -n $D link set lo up && ip -n $P link set lo up &&
		ip link add h0 netns $D address 02:00:00:00:8a:01 type veth \
			peer name hp0 netns $P address 02:00:00:00:8a:02 &&
		ip link add h1 netns $D address 02:00:00:00:8b:01 type veth \
			peer name hp1 netns $P address 02:00:00:00:8b:02 &&
		# the far end sends nothing of its own (no IPv6 where there is any)
		{ ip netns exec $P sysctl -qw net.ipv6.conf.all.disable_ipv6=1 2>/dev/null
		  ip netns exec $P sysctl -qw net.ipv6.conf.default.disable_ipv6=1 2>/dev/null
		  true; } &&
		ip -n $P link set hp0 arp off && ip -n $P link set hp1 arp off &&
		ip -n $D addr add 10.81.1.1/24 dev h0 && ip -n $D addr add 10.81.2.1/24 dev h1 &&
		ip -n $D link set h0 up && ip -n $D link set h1 up &&
		ip -n $P link set hp0 up && ip -n $P link set hp1 up &&
		ip netns exec $D sysctl -qw net.ipv4.ip_forward=1 &&
		ip netns exec $D sysctl -qw net.ipv4.icmp_ratelimit=0 &&
		ip -n $D neigh add 10.81.1.2 lladdr 02:00:00:00:8a:02 dev h0 nud permanent &&
		ip -n $D neigh add 10.81.2.2 lladdr 02:00:00:00:8b:02 dev h1 nud permanent &&
		ip -n $D neigh add 10.81.1.200 lladdr 02:00:00:00:8a:c8 dev h0 nud permanent &&
		ip -n $D route add 10.82.0.0/16 via 10.81.2.2 &&
		ip -n $D route add blackhole 10.83.0.0/16 &&
		ip -n $D route add prohibit 10.84.0.0/16 &&
		ip -n $D route add unreachable 10.85.0.0/16
}
ok "namespaces hd (router) and hp (the far end of both links)" setup
ip -n $D -4 route show table all >/tmp/hostile-routes-before

rm -rf $out && mkdir -p $out
# ip_error()'s per-source limit on unreachable/prohibit/no-route errors is
# global, not per namespace: off while the probes run (hostile.py).
cost=$(cat /proc/sys/net/ipv4/route/error_cost)
echo 0 >/proc/sys/net/ipv4/route/error_cost
cd "$FSX_REPO/selftests/guest" &&
	$PY hostile.py $D $P $out "$FSX_SEED" "$FLOOD" 2>&1
rc=$?
echo "$cost" >/proc/sys/net/ipv4/route/error_cost
cd /tmp || exit 1
failed() {
	printf '%s\n' "$1"
	return 1
}
while IFS=$'\t' read -r status name detail; do
	case $status in
	ok) ok "$name" true ;;
	fail) ok "$name" failed "$detail" ;;
	esac
done <"$out/results.tsv"
ok "hostile.py ran to the end (exit $rc)" test "$rc" = 0
ok "the routes are as before the frames" sh -c \
	"ip -n $D -4 route show table all | diff /tmp/hostile-routes-before -"
for o in ipv4 arp arp-neigh; do
	observe "$o" cat "$out/obs/$o"
done
ip netns del $D
ip netns del $P
done_testing
