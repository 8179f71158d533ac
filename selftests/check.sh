#!/bin/bash
# Build every profile, run every family on each, compare each with stock,
# print a profile x family table and "N passed, N failed, N skipped".
#   selftests/check.sh [--full]
# Environment: PROFILES, FAMILIES (default: compat/$KSERIES/check, else
# configs/profiles and selftests/families.conf), SEED (default 1),
# FULL_SEEDS (--full; default "2", a seed check does not run).
# A profile that cannot be built yet is SKIP with its reason, never a pass.
set -uo pipefail
. "$(dirname "$0")/../scripts/lib.sh"

full=0
[ "${1:-}" = --full ] && full=1
t0=$(date +%s)
mkdir -p "$LOGS"
summary=$LOGS/check-summary.txt
: >"$summary"
say() { echo "$*" | tee -a "$summary"; }

# What a series runs (compat/SERIES/check): CHECK_PROFILES, in their
# build and run order, CHECK_FAMILIES and CHECK_EXTRAS for check;
# FULL_PROFILES for check-full (default: every bootable profile of
# configs/profiles, in its order).
CHECK_PROFILES='' FULL_PROFILES='' CHECK_FAMILIES='' CHECK_EXTRAS='harness sizes kunit cost lint'
if [ -f "$SERIES_DIR/check" ]; then
	# shellcheck source=/dev/null
	. "$SERIES_DIR/check"
fi
extra() { case " $CHECK_EXTRAS " in *" $1 "*) return 0 ;; esac; return 1; }
if [ "$full" = 1 ]; then
	profiles=${PROFILES:-${FULL_PROFILES:-$(profiles)}}
else
	profiles=${PROFILES:-${CHECK_PROFILES:-$(profiles)}}
fi
if [ -n "${FAMILIES:-}" ]; then
	families=$FAMILIES
elif [ -n "$CHECK_FAMILIES" ] && [ "$full" = 0 ]; then
	families=$CHECK_FAMILIES
elif [ "$full" = 1 ]; then
	families=$(awk '!/^#/ && NF { print $1 }' "$ROOT/selftests/families.conf")
else
	families=$(awk '!/^#/ && NF && $3 == "check" { print $1 }' "$ROOT/selftests/families.conf")
fi
seeds=${SEED:-1}
[ "$full" = 1 ] && seeds=${FULL_SEEDS:-2}
# Families read FSX_FULL in the guest: longer runs in check-full.
FSX_FULL=$full
export FSX_FULL
# stock is the reference: it always runs, and first.
profiles="stock $(echo "$profiles" | tr ' ' '\n' | grep -vx stock | tr '\n' ' ')"

say "fsx check: $KSRC_PKG $(ksrc_version), profiles: $profiles, families: $(echo $families), seeds: $seeds"

declare -A build cell why
skipcases=0
# Builds: stock first, in the foreground; the others one after another in
# the background at nice 19 while earlier profiles' guests run, which
# leaves them the CPU and gives the build the time guests spend waiting.
# A profile's families start once its build has finished.
bdir=$LOGS/check-builds
rm -rf "$bdir" && mkdir -p "$bdir"
build_one() {
	"$ROOT/scripts/kernel.sh" "$1" >"$bdir/$1.out" 2>&1
	echo $? >"$bdir/$1.rc"
}
wait_build() {
	local p=$1 rc out
	[ -n "${build[$p]:-}" ] && return
	while [ ! -f "$bdir/$p.rc" ]; do sleep 5; done
	rc=$(cat "$bdir/$p.rc") out=$(cat "$bdir/$p.out")
	echo "$out" | tail -n 45
	case $rc in
	0) build[$p]=ok ;;
	77) build[$p]=skip; why[$p]=$(echo "$out" | sed -n 's/^SKIP: [^:]*: //p' | head -n 1) ;;
	*) build[$p]=fail; why[$p]="build failed: $(echo "$out" | grep -m1 '^error:')" ;;
	esac
}
build_one stock
wait_build stock
(
	for p in $profiles; do
		if [ "$p" != stock ]; then
			nice -n 19 "$ROOT/scripts/kernel.sh" "$p" >"$bdir/$p.out" 2>&1
			echo $? >"$bdir/$p.rc"
		fi
	done
	# What the cost checks build of the two retpoline variants, ahead of
	# them (selftests/cost.sh makes it again, incrementally).
	if extra cost && echo " $profiles " | grep -q " hook "; then
		for v in retpoline-trie retpoline-hook; do
			nice -n 19 "$ROOT/scripts/kernel.sh" "$v" modules_prepare \
				net/ipv4/fib_trie.o net/ipv4/ip_output.o >/dev/null 2>&1
		done
	fi
) &
builder=$!
trap 'kill "$builder" 2>/dev/null' EXIT

