// Key encodings shared by the archive's LMDB databases. Byte layout of every key and value is
// documented in schemas/README.md.

#ifndef PALIMPSEST_ARCHIVE_LMDB_KEYS_H_
#define PALIMPSEST_ARCHIVE_LMDB_KEYS_H_

#include <cstdint>
#include <string>
#include <string_view>

namespace palimpsest::keys {

// u64 big-endian, so LMDB's byte order is numeric order.
inline std::string U64(uint64_t v) {
  std::string s(8, '\0');
  for (int i = 7; i >= 0; --i) {
    s[i] = static_cast<char>(v & 0xff);
    v >>= 8;
  }
  return s;
}

// Reads a big-endian u64 from the first 8 bytes of `s` (which must hold at least 8).
inline uint64_t ReadU64(std::string_view s) {
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v = (v << 8) | static_cast<unsigned char>(s[i]);
  return v;
}

// u32 big-endian (stream and term numbers of the search index).
inline std::string U32(uint32_t v) {
  std::string s(4, '\0');
  for (int i = 3; i >= 0; --i) {
    s[i] = static_cast<char>(v & 0xff);
    v >>= 8;
  }
  return s;
}

// Reads a big-endian u32 from the first 4 bytes of `s` (which must hold at least 4).
inline uint32_t ReadU32(std::string_view s) {
  uint32_t v = 0;
  for (int i = 0; i < 4; ++i) v = (v << 8) | static_cast<unsigned char>(s[i]);
  return v;
}

// Signed times sort correctly once the sign bit is flipped.
inline std::string I64(int64_t v) { return U64(static_cast<uint64_t>(v) ^ (uint64_t{1} << 63)); }
inline int64_t ReadI64(std::string_view s) {
  return static_cast<int64_t>(ReadU64(s) ^ (uint64_t{1} << 63));
}

// doc id, NUL, then `suffix`: doc ids never contain NUL, so prefixes never collide.
inline std::string DocPrefix(std::string_view doc_id) {
  std::string s(doc_id);
  s.push_back('\0');
  return s;
}

inline std::string DocKey(std::string_view doc_id, uint64_t n) {
  return DocPrefix(doc_id) + U64(n);
}

}  // namespace palimpsest::keys

#endif  // PALIMPSEST_ARCHIVE_LMDB_KEYS_H_
