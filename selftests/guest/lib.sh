# shellcheck shell=bash
# Helpers for guest family scripts: TAP output, observations that are
# compared between profiles, backend detection, namespace topologies.
# Sourced inside the guest; FSX_* come from the generated init.

_fsx_n=0
_fsx_failed=0

# ok DESC CMD...: one TAP case, passing when CMD succeeds. Its output goes
# to the console only on failure.
ok() {
	local desc=$1 out rc
	shift
	out=$("$@" 2>&1) && rc=0 || rc=$?
	_fsx_n=$((_fsx_n + 1))
	if [ "$rc" = 0 ]; then
		echo "ok $_fsx_n - $desc"
	else
		echo "not ok $_fsx_n - $desc"
		echo "$out" | sed 's/^/# /' | head -n 20
		_fsx_failed=$((_fsx_failed + 1))
	fi
}

# skip DESC REASON: a case that cannot run here. Not a pass.
skip() {
	_fsx_n=$((_fsx_n + 1))
	echo "ok $_fsx_n - $1 # SKIP $2"
}

# done_testing: the TAP plan; the family's exit status.
done_testing() {
	echo "1..$_fsx_n"
	[ "$_fsx_failed" = 0 ]
}

# case_ DESC CMD...: as ok, but SKIP with the reason in $why when the
# family set one (a kernel that cannot do what the case tests).
case_() {
	if [ -n "${why:-}" ]; then
		skip "$1" "$why"
	else
		ok "$@"
	fi
}

# rmmod_wait MODULE...: unload each in turn, retrying for up to 30 s
# (the tables of namespaces being dismantled hold a module until they are
# freed, a moment later); the last try's error if one stays.
rmmod_wait() {
	local m t
	for m in "$@"; do
		for t in $(seq 1 30); do
			rmmod "$m" 2>/dev/null && continue 2
			sleep 1
		done
		rmmod "$m" || return 1
	done
}

# kmemleak_report: kmemleak's report of what is unreferenced now (empty
# without kmemleak). It reports an object only when it is 5 s old and a
# scan finds it unreferenced with the same contents as the scan before
# (a first sighting only records its checksum): wait, scan twice.
kmemleak_report() {
	local k=/sys/kernel/debug/kmemleak
	[ -w "$k" ] || return 0
	sleep 6
	echo scan >"$k" && echo scan >"$k" && cat "$k"
}

# observe NAME CMD...: keep CMD's output as FSX_RES/obs/NAME. Observations
# are compared byte for byte between stock and every other profile; a name
# ending in .unordered is sorted first (for lists whose order the kernel
# does not define, such as neighbour tables).
observe() {
	local name=$1
	shift
	mkdir -p "$FSX_RES/obs"
	if [ "${name%.unordered}" != "$name" ]; then
		"$@" 2>&1 | LC_ALL=C sort >"$FSX_RES/obs/$name"
	else
		"$@" >"$FSX_RES/obs/$name" 2>&1
	fi
	echo "# observed $name: $(wc -l <"$FSX_RES/obs/$name") lines"
}

# observe_skip NAME REASON: an observation this kernel cannot make (it
# lacks the feature); compare.sh then does not miss it, as with skip.
observe_skip() {
	mkdir -p "$FSX_RES/obs"
	echo "$2" >"$FSX_RES/obs/$1.skip"
	echo "# observation $1 skipped: $2"
}

# The FIB and ARP table backends in use, as "fib=X neigh=Y". A hooked core
# names them in /proc/sys/net/ipv4/{fib,neigh}_backend; a stock core has
# only the trie and the hash table.
fsx_backends() {
	local fib=unknown neigh=hash
	if [ -r /proc/sys/net/ipv4/fib_store ]; then
		fib=$(cat /proc/sys/net/ipv4/fib_store)
	elif [ -e /proc/net/fib_trie ]; then
		fib=trie
	fi
	[ -r /proc/sys/net/ipv4/neigh_backend ] &&
		neigh=$(cat /proc/sys/net/ipv4/neigh_backend)
	echo "fib=$fib neigh=$neigh"
}

