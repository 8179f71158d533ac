#!/bin/bash
# report (run by scripts/report.sh on hook, not in the family matrix):
# memory and lookup cost of the trie against fib_simple and of the
# neighbour hash table against neigh_small, every figure from this one
# boot, switching backends between measurements.
#   report.sh BENCH_DIR [ROUTES [REPEATS [LOOKUPS]]]
# ROUTES: the route counts, ascending (default "4 8 16 64 256 1024").
# Writes $FSX_RES/report.txt, one measurement a line:
#   mem fib BACKEND N K without|with BYTES
#                                    kernel memory without and with N
#                                    routes in each of K namespaces
#   triestat N BYTES                 the trie's own account of init_net's
#                                    tables with N routes (kB granularity)
#   lookup fib BACKEND N REP RANDOM WORST LOOKUPS TSC_KHZ   (cycles)
#   lookup neigh BACKEND E REP CYCLES LOOKUPS TSC_KHZ
#   flood BACKEND ENTRIES OBJECTS BYTES_BEFORE BYTES_AFTER SLOTS
#   dispatch R hook=C direct=C direct2=C cycles   (fib_bench, 16 routes)
# "Kernel memory" is every slab object (active objects x object size,
# /proc/slabinfo, after every cache's per-CPU slabs are flushed through
# /sys/kernel/slab/*/shrink, so that objects counted active are in use),
# plus what the slab counters of /proc/meminfo hold beyond the slabs
# (kmalloc allocations too large for a cache: the trie's big nodes,
# fib_simple's arrays past 8 KiB), plus VmallocUsed, with the per-CPU
# counters folded first (vm.stat_refresh). Bytes per
# route are differences of it, made by scripts/report.sh.
. "$FSX_REPO/selftests/guest/lib.sh"
bench=${1:?usage: report.sh BENCH_DIR [ROUTES [REPEATS [LOOKUPS]]]}
ROUTES=${2:-4 8 16 64 256 1024} REPS=${3:-5} LOOKUPS=${4:-20000}
rep=$FSX_RES/report.txt  # not "out": lib.sh's ok() has a local of that name
fibctl=/proc/sys/net/ipv4/fib_store
neighctl=/proc/sys/net/ipv4/neigh_backend
: >"$rep"

