#include "runtime/hcs/guid.h"

#include <cstring>

#include "base/hex.h"

namespace ocirun::hcs {
namespace {

// ocirun's namespace for portable layer ids: NewV5(nil, "ocirun layer id"), fixed forever.
// = 4168900a-42cf-54e8-bcb8-b411b4156f2d.
constexpr GuidBytes kLayerNamespace = {0x41, 0x68, 0x90, 0x0a, 0x42, 0xcf, 0x54, 0xe8,
                                       0xbc, 0xb8, 0xb4, 0x11, 0xb4, 0x15, 0x6f, 0x2d};

uint32_t Rotl(uint32_t x, int n) { return (x << n) | (x >> (32 - n)); }

void Sha1Block(uint32_t h[5], const uint8_t* p) {
  uint32_t w[80];
  for (int i = 0; i < 16; ++i) {
    w[i] = (uint32_t(p[4 * i]) << 24) | (uint32_t(p[4 * i + 1]) << 16) | (uint32_t(p[4 * i + 2]) << 8) | p[4 * i + 3];
  }
  for (int i = 16; i < 80; ++i) w[i] = Rotl(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
  uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4];
  for (int i = 0; i < 80; ++i) {
    uint32_t f, k;
    if (i < 20) { f = (b & c) | (~b & d); k = 0x5a827999; }
    else if (i < 40) { f = b ^ c ^ d; k = 0x6ed9eba1; }
    else if (i < 60) { f = (b & c) | (b & d) | (c & d); k = 0x8f1bbcdc; }
    else { f = b ^ c ^ d; k = 0xca62c1d6; }
    uint32_t t = Rotl(a, 5) + f + e + k + w[i];
    e = d; d = c; c = Rotl(b, 30); b = a; a = t;
  }
  h[0] += a; h[1] += b; h[2] += c; h[3] += d; h[4] += e;
}

// UTF-8 to UTF-16LE bytes (invalid sequences become U+FFFD), as Windows names are UTF-16.
std::string Utf16Le(std::string_view s) {
  std::string out;
  auto put = [&out](uint32_t u) { out += char(u & 0xff); out += char(u >> 8); };
  for (size_t i = 0; i < s.size();) {
    unsigned char c = s[i];
    int len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    uint32_t cp = len == 1 ? c : len == 2 ? (c & 0x1f) : len == 3 ? (c & 0x0f) : (c & 0x07);
    bool ok = len > 0 && i + len <= s.size();
    for (int k = 1; ok && k < len; ++k) {
      unsigned char cc = s[i + k];
      ok = (cc >> 6) == 2;
      cp = (cp << 6) | (cc & 0x3f);
    }
    if (!ok) { put(0xfffd); i += 1; continue; }
    i += len;
    if (cp >= 0x10000) {
      cp -= 0x10000;
      put(0xd800 + (cp >> 10));
      put(0xdc00 + (cp & 0x3ff));
    } else {
      put(cp);
    }
  }
  return out;
}

}  // namespace

std::array<uint8_t, 20> Sha1(std::string_view data) {
  uint32_t h[5] = {0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0};
  std::string msg(data);
  const uint64_t bits = uint64_t(data.size()) * 8;
  msg += char(0x80);
  while (msg.size() % 64 != 56) msg += char(0);
  for (int i = 7; i >= 0; --i) msg += char((bits >> (8 * i)) & 0xff);
  for (size_t off = 0; off < msg.size(); off += 64) Sha1Block(h, reinterpret_cast<const uint8_t*>(msg.data() + off));
  std::array<uint8_t, 20> out;
  for (int i = 0; i < 5; ++i) {
    for (int j = 0; j < 4; ++j) out[4 * i + j] = uint8_t(h[i] >> (24 - 8 * j));
  }
  return out;
}

GuidBytes NewV5(const GuidBytes& ns, std::string_view name) {
  std::string input(reinterpret_cast<const char*>(ns.data()), ns.size());
  input.append(name);
  auto digest = Sha1(input);
  GuidBytes g;
  std::memcpy(g.data(), digest.data(), 16);
  g[6] = uint8_t((g[6] & 0x0f) | 0x50);
  g[8] = uint8_t((g[8] & 0x3f) | 0x80);
  return g;
}

std::string FormatGuid(const GuidBytes& g) {
  static const char* kHex = "0123456789abcdef";
  std::string s;
  for (size_t i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) s += '-';
    s += kHex[g[i] >> 4];
    s += kHex[g[i] & 0xf];
  }
  return s;
}

base::Result<GuidBytes> ParseGuid(std::string_view text) {
  std::string_view t = text;
  if (t.size() == 38 && t.front() == '{' && t.back() == '}') t = t.substr(1, 36);
  if (t.size() != 36) return base::InvalidArgument("not a GUID: \"" + std::string(text) + "\"");
  GuidBytes g{};
  size_t byte = 0;
  for (size_t i = 0; i < t.size();) {
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (t[i] != '-') return base::InvalidArgument("not a GUID: \"" + std::string(text) + "\"");
      ++i;
      continue;
    }
    int hi = base::HexValue(t[i]), lo = base::HexValue(t[i + 1]);
    if (hi < 0 || lo < 0) return base::InvalidArgument("not a GUID: \"" + std::string(text) + "\"");
    g[byte++] = uint8_t(hi << 4 | lo);
    i += 2;
  }
  return g;
}

std::string BaseName(std::string_view path) {
  while (!path.empty() && (path.back() == '\\' || path.back() == '/')) path.remove_suffix(1);
  size_t slash = path.find_last_of("\\/");
  return std::string(slash == std::string_view::npos ? path : path.substr(slash + 1));
}

base::Result<std::string> PortableLayerId(const std::string& layer_folder) {
  std::string name = BaseName(layer_folder);
  if (name.empty()) return base::InvalidArgument("layer folder \"" + layer_folder + "\" has no name");
  return FormatGuid(NewV5(kLayerNamespace, Utf16Le(name)));
}

}  // namespace ocirun::hcs
