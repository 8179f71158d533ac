#!/bin/bash
# The net diffstat of compat/$KSERIES/series: pristine against patched,
# over the files the series touches (what the README reports).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
pristine=$("$ROOT/scripts/source.sh" pristine)
patched=$("$ROOT/scripts/source.sh" patched)
echo "compat/$KSERIES: $(series_patches | wc -l) patches against $KSRC_PKG $(ksrc_version)"
sort -u "$patched/.series-files" | while read -r f; do
	a=$pristine/$f
	[ -f "$a" ] || a=/dev/null
	diff -u --label "a/$f" --label "b/$f" "$a" "$patched/$f" || true
done | diffstat -p1
