#!/bin/bash
# nlfuzz: hostile input, seeded and replayable. selftests/guest/nlfuzz.py
# sends COUNT (the argument; 1000) random rtnetlink messages and route/ARP
# ioctls (valid and malformed; see its docstring) to one namespace, twice:
# "portable", with the main and local tables only and nothing a small
# kernel may lack (every kernel), then with other tables, IPv6's address
# family and multipath routes too (kernels that have them; client has
# none, and answers those with other errnos). Every answer (errno, extack message,
# a lookup's result) and the final tables are observations, so the judge
# compares them with stock's, seed for seed; the cases check what must
# hold whatever stock does: the generator ran to the end, the kernel
# did not oops, permanent routes and entries made before the fuzz are
# still there. Replay one run with
#   selftests/vm.sh --seed SEED PROFILE nlfuzz
. "$FSX_REPO/selftests/guest/lib.sh"
N=fz P=fzp
COUNT=${1:-1000}
FUZZ=$FSX_REPO/selftests/guest/nlfuzz.py
echo "# seed $FSX_SEED, $COUNT operations a run"

# setup: fz0, fz1 veth to namespace fzp (10.9.0.2, 10.9.1.2 answer ARP
# there), fz2 dummy left down; nexthop 1; a permanent route and entry
# that no generated message names (kept is checked after each run).
setup() {
	ip netns add $N && ip netns add $P &&
		ip -n $N link set lo up && ip -n $P link set lo up &&
		ip link add fz0 netns $N address 02:00:00:00:0f:01 type veth \
			peer name p0 netns $P address 02:00:00:00:0f:02 &&
		ip link add fz1 netns $N address 02:00:00:00:0f:11 type veth \
			peer name p1 netns $P address 02:00:00:00:0f:12 &&
		ip -n $N link add fz2 address 02:00:00:00:0f:21 type dummy &&
		ip -n $N addr add 10.9.0.1/24 dev fz0 && ip -n $N addr add 10.9.1.1/24 dev fz1 &&
		ip -n $P addr add 10.9.0.2/24 dev p0 && ip -n $P addr add 10.9.1.2/24 dev p1 &&
		ip -n $N link set fz0 up && ip -n $N link set fz1 up &&
		ip -n $P link set p0 up && ip -n $P link set p1 up &&
		ip -n $N nexthop add id 1 via 10.9.0.2 dev fz0 &&
		ip -n $N route add 172.16.5.0/24 via 10.9.0.2 dev fz0 proto static &&
		ip -n $N neigh add 10.9.0.200 lladdr 02:00:00:00:0f:c8 dev fz0 nud permanent
}
kept() {
	ip -n $N route show 172.16.5.0/24 | grep -q "via 10.9.0.2 dev fz0" &&
		ip -n $N neigh show 10.9.0.200 dev fz0 | grep -q "02:00:00:00:0f:c8 PERMANENT"
}
# The tables as they ended: routes in every table; the neighbour entries
# that no timer changes (permanent, noarp: a dynamic entry's state is a
# matter of time, not of the table); /proc/net/route.
tables_after() {
	local run=$1
	observe "$run.routes" ip -n $N -4 -d route show table all
	observe "$run.neigh.unordered" sh -c \
		"ip -n $N -4 neigh show nud permanent; ip -n $N -4 neigh show nud noarp; ip -n $N -4 neigh show proxy"
	observe "$run.proc-route" ip netns exec $N cat /proc/net/route
}
# fuzz RUN TABLES [portable]: one run of the generator; its log is an
# observation
fuzz() {
	local run=$1
	shift
	ip netns exec $N "$PY" "$FUZZ" "$FSX_SEED" "$COUNT" "$@" >"$FSX_RES/$run.log" 2>&1
	local rc=$?
	tail -n 3 "$FSX_RES/$run.log"
	mkdir -p "$FSX_RES/obs" && cp "$FSX_RES/$run.log" "$FSX_RES/obs/$run.log"
	[ "$rc" = 0 ] && [ "$(grep -c '=>' "$FSX_RES/$run.log")" = "$COUNT" ]
}
no_oops() {
	! dmesg | grep -E "BUG:|WARNING:|Oops|general protection|KASAN|UBSAN|RCU.*(stall|suspicious)|kernel BUG"
}

# On debug the fuzz runs on our backends, loaded and switched to at the
# start, so that lockdep, PROVE_RCU, KASAN and kmemleak watch fib_simple
# and neigh_small under it (other profiles run what they boot with;
# hook-simple is ours loaded, tiny and client ours built in).
ours() {
	insmod "$FSX_MODDIR/fib_simple/fib_simple.ko" activate=1 &&
		insmod "$FSX_MODDIR/neigh_small/neigh_small.ko" activate=1 slots=64 &&
		[ "$(fsx_backends)" = "fib=simple neigh=small" ]
}
# back: switch back, then unload (tables of namespaces being dismantled
# hold the module until they are freed, a moment later)
back() {
	echo trie >/proc/sys/net/ipv4/fib_store && echo hash >/proc/sys/net/ipv4/neigh_backend &&
		[ "$(fsx_backends)" = "fib=trie neigh=hash" ] && rmmod_wait neigh_small fib_simple
}
dmesg -C
if [ "$FSX_PROFILE" = debug ]; then
	ok "debug: on fib_simple and neigh_small (loaded, activate=1)" ours
else
	skip "debug: on fib_simple and neigh_small (loaded, activate=1)" "debug only"
fi
ok "namespace fz: two veth links, a down dummy, nexthop 1, a permanent route and entry" setup
# what the full run needs beyond the portable one (tried before the fuzz
# changes the links)
lacks=
ip -n $N rule show >/dev/null 2>&1 || lacks+=" policy-routing"
[ -e /proc/net/if_inet6 ] || lacks+=" IPv6"
ip -n $N route add 198.51.100.0/24 nexthop via 10.9.0.2 dev fz0 nexthop via 10.9.1.2 dev fz1 \
	>/dev/null 2>&1 && ip -n $N route del 198.51.100.0/24 || lacks+=" multipath"
ok "portable (main and local tables): $COUNT operations sent, every answer read" \
	fuzz portable "254 255" portable
ok "the permanent route and entry made before the fuzz are still there" kept
tables_after portable
if [ -z "$lacks" ]; then
	ok "full (tables 254 255 100 0 7): $COUNT operations sent, every answer read" \
		fuzz full "254 255 100 0 7"
	ok "the permanent route and entry are still there after the full run" kept
	tables_after full
else
	skip "full (tables 254 255 100 0 7): $COUNT operations sent, every answer read" "no$lacks"
	skip "the permanent route and entry are still there after the full run" "no$lacks"
	for o in full.log full.routes full.neigh.unordered full.proc-route; do
		observe_skip "$o" "no$lacks"
	done
fi
ok "no oops, warning or RCU splat in dmesg" no_oops
ok "namespaces removed" sh -c "ip netns del $N && ip netns del $P"
if [ "$FSX_PROFILE" = debug ]; then
	ok "debug: back on the trie and the hash table (rmmod)" back
else
	skip "debug: back on the trie and the hash table (rmmod)" "debug only"
fi
done_testing
