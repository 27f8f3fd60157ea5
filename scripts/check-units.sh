#!/usr/bin/env bash
# Checks the systemd files in systemd/ without systemd as PID 1 (CI runs this as root).
#
#   scripts/check-units.sh          verify the units, apply the sysusers and tmpfiles
#                                   files to a scratch root, and fail when the service's
#                                   exposure (systemd-analyze security) is above 2.5
#   scripts/check-units.sh --boot   also boot a real systemd as PID 1 in a throw-away
#                                   container (systemd-nspawn over an overlay of /), install
#                                   with `make install`, start crmd.socket and call crmd
#
# What the default check covers: unit syntax and semantics as systemd-analyze verify sees
# them (directives, ExecStart= binary present and executable, crmd.socket <-> crmd.service),
# that sysusers.d creates the user and group crm and tmpfiles.d creates /run/crmd 0750
# crm:crm, and the exposure score. It does not run crmd under the sandbox: --boot does.
# systemd-analyze verify does not resolve User=/SocketUser=/SocketGroup=, so the user
# need not exist on the CI machine.
#
# The binary the units are verified against: $CRMD_BIN, else the debug or release build,
# else a stand-in (verify only checks that ExecStart= names an executable file).
set -euo pipefail
cd "$(dirname "$0")/.."

max_exposure=2.5
boot=no
case "${1:-}" in
    --boot) boot=yes ;;
    "") ;;
    *) echo "usage: $0 [--boot]" >&2; exit 2 ;;
esac

if ! command -v systemd-analyze >/dev/null; then
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    echo "installing: systemd (for systemd-analyze)" >&2
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq systemd >/dev/null
fi

work=$(mktemp -d /tmp/crmd-check-units.XXXXXX)
cleanup() {
    local status=$?
    if [ -n "${container_pid:-}" ] && kill -0 "$container_pid" 2>/dev/null; then
        kill -TERM "$container_pid" 2>/dev/null || true
        for _ in $(seq 50); do kill -0 "$container_pid" 2>/dev/null || break; sleep 0.2; done
        kill -KILL "$container_pid" 2>/dev/null || true
    fi
    if [ -n "${overlay:-}" ]; then
        umount "$overlay" 2>/dev/null || umount -l "$overlay" 2>/dev/null || true
        umount "$work/layer" 2>/dev/null || umount -l "$work/layer" 2>/dev/null || true
    fi
    rm -rf "$work"
    exit $status
}
trap cleanup EXIT

bin=${CRMD_BIN:-}
if [ -z "$bin" ]; then
    for candidate in .build/debug/crmd .build-release/release/crmd; do
        # Not realpath: the Makefile derives SwiftPM's scratch folder from
        # BUILD_DIR, which must stay <scratch>/debug, not <scratch>/<triple>/debug.
        [ -x "$candidate" ] && { bin="$(pwd)/$candidate"; break; }
    done
fi
if [ -z "$bin" ]; then
    mkdir -p "$work/bin"
    printf '#!/bin/sh\nexit 0\n' > "$work/bin/crmd"
    chmod 0755 "$work/bin/crmd"
    bin=$work/bin/crmd
    echo "note: no crmd built; verifying against a stand-in $bin"
fi
bindir=$(dirname "$bin")

# The units as `make install` writes them, with this binary's folder as @BINDIR@.
mkdir -p "$work/units"
for unit in crmd.service crmd.socket; do
    sed -e "s|@BINDIR@|$bindir|g" -e "s|@PREFIX@|/usr/local|g" -e "s|@PLUGINDIR@|/usr/local/lib/crmd/plugins|g" \
        -e "s|@LIBEXECDIR@|/usr/local/libexec|g" \
        "systemd/$unit" > "$work/units/$unit"
done
if grep -n '@[A-Z]*@' "$work/units/"*; then
    echo "error: a placeholder above is not substituted by the Makefile" >&2
    exit 1
