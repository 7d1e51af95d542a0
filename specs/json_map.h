// Internal: the machinery that maps model structs to JSON and back. Each struct lists its fields
// once, in a `Fields(visitor, struct)` template (json_fields_*.h); the Reader and the Writer below
// are the two visitors, so the JSON names and the round trip cannot drift apart.
#pragma once

#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include <nlohmann/json.hpp>

#include "specs/parse.h"

namespace ocispec::internal {

using json = nlohmann::json;

template <class T> struct IsOptional : std::false_type {};
template <class T> struct IsOptional<std::optional<T>> : std::true_type {};
template <class T> struct IsVector : std::false_type {};
template <class T> struct IsVector<std::vector<T>> : std::true_type {};
template <class T> struct IsMap : std::false_type {};
template <class T> struct IsMap<std::map<std::string, T>> : std::true_type {};

// Appends one reference token to a JSON pointer, escaping '~' and '/' (RFC 6901).
void AppendPointerToken(std::string& pointer, std::string_view token);
// "string", "number 1.5", "boolean", ... for error messages.
std::string DescribeJson(const json& j);

// Reads a JSON value into a model struct, recording type/range issues with their pointers.
class Reader {
 public:
  explicit Reader(std::vector<ParseIssue>* issues) : issues_(issues) {}

  template <class T> void Read(const json& j, T& out);
  // Called by Fields(): reads obj[key] into field when present.
  template <class T> void operator()(const char* key, T& field);

 private:
  template <class I> void ReadInt(const json& j, I& out);
  template <class T> void ReadStruct(const json& j, T& out);
  template <class T> void KeepExtras(const json& j, T& out);
  void Issue(std::string message) { issues_->push_back({pointer_, 0, 0, std::move(message)}); }

  std::vector<ParseIssue>* issues_;
  std::string pointer_;
  const json* obj_ = nullptr;
  size_t hits_ = 0;
};

// Lists the JSON keys a struct knows.
struct KeyLister {
  std::vector<std::string_view> keys;
  template <class T> void operator()(const char* key, T&) { keys.push_back(key); }
};

// Writes a model struct as JSON.
class Writer {
 public:
  template <class T> json Write(const T& v);
  template <class T> void operator()(const char* key, T& field) {
    if (Present(field)) (*out_)[key] = Write(field);
  }

 private:
  template <class T> static bool Present(const T& f) {
    if constexpr (IsOptional<T>::value) return f.has_value();
    else if constexpr (IsVector<T>::value || IsMap<T>::value) return !f.empty();
    else return true;
  }
  json* out_ = nullptr;
};

template <class T>
void Reader::operator()(const char* key, T& field) {
  auto it = obj_->find(key);
  if (it == obj_->end()) return;
  ++hits_;
  size_t len = pointer_.size();
  AppendPointerToken(pointer_, key);
  Read(*it, field);
  pointer_.resize(len);
}

template <class T>
void Reader::Read(const json& j, T& out) {
  if constexpr (std::is_same_v<T, json>) {
    out = j;
  } else if constexpr (std::is_same_v<T, std::string>) {
    if (j.is_string()) out = j.get_ref<const std::string&>();
    else Issue("expected string, got " + DescribeJson(j));
  } else if constexpr (std::is_same_v<T, bool>) {
    if (j.is_boolean()) out = j.get<bool>();
    else Issue("expected boolean, got " + DescribeJson(j));
  } else if constexpr (std::is_integral_v<T>) {
    ReadInt(j, out);
  } else if constexpr (IsOptional<T>::value) {
    typename T::value_type v{};
    Read(j, v);
    out = std::move(v);
  } else if constexpr (IsVector<T>::value) {
    if (!j.is_array()) return Issue("expected array, got " + DescribeJson(j));
    out.resize(j.size());
    size_t len = pointer_.size();
    for (size_t i = 0; i < j.size(); ++i) {
      AppendPointerToken(pointer_, std::to_string(i));
      Read(j[i], out[i]);
      pointer_.resize(len);
    }
  } else if constexpr (IsMap<T>::value) {
    if (!j.is_object()) return Issue("expected object, got " + DescribeJson(j));
    size_t len = pointer_.size();
    for (auto it = j.begin(); it != j.end(); ++it) {
      AppendPointerToken(pointer_, it.key());
      Read(it.value(), out[it.key()]);
      pointer_.resize(len);
    }
  } else {
    ReadStruct(j, out);
  }
}

template <class I>
void Reader::ReadInt(const json& j, I& out) {
  constexpr bool kSigned = std::is_signed_v<I>;
  const char* want = kSigned ? "integer" : "unsigned integer";
  auto range = [&](const std::string& v) {
    Issue("value " + v + " out of range for " + (kSigned ? "int" : "uint") +
          std::to_string(sizeof(I) * 8) + " (" + std::to_string(std::numeric_limits<I>::min()) +
          ".." + std::to_string(std::numeric_limits<I>::max()) + ")");
  };
  if (j.is_number_unsigned()) {
    uint64_t v = j.get<uint64_t>();
    if (v > static_cast<uint64_t>(std::numeric_limits<I>::max())) return range(std::to_string(v));
    out = static_cast<I>(v);
  } else if (j.is_number_integer()) {
    int64_t v = j.get<int64_t>();
    if (v < static_cast<int64_t>(std::numeric_limits<I>::min())) return range(std::to_string(v));
    if (v > 0 && static_cast<uint64_t>(v) > static_cast<uint64_t>(std::numeric_limits<I>::max()))
      return range(std::to_string(v));
    out = static_cast<I>(v);
  } else {
    Issue(std::string("expected ") + want + ", got " + DescribeJson(j));
  }
}

template <class T>
void Reader::ReadStruct(const json& j, T& out) {
  if (!j.is_object()) return Issue("expected object, got " + DescribeJson(j));
  const json* saved_obj = obj_;
  size_t saved_hits = hits_;
  obj_ = &j;
  hits_ = 0;
  Fields(*this, out);
  if (hits_ < j.size()) KeepExtras(j, out);
  obj_ = saved_obj;
  hits_ = saved_hits;
}

template <class T>
void Reader::KeepExtras(const json& j, T& out) {
  KeyLister lister;
  Fields(lister, out);
  for (auto it = j.begin(); it != j.end(); ++it) {
    bool known = false;
    for (std::string_view k : lister.keys) known = known || k == it.key();
    if (!known) out.extra[it.key()] = it.value();
  }
}

template <class T>
json Writer::Write(const T& v) {
  if constexpr (std::is_same_v<T, json> || std::is_same_v<T, std::string> ||
                std::is_same_v<T, bool> || std::is_integral_v<T>) {
    return json(v);
  } else if constexpr (IsOptional<T>::value) {
    return Write(*v);
  } else if constexpr (IsVector<T>::value) {
    json a = json::array();
    for (const auto& e : v) a.push_back(Write(e));
    return a;
  } else if constexpr (IsMap<T>::value) {
    json o = json::object();
    for (const auto& [k, e] : v) o[k] = Write(e);
    return o;
  } else {
    json o = json::object();
    json* saved = out_;
    out_ = &o;
    Fields(*this, const_cast<T&>(v));  // Writer only reads the fields.
    out_ = saved;
    if (v.extra.is_object()) {
      for (auto it = v.extra.begin(); it != v.extra.end(); ++it) {
        if (!o.contains(it.key())) o[it.key()] = it.value();
      }
    }
    return o;
  }
}

}  // namespace ocispec::internal
