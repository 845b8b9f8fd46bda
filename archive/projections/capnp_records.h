// Encoding and decoding of the projections' stored records (schemas/projections.capnp): the
// canonical Cap'n Proto form of one struct, one segment without a segment table, so a replay
// rebuilds byte-identical databases.

#ifndef PALIMPSEST_ARCHIVE_PROJECTIONS_CAPNP_RECORDS_H_
#define PALIMPSEST_ARCHIVE_PROJECTIONS_CAPNP_RECORDS_H_

#include <capnp/message.h>
#include <kj/exception.h>

#include <string>
#include <string_view>

#include "codec/event/capnp_words.h"
#include "palimpsest/status.h"

namespace palimpsest::records {

inline capnp::Text::Reader T(const std::string& s) {
  return capnp::Text::Reader(s.data(), s.size());
}
inline std::string S(capnp::Text::Reader t) { return std::string(t.cStr(), t.size()); }

// The canonical bytes of a `Root` record that `fill` builds.
template <typename Root, typename Builder>
std::string Canonical(Builder&& fill) {
  capnp::MallocMessageBuilder message;
  fill(message.initRoot<Root>());
  return CanonicalBytes(message.getRoot<Root>().asReader());
}

// Runs `read` over the `Root` record in `bytes`; Corruption (naming `what`) on failure.
template <typename Root, typename Reader>
Status ReadRecord(std::string_view bytes, const char* what, Reader&& read) {
  kj::Array<capnp::word> aligned;
  const kj::ArrayPtr<const capnp::word> words = AsWords(bytes, &aligned);
  if (words == nullptr) return Status::Corruption(std::string("malformed ") + what + " record");
  kj::Maybe<kj::Exception> failure = kj::runCatchingExceptions([&] {
    kj::ArrayPtr<const capnp::word> segments[1] = {words};
    capnp::SegmentArrayMessageReader message(kj::arrayPtr(segments, 1));
    read(message.getRoot<Root>());
  });
  if (failure != nullptr) return Status::Corruption(std::string("undecodable ") + what + " record");
  return Status::OK();
}

}  // namespace palimpsest::records

#endif  // PALIMPSEST_ARCHIVE_PROJECTIONS_CAPNP_RECORDS_H_
