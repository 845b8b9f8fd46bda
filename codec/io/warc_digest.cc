// WARC-Payload-Digest values (warc_reader.h): "ALGORITHM:VALUE", where ALGORITHM is sha1 or
// sha256 (case-insensitive) and VALUE the digest in base32 (RFC 4648, upper or lower case,
// padding optional — what wget, Heritrix and warcio write) or in hex.

#include <openssl/evp.h>

#include <string>

#include "codec/io/header_lines.h"
#include "palimpsest/warc_reader.h"

namespace palimpsest {

namespace {

using header_internal::AsciiLower;
using header_internal::EqualsIgnoreCase;
using header_internal::Trim;

std::string Base32(const unsigned char* bytes, size_t n) {
  static constexpr char kAlphabet[] = "abcdefghijklmnopqrstuvwxyz234567";
  std::string out;
  uint32_t buffer = 0;
  int bits = 0;
  for (size_t i = 0; i < n; ++i) {
    buffer = (buffer << 8) | bytes[i];
    bits += 8;
    while (bits >= 5) {
      out += kAlphabet[(buffer >> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += kAlphabet[(buffer << (5 - bits)) & 31];
  return out;
}

std::string Hex(const unsigned char* bytes, size_t n) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (size_t i = 0; i < n; ++i) {
    out += kDigits[bytes[i] >> 4];
    out += kDigits[bytes[i] & 15];
  }
  return out;
}

}  // namespace

bool PayloadDigestMatches(std::string_view digest, std::string_view payload) {
  digest = Trim(digest);
  const size_t colon = digest.find(':');
  if (colon == std::string_view::npos) return false;
  const std::string_view algorithm = digest.substr(0, colon);
  const EVP_MD* md = EqualsIgnoreCase(algorithm, "sha1")     ? EVP_sha1()
                     : EqualsIgnoreCase(algorithm, "sha256") ? EVP_sha256()
                                                             : nullptr;
  if (md == nullptr) return false;
  std::string value;
  for (char c : digest.substr(colon + 1)) {
    if (c != '=') value += AsciiLower(c);
  }
  unsigned char hash[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  if (EVP_Digest(payload.data(), payload.size(), hash, &n, md, nullptr) != 1) return false;
  return value == Base32(hash, n) || value == Hex(hash, n);
}

}  // namespace palimpsest
