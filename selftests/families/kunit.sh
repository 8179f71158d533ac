#!/bin/bash
# kunit (run by selftests/kunit.sh, not in the family matrix): load our
# modules, whose KUnit suites run as they load, and turn the kernel's
# KTAP lines into TAP cases. Then unload them.
#   kunit.sh MODULE_DIR
. "$FSX_REPO/selftests/guest/lib.sh"
mod=$1
dmesg -C
ok "insmod fib_simple.ko (its KUnit suite runs)" insmod "$mod/fib_simple/fib_simple.ko"
log=$(dmesg)
echo "$log" | grep -E '(# |ok |Subtest)' | sed 's/^/# /'
ncases=0
while read -r res name; do
	ok "fib_simple: $name" test "$res" = ok
	ncases=$((ncases + 1))
done < <(echo "$log" | sed -nE 's/.*\] +(not ok|ok) [0-9]+ (fs_test_[a-z_]+).*/\1 \2/p' | sed 's/^not ok/not-ok/')
ok "the suite reported its cases" test "$ncases" -ge 3
ok "the suite passed as a whole" sh -c "echo \"\$0\" | grep -qE '\] ok [0-9]+ fib_simple'" "$log"
ok "rmmod fib_simple" rmmod fib_simple
done_testing
