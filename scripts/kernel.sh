#!/bin/bash
# Configure and build one profile in build/kbuild-PROFILE.
#   scripts/kernel.sh PROFILE              bzImage and modules
#   scripts/kernel.sh PROFILE TARGET...    only these kbuild targets
# Exit 0 built (or up to date), 77 SKIP (reason printed), else failure.
#
# Config: tinyconfig, then the profile's fragments merged in order, then
# olddefconfig; every option a fragment sets is then checked in the final
# .config, because Kconfig silently drops options whose dependencies are
# missing. The config is regenerated only when a fragment, the source or
# this script changes, and kbuild is not even entered when nothing it
# depends on changed, so a second run rebuilds no kernel.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

profile=${1:?usage: kernel.sh PROFILE [TARGET...]}
shift
targets=("$@")
profile_field "$profile" tree >/dev/null || die "unknown profile '$profile' (see configs/profiles)"
reason=$(profile_skip_reason "$profile")
if [ -n "$reason" ]; then
	echo "SKIP: $profile: $reason"
	exit 77
fi
# A "+BASE" profile boots BASE's kernel (and the modules built with it).
base=$(profile_kernel "$profile")
[ "$base" = "$profile" ] || exec "$0" "$base" "$@"

# The kernel trees: replaced only under an exclusive lock, read by builds
# under a shared one, so no build compiles a tree being replaced.
mkdir -p "$BUILD/src"
exec 7>"$BUILD/src/.trees.lock"
flock 7
tree=$(FSX_TREES_LOCKED=1 "$ROOT/scripts/source.sh" "$(profile_field "$profile" tree)")
flock -s 7
out=$BUILD/kbuild-$profile
mkdir -p "$out" "$LOGS"
# One build of a profile at a time; a second caller waits, then finds it
# up to date.
exec 9>"$out.lock"
flock 9
frags=()
for f in $(profile_field "$profile" fragments); do
	[ -f "$ROOT/configs/$f.config" ] || die "profile $profile: configs/$f.config missing"
	frags+=("$ROOT/configs/$f.config")
done
# What a kernel series needs beyond the profile's fragments, last.
[ -f "$SERIES_DIR/config" ] && frags+=("$SERIES_DIR/config")

cc=$(kernel_cc)
llvm=()
# A profile with the lto fragment is built by Clang and LLVM's tools
# (make report's size figures).
case " $(profile_field "$profile" fragments) " in
*" lto "*) cc=$(kernel_cc clang) llvm=(LLVM=1) ;;
esac
export KBUILD_BUILD_USER=fsx KBUILD_BUILD_HOST=builder
export KBUILD_BUILD_TIMESTAMP="$(date -d @0 -u)"
kmake() { make -C "$tree" O="$out" CC="$cc" "${llvm[@]}" -j"$(nproc)" "$@"; }

# Hash of everything the .config depends on.
cstamp=$( (echo "$tree"; cat "$tree/.unpacked" "$tree/.series-stamp" 2>/dev/null;
	cat "${frags[@]}" "$0") | sha256sum | cut -d' ' -f1)

# check_config: every CONFIG_ line of the fragments, last one wins, must be in
# the final .config as requested ("is not set" also matches an absent symbol).
check_config() {
	awk '
		FNR == NR { have[$1] = $2; next }
		/^CONFIG_[A-Za-z0-9_]+=/ { i = index($0, "="); want[substr($0, 1, i - 1)] = substr($0, i + 1); next }
		/^# CONFIG_[A-Za-z0-9_]+ is not set/ { want[$2] = "n" }
		END {
			bad = 0
			for (k in want) {
				h = (k in have) ? have[k] : "n"
				if (h != want[k]) {
					printf "  %s: requested %s, got %s\n", k, want[k], h
					bad = 1
				}
			}
			exit bad
		}' <(sed -n -e 's/^\(CONFIG_[A-Za-z0-9_]*\)=\(.*\)/\1 \2/p' \
			-e 's/^# \(CONFIG_[A-Za-z0-9_]*\) is not set/\1 n/p' "$out/.config") "${frags[@]}"
}

