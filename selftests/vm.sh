#!/bin/bash
# Boot a profile's kernel under QEMU, run one guest family script, judge it.
#
#   selftests/vm.sh [--timeout S] [--seed N] [--out DIR] PROFILE FAMILY [ARGS...]
#   selftests/vm.sh --interactive PROFILE        a shell on the serial console
#
# The guest sees the host root read-only over virtio-9p (so it uses the
# host's python3, scapy, iproute2, net-tools and busybox), this checkout
# read-only and the results dir writable, both mounted at their host paths.
# A generated init runs selftests/families/FAMILY.sh and ends the VM.
#
# Verdict (printed, and written to DIR/verdict): FAIL when the run timed
# out, the guest never reported an exit status, the script exited non-zero,
# the TAP output has a "not ok", the backends were not the profile's, the
# console shows a panic, Oops, BUG, WARNING, lockdep/RCU splat or KASAN
# report (selftests/splat-patterns) even if the script passed, or, on a
# kernel with kmemleak, its scan at the end of the run finds an object
# allocated through our code or the code we patch (others are noted).
# Exit status: 0 PASS, 1 FAIL.
set -euo pipefail
. "$(dirname "$0")/../scripts/lib.sh"

timeout=300 seed=${SEED:-1} out= interactive=0
while [ $# -gt 0 ]; do
	case $1 in
	--timeout) timeout=$2; shift 2 ;;
	--seed) seed=$2; shift 2 ;;
	--out) out=$2; shift 2 ;;
	--interactive) interactive=1; shift ;;
	*) break ;;
	esac
done
profile=${1:?usage: vm.sh [options] PROFILE FAMILY [ARGS...]}
shift
if [ "$interactive" = 1 ]; then family=shell; else family=${1:?FAMILY missing}; shift; fi
[ "$interactive" = 1 ] || [ -f "$ROOT/selftests/families/$family.sh" ] ||
	die "no family '$family' (selftests/families/$family.sh)"

