#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Install the Debian packages wdmisr needs, once. Idempotent: it asks apt only
# for what is missing. Runs as root on Debian 12 (bookworm).
set -euo pipefail

pkgs=(
	build-essential make gcc kmod bc flex bison libelf-dev libssl-dev dwarves
	python3 cpio busybox-static pciutils libpci-dev zlib1g-dev
	qemu-system-x86 sparse dkms gnuplot-nox xz-utils
	linux-headers-amd64 linux-image-amd64
	linux-headers-6.12-amd64 linux-image-6.12-amd64 linux-source-6.12
	linux-headers-6.12-rt-amd64 linux-image-6.12-rt-amd64
)

missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed$' ||
		missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
	exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
	echo "deps: missing Debian packages: ${missing[*]}" >&2
	echo "deps: run 'make deps' as root, or install them with apt-get" >&2
	exit 1
fi
echo "deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
