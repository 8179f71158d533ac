#!/bin/bash
# route8: the ioctl side of the FIB (SIOCADDRT / SIOCDELRT, what route(8)
# uses) through net-tools route, busybox route and raw rtentry structs
# from Python (selftests/guest/rtioctl.py), on a DUT namespace with two
# veth links. After every step the DUT's table is observed three ways
# (route -n, busybox route -n, /proc/net/route) for the byte-for-byte
# comparison with stock, and checked against the table this script
# expects (its oracle), in /proc/net/route's order (key order, longer
# prefix first within a key, then metric, then insertion rules).
# Expected errnos come from net/ipv4/fib_frontend.c rtentry_to_fib_config()
# and ip_rt_ioctl(), fib_semantics.c fib_check_nh_v4_gw() and fib_trie.c
# fib_table_insert()/fib_table_delete() (6.12).
. "$FSX_REPO/selftests/guest/lib.sh"
D=r8 P=r8p
RTIOCTL=$FSX_REPO/selftests/guest/rtioctl.py

dut() { ip netns exec $D "$@"; }

# --- topology: DUT veth-r0 10.0.1.1/24 <-> peer 10.0.1.2,
#                DUT veth-r1 10.0.2.1/24 <-> peer 10.0.2.2
ok "DUT with two veth links" dut_two_links $D $P veth-r 08

# /proc/net/route in the DUT as "IFACE DST/PLEN GW FLAGS METRIC", in the
# kernel's order (addresses there are the __be32 printed as a host u32).
proute() {
	dut cat /proc/net/route | awk 'NR > 1 {
		printf "%s %s/%d %s %s %s\n", $1, ip($2), plen($8), ip($3), $4, $7 }
	function ip(h,   s, i) {
		s = ""
		for (i = 7; i >= 1; i -= 2)
			s = s (s == "" ? "" : ".") hex(substr(h, i, 2))
		return s }
	function hex(h,   v, i) {
		v = 0
		for (i = 1; i <= length(h); i++)
			v = v * 16 + index("0123456789ABCDEF", substr(h, i, 1)) - 1
		return v }
	function plen(h,   n, i, b) {
		n = 0
		for (i = 1; i <= 8; i++) {
			b = index("0123456789ABCDEF", substr(h, i, 1)) - 1
			n += (b >= 8) + (b % 8 >= 4) + (b % 4 >= 2) + (b % 2)
		}
		return n }'
}
# table_is EXPECTED: the DUT's /proc/net/route (as proute prints it) is
# exactly EXPECTED.
table_is() {
	local got
	got=$(proute)
	[ "$got" = "$1" ] && return 0
	echo "expected:"; echo "$1"; echo "got:"; echo "$got"
	return 1
}
# fails_with TEXT CMD...: CMD exits non-zero and says TEXT.
fails_with() {
	local text=$1 out rc
	shift
	out=$("$@" 2>&1) && rc=0 || rc=$?
	echo "rc=$rc: $out"
	[ "$rc" != 0 ] && [[ $out == *"$text"* ]]
}
# route_get DST WORDS: `ip route get DST` in the DUT starts with WORDS.
route_get() {
	local out
	out=$(ip -n $D route get "$1" 2>&1)
	echo "$out"
	[[ $out == "$2"* ]]
}
nstep=0
# snap NAME: observe the DUT's table three ways.
snap() {
	local p
	nstep=$((nstep + 1))
	p=$(printf '%02d-%s' $nstep "$1")
	observe "$p.route-n" dut route -n
	observe "$p.busybox-route-n" dut busybox route -n
	observe "$p.proc-net-route" dut cat /proc/net/route
}

T0="veth-r0 10.0.1.0/24 0.0.0.0 0001 0
veth-r1 10.0.2.0/24 0.0.0.0 0001 0"
snap initial
ok "initial table: the two connected routes" table_is "$T0"

# ---------------------------------------------------------------- net-tools
ok "route add -net 192.0.2.0 netmask 255.255.255.0 gw 10.0.1.2" \
	dut route add -net 192.0.2.0 netmask 255.255.255.0 gw 10.0.1.2
