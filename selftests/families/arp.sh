#!/bin/bash
# arp: the kernel's ARP, probed from the far end with scapy. A DUT
# namespace (arpd) has two veth links to a peer namespace (arpp) whose
# ends have no address and ARP off, so every ARP frame the DUT sees is one
# selftests/guest/arpcheck.py sends (one python process, scapy imported
# once) and every frame the DUT sends is captured there:
#
#   arpd veth-d0 02:00:00:00:0a:01 10.0.1.1/24 --- veth-p0 02:00:00:00:0a:02
#   arpd veth-d1 02:00:00:00:0a:11 10.0.2.1/24 --- veth-p1 02:00:00:00:0a:12
#
# c1 requests answered only for local addresses (arp_ignore 0/1/2/8);
# c2 resolution with queued datagrams (unres_qlen_bytes), arp_announce;
# c3 failure after mcast_solicit probes, ICMP host unreachable (ping in
#    the DUT, and a datagram the DUT forwards);
# c4 REACHABLE -> STALE -> DELAY -> PROBE (unicast) -> REACHABLE / FAILED;
# c5 gratuitous ARP and unsolicited replies, arp_accept 0/1/2, locktime;
# c6 proxy ARP (proxy_arp, ip neigh add proxy);
# c7 malformed and odd frames (lengths, types, opcodes, martian senders,
#    our own address as sender): no reply, entries not poisoned;
# c8 ip neigh add/replace/change/get/show/del/flush, net-tools arp,
#    busybox arp, /proc/net/arp;
# c9 raw SIOCSARP/SIOCGARP/SIOCDARP, good and bad.
# Every expectation comes from net/ipv4/arp.c and net/core/neighbour.c
# (6.12) and is checked here (the oracle); what was seen is recorded under
# obs/ for the byte-for-byte comparison with stock. The kernel under test
# may keep its ARP cache in a fixed number of slots (16) shared by all
# namespaces: no step keeps more than 8 entries alive (checked), and every
# sub-test starts from an empty table. Case names do not depend on the
# neighbour implementation.
. "$FSX_REPO/selftests/guest/lib.sh"
D=arpd P=arpp
V=veth-d0
W=/tmp/arp
ARPCHECK=$FSX_REPO/selftests/guest/arpcheck.py
MAX_ALIVE=8
echo "# $(fsx_backends)"
rm -rf $W
mkdir -p $W
start=$(date +%s)

dut() { ip netns exec $D "$@"; }

setup() {
	ip netns add $D && ip netns add $P || return 1
	# No IPv6 on these links (where there is IPv6): no ND or MLD frames.
	for ns in $D $P; do
		ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 \
			net.ipv6.conf.default.disable_ipv6=1 2>/dev/null
	done
	ip link add veth-d0 netns $D address 02:00:00:00:0a:01 type veth \
		peer name veth-p0 netns $P address 02:00:00:00:0a:02 &&
	ip link add veth-d1 netns $D address 02:00:00:00:0a:11 type veth \
		peer name veth-p1 netns $P address 02:00:00:00:0a:12 &&
	ip -n $D link set lo up && ip -n $P link set lo up &&
	ip -n $D addr add 10.0.1.1/24 dev veth-d0 &&
	ip -n $D addr add 10.0.2.1/24 dev veth-d1 &&
	ip -n $P link set veth-p0 arp off && ip -n $P link set veth-p1 arp off &&
	ip -n $D link set veth-d0 up && ip -n $D link set veth-d1 up &&
	ip -n $P link set veth-p0 up && ip -n $P link set veth-p1 up
}
ok "c0 DUT and peer namespaces with two veth links" setup

# alive: IPv4 neighbour entries in every namespace there is (proxy entries
# are not neighbours); the highest count is checked at the end.
max_alive=0
alive() {
	local n=0 ns
	n=$(ip -4 neigh show nud all | wc -l)
	for ns in $(ip netns list | cut -d' ' -f1); do
		n=$((n + $(ip -n "$ns" -4 neigh show nud all | wc -l)))
	done
	[ "$n" -gt "$max_alive" ] && max_alive=$n
	echo "# neighbour entries alive: $n"
}

