#!/bin/bash
# Kernel-style checks, with the kernel's own tools from the pristine tree.
#   scripts/lint.sh
# Prints one "PASS NAME: ..." or "FAIL NAME: ..." line per check:
#   checkpatch-c        checkpatch --strict on our C files: clean (but for
#                       LINUX_VERSION_CODE in compat/compat.h, whose job it is)
#   checkpatch-patches  checkpatch --strict on compat/*/ patches: clean but
#                       for the "does MAINTAINERS need updating" warning on
#                       new files under net/ipv4/ and net/core/, which
#                       MAINTAINERS already covers (NETWORKING [IPv4/IPv6],
#                       NETWORKING [GENERAL])
#   sparse              make C=2 on every .c file the series touches, on
#                       stock and on hook: no warning that stock does not
#                       have (compared without line numbers)
#   sparse-ours         make C=2 on our sources, built in (tiny): no warning
set -uo pipefail
. "$(dirname "$0")/lib.sh"
status=0
pass() { echo "PASS $1: $2"; }
fail() { echo "FAIL $1: $2"; status=1; }
tree=$("$ROOT/scripts/source.sh" pristine)
cp=$tree/scripts/checkpatch.pl
out=$BUILD/lint
mkdir -p "$out"

cd "$ROOT" || exit 1
mapfile -t cfiles < <(git ls-files '*.c' '*.h')
if [ ${#cfiles[@]} = 0 ]; then
	fail checkpatch-c "no C files found"
else
	perl "$cp" --no-tree --strict --terse --show-types -f "${cfiles[@]}" >"$out/checkpatch-c.txt" 2>&1
	# compat/compat.h is where a kernel version may be tested (its
	# LINUX_VERSION_CODE warnings); nowhere else.
	reports=$(grep -E ': (ERROR|WARNING|CHECK):' "$out/checkpatch-c.txt" |
		grep -vE '^compat/compat\.h:[0-9]+: WARNING:LINUX_VERSION_CODE:')
	n=$(echo -n "$reports" | grep -c .)
	if [ "$n" = 0 ]; then
		pass checkpatch-c "${#cfiles[@]} files clean"
	else
		fail checkpatch-c "$n reports: $(echo "$reports" | head -n 1)"
	fi
fi

mapfile -t patches < <(ls "$ROOT"/compat/*/0*.patch 2>/dev/null | grep -v /0000-cover-letter.patch)
if [ ${#patches[@]} = 0 ]; then
	echo "SKIP checkpatch-patches: no patches"
else
	perl "$cp" --no-tree --strict --terse --show-types "${patches[@]}" >"$out/checkpatch-patches.txt" 2>&1
	# Known false positives, each checked where it is reported:
	#  - FILE_PATH_CHANGES on a new file in a directory MAINTAINERS covers;
	#  - EXPORT_SYMBOL right after DEFINE_STATIC_KEY_*(), which checkpatch
	#    does not take for the definition (the kernel has many, e.g.
	#    memalloc_socks_key in net/core/sock.c).
	bad=$(grep -E ': (ERROR|WARNING|CHECK):' "$out/checkpatch-patches.txt" |
		while IFS=: read -r file line level type rest; do
			case $type in
			FILE_PATH_CHANGES) continue ;;
			EXPORT_SYMBOL)
				sed -n "$((line - 1))p" "$file" | grep -qE '^\+(static )?DEFINE_STATIC_KEY_(TRUE|FALSE)\(' &&
					continue ;;
			esac
			echo "$file:$line:$level:$type:$rest"
		done)
	if [ -z "$bad" ]; then
		pass checkpatch-patches "${#patches[@]} patches clean"
	else
		fail checkpatch-patches "$(echo "$bad" | wc -l) reports: $(echo "$bad" | head -n 1)"
	fi
fi

# sparse: the .c files the series touches, as objects of both builds.
mapfile -t touched < <(cat "$ROOT"/compat/"$KSERIES"/0*.patch 2>/dev/null |
	sed -n 's|^+++ b/\(.*\.c\)$|\1|p' | sort -u)
if [ ${#touched[@]} = 0 ]; then
	echo "SKIP sparse: the series touches no .c file"
elif [ ! -f "$BUILD/kbuild-stock/.config" ] || [ ! -f "$BUILD/kbuild-hook/.config" ]; then
	fail sparse "needs the stock and hook builds"
else
	objs=()
	for f in "${touched[@]}"; do objs+=("${f%.c}.o"); done
	for p in stock hook; do
		t=$(cat "$BUILD/kbuild-$p/.tree")
		# Objects the profile does not build (a new file on stock) are left out.
		have=()
		for o in "${objs[@]}"; do [ -f "$t/${o%.o}.c" ] && have+=("$o"); done
		make -C "$t" O="$BUILD/kbuild-$p" C=2 CC="$(kernel_cc)" -j"$(nproc)" "${have[@]}" >"$out/sparse-$p.log" 2>&1
		grep -E '^[^ ]+:[0-9]+:[0-9]+: (warning|error):' "$out/sparse-$p.log" |
			sed -E -e 's/:[0-9]+:[0-9]+:/:/' -e 's#^[^ ]*/(net|include|arch|kernel|lib|mm)/#\1/#' |
			sort >"$out/sparse-$p.txt"
	done
	new=$(comm -13 "$out/sparse-stock.txt" "$out/sparse-hook.txt")
	if [ -z "$new" ]; then
		pass sparse "${#touched[@]} files, $(wc -l <"$out/sparse-hook.txt") warnings on hook, none new against stock"
	else
		fail sparse "$(echo "$new" | wc -l) new: $(echo "$new" | head -n 1)"
	fi
fi
# sparse on our own sources, as the built-in objects of tiny.
if [ ! -f "$BUILD/kbuild-tiny/.config" ]; then
	echo "SKIP sparse-ours: needs the tiny build"
else
	t=$(cat "$BUILD/kbuild-tiny/.tree")
	dirs=()
	while read -r opt dir path; do
		[ -n "$opt" ] && grep -q "^CONFIG_$opt=y" "$BUILD/kbuild-tiny/.config" && dirs+=("$path/")
	done <<<"$BUILTIN_SOURCES"
	make -C "$t" O="$BUILD/kbuild-tiny" C=2 CC="$(kernel_cc)" -j"$(nproc)" "${dirs[@]}" >"$out/sparse-ours.log" 2>&1
	n=$(grep -cE '^[^ ]+:[0-9]+:[0-9]+: (warning|error):' "$out/sparse-ours.log")
	if [ "$n" = 0 ] && grep -q CHECK "$out/sparse-ours.log"; then
		pass sparse-ours "${dirs[*]}: no warning"
	else
		fail sparse-ours "$n warnings: $(grep -m1 -E '(warning|error):' "$out/sparse-ours.log")"
	fi
fi
exit $status
