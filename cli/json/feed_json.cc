#include "cli/json/feed_json.h"

#include <cmath>

#include "cli/json/json_format.h"

namespace palimpsest::cli {

namespace json = boost::json;

json::object BlameJson(const BlameView& blame) {
  json::array revisions;
  for (const RevisionInfo& r : blame.revisions) {
    revisions.push_back(json::object{{"rev", r.rev},
                                     {"kind", r.kind},
                                     {"note", r.note},
                                     {"stealth", r.stealth},
                                     {"effective_at", TimeJson(r.effective_at)},
                                     {"recorded_at", TimeJson(r.recorded_at)}});
  }
  json::array paragraphs;
  for (const BlameParagraph& p : blame.paragraphs) {
    json::array sentences;
    for (const BlameSentence& s : p.sentences) {
      const RevisionInfo& r = blame.revisions.at(s.rev - 1);
      sentences.push_back(json::object{{"text", s.text},
                                       {"rev", s.rev},
                                       {"kind", r.kind},
                                       {"note", r.note},
                                       {"effective_at", TimeJson(r.effective_at)}});
    }
    paragraphs.push_back(json::object{{"sentences", std::move(sentences)}});
  }
  return json::object{{"id", blame.id},
                      {"rev", blame.rev},
                      {"paragraphs", std::move(paragraphs)},
                      {"revisions", std::move(revisions)}};
}

json::object ChangesJson(const std::vector<ChangeEntry>& changes) {
  json::array out;
  for (const ChangeEntry& c : changes) {
    out.push_back(json::object{{"id", c.id},
                               {"rev", c.rev},
                               {"kind", c.kind},
                               {"note", c.note},
                               {"stealth", c.stealth},
                               {"redacted", c.redacted},
                               {"effective_at", TimeJson(c.effective_at)},
                               {"recorded_at", TimeJson(c.recorded_at)},
                               {"title", c.title},
                               {"source", c.source},
                               {"seq", c.seq}});
  }
  return json::object{{"changes", std::move(out)}};
}

json::object SearchJson(const std::string& query, const SearchResults& results,
                        bool all_revisions) {
  json::array hits;
  for (const SearchHit& h : results.hits) {
    json::array highlights;
    for (const auto& [offset, length] : h.highlights) {
      highlights.push_back(json::array{offset, length});
    }
    json::object o{{"id", h.id},
                   {"rev", h.rev},
                   {"title", h.title},
                   {"kind", h.kind},
                   {"effective_at", TimeJson(h.effective_at)},
                   {"snippet", h.snippet},
                   {"highlights", std::move(highlights)},
                   {"score", std::round(h.score * 1000) / 1000}};
    if (all_revisions) o["revs"] = json::value_from(h.revs);
    hits.push_back(std::move(o));
  }
  return json::object{{"query", query},
                      {"results", std::move(hits)},
                      {"total", results.total},
                      {"indexed_seq", results.indexed_seq},
                      {"head_seq", results.head_seq}};
}

}  // namespace palimpsest::cli
