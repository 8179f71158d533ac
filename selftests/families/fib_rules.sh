#!/bin/bash
# fib_rules: the IPv4 groups of the kernel's own
# tools/testing/selftests/net/fib_rule_tests.sh, from the pristine source
# (the same script for every profile), one group at a time, the way
# fib_tests.sh runs fib_tests.sh. Each "TEST: ... [ OK ]/[FAIL]" line
# becomes a TAP case named "GROUP: message" ("#k" for the k-th repeat of a
# message in a group), and each group adds "GROUP: ran at least one case"
# and "GROUP: cases as listed in fib_rules.groups".
#   fib_rules.sh [GROUP...]     default: the groups in fib_rules.groups
#
# Expected case names: fib_rules.groups lists, per group, every case name
# the group produces on stock (recorded from a stock run, checked by hand
# against the script). They are needed where the script cannot run: on a
# kernel without policy routing (`ip rule add` answers "Operation not
# supported", e.g. the client profile), without VRF (fib_rule4_vrf) or
# without IPv6 (the script's setup() adds IPv6 addresses under `set -e`),
# the family emits `skip` for exactly those names, never a pass. Where the
# script runs, the list is an oracle too: the case names it printed must be
# the listed ones, in order (a newer iproute2 with `ip rule ... dscp`, for
# example, adds cases; then update the list from a stock run).
#
# Flaky cases (rule): a case whose outcome differed between two boots of
# the same stock kernel is still run, but always reported as
#   ok N - NAME # SKIP flaky on stock (...)
# whatever its outcome; the outcome goes to a "# flaky: NAME: OK|FAIL"
# diagnostic line. It is never a pass (nor a failure), so it can neither
# hide a regression as a pass nor make two runs of one kernel differ.
# FLAKY (extended regular expressions on the full case name) holds what
# stock runs showed to differ, and nothing else did:
#   fib_rule4_connect "rule4 dsfield udp connect (dsfield 0x04..0x07)":
#   nettest sends one UDP datagram and waits 5 s for the echo. On stock
#   (2026-11-29) 2, 0 and 1 of the 4 failed in three boots, and 0, 3, 2, 3,
#   3 and 1 in six runs of the group within one boot; any of the four can
#   fail. The datagram does leave through the dsfield rule's table (the
#   peer receives and echoes it); the echo then finds no socket in the
#   client's namespace (UdpNoPorts, ICMP port unreachable), so the flake
#   is in nettest's socket timing, not in the FIB lookup. The tcp and
#   "no connect" cases of the group never changed and are counted.
. "$FSX_REPO/selftests/guest/lib.sh"

# A series whose script differs has its own list in compat/SERIES/.
list=$FSX_REPO/selftests/families/fib_rules.groups
[ -f "$FSX_REPO/compat/${FSX_KSERIES:-}/fib_rules.groups" ] &&
	list=$FSX_REPO/compat/$FSX_KSERIES/fib_rules.groups
FLAKY=(
	'^fib_rule4_connect: rule4 dsfield udp connect \(dsfield 0x0[4-7]\)$'
)
FLAKY_WHY="flaky on stock (outcome changed between two boots of the same kernel)"

expected_all() { grep -v '^#' "$list" | grep -v '^[[:space:]]*$'; }
expected() { expected_all | grep -E "^$1: "; }
groups=${*:-$(expected_all | sed 's/: .*//' | uniq)}

src=$FSX_KSRC/tools/testing/selftests/net
[ -f "$src/fib_rule_tests.sh" ] || { echo "not ok 1 - $src/fib_rule_tests.sh missing"; exit 1; }
# It writes scratch files next to itself and needs nettest (a C program of
# the selftests, not installed on the host): build it on the guest's tmpfs.
# lib.sh: the scripts of 6.8 on source it; 6.1's have none and need none.
mkdir -p /tmp/fib_rules && cp "$src/fib_rule_tests.sh" $(ls "$src/lib.sh" 2>/dev/null) /tmp/fib_rules/ &&
	cd /tmp/fib_rules || exit 1
ok "nettest: built from the kernel source" gcc -O1 -w -o nettest "$src/nettest.c"

# What this kernel can do, by behaviour, in a scratch namespace.
absent() { grep -qE 'Operation not supported|Address family not supported|Unknown device type'; }
why_rules='' why_ipv6='' why_vrf=''
ip netns add fsx-probe
ip -n fsx-probe link set lo up
ip -n fsx-probe rule add pref 1000 to 192.0.2.0/24 table 100 2>&1 | absent &&
	why_rules="no IPv4 policy routing (ip rule add: not supported)"
ip -n fsx-probe -6 addr add 2001:db8:1::1/64 dev lo 2>&1 | absent &&
	why_ipv6="no IPv6 (the script's setup adds IPv6 addresses)"
ip -n fsx-probe link add fsx-vrf type vrf table 102 2>&1 | absent &&
	why_vrf="no VRF (ip link add type vrf: not supported)"
ip netns del fsx-probe
echo "# probe: rules=${why_rules:-yes} ipv6=${why_ipv6:-yes} vrf=${why_vrf:-yes}"

is_flaky() {
	local re
	for re in "${FLAKY[@]}"; do
		[[ $1 =~ $re ]] && return 0
	done
	return 1
}

for g in $groups; do
	want=$(expected "$g")
	why=${why_rules:-$why_ipv6}
	[ "$g" = fib_rule4_vrf ] && why=${why:-$why_vrf}
	if [ -n "$why" ]; then
		while IFS= read -r name; do
			[ -n "$name" ] && skip "$name" "$why"
		done <<<"$want"
		skip "$g: ran at least one case" "$why"
		skip "$g: cases as listed in fib_rules.groups" "$why"
		continue
	fi

	log=$(bash ./fib_rule_tests.sh -t "$g" 2>&1)
	rc=$?
	echo "$log" | sed 's/^/# /'
	echo "# $g: fib_rule_tests.sh exited $rc"
	ncases=0 got=
	while IFS=$'\t' read -r res name; do
		if is_flaky "$name"; then
			echo "# flaky: $name: $res (not counted)"
			skip "$name" "$FLAKY_WHY"
		else
			ok "$name" test "$res" = OK
		fi
		got+="$name"$'\n'
		ncases=$((ncases + 1))
	done < <(kselftest_results "$g" "$log")
	# A group that ran nothing (skipped for a missing tool or config) must
	# not look like a pass.
	ok "$g: ran at least one case" test "$ncases" -gt 0
	ok "$g: cases as listed in fib_rules.groups" \
		diff <(echo "$want") <(printf '%s' "$got")
done
done_testing
