#!/bin/bash
# make demo: build the smallest profile that can be built (tiny; stock until
# the core patches exist), boot it, show a two-host network working, and say
# what was built from which source.
set -euo pipefail
. "$(dirname "$0")/../scripts/lib.sh"

profile=tiny
reason=$(profile_skip_reason tiny)
if [ -n "$reason" ]; then
	note "tiny: $reason; showing stock instead"
	profile=stock
fi
"$ROOT/scripts/kernel.sh" "$profile"
out=$BUILD/kbuild-$profile
tree=$(cat "$out/.tree")
echo
echo "Built: profile $profile from $KSRC_PKG $(cat "$out/.ksrc-version") ($tree)"
echo "  patches: $( (series_patches | grep . || echo none) | tr '\n' ' ')"
[ "$(profile_field "$profile" tree)" = pristine ] && echo "  (pristine tree: the series is not applied to stock)"
echo "  config: tinyconfig + $(profile_field "$profile" fragments) (configs/)"
echo "  image: $out/arch/x86/boot/bzImage, $(stat -c %s "$out/arch/x86/boot/bzImage") bytes"
echo "  vmlinux text/data/bss: $(size "$out/vmlinux" | awk 'NR == 2 { print $1 "/" $2 "/" $3 }')"
echo
log=$LOGS/console-$profile-demo.log
: >"$log"
FSX_LOG=$log "$ROOT/selftests/vm.sh" --timeout 300 "$profile" demo >"$LOGS/demo-verdict.txt" 2>&1 &
vm=$!
# Follow the guest: its script's output, not the kernel's boot messages.
tail -n +1 -f --pid=$vm "$log" | grep --line-buffered -avE '^\[ *[0-9]+\.[0-9]+\]' || true
wait $vm && rc=0 || rc=$?
echo
cat "$LOGS/demo-verdict.txt"
exit $rc
