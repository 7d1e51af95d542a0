#!/usr/bin/env bash
# Host preparation that the peer runtimes need on this kind of machine (idempotent):
# crun 1.8.1 refuses the hybrid cgroup layout ("cgroups in hybrid mode not supported") while the
# hugetlb controller sits on cgroup v2; mounting it as a v1 hierarchy lets crun run. ocirun and runc
# work either way.
set -euo pipefail
if [ -d /sys/fs/cgroup/unified ] && ! mountpoint -q /sys/fs/cgroup/hugetlb 2>/dev/null; then
  if grep -qw hugetlb /proc/cgroups; then
    mkdir -p /sys/fs/cgroup/hugetlb
    mount -t cgroup -o hugetlb cgroup /sys/fs/cgroup/hugetlb 2>/dev/null || \
      echo "prepare-host: could not mount the hugetlb hierarchy; crun may refuse this host" >&2
  fi
fi
