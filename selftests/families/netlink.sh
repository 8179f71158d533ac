#!/bin/bash
# netlink: the rtnetlink side of the IPv4 FIB through iproute2: add /
# append / prepend / replace / change / del / flush on one prefix and on
# one prefix with several keys (metric, tos, type, table), each with the
# exit status and error text it must give; `ip monitor route` during a
# block of changes; a ~300-route table dumped (iproute2 and a Python dump
# read 4 KiB at a time, so it spans several skbs) and compared with the
# list this script generated, in key order; `ip route get` checked against
# a longest-prefix match computed here; `ip route flush ... proto static`.
# Semantics expected (fib_trie.c fib_table_insert/fib_table_delete, 6.12):
# aliases of one prefix are ordered by table (higher first), tos (higher
# first), metric (lower first); add = CREATE|EXCL, prepend = CREATE
# (in front of its key group), append = CREATE|APPEND (behind), replace =
# CREATE|REPLACE (replaces the first of the key group; an exact match that
# is not the first is EEXIST), change = REPLACE (ENOENT when the key group
# is empty); delete takes the first alias that matches what was given.
. "$FSX_REPO/selftests/guest/lib.sh"
N=nl P=nlp
NLDUMP=$FSX_REPO/selftests/guest/nldump.py
W=/tmp/netlink
mkdir -p $W

ok "DUT with two veth links" dut_two_links $N $P veth-n 0a

# --- helpers
LOG=/dev/null
# block NAME: start a block; its commands and answers go to obs/NAME.log
block() {
	echo "# block $1 at ${SECONDS}s"
	BLOCK=$1
	LOG=$W/$1.log
	: >"$LOG"
}
# end_block: observe the block's log and every IPv4 table.
end_block() {
	observe "$BLOCK.log" cat "$LOG"
	observe "$BLOCK.routes" ip -n $N -4 -d route show table all
}
# try EXPECT ARGS...: `ip -n $N ARGS...` succeeds silently (EXPECT "ok")
# or fails with EXPECT in its message.
_try() {
	local exp=$1 out rc
	shift
	out=$(ip -n $N "$@" 2>&1) && rc=0 || rc=$?
	printf 'ip %s => rc=%s %s\n' "$*" "$rc" "$out" >>"$LOG"
	echo "rc=$rc $out"
	if [ "$exp" = ok ]; then
		[ "$rc" = 0 ] && [ -z "$out" ]
	else
		[ "$rc" != 0 ] && [[ $out == *"$exp"* ]]
	fi
}
try() {
	local exp=$1
	shift
	ok "ip $*: $exp" _try "$exp" "$@"
}
# shows EXPECTED ARGS...: `ip -n $N -4 route show ARGS...` (trailing
# blanks dropped) is exactly EXPECTED.
_shows() {
	local exp=$1 got
	shift
	got=$(ip -n $N -4 route show "$@" 2>&1 | sed 's/ *$//')
	[ "$got" = "$exp" ] && return 0
	printf 'expected:\n%s\ngot:\n%s\n' "$exp" "$got"
	return 1
}
shows() {
	local exp=$1
	shift
	local what=empty
	[ -z "$exp" ] || what="$(echo "$exp" | wc -l) routes"
	ok "route show $*: $what" _shows "$exp" "$@"
}
# gets EXPECTED ARGS...: the first line of `ip -n $N route get ARGS...`
# (trailing blanks dropped) is EXPECTED; a failing get gives its message.
_gets() {
	local exp=$1 got
	shift
	got=$(ip -n $N -4 route get "$@" 2>&1 | head -n 1 | sed 's/ *$//')
	echo "$*: $got" >>"$LOG"
	[ "$got" = "$exp" ] && return 0
	printf 'expected: %s\ngot:      %s\n' "$exp" "$got"
	return 1
}
gets() {
	local exp=$1
	shift
	ok "route get $*: $exp" _gets "$exp" "$@"
}

