#!/bin/bash
# demo: a two-host network on the booted kernel, shown step by step.
. "$FSX_REPO/selftests/guest/lib.sh"
A=ha B=hb
show() { echo; echo "$A\$ $*"; ip netns exec $A "$@" 2>&1 | sed 's/^/    /'; }

echo "kernel $(uname -r), profile $FSX_PROFILE, $(fsx_backends)"
ok "two hosts over veth: $A 10.0.1.1/24, $B 10.0.1.2/24" two_hosts $A $B 10.0.1.1 10.0.1.2 24
ok "$B also owns 198.51.100.1/24 behind it" ip -n $B addr add 198.51.100.1/24 dev lo
ok "$A: route add -net 198.51.100.0/24 gw 10.0.1.2 (net-tools)" \
	ip netns exec $A route add -net 198.51.100.0 netmask 255.255.255.0 gw 10.0.1.2
show ip route show
show route -n
show ping -c 2 -W 2 198.51.100.1
show arp -n
show busybox route -n
ok "$A reaches 198.51.100.1 through $B" ip netns exec $A ping -c 1 -W 2 198.51.100.1
ok "$A learnt $B's MAC" sh -c "ip -n $A neigh show 10.0.1.2 | grep -q 02:00:00:00:00:02"
done_testing
