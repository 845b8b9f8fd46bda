// The Cap'n Proto plumbing shared by the event codec (event_codec.cc) and the archive's codec for
// projection records (archive/projections/revision_records.cc): the canonical bytes of a
// message, and stored bytes viewed as the aligned words Cap'n Proto reads.
//
// Thread safety: pure functions.

#ifndef PALIMPSEST_CODEC_EVENT_CAPNP_WORDS_H_
#define PALIMPSEST_CODEC_EVENT_CAPNP_WORDS_H_

#include <capnp/message.h>
#include <kj/array.h>

#include <string>
#include <string_view>

namespace palimpsest {

// The canonical encoding of `root` (capnp::canonicalize: one segment, no segment table, no
// padding garbage): the bytes that are stored and hashed.
template <typename Reader>
std::string CanonicalBytes(Reader root) {
  kj::Array<capnp::word> words = capnp::canonicalize(root);
  auto bytes = words.asBytes();
  return std::string(reinterpret_cast<const char*>(bytes.begin()), bytes.size());
}

// `bytes` as Cap'n Proto words. Cap'n Proto reads whole aligned words and LMDB guarantees only
// 2-byte alignment, so aligned input is viewed in place and other input is copied into `*copy`,
// which must outlive the result. Empty when `bytes` is empty or not a whole number of words.
kj::ArrayPtr<const capnp::word> AsWords(std::string_view bytes, kj::Array<capnp::word>* copy);

}  // namespace palimpsest

#endif  // PALIMPSEST_CODEC_EVENT_CAPNP_WORDS_H_