rows=()
# Checks that print "PASS NAME: ...", "FAIL NAME: ..." or "SKIP NAME: ..."
# lines: each line a row PREFIX:NAME in PROFILE's column.
run_checks() {
	local prefix=$1 profile=$2 line name
	shift 2
	while IFS= read -r line; do
		echo "$line"
		case $line in
		"PASS "* | "FAIL "* | "SKIP "*)
			name=${line#* }
			name=$prefix:${name%%:*}
			rows+=("$name")
			cell["$name|$profile"]=${line%% *} ;;
		esac
	done < <("$@" 2>&1)
}

# Checks started in the background (in check beside debug's guests, which
# wait for kmemleak; else after the families), each once: their output
# goes to a file, read into the table by collect_bg.
bgjobs=() debug_started=0 lint_started=0
# Our KUnit suites on the kernel with the runtime checkers, then the
# judge's kmemleak verdict, which must catch a leak there (harness,
# leak): one job, as both boot debug.
start_debug_checks() {
	local kf=$LOGS/check-bg-kunit-debug.out hf=$LOGS/check-bg-harness-debug.out
	[ "$debug_started" = 0 ] || return 0
	debug_started=1
	(
		"$ROOT/selftests/kunit.sh" debug >"$kf" 2>&1
		[ "${HARNESS:-1}" = 1 ] && "$ROOT/selftests/harness.sh" debug leak >"$hf" 2>&1
	) &
	bgjobs+=("kunit debug $kf $!")
	[ "${HARNESS:-1}" = 1 ] && bgjobs+=("harness debug $hf $!")
}
start_lint() {
	local f=$LOGS/check-bg-lint-hook.out
	[ "$lint_started" = 0 ] || return 0
	lint_started=1
	"$ROOT/scripts/lint.sh" >"$f" 2>&1 &
	bgjobs+=("lint hook $f $!")
}
collect_bg() {
	local j
	for j in "${bgjobs[@]}"; do
		set -- $j
		# (kunit and harness share a job: the second wait finds it reaped)
		wait "$4" 2>/dev/null
		run_checks "$1" "$2" cat "$3"
	done
	bgjobs=()
}

# The harness checks itself first: a loop that cannot fail proves nothing.
if [ "${build[stock]}" = ok ] && [ "${HARNESS:-1}" = 1 ] && extra harness; then
	run_checks harness stock "$ROOT/selftests/harness.sh" stock
fi

