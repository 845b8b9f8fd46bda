#include "palimpsest/hash.h"

#include <openssl/evp.h>

#include <cstdlib>

namespace palimpsest {

Digest Sha256(std::string_view data) {
  Sha256Builder b;
  b.Update(data);
  return b.Finish();
}

Sha256Builder::Sha256Builder() : ctx_(EVP_MD_CTX_new()) {
  if (ctx_ == nullptr ||
      EVP_DigestInit_ex(static_cast<EVP_MD_CTX*>(ctx_), EVP_sha256(), nullptr) != 1) {
    std::abort();  // Out of memory or a broken OpenSSL: nothing sensible to return.
  }
}

Sha256Builder::~Sha256Builder() { EVP_MD_CTX_free(static_cast<EVP_MD_CTX*>(ctx_)); }

void Sha256Builder::Update(std::string_view data) {
  EVP_DigestUpdate(static_cast<EVP_MD_CTX*>(ctx_), data.data(), data.size());
}

void Sha256Builder::UpdateField(std::string_view s) {
  uint64_t n = s.size();
  unsigned char len[8];
  for (int i = 7; i >= 0; --i) {
    len[i] = static_cast<unsigned char>(n & 0xff);
    n >>= 8;
  }
  Update(std::string_view(reinterpret_cast<const char*>(len), 8));
  Update(s);
}

Digest Sha256Builder::Finish() {
  Digest d{};
  unsigned int len = 0;
  EVP_DigestFinal_ex(static_cast<EVP_MD_CTX*>(ctx_), d.data(), &len);
  return d;
}

std::string ToHex(std::string_view bytes) {
  static const char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    out.push_back(kHex[c >> 4]);
    out.push_back(kHex[c & 15]);
  }
  return out;
}

std::string ToHex(const Digest& digest) { return ToHex(AsBytes(digest)); }

static int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool FromHex(std::string_view hex, std::string* bytes) {
  if (hex.size() % 2 != 0) return false;
  std::string out;
  out.reserve(hex.size() / 2);
  for (size_t i = 0; i < hex.size(); i += 2) {
    int hi = HexValue(hex[i]), lo = HexValue(hex[i + 1]);
    if (hi < 0 || lo < 0) return false;
    out.push_back(static_cast<char>(hi * 16 + lo));
  }
  *bytes = std::move(out);
  return true;
}

std::string DigestToString(const Digest& digest) { return "sha256:" + ToHex(digest); }

bool DigestFromString(std::string_view text, Digest* digest) {
  if (text.substr(0, 7) == "sha256:") text.remove_prefix(7);
  std::string bytes;
  if (text.size() != 64 || !FromHex(text, &bytes)) return false;
  std::copy(bytes.begin(), bytes.end(), digest->begin());
  return true;
}

}  // namespace palimpsest