X=198.18.0.0/24
GW1="via 10.0.1.2 dev veth-n0"
GW2="via 10.0.2.2 dev veth-n1"

# ---------------------------------------------------------------- A
block A-one-prefix
try ok route add $X $GW1
try "File exists" route add $X $GW1
try "File exists" route add $X $GW2
try ok route append $X $GW2
try "File exists" route append $X $GW2
try ok route prepend $X dev veth-n1
try "File exists" route prepend $X $GW1
shows "$X dev veth-n1 scope link
$X $GW1
$X $GW2" $X
gets "198.18.0.9 dev veth-n1 src 10.0.2.1 uid 0" 198.18.0.9
# replace: the first of the key group, unless an exact match is elsewhere
try "File exists" route replace $X $GW1
try ok route replace $X dev veth-n1
try ok route replace $X dev veth-n0
shows "$X dev veth-n0 scope link
$X $GW1
$X $GW2" $X
try "File exists" route change $X $GW2
try ok route change $X dev veth-n1
try "No such file or directory" route change 198.18.1.0/24 $GW1
try "No such file or directory" route change $X $GW1 metric 9
shows "$X dev veth-n1 scope link
$X $GW1
$X $GW2" $X
try "Invalid prefix for given prefix length" route add 198.18.0.1/24 $GW1
try "Nexthop has invalid gateway" route add 198.18.1.0/24 via 10.9.9.9
try ok route del $X $GW2
try "No such process" route del $X $GW2
try "No such process" route del $X proto static
try "No such process" route del $X metric 5
try ok route del $X
shows "$X $GW1" $X
try ok route del $X
try "No such process" route del $X
shows "" $X
try ok route replace $X $GW1
try ok route change $X $GW2
shows "$X $GW2" $X
try ok route del $X
gets "RTNETLINK answers: Network is unreachable" 198.18.0.9
end_block

# ---------------------------------------------------------------- B
block B-keys
try ok route add $X $GW1 metric 100
try ok route add $X $GW1 metric 50
try "File exists" route add $X $GW2 metric 100
try ok route add $X tos 0x10 $GW2
try "File exists" route add $X tos 0x10 $GW2
try "Invalid dsfield (tos): ECN bits must be 0" route add $X tos 0x11 $GW2
try ok route add blackhole $X metric 200
try ok route add unreachable $X metric 300
try ok route add prohibit $X metric 400
try ok route prepend unreachable $X metric 200
try "File exists" route add blackhole $X metric 200
try ok route add throw $X metric 500
shows "$X tos 0x10 $GW2
$X $GW1 metric 50
$X $GW1 metric 100
unreachable $X metric 200
blackhole $X metric 200
unreachable $X metric 300
prohibit $X metric 400
throw $X metric 500" $X
gets "198.18.0.1 $GW1 src 10.0.1.1 uid 0" 198.18.0.1
gets "198.18.0.1 tos 0x10 $GW2 src 10.0.2.1 uid 0" 198.18.0.1 tos 0x10
gets "198.18.0.1 $GW1 src 10.0.1.1 uid 0" 198.18.0.1 tos 0x08
gets "$X $GW1 metric 50" fibmatch 198.18.0.1
try ok route del $X metric 50
gets "$X $GW1 metric 100" fibmatch 198.18.0.1
try ok route del $X tos 0x10
try "No such process" route del $X tos 0x10
gets "198.18.0.1 $GW1 src 10.0.1.1 uid 0" 198.18.0.1 tos 0x10
try ok route del blackhole $X
try "No such process" route del blackhole $X
try ok route del $X metric 200
try "No such process" route del $X metric 200
try ok route del $X metric 100
gets "RTNETLINK answers: No route to host" fibmatch 198.18.0.1
gets "RTNETLINK answers: No route to host" 198.18.0.1
shows "unreachable $X metric 300
prohibit $X metric 400
throw $X metric 500" $X
# A local route goes to table local (ip(8) puts it there), which comes
# first in the shared leaf: it shadows main's routes for the prefix.
try ok route add local $X dev lo metric 600
shows "local $X dev lo scope host metric 600" table local $X
gets "local 198.18.0.1 dev lo src 198.18.0.1 uid 0" 198.18.0.1
gets "local $X dev lo scope host metric 600" fibmatch 198.18.0.1
try ok route del local $X dev lo table local
try "No such process" route del local $X dev lo table local
gets "RTNETLINK answers: No route to host" fibmatch 198.18.0.1
try ok route flush $X
shows "" $X
shows "" table all $X
end_block

