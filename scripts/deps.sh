#!/bin/bash
# Install the Debian 12 packages the build and the tests need (idempotent).
# Not root: print the apt-get command and stop.
#   scripts/deps.sh           make check's
#   scripts/deps.sh report    and make report's (plots, Clang LTO builds)
set -euo pipefail
. "$(dirname "$0")/lib.sh"

pkgs=(
	# kernel build
	gcc make flex bison bc libelf-dev libssl-dev cpio xz-utils kmod patch ccache sparse diffstat
	# the DKMS build test (check-full)
	dkms
	# guests
	qemu-system-x86
	# userland the guests use from the host root
	iproute2 net-tools busybox python3 python3-scapy iputils-ping procps ethtool
)
[ "${1:-}" = report ] && pkgs+=(gnuplot-nox clang lld llvm)
missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done

# The kernel source: the pinned version while apt serves it, else the newest
# (and say so); an installed one is kept.
src=$KSRC_PKG
have=$(ksrc_version || true)
if [ -z "$have" ]; then
	if [ -n "$KSRC_PIN" ] && [ "$(id -u)" = 0 ]; then
		apt-get update -qq || true
		if apt-cache madison "$KSRC_PKG" | awk '{ print $3 }' | grep -qxF "$KSRC_PIN"; then
			src="$KSRC_PKG=$KSRC_PIN"
		else
			note "pinned $KSRC_PKG $KSRC_PIN is no longer served by apt; taking the newest"
		fi
	fi
	missing+=("$src")
elif [ -n "$KSRC_PIN" ] && [ "$have" != "$KSRC_PIN" ]; then
	note "$KSRC_PKG $have is installed (pin: $KSRC_PIN); building $have"
fi

if [ ${#missing[@]} = 0 ]; then
	note "deps: all installed ($KSRC_PKG $(ksrc_version))"
	exit 0
fi
cmd="apt-get install -y --no-install-recommends ${missing[*]}"
if [ "$(id -u)" != 0 ]; then
	echo "deps: missing packages; as root run:" >&2
	echo "  apt-get update && $cmd" >&2
	exit 1
fi
note "deps: installing ${missing[*]}"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive $cmd
note "deps: done ($KSRC_PKG $(ksrc_version))"
