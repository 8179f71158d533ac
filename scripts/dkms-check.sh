#!/bin/bash
# DKMS: dkms.conf builds our modules against a profile's kernel build tree
# (default hook), in a private DKMS tree under build/: nothing is written
# to /var/lib/dkms, /usr/src or /lib/modules.
#   scripts/dkms-check.sh [PROFILE]
# Prints a PASS or FAIL line per check (selftests/check.sh makes them rows
# dkms:NAME in check-full):
#   build     `dkms add` and `dkms build --kernelsourcedir` succeed and
#             leave both modules where dkms.conf says they are built
#   vermagic  each module's vermagic names the kernel's release
#   same      each module defines the same symbols, with the same sizes,
#             as the one scripts/modules.sh builds from the same sources
set -uo pipefail
. "$(dirname "$0")/lib.sh"

profile=${1:-hook}
kb=$BUILD/kbuild-$profile
mods="fib_simple neigh_small"
fail() { echo "FAIL $1: $2"; status=1; }
status=0

command -v dkms >/dev/null || { echo "FAIL build: dkms is not installed (make deps)"; exit 1; }
[ -f "$kb/Module.symvers" ] || { echo "FAIL build: profile $profile is not built"; exit 1; }
kver=$(make -s -C "$kb" kernelrelease 2>/dev/null)
[ -n "$kver" ] || { echo "FAIL build: no kernelrelease from $kb"; exit 1; }
name=$(sed -n 's/^PACKAGE_NAME="\(.*\)"/\1/p' "$ROOT/dkms.conf")
ver=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' "$ROOT/dkms.conf")

d=$BUILD/dkms-$profile
rm -rf "$d"
mkdir -p "$d/source/$name-$ver/compat" "$d/tree" "$d/install"
cp -r "$ROOT/dkms.conf" "$ROOT/Kbuild" "$ROOT/fib_simple" "$ROOT/neigh_small" "$d/source/$name-$ver/"
cp "$ROOT/compat/compat.h" "$d/source/$name-$ver/compat/"
dk() {
	dkms --dkmstree "$d/tree" --sourcetree "$d/source" --installtree "$d/install" "$@"
}
log=$d/dkms.log
if ! { dk add -m "$name" -v "$ver" &&
	dk build -m "$name" -v "$ver" -k "$kver" --kernelsourcedir "$kb"; } >"$log" 2>&1; then
	tail -n 20 "$log"
	tail -n 20 "$d/tree/$name/$ver/build/make.log" 2>/dev/null
	fail build "dkms add/build against $kb ($kver) failed; log: $log"
	exit 1
fi
built=$d/tree/$name/$ver/$kver/x86_64/module
for m in $mods; do
	[ -f "$built/$m.ko" ] || [ -f "$built/$m.ko.xz" ] || fail build "$m.ko not in $built"
done
[ "$status" = 0 ] && echo "PASS build: dkms $name/$ver built $mods for $kver from $kb (private tree $d)"

ours=$("$ROOT/scripts/modules.sh" "$profile" | tail -n 1)
symbols() { nm -S --defined-only "$1" | awk '{ print $NF, (NF == 4 ? $2 " " $3 : "- " $2) }' | sort; }
vm_ok=1 same_ok=1
for m in $mods; do
	k=$built/$m.ko
	[ -f "$k" ] || continue
	magic=$(modinfo -F vermagic "$k")
	case $magic in
	"$kver "*) ;;
	*) fail vermagic "$m.ko: vermagic '$magic', kernel $kver"; vm_ok=0 ;;
	esac
	ref=$(find "$ours" -name "$m.ko" | head -n 1)
	if [ -z "$ref" ]; then
		fail same "scripts/modules.sh built no $m.ko for $profile"; same_ok=0
	elif ! diff <(symbols "$ref") <(symbols "$k") >"$d/$m.symdiff"; then
		fail same "$m.ko: symbols differ from scripts/modules.sh's ($d/$m.symdiff)"; same_ok=0
	fi
done
[ "$vm_ok" = 1 ] && echo "PASS vermagic: $mods: $kver"
[ "$same_ok" = 1 ] && echo "PASS same: $mods define the same symbols and sizes as scripts/modules.sh's build"
exit "$status"
