#!/bin/bash
# KUnit suites of our modules, on the debug profile (KUnit, lockdep,
# PROVE_RCU, KASAN, kmemleak): build them against it, load them in a
# guest, one PASS/FAIL line per case.
#   selftests/kunit.sh [PROFILE]     default debug
set -uo pipefail
. "$(dirname "$0")/../scripts/lib.sh"
p=${1:-debug}
if ! out=$("$ROOT/scripts/modules.sh" "$p" 2>&1); then
	echo "FAIL build: $(echo "$out" | tail -n 1)"
	exit 1
fi
mdir=$(echo "$out" | tail -n 1)
res=$RESULTS/$p/kunit
mkdir -p "$RESULTS/$p"
slow=$(profile_field "$p" slowdown)
"$ROOT/selftests/vm.sh" --timeout $((120 * ${slow:-1})) --seed "${SEED:-1}" --out "$res" "$p" kunit "$mdir" >"$res.log" 2>&1
rc=$?
while IFS= read -r line; do
	case $line in
	"ok "*) echo "PASS ${line#ok * - }: KUnit case passed" | sed 's/: /./' ;;
	"not ok "*) echo "FAIL ${line#not ok * - }: see $res/output.txt" | sed 's/: /./' ;;
	esac
done < <(grep -aE '^(not )?ok [0-9]+ - (fib_simple: fib_simple|neigh_small: nsmall)_test' "$res/output.txt" 2>/dev/null)
if [ "$rc" = 0 ]; then
	echo "PASS suites: $(grep -ac '^ok' "$res/output.txt") checks; $(sed -n 's/.*# \(\(fib_simple\|neigh_small\): pass.*\)/\1/p' "$res/output.txt" | paste -sd';')"
else
	echo "FAIL suite: $(tail -n 1 "$res.log")"
fi
exit $rc