# mem_now: kernel memory in bytes, as described above.
mem_now() {
	local s
	for s in /sys/kernel/slab/*/shrink; do
		echo 1 >"$s"
	done 2>/dev/null
	# fold the per-CPU vmstat deltas (up to tens of pages each) into the
	# totals /proc/meminfo shows
	echo 1 >/proc/sys/vm/stat_refresh 2>/dev/null
	awk '
		FILENAME == "/proc/slabinfo" && FNR > 2 { obj += $2 * $4; pages += $15 * $6 }
		FILENAME == "/proc/meminfo" && $1 == "Slab:" { slab = $2 * 1024 }
		FILENAME == "/proc/meminfo" && $1 == "VmallocUsed:" { vm = $2 * 1024 }
		END { printf "%d\n", obj + (slab - pages * 4096) + vm }' /proc/slabinfo /proc/meminfo
}
# mem_min: the least of 5 readings. What else the kernel does meanwhile
# (work items, timers, the readings' own processes) only ever adds
# memory, and comes and goes: the least reading is the closest to what
# stays allocated.
mem_min() {
	local i
	for i in 1 2 3 4 5; do
		mem_now
	done | sort -n | sed -n 1p
}
# Freed objects wait for a grace period (kfree_rcu batches up to a few
# seconds: KFREE_DRAIN_JIFFIES is 5 s); settle lets them go before a
# reading.
settle() {
	sleep 6
}
fib_to() {
	echo "$1" >$fibctl && [ "$(cat $fibctl)" = "$1" ]
}
neigh_to() {
	echo "$1" >$neighctl && [ "$(cat $neighctl)" = "$1" ]
}
# timed KIND N FIELDS ARG...: REPS loads of report_bench.ko what=KIND ARG...
# on each backend of KIND (fib: trie, simple; neigh: hash, small),
# switching to it before each load and alternating which goes first; a
# load adds "lookup KIND BACKEND N REP" and the FIELDS of the module's
# line (name=value) to the report. Fails if a switch or a load failed
# (the module fails its load when a lookup's answer is wrong).
timed() {
	local kind=$1 n=$2 fields=$3 r b order fails=0
	shift 3
	for r in $(seq 1 "$REPS"); do
		case $kind/$((r % 2)) in
		fib/1) order="trie simple" ;;
		fib/0) order="simple trie" ;;
		neigh/1) order="hash small" ;;
		neigh/0) order="small hash" ;;
		esac
		for b in $order; do
			dmesg -C
			"${kind}_to" "$b" &&
				insmod "$bench/report_bench.ko" what="$kind" "$@" \
					lookups="$LOOKUPS" repeats=1 seed=$((FSX_SEED + r)) &&
				rmmod report_bench || { echo "$kind on $b, repeat $r failed"; fails=$((fails + 1)); }
			dmesg | grep -o "report_bench: $kind .*" | tail -n 1 |
				awk -v pre="lookup $kind $b $n $r" -v fields="$fields" '{
					for (i = 1; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
					nf = split(fields, f, " "); line = pre
					for (i = 1; i <= nf; i++) line = line " " v[f[i]]
					print line }' >>"$rep"
		done
	done
	[ "$fails" = 0 ]
}

ok "fib=trie, neigh=hash at boot" test "$(fsx_backends)" = "fib=trie neigh=hash"
# max_routes: room for the largest N and the default route (the default
# cap, CONFIG_IP_FIB_SIMPLE_MAX_ROUTES, is 1024 a table)
maxn=$(echo $ROUTES | tr ' ' '\n' | sort -n | tail -n 1)
ok "insmod fib_simple.ko max_routes=$((maxn + 64))" \
	insmod "$FSX_MODDIR/fib_simple/fib_simple.ko" max_routes=$((maxn + 64))
ok "insmod neigh_small.ko (16 slots, the default)" \
	insmod "$FSX_MODDIR/neigh_small/neigh_small.ko"
ok "report_bench.ko present" test -f "$bench/report_bench.ko"
ok "/sys/kernel/slab/*/shrink writable" test -w /sys/kernel/slab/kmalloc-64/shrink

# --- FIB: memory per route ---
# N routes in each of K namespaces (K = 1024 / N, at most 64), so that
# even a handful of routes a table adds up to enough bytes to stand out
# of the readings' noise. Each namespace has a dummy device and a default
# route through the gateway the routes use, so that the routes share its
# fib_info and what grows is the table alone. A round, on one backend: a reading, the N routes added to every
# namespace, a reading, the routes deleted; four rounds (trie, simple,
# simple, trie). Bytes per route = the growth / (K x N), median of a
# backend's rounds (scripts/report.py).
mem_round() {
	local b=$1
	fib_to "$b" || return 1
	settle
	echo "mem fib $b $n $k without $(mem_min)" >>"$rep"
	add_routes || return 1
	settle
	echo "mem fib $b $n $k with $(mem_min)" >>"$rep"
	del_routes
}
mk_ns() {
	local i
	for i in $(seq 1 "$k"); do
		ip netns add "m$i" && ip -n "m$i" link add d0 type dummy &&
			ip -n "m$i" link set d0 up && ip -n "m$i" addr add 198.18.0.1/16 dev d0 &&
			ip -n "m$i" route add default via 198.18.0.2 dev d0 || return 1
	done
}
add_routes() {
	local i j
	for j in $(seq 0 $((n - 1))); do
		echo "route add 10.$((j / 256)).$((j % 256)).0/24 via 198.18.0.2 dev d0"
	done >/tmp/routes.batch
	for i in $(seq 1 "$k"); do
		ip -n "m$i" -batch /tmp/routes.batch || return 1
	done
}
del_routes() {
	local i
	for i in $(seq 1 "$k"); do
		ip -n "m$i" route flush root 10.0.0.0/8 || return 1
	done
}
del_ns() {
	local i
	for i in $(seq 1 "$k"); do
		ip netns del "m$i" || return 1
	done
}
for n in $ROUTES; do
	k=$((1024 / n))
	[ "$k" -gt 64 ] && k=64
	[ "$k" -lt 1 ] && k=1
	ok "$k namespaces, each with a dummy device and a default route" mk_ns
	for b in trie simple simple trie; do
		ok "memory without and with $n routes in each of $k namespaces, on $b" mem_round $b
	done
	ok "the $k namespaces removed" del_ns
done
ok "back on the trie after the memory readings" fib_to trie

# --- FIB: lookups as init_net's main table grows ---
ok "dummy0 up with 198.18.0.1/16, default via 198.18.0.254" sh -c \
	'ip link set dummy0 up && ip addr add 198.18.0.1/16 dev dummy0 &&
	 ip route add default via 198.18.0.254 dev dummy0'
# triestat N: the trie's own account of init_net's tables, holding N
# routes besides the default (/proc/net/fib_triestat, kB)
triestat() {
	fib_to trie && awk -v n="$1" '/^Total size:/ { t = $3 } END { print "triestat", n, t * 1024 }' \
		/proc/net/fib_triestat >>"$rep"
}
triestat 0 # the baseline report.py subtracts
have=0
for n in $ROUTES; do
	ok "routes $have..$((n - 1)): 10.I/256.I%256.0/24 via 198.18.0.2" sh -c "
		i=$have
		while [ \$i -lt $n ]; do
			echo \"route add 10.\$((i / 256)).\$((i % 256)).0/24 via 198.18.0.2 dev dummy0\"
			i=\$((i + 1))
		done >/tmp/routes.batch
		ip -batch /tmp/routes.batch"
	have=$n
	triestat "$n"
	ok "fib lookups timed with $n routes ($REPS repeats per backend, the module's oracle satisfied)" \
		timed fib "$n" "random worst lookups tsc_khz" routes="$n"
	# The hook's dispatch against a direct call of the trie, at 16 routes
	# (fib_bench, as selftests/cost.sh runs it).
	if [ "$n" = 16 ]; then
		ok "fib_bench.ko: hook dispatch vs direct trie lookup, 16 routes" sh -c "
			echo trie >$fibctl &&
			insmod '$bench/fib_bench.ko' lookups=$LOOKUPS repeats=$((REPS * 3)) seed=$FSX_SEED &&
			rmmod fib_bench"
		dmesg | grep -o 'fib_bench: repeat .*' | sed 's/^fib_bench: repeat/dispatch/' >>"$rep"
		dmesg -C
	fi
done
ok "back on the trie" fib_to trie

# --- ARP: lookups with 4 and 16 entries, hash table and neigh_small ---
ok "d0 (dummy) up with 10.0.0.1/16" sh -c \
	'ip link add d0 type dummy && ip link set d0 up && ip addr add 10.0.0.1/16 dev d0'
have=0
for e in 4 16; do
	ok "permanent ARP entries $have..$((e - 1)) on d0 from 10.0.1.1" sh -c "
		i=$have
		while [ \$i -lt $e ]; do
			printf 'neigh add 10.0.1.%d lladdr 02:00:00:00:01:%02x dev d0 nud permanent\n' \$((i + 1)) \$i
			i=\$((i + 1))
		done >/tmp/neigh.batch
		ip -batch /tmp/neigh.batch"
	have=$e
	ok "ARP lookups timed with $e entries ($REPS repeats per backend, the module's oracle satisfied)" \
		timed neigh "$e" "cycles lookups tsc_khz" dev=d0 first=10.0.1.1 neighs="$e"
done
ok "ARP back on the hash table" neigh_to hash
ok "d0 removed" ip link del d0

# --- ARP flood: 10,000 senders, hash table then neigh_small ---
slots=$(cat /sys/module/neigh_small/parameters/slots)
ok "veth r0 (10.78.0.1/16) to namespace flood (10.78.0.2/16)" sh -c '
	ip netns add flood && ip link add r0 type veth peer name f0 netns flood &&
	ip addr add 10.78.0.1/16 dev r0 && ip link set r0 up &&
	ip -n flood addr add 10.78.0.2/16 dev f0 && ip -n flood link set f0 up &&
	ip -n flood link set lo up'
flood() {
	local b=$1 before after entries objects hex rest
	neigh_to "$b" || return 1
	ip neigh flush dev r0 2>/dev/null
	settle
	before=$(mem_min)
	"$PY" "$FSX_REPO/selftests/guest/arpflood.py" flood f0 10.78.0.1 10.78.10.10 10000 8 ||
		return 1
	entries=$(ip -4 neigh show dev r0 nud all | wc -l)
	read -r hex rest < <(sed -n 2p /proc/net/stat/arp_cache)
	objects=$((16#$hex))
	# entries evicted or forced out during the flood are freed after a
	# grace period: what the table holds is what stays
	settle
	after=$(mem_min)
	echo "flood $b $entries $objects $before $after $slots" >>"$rep"
	echo "# flood on $b: $entries entries, $objects objects, memory $before -> $after bytes"
}
ok "flood with ARP on the hash table" flood hash
ok "flood with ARP on neigh_small ($slots slots)" flood small
ok "ARP back on the hash table after the floods" neigh_to hash
ok "neigh_small never held more than its slots" \
	awk -v s="$slots" '$1 == "flood" && $2 == "small" { seen = 1; good = $3 <= s }
		END { exit !(seen && good) }' "$rep"
ok "the hash table grew past 1000 entries (else the flood is void)" \
	awk '$1 == "flood" && $2 == "hash" { seen = 1; good = $3 > 1000 }
		END { exit !(seen && good) }' "$rep"
sed 's/^/# /' "$rep"
done_testing
