#!/bin/bash
# Every prefix of the series must build: apply patches 1..k for each k and
# build vmlinux and modules with the hook profile's config (make
# check-full; the O= dir and ccache make the steps after the first cheap).
#   scripts/series-check.sh
# Prints "PASS series-K: NAME" or "FAIL series-K: NAME ..." per patch.
set -uo pipefail
. "$(dirname "$0")/lib.sh"
pristine=$("$ROOT/scripts/source.sh" pristine)
[ -f "$BUILD/kbuild-hook/.config" ] || die "build the hook profile first"
work=$BUILD/series-check
tree=$work/linux
out=$work/kbuild
mkdir -p "$work" "$out"
status=0
mapfile -t patches < <(series_patches)
for k in $(seq 1 ${#patches[@]}); do
	rm -rf "$tree"
	cp -al "$pristine" "$tree"
	ok=1
	for p in "${patches[@]:0:k}"; do
		patch -d "$tree" -p1 --batch --forward --no-backup-if-mismatch -s <"$SERIES_DIR/$p" ||
			{ ok=0; break; }
	done
	name=${patches[k - 1]}
	if [ "$ok" = 0 ]; then
		echo "FAIL series-$k: $name does not apply"
		status=1
		continue
	fi
	cp "$BUILD/kbuild-hook/.config" "$out/.config"
	if make -C "$tree" O="$out" CC="$(kernel_cc)" -j"$(nproc)" olddefconfig vmlinux modules \
		>"$work/build-$k.log" 2>&1; then
		echo "PASS series-$k: $name"
	else
		echo "FAIL series-$k: $name does not build (see $work/build-$k.log)"
		status=1
	fi
done
exit $status