# Defaults of the ARP parameters this family relies on (ip-sysctl.rst and
# arp_tbl in net/ipv4/arp.c): checked, and kept for the comparison.
defaults() {
	dut sysctl net.ipv4.neigh.$V.ucast_solicit net.ipv4.neigh.$V.mcast_solicit \
		net.ipv4.neigh.$V.mcast_resolicit net.ipv4.neigh.$V.app_solicit \
		net.ipv4.neigh.$V.retrans_time_ms net.ipv4.neigh.$V.base_reachable_time_ms \
		net.ipv4.neigh.$V.delay_first_probe_time net.ipv4.neigh.$V.gc_stale_time \
		net.ipv4.neigh.$V.locktime net.ipv4.neigh.$V.proxy_delay \
		net.ipv4.neigh.$V.proxy_qlen net.ipv4.neigh.$V.anycast_delay \
		net.ipv4.neigh.$V.unres_qlen net.ipv4.neigh.$V.unres_qlen_bytes \
		net.ipv4.conf.$V.arp_ignore net.ipv4.conf.$V.arp_announce \
		net.ipv4.conf.$V.arp_accept net.ipv4.conf.$V.arp_filter \
		net.ipv4.conf.$V.arp_notify net.ipv4.conf.$V.arp_evict_nocarrier \
		net.ipv4.conf.$V.proxy_arp net.ipv4.conf.$V.proxy_arp_pvlan \
		net.ipv4.conf.$V.drop_gratuitous_arp
}
defaults >$W/defaults 2>&1
observe c0-defaults cat $W/defaults
want_defaults="ucast_solicit = 3
mcast_solicit = 3
mcast_resolicit = 0
app_solicit = 0
retrans_time_ms = 1000
base_reachable_time_ms = 30000
delay_first_probe_time = 5
gc_stale_time = 60
locktime = 100
proxy_delay = 80
proxy_qlen = 64
arp_ignore = 0
arp_announce = 0
arp_accept = 0
arp_filter = 0
proxy_arp = 0
drop_gratuitous_arp = 0"
has_defaults() {
	local line
	while IFS= read -r line; do
		grep -q "\.${line}\$" $W/defaults || { echo "missing: $line"; return 1; }
	done <<<"$want_defaults"
}
ok "c0 ARP defaults on veth-d0 (solicit 3/3, retrans 1 s, reachable 30 s, delay 5 s, locktime 1 s)" \
	has_defaults

# ------------------------------------------------------------ c1-c7
echo "# setup done at $(($(date +%s) - start)) s"
alive
"$PY" "$ARPCHECK" run $D $P $W >$W/run.log 2>&1
rc=$?
sed 's/^/# /' $W/run.log
arp_failed() {
	printf '%s\n' "$1" | tr '|' '\n' | sed 's/^ *//; s/ *$//'
	return 1
}
n=0
while IFS=$'\t' read -r status name detail; do
	n=$((n + 1))
	case $status in
	ok) ok "$name" true ;;
	*) ok "$name" arp_failed "$detail" ;;
	esac
