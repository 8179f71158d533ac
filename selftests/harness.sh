#!/bin/bash
# The harness tests itself: each sabotage must make the judge FAIL, within
# its timeout, naming the profile, the test and the right reason.
#   selftests/harness.sh [PROFILE]      (default stock)
#   selftests/harness.sh PROFILE leak   only the kmemleak sabotage (a
#                                       kernel with kmemleak: debug)
# Prints "PASS NAME: detected ..." or "FAIL NAME: missed ..." per sabotage;
# exit 1 on a miss.
set -uo pipefail
. "$(dirname "$0")/../scripts/lib.sh"
p=${1:-stock}
base=$RESULTS/harness/$p
mkdir -p "$base"
missed=0

# expect NAME REGEX TIMEOUT ARGS...: run the sabotage family, expect FAIL
# and a verdict matching REGEX.
expect() {
	local name=$1 re=$2 tmo=$3 v
	shift 3
	v=$("$ROOT/selftests/vm.sh" --timeout "$tmo" --out "$base/$name" "$p" sabotage "$@" 2>&1 | tail -n 1)
	if echo "$v" | grep -q "^FAIL $p/sabotage" && echo "$v" | grep -qE "$re"; then
		echo "PASS $name: detected: $v"
	else
		echo "FAIL $name: missed: expected a FAIL matching /$re/, got: $v"
		missed=1
	fi
}

# The sabotage modules, built against this profile's tree.
mdir=$BUILD/harness-module-$p
rm -rf "$mdir" && mkdir -p "$mdir" && cp "$ROOT"/selftests/sabotage/* "$mdir"/
built=1
make -C "$BUILD/kbuild-$p" M="$mdir" modules >"$mdir/build.log" 2>&1 || built=0

if [ "${2:-}" = leak ]; then
	# The script passes; kmemleak's scan at the end of the run must find
	# the object fsx_leak.ko dropped (allocated in "fsx_fib_leak") and
	# the judge must fail the run for it.
	if [ "$built" = 1 ]; then
		expect leak 'kmemleak: 1 unreferenced object.*fsx_fib_leak' 600 leak "$mdir"
	else
		echo "FAIL leak: could not build the leaking module (see $mdir/build.log)"
		missed=1
	fi
	exit $missed
fi

expect exit1 'guest script exited 1' 120 exit1
expect hang 'timed out after 45s' 45 hang
expect panic 'guest never reported.*Kernel panic|Kernel panic.*guest never' 120 panic

# The script passes, the console's WARNING must fail the run.
if [ "$built" = 1 ]; then
	expect warn 'kernel console: WARNING' 120 warn "$mdir"
else
	echo "FAIL warn: could not build the WARN_ON module (see $mdir/build.log)"
	missed=1
fi

# Two runs whose outcomes differ: the comparison must say so, naming the case.
"$ROOT/selftests/vm.sh" --timeout 120 --out "$base/diff/ref/value" "$p" sabotage value A >/dev/null 2>&1
"$ROOT/selftests/vm.sh" --timeout 120 --out "$base/diff/other/value" "$p" sabotage value B >/dev/null 2>&1
if d=$("$ROOT/selftests/compare.sh" "$base/diff/ref/value" "$base/diff/other/value"); then
	echo "FAIL diff: missed: compare.sh found no difference"
	missed=1
elif echo "$d" | grep -q '^< ok value is A' && echo "$d" | grep -q '^> ok value is B'; then
	echo "PASS diff: detected: $(echo "$d" | tr "\n" " ")"
else
	echo "FAIL diff: missed: compare.sh output does not name the case: $d"
	missed=1
fi
exit $missed