snap nt-net-gw1
ok "route add -net 192.0.2.0/24 gw 10.0.2.2 (same prefix, other gateway)" \
	dut route add -net 192.0.2.0/24 gw 10.0.2.2
snap nt-net-gw2
ok "the second gateway went in front" table_is "veth-r0 10.0.1.0/24 0.0.0.0 0001 0
veth-r1 10.0.2.0/24 0.0.0.0 0001 0
veth-r1 192.0.2.0/24 10.0.2.2 0003 0
veth-r0 192.0.2.0/24 10.0.1.2 0003 0"
ok "route -n lists 10.0.2.2 first for 192.0.2.0" sh -c \
	"ip netns exec $D route -n | grep '^192\.0\.2\.0 ' | head -n 1 | grep -Eq '^192\.0\.2\.0 +10\.0\.2\.2 +255\.255\.255\.0 +UG +0 '"
ok "route get 192.0.2.9 uses the front route (via 10.0.2.2)" \
	route_get 192.0.2.9 "192.0.2.9 via 10.0.2.2 dev veth-r1 src 10.0.2.1"
ok "route add of an existing prefix+gateway fails: File exists" \
	fails_with "SIOCADDRT: File exists" dut route add -net 192.0.2.0/24 gw 10.0.1.2
ok "route add gw unreachable fails: Network is unreachable" \
	fails_with "Network is unreachable" dut route add -net 198.18.0.0/16 gw 10.9.9.9
ok "route add dev nosuch0 fails: No such device" \
	fails_with "No such device" dut route add -net 198.18.0.0/16 dev nosuch0
snap nt-failed-adds
ok "route add -host 198.51.100.7 gw 10.0.1.2" dut route add -host 198.51.100.7 gw 10.0.1.2
ok "route -n shows the host route with flags UGH" sh -c \
	"ip netns exec $D route -n | grep -Eq '^198\.51\.100\.7 +10\.0\.1\.2 +255\.255\.255\.255 +UGH +0 '"
snap nt-host
ok "route add -net 198.51.100.0/24 dev veth-r1 metric 5" \
	dut route add -net 198.51.100.0/24 dev veth-r1 metric 5
ok "route add -net 198.51.100.0/24 dev veth-r0 metric 3" \
	dut route add -net 198.51.100.0/24 dev veth-r0 metric 3
snap nt-metric
ok "route get 198.51.100.9 uses metric 3 (veth-r0)" \
	route_get 198.51.100.9 "198.51.100.9 dev veth-r0 src 10.0.1.1"
ok "route get 198.51.100.7 uses the host route" \
	route_get 198.51.100.7 "198.51.100.7 via 10.0.1.2 dev veth-r0 src 10.0.1.1"
ok "route add -net 203.0.113.0/24 reject" dut route add -net 203.0.113.0/24 reject
ok "route -n shows the reject route with flag !" sh -c \
	"ip netns exec $D route -n | grep -Eq '^203\.0\.113\.0 +- +255\.255\.255\.0 +! +0 +- +0 -\$'"
ok "route get into the reject route: No route to host" \
	fails_with "No route to host" ip -n $D route get 203.0.113.5
snap nt-reject
ok "route add default gw 10.0.1.2" dut route add default gw 10.0.1.2
ok "route add default gw 10.0.2.2 metric 10" dut route add default gw 10.0.2.2 metric 10
ok "route add -net 10.0.0.0 netmask 255.0.0.0 dev veth-r0" \
	dut route add -net 10.0.0.0 netmask 255.0.0.0 dev veth-r0
snap nt-default
T_NT="veth-r0 0.0.0.0/0 10.0.1.2 0003 0
veth-r1 0.0.0.0/0 10.0.2.2 0003 10
veth-r0 10.0.0.0/8 0.0.0.0 0001 0
veth-r0 10.0.1.0/24 0.0.0.0 0001 0
veth-r1 10.0.2.0/24 0.0.0.0 0001 0
veth-r1 192.0.2.0/24 10.0.2.2 0003 0
veth-r0 192.0.2.0/24 10.0.1.2 0003 0
veth-r0 198.51.100.0/24 0.0.0.0 0001 3
veth-r1 198.51.100.0/24 0.0.0.0 0001 5
veth-r0 198.51.100.7/32 10.0.1.2 0007 0
* 203.0.113.0/24 0.0.0.0 0201 0"
ok "table holds every net-tools route in key order" table_is "$T_NT"
ok "route get 8.8.8.8 uses the metric 0 default" \
	route_get 8.8.8.8 "8.8.8.8 via 10.0.1.2 dev veth-r0 src 10.0.1.1"