# ---------------------------------------------------------------- C
# Tables 100 and 200. Without IP_MULTIPLE_TABLES every table id but local
# is main (fib_new_table), so "table 100" routes land in main and show
# nowhere: those kernels skip this block's cases (same names).
MT=0
if ip -n $N route add 198.19.255.0/24 dev veth-n0 table 100 2>/dev/null; then
	ip -n $N -4 route show table 100 | grep -q '^198\.19\.255\.0/24 ' && MT=1
	ip -n $N route del 198.19.255.0/24 dev veth-n0 table 100
fi
echo "# multiple tables: $MT"
ctry() {
	if [ $MT = 1 ]; then try "$@"; else skip "ip ${*:2}: $1" "no IP_MULTIPLE_TABLES"; fi
}
cok() {
	if [ $MT = 1 ]; then ok "$@"; else skip "$1" "no IP_MULTIPLE_TABLES"; fi
}
block C-tables
ctry ok route add $X $GW1 table 100
ctry ok route add $X $GW2 table 200
ctry ok route add $X dev veth-n1
ctry "File exists" route add $X $GW1 table 100
ctry "File exists" route add $X $GW2 table 100
ctry ok route append $X $GW2 table 100
cok "route show table all $X: one route per table, tables in id order" _shows "$X $GW1 table 100
$X $GW2 table 100
$X $GW2 table 200
$X dev veth-n1 scope link" table all $X
cok "route get 198.18.0.1 uses main" _gets "198.18.0.1 dev veth-n1 src 10.0.2.1 uid 0" 198.18.0.1
ctry ok route del $X table 200
ctry "No such process" route del $X table 200
ctry "FIB table does not exist" route del $X table 300
ctry ok route del $X $GW2 table 100
cok "route show table 100 $X: the first one left" _shows "$X $GW1" table 100 $X
for i in $(seq 1 20); do echo "route add 198.18.$i.0/24 $GW1 table 100"; done >$W/t100.batch
ctry ok -batch $W/t100.batch
cok "table 100 holds 21 routes" sh -c "[ \$(ip -n $N -4 route show table 100 | wc -l) = 21 ]"
ctry ok route flush table 100
cok "table 100 is empty after the flush" _shows "" table 100
cok "table 200 is empty" _shows "" table 200
cok "main still holds $X" _shows "$X dev veth-n1 scope link" table main $X
ctry ok route del $X
if [ $MT = 1 ]; then
	end_block
else
	observe_skip C-tables.log "no IP_MULTIPLE_TABLES"
	observe_skip C-tables.routes "no IP_MULTIPLE_TABLES"
fi

# ---------------------------------------------------------------- D
# ip monitor route during a block of changes. The monitor flushes each
# message; it is started, then a start marker route is added (again, with
# a new marker, until the monitor shows one), and after the block an end
# marker; the observation starts at the last start marker.
block D-monitor
MON=$W/monitor.out
ip -n $N -4 monitor route >$MON 2>&1 &
monpid=$!
started=
for m in 1 2 3 4 5; do
	sleep 0.5
	ip -n $N route add 192.0.2.$m/32 dev veth-n0
	for _ in $(seq 1 20); do
		grep -q "^192\.0\.2\.$m dev veth-n0 scope link" $MON && { started=$m; break; }
		sleep 0.2
	done
	[ -n "$started" ] && break
	ip -n $N route del 192.0.2.$m/32 dev veth-n0
