#include "cli/import/warc_references.h"

#include <boost/url.hpp>

#include "palimpsest/warc_reader.h"

namespace palimpsest::cli {

std::string ResolveRedirectTarget(std::string_view from_url, std::string_view location) {
  if (location.empty()) return "";  // resolving "" would name the page itself
  auto base = boost::urls::parse_uri(from_url);
  auto reference = boost::urls::parse_uri_reference(location);
  if (!base || !reference) return "";
  boost::urls::url target;
  if (!boost::urls::resolve(*base, *reference, target)) return "";
  if (target.scheme_id() != boost::urls::scheme::http &&
      target.scheme_id() != boost::urls::scheme::https) {
    return "";
  }
  target.remove_fragment();
  return std::string(target.buffer());
}

Result<std::optional<ContentRef>> FindRevisitedCapture(Archive& archive, const std::string& doc_id,
                                                       std::string_view payload_digest,
                                                       size_t max_candidates) {
  auto history = archive.History(doc_id);
  if (history.status().IsNotFound()) return std::optional<ContentRef>();
  if (!history.ok()) return history.status();
  size_t read = 0;
  for (auto r = history->rbegin(); r != history->rend() && read < max_candidates; ++r) {
    if (!r->has_raw) continue;
    ++read;
    auto raw = archive.ReadContent(r->raw_hash);
    if (raw.status().IsNotFound()) continue;  // withheld by a redaction
    if (!raw.ok()) return raw.status();
    if (PayloadDigestMatches(payload_digest, *raw)) {
      return std::optional<ContentRef>(ContentRef{r->raw_hash, raw->size()});
    }
  }
  return std::optional<ContentRef>();
}

}  // namespace palimpsest::cli
