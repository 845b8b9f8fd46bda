// Implements the address policy: IPv4 ranges by prefix, IPv6 by prefix or embedded IPv4.

#include "cli/watch/address_policy.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <array>
#include <cstdint>
#include <cstring>
#include <string>

namespace palimpsest::cli {

namespace {

struct V4Range {
  uint32_t base;  // host byte order
  int prefix_len;
};

constexpr uint32_t V4(uint32_t a, uint32_t b, uint32_t c, uint32_t d) {
  return (a << 24) | (b << 16) | (c << 8) | d;
}

// IPv4 ranges that are not globally reachable unicast.
constexpr std::array<V4Range, 15> kNonPublicV4 = {{
    {V4(0, 0, 0, 0), 8},        // "this network", including 0.0.0.0
    {V4(10, 0, 0, 0), 8},       // private
    {V4(100, 64, 0, 0), 10},    // shared address space (CGNAT)
    {V4(127, 0, 0, 0), 8},      // loopback
    {V4(169, 254, 0, 0), 16},   // link-local (and cloud metadata services)
    {V4(172, 16, 0, 0), 12},    // private
    {V4(192, 0, 0, 0), 24},     // IETF protocol assignments
    {V4(192, 0, 2, 0), 24},     // documentation TEST-NET-1
    {V4(192, 88, 99, 0), 24},   // deprecated 6to4 relay anycast
    {V4(192, 168, 0, 0), 16},   // private
    {V4(198, 18, 0, 0), 15},    // benchmarking
    {V4(198, 51, 100, 0), 24},  // documentation TEST-NET-2
    {V4(203, 0, 113, 0), 24},   // documentation TEST-NET-3
    {V4(224, 0, 0, 0), 4},      // multicast
    {V4(240, 0, 0, 0), 4},      // reserved, including 255.255.255.255
}};

bool IsPublicV4(uint32_t ip) {
  for (const V4Range& range : kNonPublicV4) {
    uint32_t mask = ~uint32_t{0} << (32 - range.prefix_len);
    if ((ip & mask) == range.base) return false;
  }
  return true;
}

uint32_t ReadV4(const uint8_t* bytes) {
  return (uint32_t{bytes[0]} << 24) | (uint32_t{bytes[1]} << 16) | (uint32_t{bytes[2]} << 8) |
         uint32_t{bytes[3]};
}

// Whether the first `prefix_len` bits of `a` equal those of `prefix` (16 bytes each).
bool HasPrefix(const uint8_t* a, const std::array<uint8_t, 16>& prefix, int prefix_len) {
  int full = prefix_len / 8;
  if (std::memcmp(a, prefix.data(), full) != 0) return false;
  int rest = prefix_len % 8;
  if (rest == 0) return true;
  uint8_t mask = static_cast<uint8_t>(0xff << (8 - rest));
  return (a[full] & mask) == (prefix[full] & mask);
}

// IPv6 prefixes inside 2000::/3 that are not globally reachable unicast.
struct V6Range {
  std::array<uint8_t, 16> prefix;
  int prefix_len;
};
constexpr std::array<V6Range, 4> kNonPublicGlobalV6 = {{
    {{0x20, 0x01, 0x00, 0x00}, 32},        // Teredo
    {{0x20, 0x01, 0x00, 0x02, 0, 0}, 48},  // benchmarking
    {{0x20, 0x01, 0x0d, 0xb8}, 32},        // documentation
    {{0x3f, 0xff}, 20},                    // documentation
}};

bool IsPublicV6(const uint8_t* a) {
  static constexpr std::array<uint8_t, 16> kMapped = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  static constexpr std::array<uint8_t, 16> kTranslated = {0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  static constexpr std::array<uint8_t, 16> kCompatible = {};
  static constexpr std::array<uint8_t, 16> kNat64 = {0x00, 0x64, 0xff, 0x9b};
  static constexpr std::array<uint8_t, 16> k6to4 = {0x20, 0x02};
  static constexpr std::array<uint8_t, 16> kGlobal = {0x20};
  // ::a.b.c.d covers :: and ::1, which land in 0/8.
  if (HasPrefix(a, kMapped, 96) || HasPrefix(a, kTranslated, 96) || HasPrefix(a, kCompatible, 96) ||
      HasPrefix(a, kNat64, 96)) {
    return IsPublicV4(ReadV4(a + 12));
  }
  if (HasPrefix(a, k6to4, 16)) return IsPublicV4(ReadV4(a + 2));
  // Outside 2000::/3 is loopback, unspecified, ULA, link-local, site-local, multicast,
  // discard-only, local-use NAT64 or unallocated.
  if (!HasPrefix(a, kGlobal, 3)) return false;
  for (const V6Range& range : kNonPublicGlobalV6) {
    if (HasPrefix(a, range.prefix, range.prefix_len)) return false;
  }
  return true;
}

}  // namespace

bool IsPublicAddress(const struct sockaddr* addr) {
  if (addr == nullptr) return false;
  if (addr->sa_family == AF_INET) {
    sockaddr_in in;
    std::memcpy(&in, addr, sizeof(in));
    return IsPublicV4(ntohl(in.sin_addr.s_addr));
  }
  if (addr->sa_family == AF_INET6) {
    sockaddr_in6 in6;
    std::memcpy(&in6, addr, sizeof(in6));
    return IsPublicV6(in6.sin6_addr.s6_addr);
  }
  return false;
}

bool IsPublicAddress(std::string_view numeric_ip) {
  if (numeric_ip.size() > INET6_ADDRSTRLEN) return false;
  if (numeric_ip.find('\0') != std::string_view::npos) return false;
  std::string text(numeric_ip);  // inet_pton wants a terminated string
  sockaddr_in in{};
  if (inet_pton(AF_INET, text.c_str(), &in.sin_addr) == 1) {
    in.sin_family = AF_INET;
    return IsPublicAddress(reinterpret_cast<const sockaddr*>(&in));
  }
  sockaddr_in6 in6{};
  if (inet_pton(AF_INET6, text.c_str(), &in6.sin6_addr) == 1) {
    in6.sin6_family = AF_INET6;
    return IsPublicAddress(reinterpret_cast<const sockaddr*>(&in6));
  }
  return false;
}

}  // namespace palimpsest::cli