done
ok "ip monitor shows the start marker" test -n "$started"
Y=198.18.5.0/24
try ok route add $Y $GW1
try ok route append $Y $GW2
try ok route prepend $Y dev veth-n1
try ok route replace $Y dev veth-n1
try ok route replace $Y dev veth-n0
try "File exists" route add $Y $GW1
try "No such file or directory" route change $Y $GW1 metric 7
try ok route add $Y $GW1 metric 7
try ok route del $Y $GW2
try ok route flush $Y
try ok route add 192.0.2.99/32 dev veth-n0
ended=
for _ in $(seq 1 50); do
	grep -q '^192\.0\.2\.99 dev veth-n0 scope link' $MON && { ended=1; break; }
	sleep 0.2
done
ok "ip monitor shows the end marker" test -n "$ended"
# (SIGTERM: a non-interactive shell's background jobs ignore SIGINT.)
kill -TERM $monpid
wait $monpid
awk -v m="192.0.2.$started dev veth-n0 scope link" 'index($0, m) == 1 { n = NR }
	{ line[NR] = $0 } END { for (i = n; i <= NR; i++) print line[i] }' $MON |
	sed 's/ *$//' >$W/monitor.trimmed
observe D-monitor.events cat $W/monitor.trimmed
ok "ip monitor saw exactly the changes, in order" sh -c "diff -u - $W/monitor.trimmed <<EOF
192.0.2.$started dev veth-n0 scope link
$Y $GW1
$Y $GW2
$Y dev veth-n1 scope link
$Y dev veth-n0 scope link
$Y $GW1 metric 7
Deleted $Y $GW2
Deleted $Y dev veth-n0 scope link
Deleted $Y $GW1
Deleted $Y $GW1 metric 7
192.0.2.99 dev veth-n0 scope link
EOF"
ip -n $N route del 192.0.2.$started/32 dev veth-n0
ip -n $N route del 192.0.2.99/32 dev veth-n0
end_block