ok "route get 10.200.0.1 uses 10.0.0.0/8" \
	route_get 10.200.0.1 "10.200.0.1 dev veth-r0 src 10.0.1.1"
ok "route get 10.0.2.77 uses the /24, not the /8" \
	route_get 10.0.2.77 "10.0.2.77 dev veth-r1 src 10.0.2.1"
observe 11-nt-full.ip-route ip -4 -n $D route show table main

ok "route del -net 192.0.2.0/24 gw 10.0.2.2 (the front one)" \
	dut route del -net 192.0.2.0/24 gw 10.0.2.2
ok "route get 192.0.2.9 now via 10.0.1.2" \
	route_get 192.0.2.9 "192.0.2.9 via 10.0.1.2 dev veth-r0 src 10.0.1.1"
ok "route del -net 192.0.2.0 netmask 255.255.255.0 (no gateway: the remaining one)" \
	dut route del -net 192.0.2.0 netmask 255.255.255.0
ok "route del of the deleted prefix fails: No such process" \
	fails_with "SIOCDELRT: No such process" dut route del -net 192.0.2.0 netmask 255.255.255.0
snap nt-del-192
ok "route del -host 198.51.100.7" dut route del -host 198.51.100.7
ok "route del -net 198.51.100.0/24 metric 5 (the veth-r1 one)" \
	dut route del -net 198.51.100.0/24 metric 5
ok "route get 198.51.100.9 still via veth-r0" \
	route_get 198.51.100.9 "198.51.100.9 dev veth-r0 src 10.0.1.1"
ok "route del -net 198.51.100.0/24 metric 5 again fails: No such process" \
	fails_with "No such process" dut route del -net 198.51.100.0/24 metric 5
ok "route del -net 198.51.100.0/24 dev veth-r0" dut route del -net 198.51.100.0/24 dev veth-r0
snap nt-del-198
ok "route del -net 203.0.113.0/24 reject" dut route del -net 203.0.113.0/24 reject
ok "route del default (the first: metric 0)" dut route del default
ok "route get 8.8.8.8 now uses the metric 10 default" \
	route_get 8.8.8.8 "8.8.8.8 via 10.0.2.2 dev veth-r1 src 10.0.2.1"
ok "route del default (the second)" dut route del default
ok "route del default a third time fails: No such process" \
	fails_with "No such process" dut route del default
ok "route del -net 10.0.0.0 netmask 255.0.0.0" dut route del -net 10.0.0.0 netmask 255.0.0.0
snap nt-empty
ok "after the net-tools deletes the table is the initial one" table_is "$T0"

# ---------------------------------------------------------------- busybox
ok "busybox route add -net 172.16.0.0 netmask 255.240.0.0 gw 10.0.2.2 metric 2" \
	dut busybox route add -net 172.16.0.0 netmask 255.240.0.0 gw 10.0.2.2 metric 2
ok "busybox route add -net 172.16.0.0 netmask 255.240.0.0 gw 10.0.1.2 metric 2" \
	dut busybox route add -net 172.16.0.0 netmask 255.240.0.0 gw 10.0.1.2 metric 2
ok "busybox route add -host 172.16.5.5 dev veth-r0" \
	dut busybox route add -host 172.16.5.5 dev veth-r0
ok "busybox route add default gw 10.0.1.2" dut busybox route add default gw 10.0.1.2
ok "busybox route add -net 192.0.2.0 netmask 255.255.255.0 reject" \
	dut busybox route add -net 192.0.2.0 netmask 255.255.255.0 reject