fi

echo "== systemd-analyze verify ($(systemd-analyze --version | head -1))"
# --man=no: the man pages exist only after `make install`.
if ! systemd-analyze verify --man=no "$work/units/crmd.socket" "$work/units/crmd.service" 2>&1 | tee "$work/verify.log"; then
    echo "error: systemd-analyze verify failed" >&2
    exit 1
fi
# verify exits 0 on problems it only warns about (an unknown directive, a bad value):
# any line about our units fails the check; lines about the host's units do not.
if grep -q 'crmd' "$work/verify.log"; then
    echo "error: systemd-analyze verify reported the problems above" >&2
    exit 1
fi
echo "ok: crmd.socket crmd.service"

echo "== sysusers.d and tmpfiles.d, applied to a scratch root"
root=$work/root
mkdir -p "$root/etc"
systemd-sysusers --root="$root" "$PWD/systemd/sysusers.d/crmd.conf"
grep -q '^crm:x:[0-9]*:[0-9]*:[^:]*:/var/lib/crmd:/usr/sbin/nologin$' "$root/etc/passwd" ||
    { echo "error: sysusers.d did not create the user crm as expected:" >&2; cat "$root/etc/passwd" >&2; exit 1; }
grep -q '^crm:x:[0-9]*:' "$root/etc/group" || { echo "error: no group crm" >&2; exit 1; }
crm_uid=$(awk -F: '$1 == "crm" { print $3 }' "$root/etc/passwd")
crm_gid=$(awk -F: '$1 == "crm" { print $3 }' "$root/etc/group")
if [ "$(id -u)" -eq 0 ]; then
    systemd-tmpfiles --root="$root" --create "$PWD/systemd/tmpfiles.d/crmd.conf"
    got=$(stat -c '%a %u %g' "$root/run/crmd")
    [ "$got" = "750 $crm_uid $crm_gid" ] ||
        { echo "error: /run/crmd is '$got' (mode uid gid), expected '750 $crm_uid $crm_gid'" >&2; exit 1; }
    echo "ok: user and group crm ($crm_uid:$crm_gid), /run/crmd 0750 crm:crm"
else
    echo "ok: user and group crm ($crm_uid:$crm_gid); tmpfiles.d not applied (chown needs root)"
fi

echo "== systemd-analyze security --offline=yes crmd.service"
threshold=$(awk -v e="$max_exposure" 'BEGIN { printf "%d", e * 10 }')
set +e
systemd-analyze security --offline=yes --threshold="$threshold" --no-pager "$work/units/crmd.service" > "$work/security.log" 2>&1
security_status=$?
set -e
grep -v '^✓' "$work/security.log" || true
exposure=$(sed -n 's/.*Overall exposure level for crmd.service: \([0-9.]*\).*/\1/p' "$work/security.log")
if [ -z "$exposure" ]; then
    cat "$work/security.log" >&2
    echo "error: no exposure level in the output above" >&2
    exit 1
fi
if [ "$security_status" -ne 0 ] || awk -v x="$exposure" -v m="$max_exposure" 'BEGIN { exit !(x > m) }'; then
    echo "error: crmd.service exposure $exposure is above $max_exposure" >&2
    exit 1
fi
echo "ok: exposure $exposure (at most $max_exposure)"

[ "$boot" = yes ] || exit 0

# ---------------------------------------------------------------------------
# --boot: a real systemd as PID 1 in a container whose root is a throw-away
# overlay of this machine's /, so the host's Swift runtime and libraries are there.
echo "== boot: systemd as PID 1 in systemd-nspawn"
[ "$(id -u)" -eq 0 ] || { echo "error: --boot needs root (mounts, systemd-nspawn)" >&2; exit 1; }
command -v systemd-nspawn >/dev/null || {
    echo "installing: systemd-container (for systemd-nspawn)" >&2
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq systemd-container >/dev/null
}
# setfacl, for the reader group's drop-in (docs/systemd.md).
command -v setfacl >/dev/null || {
    echo "installing: acl (for setfacl)" >&2
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq acl >/dev/null
}
crmctl_bin=$bindir/crmctl
[ -x "$crmctl_bin" ] && [ "$bin" != "$work/bin/crmd" ] ||
    { echo "error: --boot needs a built crmd and crmctl (swift build, or CRMD_BIN=...)" >&2; exit 1; }

