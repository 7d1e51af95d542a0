#!/usr/bin/env bash
# Builds the guest half of ocirun's utility-VM initramfs (run by CMake after ocirun and the agent):
#   /init          the static guest agent (guest/agent/)
#   /bin/ocirun    this build's ocirun and the shared libraries it loads (ldd), at their own paths:
#                  the agent makes containers with it, so the guest runs the same process-backend code
#   mountpoints    /mnt/lower (9p), /mnt/rw (tmpfs upper), /mnt/root (overlay)
# The kernel modules are a second archive from scripts/hyperv-setup.sh; the backend concatenates the
# two (the kernel unpacks concatenated newc archives in order).
# Usage: hyperv-guest-cpio.sh AGENT OCIRUN OUT
set -euo pipefail
agent=$1 ocirun=$2 out=$3
command -v cpio >/dev/null || { echo "hyperv-guest-cpio: cpio is missing (apt-get install cpio)" >&2; exit 1; }
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
mkdir -p "$root"/{bin,etc,proc,sys,dev,run,tmp,mnt/lower,mnt/rw,mnt/root,lib/ocirun-modules}
cp "$agent" "$root/init"
cp "$ocirun" "$root/bin/ocirun"
ldd "$ocirun" | awk '/=> \//{print $3} /^[ \t]*\/.*ld-linux/{print $1}' | while read -r lib; do
  mkdir -p "$root$(dirname "$lib")"
  cp -L "$lib" "$root$lib"
done
# ld.so looks in /lib64 for the interpreter path, in /lib/x86_64-linux-gnu for the rest: keep both.
echo 'root:x:0:0:root:/:/bin/sh' > "$root/etc/passwd"
echo 'root:x:0:' > "$root/etc/group"
(cd "$root" && find . | LC_ALL=C sort | cpio -o -H newc --quiet -R 0:0) > "$out.tmp"
mv "$out.tmp" "$out"
