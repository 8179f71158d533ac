#!/bin/bash
# Sizes from the builds make check already has (deterministic, no guest):
# text/data/bss of the FIB and neighbour objects, of net/ipv4 and net/core
# as linked, and of vmlinux, per profile (make report adds memory, lookup
# cost, Clang LTO and stock-client; scripts/report.sh).
#   selftests/sizes.sh [PROFILE...]
# PROFILEs: the builds to read (default: stock hook tiny client); stock,
# hook and tiny are needed. Prints a table, then "PASS sizes: ..." (or
# FAIL when a needed build is missing), and for client's own check
# "PASS sizes-client: ..." or, without client, "SKIP sizes-client: ...". Object sizes as binutils' size(1) counts them (text includes
# read-only data and ORC unwind tables); vmlinux as the sum of its
# functions' sizes.
set -uo pipefail
. "$(dirname "$0")/../scripts/lib.sh"

# tdb FILE...: "text data bss" summed over FILEs, or nothing.
tdb() {
	[ $# -gt 0 ] && size "$@" 2>/dev/null |
		awk 'NR > 1 { t += $1; d += $2; b += $3 } END { if (NR > 1) print t, d, b }'
}
row() { printf '%-34s %9s %7s %7s\n' "$1" "${2:--}" "${3:--}" "${4:--}"; }

all=${*:-stock hook tiny client}
with_client=0
case " $all " in *" client "*) with_client=1 ;; esac
ours=tiny
[ "$with_client" = 1 ] && ours="tiny client"
all="stock hook $ours"

printf '%-34s %9s %7s %7s\n' object text data bss
missing=
for p in stock hook; do
	o=$BUILD/kbuild-$p/net/ipv4/fib_trie.o
	[ -f "$o" ] && row "fib_trie.o ($p)" $(tdb "$o") || missing+=" $p"
done
for p in $ours; do
	objs=()
	for f in array store; do
		[ -f "$BUILD/kbuild-$p/net/ipv4/fib_simple/$f.o" ] && objs+=("$BUILD/kbuild-$p/net/ipv4/fib_simple/$f.o")
	done
	[ ${#objs[@]} = 2 ] && row "fib_simple array.o+store.o ($p)" $(tdb "${objs[@]}") || missing+=" $p"
done
# The neighbour core (hash table and all) and ARP on every profile; the
# cache that replaces the hash table for ARP where it is built in.
for p in $all; do
	for o in core/neighbour ipv4/arp; do
		f=$BUILD/kbuild-$p/net/$o.o
		[ -f "$f" ] && row "${o#*/}.o ($p)" $(tdb "$f")
	done
done
for p in $ours; do
	set -- "$BUILD"/kbuild-$p/net/core/neigh_small/{cache,store}.o
	[ -f "$1" ] && [ -f "$2" ] && row "neigh_small cache.o+store.o ($p)" $(tdb "$@") || missing+=" $p"
done
# vmlinux: its .text section is padded to a 2 MiB boundary, which hides
# differences of kilobytes; the sum of its functions' sizes does not.
code() {
	nm -S "$1" | /usr/bin/python3 -c '
import sys
print(sum(int(f[1], 16) for f in (l.split() for l in sys.stdin)
          if len(f) == 4 and f[2] in "tT"))'
}
# IPv4 as a whole: what net/ipv4 and net/core link into vmlinux.
for p in $all; do
	set -- "$BUILD/kbuild-$p"/net/{ipv4,core}/built-in.a
	[ -f "$1" ] && [ -f "$2" ] && row "net/ipv4+net/core built-in ($p)" $(tdb "$@")
done
# vmlinux: text as the sum of its functions, data and bss as size(1)
# counts them.
for p in $all; do
	v=$BUILD/kbuild-$p/vmlinux
	[ -f "$v" ] && row "vmlinux functions ($p)" "$(code "$v")" \
		$(size "$v" | awk 'NR == 2 { print $2, $3 }')
done
if [ -n "$missing" ]; then
	echo "FAIL sizes: builds missing:$missing"
	exit 1
fi
set -- $(tdb "$BUILD/kbuild-stock/net/ipv4/fib_trie.o") x
trie=$1
set -- $(tdb "$BUILD"/kbuild-tiny/net/ipv4/fib_simple/{array,store}.o) x
simple=$1
vs=$(code "$BUILD/kbuild-stock/vmlinux") vt=$(code "$BUILD/kbuild-tiny/vmlinux")
echo "PASS sizes: fib_simple text $simple = $((simple * 100 / trie))% of fib_trie.o's $trie (stock); vmlinux functions tiny - stock = $((vt - vs)) bytes"
if [ "$with_client" = 0 ]; then
	echo "SKIP sizes-client: client is not in this run's profiles (make check-full builds it)"
	exit 0
fi
set -- $(tdb "$BUILD/kbuild-stock/net/core/neighbour.o") x
nst=$1
set -- $(tdb "$BUILD/kbuild-client/net/core/neighbour.o" "$BUILD"/kbuild-client/net/core/neigh_small/{cache,store}.o) x
ncl=$1
# client has no table on the neighbour hash table: its code must be gone
# (stock's is the control: the names must be there to be missed).
# (nm's output kept whole: grep -q would end the pipe early, which
# pipefail reports as a failure)
hashfns='neigh_hash_(alloc|grow|free_rcu)'
hst=$(nm "$BUILD/kbuild-stock/vmlinux" | grep -E " [tT] $hashfns\$")
hcl=$(nm "$BUILD/kbuild-client/vmlinux" | grep -E " [tT] $hashfns\$")
if [ -z "$hst" ]; then
	echo "FAIL sizes-client: stock's vmlinux lacks the neighbour hash functions this check looks for"
	exit 1
fi
if [ -n "$hcl" ]; then
	echo "FAIL sizes-client: client's vmlinux has neighbour hash table code: $(echo "$hcl" | awk '{print $3}' | xargs)"
	exit 1
fi
echo "PASS sizes-client: neighbour.o+neigh_small (client, no hash table code: neigh_hash_* absent) $ncl vs neighbour.o $nst (stock)"
