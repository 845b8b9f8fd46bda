#include "cli/json/json_format.h"

#include "palimpsest/event_text.h"

namespace palimpsest::cli {

namespace json = boost::json;

std::string SerializeJson(const json::value& value) {
  // Serializing escapes only ASCII, so bytes that are not UTF-8 can only be inside strings,
  // and replacing each of them keeps the text JSON.
  return ToValidUtf8(json::serialize(value));
}

json::value TimeJson(Timestamp t) {
  if (t == kNoTime) return nullptr;
  return json::value(FormatTimestamp(t));
}

json::object NoteJson(const ArticleNote& note) {
  return {{"text", note.text}, {"effective_at", TimeJson(note.effective_at)}};
}

json::object RevisionJson(const RevisionInfo& r) {
  json::object o{{"rev", r.rev},
                 {"kind", r.kind},
                 {"note", r.note},
                 {"stealth", r.stealth},
                 {"effective_at", TimeJson(r.effective_at)},
                 {"recorded_at", TimeJson(r.recorded_at)},
                 {"captured_at", TimeJson(r.captured_at)},
                 {"last_seen_at", TimeJson(r.last_seen_at)},
                 {"content_hash", r.content_hash},
                 {"words_added", r.words_added},
                 {"words_removed", r.words_removed},
                 {"seq", r.seq},
                 {"version", r.version},
                 {"redacted", r.redacted}};
  boost::system::error_code ec;
  json::value change =
      r.change_summary.empty() ? json::value(nullptr) : json::parse(r.change_summary, ec);
  o["change"] = ec ? json::value(nullptr) : change;
  if (r.redacted) {
    o["redaction_reason"] = r.redaction_reason;
    o["redaction_actor"] = r.redaction_actor;
  }
  if (!r.merged_from.empty()) {
    o["merged_from"] = r.merged_from;
    o["joined_at"] = TimeJson(r.joined_at);
  }
  return o;
}

json::array MergesJson(const std::vector<DocumentMerge>& merges) {
  json::array out;
  for (const DocumentMerge& m : merges) {
    out.push_back(json::object{{"from", m.from},
                               {"into", m.into},
                               {"seq", m.seq},
                               {"recorded_at", TimeJson(m.recorded_at)}});
  }
  return out;
}

json::object DocumentJson(const DocumentView& v) {
  json::array notes;
  for (const ArticleNote& n : v.content.notes) notes.push_back(NoteJson(n));
  const RevisionInfo& r = v.revision;
  json::object o{{"id", v.id},
                 {"rev", r.rev},
                 {"version", v.version},
                 {"kind", r.kind},
                 {"note", r.note},
                 {"stealth", r.stealth},
                 {"title", v.content.title},
                 {"dek", v.content.dek},
                 {"byline", v.content.byline},
                 {"dateline", v.content.dateline},
                 {"outlet", v.content.outlet},
                 {"canonical_url", v.content.canonical_url},
                 {"language", v.content.language},
                 {"published_at", TimeJson(v.content.published_at)},
                 {"updated_at", TimeJson(v.content.updated_at)},
                 {"effective_at", TimeJson(r.effective_at)},
                 {"recorded_at", TimeJson(r.recorded_at)},
                 {"captured_at", TimeJson(r.captured_at)},
                 {"source", v.source},
                 {"url", v.url},
                 {"body", v.content.body},
                 {"notes", std::move(notes)},
                 {"content_hash", r.content_hash},
                 {"retracted", v.retracted},
                 {"redacted", r.redacted}};
  if (r.redacted) o["redaction_reason"] = r.redaction_reason;
  json::array chrome;
  for (const std::string& line : v.content.chrome) chrome.push_back(json::value(line));
  o["chrome"] = std::move(chrome);  // page lines removed as chrome; not part of content_hash
  o["urls"] = UrlsJson(v.urls);
  o["merges"] = MergesJson(v.merges);
  return o;
}

json::object HistoryJson(const ResolvedDocument& doc, const std::vector<DocumentUrl>& urls,
                         const std::vector<RevisionInfo>& history) {
  json::array revisions;
  for (const RevisionInfo& r : history) revisions.push_back(RevisionJson(r));
  return json::object{{"id", doc.id},
                      {"urls", UrlsJson(urls)},
                      {"merges", MergesJson(doc.merges)},
                      {"revisions", std::move(revisions)}};
}

json::array UrlsJson(const std::vector<DocumentUrl>& urls) {
  json::array out;
  for (const DocumentUrl& u : urls) {
    json::array as;
    if (u.captured) as.emplace_back("captured");
    if (u.canonical) as.emplace_back("canonical");
    if (u.redirect) as.emplace_back("redirect");
    if (u.redirect_target) as.emplace_back("redirect_target");
    out.push_back(json::object{{"url", u.url},
                               {"first_seen", TimeJson(u.first_seen)},
                               {"last_seen", TimeJson(u.last_seen)},
                               {"as", std::move(as)}});
  }
  return out;
}

json::object SummaryJson(const DocumentSummary& s) {
  return {{"id", s.id},
          {"title", s.title},
          {"source", s.source},
          {"url", s.url},
          {"rev", s.rev},
          {"kind", s.kind},
          {"last_change", TimeJson(s.last_change)},
          {"effective_at", TimeJson(s.effective_at)},
          {"retracted", s.retracted}};
}

json::object EventJson(const Event& e) {
  json::object o{{"seq", e.seq},
                 {"id", EventIdToString(e.id)},
                 {"kind", EventKindName(e.body)},
                 {"doc", e.doc_id},
                 {"version", e.version},
                 {"recorded_at", TimeJson(e.recorded_at)},
                 {"effective_at", TimeJson(e.effective_at)},
                 {"actor", e.actor},
                 {"correlation_id", e.correlation_id},
                 {"hash", DigestToString(ChainHash(e))},
                 {"prev_hash", DigestToString(e.prev_hash)}};
  if (auto* r = std::get_if<RedirectedEvent>(&e.body)) {
    o["url"] = r->url;
    o["target"] = r->target;
    o["status"] = r->status;
  }
  if (auto* m = std::get_if<MergedEvent>(&e.body)) {
    o["from"] = m->from;
    o["redirect_seq"] = m->redirect_seq;
  }
  if (e.withheld_hash) o["withheld"] = true;
  return o;
}

}  // namespace palimpsest::cli
