#!/usr/bin/env bash
# Builds wiretap's .deb and .rpm from the tree as `git archive` makes it
# (HEAD plus uncommitted changes to tracked files; a new file counts once it
# is `git add`ed), in a temporary folder, so nothing is left beside the repo.
#
#   scripts/package.sh [deb|rpm|all] [OUTDIR]      (default: all, into dist/)
#
#   deb: dpkg-buildpackage -us -uc -b  -> OUTDIR/wiretap_<version>_<arch>.deb
#        (and its .changes, .buildinfo and -dbgsym .deb)
#   rpm: Source0 wiretap-<version>.tar.gz from git archive --prefix=wiretap-<version>/,
#        rpmbuild -bb --nodeps -> OUTDIR/wiretap-<version>-1.<arch>.rpm
#        (--nodeps: the BuildRequires carry RPM distributions' names)
#
# The version is CMake's project(VERSION); the build stops if debian/changelog
# or rpm/wiretap.spec says otherwise. Needs debhelper, dpkg-dev and rpm
# (scripts/install-deps.sh). WIRETAP_PACKAGE_JOBS sets the parallel jobs.
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
what=${1:-all}
out=$(realpath -m "${2:-$root/dist}")
jobs=${WIRETAP_PACKAGE_JOBS:-$(nproc)}
case $what in deb | rpm | all) ;; *)
    echo "usage: $0 [deb|rpm|all] [OUTDIR]" >&2
    exit 2
    ;;
esac

say() { printf '==> package: %s\n' "$*" >&2; }
die() {
    printf 'package: %s\n' "$*" >&2
    exit 1
}

version=$(sed -n 's/^project(wiretap VERSION \([0-9][0-9.]*\).*/\1/p' "$root/CMakeLists.txt")
[[ -n $version ]] || die "no project(wiretap VERSION ...) in CMakeLists.txt"
deb_version=$(sed -n '1s/^wiretap (\([^)]*\)).*/\1/p' "$root/debian/changelog") # (no dpkg-dev on RPM systems)
rpm_version=$(sed -n 's/^Version:[[:space:]]*//p' "$root/rpm/wiretap.spec")
[[ $deb_version == "$version" ]] ||
    die "debian/changelog is at $deb_version, CMakeLists.txt at $version: add a changelog entry (dch -v $version)"
[[ $rpm_version == "$version" ]] ||
    die "rpm/wiretap.spec says Version: $rpm_version, CMakeLists.txt $version: update it and its %changelog"

work=$(mktemp -d "${TMPDIR:-/tmp}/wiretap-package.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir -p "$out"

# git archive of HEAD, or of a stash commit of the uncommitted changes.
archive() { # FORMAT OUTPUT
    if git -C "$root" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
        local rev
        rev=$(git -C "$root" stash create 2>/dev/null || true)
        git -C "$root" archive --format="$1" --prefix="wiretap-$version/" -o "$2" "${rev:-HEAD}"
    else # an unpacked release tarball
        tar -C "$root" --exclude='./build*' --exclude=./dist --exclude=./obj-\* \
            --transform "s,^\\.,wiretap-$version," -caf "$2" .
    fi
}

build_deb() {
    local t0=$SECONDS arch
    arch=$(dpkg --print-architecture)
    say "deb $version: dpkg-buildpackage -us -uc -b (parallel=$jobs)"
    mkdir -p "$work/deb"
    archive tar "$work/deb/src.tar"
    tar -xf "$work/deb/src.tar" -C "$work/deb"
    (cd "$work/deb/wiretap-$version" &&
        DEB_BUILD_OPTIONS="parallel=$jobs nocheck" dpkg-buildpackage -us -uc -b) >"$work/deb/build.log" 2>&1 || {
        tail -n 60 "$work/deb/build.log" >&2
        die "dpkg-buildpackage failed (log above)"
    }
    cp "$work/deb/"*.deb "$work/deb/"*.changes "$work/deb/"*.buildinfo "$out/"
    [[ -f $out/wiretap_${version}_$arch.deb ]] || die "no wiretap_${version}_$arch.deb was built"
    say "built $out/wiretap_${version}_$arch.deb in $((SECONDS - t0)) s"
}

build_rpm() {
    local t0=$SECONDS top=$work/rpmbuild file
    say "rpm $version: rpmbuild -bb --nodeps (-j$jobs)"
    mkdir -p "$top/SOURCES"
    archive tar.gz "$top/SOURCES/wiretap-$version.tar.gz"
    rpmbuild -bb --nodeps --define "_topdir $top" --define "_smp_mflags -j$jobs" \
        "$root/rpm/wiretap.spec" >"$work/rpm.log" 2>&1 || {
        tail -n 60 "$work/rpm.log" >&2
        die "rpmbuild failed (log above)"
    }
    file=$(find "$top/RPMS" -name "wiretap-$version-*.rpm" | head -n 1)
    [[ -n $file ]] || die "rpmbuild made no wiretap-$version-*.rpm"
    cp "$file" "$out/"
    say "built $out/$(basename "$file") in $((SECONDS - t0)) s"
}

case $what in
    deb) build_deb ;;
    rpm) build_rpm ;;
    all) build_deb && build_rpm ;;
esac
