#!/usr/bin/env bash
# Builds a minimal test rootfs from Debian's busybox-static: no network, no image registry.
# Usage: scripts/make-rootfs.sh DEST [EXTRA_STATIC_BINARY...]   (extra binaries land in DEST/bin)
set -euo pipefail
dest=${1:?usage: make-rootfs.sh DEST [BINARY...]}
shift
busybox=/bin/busybox
[ -x "$busybox" ] || { echo "make-rootfs: $busybox missing (apt-get install busybox-static)" >&2; exit 1; }
mkdir -p "$dest"/{bin,sbin,usr/bin,usr/sbin,etc,proc,sys,dev,tmp,root,run,var/tmp}
chmod 1777 "$dest/tmp" "$dest/var/tmp"
cp -f "$busybox" "$dest/bin/busybox"
for applet in $("$busybox" --list); do
  [ -e "$dest/bin/$applet" ] || ln -s busybox "$dest/bin/$applet"
done
cat >"$dest/etc/passwd" <<'P'
root:x:0:0:root:/root:/bin/sh
nobody:x:65534:65534:nobody:/nonexistent:/bin/false
P
cat >"$dest/etc/group" <<'G'
root:x:0:
nogroup:x:65534:
G
: >"$dest/etc/hosts"
: >"$dest/etc/resolv.conf"
for extra in "$@"; do
  cp -f "$extra" "$dest/bin/"
done
