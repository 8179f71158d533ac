#!/bin/bash
# Compare one family's outcomes in two result dirs, case by case.
#   selftests/compare.sh REF_DIR OTHER_DIR
# Compared: the TAP cases in order (ok / not ok / SKIP and the name; the
# case numbers, diagnostics and SKIP reasons are not), and every
# observation in obs/ byte for byte (obs/*.unordered were sorted when
# recorded). A case the reference ran but OTHER skipped (a feature its
# kernel lacks) is noted, not a difference; so is one the reference
# skipped and OTHER passed (a feature stock lacks, such as switching the
# FIB implementation: the family's own oracle judged it). Prints each difference with
# both sides; exit 1 when there is any.
set -uo pipefail
ref=${1:?usage: compare.sh REF_DIR OTHER_DIR}
other=${2:?usage: compare.sh REF_DIR OTHER_DIR}
rname=$(basename "$(dirname "$ref")")
oname=$(basename "$(dirname "$other")")

# "STATUS NAME" per case; STATUS is ok, not-ok or SKIP (a SKIP's reason is
# not compared).
cases() {
	grep -aE '^(not )?ok [0-9]+' "$1/output.txt" 2>/dev/null |
		sed -E -e 's/^ok [0-9]+ (- )?(.*[^ ]) *# SKIP.*$/SKIP \2/' \
			-e 's/^not ok [0-9]+ (- )?/not-ok /' -e 's/^ok [0-9]+ (- )?/ok /'
}

status=0
# The same cases in the same order, with the same outcome; except that a
# case stock ran may be SKIP on the other kernel, which lacks the feature
# (client has no policy routing, for example): reported, not a difference.
if ! diff -q <(cases "$ref" | cut -d' ' -f2-) <(cases "$other" | cut -d' ' -f2-) >/dev/null; then
	status=1
	echo "cases differ ('<' $rname, '>' $oname):"
	diff <(cases "$ref") <(cases "$other") | grep -E '^[<>]' | head -n 40
else
	d=$(paste -d'|' <(cases "$ref") <(cases "$other") | awk -F'|' '
		{ split($1, a, " "); split($2, b, " ") }
		a[1] == b[1] { next }
		a[1] == "ok" && b[1] == "SKIP" { skipped++; next }
		a[1] == "SKIP" && b[1] == "ok" { ours++; next }
		{ print "< " $1; print "> " $2 }
		END { if (skipped) print "skipped " skipped; if (ours) print "ours " ours }')
	if [ -n "$(echo "$d" | grep -E '^[<>]')" ]; then
		status=1
		echo "cases differ ('<' $rname, '>' $oname):"
		echo "$d" | grep -E '^[<>]' | head -n 40
	fi
	n=$(echo "$d" | sed -n 's/^skipped //p')
	[ -n "$n" ] && echo "note: $n case(s) $rname ran are SKIP on $oname (feature not in that kernel)"
	n=$(echo "$d" | sed -n 's/^ours //p')
	[ -n "$n" ] && echo "note: $n case(s) SKIP on $rname pass on $oname (a feature $rname lacks; judged by the family alone)"
fi
for f in $( (cd "$ref/obs" 2>/dev/null && ls; cd "$other/obs" 2>/dev/null && ls) | grep -v '\.skip$' | sort -u); do
	if [ ! -e "$other/obs/$f" ] && [ -e "$other/obs/$f.skip" ] && [ -e "$ref/obs/$f" ]; then
		echo "note: observation $f skipped on $oname: $(cat "$other/obs/$f.skip")"
		continue
	fi
	if ! d=$(diff "$ref/obs/$f" "$other/obs/$f" 2>&1); then
		status=1
		echo "observation $f differs ('<' $rname, '>' $oname):"
		echo "$d" | head -n 40
	fi
done
exit $status
