#include "archive/log/log_entry.h"

#include <capnp/message.h>
#include <kj/exception.h>

#include "codec/event/capnp_words.h"
#include "palimpsest/schemas/log_entry.capnp.h"

namespace palimpsest {

namespace {

capnp::Data::Reader AsData(std::string_view bytes) {
  return capnp::Data::Reader(reinterpret_cast<const kj::byte*>(bytes.data()), bytes.size());
}

std::string FromData(capnp::Data::Reader data) {
  return std::string(reinterpret_cast<const char*>(data.begin()), data.size());
}

template <typename List>
void FillData(List list, const std::vector<std::string>& items) {
  for (size_t i = 0; i < items.size(); ++i) list.set(i, AsData(items[i]));
}

}  // namespace

size_t LogEntry::ByteSize() const {
  size_t size = 64;
  for (const std::string& e : events) size += e.size() + 16;
  for (const std::string& c : contents) size += c.size() + 16;
  for (const auto& [hash, reason] : withheld) size += hash.size() + reason.size() + 32;
  return size;
}

std::string EncodeLogEntry(const LogEntry& entry) {
  capnp::MallocMessageBuilder message;
  auto root = message.initRoot<schema::LogEntry>();
  FillData(root.initEvents(entry.events.size()), entry.events);
  FillData(root.initContents(entry.contents.size()), entry.contents);
  auto withheld = root.initWithheld(entry.withheld.size());
  for (size_t i = 0; i < entry.withheld.size(); ++i) {
    const auto& [hash, reason] = entry.withheld[i];
    withheld[i].setSha256(AsData(AsBytes(hash)));
    withheld[i].setReason(capnp::Text::Reader(reason.data(), reason.size()));
  }
  return CanonicalBytes(message.getRoot<schema::LogEntry>().asReader());
}

Result<LogEntry> DecodeLogEntry(std::string_view bytes) {
  kj::Array<capnp::word> aligned;
  const kj::ArrayPtr<const capnp::word> words = AsWords(bytes, &aligned);
  if (words == nullptr) return Status::Corruption("malformed shared-log entry");
  LogEntry entry;
  Status status;
  kj::Maybe<kj::Exception> failure = kj::runCatchingExceptions([&] {
    capnp::ReaderOptions options;
    // Every word is read about once; allow the whole entry, however large, and no more.
    options.traversalLimitInWords = words.size() + 1024;
    kj::ArrayPtr<const capnp::word> segments[1] = {words};
    capnp::SegmentArrayMessageReader message(kj::arrayPtr(segments, 1), options);
    auto root = message.getRoot<schema::LogEntry>();
    for (auto e : root.getEvents()) entry.events.push_back(FromData(e));
    for (auto c : root.getContents()) entry.contents.push_back(FromData(c));
    for (auto w : root.getWithheld()) {
      Digest hash;
      if (w.getSha256().size() != hash.size()) {
        status = Status::Corruption("shared-log entry names withheld content by a bad hash");
        return;
      }
      std::copy(w.getSha256().begin(), w.getSha256().end(), hash.begin());
      entry.withheld.emplace_back(hash, std::string(w.getReason().cStr(), w.getReason().size()));
    }
  });
  if (failure != nullptr) return Status::Corruption("undecodable shared-log entry");
  PALIMPSEST_RETURN_IF_ERROR(status);
  if (entry.events.empty()) return Status::Corruption("shared-log entry holds no events");
  return entry;
}

std::string LogEntryDedupeId(const std::vector<Event>& events) {
  std::string ids;
  ids.reserve(events.size() * 16);
  for (const Event& e : events) ids.append(reinterpret_cast<const char*>(e.id.data()), e.id.size());
  return ToHex(Sha256(ids));
}

}  // namespace palimpsest
