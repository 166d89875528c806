#!/usr/bin/env bash
# Install the Debian packages a task needs, only when some are missing.
# Usage: scripts/deps.sh build|demo|test
set -eu
BUILD="meson ninja-build pkg-config gcc libevent-dev nettle-dev libnl-3-dev libnl-route-3-dev libcmocka-dev libpam0g-dev libcrypt-dev"
RUN="iproute2 iputils-ping python3"
TEST="clang libclang-rt-14-dev tcpdump freeradius freeradius-utils sqlite3"
case "${1:-build}" in
build) want="$BUILD" ;;
demo) want="$BUILD $RUN" ;;
test) want="$BUILD $RUN $TEST" ;;
*) echo "usage: $0 build|demo|test" >&2; exit 2 ;;
esac
missing=""
for p in $want; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "installing:$missing"
export DEBIAN_FRONTEND=noninteractive
# Another apt (unattended-upgrades, a second test run) may hold the dpkg lock:
# wait for it instead of failing.
LOCK_WAIT="-o DPkg::Lock::Timeout=${DPKG_LOCK_TIMEOUT:-600}"
# shellcheck disable=SC2086
apt-get $LOCK_WAIT update -q >/dev/null
# shellcheck disable=SC2086
apt-get $LOCK_WAIT install -y -q --no-install-recommends $missing >/dev/null
