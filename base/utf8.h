// UTF-8 checks for text that reaches a JSON writer. JSON text must be UTF-8 (RFC 8259 section 8.1) and
// nlohmann::json's dump throws type_error 316 on anything else; user text (a path from argv, a
// parser's "last read" excerpt of a config) can hold any byte.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace base {

// The offset of the first byte that does not start a well-formed UTF-8 sequence (overlong forms,
// surrogates and code points above U+10FFFF are ill-formed), or nullopt when all of `s` is UTF-8.
std::optional<size_t> FirstInvalidUtf8(std::string_view s);

// `s` with every byte of an ill-formed sequence written as the four characters \xNN (hex, upper
// case); well-formed text, including any literal backslash, is unchanged.
std::string EscapeInvalidUtf8(std::string_view s);

}  // namespace base
