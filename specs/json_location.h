// Finding things in raw JSON text without building a value: where a JSON pointer's value starts
// (for line:column in error messages) and how deep the text nests (to refuse hostile input before
// any recursive code sees it). Both scan iteratively; malformed text just yields "unknown".
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>
#include <vector>

namespace ocispec {

struct TextPosition {
  int line = 0;    // 1-based
  int column = 0;  // 1-based, in characters (UTF-8 sequences count once)
};

// The position of byte `offset` in `text` (offset clamped to the text's size).
TextPosition PositionOf(std::string_view text, size_t offset);

// Byte offset where the value at `pointer` (RFC 6901, "" = root) begins, or nullopt when the text
// has no such value. For an object member this is the start of the value, not of the key.
std::optional<size_t> LocatePointer(std::string_view text, std::string_view pointer);

// Byte offset of the first '[' or '{' that opens nesting level max_depth + 1, or nullopt.
std::optional<size_t> FindExcessiveNesting(std::string_view text, int max_depth);

// Sets line/column of each item (anything with pointer, line, column) not yet located whose
// pointer exists in `text`.
template <class T>
void LocateAll(std::string_view text, std::vector<T>& items) {
  for (T& item : items) {
    if (item.line != 0) continue;
    if (auto offset = LocatePointer(text, item.pointer)) {
      TextPosition pos = PositionOf(text, *offset);
      item.line = pos.line;
      item.column = pos.column;
    }
  }
}

}  // namespace ocispec
