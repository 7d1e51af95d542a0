#!/usr/bin/env bash
# Installs everything ocicert needs on Debian 12, from Debian's packages only. Idempotent and quiet
# when everything is already there. Run as root (CI and the README's commands are).
set -euo pipefail
cd "$(dirname "$0")/.."

PACKAGES=(
  # toolchain
  cmake ninja-build g++ clang libclang-rt-14-dev ccache pkg-config git
  # libraries (valijson is handled below)
  nlohmann-json3-dev libcli11-dev libfmt-dev libgtest-dev libgmock-dev libbenchmark-dev libseccomp-dev
  # the runtime-spec project's own JSON Schemas, for the differential schema test
  golang-github-opencontainers-specs-dev
  # peers and test material: real runtimes, containerd, a static busybox for test rootfs
  runc crun containerd busybox-static iproute2 procps util-linux
  # ocirun's hyperv isolation: the utility VM and its initramfs (the guest kernel: hyperv-setup.sh)
  qemu-system-x86 cpio xz-utils
  # Windows cross build and its test runner
  g++-mingw-w64-x86-64 mingw-w64-x86-64-dev wine64
  # HTML report rendering check
  chromium
  # fleet stage: results rewritten to look like other hosts; the examples' validators come from npm
  jq nodejs
)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# npm: Debian's package, unless the nodejs installed already carries its own.
command -v npm >/dev/null || missing+=(npm)
if ((${#missing[@]})); then
  echo "setup-deps: installing ${#missing[@]} Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q >/dev/null
  apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
fi

# valijson is header-only, but libvalijson-dev hard-depends on ~100 packages (~880 MB: Qt, Poco...)
# that are only needed by its optional adapters. Take the package's headers alone, into .deps/.
if [ ! -f /usr/include/valijson/validator.hpp ] && [ ! -f .deps/valijson/usr/include/valijson/validator.hpp ]; then
  echo "setup-deps: extracting libvalijson-dev headers into .deps/valijson"
  mkdir -p .deps/valijson
  tmp=$(mktemp -d)
  (cd "$tmp" && apt-get download -q libvalijson-dev >/dev/null 2>&1 || { apt-get update -q >/dev/null && apt-get download -q libvalijson-dev >/dev/null; })
  dpkg-deb -x "$tmp"/libvalijson-dev_*.deb .deps/valijson
  rm -rf "$tmp"
fi

# The hyperv isolation's guest kernel (Debian's linux-image-amd64, unpacked without install hooks)
# into /var/cache/ocirun/hyperv, outside the tree. Idempotent.
bash scripts/hyperv-setup.sh
