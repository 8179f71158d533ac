#!/bin/bash
# Build our modules out of tree against a profile's kernel build, in
# build/modules-PROFILE (a copy of the sources, so that builds against
# different profiles never share objects).
#   scripts/modules.sh PROFILE      prints the directory on its last line
set -euo pipefail
. "$(dirname "$0")/lib.sh"

profile=${1:?usage: modules.sh PROFILE}
kb=$BUILD/kbuild-$profile
[ -f "$kb/Module.symvers" ] || die "profile $profile is not built (scripts/kernel.sh $profile)"
mdir=$BUILD/modules-$profile
rm -rf "$mdir"
mkdir -p "$mdir"
cp "$ROOT/Kbuild" "$mdir/"
for d in fib_simple neigh_small; do
	[ -d "$ROOT/$d" ] && cp -r "$ROOT/$d" "$mdir/"
done
make -C "$kb" M="$mdir" CC="$(kernel_cc)" -j"$(nproc)" modules >"$mdir/build.log" 2>&1 ||
	{ tail -n 30 "$mdir/build.log"; die "modules for $profile do not build (log: $mdir/build.log)"; }
find "$mdir" -name '*.ko' | sed "s|^$ROOT/||"
echo "$mdir"