ok "busybox route add of an existing route fails: File exists" \
	fails_with "File exists" dut busybox route add -net 172.16.0.0 netmask 255.240.0.0 gw 10.0.2.2 metric 2
snap bb-added
ok "busybox routes in key order, second gateway in front" table_is "veth-r0 0.0.0.0/0 10.0.1.2 0003 0
veth-r0 10.0.1.0/24 0.0.0.0 0001 0
veth-r1 10.0.2.0/24 0.0.0.0 0001 0
veth-r0 172.16.0.0/12 10.0.1.2 0003 2
veth-r1 172.16.0.0/12 10.0.2.2 0003 2
veth-r0 172.16.5.5/32 0.0.0.0 0005 0
* 192.0.2.0/24 0.0.0.0 0201 0"
ok "busybox route -n shows 172.16.0.0 via 10.0.1.2 first" sh -c \
	"ip netns exec $D busybox route -n | grep '^172\.16\.0\.0 ' | head -n 1 | grep -Eq '^172\.16\.0\.0 +10\.0\.1\.2 +255\.240\.0\.0 +UG +2 '"
ok "route get 172.16.9.9 via 10.0.1.2" route_get 172.16.9.9 "172.16.9.9 via 10.0.1.2 dev veth-r0 src 10.0.1.1"
ok "route get 172.16.5.5 via the host route" route_get 172.16.5.5 "172.16.5.5 dev veth-r0 src 10.0.1.1"
ok "busybox route del -net 172.16.0.0 netmask 255.240.0.0 gw 10.0.1.2 metric 2" \
	dut busybox route del -net 172.16.0.0 netmask 255.240.0.0 gw 10.0.1.2 metric 2
ok "route get 172.16.9.9 now via 10.0.2.2" route_get 172.16.9.9 "172.16.9.9 via 10.0.2.2 dev veth-r1 src 10.0.2.1"
ok "busybox route del -net 172.16.0.0 netmask 255.240.0.0" \
	dut busybox route del -net 172.16.0.0 netmask 255.240.0.0
ok "busybox route del -host 172.16.5.5" dut busybox route del -host 172.16.5.5
ok "busybox route del default" dut busybox route del default
ok "busybox route del -net 192.0.2.0 netmask 255.255.255.0 reject" \
	dut busybox route del -net 192.0.2.0 netmask 255.255.255.0 reject
ok "busybox route del of a missing route fails: No such process" \
	fails_with "No such process" dut busybox route del -net 172.16.0.0 netmask 255.240.0.0
snap bb-empty
ok "after the busybox deletes the table is the initial one" table_is "$T0"

