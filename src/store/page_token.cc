#include "store/page_token.h"

#include <charconv>

#include "store/store.h"

namespace stepline::store {
namespace {

constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

std::string Base64Url(std::string_view in) {
  std::string out;
  out.reserve((in.size() + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    uint32_t v = (uint8_t(in[i]) << 16) | (uint8_t(in[i + 1]) << 8) | uint8_t(in[i + 2]);
    out += kAlphabet[v >> 18];
    out += kAlphabet[(v >> 12) & 63];
    out += kAlphabet[(v >> 6) & 63];
    out += kAlphabet[v & 63];
  }
  if (i + 1 == in.size()) {
    uint32_t v = uint8_t(in[i]) << 16;
    out += kAlphabet[v >> 18];
    out += kAlphabet[(v >> 12) & 63];
  } else if (i + 2 == in.size()) {
    uint32_t v = (uint8_t(in[i]) << 16) | (uint8_t(in[i + 1]) << 8);
    out += kAlphabet[v >> 18];
    out += kAlphabet[(v >> 12) & 63];
    out += kAlphabet[(v >> 6) & 63];
  }
  return out;
}

int Sextet(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '-') return 62;
  if (c == '_') return 63;
  return -1;
}

std::optional<std::string> UnBase64Url(std::string_view in) {
  if (in.size() % 4 == 1) return std::nullopt;  // no valid encoding has this length
  std::string out;
  uint32_t acc = 0;
  int bits = 0;
  for (char c : in) {
    int v = Sextet(c);
    if (v < 0) return std::nullopt;
    acc = (acc << 6) | uint32_t(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += char((acc >> bits) & 0xff);
    }
  }
  // Leftover bits must be zero, so each token has exactly one spelling.
  if (bits > 0 && (acc & ((1u << bits) - 1)) != 0) return std::nullopt;
  return out;
}

// FNV-1a: a checksum, not a secret; it makes a mangled token fail as
// InvalidToken instead of landing somewhere in the listing.
uint32_t Checksum(std::string_view s) {
  uint32_t h = 2166136261u;
  for (char c : s) h = (h ^ uint8_t(c)) * 16777619u;
  return h;
}

void AppendChecksum(std::string& raw) {
  uint32_t h = Checksum(raw);
  for (int i = 0; i < 4; ++i) raw += char((h >> (8 * i)) & 0xff);
}

}  // namespace

std::string EncodePageToken(std::string_view tag, const PageKey& key) {
  std::string raw(tag);
  raw += ':';
  raw += std::to_string(key.number);
  raw += ':';
  raw += key.arn;
  AppendChecksum(raw);
  return Base64Url(raw);
}

std::optional<PageKey> DecodePageToken(std::string_view tag, std::string_view token) {
  auto raw = UnBase64Url(token);
  if (!raw || raw->size() < 4) return std::nullopt;
  std::string body = raw->substr(0, raw->size() - 4);
  std::string check = body;
  AppendChecksum(check);
  if (check != *raw) return std::nullopt;
  std::string_view s(body);
  if (s.size() <= tag.size() || s.substr(0, tag.size()) != tag || s[tag.size()] != ':') return std::nullopt;
  s.remove_prefix(tag.size() + 1);
  size_t colon = s.find(':');
  if (colon == std::string_view::npos || colon == 0) return std::nullopt;
  PageKey key;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + colon, key.number);
  if (ec != std::errc() || ptr != s.data() + colon) return std::nullopt;
  key.arn = std::string(s.substr(colon + 1));
  if (key.arn.empty()) return std::nullopt;
  return key;
}

size_t EffectivePageSize(size_t max) {
  if (max == 0) return kDefaultPageSize;
  return max > kMaxPageSize ? kMaxPageSize : max;
}

}  // namespace stepline::store
