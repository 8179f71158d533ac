#!/bin/bash
# What the FIB ops hook costs with the trie as the only implementation
# serving tables, measured against stock and against the trie itself.
#   selftests/cost.sh
# Prints figures, then one "PASS NAME: ..." or "FAIL NAME: ..." line per
# check; exit 1 on a FAIL.
#   text     vmlinux text of hook vs stock, and of the FIB objects (figures)
#   lookup   bench module on hook, one boot: lookups through
#            fib_table_lookup() vs direct fib_trie_lookup(), interleaved,
#            median of repeats; passes when the median ratio is inside the
#            noise band of a second direct run (an A/A comparison)
#   disasm   with MITIGATION_RETPOLINE and JUMP_LABEL, what a caller of
#            fib_table_lookup() compiles to (the bench's time_hook()): a
#            kernel that can only have the trie has no indirect call on the
#            lookup path; a hook kernel has one, at the target of a
#            jump label whose nop falls through to the direct call
#   neigh-lookup  the same for ARP lookups (__ipv4_neigh_lookup_noref(),
#            every transmit), with the ARP table on the hash table:
#            selftests/bench/neigh_bench.ko on hook, one boot, lookups
#            through the core's inline (which tests the neigh_store_used
#            static key) vs a copy of stock's hash walk, with its A/A band
#   neigh-disasm  what neigh_bench's time_hook() compiles to in the two
#            retpoline builds (selftests/bench/lookup_path.py follows it
#            through the functions it calls): with no store configured the
#            stock hash walk instruction for instruction, no jump label,
#            no indirect call; with the store switch a neigh_store_used
#            jump label in the lookup loop, reached only after the hash
#            walk (a miss tests it), whose target alone reaches the
#            store (neigh_store_lookup_u32(), the key by value); plus the
#            kernel's own transmit path, ip_finish_output2() in
#            ip_output.o: with the key off as many indirect calls as
#            without a store, the store call only with the key on
set -uo pipefail
. "$(dirname "$0")/../scripts/lib.sh"
PY=/usr/bin/python3
status=0
pass() { echo "PASS $1: $2"; }
fail() { echo "FAIL $1: $2"; status=1; }

# --- text ---
text() { size "$1" 2>/dev/null | awk 'NR == 2 { print $1 }'; }
st=$(text "$BUILD/kbuild-stock/vmlinux") ht=$(text "$BUILD/kbuild-hook/vmlinux")
if [ -n "$st" ] && [ -n "$ht" ]; then
	echo "cost: vmlinux text stock=$st hook=$ht delta=$((ht - st)) bytes"
	for o in fib_trie fib_table fib_store fib_frontend fib_semantics; do
		echo "cost: net/ipv4/$o.o text stock=$(text "$BUILD/kbuild-stock/net/ipv4/$o.o" || echo -)" \
			"hook=$(text "$BUILD/kbuild-hook/net/ipv4/$o.o" || echo -)"
	done
fi