# ---------------------------------------------------------------- raw ioctl
# ioctl_cases NAME: run the rtioctl.py cases on stdin in the DUT; each
# output line "CASE ERRNO" becomes a TAP case checked against the
# expectation, given on the case's input line after "=>".
ioctl_cases() {
	local group=$1 specs out exp name got line
	specs=$(cat)
	out=$(printf '%s\n' "$specs" | sed 's/ *=>.*//' | dut $PY "$RTIOCTL" 2>&1)
	printf '%s\n' "$out" | sed "s/^/# rtioctl $group: /"
	while read -r line; do
		[ -n "$line" ] || continue
		name=${line%% *}
		exp=${line##*=> }
		got=$(printf '%s\n' "$out" | awk -v n="$name" '$1 == n { print $2 }')
		ok "ioctl $group $name: $exp (${line%% =>*})" \
			sh -c "echo got ${got:-nothing}; [ '$got' = '$exp' ]"
	done <<<"$specs"
}

ip -n $D addr add 10.0.2.9/24 dev veth-r1 label veth-r1:0
snap ioctl-before
# Malformed or refused: none may change the table.
ioctl_cases malformed <<'EOF'
m01 add dst=192.0.2.0 dstfam=10 mask=255.255.255.0 gw=10.0.1.2 flags=UG => EAFNOSUPPORT
m02 add dst=192.0.2.0 dstfam=0 mask=255.255.255.0 gw=10.0.1.2 flags=UG => EAFNOSUPPORT
m03 del dst=10.0.1.0 dstfam=10 mask=255.255.255.0 => EAFNOSUPPORT
m04 add dst=192.0.2.0 mask=255.255.255.0 maskfam=0 gw=10.0.1.2 flags=UG => EAFNOSUPPORT
m05 add dst=0.0.0.0 mask=0.0.0.0 maskfam=10 gw=10.0.1.2 flags=UG => EAFNOSUPPORT
m06 add dst=192.0.0.0 mask=255.0.255.0 gw=10.0.1.2 flags=UG => EINVAL
m07 add dst=192.0.2.0 mask=255.255.255.253 gw=10.0.1.2 flags=UG => EINVAL
m08 add dst=0.0.0.0 mask=0.255.255.255 gw=10.0.1.2 flags=UG => EINVAL
m09 add dst=192.0.2.1 mask=255.255.255.0 gw=10.0.1.2 flags=UG => EINVAL
m10 add dst=1.0.0.0 mask=0.0.0.0 gw=10.0.1.2 flags=UG => EINVAL
m11 del dst=10.0.1.1 mask=255.255.255.0 => EINVAL
m12 add dst=192.0.2.0 mask=255.255.255.0 dev=nosuch0 => ENODEV
m13 add dst=192.0.2.0 mask=255.255.255.0 dev=veth-r0:7 => ENODEV
m14 add dst=192.0.2.0 mask=255.255.255.0 dev=averyveryverylongname => ENODEV
m15 add dst=192.0.2.0 mask=255.255.255.0 gw=10.9.9.9 flags=UG => ENETUNREACH
m16 add dst=192.0.2.0 mask=255.255.255.0 gw=10.0.1.2 flags=UG dev=veth-r1 => ENETUNREACH
m17 add dst=192.0.2.0 mask=255.255.255.0 flags=UG => EINVAL
m18 add dst=192.0.2.0 mask=255.255.255.0 gw=10.0.1.2 gwfam=10 flags=UG => EINVAL
m19 add dst=192.0.2.0 mask=255.255.255.0 gw=10.0.1.2 flags=UH dev=nosuch0 => ENODEV
m20 add dst=192.0.2.0 dstfam=10 mask=255.255.255.0 flags=UR => EAFNOSUPPORT
m21 del dst=192.0.2.0 mask=255.255.255.0 => ESRCH
m22 del dst=10.0.1.0 mask=255.255.255.0 gw=10.0.1.99 flags=UG => ESRCH
m23 del dst=10.0.1.0 mask=255.255.255.0 metric=5 => ESRCH
m24 del dst=10.0.1.0 flags=UH => ESRCH
m25 del dst=10.0.1.0 mask=255.255.255.0 dev=veth-r1 => ESRCH
m26 del dst=10.0.1.0 mask=255.255.255.0 flags=UR => ESRCH
m27 del dst=0.0.0.0 mask=0.0.0.0 => ESRCH
m28 del dst=10.0.1.0 mask=255.255.255.0 dev=nosuch0 => ENODEV
EOF
snap ioctl-after-malformed
ok "the malformed ioctls left the table as it was" table_is "$T0"
ok "route -n after the malformed ioctls is byte for byte the one before" \
	cmp "$FSX_RES/obs/$(printf %02d $((nstep - 1)))-ioctl-before.route-n" \
	"$FSX_RES/obs/$(printf %02d $nstep)-ioctl-after-malformed.route-n"
ok "/proc/net/route after the malformed ioctls is byte for byte the one before" \
	cmp "$FSX_RES/obs/$(printf %02d $((nstep - 1)))-ioctl-before.proc-net-route" \
	"$FSX_RES/obs/$(printf %02d $nstep)-ioctl-after-malformed.proc-net-route"

# Well formed. rt_metric is route(8)'s metric + 1: 0 and 1 both mean
# priority 0, so w02 duplicates w01.
ioctl_cases add <<'EOF'
w01 add dst=192.0.2.0 mask=255.255.255.0 gw=10.0.1.2 flags=UG metric=0 => OK
w02 add dst=192.0.2.0 mask=255.255.255.0 gw=10.0.1.2 flags=UG metric=1 => EEXIST
w03 add dst=192.0.2.0 mask=255.255.255.0 gw=10.0.1.2 flags=UG metric=2 => OK
w04 add dst=192.0.2.0 mask=255.255.255.0 gw=10.0.2.2 flags=UG metric=1 => OK
w05 add dst=192.0.2.77 mask=255.255.255.0 flags=UH dev=veth-r0 => OK
w06 add dst=0.0.0.0 mask=0.0.0.0 maskfam=0 gw=10.0.1.2 flags=UG => OK
w07 add dst=203.0.113.0 mask=255.255.255.0 flags=UR dev=nosuch0 => OK
w08 add dst=198.51.100.0 mask=255.255.255.0 dev=veth-r0 flags=UMWI mtu=1400 window=8000 irtt=10 => OK
w09 add dst=198.18.0.0 mask=255.254.0.0 dev=veth-r1:0 => OK
w10 add dst=198.51.100.128 mask=255.255.255.128 gw=10.0.2.2 flags=UG metric=-1 => OK
w11 add dst=198.51.100.0 mask=255.255.255.0 dev=veth-r0 flags=U => OK
EOF
snap ioctl-added
observe ioctl-added.ip-route ip -4 -n $D -d route show table main
ok "table after the well-formed ioctls" table_is "veth-r0 0.0.0.0/0 10.0.1.2 0003 0
veth-r0 10.0.1.0/24 0.0.0.0 0001 0
veth-r1 10.0.2.0/24 0.0.0.0 0001 0
veth-r1 192.0.2.0/24 10.0.2.2 0003 0
veth-r0 192.0.2.0/24 10.0.1.2 0003 0
veth-r0 192.0.2.0/24 10.0.1.2 0003 1
veth-r0 192.0.2.77/32 0.0.0.0 0005 0
veth-r1 198.18.0.0/15 0.0.0.0 0001 0
veth-r0 198.51.100.0/24 0.0.0.0 0001 0
veth-r0 198.51.100.0/24 0.0.0.0 0001 0
veth-r1 198.51.100.128/25 10.0.2.2 0003 -2
* 203.0.113.0/24 0.0.0.0 0201 0"
ok "ip route: RTF_HOST ignored the netmask (192.0.2.77/32)" sh -c \
	"ip -d -n $D route show 192.0.2.77/32 | grep -q '^unicast 192.0.2.77 dev veth-r0 proto boot scope link'"
ok "ip route: rt_dev veth-r1:0 set the source 10.0.2.9" sh -c \
	"ip -d -n $D route show 198.18.0.0/15 | grep -q '^unicast 198.18.0.0/15 dev veth-r1 proto boot scope link src 10.0.2.9'"
ok "ip route: RTF_MTU/WINDOW/IRTT became advmss 1360 window 8000 rtt 10ms" sh -c \
	"ip -n $D route show 198.51.100.0/24 | grep -q 'window 8000 rtt 10ms advmss 1360'"
ok "ip route: rt_metric -1 is priority 4294967294" sh -c \
	"ip -n $D route show 198.51.100.128/25 | grep -q 'metric 4294967294'"
ok "ip route: the ioctl reject route is unreachable scope host" sh -c \
	"ip -d -n $D route show 203.0.113.0/24 | grep -q '^unreachable 203.0.113.0/24 proto boot scope host'"
ok "route get 192.0.2.9 via 10.0.2.2 (front of priority 0)" \
	route_get 192.0.2.9 "192.0.2.9 via 10.0.2.2 dev veth-r1 src 10.0.2.1"
ok "route get 198.18.1.1 uses src 10.0.2.9" \
	route_get 198.18.1.1 "198.18.1.1 dev veth-r1 src 10.0.2.9"
ok "route get 198.51.100.200 uses the /25 (metric 4294967294)" \
	route_get 198.51.100.200 "198.51.100.200 via 10.0.2.2 dev veth-r1 src 10.0.2.1"

ioctl_cases del <<'EOF'
d01 del dst=192.0.2.0 mask=255.255.255.0 metric=2 => OK
d02 del dst=192.0.2.0 mask=255.255.255.0 metric=2 => ESRCH
d03 del dst=192.0.2.0 mask=255.255.255.0 gw=10.0.1.2 flags=UG => OK
d04 del dst=192.0.2.0 mask=255.255.255.0 => OK
d05 del dst=192.0.2.0 mask=255.255.255.0 => ESRCH
d06 del dst=192.0.2.77 mask=255.255.255.0 flags=UH => OK
d07 del dst=0.0.0.0 mask=0.0.0.0 maskfam=0 => OK
d08 del dst=203.0.113.0 mask=255.255.255.0 flags=UR => OK
d09 del dst=198.18.0.0 mask=255.254.0.0 dev=veth-r1:0 => OK
d10 del dst=198.51.100.128 mask=255.255.255.128 metric=-1 => OK
d11 del dst=198.51.100.0 mask=255.255.255.0 dev=veth-r0 => OK
d12 del dst=198.51.100.0 mask=255.255.255.0 dev=veth-r0 => OK
d13 del dst=198.51.100.0 mask=255.255.255.0 dev=veth-r0 => ESRCH
EOF
snap ioctl-deleted
ok "after the ioctl deletes the table is the initial one" table_is "$T0"

# Odd but not malformed. Expectations o01-o03 are what stock 6.12 did:
# o01, a gateway that is the DUT's own address, is accepted (the nexthop
# check's lookup, done at scope host, finds the local route, which it
# allows); o02/o03, a gateway without RTF_GATEWAY, keep scope link, so the
# check looks the gateway up at scope host, which the connected route
# (scope link) does not satisfy: ENETUNREACH. o04 duplicates the connected
# route with another fib_info (proto boot, no prefsrc), so it is inserted,
# in front; o05 is then an exact duplicate. o14 deletes the first match:
# o04's route, not the kernel's.
ioctl_cases odd <<'EOF'
o01 add dst=192.0.2.0 mask=255.255.255.0 gw=10.0.1.1 flags=UG => OK
o02 add dst=198.18.0.0 mask=255.254.0.0 gw=10.0.1.2 flags=U => ENETUNREACH
o03 add dst=198.18.0.0 mask=255.254.0.0 gw=10.0.1.2 flags=U dev=veth-r0 => ENETUNREACH
o04 add dst=10.0.1.0 mask=255.255.255.0 dev=veth-r0 => OK
o05 add dst=10.0.1.0 mask=255.255.255.0 dev=veth-r0 => EEXIST
EOF
snap ioctl-odd
observe ioctl-odd.ip-route ip -4 -n $D -d route show table main
ok "ip route: o04's 10.0.1.0/24 (proto boot) is in front of the kernel's" sh -c \
	"ip -d -n $D route show 10.0.1.0/24 | head -n 1 | grep -q '^unicast 10.0.1.0/24 dev veth-r0 proto boot scope link \$'"
ok "ip route: o01 is 192.0.2.0/24 via 10.0.1.1" sh -c \
	"ip -d -n $D route show 192.0.2.0/24 | grep -q '^unicast 192.0.2.0/24 via 10.0.1.1 dev veth-r0 proto boot'"
ioctl_cases odd-del <<'EOF'
o11 del dst=192.0.2.0 mask=255.255.255.0 gw=10.0.1.1 flags=UG => OK
o12 del dst=198.18.0.0 mask=255.254.0.0 gw=10.0.1.2 flags=U => ESRCH
o13 del dst=198.18.0.0 mask=255.254.0.0 gw=10.0.1.2 flags=U dev=veth-r0 => ESRCH
o14 del dst=10.0.1.0 mask=255.255.255.0 dev=veth-r0 => OK
EOF
snap ioctl-odd-deleted
observe ioctl-odd-deleted.ip-route ip -4 -n $D -d route show table main
ok "ip route: the kernel's 10.0.1.0/24 survived o14" sh -c \
	"ip -d -n $D route show 10.0.1.0/24 | grep -q '^unicast 10.0.1.0/24 dev veth-r0 proto kernel scope link src 10.0.1.1 \$'"
ok "after the odd ioctls the table is the initial one" table_is "$T0"

ip netns del $D
ip netns del $P
done_testing