# Families run JOBS guests at a time (default 2): a guest spends much of
# its time waiting (timeouts, sleeps in the kernel's scripts), so two
# cores serve more than two. Each profile's runs finish before the next
# profile starts; stock runs first and every other profile is compared
# with it.
JOBS=${JOBS:-2}
running() {
	local n=0 pid
	for pid in "$@"; do kill -0 "$pid" 2>/dev/null && n=$((n + 1)); done
	echo $n
}
for seed in $seeds; do
	for f in $families; do
		row=$f
		[ "$full" = 1 ] && row="$f seed=$seed"
		rows+=("$row")
	done
	for p in $profiles; do
		wait_build "$p"
		todo=()
		for f in $families; do
			row=$f
			[ "$full" = 1 ] && row="$f seed=$seed"
			fullonly=$(awk -v f="$f" '$1 == f { print $4 }' "$ROOT/selftests/families.conf" | tr , ' ')
			case ${build[$p]} in
			skip) cell["$row|$p"]=SKIP; continue ;;
			fail) cell["$row|$p"]=FAIL; continue ;;
			esac
			never=$(awk -v f="$f" '$1 == f { print $5 }' "$ROOT/selftests/families.conf" | tr , ' ')
			if echo " $never " | grep -q " $p "; then
				echo "SKIP $p/$f: cannot run on $p (selftests/families.conf)"
				cell["$row|$p"]=SKIP
				continue
			fi
			if [ "$full" = 0 ] && echo " $fullonly " | grep -q " $p "; then
				echo "SKIP $p/$f: runs in check-full only (selftests/families.conf)"
				cell["$row|$p"]=SKIP
				continue
			fi
			todo+=("$f")
		done
		# In check, KUnit, the leak harness and lint (once hook and tiny
		# are built) run beside debug's families; check-full's debug runs
		# every family, two guests at a time, and they wait for the end.
		if [ "$full" = 0 ] && [ "$p" = debug ]; then
			[ "${build[debug]}" = ok ] && extra kunit && start_debug_checks
			[ "${build[hook]:-}" = ok ] && [ -n "${build[tiny]:-}" ] && extra lint && start_lint
		fi
		slow=$(profile_field "$p" slowdown)
		base=$RESULTS/$p
		[ "$full" = 1 ] && base=$RESULTS/seed-$seed/$p
		mkdir -p "$base"
		vmpids=()
		for f in "${todo[@]}"; do
			while [ "$(running "${vmpids[@]}")" -ge "$JOBS" ]; do sleep 1; done
			tmo=$(awk -v f="$f" '$1 == f { print $2 }' "$ROOT/selftests/families.conf")
			# CHECK/FULL: the long version's own timeout.
			if [ "$full" = 1 ]; then tmo=${tmo#*/}; else tmo=${tmo%/*}; fi
			(
				"$ROOT/selftests/vm.sh" --timeout "$((${tmo:-300} * ${slow:-1}))" \
					--seed "$seed" --out "$base/$f" "$p" "$f" >"$base/$f.vm.log" 2>&1
				echo $? >"$base/$f.vm.rc"
			) &
			vmpids+=($!)
		done
		[ ${#vmpids[@]} = 0 ] || wait "${vmpids[@]}"
		for f in "${todo[@]}"; do
			row=$f
			[ "$full" = 1 ] && row="$f seed=$seed"
			res=$base/$f
			cat "$res.vm.log"
			if [ "$(cat "$res.vm.rc")" = 0 ]; then
				cell["$row|$p"]=PASS
			else
				cell["$row|$p"]=FAIL
				grep -aE '^not ok' "$res/output.txt" 2>/dev/null | head -n 10
			fi
			# Cases a family itself skipped (a feature this kernel
			# lacks, a case flaky on stock): never counted as passes.
			ns=$(grep -acE '^ok [0-9]+ .*# SKIP' "$res/output.txt" 2>/dev/null)
			if [ "${ns:-0}" -gt 0 ]; then
				echo "NOTE $p/$f: ${ns} case(s) SKIP inside the family"
				skipcases=$((skipcases + ns))
			fi
			if [ "$p" != stock ]; then
				ref=${res/\/$p\//\/stock\/}
				if [ ! -f "$ref/rc" ]; then
					echo "FAIL $p/$f: no stock result to compare with"
					cell["$row|$p"]=FAIL
				elif ! diffs=$("$ROOT/selftests/compare.sh" "$ref" "$res"); then
					echo "FAIL $p/$f: outcomes differ from stock"
					echo "$diffs"
					echo "$diffs" >"$res/diff-vs-stock"
					cell["$row|$p"]=FAIL
				elif [ -n "$diffs" ]; then
					echo "$diffs"
				fi
			fi
		done
	done
done

for p in $profiles; do wait_build "$p"; done

# Sizes, from the builds (deterministic).
extra sizes && run_checks size stock "$ROOT/selftests/sizes.sh" $profiles

# Those not started beside debug's families start now; the cost checks
# time lookups, so they run once these are done.
[ "${build[debug]:-}" = ok ] && extra kunit && start_debug_checks
[ "${build[hook]:-}" = ok ] && extra lint && start_lint
collect_bg

if [ "${build[hook]:-}" = ok ]; then
	extra cost && run_checks cost hook "$ROOT/selftests/cost.sh"
	[ "$full" = 1 ] && run_checks lint hook "$ROOT/scripts/series-check.sh"
	[ "$full" = 1 ] && run_checks dkms hook "$ROOT/scripts/dkms-check.sh" hook
fi

# The table.
{
	printf '\n%-40s' "family \\ profile"
	for p in $profiles; do printf ' %-7s' "$p"; done
	printf '\n'
	for r in "${rows[@]}"; do
		printf '%-40s' "$r"
		for p in $profiles; do printf ' %-7s' "${cell["$r|$p"]:--}"; done
		printf '\n'
	done
	for p in $profiles; do
		[ -n "${why[$p]:-}" ] && printf '%s: %s %s\n' "$p" "${build[$p]^^}" "${why[$p]}"
	done
} | tee -a "$summary"

npass=0 nfail=0 nskip=0
for k in "${!cell[@]}"; do
	case ${cell[$k]} in
	PASS) npass=$((npass + 1)) ;;
	FAIL) nfail=$((nfail + 1)) ;;
	SKIP) nskip=$((nskip + 1)) ;;
	esac
done
say "source: $KSRC_PKG $(ksrc_version); wall time: $(($(date +%s) - t0)) s; logs: $LOGS, results: $RESULTS"
say "$npass passed, $nfail failed, $nskip skipped ($skipcases cases SKIP inside families, never counted as passes)"
[ "$nfail" = 0 ]
