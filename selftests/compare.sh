#!/bin/bash
# Compare one family's outcomes in two result dirs, case by case.
#   selftests/compare.sh REF_DIR OTHER_DIR
# Compared: the TAP cases in order (ok / not ok / SKIP and the name; the
# case numbers and diagnostics are not), and every observation in obs/
# byte for byte (obs/*.unordered were sorted when recorded). Prints each
# difference with both sides; exit 1 when there is any.
set -uo pipefail
ref=${1:?usage: compare.sh REF_DIR OTHER_DIR}
other=${2:?usage: compare.sh REF_DIR OTHER_DIR}
rname=$(basename "$(dirname "$ref")")
oname=$(basename "$(dirname "$other")")

cases() {
	grep -aE '^(not )?ok [0-9]+' "$1/output.txt" 2>/dev/null |
		sed -E 's/^(not ok|ok) [0-9]+ (- )?/\1: /'
}

status=0
if ! d=$(diff <(cases "$ref") <(cases "$other")); then
	status=1
	echo "cases differ ('<' $rname, '>' $oname):"
	echo "$d" | grep -E '^[<>]' | head -n 40
fi
for f in $( (cd "$ref/obs" 2>/dev/null && ls; cd "$other/obs" 2>/dev/null && ls) | sort -u); do
	if ! d=$(diff "$ref/obs/$f" "$other/obs/$f" 2>&1); then
		status=1
		echo "observation $f differs ('<' $rname, '>' $oname):"
		echo "$d" | head -n 40
	fi
done
exit $status
