#!/usr/bin/env bash
# tests/package/test_rpm.sh - the RPM, built with rpmbuild -bb --nodeps from the
# git archive tarball, then inspected: version, files, config files,
# dependencies, scriptlets; its binary runs, its unit passes systemd-analyze.
#
# Usage: test_rpm.sh SOURCE_DIR VERSION
set -euo pipefail

SOURCE_DIR=$(cd "${1:?usage: test_rpm.sh SOURCE_DIR VERSION}" && pwd)
VERSION=${2:?usage: test_rpm.sh SOURCE_DIR VERSION}
log() { printf '[package.rpm %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
fail() {
    log "FAIL: $*"
    exit 1
}
for tool in rpmbuild rpm rpm2archive; do
    command -v "$tool" >/dev/null || fail "$tool is missing (scripts/install-deps.sh installs rpm)"
done

work=$(mktemp -d /tmp/wiretap-test-rpm.XXXXXX)
trap 'rc=$?; rm -rf "$work"; if ((rc == 0)); then log PASS; else log "FAILED (exit $rc)"; fi' EXIT

t0=$SECONDS
WIRETAP_PACKAGE_JOBS=${WIRETAP_PACKAGE_JOBS:-2} "$SOURCE_DIR/scripts/package.sh" rpm "$work/out"
log "TIMING rpm build: $((SECONDS - t0)) s"
mapfile -t rpms < <(find "$work/out" -name "wiretap-$VERSION-*.rpm")
((${#rpms[@]} == 1)) || fail "expected one wiretap-$VERSION-*.rpm, found: ${rpms[*]:-none}"
rpm=${rpms[0]}

q() { rpm -qp --nosignature "$@" "$rpm" 2>/dev/null; }
[[ $(q --qf '%{NAME} %{VERSION}') == "wiretap $VERSION" ]] || fail "the rpm is $(q --qf '%{NAME} %{VERSION}')"

files=$(q -l)
for f in /usr/bin/wiretap /etc/wiretap/wiretap.properties /etc/sysconfig/wiretap \
    /usr/lib/systemd/system/wiretap.service /var/lib/wiretap; do
    grep -qx -- "$f" <<<"$files" || fail "rpm -qpl lacks $f: $files"
done
grep -q '^/usr/share/man/man8/wiretap\.8' <<<"$files" || fail "rpm -qpl lacks the man page: $files"
configs=$(q -c)
for f in /etc/wiretap/wiretap.properties /etc/sysconfig/wiretap; do
    grep -qx -- "$f" <<<"$configs" || fail "$f is not %config: $configs"
done
# %config(noreplace): the file flags have both config (1) and noreplace (16).
while read -r flags path; do
    case $path in /etc/wiretap/wiretap.properties | /etc/sysconfig/wiretap)
        ((flags & 1 && flags & 16)) || fail "$path is not %config(noreplace) (flags $flags)" ;;
    esac
done < <(q --qf '[%{FILEFLAGS} %{FILENAMES}\n]')
modes=$(q --qf '[%{FILEMODES:perms} %{FILEUSERNAME} %{FILEGROUPNAME} %{FILENAMES}\n]')
grep -qx -- '-rw-r----- root wiretap /etc/wiretap/wiretap.properties' <<<"$modes" || fail "modes: $modes"
grep -qx -- '-rw------- root root /etc/sysconfig/wiretap' <<<"$modes" || fail "modes: $modes"
grep -qx -- 'drwxr-x--- wiretap wiretap /var/lib/wiretap' <<<"$modes" || fail "modes: $modes"

requires=$(q -R)
for lib in PocoFoundation PocoNet PocoNetSSL PocoUtil PocoJSON PocoData; do
    grep -Eq "^lib$lib\.so\.[0-9]+\(\)\(64bit\)$" <<<"$requires" ||
        grep -Eq "^lib$lib\.so\.[0-9]+$" <<<"$requires" || fail "rpm -qpR lacks lib$lib: $requires"
done
grep -qx 'shadow-utils' <<<"$requires" || fail "rpm -qpR lacks shadow-utils (for %pre): $requires"
[[ $(q --recommends) == '(moby-engine or docker-ce-cli)' ]] || fail "Recommends: $(q --recommends)"
scripts=$(q --scripts)
for want in 'useradd -r -g wiretap -d /var/lib/wiretap' 'usermod -a -G docker wiretap' \
    'preset wiretap.service' 'disable --now wiretap.service' 'try-restart wiretap.service'; do
    grep -qF -- "$want" <<<"$scripts" || fail "the scriptlets lack '$want': $scripts"
done

# The payload: the binary runs here (same Poco), the unit is sound.
mkdir "$work/root"
rpm2archive - <"$rpm" | tar -xzf - -C "$work/root"
out=$("$work/root/usr/bin/wiretap" --version)
[[ $out == "wiretap $VERSION" ]] || fail "the rpm's wiretap --version printed '$out'"
unit=$work/root/usr/lib/systemd/system/wiretap.service
grep -qx 'EnvironmentFile=-/etc/sysconfig/wiretap' "$unit" || fail "the rpm's unit does not read /etc/sysconfig/wiretap"
if command -v systemd-analyze >/dev/null; then
    rc=0
    verify=$(systemd-analyze verify --man=no "$unit" 2>&1) || rc=$?
    # /usr/bin/wiretap exists only where the .deb is installed; nothing else may show.
    rest=$(grep -v '^wiretap.service: Command /usr/bin/wiretap is not executable: No such file or directory$' <<<"$verify" || true)
    if [[ -n $rest ]] || { [[ $rc != 0 ]] && [[ -x /usr/bin/wiretap || -z $verify ]]; }; then
        fail "systemd-analyze verify of the rpm's unit (exit $rc): $verify"
    fi
    log "systemd-analyze verify of the rpm's unit: clean${verify:+ (but for /usr/bin/wiretap, not installed here)}"
fi
log "TIMING package.rpm total: $SECONDS s"
