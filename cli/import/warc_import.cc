// Importer (importer.h): WARC records — captures, error pages, redirects and revisits.

#include <string>
#include <utility>
#include <vector>

#include "cli/import/importer.h"
#include "cli/import/warc_references.h"
#include "cli/write_outcome.h"
#include "palimpsest/doc_id.h"
#include "palimpsest/extractor.h"

namespace palimpsest::cli {

Status Importer::ImportWarc(const std::string& name, InputStream& in) {
  WarcReader reader(in);
  WarcRecord record;
  std::string problem;
  for (;;) {
    auto next = reader.Next(&record, &problem);
    if (!next.ok()) {
      StreamFailed(name + "@" + std::to_string(in.position()), next.status());
      return Status::OK();
    }
    ReportSkippedInput(name, in);
    if (*next == WarcNext::kEnd) return Status::OK();
    ++counts_.records;
    const std::string where = name + "@" + std::to_string(record.offset);
    if (*next == WarcNext::kMalformed) {
      batcher_.Fail(where, problem);
    } else if (*next == WarcNext::kSkipped) {
      ++counts_.skipped;  // over the size limit: not an article page
      progress_.Clear();
      *ctx_.err << where << ": " << problem << "\n";
    } else {
      PALIMPSEST_RETURN_IF_ERROR(WarcRecordIn(where, record));
    }
    Tick();
  }
}

Status Importer::WarcRecordIn(const std::string& where, const WarcRecord& record) {
  const std::string type = record.type();
  if (type != "response" && type != "resource" && type != "revisit") {
    ++counts_.skipped;  // warcinfo, request, metadata, conversion, continuation
    return Status::OK();
  }
  const std::string uri = record.target_uri();
  const std::string scheme = uri.substr(0, uri.find(':'));
  if (scheme != "http" && scheme != "https") {
    ++counts_.skipped;  // e.g. wget's metadata://… log and manifest resources
    return Status::OK();
  }
  const std::string doc_id = DocIdFromUrl(uri);
  if (doc_id.empty() || !ValidateDocId(doc_id).ok()) {
    batcher_.Fail(where, "cannot derive a document id from WARC-Target-URI '" + uri + "'");
    return Status::OK();
  }
  auto date = ParseTimestamp(record.Header("WARC-Date"));
  if (!date.ok()) {
    batcher_.Fail(where, "WARC-Date: " + date.status().message());
    return Status::OK();
  }
  if (type == "revisit") {
    // A redirect seen again is a redirect; a revisit of a page names the capture it saw.
    auto head = ExtractWarcPayload(record);
    if (head.ok() && IsRedirect(head->http_status)) {
      return Redirect(where, doc_id, uri, *date, *head);
    }
    return Revisit(where, record, doc_id, uri, *date);
  }
  return Response(where, record, doc_id, uri, *date);
}

Status Importer::Response(const std::string& where, const WarcRecord& record,
                          const std::string& doc_id, const std::string& uri, Timestamp date) {
  auto payload = ExtractWarcPayload(record);
  if (!payload.ok()) {
    batcher_.Fail(where, payload.status().message());
    return Status::OK();
  }
  const int http_status = payload->http_status;
  if (IsRedirect(http_status)) return Redirect(where, doc_id, uri, date, *payload);
  std::vector<Field> fields;
  if (http_status >= 400) {
    // An error page: recorded as a check when the archive holds the document, else counted
    // as a page that is not an article (ExtractCapture reads the status).
    fields.push_back({"http_status", std::to_string(http_status)});
  } else if (http_status != 0 && (http_status < 200 || http_status > 299)) {
    ++counts_.skipped;  // 1xx, 304 Not Modified and the like: no page
    return Status::OK();
  }
  const std::string bare = BareMediaType(payload->content_type);
  if (bare != "text/plain" && bare != "text/html" && bare != "application/xhtml+xml") {
    ++counts_.skipped;  // images, scripts, style sheets, …
    return Status::OK();
  }
  // As received, with its charset parameter: the extractors read it.
  std::string media_type = payload->content_type;
  if (payload->body.empty()) {
    batcher_.Fail(where, "empty payload");
    return Status::OK();
  }
  WarnAboutCapture(where, payload->body, media_type);
  if (flags_.dry_run && bare == "text/plain") {
    if (auto content = ExtractCapture(payload->body, media_type, date, fields); !content.ok()) {
      batcher_.Reject(where, content.status());
      return Status::OK();
    }
  }
  PendingRecord pending = Capture(where, doc_id, std::move(payload->body), std::move(media_type),
                                  uri, date, kNoTime, flags_.source, std::move(fields));
  pending.request.land_by_url = true;  // the doc id is the URI's guess (URL identity)
  if (warc_captures_.size() > 1'000'000) warc_captures_.clear();  // bounded memory
  warc_captures_[doc_id] = {record.Header("WARC-Record-ID"), record.Header("WARC-Payload-Digest"),
                            std::get<CapturedEvent>(pending.request.event.body).raw};
  return batcher_.Add(std::move(pending));
}

bool Importer::IsRedirect(int http_status) {
  return http_status == 301 || http_status == 302 || http_status == 303 || http_status == 307 ||
         http_status == 308;
}

Status Importer::Redirect(const std::string& where, const std::string& doc_id,
                          const std::string& uri, Timestamp date, const WarcPayload& payload) {
  RedirectedEvent redirected;
  redirected.target = ResolveRedirectTarget(uri, payload.location);
  if (redirected.target.empty()) {
    ++counts_.skipped;
    Warn(where, "HTTP " + std::to_string(payload.http_status) +
                    (payload.location.empty()
                         ? " without a Location"
                         : " to an unusable Location '" + payload.location.substr(0, 200) + "'") +
                    " (skipped)");
    return Status::OK();
  }
  redirected.url = uri;
  redirected.status = static_cast<uint16_t>(payload.http_status);
  redirected.captured_at = date;
  redirected.source = flags_.source;
  const EventId id =
      DeriveEventId({"redirected", doc_id, redirected.target, std::to_string(date), flags_.source});
  return AddEvent(where, doc_id, id, date, std::move(redirected));
}

Status Importer::AddEvent(const std::string& where, const std::string& doc_id, const EventId& id,
                          Timestamp effective_at, EventBody body) {
  PendingRecord pending;
  pending.where = where;
  Event& event = pending.request.event;
  event.id = id;
  event.doc_id = doc_id;
  event.effective_at = effective_at;
  event.actor = actor_;
  event.correlation_id = correlation_id_;
  event.body = std::move(body);
  pending.request.land_by_url = true;
  return batcher_.Add(std::move(pending));
}

Result<std::optional<ContentRef>> Importer::RevisitedCapture(const WarcRecord& record,
                                                             const std::string& doc_id,
                                                             const std::string& uri) {
  auto it = warc_captures_.find(doc_id);
  const std::string refers_to = record.Header("WARC-Refers-To");
  const std::string digest = record.Header("WARC-Payload-Digest");
  if (it != warc_captures_.end() && ((!refers_to.empty() && refers_to == it->second.record_id) ||
                                     (!digest.empty() && digest == it->second.payload_digest))) {
    return std::optional<ContentRef>(it->second.raw);
  }
  if (archive_ == nullptr || digest.empty()) return std::optional<ContentRef>();
  // The archive is read below: the batch still being committed must be in it first.
  PALIMPSEST_RETURN_IF_ERROR(batcher_.Settle());
  // The address may belong to another document than the one its URL derives (an AMP copy that
  // landed in its article's): that is where the capture is.
  auto owner = archive_->FindDocumentByUrl(uri);
  if (!owner.ok() && !owner.status().IsNotFound()) return owner.status();
  return FindRevisitedCapture(*archive_, owner.ok() ? *owner : doc_id, digest);
}

Status Importer::Revisit(const std::string& where, const WarcRecord& record,
                         const std::string& doc_id, const std::string& uri, Timestamp date) {
  PALIMPSEST_ASSIGN_OR_RETURN(std::optional<ContentRef> raw, RevisitedCapture(record, doc_id, uri));
  if (!raw) {
    ++counts_.skipped;  // refers to a capture the archive does not hold
    return Status::OK();
  }
  ObservedEvent observed;
  observed.raw = *raw;
  observed.captured_at = date;
  observed.url = uri;
  observed.source = flags_.source;
  const EventId id = DeriveEventId(
      {"observed", doc_id, AsBytes(observed.raw.sha256), std::to_string(date), flags_.source});
  return AddEvent(where, doc_id, id, date, std::move(observed));
}

}  // namespace palimpsest::cli
