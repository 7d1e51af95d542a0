// Helpers shared by the rule tables, and RuleContext.
#include <cctype>

#include "specs/json_map.h"
#include "specs/rules.h"

namespace ocispec::internal {

bool RuleContext::hyperv() const {
  return windows_platform() && spec &&
         ((spec->windows && spec->windows->hyperv) || spec->linux.has_value());
}

Platform RuleContext::process_platform() const {
  return spec && spec->linux ? Platform::kLinux : options.platform;
}

bool RuleContext::Present(const std::string& pointer) const {
  try {  // pointers built by Ptr() are well formed; nlohmann still throws on odd ones
    return doc.contains(nlohmann::json::json_pointer(pointer));
  } catch (const nlohmann::json::exception&) {
    return false;
  }
}

void RuleContext::Report(std::string pointer, std::string message) {
  out_->push_back({std::string(rule_->id), rule_->level, std::move(pointer), 0, 0, std::move(message)});
}

bool IsAbsolutePosix(std::string_view path) { return !path.empty() && path[0] == '/'; }

bool IsAbsoluteWindows(std::string_view path) {
  auto sep = [](char c) { return c == '\\' || c == '/'; };
  if (path.size() >= 3 && std::isalpha(static_cast<unsigned char>(path[0])) && path[1] == ':' && sep(path[2])) {
    return true;
  }
  return path.size() >= 3 && sep(path[0]) && sep(path[1]) && !sep(path[2]);  // \\?\..., \\server\share
}

bool IsAbsoluteFor(Platform platform, std::string_view path) {
  return platform == Platform::kWindows ? IsAbsoluteWindows(path) : IsAbsolutePosix(path);
}

namespace {

// A numeric identifier: digits, no leading zero unless "0".
bool IsNumber(std::string_view s) {
  if (s.empty() || (s.size() > 1 && s[0] == '0')) return false;
  for (char c : s) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

// Dot-separated identifiers of [0-9A-Za-z-]; numeric ones without leading zeros when `numeric_rule`.
bool IsIdentifiers(std::string_view s, bool numeric_rule) {
  if (s.empty()) return false;
  size_t start = 0;
  while (true) {
    size_t dot = s.find('.', start);
    std::string_view id = s.substr(start, dot == std::string_view::npos ? s.npos : dot - start);
    if (id.empty()) return false;
    bool all_digits = true;
    for (char c : id) {
      if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-') return false;
      all_digits = all_digits && std::isdigit(static_cast<unsigned char>(c));
    }
    if (numeric_rule && all_digits && !IsNumber(id)) return false;
    if (dot == std::string_view::npos) return true;
    start = dot + 1;
  }
}

}  // namespace

bool IsSemVer(std::string_view v) {
  size_t plus = v.find('+');
  if (plus != std::string_view::npos) {
    if (!IsIdentifiers(v.substr(plus + 1), false)) return false;
    v = v.substr(0, plus);
  }
  size_t dash = v.find('-');
  if (dash != std::string_view::npos) {
    if (!IsIdentifiers(v.substr(dash + 1), true)) return false;
    v = v.substr(0, dash);
  }
  size_t d1 = v.find('.');
  size_t d2 = d1 == std::string_view::npos ? d1 : v.find('.', d1 + 1);
  if (d2 == std::string_view::npos) return false;
  return IsNumber(v.substr(0, d1)) && IsNumber(v.substr(d1 + 1, d2 - d1 - 1)) && IsNumber(v.substr(d2 + 1));
}

std::string Quote(std::string_view s) { return nlohmann::json(std::string(s)).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace); }

std::string Ptr(std::string_view base, std::string_view token) {
  std::string p(base);
  AppendPointerToken(p, token);
  return p;
}

std::string Ptr(std::string_view base, size_t index) { return Ptr(base, std::to_string(index)); }

}  // namespace ocispec::internal
