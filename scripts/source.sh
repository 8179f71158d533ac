#!/bin/bash
# Prepare a kernel source tree under build/src and print its path.
#   scripts/source.sh pristine   Debian's tarball, unpacked once.
#   scripts/source.sh patched    pristine + compat/$KSERIES/series.
# The patched tree is rebuilt whenever the series changes. Files the old or
# the new series touches get a fresh mtime so incremental O= builds never
# keep an object built from a stale version of them.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

kind=${1:?usage: source.sh pristine|patched}
tag=$(ksrc_tag) || die "$KSRC_PKG is not installed: run 'make deps'"
tarball=/usr/src/$KSRC_PKG.tar.xz
[ -f "$tarball" ] || die "$tarball missing: reinstall $KSRC_PKG"
pristine=$BUILD/src/linux-$tag
mkdir -p "$BUILD/src"

if [ ! -f "$pristine/.unpacked" ]; then
	note "unpacking $KSRC_PKG $(ksrc_version) into $pristine"
	rm -rf "$pristine" "$pristine.tmp"
	mkdir -p "$pristine.tmp"
	tar -C "$pristine.tmp" -xf "$tarball"
	mv "$pristine.tmp/$KSRC_PKG" "$pristine"
	rmdir "$pristine.tmp"
	ksrc_version >"$pristine/.unpacked"
fi

if [ "$kind" = pristine ]; then
	echo "$pristine"
	exit 0
fi
[ "$kind" = patched ] || die "unknown tree kind '$kind'"

patched=$pristine-patched
want=$( (ksrc_version; series_patches | while read -r p; do
	[ -f "$SERIES_DIR/$p" ] || die "series names $p but compat/$KSERIES/$p does not exist"
	sha256sum "$SERIES_DIR/$p"; done) | sha256sum | cut -d' ' -f1)
# Our out-of-tree sources enter the tree for built-in builds as links, so
# an edit needs no new copy (kernel.sh hashes them into its build stamp).
link_sources() {
	local sym dir where
	while read -r sym dir where; do
		[ -n "$sym" ] && [ -d "$ROOT/$dir" ] && ln -sfn "$ROOT/$dir" "$1/$where"
	done <<<"$BUILTIN_SOURCES"
	return 0
}

# Callers that build hold this lock shared (scripts/kernel.sh).
if [ -z "${FSX_TREES_LOCKED:-}" ]; then
	mkdir -p "$BUILD/src"
	exec 7>"$BUILD/src/.trees.lock"
	flock 7
fi

if [ -f "$patched/.series-stamp" ] && [ "$(cat "$patched/.series-stamp")" = "$want" ]; then
	link_sources "$patched"
	echo "$patched"
	exit 0
fi

note "applying compat/$KSERIES/series to a copy of $KSRC_PKG $(ksrc_version)"
old_files=$(cat "$patched/.series-files" 2>/dev/null || true)
new=$patched.new
rm -rf "$new"
cp -al "$pristine" "$new"
rm -f "$new/.unpacked"  # a hard link into the pristine tree: replace, never write through
ksrc_version >"$new/.unpacked"
: >"$new/.series-files"
while read -r p; do
	# patch(1) writes a new file and renames it over the old one, so the
	# hard links into the pristine tree are broken, never written through.
	if ! out=$(patch -d "$new" -p1 --batch --forward --no-backup-if-mismatch -s <"$SERIES_DIR/$p" 2>&1); then
		echo "$out" >&2
		rm -rf "$new"
		die "patch compat/$KSERIES/$p does not apply to $KSRC_PKG $(ksrc_version)"
	fi
	sed -n 's|^+++ b/||p' "$SERIES_DIR/$p" | cut -f1 >>"$new/.series-files"
	note "  applied $p"
done < <(series_patches)
# Files patched before but pristine now: give them a private copy with a new
# mtime (touching the hard link would also touch the pristine tree).
for f in $old_files $(cat "$new/.series-files"); do
	[ -f "$new/$f" ] || continue
	cp --remove-destination "$new/$f" "$new/$f.tmp.$$" && mv "$new/$f.tmp.$$" "$new/$f"
done
echo "$want" >"$new/.series-stamp"
rm -rf "$patched"
mv "$new" "$patched"
link_sources "$patched"
echo "$patched"
