#include "cli/json/diff_json.h"

#include <string>
#include <string_view>

#include "cli/json/json_format.h"

namespace palimpsest::cli {

namespace json = boost::json;

namespace {

json::string OpName(DiffOp op) {
  const std::string_view name = DiffOpName(op);
  return json::string(name.data(), name.size());
}

// Date fields carry FormatTimestamp text, "" when absent: absent becomes null as in every other
// JSON time of the CLI.
json::value FieldValue(const std::string& field, const std::string& value) {
  const bool is_time = field.size() > 3 && field.compare(field.size() - 3, 3, "_at") == 0;
  if (is_time && value.empty()) return nullptr;
  return json::value(value);
}

json::object FieldJson(const FieldChange& f) {
  return {{"field", f.field},
          {"before", FieldValue(f.field, f.before)},
          {"after", FieldValue(f.field, f.after)}};
}

json::object NoteChangeJson(const NoteChange& n) {
  return {{"op", OpName(n.op)}, {"text", n.text}, {"effective_at", TimeJson(n.effective_at)}};
}

json::array WordMarksJson(const std::vector<WordMark>& marks) {
  json::array words;
  for (const WordMark& m : marks) {
    if (m.op == EditOp::kEqual) continue;
    words.push_back(json::object{{"op", m.op == EditOp::kInsert ? "insert" : "delete"},
                                 {"text", m.text},
                                 {"offset", m.span.offset},
                                 {"length", m.span.length}});
  }
  return words;
}

json::object SentenceJson(const SentenceChange& s) {
  json::object o{{"op", OpName(s.op)},
                 {"before", s.before},
                 {"after", s.after},
                 {"before_offset", s.before_span.offset},
                 {"before_length", s.before_span.length},
                 {"after_offset", s.after_span.offset},
                 {"after_length", s.after_span.length}};
  o["words"] = WordMarksJson(s.words);
  return o;
}

json::object HunkJson(const BodyHunk& h) {
  json::object o{{"op", OpName(h.op)},
                 {"before_index", h.before_index},
                 {"before_count", h.before_count},
                 {"after_index", h.after_index},
                 {"after_count", h.after_count},
                 {"before_offset", h.before_span.offset},
                 {"before_length", h.before_span.length},
                 {"after_offset", h.after_span.offset},
                 {"after_length", h.after_span.length},
                 {"words_added", h.words_added},
                 {"words_removed", h.words_removed}};
  if (h.op == DiffOp::kEqual) return o;
  o["before_text"] = h.before_text;
  o["after_text"] = h.after_text;
  json::array sentences;
  for (const SentenceChange& s : h.sentences) sentences.push_back(SentenceJson(s));
  o["sentences"] = std::move(sentences);
  return o;
}

}  // namespace

boost::json::object DiffSideJson(uint32_t rev, const RevisionInfo* info) {
  if (info == nullptr) {
    return {{"rev", 0},
            {"kind", "empty"},
            {"note", ""},
            {"effective_at", nullptr},
            {"content_hash", nullptr}};
  }
  return {{"rev", rev},
          {"kind", info->kind},
          {"note", info->note},
          {"effective_at", TimeJson(info->effective_at)},
          {"content_hash", info->content_hash}};
}

json::object ArticleDiffJson(const ArticleDiff& diff) {
  json::array fields;
  for (const FieldChange& f : diff.fields) fields.push_back(FieldJson(f));
  json::array notes;
  for (const NoteChange& n : diff.notes) notes.push_back(NoteChangeJson(n));
  json::array body;
  for (const BodyHunk& h : diff.body) body.push_back(HunkJson(h));
  return {{"fields", std::move(fields)},
          {"notes", std::move(notes)},
          {"body", std::move(body)},
          {"words_added", diff.words_added},
          {"words_removed", diff.words_removed}};
}

}  // namespace palimpsest::cli