# ---------------------------------------------------------------- E
# ~300 routes in 100.64.0.0/10 (from FSX_SEED), proto static: even ones
# via 10.0.1.2, odd ones on veth-n1; a few share a key with another length.
block E-many
RANDOM=$FSX_SEED
declare -A seen
nets=() plens=() pfxs=()
# (no command substitutions here: a fork costs a lot under TCG)
n2ip() { # N VAR: VAR = N as a dotted quad
	printf -v "$2" '%d.%d.%d.%d' $(($1 >> 24 & 255)) $(($1 >> 16 & 255)) $(($1 >> 8 & 255)) $(($1 & 255))
}
base=$(((100 << 24) | (64 << 16)))
add_route() { # NET PLEN
	local q
	[ -z "${seen[$1/$2]}" ] || return 0
	seen[$1/$2]=1
	n2ip $1 q
	[ $2 = 32 ] || q=$q/$2
	nets+=("$1") plens+=("$2") pfxs+=("$q")
}
# nested prefixes with the same key, then random ones
for plen in 10 16 20 24 28 32; do add_route $base $plen; done
while [ ${#nets[@]} -lt 300 ]; do
	plen=$((10 + RANDOM % 23))
	a=$((base | ((RANDOM << 15 | RANDOM) & 0x3fffff)))
	add_route $((a & (0xffffffff << (32 - plen)) & 0xffffffff)) $plen
done
NR_ROUTES=${#nets[@]}
for ((i = 0; i < NR_ROUTES; i++)); do
	if [ $((i % 2)) = 0 ]; then v=$GW1; else v="dev veth-n1"; fi
	echo "route add ${pfxs[i]} $v proto static"
done >$W/many.batch
# key order: address, then longer prefix first
for ((i = 0; i < NR_ROUTES; i++)); do
	echo "${nets[i]} ${plens[i]} ${pfxs[i]}"
done | sort -k1,1n -k2,2nr | awk '{ print $3 }' >$W/many.expected
ok "generated $NR_ROUTES distinct prefixes" test $NR_ROUTES = 300
try ok -batch $W/many.batch
observe E-many.main ip -n $N -4 route show table main
ok "route show table main proto static: the $NR_ROUTES routes in key order" sh -c \
	"ip -n $N -4 route show table main proto static | awk '{ print \$1 }' | diff -u $W/many.expected -"
{ echo 10.0.1.0/24; echo 10.0.2.0/24; cat $W/many.expected; } >$W/main.expected
ip netns exec $N $PY "$NLDUMP" 254 4096 >$W/nldump.out 2>&1
echo "# nldump: $(tail -n 1 $W/nldump.out)"
ok "4 KiB netlink dump of main: every route once, in key order" sh -c \
	"grep -v '^recvs' $W/nldump.out | awk '{ sub(\"/32\$\", \"\", \$3); print \$3 }' | diff -u $W/main.expected -"
ok "4 KiB netlink dump took several reads (skbs)" sh -c \
	"tail -n 1 $W/nldump.out | awk '\$1 == \"recvs\" && \$2 >= 4 { ok = 1 } END { exit !ok }'"
ok "4 KiB netlink dump: all unicast, no tos, no metric" sh -c \
	"! grep -v '^recvs' $W/nldump.out | grep -v '^254 unicast [0-9./]*\$'"

# ip route get against a longest-prefix match computed here
for _ in 1 2 3 4 5 6 7 8; do
	i=$((RANDOM % NR_ROUTES))
	a=$((nets[i] | ((RANDOM << 15 | RANDOM) & ~(0xffffffff << (32 - plens[i])) & 0xffffffff)))
	j=-1 bl=-1
	for ((r = 0; r < NR_ROUTES; r++)); do
		if (((a & (0xffffffff << (32 - plens[r])) & 0xffffffff) == nets[r] && plens[r] > bl)); then
			j=$r bl=${plens[r]}
		fi
	done
	n2ip $a q
	if [ $((j % 2)) = 0 ]; then
		want="$q $GW1 src 10.0.1.1 uid 0"
		fib="${pfxs[j]} $GW1 proto static"
	else
		want="$q dev veth-n1 src 10.0.2.1 uid 0"
		fib="${pfxs[j]} dev veth-n1 proto static scope link"
	fi
	gets "$want" $q
	gets "$fib" fibmatch $q
done
gets "RTNETLINK answers: Network is unreachable" 100.128.0.1
gets "RTNETLINK answers: Network is unreachable" 100.63.255.255

# flush only proto static
try ok route add 198.18.7.0/24 $GW1
try ok route add 198.18.8.0/24 dev veth-n1 proto boot metric 3
try ok route add 100.64.0.0/10 $GW2 proto kernel metric 5
try ok route flush table main proto static
shows "10.0.1.0/24 dev veth-n0 proto kernel scope link src 10.0.1.1
10.0.2.0/24 dev veth-n1 proto kernel scope link src 10.0.2.1
100.64.0.0/10 $GW2 proto kernel metric 5
198.18.7.0/24 $GW1
198.18.8.0/24 dev veth-n1 scope link metric 3" table main
gets "100.64.0.1 $GW2 src 10.0.2.1 uid 0" 100.64.0.1
try ok route del 198.18.7.0/24
try ok route del 198.18.8.0/24
try ok route del 100.64.0.0/10
end_block
ok "main holds only the connected routes at the end" _shows "10.0.1.0/24 dev veth-n0 proto kernel scope link src 10.0.1.1
10.0.2.0/24 dev veth-n1 proto kernel scope link src 10.0.2.1" table main

ip netns del $N
ip netns del $P
done_testing
