#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# An independent implementation of the s390-tools lock protocol (libutil's
# util_lockfile, as ap-check and chzdev use it), written from the protocol
# description and not from libapmatrix, so the unit tests can show that
# the library and a peer exclude each other.
#
# Protocol: write "<owner pid>\n" into <lock><pid %05d><time&255 %02x>
# (created exclusively), hard-link it to <lock>; if that fails, read the
# holder: no such process (kill -0 says ESRCH) or no PID and older than
# 120 s is stale (remove, retry at once), else sleep and retry. Release
# removes the lock only if it names the owner.
#
# Usage: s390-lockfile.sh LOCK COMMAND [ARGS]
#   hold RELEASE-FILE  take the lock for this process, print "locked",
#                      wait until RELEASE-FILE exists, release, exit 0
#   try RETRIES        take it for this process and release it at once;
#                      exit 1 when still held by others after RETRIES
#   count COUNTER N [DONE-FILE]
#                      N times: take it, add 1 to the number in COUNTER,
#                      release; then wait until DONE-FILE exists
#   crash              take it for this process and exit without release
#   parent-lock        take it for the parent process (ap-check "pre")
#   parent-release     release it if it names the parent (ap-check "post")
set -u
LOCK=$1
CMD=$2
shift 2

tmpname() {
	printf '%s%05d%02x' "$LOCK" "$$" $(($(date +%s) & 255))
}

# Exit status 0: the lock file is stale, remove it and retry; 1: held;
# 2: it could not be read (gone meanwhile), retry at once.
stale() {
	local pid="" err mtime
	IFS= read -r pid 2>/dev/null <"$LOCK" || [ -e "$LOCK" ] || return 2
	if [[ $pid =~ ^[0-9]+$ ]] && ((pid > 0)); then
		err=$(kill -0 "$pid" 2>&1) && return 1
		[[ $err == *"No such process"* ]]
		return
	fi
	mtime=$(stat -c %Y "$LOCK" 2>/dev/null) || return 2
	(($(date +%s) > mtime + 120))
}

# acquire OWNER RETRIES -> 0 locked, 1 gave up
acquire() {
	local owner=$1 tries=$(($2 + 1)) tmp
	tmp=$(tmpname)
	(set -C && printf '%d\n' "$owner" >"$tmp") 2>/dev/null || return 2
	while :; do
		if ln "$tmp" "$LOCK" 2>/dev/null; then
			rm -f "$tmp"
			return 0
		fi
		stale
		case $? in
		0)
			rm -f "$LOCK"
			continue
			;;
		2) continue ;;
		esac
		tries=$((tries - 1))
		if ((tries <= 0)); then
			rm -f "$tmp"
			return 1
		fi
		sleep 0.03
	done
}

# release OWNER -> 0 removed, 1 not ours or not there
release() {
	local pid=""
	IFS= read -r pid <"$LOCK" 2>/dev/null || return 1
	[ "$pid" = "$1" ] || return 1
	rm -f "$LOCK"
}

case $CMD in
hold)
	acquire $$ 100000 || exit 1
	echo locked
	while [ ! -e "$1" ]; do sleep 0.02; done
	release $$
	;;
try)
	acquire $$ "$1" || exit 1
	release $$
	;;
count)
	for ((i = 0; i < $2; i++)); do
		acquire $$ 100000 || exit 1
		read -r n <"$1"
		echo $((n + 1)) >"$1"
		release $$ || exit 3
	done
	while [ -n "${3-}" ] && [ ! -e "$3" ]; do sleep 0.02; done
	;;
crash)
	acquire $$ 0 || exit 1
	;;
parent-lock)
	acquire "$PPID" 0
	;;
parent-release)
	release "$PPID"
	;;
*)
	echo "unknown command $CMD" >&2
	exit 2
	;;
esac