done < <(cat $W/results.tsv 2>/dev/null)
ok "arpcheck.py: every sub-test ran (exit $rc, $n checks)" test "$rc" = 0
for f in "$W"/obs/*; do
	[ -f "$f" ] && observe "$(basename "$f")" cat "$f"
done
alive

# ------------------------------------------------------------ c8
echo "# c1-c7 done at $(($(date +%s) - start)) s"
# Each command and its output (lines sorted: the kernel's dump order is
# not defined) go to obs/c8-commands.
: >$W/c8
cmd() {
	local out rc
	out=$("$@" 2>&1) && rc=0 || rc=$?
	{
		echo "\$ $*"
		[ -n "$out" ] && echo "$out" | sed 's/ *$//' | LC_ALL=C sort
		echo "rc=$rc"
	} >>$W/c8
	echo "$out"
	return $rc
}
# fails_with TEXT CMD...: CMD fails and says TEXT
fails_with() {
	local text=$1 out
	shift
	if out=$(cmd "$@"); then
		echo "succeeded: $out"
		return 1
	fi
	echo "$out"
	[[ $out == *"$text"* ]]
}
# is LINE CMD...: CMD succeeds and its output, trailing blanks cut, is LINE
is() {
	local want=$1 out
	shift
	out=$(cmd "$@" | sed 's/ *$//') || return 1
	echo "got: $out"
	[ "$out" = "$want" ]
}
# lists EXPECTED CMD...: the lines of CMD's output (trailing blanks cut,
# sorted) are exactly EXPECTED (sorted)
lists() {
	local want=$1 got
	shift
	got=$(cmd "$@" | sed 's/ *$//' | LC_ALL=C sort) || return 1
	want=$(echo "$want" | LC_ALL=C sort)
	[ "$got" = "$want" ] && return 0
	echo "expected:"; echo "$want"; echo "got:"; echo "$got"
	return 1
}
# proc_arp: /proc/net/arp without its header, as "IP TYPE FLAGS MAC MASK DEV"
proc_arp() { dut cat /proc/net/arp | awk 'NR > 1 { print $1, $2, $3, $4, $5, $6 }'; }
M=02:00:00:00:0d
nip() { ip -n $D "$@"; }
ok "c8 ip neigh add 10.0.1.40 nud permanent" cmd nip neigh add 10.0.1.40 dev $V lladdr $M:40 nud permanent
ok "c8 ip neigh add 10.0.1.41 nud stale" cmd nip neigh add 10.0.1.41 dev $V lladdr $M:41 nud stale
ok "c8 ip neigh add 10.0.1.42 nud noarp" cmd nip neigh add 10.0.1.42 dev $V lladdr $M:42 nud noarp
ok "c8 ip neigh add 10.0.1.43 without nud" cmd nip neigh add 10.0.1.43 dev $V lladdr $M:43
ok "c8 ip neigh add of an existing entry: File exists" \
	fails_with "File exists" nip neigh add 10.0.1.40 dev $V lladdr $M:44
# neigh_add: an lladdr shorter than the device's is EINVAL
ok "c8 ip neigh add with a 2-byte lladdr fails" \
	fails_with "Invalid" nip neigh add 10.0.1.47 dev $V lladdr 02:00 nud permanent
# __neigh_update: a valid state needs an address
ok "c8 ip neigh add nud permanent without lladdr fails" \
	fails_with "No link layer address given" nip neigh add 10.0.1.47 dev $V nud permanent
# ... but the entry neigh_add created before __neigh_update refused stays,
# in state NONE (stock 6.12; nothing collects it below gc_thresh1)
observe c8-after-failed-add.unordered nip -4 neigh show nud all
ok "c8 ... the entry that failed add made stays, and ip neigh del removes it" \
	cmd nip neigh del 10.0.1.47 dev $V
ok "c8 ip neigh add on an unknown device fails" \
	fails_with "Cannot find device" nip neigh add 10.0.1.47 dev nosuch0 lladdr $M:47
ok "c8 ip neigh replace 10.0.1.41 with a new MAC" cmd nip neigh replace 10.0.1.41 dev $V lladdr $M:51 nud stale
ok "c8 ip neigh replace creates 10.0.1.44" cmd nip neigh replace 10.0.1.44 dev $V lladdr $M:44 nud stale
ok "c8 ip neigh change 10.0.1.40 to a new MAC" cmd nip neigh change 10.0.1.40 dev $V lladdr $M:50 nud permanent
ok "c8 ip neigh change of a missing entry fails" \
	fails_with "No such file or directory" nip neigh change 10.0.1.49 dev $V lladdr $M:49
ok "c8 ip neigh get 10.0.1.40" is "10.0.1.40 dev $V lladdr $M:50 PERMANENT" nip neigh get 10.0.1.40 dev $V
ok "c8 ip neigh get 10.0.1.41 (replaced)" is "10.0.1.41 dev $V lladdr $M:51 STALE" nip neigh get 10.0.1.41 dev $V
ok "c8 ip neigh get 10.0.1.43 (added without nud: PERMANENT)" \
	is "10.0.1.43 dev $V lladdr $M:43 PERMANENT" nip neigh get 10.0.1.43 dev $V
ok "c8 ip neigh get of a missing entry fails" \
	fails_with "not found" nip neigh get 10.0.1.49 dev $V
alive
ok "c8 ip neigh show: PERMANENT and STALE, not NOARP" lists "10.0.1.40 dev $V lladdr $M:50 PERMANENT
10.0.1.41 dev $V lladdr $M:51 STALE
10.0.1.43 dev $V lladdr $M:43 PERMANENT
10.0.1.44 dev $V lladdr $M:44 STALE" nip -4 neigh show
ok "c8 ip neigh show nud all: and NOARP" lists "10.0.1.40 dev $V lladdr $M:50 PERMANENT
10.0.1.41 dev $V lladdr $M:51 STALE
10.0.1.42 dev $V lladdr $M:42 NOARP
10.0.1.43 dev $V lladdr $M:43 PERMANENT
10.0.1.44 dev $V lladdr $M:44 STALE" nip -4 neigh show nud all
ok "c8 ip neigh show nud permanent" lists "10.0.1.40 dev $V lladdr $M:50 PERMANENT
10.0.1.43 dev $V lladdr $M:43 PERMANENT" nip -4 neigh show nud permanent
ok "c8 ip neigh show to 10.0.1.40/31" lists "10.0.1.40 dev $V lladdr $M:50 PERMANENT
10.0.1.41 dev $V lladdr $M:51 STALE" nip -4 neigh show to 10.0.1.40/31
# arp_seq_show: NOARP entries are left out; flags ATF_COM 0x2, +ATF_PERM 0x4
ok "c8 /proc/net/arp" lists "10.0.1.40 0x1 0x6 $M:50 * $V
10.0.1.41 0x1 0x2 $M:51 * $V
10.0.1.43 0x1 0x6 $M:43 * $V
10.0.1.44 0x1 0x2 $M:44 * $V" proc_arp
ok "c8 arp -n (net-tools)" lists "10.0.1.40 ether $M:50 CM $V
10.0.1.41 ether $M:51 C $V
10.0.1.43 ether $M:43 CM $V
10.0.1.44 ether $M:44 C $V" sh -c "ip netns exec $D arp -n | awk 'NR > 1 { print \$1, \$2, \$3, \$4, \$5 }'"
ok "c8 busybox arp -n" lists "? (10.0.1.40) at $M:50 [ether] PERM on $V
? (10.0.1.41) at $M:51 [ether]  on $V
? (10.0.1.43) at $M:43 [ether] PERM on $V
? (10.0.1.44) at $M:44 [ether]  on $V" dut busybox arp -n
observe c8-ip-neigh-show.unordered nip -4 neigh show nud all
observe c8-proc-net-arp.unordered dut cat /proc/net/arp
observe c8-arp-n.unordered dut arp -n
observe c8-arp-an.unordered dut arp -an
observe c8-arp-n-host dut arp -n 10.0.1.40
observe c8-busybox-arp.unordered dut busybox arp -n
observe c8-busybox-arp-host dut busybox arp -n -a 10.0.1.41

# net-tools arp(8): SIOCSARP / SIOCDARP
ok "c8 arp -s 10.0.1.45 (permanent by default)" cmd dut arp -s 10.0.1.45 $M:45
ok "c8 ... 10.0.1.45 is PERMANENT" is "10.0.1.45 dev $V lladdr $M:45 PERMANENT" nip neigh get 10.0.1.45 dev $V
ok "c8 arp -d 10.0.1.45" cmd dut arp -d 10.0.1.45
ok "c8 ... 10.0.1.45 is gone" fails_with "not found" nip neigh get 10.0.1.45 dev $V
ok "c8 arp -d of a missing entry: No ARP entry" fails_with "No ARP entry for 10.0.1.45" dut arp -d 10.0.1.45
ok "c8 arp -s 10.0.1.46 temp" cmd dut arp -s 10.0.1.46 $M:46 temp
ok "c8 ... 10.0.1.46 is STALE" is "10.0.1.46 dev $V lladdr $M:46 STALE" nip neigh get 10.0.1.46 dev $V
ok "c8 arp -d 10.0.1.46" cmd dut arp -d 10.0.1.46
ok "c8 arp -s with a bad MAC fails" fails_with "invalid" dut arp -s 10.0.1.47 02:00:zz
ok "c8 arp -s for an unroutable address fails" fails_with "Network is unreachable" dut arp -s 192.0.2.47 $M:47
ok "c8 arp -i veth-d0 -Ds 10.0.1.47 veth-d0 pub: a proxy entry" cmd dut arp -i $V -Ds 10.0.1.47 $V pub
ok "c8 ... ip neigh show proxy lists it" is "10.0.1.47 dev $V proxy" nip neigh show proxy
observe c8-arp-n-proxy.unordered dut arp -n
ok "c8 ... /proc/net/arp lists it, flags ATF_PUBL+ATF_PERM" sh -c \
	"ip netns exec $D cat /proc/net/arp | grep -Eq '^10\.0\.1\.47 +0x1 +0xc +00:00:00:00:00:00 +\* +$V\$'"
ok "c8 arp -i veth-d0 -d 10.0.1.47 pub" cmd dut arp -i $V -d 10.0.1.47 pub
ok "c8 ... the proxy entry is gone" is "" nip neigh show proxy
# busybox arp
ok "c8 busybox arp -s 10.0.1.48" cmd dut busybox arp -s 10.0.1.48 $M:48
ok "c8 ... 10.0.1.48 is PERMANENT" is "10.0.1.48 dev $V lladdr $M:48 PERMANENT" nip neigh get 10.0.1.48 dev $V
ok "c8 busybox arp -d 10.0.1.48" cmd dut busybox arp -d 10.0.1.48
ok "c8 ... 10.0.1.48 is gone" fails_with "not found" nip neigh get 10.0.1.48 dev $V
ok "c8 busybox arp -d of a missing entry fails" fails_with "" dut busybox arp -d 10.0.1.48
alive
# deleting and flushing
ok "c8 ip neigh del 10.0.1.41" cmd nip neigh del 10.0.1.41 dev $V
ok "c8 ip neigh del of a missing entry fails" \
	fails_with "No such file or directory" nip neigh del 10.0.1.41 dev $V
# iproute2 flushes what is not PERMANENT or NOARP unless told `nud all`,
# and never NOARP entries (those need a del)
ok "c8 ip neigh flush dev veth-d0: PERMANENT and NOARP entries stay" cmd nip neigh flush dev $V
ok "c8 ... left after the flush" lists "10.0.1.40 dev $V lladdr $M:50 PERMANENT
10.0.1.42 dev $V lladdr $M:42 NOARP
10.0.1.43 dev $V lladdr $M:43 PERMANENT" nip -4 neigh show nud all
ok "c8 ip neigh flush all nud all: only NOARP stays" cmd nip neigh flush all nud all
ok "c8 ... left after the flush nud all" lists "10.0.1.42 dev $V lladdr $M:42 NOARP" nip -4 neigh show nud all
ok "c8 ip neigh del 10.0.1.42 (NOARP)" cmd nip neigh del 10.0.1.42 dev $V
ok "c8 ... the table is empty" is "" nip -4 neigh show nud all
observe c8-commands cat $W/c8

# ------------------------------------------------------------ c9
echo "# c8 done at $(($(date +%s) - start)) s"
# NAME|EXPECTED|LINE for arpcheck.py ioctl (in the DUT): LINE is
# "set|get|del [ip=] [pafam=] [ha=] [hafam=] [flags=CMPND] [mask=] [dev=]"
# (flags: C ATF_COM, M ATF_PERM, P ATF_PUBL, N ATF_NETMASK, D ATF_DONTPUB;
# families default to AF_INET and ARPHRD_ETHER), "arp IP" (IP's lines in
# /proc/net/arp: IP TYPE FLAGS MAC MASK DEV) or "cat FILE". Expected
# errnos from arp_ioctl(), arp_req_set(), arp_req_get(), arp_req_delete(),
# arp_req_dev*(), arp_invalidate() (net/ipv4/arp.c, 6.12).
E=02:00:00:00:0e
c9cases="get-missing|ENXIO|get ip=10.0.1.90 dev=$V
get-no-dev|ENODEV|get ip=10.0.1.90
get-unknown-dev|ENODEV|get ip=10.0.1.90 dev=nosuch0
get-bad-family|EPFNOSUPPORT|get ip=10.0.1.90 pafam=10 dev=$V
set-bad-family|EPFNOSUPPORT|set ip=10.0.1.90 pafam=0 ha=$E:90 flags=CM dev=$V
del-bad-family|EPFNOSUPPORT|del ip=10.0.1.90 pafam=1 dev=$V
set-unknown-dev|ENODEV|set ip=10.0.1.90 ha=$E:90 flags=CM dev=nosuch0
set-16-char-dev|ENODEV|set ip=10.0.1.90 ha=$E:90 flags=CM dev=veth-d0veth-d0ab
set-netmask-not-proxy|EINVAL|set ip=10.0.1.90 ha=$E:90 flags=CMN mask=255.255.255.255 dev=$V
set-dontpub-not-proxy|EINVAL|set ip=10.0.1.90 ha=$E:90 flags=CMD dev=$V
set-proxy-bad-netmask|EINVAL|set ip=10.0.1.90 flags=PN mask=255.255.255.0 dev=$V
set-hw-family-mismatch|EINVAL|set ip=10.0.1.90 ha=$E:90 hafam=772 flags=CM dev=$V
set-hw-family-mismatch-no-com|EINVAL|set ip=10.0.1.90 ha=$E:90 hafam=6 dev=$V
set-on-lo|EINVAL|set ip=10.0.1.90 ha=$E:90 flags=CM dev=lo
set-no-route|ENETUNREACH|set ip=192.0.2.1 ha=$E:90 flags=CM
set-perm|OK|set ip=10.0.1.90 ha=$E:90 flags=CM dev=$V
get-perm|OK ha=$E:90 hafam=1 flags=0x6 dev=$V|get ip=10.0.1.90 dev=$V
arp-perm|10.0.1.90 0x1 0x6 $E:90 * $V|arp 10.0.1.90
set-com-by-route|OK|set ip=10.0.1.91 ha=$E:91 flags=C
get-com|OK ha=$E:91 hafam=1 flags=0x2 dev=$V|get ip=10.0.1.91 dev=$V
get-wrong-dev|ENXIO|get ip=10.0.1.91 dev=veth-d1
set-hw-family-0|OK|set ip=10.0.1.93 ha=$E:93 hafam=0 flags=CM dev=$V
get-hw-family-0|OK ha=$E:93 hafam=1 flags=0x6 dev=$V|get ip=10.0.1.93 dev=$V
set-overwrite-perm|OK|set ip=10.0.1.90 ha=$E:a0 flags=C dev=$V
get-overwritten|OK ha=$E:a0 hafam=1 flags=0x2 dev=$V|get ip=10.0.1.90 dev=$V
get-noarp|ENXIO|get ip=10.0.1.99 dev=$V
del-perm|OK|del ip=10.0.1.90 dev=$V
get-deleted|ENXIO|get ip=10.0.1.90 dev=$V
del-missing|ENXIO|del ip=10.0.1.90 dev=$V
del-by-route|OK|del ip=10.0.1.91
del-no-route|ENETUNREACH|del ip=192.0.2.1
del-unknown-dev|ENODEV|del ip=10.0.1.93 dev=nosuch0
del-hw-family-0|OK|del ip=10.0.1.93 dev=$V
del-noarp|ENXIO|del ip=10.0.1.99 dev=$V
set-no-hw-address|EINVAL|set ip=10.0.1.92 dev=$V
del-no-hw-address|ENXIO|del ip=10.0.1.92 dev=$V
set-proxy-host|OK|set ip=10.0.1.94 flags=PN mask=255.255.255.255 dev=$V
arp-proxy-host|10.0.1.94 0x1 0xc 00:00:00:00:00:00 * $V|arp 10.0.1.94
get-proxy-host|ENXIO|get ip=10.0.1.94 dev=$V
del-proxy-host|OK|del ip=10.0.1.94 flags=PN mask=255.255.255.255 dev=$V
del-proxy-host-again|ENOENT|del ip=10.0.1.94 flags=PN mask=255.255.255.255 dev=$V
set-proxy-no-netmask|OK|set ip=10.0.1.95 flags=P dev=$V
arp-proxy-no-netmask|10.0.1.95 0x1 0xc 00:00:00:00:00:00 * $V|arp 10.0.1.95
del-proxy-no-netmask|OK|del ip=10.0.1.95 flags=P dev=$V
set-proxy-by-hw-address|OK|set ip=10.0.1.96 ha=02:00:00:00:0a:01 flags=PC
arp-proxy-by-hw-address|10.0.1.96 0x1 0xc 00:00:00:00:00:00 * $V|arp 10.0.1.96
del-proxy-by-hw-address|OK|del ip=10.0.1.96 flags=P dev=$V
set-proxy-unknown-hw-address|ENODEV|set ip=10.0.1.97 ha=$E:ee flags=PC
set-proxy-any-dev|OK|set ip=10.0.1.98 flags=P
arp-proxy-any-dev|10.0.1.98 0x0 0xc 00:00:00:00:00:00 * *|arp 10.0.1.98
del-proxy-any-dev|OK|del ip=10.0.1.98 flags=P
set-proxy-arp-on-dev|OK|set flags=PN mask=0.0.0.0 dev=veth-d1
proxy-arp-on|1|cat /proc/sys/net/ipv4/conf/veth-d1/proxy_arp
del-proxy-arp-on-dev|OK|del flags=PN mask=0.0.0.0 dev=veth-d1
proxy-arp-off|0|cat /proc/sys/net/ipv4/conf/veth-d1/proxy_arp
set-zero-address|OK|set ip=0.0.0.0 ha=$E:b0 flags=CM dev=$V
get-zero-address|OK ha=$E:b0 hafam=1 flags=0x6 dev=$V|get ip=0.0.0.0 dev=$V
del-zero-address|OK|del ip=0.0.0.0 dev=$V
set-multicast-address|OK|set ip=224.0.0.7 ha=$E:b1 flags=CM dev=$V
get-multicast-address|OK ha=$E:b1 hafam=1 flags=0x6 dev=$V|get ip=224.0.0.7 dev=$V
del-multicast-address|OK|del ip=224.0.0.7 dev=$V
set-broadcast-address|OK|set ip=10.0.1.255 ha=$E:b2 flags=CM dev=$V
get-broadcast-address|OK ha=$E:b2 hafam=1 flags=0x6 dev=$V|get ip=10.0.1.255 dev=$V
del-broadcast-address|OK|del ip=10.0.1.255 dev=$V
set-loopback-address|OK|set ip=127.0.0.1 ha=$E:b3 flags=CM dev=$V
del-loopback-address|OK|del ip=127.0.0.1 dev=$V
arp-after|absent|arp 10.0.1.90"
# A NOARP entry for get-noarp and del-noarp (SIOCGARP hides NOARP
# entries; SIOCDARP removes one but says ENXIO).
ok "c9 ip neigh add 10.0.1.99 nud noarp" cmd nip neigh add 10.0.1.99 dev $V lladdr $E:99 nud noarp
echo "$c9cases" | while IFS='|' read -r name _ line; do echo "$name $line"; done >$W/c9-in
dut "$PY" "$ARPCHECK" ioctl <$W/c9-in >$W/c9-out 2>&1
rc=$?
observe c9-ioctl cat $W/c9-out
declare -A c9got=()
while read -r name got; do
	[ -n "${c9got[$name]+set}" ] || c9got[$name]=$got
done <$W/c9-out
while IFS='|' read -r name want _; do
	ok "c9 $name: $want" test "${c9got[$name]-missing}" = "$want"
done <<<"$c9cases"
ok "c9 arpcheck.py ioctl ran every line (exit $rc)" \
	test "$rc" = 0 -a "$(wc -l <$W/c9-out)" = "$(wc -l <$W/c9-in)"
ok "c9 nothing left behind" is "" nip -4 neigh show nud all
ok "c9 no proxy entry left behind" is "" nip neigh show proxy
alive

ok "c8-c9 at most $MAX_ALIVE neighbour entries alive at once (all namespaces)" \
	test "$max_alive" -le $MAX_ALIVE
ip netns del $D
ip netns del $P
echo "# arp family: $(($(date +%s) - start)) s"
done_testing
