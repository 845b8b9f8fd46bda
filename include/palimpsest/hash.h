// SHA-256 digests (OpenSSL EVP) and their text form.
//
// Thread safety: pure functions.

#ifndef PALIMPSEST_HASH_H_
#define PALIMPSEST_HASH_H_

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace palimpsest {

using Digest = std::array<uint8_t, 32>;

// SHA-256 of `data`.
Digest Sha256(std::string_view data);

// Incremental SHA-256 for data that arrives in pieces. Not copyable.
class Sha256Builder {
 public:
  Sha256Builder();
  ~Sha256Builder();
  Sha256Builder(const Sha256Builder&) = delete;
  Sha256Builder& operator=(const Sha256Builder&) = delete;

  void Update(std::string_view data);
  // Appends `s` with a u64 length prefix, so field boundaries stay unambiguous.
  void UpdateField(std::string_view s);
  Digest Finish();

 private:
  void* ctx_;  // EVP_MD_CTX*
};

// Lower-case hex of `bytes`.
std::string ToHex(std::string_view bytes);
std::string ToHex(const Digest& digest);

// Parses lower- or upper-case hex; returns false on odd length or a non-hex character.
bool FromHex(std::string_view hex, std::string* bytes);

// "sha256:<hex>", the text form used in JSON and on the command line.
std::string DigestToString(const Digest& digest);

// Parses "sha256:<hex>" (or bare hex); returns false when malformed.
bool DigestFromString(std::string_view text, Digest* digest);

inline std::string_view AsBytes(const Digest& d) {
  return std::string_view(reinterpret_cast<const char*>(d.data()), d.size());
}

}  // namespace palimpsest

#endif  // PALIMPSEST_HASH_H_
