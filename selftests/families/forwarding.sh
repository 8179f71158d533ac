#!/bin/bash
# forwarding: the IPv4 forwarding decisions of a router namespace (dut).
# selftests/guest/fwd.py generates route tables from FSX_SEED (nested and
# overlapping prefixes /0../32; unicast via a gateway or on-link,
# unreachable, prohibit, blackhole, throw; tos-keyed routes; metrics;
# append/prepend/replace/delete), installs them in dut, sends a few hundred
# probes from src and records where each went: the link and destination
# MAC (gateways and on-link destinations have static neighbour entries), the
# ICMP error that came back, or nothing. Its own oracle predicts each
# outcome; one case per probe, named by the prediction. Phases: p1 main
# only, p2 main changed, p3 table 100 + table default + rules (needs
# IP_MULTIPLE_TABLES; otherwise p3's cases are skips with the same names).
# Then, per outcome class, a case that the class was hit often enough.
# Observed: the dut's route dump after each phase and its rules in p3.
. "$FSX_REPO/selftests/guest/lib.sh"
seed=${FSX_SEED:-1}
echo "# seed $seed"
out=/tmp/fwd

# Rules are a kernel build option (IP_MULTIPLE_TABLES): ask a scratch
# namespace, so dut's tables stay merged until p3 adds its first rule.
rules=1 why=
ip netns add fwd-probe
if ! err=$(ip -n fwd-probe rule add from 192.0.2.0/24 lookup 100 pref 1000 2>&1); then
	rules=0
	why="no policy routing here: ip rule add: $err"
	echo "# $why"
fi
ip netns del fwd-probe

rm -rf "$out"
$PY "$FSX_REPO/selftests/guest/fwd.py" run --seed "$seed" --out "$out" \
	--rules "$rules" --why "$why" 2>&1
rc=$?

fwd_failed() {
	printf '%s\n' "$1" | tr '|' '\n' | sed 's/^ *//; s/ *$//'
	return 1
}
while IFS=$'\t' read -r status name detail; do
	case $status in
	ok) ok "$name" true ;;
	fail) ok "$name" fwd_failed "$detail" ;;
	skip) skip "$name" "$detail" ;;
	esac
done <"$out/results.tsv"
ok "fwd.py ran to the end (exit $rc)" test "$rc" = 0

observe routes-p1 cat "$out/obs-routes-p1"
observe routes-p2 cat "$out/obs-routes-p2"
if [ "$rules" = 1 ]; then
	observe routes-p3 cat "$out/obs-routes-p3"
	observe rules-p3 cat "$out/obs-rules-p3"
else
	observe_skip routes-p3 "no policy routing"
	observe_skip rules-p3 "no policy routing"
fi

for ns in dut src l1 l2 l3; do ip netns del "$ns" 2>/dev/null; done
done_testing
