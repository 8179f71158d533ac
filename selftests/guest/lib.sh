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

# The FIB and neighbour backends in use, as "fib=X neigh=Y". A hooked core
# names them under /proc/sys/net/ipv4/; a stock core has only the trie and
# the hash table.
fsx_backends() {
	local fib=unknown neigh=hash
	if [ -r /proc/sys/net/ipv4/fib_backend ]; then
		fib=$(cat /proc/sys/net/ipv4/fib_backend)
	elif [ -e /proc/net/fib_trie ]; then
		fib=trie
	fi
	[ -r /proc/sys/net/ipv4/neigh/default/backend ] &&
		neigh=$(cat /proc/sys/net/ipv4/neigh/default/backend)
	echo "fib=$fib neigh=$neigh"
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

# The host's Debian python3 (with python3-scapy); not whatever is on PATH.
PY=/usr/bin/python3