# --- lookup, neigh-lookup ---
LOOKUPS=200000 REPEATS=21 NEIGHS=64
mdir=$BUILD/bench-hook
rm -rf "$mdir" && mkdir -p "$mdir" && cp "$ROOT"/selftests/bench/* "$mdir"/
make -C "$BUILD/kbuild-hook" M="$mdir" modules >"$mdir/build.log" 2>&1
# bench CHECK FAMILY ARGS...: boot hook, run the bench family, judge its
# rows (hook, direct, direct2 cycles a repeat).
bench() {
	local check=$1 family=$2 res=$RESULTS/hook/$2 v verdict
	shift 2
	if [ ! -f "$mdir/$family.ko" ]; then
		fail "$check" "bench module does not build (see $mdir/build.log)"
	elif ! v=$("$ROOT/selftests/vm.sh" --timeout 900 --seed "${SEED:-1}" --out "$res" hook "$family" "$mdir" "$@" 2>&1); then
		fail "$check" "bench run failed: $(echo "$v" | tail -n 1)"
	else
		verdict=$("$PY" - "$res/bench.txt" "$LOOKUPS" <<'PYEOF'
import re, statistics, sys
rows = [dict(re.findall(r'(\w+)=(\d+)', l)) for l in open(sys.argv[1])]
hook = [int(r['hook']) / int(r['direct']) for r in rows]
aa = sorted(int(r['direct2']) / int(r['direct']) for r in rows)
med = statistics.median(hook)
# Noise band: the A/A ratios without their extremes.
lo, hi = aa[1], aa[-2]
cyc = statistics.median(int(r['direct']) for r in rows) / int(sys.argv[2])
# How often each arm was slower than direct (figures: a sign test).
slower = sum(int(r['hook']) > int(r['direct']) for r in rows)
slower2 = sum(int(r['direct2']) > int(r['direct']) for r in rows)
print("%s median hook/direct=%.3f, noise band (direct2/direct, %d repeats, "
      "extremes dropped)=%.3f..%.3f, direct %.0f TSC cycles/lookup under TCG; "
      "slower than direct: hook in %d/%d repeats, direct2 in %d/%d"
      % ("PASS" if med <= max(hi, 1.0) else "FAIL", med, len(rows), lo, hi, cyc,
         slower, len(rows), slower2, len(rows)))
PYEOF
)
		case $verdict in
		PASS*) pass "$check" "${verdict#PASS }" ;;
		*) fail "$check" "${verdict#FAIL }" ;;
		esac
	fi
}
bench lookup fib_bench 16 "$LOOKUPS" "$REPEATS"
# ARP: NEIGHS permanent entries on a dummy device; one lookup in eight a miss.
bench neigh-lookup neigh_bench "$NEIGHS" "$LOOKUPS" "$REPEATS"

# --- disasm ---
# fn_body OBJ FUNC: FUNC's disassembly with relocations, one line each.
# By address and size from the symbol table: the compiler may fold
# identical functions into one, which objdump then names only once.
fn_body() {
	local a n
	read -r a n < <(objdump -t "$1" | awk -v f="$2" '$NF == f && $3 == "F" { print $1, $5 }')
	[ -n "$a" ] || return 0
	objdump -dr --no-show-raw-insn --start-address=$((0x$a)) \
		--stop-address=$((0x$a + 0x$n)) "$1" | awk '/^ *[0-9a-f]+:/ || /R_X86_64/'
}
# insn_at BODY REGEX: address (hex) of the instruction whose relocation or
# text matches REGEX (relocations are printed on the line after it).
insn_at() {
	echo "$1" | awk -v re="$2" '
		/^ *[0-9a-f]+:\t/ { a = $1; sub(":", "", a) }
		$0 ~ re { print a; exit }'
}
# fib_table_lookup() is inline: the lookup path is what a caller compiles
# to. The bench module's time_hook() is a loop of nothing but lookups.
for v in retpoline-trie retpoline-hook; do
	d=$BUILD/bench-$v
	rm -rf "$d" && mkdir -p "$d" && cp "$ROOT"/selftests/bench/* "$d"/
	if ! "$ROOT/scripts/kernel.sh" "$v" modules_prepare net/ipv4/fib_trie.o net/ipv4/ip_output.o >/dev/null 2>&1; then
		fail disasm "$v: modules_prepare failed (see $LOGS/build-$v.log)"
		continue
	fi
	make -C "$BUILD/kbuild-$v" M="$d" fib_bench.o >"$d/build.log" 2>&1 ||
		fail disasm "$v: fib_bench.o does not build (see $d/build.log)"
	make -C "$BUILD/kbuild-$v" M="$d" neigh_bench.o >"$d/build-neigh.log" 2>&1 ||
		fail neigh-disasm "$v: neigh_bench.o does not build (see $d/build-neigh.log)"
done
thunk='__x86_indirect_thunk|call +\*|jmp +\*'
t=$BUILD/bench-retpoline-trie/fib_bench.o h=$BUILD/bench-retpoline-hook/fib_bench.o
trie=$BUILD/kbuild-retpoline-trie/net/ipv4/fib_trie.o
if [ -f "$t" ] && [ -f "$h" ] && [ -f "$trie" ]; then
	tl=$(fn_body "$t" time_hook)
	tt=$(fn_body "$trie" fib_trie_lookup)
	hl=$(fn_body "$h" time_hook)
	start=$(objdump -t "$h" | awk '$NF == "time_hook" && $3 == "F" { print $1 }')
	direct=$(insn_at "$hl" 'fib_trie_lookup')
	indirect=$(insn_at "$hl" "$thunk")
	# __jump_table entries of the hook object: code and target, as .text offsets.
	jumps=$(objdump -r -j __jump_table "$h" 2>/dev/null |
		awk '/R_X86_64_PC32/ { sub(/.*\.text\+0x/, "", $3); printf "%s ", $3 }')
	guarded=$("$PY" - "${start:-0}" "${direct:-0}" "${indirect:-0}" $jumps <<'PYEOF'
import sys
start, direct, indirect = (int(x, 16) for x in sys.argv[1:4])
j = [int(x, 16) for x in sys.argv[4:]]
# Entries are (code, target) pairs: a jump-label nop before the direct call
# whose jump target leads to the indirect call, off the fall-through path.
print(any(start <= c < direct < t <= indirect for c, t in zip(j[0::2], j[1::2])))
PYEOF
)
	if [ -z "$tl" ] || [ -z "$tt" ] || [ -z "$hl" ]; then
		fail disasm "time_hook or fib_trie_lookup not found in the objects"
	elif echo "$tl$tt" | grep -qE "$thunk"; then
		fail disasm "trie-only kernel: indirect call on the lookup path: $(echo "$tl$tt" | grep -E "$thunk" | head -n 1)"
	elif ! echo "$tl" | grep -q 'fib_trie_lookup'; then
		fail disasm "trie-only kernel: fib_table_lookup() does not call fib_trie_lookup directly"
	elif [ -z "$direct" ] || [ -z "$indirect" ]; then
		fail disasm "hook kernel: the lookup lacks the direct call (${direct:-none}) or the dispatch (${indirect:-none})"
	elif [ "$guarded" != True ]; then
		fail disasm "hook kernel: the indirect call is not behind a jump label that the direct call precedes"
	else
		same=no
		[ "$(fn_body "$t" time_hook)" = "$(fn_body "$t" time_direct)" ] && same=yes
		pass disasm "trie-only: fib_table_lookup() inlines to a direct call of fib_trie_lookup (the lookup loop identical to the direct one: $same), no indirect call there or in fib_trie_lookup; hook: jump-label nop, direct call, retpoline thunk only at the jump label's target"
	fi
fi

# --- neigh-disasm ---
# The neighbour lookup is all inline; at -Os the compiler keeps some of it
# out of line, so lookup_path.py follows time_hook() through every call
# into the object and judges the whole path (see its header).
nt=$BUILD/bench-retpoline-trie/neigh_bench.o nh=$BUILD/bench-retpoline-hook/neigh_bench.o
kt=$BUILD/kbuild-retpoline-trie/net/ipv4/ip_output.o kh=$BUILD/kbuild-retpoline-hook/net/ipv4/ip_output.o
if [ -f "$nt" ] && [ -f "$nh" ] && [ -f "$kt" ] && [ -f "$kh" ]; then
	v=$("$PY" "$ROOT/selftests/bench/lookup_path.py" neigh "$nh" "$nt" "$kh" "$kt" 2>&1)
	echo "$v" | sed -n 's/^# /cost: neigh-disasm: /p'
	case $v in
	PASS*) pass neigh-disasm "$(echo "$v" | head -n 1 | cut -d' ' -f2-)" ;;
	FAIL*) fail neigh-disasm "$(echo "$v" | head -n 1 | cut -d' ' -f2-)" ;;
	*) fail neigh-disasm "lookup_path.py: $(echo "$v" | tail -n 1)" ;;
	esac
else
	fail neigh-disasm "neigh_bench.o or ip_output.o missing for a retpoline build"
fi
exit $status