if [ ! -f "$out/.config" ] || [ "$(cat "$out/.config-stamp" 2>/dev/null)" != "$cstamp" ]; then
	# An O= dir is tied to one source tree.
	if [ -f "$out/.tree" ] && [ "$(cat "$out/.tree")" != "$tree" ]; then
		note "$profile: source tree changed, starting a clean build dir"
		rm -rf "$out" && mkdir -p "$out"
	fi
	echo "$tree" >"$out/.tree"
	note "$profile: configuring (tinyconfig + ${frags[*]##*/})"
	cp "$out/.config" "$out/.config.old-fsx" 2>/dev/null || true
	kmake -s ARCH=x86_64 tinyconfig >/dev/null
	KCONFIG_CONFIG="$out/.config" "$tree/scripts/kconfig/merge_config.sh" -m -O "$out" \
		"$out/.config" "${frags[@]}" >"$LOGS/config-$profile.log" 2>&1
	kmake -s ARCH=x86_64 olddefconfig >>"$LOGS/config-$profile.log" 2>&1
	if ! bad=$(check_config); then
		echo "$bad" >&2
		die "$profile: options above did not end up as requested (missing dependencies?); see $LOGS/config-$profile.log"
	fi
	# Keep the old file (and its mtime) when nothing changed.
	if [ -f "$out/.config.old-fsx" ] && cmp -s "$out/.config" "$out/.config.old-fsx"; then
		mv "$out/.config.old-fsx" "$out/.config"
	fi
	rm -f "$out/.config.old-fsx"
	echo "$cstamp" >"$out/.config-stamp"
fi

if [ ${#targets[@]} -gt 0 ]; then
	note "$profile: building ${targets[*]}"
	echo "fsx: profile $profile from $KSRC_PKG $(cat "$tree/.unpacked") ($tree)" >"$LOGS/build-$profile.log"
	kmake ARCH=x86_64 "${targets[@]}" >>"$LOGS/build-$profile.log" 2>&1 ||
		die "$profile: building ${targets[*]} failed; see $LOGS/build-$profile.log"
	exit 0
fi

# Hash of everything the image depends on: config, source, our sources.
bstamp=$( (echo "$cstamp"; cat "$out/.config";
	for d in fib_simple neigh_small; do
		[ -d "$ROOT/$d" ] && find "$ROOT/$d" -type f | sort | xargs -r sha256sum
	done; sha256sum "$ROOT/compat/compat.h"; true) |
	sha256sum | cut -d' ' -f1)
image=$out/arch/x86/boot/bzImage
# Our modules, where the config makes them modules, built out of tree
# against this build (scripts/modules.sh, itself up-to-date aware).
our_modules() {
	grep -qE '^CONFIG_(IP_FIB_SIMPLE|NEIGH_SMALL)=m' "$out/.config" || return 0
	"$ROOT/scripts/modules.sh" "$profile" >/dev/null ||
		die "$profile: our modules do not build; see $BUILD/modules-$profile/build.log"
}
if [ -f "$image" ] && [ "$(cat "$out/.build-stamp" 2>/dev/null)" = "$bstamp" ]; then
	note "$profile: up to date ($KSRC_PKG $(cat "$tree/.unpacked")), not rebuilding"
	our_modules
	exit 0
fi
note "$profile: building $KSRC_PKG $(cat "$tree/.unpacked") in $out (log: $LOGS/build-$profile.log)"
start=$(date +%s)
echo "fsx: profile $profile from $KSRC_PKG $(cat "$tree/.unpacked") ($tree)" >"$LOGS/build-$profile.log"
if ! kmake ARCH=x86_64 bzImage modules >>"$LOGS/build-$profile.log" 2>&1; then
	tail -n 40 "$LOGS/build-$profile.log" >&2
	die "$profile: kernel build failed; see $LOGS/build-$profile.log"
fi
echo "$bstamp" >"$out/.build-stamp"
cat "$tree/.unpacked" >"$out/.ksrc-version"
note "$profile: built in $(($(date +%s) - start)) s"
our_modules
