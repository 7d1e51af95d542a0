#!/usr/bin/env bash
# Fetches the utility VM's guest kernel for ocirun's hyperv isolation (docs/hyperv.md) into a cache
# folder outside the tree (default /var/cache/ocirun/hyperv, or $OCIRUN_HYPERV_CACHE):
#   vmlinux         the uncompressed kernel of Debian's current linux-image-<abi>-amd64 (microvm boots
#                   it directly through its PVH note; the bzImage costs ~5 s more under TCG)
#   modules.cpio    a newc archive holding /lib/ocirun-modules/NN-<name>.ko: the 10 modules the guest
#                   agent loads in that order (virtio, 9p, overlay); appended to the agent's archive
#   abi             the kernel ABI name (e.g. 6.1.0-57-amd64)
# The package is taken with `apt-get download` and unpacked with `dpkg -x`: no install hooks run, the
# host's kernel and /boot stay untouched. Idempotent: does nothing when the cache holds this ABI.
set -euo pipefail
cache=${OCIRUN_HYPERV_CACHE:-/var/cache/ocirun/hyperv}
# insmod does not resolve dependencies: this is the load order (virtio_ring before virtio).
MODULES=(virtio_ring virtio virtio_mmio virtio_console 9pnet 9pnet_virtio netfs fscache 9p overlay)

abi=$(apt-cache depends linux-image-amd64 2>/dev/null | sed -n 's/.*Depends: linux-image-\(.*\)$/\1/p' | head -1)
if [ -z "$abi" ]; then
  apt-get update -q >/dev/null
  abi=$(apt-cache depends linux-image-amd64 | sed -n 's/.*Depends: linux-image-\(.*\)$/\1/p' | head -1)
fi
[ -n "$abi" ] || { echo "hyperv-setup: cannot resolve linux-image-amd64's ABI (apt-cache depends)" >&2; exit 1; }
if [ -f "$cache/abi" ] && [ "$(cat "$cache/abi")" = "$abi" ] && [ -f "$cache/vmlinux" ] && [ -f "$cache/modules.cpio" ]; then
  exit 0
fi
for tool in cpio xz dpkg; do
  command -v $tool >/dev/null || { echo "hyperv-setup: $tool is missing (apt-get install cpio xz-utils)" >&2; exit 1; }
done
echo "hyperv-setup: fetching linux-image-$abi into $cache"
mkdir -p "$cache"
work=$(mktemp -d "$cache/.work.XXXXXX")
trap 'rm -rf "$work"' EXIT
(cd "$work" && apt-get download -q "linux-image-$abi" >/dev/null 2>&1 ||
   { apt-get update -q >/dev/null && apt-get download -q "linux-image-$abi" >/dev/null; })
dpkg -x "$work"/linux-image-"$abi"_*.deb "$work/pkg"

# vmlinux: the XZ payload of the bzImage (the kernel's scripts/extract-vmlinux, XZ case).
bz="$work/pkg/boot/vmlinuz-$abi"
off=$(grep -abo $'\xfd7zXZ\x00' "$bz" | head -1 | cut -d: -f1)
[ -n "$off" ] || { echo "hyperv-setup: no XZ payload in $bz" >&2; exit 1; }
tail -c +$((off + 1)) "$bz" | xz -dc > "$work/vmlinux" 2>/dev/null || true
[ -s "$work/vmlinux" ] && head -c 4 "$work/vmlinux" | grep -q ELF ||
  { echo "hyperv-setup: extracting vmlinux from $bz failed" >&2; exit 1; }

mkdir -p "$work/root/lib/ocirun-modules"
n=0
for m in "${MODULES[@]}"; do
  path=$(find "$work/pkg/lib/modules/$abi/kernel" -name "$m.ko" -o -name "$m.ko.xz" | head -1)
  [ -n "$path" ] || { echo "hyperv-setup: module $m not found in linux-image-$abi" >&2; exit 1; }
  dest="$work/root/lib/ocirun-modules/$(printf %02d $n)-$m.ko"
  case "$path" in *.xz) xz -dc "$path" > "$dest" ;; *) cp "$path" "$dest" ;; esac
  n=$((n + 1))
done
(cd "$work/root" && find . | LC_ALL=C sort | cpio -o -H newc --quiet -R 0:0) > "$work/modules.cpio"
mv "$work/vmlinux" "$cache/vmlinux"
mv "$work/modules.cpio" "$cache/modules.cpio"
echo "$abi" > "$cache/abi.tmp" && mv "$cache/abi.tmp" "$cache/abi"
echo "hyperv-setup: $cache ready ($abi)"
