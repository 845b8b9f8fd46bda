#include "archive/prepared_captures.h"

#include <algorithm>
#include <atomic>
#include <system_error>
#include <thread>
#include <variant>

#include "palimpsest/extractor.h"

namespace palimpsest {

namespace {

// True when extracting `media_type` needs nothing learned from earlier captures: everything
// but plain text (whose chrome is learned per source, in log order).
bool ExtractsAlone(const std::string& media_type) {
  return !media_type.empty() && !MediaTypeIs(media_type, "text/plain");
}

}  // namespace

std::vector<PreparedCapture> PrepareCaptures(const std::vector<AppendRequest>& batch,
                                             const std::vector<bool>& skip, unsigned threads) {
  std::vector<PreparedCapture> prepared(batch.size());
  std::vector<size_t> to_extract;
  for (size_t i = 0; i < batch.size(); ++i) {
    const auto* capture = std::get_if<CapturedEvent>(&batch[i].event.body);
    // A capture refers to its raw bytes only, so bytes it supplies are those bytes (the append
    // checks their hash before the event is stored).
    if (skip[i] || capture == nullptr || batch[i].contents.size() != 1) continue;
    prepared[i].raw = &batch[i].contents.front();
    if (ExtractsAlone(capture->media_type)) to_extract.push_back(i);
  }
  std::atomic<size_t> next{0};
  auto work = [&] {
    for (size_t k = next++; k < to_extract.size(); k = next++) {
      const size_t i = to_extract[k];
      const auto& capture = std::get<CapturedEvent>(batch[i].event.body);
      prepared[i].extracted =
          ExtractCapture(*prepared[i].raw, capture.media_type, capture.captured_at, capture.fields);
    }
  };
  const size_t helpers = std::min<size_t>(std::max(1u, threads) - 1,
                                          to_extract.size() > 1 ? to_extract.size() - 1 : 0);
  std::vector<std::thread> pool;
  pool.reserve(helpers);
  for (size_t t = 0; t < helpers; ++t) {
    try {
      pool.emplace_back(work);
    } catch (const std::system_error&) {
      break;  // no more threads to be had: those running (and this one) do the rest
    }
  }
  work();
  for (std::thread& t : pool) t.join();
  return prepared;
}

}  // namespace palimpsest