mkdir -p "$work/layer" "$work/root-overlay"
mount -t tmpfs -o size=2g tmpfs "$work/layer"
mkdir -p "$work/layer/upper" "$work/layer/work"
overlay=$work/root-overlay
mount -t overlay overlay -o "lowerdir=/,upperdir=$work/layer/upper,workdir=$work/layer/work" "$overlay"

# The install under test: exactly what an administrator runs, into the container's root.
make --no-print-directory install DESTDIR="$overlay" BUILD_DIR="$bindir" DIST_DIR="$work/dist" -o build > "$work/install.log"
tail -6 "$work/install.log"

machine=crmd-check-$$
systemd-nspawn --quiet --directory="$overlay" --machine="$machine" --private-network \
    --register=no --keep-unit --boot systemd.unit=basic.target > "$work/boot.log" 2>&1 < /dev/null &
container_pid=$!

leader=""
for _ in $(seq 100); do
    leader=$(pgrep -P "$container_pid" -x systemd || true)
    [ -n "$leader" ] && break
    sleep 0.2
done
[ -n "$leader" ] || { cat "$work/boot.log" >&2; echo "error: the container did not start" >&2; exit 1; }
inside() { nsenter --target "$leader" --all "$@"; }
for _ in $(seq 150); do
    state=$(inside systemctl is-system-running 2>/dev/null || true)
    case "$state" in running|degraded) break ;; esac
    sleep 0.2
done
echo "container PID 1: $(inside cat /proc/1/comm), system state: $state"

inside systemd-sysusers
inside systemd-tmpfiles --create /usr/local/lib/tmpfiles.d/crmd.conf
inside systemctl daemon-reload
inside systemctl enable --now crmd.socket
inside stat -c '%A %U:%G %n' /run/crmd /run/crmd/crmd.sock

echo "-- first call (socket activation starts crmd.service)"
inside timeout 60 /usr/local/bin/crmctl --socket /run/crmd/crmd.sock admin stats
inside systemctl is-active --quiet crmd.service || { inside systemctl status crmd.service --no-pager >&2; exit 1; }
inside systemctl status crmd.service --no-pager --lines=0 | sed -n '1,9p'
inside timeout 60 /usr/local/bin/crmctl --socket /run/crmd/crmd.sock customer create --display-name "Ada Lovelace" \
    --email ada@example.com > /dev/null
inside sh -c 'stat -c "%A %U:%G %n" /var/lib/crmd /var/lib/crmd/*'
echo "-- the running crmd: user, capabilities, seccomp, network namespace"
main_pid=$(inside systemctl show crmd.service -p MainPID --value)
inside ps -o user=,group=,pid=,args= -p "$main_pid"
inside grep -E '^(CapEff|CapBnd|NoNewPrivs|Seccomp|Seccomp_filters):' "/proc/$main_pid/status"
[ "$(inside readlink "/proc/$main_pid/ns/net")" != "$(inside readlink /proc/1/ns/net)" ] ||
    { echo "error: crmd shares PID 1's network namespace (PrivateNetwork=yes?)" >&2; exit 1; }

echo "-- systemctl reload crmd (check-config, then SIGHUP)"
inside systemctl reload crmd.service
inside systemctl is-active --quiet crmd.service