# True when this kernel's extack messages can carry values (6.2 on,
# NL_SET_ERR_MSG_FMT); before, fib_simple's messages come without them
# (compat/compat.h).
extack_has_values() {
	local r
	r=$(uname -r)
	[ "${r%%.*}" -gt 6 ] || { [ "${r%%.*}" = 6 ] && r=${r#*.} && [ "${r%%[!0-9]*}" -ge 2 ]; }
}

# two_hosts NS1 NS2 ADDR1 ADDR2 PLEN: two namespaces joined by a veth pair
# with fixed MAC addresses (so neighbour tables are the same on every run).
two_hosts() {
	local a=$1 b=$2 ip1=$3 ip2=$4 plen=$5
	ip netns add "$a" && ip netns add "$b" &&
	ip link add veth-"$a" netns "$a" address 02:00:00:00:00:01 type veth \
		peer name veth-"$b" netns "$b" address 02:00:00:00:00:02 &&
	ip -n "$a" link set lo up && ip -n "$b" link set lo up &&
	ip -n "$a" addr add "$ip1/$plen" dev veth-"$a" &&
	ip -n "$b" addr add "$ip2/$plen" dev veth-"$b" &&
	ip -n "$a" link set veth-"$a" up && ip -n "$b" link set veth-"$b" up
}

# kselftest_results GROUP LOG: the "TEST: msg [ OK ]" / "[FAIL]" lines of
# a kernel selftest script's output LOG, as "RESULT<tab>GROUP: msg" lines;
# the k'th repeat of a message within the group is "GROUP: msg #k".
kselftest_results() {
	local g=$1 line msg res name
	local -A seen=()
	while IFS= read -r line; do
		msg=$(echo "$line" | sed -E 's/^ *TEST: (.*[^ ]) +\[ *(OK|FAIL) *\]$/\1/')
		res=$(echo "$line" | sed -E 's/.*\[ *(OK|FAIL) *\]$/\1/')
		seen[$msg]=$((${seen[$msg]:-0} + 1))
		name="$g: $msg"
		[ "${seen[$msg]}" = 1 ] || name="$name #${seen[$msg]}"
		printf '%s\t%s\n' "$res" "$name"
	done < <(echo "$2" | grep -E '^ *TEST: .*\[ *(OK|FAIL) *\]$')
}

# dut_two_links DUT PEER IFPREFIX MACBYTE: namespace DUT with two veth
# links to namespace PEER: IFPREFIX0 10.0.1.1/24 <-> veth-p0 10.0.1.2 and
# IFPREFIX1 10.0.2.1/24 <-> veth-p1 10.0.2.2; MACs 02:00:00:00:MACBYTE:xx.
dut_two_links() {
	local d=$1 p=$2 i=$3 m=$4
	ip netns add "$d" && ip netns add "$p" &&
	ip link add "${i}0" netns "$d" address "02:00:00:00:$m:01" type veth \
		peer name veth-p0 netns "$p" address "02:00:00:00:$m:02" &&
	ip link add "${i}1" netns "$d" address "02:00:00:00:$m:11" type veth \
		peer name veth-p1 netns "$p" address "02:00:00:00:$m:12" &&
	ip -n "$d" link set lo up && ip -n "$p" link set lo up &&
	ip -n "$d" addr add 10.0.1.1/24 dev "${i}0" &&
	ip -n "$d" addr add 10.0.2.1/24 dev "${i}1" &&
	ip -n "$p" addr add 10.0.1.2/24 dev veth-p0 &&
	ip -n "$p" addr add 10.0.2.2/24 dev veth-p1 &&
	ip -n "$d" link set "${i}0" up && ip -n "$d" link set "${i}1" up &&
	ip -n "$p" link set veth-p0 up && ip -n "$p" link set veth-p1 up
}

# The host's Debian python3 (with python3-scapy); not whatever is on PATH.
PY=/usr/bin/python3
