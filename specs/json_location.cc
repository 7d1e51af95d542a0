#include "specs/json_location.h"

#include <string>

namespace ocispec {
namespace {

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

size_t SkipSpace(std::string_view t, size_t i) {
  while (i < t.size() && IsSpace(t[i])) ++i;
  return i;
}

// i at the opening quote; returns the index after the closing quote (t.size() if unterminated).
size_t SkipString(std::string_view t, size_t i) {
  for (++i; i < t.size(); ++i) {
    if (t[i] == '\\') ++i;
    else if (t[i] == '"') return i + 1;
  }
  return t.size();
}

// Skips one value of any kind without recursion.
size_t SkipValue(std::string_view t, size_t i) {
  int depth = 0;
  while (i < t.size()) {
    char c = t[i];
    if (c == '"') {
      i = SkipString(t, i);
      if (depth == 0) return i;
      continue;
    }
    if (c == '{' || c == '[') ++depth;
    if (c == '}' || c == ']') {
      if (--depth <= 0) return i + 1;
    }
    if (depth == 0 && (c == ',' || IsSpace(c))) return i;
    ++i;
  }
  return i;
}

void AppendUtf8(std::string& out, unsigned cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// The value of up to 4 hex digits; invalid digits count as 0 (the text then fails to parse anyway).
unsigned HexValue(std::string_view hex) {
  unsigned v = 0;
  for (char c : hex) {
    unsigned d = (c >= '0' && c <= '9') ? c - '0' : (c >= 'a' && c <= 'f') ? c - 'a' + 10
               : (c >= 'A' && c <= 'F') ? c - 'A' + 10 : 0;
    v = v * 16 + d;
  }
  return v;
}

// Decodes the string literal starting at t[i] == '"' (basic escapes; surrogate pairs kept apart).
std::string DecodeString(std::string_view t, size_t i) {
  std::string out;
  for (++i; i < t.size() && t[i] != '"'; ++i) {
    if (t[i] != '\\' || i + 1 >= t.size()) {
      out += t[i];
      continue;
    }
    char e = t[++i];
    switch (e) {
      case 'n': out += '\n'; break;
      case 't': out += '\t'; break;
      case 'r': out += '\r'; break;
      case 'b': out += '\b'; break;
      case 'f': out += '\f'; break;
      case 'u':
        if (i + 4 < t.size()) {
          AppendUtf8(out, HexValue(t.substr(i + 1, 4)));
          i += 4;
        }
        break;
      default: out += e;
    }
  }
  return out;
}

std::string UnescapeToken(std::string_view tok) {
  std::string out;
  for (size_t i = 0; i < tok.size(); ++i) {
    if (tok[i] == '~' && i + 1 < tok.size()) {
      out += tok[i + 1] == '1' ? '/' : '~';
      ++i;
    } else {
      out += tok[i];
    }
  }
  return out;
}

// In the object or array at t[i], the offset of the member/element named `token`.
std::optional<size_t> Step(std::string_view t, size_t i, const std::string& token) {
  if (i >= t.size()) return std::nullopt;
  bool is_object = t[i] == '{';
  if (!is_object && t[i] != '[') return std::nullopt;
  size_t index = 0;
  size_t wanted = 0;
  if (!is_object) {
    if (token.empty() || token.find_first_not_of("0123456789") != std::string::npos) return std::nullopt;
    wanted = std::stoul(token.substr(0, 9));
  }
  i = SkipSpace(t, i + 1);
  while (i < t.size() && t[i] != '}' && t[i] != ']') {
    bool match = is_object ? false : index == wanted;
    if (is_object) {
      if (t[i] != '"') return std::nullopt;
      match = DecodeString(t, i) == token;
      i = SkipSpace(t, SkipString(t, i));
      if (i >= t.size() || t[i] != ':') return std::nullopt;
      i = SkipSpace(t, i + 1);
    }
    if (match) return i;
    i = SkipSpace(t, SkipValue(t, i));
    if (i < t.size() && t[i] == ',') i = SkipSpace(t, i + 1);
    ++index;
  }
  return std::nullopt;
}

}  // namespace

TextPosition PositionOf(std::string_view text, size_t offset) {
  if (offset > text.size()) offset = text.size();
  TextPosition pos{1, 1};
  for (size_t i = 0; i < offset; ++i) {
    if (text[i] == '\n') {
      ++pos.line;
      pos.column = 1;
    } else if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
      ++pos.column;
    }
  }
  return pos;
}

std::optional<size_t> LocatePointer(std::string_view text, std::string_view pointer) {
  size_t i = SkipSpace(text, 0);
  if (pointer.empty()) return i;
  if (pointer[0] != '/') return std::nullopt;
  size_t start = 1;
  while (true) {
    size_t end = pointer.find('/', start);
    std::string token = UnescapeToken(pointer.substr(start, end - start));
    auto next = Step(text, i, token);
    if (!next) return std::nullopt;
    i = *next;
    if (end == std::string_view::npos) return i;
    start = end + 1;
  }
}

std::optional<size_t> FindExcessiveNesting(std::string_view text, int max_depth) {
  int depth = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '"') {
      i = SkipString(text, i) - 1;
    } else if (c == '{' || c == '[') {
      if (++depth > max_depth) return i;
    } else if (c == '}' || c == ']') {
      --depth;
    }
  }
  return std::nullopt;
}

}  // namespace ocispec
