#include "codec/event/capnp_words.h"

#include <cstdint>
#include <cstring>

namespace palimpsest {

kj::ArrayPtr<const capnp::word> AsWords(std::string_view bytes, kj::Array<capnp::word>* copy) {
  if (bytes.empty() || bytes.size() % sizeof(capnp::word) != 0) return nullptr;
  const size_t count = bytes.size() / sizeof(capnp::word);
  if (reinterpret_cast<uintptr_t>(bytes.data()) % alignof(capnp::word) == 0) {
    return kj::arrayPtr(reinterpret_cast<const capnp::word*>(bytes.data()), count);
  }
  *copy = kj::heapArray<capnp::word>(count);
  std::memcpy(copy->begin(), bytes.data(), bytes.size());
  return copy->asPtr();
}

}  // namespace palimpsest
