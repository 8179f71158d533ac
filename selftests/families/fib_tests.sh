#!/bin/bash
# fib_tests: the kernel's own tools/testing/selftests/net/fib_tests.sh, from
# the pristine source (the same script for every profile), one group at a
# time. Each "TEST: ... [ OK ]/[FAIL]" line becomes a TAP case named
# "GROUP: message" (with "#k" for the k-th repeat of a message in a group).
#   fib_tests.sh [GROUP...]     default: the IPv4 groups the base config runs
. "$FSX_REPO/selftests/guest/lib.sh"

groups=${*:-$(cat "$FSX_REPO/selftests/families/fib_tests.groups" | sed 's/#.*//')}
src=$FSX_KSRC/tools/testing/selftests/net
[ -f "$src/fib_tests.sh" ] || { echo "not ok 1 - $src/fib_tests.sh missing"; exit 1; }
# It writes scratch files next to itself: run a copy on the guest's tmpfs.
# lib.sh: the scripts of 6.8 on source it; 6.1's have none and need none.
mkdir -p /tmp/fib_tests && cp "$src/fib_tests.sh" $(ls "$src/lib.sh" 2>/dev/null) /tmp/fib_tests/ &&
	cd /tmp/fib_tests || exit 1

for g in $groups; do
	log=$(bash ./fib_tests.sh -t "$g" 2>&1)
	rc=$?
	echo "$log" | sed 's/^/# /'
	ncases=0
	while IFS=$'\t' read -r res name; do
		ok "$name" test "$res" = OK
		ncases=$((ncases + 1))
	done < <(kselftest_results "$g" "$log")
	# A group that ran nothing (skipped for a missing tool or config) must
	# not look like a pass.
	ok "$g: ran at least one case (exit $rc)" test "$ncases" -gt 0
done
done_testing
