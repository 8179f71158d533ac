#!/bin/bash
# sabotage: deliberately broken runs that the judge must catch. Used only by
# selftests/harness.sh, which checks that each one FAILS for the right reason.
#   sabotage.sh exit1|hang|panic|warn MODULE_DIR|leak MODULE_DIR|value V
. "$FSX_REPO/selftests/guest/lib.sh"
case $1 in
exit1)
	ok "a case that passes" true
	echo "1..1"
	exit 1 ;;
hang)
	ok "a case that passes" true
	sleep 100000 ;;
panic)
	ok "a case that passes" true
	echo c >/proc/sysrq-trigger ;;
warn)
	# The script itself passes; only the console shows the WARN_ON.
	ok "load a module that triggers WARN_ON" insmod "$2/fsx_warn.ko"
	ok "unload it" rmmod fsx_warn ;;
leak)
	# The script passes; only kmemleak's scan at the end of the run (vm.sh,
	# debug kernels) finds the object the module dropped.
	ok "load a module that leaks an object" insmod "$2/fsx_leak.ko" ;;
value)
	ok "value is $2" true ;;
*)
	ok "known sabotage mode '$1'" false ;;
esac
done_testing
