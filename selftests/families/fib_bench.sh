#!/bin/bash
# fib_bench (run by selftests/cost.sh on hook, not in the family matrix):
# N routes in init_net's main table, then selftests/bench/fib_bench.ko
# times lookups through the hook and directly in the trie.
#   fib_bench.sh MODULE_DIR N LOOKUPS REPEATS
. "$FSX_REPO/selftests/guest/lib.sh"
mod=$1 n=${2:-16} lookups=${3:-20000} repeats=${4:-15}

ok "net.ipv4.fib_store is the trie" test "$(cat /proc/sys/net/ipv4/fib_store)" = trie
ok "dummy0 up with 198.18.0.1/16" sh -c 'ip link set dummy0 up && ip addr add 198.18.0.1/16 dev dummy0'
ok "$n /24 routes and a default route" sh -c "
	i=0
	while [ \$i -lt $n ]; do
		ip route add 10.\$((i / 256)).\$((i % 256)).0/24 via 198.18.0.2 dev dummy0 || exit 1
		i=\$((i + 1))
	done
	ip route add default via 198.18.0.254 dev dummy0"
dmesg -C
ok "fib_bench.ko runs" insmod "$mod/fib_bench.ko" lookups="$lookups" repeats="$repeats" seed="$FSX_SEED"
dmesg | grep -o 'fib_bench: .*' | sed 's/^/# /'
dmesg | grep -o 'fib_bench: repeat .*' >"$FSX_RES/bench.txt"
ok "every repeat reported" test "$(wc -l <"$FSX_RES/bench.txt")" = "$repeats"
# Oracle: with a default route every destination matches, in every arm.
want=$((lookups * repeats))
ok "all three arms hit on every lookup" sh -c \
	"dmesg | grep -q 'fib_bench: done hits hook=$want direct=$want direct2=$want'"
ok "rmmod fib_bench" rmmod fib_bench
done_testing
