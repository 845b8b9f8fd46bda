#include "cli/import/import_pipeline.h"

#include <variant>

#include "palimpsest/event_text.h"

namespace palimpsest::cli {

namespace {

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
      queue_(archive != nullptr ? std::make_unique<CommitQueue>(*archive, max_records) : nullptr),
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
  PALIMPSEST_RETURN_IF_ERROR(Settle());
  if (pending_.empty()) return Status::OK();
  std::vector<AppendRequest> batch;
  batch.reserve(pending_.size());
  for (PendingRecord& record : pending_) {
    AppendRequest request;
    request.event = record.request.event;  // kept here to report the record; bytes are moved
    request.expected_version = record.request.expected_version;
    request.land_by_url = record.request.land_by_url;
    request.contents = std::move(record.request.contents);
    request.withheld_contents = std::move(record.request.withheld_contents);
    batch.push_back(std::move(request));
  }
  in_flight_ = std::move(pending_);
  pending_.clear();
  pending_bytes_ = 0;
  auto done = std::make_shared<std::promise<Result<std::vector<Result<AppendResult>>>>>();
  in_flight_results_ = done->get_future();
  queue_->SubmitBatch(std::move(batch), [done](Result<std::vector<Result<AppendResult>>> results) {
    done->set_value(std::move(results));
  });
  return Status::OK();
}

Status ImportBatcher::Settle() {
  if (!in_flight_results_.valid()) return Status::OK();
  Result<std::vector<Result<AppendResult>>> results = in_flight_results_.get();
  if (results.ok()) {
    for (size_t i = 0; i < in_flight_.size(); ++i) {
      const Result<AppendResult>& result = (*results)[i];
      if (result.ok()) {
        Count(in_flight_[i], *result);
      } else {
        RecordFailed(in_flight_[i], result.status());
      }
    }
    if (after_commit_) after_commit_();
  }
  in_flight_.clear();
  return results.status();
}

void ImportBatcher::Count(const PendingRecord& record, const AppendResult& result) {
  if (result.duplicate) {
    ++counts_.duplicates;
  } else if (std::holds_alternative<RedirectedEvent>(record.request.event.body)) {
    ++counts_.redirects;
    if (!result.merged_into.empty()) ++counts_.merged;
  } else if (result.outcome == AppendOutcome::kUnchanged) {
    ++counts_.unchanged;
  } else if (result.outcome == AppendOutcome::kCreated) {
    ++counts_.documents_created;
  } else {
    ++counts_.revisions;
    const std::string& kind = result.kind;
    if (kind == "correction" || kind == "clarification" || kind == "editorial") {
      ++counts_.corrections;
    }
    if (result.backfill) ++counts_.backfilled;
  }
}

}  // namespace palimpsest::cli
