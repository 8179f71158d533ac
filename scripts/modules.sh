#!/bin/bash
# Build our modules out of tree against a profile's kernel build, in
# build/modules-PROFILE (a copy of the sources, so that builds against
# different profiles never share objects). Nothing is rebuilt when neither
# the sources nor the kernel build changed; a rebuild is made beside the old
# directory and swapped in, so a guest using the old one is not disturbed.
#   scripts/modules.sh PROFILE      prints the directory on its last line
set -euo pipefail
. "$(dirname "$0")/lib.sh"

profile=${1:?usage: modules.sh PROFILE}
kb=$BUILD/kbuild-$profile
[ -f "$kb/Module.symvers" ] || die "profile $profile is not built (scripts/kernel.sh $profile)"
mdir=$BUILD/modules-$profile
exec 8>"$mdir.lock"
flock 8
stamp=$( (cat "$kb/Module.symvers" "$kb/.build-stamp" 2>/dev/null; cd "$ROOT" &&
	find Kbuild compat/compat.h $(ls -d fib_simple neigh_small 2>/dev/null) -type f | sort | xargs sha256sum) |
	sha256sum | cut -d' ' -f1)
if [ "$(cat "$mdir/.stamp" 2>/dev/null)" != "$stamp" ]; then
	new=$mdir.new
	rm -rf "$new"
	mkdir -p "$new"
	cp "$ROOT/Kbuild" "$new/"
	# Our sources include ../compat/compat.h.
	mkdir -p "$new/compat" && cp "$ROOT/compat/compat.h" "$new/compat/"
	for d in fib_simple neigh_small; do
		[ -d "$ROOT/$d" ] && cp -r "$ROOT/$d" "$new/"
	done
	if ! make -C "$kb" M="$new" CC="$(kernel_cc)" -j"$(nproc)" modules >"$new/build.log" 2>&1; then
		tail -n 30 "$new/build.log"
		die "modules for $profile do not build (log: $new/build.log)"
	fi
	echo "$stamp" >"$new/.stamp"
	rm -rf "$mdir.old"
	[ -d "$mdir" ] && mv "$mdir" "$mdir.old"
	mv "$new" "$mdir"
	rm -rf "$mdir.old"
fi
find "$mdir" -name '*.ko' | sed "s|^$ROOT/||"
echo "$mdir"
