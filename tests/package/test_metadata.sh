#!/usr/bin/env bash
# tests/package/test_metadata.sh - one version everywhere, and a man page that
# describes every option. Fast: builds no package.
#
# Usage: test_metadata.sh SOURCE_DIR VERSION WIRETAP_BIN MAN_PAGE UNIT
#   VERSION is CMake's project(VERSION); MAN_PAGE and UNIT the configured ones.
set -euo pipefail
src=${1:?usage: test_metadata.sh SOURCE_DIR VERSION WIRETAP_BIN MAN_PAGE UNIT}
version=${2:?} bin=${3:?} man=${4:?} unit=${5:?}
failures=0
check() { # DESCRIPTION ACTUAL EXPECTED
    if [[ $2 == "$3" ]]; then
        echo "ok: $1"
    else
        echo "FAIL: $1: '$2', expected '$3'" >&2
        failures=$((failures + 1))
    fi
}

check "wiretap --version" "$("$bin" --version)" "wiretap $version"
check "debian/changelog version" "$(dpkg-parsechangelog -l "$src/debian/changelog" -S Version)" "$version"
check "rpm/wiretap.spec Version" "$(sed -n 's/^Version:[[:space:]]*//p' "$src/rpm/wiretap.spec")" "$version"
check "rpm/wiretap.spec %changelog" \
    "$(sed -n '/^%changelog/{n;s/.* - \([^ ]*\)-[^-]*$/\1/p}' "$src/rpm/wiretap.spec")" "$version"
check "wiretap(8) version" "$(sed -n 's/^\.TH WIRETAP 8 "[^"]*" "wiretap \([^"]*\)".*/\1/p' "$man")" "$version"

# Every option --help lists is in the man page (as \-\-name in roff).
while read -r option; do
    if grep -qF -- "\\-\\-${option//-/\\-}" "$man"; then
        echo "ok: wiretap(8) describes --$option"
    else
        echo "FAIL: wiretap(8) does not describe --$option" >&2
        failures=$((failures + 1))
    fi
done < <("$bin" --help | grep -oE '^ *(-[A-Za-z][^ ,]*, )?--[a-z][a-z-]*' | sed 's/.*--//' | sort -u)
# and nothing that --help does not list.
while read -r option; do
    if ! "$bin" --help | grep -qE -- "--$option([=, ]|$)"; then
        echo "FAIL: wiretap(8) describes --$option, which wiretap --help does not list" >&2
        failures=$((failures + 1))
    fi
done < <(sed -n '/^\.SH OPTIONS/,/^\.SH /p' "$man" | grep -oE '\\-\\-[a-z][a-z\\-]*' |
    sed 's/\\-/-/g; s/^--//' | sort -u)

if command -v man >/dev/null; then
    warnings=$(LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -l "$man" 2>&1 >/dev/null || true)
    check "man --warnings wiretap(8)" "$warnings" ""
fi
check "the unit runs as" "$(sed -n 's/^User=//p' "$unit")" "wiretap"
check "the unit's state folder" "$(sed -n 's/^StateDirectory=//p' "$unit")" "wiretap"

echo "$failures failed"
((failures == 0))
