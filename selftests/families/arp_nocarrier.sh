#!/bin/bash
# arp_nocarrier: the IPv4 cases of the kernel's own
# tools/testing/selftests/net/arp_ndisc_evict_nocarrier.sh, from the
# pristine source (the same script for every profile): an ARP entry
# learnt over a veth is flushed when the link loses its carrier with
# arp_evict_nocarrier=1 (the default) and kept with the device's or all's
# arp_evict_nocarrier=0.
#
# The script has no option to choose its cases: it always ends with
# `run_all_tests`, which runs the three IPv4 cases (functions run_arp_*)
# and then the three IPv6 ones. We run a copy in which that one line
# calls the run_arp_* functions instead, in the order the script defines
# them (the copy is checked to differ from the original in that line
# only). Running it whole and dropping the IPv6 results would also do,
# but its exit status would then mix in the IPv6 cases, an IPv6 setup
# failure exits the script, and a kernel without IPv6 (client) would run
# cases that can only fail.
#
# It reports each case as a line "run NAME test" followed by a line "ok"
# or "failed" (no "TEST: ... [ OK ]" lines, so lib.sh's
# kselftest_results does not apply); a failed setup prints "failed" and
# exits. Each case becomes a TAP case "arp_nocarrier: NAME"; a case that
# printed no result fails, and so does a run that did not report every
# IPv4 case (or found none).
. "$FSX_REPO/selftests/guest/lib.sh"
T=arp_ndisc_evict_nocarrier.sh
src=$FSX_KSRC/tools/testing/selftests/net
[ -f "$src/$T" ] || { echo "not ok 1 - $src/$T missing"; echo "1..1"; exit 1; }
# It sources lib.sh from its own directory: run a copy on the guest's tmpfs.
W=/tmp/arp_nocarrier
# lib.sh: the scripts of 6.8 on source it; 6.1's have none and need none.
mkdir -p $W && cp "$src/$T" $(ls "$src/lib.sh" 2>/dev/null) $W/ && cd $W || exit 1

# The IPv4 cases: the run_arp_* functions, in the order they are defined.
mapfile -t v4 < <(sed -nE 's/^(run_arp_[a-z_]+)\(\) *\{? *$/\1/p' "$src/$T")
echo "# IPv4 cases: ${v4[*]}"
calls=$(printf '%s; ' "${v4[@]}")
sed -E "s/^run_all_tests\$/${calls%; }/" "$src/$T" >$W/$T
patched() {
	local d
	d=$(diff "$src/$T" $W/$T | grep -E '^[<>]')
	echo "$d"
	[ "${#v4[@]}" -gt 0 ] &&
		[ "$d" = "$(printf '< run_all_tests\n> %s' "${calls%; }")" ]
}
ok "$T: a copy that runs only the IPv4 cases" patched

log=$(bash ./$T 2>&1)
rc=$?
echo "# ${log//$'\n'/$'\n'# }"
echo "# exit $rc"

# "RESULT<tab>NAME" per case: the result line after each "run NAME test".
results() {
	local line cur='' have=0
	while IFS= read -r line; do
		case $line in
		"run "*" test")
			[ "$have" = 1 ] && printf 'none\t%s\n' "$cur"
			cur=${line#run }
			cur=${cur% test}
			have=1
			;;
		ok | failed)
			[ "$have" = 1 ] && printf '%s\t%s\n' "$line" "$cur"
			have=0
			;;
		esac
	done
	[ "$have" = 1 ] && printf 'none\t%s\n' "$cur"
	return 0
}
case_ok() {
	echo "result: $1"
	[ "$1" = ok ]
}
n=0
while IFS=$'\t' read -r res name; do
	ok "arp_nocarrier: $name" case_ok "$res"
	n=$((n + 1))
done < <(echo "$log" | results)
# A run that executed no case, or stopped early, must not look like a pass.
all_ran() {
	echo "$n of ${#v4[@]} IPv4 cases reported (exit $rc)"
	[ "${#v4[@]}" -gt 0 ] && [ "$n" = "${#v4[@]}" ]
}
ok "arp_nocarrier: every IPv4 case ran" all_ran
done_testing