# A "+BASE" profile boots BASE's kernel and loads our modules first.
kprofile=$(profile_kernel "$profile") || die "unknown profile $profile"
image=$BUILD/kbuild-$kprofile/arch/x86/boot/bzImage
[ -f "$image" ] || die "$image missing: run 'make kernel PROFILE=$profile'"
moddir=$BUILD/modules-$kprofile
load=
for m in $(profile_modules "$profile"); do
	name=${m%%:*} params=
	[ "$name" = "$m" ] || params=${m#*:}
	[ -f "$moddir/$name/$name.ko" ] || die "$moddir/$name/$name.ko missing: run 'make kernel PROFILE=$profile'"
	load+="insmod $(printf '%q' "$moddir/$name/$name.ko") ${params//,/ } || echo \"FSX: insmod $name failed\""$'\n'
done
mem=$(profile_field "$profile" mem) || die "unknown profile $profile"
want_fib=$(profile_field "$profile" fib)
want_neigh=$(profile_field "$profile" neigh)
ksrc=$("$ROOT/scripts/source.sh" pristine)
kver=$(cat "$BUILD/kbuild-$kprofile/.ksrc-version" 2>/dev/null || echo unknown)

out=${out:-$RESULTS/$profile/$family}
rm -rf "$out"
mkdir -p "$out" "$LOGS"
out=$(cd "$out" && pwd)
log=$LOGS/console-$profile-$family.log
[ -n "${FSX_LOG:-}" ] && log=$FSX_LOG

q() { printf '%q' "$1"; }
# The generated init. Everything it needs is baked in; paths are the host's.
cat >"$out/init" <<INIT
#!/bin/bash
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export HOME=/tmp TERM=dumb LC_ALL=C PYTHONDONTWRITEBYTECODE=1
export FSX_PROFILE=$(q "$profile") FSX_FAMILY=$(q "$family") FSX_SEED=$(q "$seed")
export FSX_REPO=$(q "$ROOT") FSX_RES=$(q "$out") FSX_KSRC=$(q "$ksrc")
export FSX_KVER=$(q "$kver") FSX_MODDIR=$(q "$moddir") FSX_FULL=$(q "${FSX_FULL:-0}")
export FSX_KSERIES=$(q "$KSERIES")
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
ln -s /proc/self/fd /dev/fd
ln -s fd/0 /dev/stdin; ln -s fd/1 /dev/stdout; ln -s fd/2 /dev/stderr
mkdir -p /dev/shm /dev/pts
mount -t tmpfs shm /dev/shm
mount -t tmpfs run /run
mount -t tmpfs tmp /tmp
mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
# The checkout and the results dir at their host paths (which may be under
# the /tmp we just hid).
mkdir -p "\$FSX_REPO" 2>/dev/null
mount -t 9p -o trans=virtio,version=9p2000.L,cache=loose,ro repo "\$FSX_REPO" || echo "FSX: mounting the checkout failed"
mkdir -p "\$FSX_RES" 2>/dev/null
mount -t 9p -o trans=virtio,version=9p2000.L results "\$FSX_RES" || echo "FSX: mounting the results dir failed"
ip link set lo up
hostname guest
$load. "\$FSX_REPO/selftests/guest/lib.sh"
fsx_backends >"\$FSX_RES/backend-start"
uname -r >"\$FSX_RES/uname"
echo "FSX-BEGIN profile=\$FSX_PROFILE family=\$FSX_FAMILY seed=\$FSX_SEED source=$(q "$KSRC_PKG") \$FSX_KVER \$(cat "\$FSX_RES/backend-start")"
# kmemleak (debug): the judge reads what is unreferenced at the end
# (kmemleak-end.txt; no scan before the family: each costs up to a
# minute on debug, and boot left nothing in any run so far).
kml=/sys/kernel/debug/kmemleak
cd /tmp
if [ "\$FSX_FAMILY" = shell ]; then
	setsid -c bash -i </dev/ttyS0 >/dev/ttyS0 2>&1
	rc=\$?
else
	bash "\$FSX_REPO/selftests/families/\$FSX_FAMILY.sh" $(for a in "$@"; do printf '%q ' "$a"; done) </dev/null 2>&1 | tee "\$FSX_RES/output.txt"
	rc=\${PIPESTATUS[0]}
fi
fsx_backends >"\$FSX_RES/backend-end"
if [ "\$FSX_FAMILY" != shell ] && [ -w \$kml ]; then
	t0=\$(date +%s)
	kmemleak_report >"\$FSX_RES/kmemleak-end.txt"
	echo "FSX: kmemleak: \$((\$(date +%s) - t0)) s to wait and scan twice"
fi
echo "\$rc" >"\$FSX_RES/rc"
echo "FSX-END rc=\$rc"
sync
umount "\$FSX_RES"
echo b >/proc/sysrq-trigger
INIT
chmod +x "$out/init"

accel=tcg
[ "${KVM:-0}" = 1 ] && accel=kvm
serial=(-serial "file:$log")
[ "$interactive" = 1 ] && serial=(-serial mon:stdio)
qemu=(qemu-system-x86_64 -accel "$accel" -smp 2 -m "$mem" -nodefaults -no-reboot
	-display none -monitor none "${serial[@]}"
	-kernel "$image"
	-append "console=ttyS0 root=hostroot rootfstype=9p rootflags=trans=virtio,version=9p2000.L,cache=loose ro init=$out/init panic=-1 panic_on_warn=0 no_timer_check loglevel=6 fsx.profile=$profile"
	-virtfs "local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap"
	-virtfs "local,path=$ROOT,mount_tag=repo,security_model=none,readonly=on,multidevs=remap"
	-virtfs "local,path=$out,mount_tag=results,security_model=none,multidevs=remap")
echo "${qemu[*]}" >"$out/qemu-cmdline"

if [ "$interactive" = 1 ]; then
	exec "${qemu[@]}"
fi

start=$(date +%s)
set +e
timeout -k 10 "$timeout" "${qemu[@]}" </dev/null >"$out/qemu.out" 2>&1
qrc=$?
set -e
secs=$(($(date +%s) - start))
cp "$log" "$out/console.log" 2>/dev/null || true

# --- judge ---
reasons=()
if [ "$qrc" = 124 ] || [ "$qrc" = 137 ]; then
	reasons+=("timed out after ${timeout}s")
elif [ "$qrc" != 0 ]; then
	reasons+=("qemu exited $qrc: $(head -c 300 "$out/qemu.out")")
fi
if [ ! -f "$out/rc" ]; then
	reasons+=("guest never reported an exit status")
elif [ "$(cat "$out/rc")" != 0 ]; then
	reasons+=("guest script exited $(cat "$out/rc")")
fi
splat=$(grep -aE '^\[ *[0-9]+\.[0-9]+\]' "$log" 2>/dev/null |
	grep -aE -f <(grep -v '^#' "$ROOT/selftests/splat-patterns") || true)
if [ -n "$splat" ]; then
	# Name the splat by its headline, not by the "cut here" or trace lines.
	head=$(echo "$splat" | grep -avE 'cut here|Call Trace:' | head -n 1)
	reasons+=("kernel console: $(echo "${head:-$splat}" | head -n 1 | sed 's/^\[[^]]*\] //')")
fi
if [ -f "$out/output.txt" ]; then
	notok=$(grep -aE '^not ok [0-9]+' "$out/output.txt" | grep -avE '# (SKIP|TODO)' | head -n 5 || true)
	[ -z "$notok" ] || reasons+=("$(echo "$notok" | wc -l) failing case(s): $(echo "$notok" | head -n 1)")
	grep -aqE '^1\.\.[0-9]+' "$out/output.txt" || [ ! -f "$out/rc" ] || reasons+=("no TAP plan line: the family did not finish")
fi
# kmemleak's report at the end of the run (debug kernels): an object
# allocated on a path through the code we write or patch fails the run;
# any other is listed in the verdict, not hidden. A backtrace line is a
# symbol ("func+0x1/0x2 [module]") or, for code since freed (a module's
# init), a bare address: only our modules and the harness's are ever
# loaded in a guest, so an address kmemleak cannot name counts as ours.
notes=()
if [ -s "$out/kmemleak-end.txt" ]; then
	ours='^0x|\[fib_simple\]|\[neigh_small\]|fib|neigh|nexthop|rtnetlink|rtm_|arp_|ip_route|ip_rt_|rt_dst|nsmall'
	awk -v ours="$ours" '
		function done() { if (obj) print (hit ? "OURS " : "OTHER ") (first == "" ? "?" : first) }
		/^unreferenced object/ { done(); obj = 1; bt = 0; first = ""; hit = 0; next }
		/^ *backtrace/ { bt = 1; next }
		bt && NF {
			if ($1 ~ ours || $0 ~ /\[(fib_simple|neigh_small)\]/) hit = 1
			if (first == "" && $1 !~ /kmemleak|kmalloc|kmem_cache|slab|alloc_pages|krealloc|kvmalloc|vmalloc|kzalloc/) first = $1
		}
		END { done() }' "$out/kmemleak-end.txt" >"$out/kmemleak-classified.txt"
	n=$(grep -c '^OURS' "$out/kmemleak-classified.txt" || true)
	[ "$n" = 0 ] || reasons+=("kmemleak: $n unreferenced object(s) from the FIB, neighbour or routing code or a module, first allocated in $(sed -n 's/^OURS //p' "$out/kmemleak-classified.txt" | head -n 1) (kmemleak-end.txt)")
	n=$(grep -c '^OTHER' "$out/kmemleak-classified.txt" || true)
	[ "$n" = 0 ] || notes+=("kmemleak lists $n object(s) from elsewhere: $(sed -n 's/^OTHER //p' "$out/kmemleak-classified.txt" | sort | uniq -c | sort -rn | head -n 3 | awk '{ printf "%s%s x%s", (NR > 1 ? ", " : ""), $2, $1 }')")
fi
for w in start end; do
	[ -f "$out/backend-$w" ] || continue
	got=$(cat "$out/backend-$w")
	[ "$got" = "fib=$want_fib neigh=$want_neigh" ] ||
		reasons+=("wrong backend at $w: $got, profile $profile wants fib=$want_fib neigh=$want_neigh")
done

if [ ${#reasons[@]} = 0 ]; then
	verdict="PASS $profile/$family (${secs}s)"
else
	verdict="FAIL $profile/$family (${secs}s): $(printf '%s; ' "${reasons[@]}")"
fi
[ ${#notes[@]} = 0 ] || verdict+=" (note: $(printf '%s; ' "${notes[@]}"))"
echo "$verdict" | tee "$out/verdict"
[ ${#reasons[@]} = 0 ]
