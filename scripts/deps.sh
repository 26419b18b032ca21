#!/bin/sh
# deps.sh PACKAGE...: install the Debian packages that are missing, with
# apt-get when root, else print the command to run and fail.
set -eu
missing=
for p in "$@"; do
	s=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
	case $s in
	*" installed") ;;
	*) missing="$missing $p" ;;
	esac
done
[ -n "$missing" ] || exit 0
if [ "$(id -u)" -ne 0 ]; then
	printf 'deps: missing Debian packages:%s\n' "$missing" >&2
	printf 'deps: run: sudo apt-get install -y%s\n' "$missing" >&2
	exit 1
fi
printf 'deps: installing%s\n' "$missing" >&2
export DEBIAN_FRONTEND=noninteractive
# shellcheck disable=SC2086 # one word per package
apt-get install -y -q $missing >/dev/null 2>&1 || {
	apt-get update -q >/dev/null
	apt-get install -y -q $missing
}
