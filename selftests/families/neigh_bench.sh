#!/bin/bash
# neigh_bench (run by selftests/cost.sh on hook, not in the family matrix):
# N permanent ARP entries on a dummy device d0 in init_net (10.0.1.1 and
# the N-1 addresses after it; the N after those have none), then
# selftests/bench/neigh_bench.ko times lookups of them through the core's
# __ipv4_neigh_lookup_noref() and through a copy of stock's hash walk.
#   neigh_bench.sh MODULE_DIR N LOOKUPS REPEATS
. "$FSX_REPO/selftests/guest/lib.sh"
mod=$1 n=${2:-64} lookups=${3:-20000} repeats=${4:-15}

# addr I: the dotted quad of 10.0.1.1 + I.
addr() {
	local a=$((0x0a000101 + $1))
	echo "$((a >> 24)).$((a >> 16 & 255)).$((a >> 8 & 255)).$((a & 255))"
}

ok "net.ipv4.neigh_backend is the hash table" \
	test "$(cat /proc/sys/net/ipv4/neigh_backend)" = hash
ok "d0 (dummy) up with 10.0.0.1/16" sh -c \
	'ip link add d0 type dummy && ip link set d0 up && ip addr add 10.0.0.1/16 dev d0'
i=0
while [ $i -lt "$n" ]; do
	printf 'neigh add %s lladdr 02:00:00:00:%02x:%02x dev d0 nud permanent\n' \
		"$(addr $i)" $((i >> 8 & 255)) $((i & 255))
	i=$((i + 1))
done >/tmp/neigh.batch
ok "$n permanent ARP entries on d0" ip -batch /tmp/neigh.batch
ok "ip neigh lists them" test "$(ip -4 neigh show dev d0 nud permanent | wc -l)" = "$n"
ok "no entry after them" test -z "$(ip -4 neigh show dev d0 to "$(addr "$n")")"
dmesg -C
ok "neigh_bench.ko runs" insmod "$mod/neigh_bench.ko" lookups="$lookups" \
	repeats="$repeats" seed="$FSX_SEED" dev=d0 first="$(addr 0)" neighs="$n"
dmesg | grep -o 'neigh_bench: .*' | sed 's/^/# /'
dmesg | grep -o 'neigh_bench: repeat .*' >"$FSX_RES/bench.txt"
ok "every repeat reported" test "$(wc -l <"$FSX_RES/bench.txt")" = "$repeats"
# Oracle: the module knows which keys have an entry (7 in 8); every arm
# must find exactly those, every time.
done_line=$(dmesg | grep -o 'neigh_bench: done .*')
ok "all three arms find every entry and nothing else" sh -c \
	"echo '$done_line' | grep -qE 'hook=([0-9]+) direct=\\1 direct2=\\1 expect=\\1\$'"
ok "the ARP table still on the hash table" \
	test "$(cat /proc/sys/net/ipv4/neigh_backend)" = hash
ok "rmmod neigh_bench" rmmod neigh_bench
done_testing
