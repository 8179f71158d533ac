# shellcheck shell=bash
# Common settings for the build and test scripts. Sourced, not run.

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
KSERIES=${KSERIES:-6.12}
SERIES_DIR=$ROOT/compat/$KSERIES
[ -f "$SERIES_DIR/series" ] || { echo "error: KSERIES=$KSERIES: no compat/$KSERIES/series" >&2; exit 1; }
# The first series builds in build/, every other in build/SERIES: kernels,
# results and logs of two series never mix.
if [ -z "${BUILD:-}" ]; then
	BUILD=$ROOT/build
	[ "$KSERIES" = 6.12 ] || BUILD=$ROOT/build/$KSERIES
fi
# The Debian source package we build from, and the version we pin
# (compat/SERIES/pin). apt keeps several security updates of a series;
# scripts/deps.sh installs the pinned one when apt still serves it and
# otherwise the newest, and every log names the one actually built.
KSRC_PKG=linux-source-$KSERIES
KSRC_PIN=${KSRC_PIN:-$(cat "$SERIES_DIR/pin" 2>/dev/null || true)}
LOGS=$BUILD/logs
RESULTS=${RESULTS:-$BUILD/results}

# kernel_cc [COMPILER]: the CC kbuild is given (gcc, or COMPILER), through
# ccache when installed; the same for every make in a build dir, or kbuild
# rebuilds what it compiled with another.
kernel_cc() {
	local c=${1:-gcc}
	if command -v ccache >/dev/null; then echo "ccache $c"; else echo "$c"; fi
}

die() { echo "error: $*" >&2; exit 1; }
note() { echo "==> $*" >&2; }

# Installed version of the kernel source package, e.g. 6.12.117-1~deb12u1.
ksrc_version() {
	dpkg-query -W -f='${Version}' "$KSRC_PKG" 2>/dev/null
}

# Version as a path component (no '~').
ksrc_tag() {
	local v
	v=$(ksrc_version) || return 1
	[ -n "$v" ] || return 1
	echo "${v//\~/_}"
}

# Patch files named by the series, one per line, comments dropped.
series_patches() {
	[ -f "$SERIES_DIR/series" ] || return 0
	sed -e 's/#.*//' -e 's/[[:space:]]*$//' -e '/^$/d' "$SERIES_DIR/series"
}

# profile_field NAME FIELD: FIELD is tree, fragments, fib, neigh, mem or
# slowdown. A profile whose tree is "+BASE" boots BASE's kernel with our
# modules loaded at boot; its fragments are then MODULE[:PARAM,...].
profile_field() {
	awk -v p="$1" -v f="$2" '
		/^#/ || NF == 0 { next }
		$1 == p {
			n = NF
			if (f == "tree") print $2
			else if (f == "fib") print $(n - 3)
			else if (f == "neigh") print $(n - 2)
			else if (f == "mem") print $(n - 1)
			else if (f == "slowdown") print $n
			else if (f == "fragments") {
				s = ""
				for (i = 3; i <= n - 4; i++) s = s (s ? " " : "") $i
				print s
			}
			found = 1
		}
		END { exit !found }' "$ROOT/configs/profiles"
}

# The profiles that boot (build-only variants have mem "-").
profiles() {
	awk '/^#/ || NF == 0 || $(NF - 1) == "-" { next } { print $1 }' "$ROOT/configs/profiles"
}

# Our sources that a built-in (=y) option needs in the kernel tree.
#   CONFIG_SYMBOL  directory-in-this-repo  place-in-the-kernel-tree
BUILTIN_SOURCES="
IP_FIB_SIMPLE fib_simple net/ipv4/fib_simple
NEIGH_SMALL neigh_small net/core/neigh_small
"

# The profile whose kernel NAME boots: NAME, or BASE for a "+BASE" tree.
profile_kernel() {
	local t
	t=$(profile_field "$1" tree) || return 1
	case $t in +*) echo "${t#+}" ;; *) echo "$1" ;; esac
}

# The modules a "+BASE" profile loads at boot, as MODULE[:PARAM,...] words.
profile_modules() {
	case $(profile_field "$1" tree) in +*) profile_field "$1" fragments ;; esac
}

# Why a profile cannot be built yet, or nothing when it can.
profile_skip_reason() {
	local f sym dir where
	if [ "$(profile_kernel "$1")" != "$1" ]; then
		profile_skip_reason "$(profile_kernel "$1")"
		return
	fi
	if [ "$(profile_field "$1" tree)" = patched ] && [ -z "$(series_patches)" ]; then
		echo "needs the core hook patches; compat/$KSERIES/series lists none yet"
		return
	fi
	for f in $(profile_field "$1" fragments); do
		while read -r sym dir where; do
			[ -n "$sym" ] || continue
			if grep -q "^CONFIG_$sym=y" "$ROOT/configs/$f.config" && [ ! -f "$ROOT/$dir/Kbuild" ]; then
				echo "needs $dir/ built in (CONFIG_$sym=y), which is not written yet"
				return
			fi
		done <<<"$BUILTIN_SOURCES"
	done
}
