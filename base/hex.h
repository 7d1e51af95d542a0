// Hex digits: the one decoder the runtime's text formats share (GUIDs, the hyperv agent protocol).
// Header-only, so the static guest agent uses it without linking ocibase.
#pragma once

namespace base {

// The value of one hex digit (either case), or -1 when `c` is not one.
inline int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace base
