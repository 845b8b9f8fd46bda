#include "cli/import/import_pipeline.h"

#include <variant>

#include "palimpsest/event_text.h"

namespace palimpsest::cli {

namespace {

// Failures that belong to a record rather than to the archive.
bool IsRecordError(const Status& s) {
  return s.code() == StatusCode::kInvalidArgument || s.code() == StatusCode::kNotFound ||
         s.code() == StatusCode::kConflict;
}

uint64_t ContentBytes(const AppendRequest& request) {
  uint64_t n = 0;
  for (const std::string& c : request.contents) n += c.size();
  return n;
}

}  // namespace

ImportBatcher::ImportBatcher(Archive* archive, size_t max_records, uint64_t max_bytes,
                             ImportCounts& counts, std::function<void(const std::string&)> report,
                             std::function<void(const std::string&)> on_failed)
    : archive_(archive),
      max_records_(max_records == 0 ? 1 : max_records),
      max_bytes_(max_bytes),
      counts_(counts),
      report_(std::move(report)),
      on_failed_(std::move(on_failed)) {}

void ImportBatcher::Fail(const std::string& where, const std::string& reason) {
  ++counts_.failed;
  report_(where + ": " + reason);
}

void ImportBatcher::Reject(const std::string& where, const Status& status) {
  if (!status.IsNotAnArticle()) return Fail(where, status.message());
  ++counts_.not_articles;
  if (verbose_) report_(where + ": " + status.message() + " (not recorded)");
}

namespace {

// A capture's document and bytes: what a revisit (an observation) refers to.
std::string CaptureKey(const Event& event) {
  const ContentRef* raw = nullptr;
  if (const auto* c = std::get_if<CapturedEvent>(&event.body)) raw = &c->raw;
  if (const auto* o = std::get_if<ObservedEvent>(&event.body)) raw = &o->raw;
  if (raw == nullptr) return "";
  return event.doc_id + '\0' +
         std::string(reinterpret_cast<const char*>(raw->sha256.data()), raw->sha256.size());
}

}  // namespace

void ImportBatcher::RecordFailed(const PendingRecord& record, const Status& status) {
  const Event& event = record.request.event;
  const std::string key = CaptureKey(event);
  if (std::holds_alternative<ObservedEvent>(event.body) && failed_captures_.count(key) != 0) {
    ++counts_.skipped;  // a revisit of a capture that failed: nothing to observe
    return;
  }
  if (std::holds_alternative<CapturedEvent>(event.body) && failed_captures_.size() < 100'000) {
    failed_captures_.insert(key);
  }
  Reject(record.where, status);
  if (on_failed_ && !status.IsNotAnArticle()) on_failed_(event.doc_id);
}

Status ImportBatcher::Add(PendingRecord record) {
  if (archive_ == nullptr) {
    // Dry run: validated by the caller and here as Append would, never written.
    Event event = record.request.event;
    if (Status s = NormalizeEventText(&event); !s.ok()) Fail(record.where, s.message());
    return Status::OK();
  }
  pending_bytes_ += ContentBytes(record.request);
  pending_.push_back(std::move(record));
  if (pending_.size() >= max_records_ || pending_bytes_ >= max_bytes_) return Flush();
  return Status::OK();
}

Status ImportBatcher::Flush() {
  if (pending_.empty()) return Status::OK();
  std::vector<AppendResult> results(pending_.size());
  std::vector<bool> ok(pending_.size(), false);
  Status s = AppendRange(0, pending_.size(), results, ok);
  if (s.ok()) Classify(results, ok);
  pending_.clear();
  pending_bytes_ = 0;
  return s;
}

Status ImportBatcher::AppendRange(size_t begin, size_t end, std::vector<AppendResult>& results,
                                  std::vector<bool>& ok) {
  if (begin >= end) return Status::OK();
  std::vector<AppendRequest> batch;
  batch.reserve(end - begin);
  // A copy: when the append fails, the halves are retried from pending_.
  for (size_t i = begin; i < end; ++i) batch.push_back(pending_[i].request);
  auto appended = archive_->Append(std::move(batch));
  if (appended.ok()) {
    for (size_t i = begin; i < end; ++i) {
      results[i] = (*appended)[i - begin];
      ok[i] = true;
    }
    return Status::OK();
  }
  if (!IsRecordError(appended.status())) return appended.status();
  if (end - begin == 1) {
    RecordFailed(pending_[begin], appended.status());
    return Status::OK();
  }
  const size_t mid = begin + (end - begin) / 2;
  PALIMPSEST_RETURN_IF_ERROR(AppendRange(begin, mid, results, ok));
  return AppendRange(mid, end, results, ok);
}

void ImportBatcher::Classify(const std::vector<AppendResult>& results,
                             const std::vector<bool>& ok) {
  auto is_redirect = [&](size_t i) {
    return std::holds_alternative<RedirectedEvent>(pending_[i].request.event.body);
  };
  for (size_t i = 0; i < pending_.size(); ++i) {
    if (!ok[i]) continue;
    if (results[i].duplicate) {
      ++counts_.duplicates;
      continue;
    }
    if (is_redirect(i)) {
      ++counts_.redirects;
      continue;
    }
    if (results[i].outcome == AppendOutcome::kUnchanged) {
      ++counts_.unchanged;
    } else if (results[i].outcome == AppendOutcome::kCreated) {
      ++counts_.documents_created;
    } else {
      ++counts_.revisions;
      const std::string& kind = results[i].kind;
      if (kind == "correction" || kind == "clarification" || kind == "editorial") {
        ++counts_.corrections;
      }
    }
  }
}

}  // namespace palimpsest::cli
