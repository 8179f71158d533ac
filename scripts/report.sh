#!/bin/bash
# make report: size, memory and lookup cost of ours against stock, side by
# side. Builds what it needs, boots `hook` once for the figures only a
# running kernel gives, and writes build/report/: report.csv (every
# figure), report.txt (the terminal table), *.png (plots, gnuplot) and
# results.md (the README's results section, made from the CSV alone).
#   scripts/report.sh [--no-lto] [--no-guest]   everything (make report)
#   scripts/report.sh --readme                  put build/report/results.md
#                                               into README.md (make
#                                               report-readme; never in CI)
# Environment: REPORT_ROUTES (default "4 8 16 64 256 1024"), REPORT_REPEATS
# (default 7), REPORT_LOOKUPS (default 20000), SEED (default 1).
#
# Sizes come from the builds: stock, hook, tiny, client, and stock-client
# (stock's source with client's small-system options, so that client's
# saving is ours alone); with LTO (not --no-lto) the same four vmlinux
# again built by Clang with full LTO (lto-*; there the .o files are
# bitcode, so only vmlinux figures count). Memory and lookup cost come
# from selftests/families/report.sh in one boot of hook, which switches
# backends between measurements (QEMU TCG: ratios within the boot, not
# absolute speeds).
set -uo pipefail
. "$(dirname "$0")/lib.sh"
R=$BUILD/report
PY=/usr/bin/python3
README_BEGIN='<!-- report:begin (scripts/report.sh --readme writes this section from build/report/report.csv; do not edit) -->'
README_END='<!-- report:end -->'

if [ "${1:-}" = --readme ]; then
	[ -f "$R/results.md" ] || die "no $R/results.md: run make report first"
	grep -qF "$README_BEGIN" "$ROOT/README.md" && grep -qF "$README_END" "$ROOT/README.md" ||
		die "README.md lacks the report markers"
	mkdir -p "$ROOT/docs/report"
	cp "$R"/*.png "$ROOT/docs/report/"
	"$PY" - "$ROOT/README.md" "$R/results.md" "$README_BEGIN" "$README_END" <<'PYEOF'
import sys
path, section, begin, end = sys.argv[1:5]
text = open(path).read()
head, rest = text.split(begin, 1)
_, tail = rest.split(end, 1)
open(path, 'w').write(head + begin + '\n' + open(section).read() + end + tail)
PYEOF
	note "README.md: results section from $R/results.md; plots in docs/report/"
	exit 0
fi

lto=1 guest=1
for a in "$@"; do
	case $a in
	--no-lto) lto=0 ;;
	--no-guest) guest=0 ;;
	*) die "usage: scripts/report.sh [--no-lto] [--no-guest] | --readme" ;;
	esac
done
"$ROOT/scripts/deps.sh" report || exit 1
mkdir -p "$R" "$LOGS"
start=$(date +%s)

profiles="stock hook tiny client stock-client"
[ "$lto" = 1 ] && profiles+=" lto-stock lto-tiny lto-stock-client lto-client"
for p in $profiles; do
	"$ROOT/scripts/kernel.sh" "$p" || die "$p does not build (see $LOGS/build-$p.log)"
done

csv=$R/report.csv
echo "section,what,subject,n,value,unit" >"$csv"
row() { echo "$1,$2,$3,$4,$5,$6" >>"$csv"; }
# tdb FILE...: "text data bss" summed over FILEs (size(1): text includes
# read-only data), or nothing.
tdb() {
	[ $# -gt 0 ] && size "$@" 2>/dev/null |
		awk 'NR > 1 { t += $1; d += $2; b += $3 } END { if (NR > 1) print t, d, b }'
}
size_rows() {
	local name=$1 t d b
	shift
	read -r t d b < <(tdb "$@") || return 0
	row size text "$name" "" "$t" bytes
	row size data "$name" "" "$d" bytes
	row size bss "$name" "" "$b" bytes
}
# vmlinux: the sum of its functions' sizes (its .text is padded to 2 MiB,
# which hides kilobytes), and data and bss as size(1) counts them.
vmlinux_rows() {
	local p=$1 v=$BUILD/kbuild-$1/vmlinux t d b
	[ -f "$v" ] || return 0
	row size vmlinux-functions "$p" "" "$(nm -S "$v" | "$PY" -c '
import sys
print(sum(int(f[1], 16) for f in (l.split() for l in sys.stdin)
          if len(f) == 4 and f[2] in "tT"))')" bytes
	read -r t d b < <(size "$v" | awk 'NR == 2 { print $1, $2, $3 }')
	row size vmlinux-text "$p" "" "$t" bytes
	row size vmlinux-data "$p" "" "$d" bytes
	row size vmlinux-bss "$p" "" "$b" bytes
}
K=$BUILD/kbuild
size_rows "fib_trie.o (stock)" "$K-stock/net/ipv4/fib_trie.o"
size_rows "fib_simple (tiny)" "$K-tiny/net/ipv4/fib_simple/array.o" "$K-tiny/net/ipv4/fib_simple/store.o"
size_rows "fib_table.o (tiny)" "$K-tiny/net/ipv4/fib_table.o"
size_rows "fib_table.o+fib_store.o (hook)" "$K-hook/net/ipv4/fib_table.o" "$K-hook/net/ipv4/fib_store.o"
for p in stock hook tiny client stock-client; do
	size_rows "neighbour.o ($p)" "$K-$p/net/core/neighbour.o"
done
size_rows "neigh_small (tiny)" "$K-tiny/net/core/neigh_small/cache.o" "$K-tiny/net/core/neigh_small/store.o"
for p in stock hook tiny client stock-client; do
	# IPv4 as a whole: what net/ipv4 and net/core link into vmlinux
	size_rows "net/ipv4 built-in ($p)" "$K-$p/net/ipv4/built-in.a"
	size_rows "net/core built-in ($p)" "$K-$p/net/core/built-in.a"
done
for p in $profiles; do
	vmlinux_rows "$p"
done

if [ "$guest" = 1 ]; then
	b=$R/bench
	rm -rf "$b" && mkdir -p "$b"
	cp "$ROOT"/selftests/report/report_bench.c "$ROOT"/selftests/bench/fib_bench.c \
		"$ROOT"/selftests/bench/neigh_keys.h "$ROOT"/selftests/bench/fib_main.h "$b"/
	printf 'obj-m += report_bench.o\nobj-m += fib_bench.o\n' >"$b/Kbuild"
	make -C "$K-hook" M="$b" modules >"$b/build.log" 2>&1 ||
		die "the report's bench modules do not build (see $b/build.log)"
	"$ROOT/scripts/modules.sh" hook >/dev/null || die "our modules do not build for hook"
	routes=${REPORT_ROUTES:-4 8 16 64 256 1024}
	rm -rf "$R/guest"
	"$ROOT/selftests/vm.sh" --timeout 2400 --seed "${SEED:-1}" --out "$R/guest" hook report \
		"$b" "$routes" "${REPORT_REPEATS:-7}" "${REPORT_LOOKUPS:-20000}" ||
		die "the report's guest run failed (see $R/guest and $LOGS)"
	"$PY" "$ROOT/scripts/report.py" guest "$R/guest/report.txt" >>"$csv" ||
		die "cannot read $R/guest/report.txt"
fi

"$PY" "$ROOT/scripts/report.py" render "$csv" "$R" || die "report.py render failed"
cat "$R/report.txt"
note "report: $csv, $R/*.png, $R/results.md in $(($(date +%s) - start)) s (scripts/report.sh --readme puts results.md into README.md)"
