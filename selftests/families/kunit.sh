#!/bin/bash
# kunit (run by selftests/kunit.sh, not in the family matrix): load our
# modules, whose KUnit suites run as they load, and turn the kernel's
# KTAP lines into TAP cases. Then unload them.
#   kunit.sh MODULE_DIR
. "$FSX_REPO/selftests/guest/lib.sh"
mod=$1
# module, its suite's name, the prefix of its case names, fewest cases
for m in "fib_simple fib_simple fib_simple_test 3" "neigh_small neigh_small nsmall_test 3"; do
	read -r name suite prefix min <<<"$m"
	dmesg -C
	ok "insmod $name.ko (its KUnit suite runs)" insmod "$mod/$name/$name.ko"
	log=$(dmesg)
	echo "$log" | grep -E '(# |ok |Subtest)' | sed 's/^/# /'
	ncases=0
	while read -r res case; do
		ok "$name: $case" test "$res" = ok
		ncases=$((ncases + 1))
	done < <(echo "$log" | sed -nE "s/.*\] +(not ok|ok) [0-9]+ (${prefix}_[a-z_]+).*/\1 \2/p" | sed 's/^not ok/not-ok/')
	ok "$name: the suite reported its cases" test "$ncases" -ge "$min"
	ok "$name: the suite passed as a whole" sh -c "echo \"\$0\" | grep -qE '\] ok [0-9]+ $suite\$'" "$log"
	ok "rmmod $name" rmmod "$name"
done
done_testing
