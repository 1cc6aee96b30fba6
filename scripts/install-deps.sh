#!/usr/bin/env bash
# Installs the Debian 12 packages wiretap needs to build and to run every test
# tier. Runs `apt-get update` once, and only when something is missing.
set -euo pipefail

packages=(
    build-essential cmake pkg-config clang-format
    libpoco-dev libcppunit-dev
    python3
    # the fuzz smoke run (ctest label fuzz): libFuzzer and the sanitizer runtimes
    clang-14 libclang-rt-14-dev
    docker.io docker-registry busybox-static
    iproute2 util-linux procps curl
    # the package tier: build, lint and inspect the .deb and .rpm, verify the unit
    debhelper dpkg-dev lintian rpm systemd man-db acl adduser passwd
    # scripts/test-valgrind.sh: memcheck of the integration tier
    valgrind
)

if [ "$(id -u)" -ne 0 ]; then
    echo "install-deps: run as root (sudo $0)" >&2
    exit 1
fi

missing=()
for pkg in "${packages[@]}"; do
    status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
    [ "$status" = "install ok installed" ] || missing+=("$pkg")
done
if [ ${#missing[@]} -eq 0 ]; then
    echo "install-deps: all ${#packages[@]} packages present"
    exit 0
fi

echo "install-deps: installing ${missing[*]}"
# Installing docker.io must not start an engine on the host: the tests run
# their own inside a network namespace. policy-rc.d is Debian's switch for that.
policy=/usr/sbin/policy-rc.d
own_policy=
if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' >"$policy"
    chmod 755 "$policy"
    own_policy=1
fi
trap '[ -z "$own_policy" ] || rm -f "$policy"' EXIT

export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}"