echo "-- the backup key credential (absent above; now from /etc/credstore)"
inside install -d -m 0700 /etc/credstore
inside sh -c 'head -c 32 /dev/urandom > /etc/credstore/crmd.backup-key && chmod 0600 /etc/credstore/crmd.backup-key'
inside systemctl restart crmd.service
inside stat -c '%A %U:%G %s bytes %n' /run/credentials/crmd.service/backup-key

echo "-- an encrypted backup inside the sandbox, sealed with that credential"
inside timeout 120 /usr/local/bin/crmctl --socket /run/crmd/crmd.sock backup create --quiet -o table | grep -E '^(path|encrypted|verified) '
inside sh -c 'stat -c "%A %U:%G %n" /var/lib/crmd/backups /var/lib/crmd/backups/*.crmdbak'

echo "-- watchdog: WATCHDOG=1 arrives within WatchdogSec=30s"
first=$(inside systemctl show crmd.service -p WatchdogTimestampMonotonic --value)
sleep 17
second=$(inside systemctl show crmd.service -p WatchdogTimestampMonotonic --value)
[ "$second" != "$first" ] || { echo "error: no watchdog ping in 17 s" >&2; exit 1; }
echo "ok: watchdog timestamp $first -> $second"

echo "-- roles: a reader group reaches the socket through the ACL drop-in of docs/systemd.md"
inside groupadd --system crm-read
inside useradd --system --no-create-home --gid crm-read --shell /usr/sbin/nologin crm-reader
inside sh -c 'printf "\naccess:\n  writer: { groups: [crm] }\n  reader: { groups: [crm-read] }\n" >> /etc/crmd/crmd.yaml'
inside install -d /etc/systemd/system/crmd.socket.d
inside sh -c 'cat > /etc/systemd/system/crmd.socket.d/readers.conf' <<'DROPIN'
[Socket]
ExecStartPost=/usr/bin/setfacl -m g:crm-read:x /run/crmd
ExecStartPost=/usr/bin/setfacl -m g:crm-read:rw /run/crmd/crmd.sock
DROPIN
inside systemctl daemon-reload
inside systemctl stop crmd.service crmd.socket
inside systemctl start crmd.socket
as_reader() { inside setpriv --reuid crm-reader --regid crm-read --init-groups /usr/local/bin/crmctl --socket /run/crmd/crmd.sock "$@"; }
as_reader admin whoami -o table | grep -E '^(uid|groups|role) '
as_reader admin whoami -o json | grep -q '"role":"reader"' || { echo "error: crm-reader is not a reader" >&2; exit 1; }
as_reader customer list --no-headers > /dev/null
if as_reader customer create --display-name "Not from a reader" 2> "$work/refused.txt"; then
    echo "error: a reader created a customer" >&2; exit 1
fi
grep -q "PERMISSION_DENIED" "$work/refused.txt" || { cat "$work/refused.txt" >&2; exit 1; }
echo "ok: crm-reader ($(inside id -G crm-reader)) reads, and is refused a write: $(cut -c1-90 "$work/refused.txt")"

echo "-- the change log's head in the journal, and audit verify --head with it"
inside systemctl restart crmd.service
head_hash=$(inside journalctl -u crmd.service -o json --no-pager | grep -o '"CHANGE_LOG_HEAD":"[0-9a-f]*"' | tail -1 | cut -d'"' -f4)
[ -n "$head_hash" ] || { echo "error: no CHANGE_LOG_HEAD field in the journal" >&2; exit 1; }
inside timeout 60 /usr/local/bin/crmctl --socket /run/crmd/crmd.sock audit verify -o table --head "$head_hash"

echo "-- systemd-analyze security (loaded unit)"
inside systemd-analyze security crmd.service --no-pager | tail -1

echo "-- stop"
inside systemctl stop crmd.socket crmd.service
inside test ! -e /run/crmd/crmd.sock
inside journalctl -u crmd.service --no-pager -o short-monotonic | tail -12
echo "ok: booted, installed, activated, called, reloaded and stopped crmd under systemd; a reader group reached it through the ACL drop-in"
