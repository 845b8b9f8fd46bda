#include "archive/projections/capture_change.h"

#include <algorithm>
#include <initializer_list>
#include <set>
#include <vector>

#include "palimpsest/diff.h"
#include "palimpsest/extractor.h"

namespace palimpsest {

namespace {

bool IsDerivedKind(const std::string& kind) {
  return kind == "original" || kind == "correction" || kind == "update";
}

// `content` as a comparison with another capture sees it: the body as one run of words (a
// chrome line that sat inside a paragraph also changed how its lines were joined) without
// the lines either capture removed as chrome (`chrome`), and, when a title was such a line,
// without both titles (`titles`) — in the title slot or, pushed down by it, in the body.
ArticleContent WithoutChrome(const ArticleContent& content, const std::set<std::string>& chrome,
                             const std::set<std::string>& titles) {
  ArticleContent out = content;
  out.chrome.clear();
  if (!titles.empty()) out.title.clear();
  std::string text = " ";
  for (const std::string& p : SplitParagraphs(content.body)) text += p + " ";
  auto drop = [&text](const std::string& line) {
    if (line.empty()) return;
    const std::string needle = " " + line + " ";
    for (size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at)) {
      text.replace(at, needle.size(), " ");
    }
  };
  // Longest first: a line may contain a shorter one ("Harbor Gazette is an independent …").
  std::vector<std::string> lines(chrome.begin(), chrome.end());
  lines.insert(lines.end(), titles.begin(), titles.end());
  std::stable_sort(lines.begin(), lines.end(),
                   [](const std::string& x, const std::string& y) { return x.size() > y.size(); });
  for (const std::string& line : lines) drop(line);
  out.body = CollapseWhitespace(text);
  return out;
}

}  // namespace

// True when `next` differs from `prev` only by lines that one of them removed as chrome: a
// line learned as chrome after `prev` was extracted, or chrome the page added or dropped.
bool SameButChrome(const ArticleContent& prev, const ArticleContent& next) {
  if (prev.chrome.empty() && next.chrome.empty()) return false;
  std::set<std::string> chrome(prev.chrome.begin(), prev.chrome.end());
  chrome.insert(next.chrome.begin(), next.chrome.end());
  std::set<std::string> titles;
  if (chrome.count(prev.title) > 0 || chrome.count(next.title) > 0) {
    titles = {prev.title, next.title};
  }
  return ContentHash(WithoutChrome(prev, chrome, titles)) ==
         ContentHash(WithoutChrome(next, chrome, titles));
}

void DeriveCaptureChange(const ArticleContent* before, const ArticleContent& content,
                         const CaptureFacts& facts, RevisionInfo* info) {
  std::vector<const ArticleNote*> new_notes;
  for (const ArticleNote& note : content.notes) {
    const bool known =
        before && std::any_of(before->notes.begin(), before->notes.end(),
                              [&](const ArticleNote& n) { return n.text == note.text; });
    if (!known) new_notes.push_back(&note);
  }
  const bool updated_changed =
      content.updated_at != kNoTime && (!before || before->updated_at != content.updated_at);
  const Timestamp updated = updated_changed ? content.updated_at : kNoTime;
  info->note.clear();
  info->stealth = false;
  if (before == nullptr) {
    info->kind = "original";
    info->effective_at = FirstSet({new_notes.empty() ? kNoTime : new_notes[0]->effective_at,
                                   content.updated_at, content.published_at, facts.captured_at});
  } else if (!new_notes.empty()) {
    info->kind = facts.declared_kind.empty() ? "correction" : facts.declared_kind;
    info->note = new_notes[0]->text;
    info->effective_at = FirstSet({new_notes[0]->effective_at, updated, facts.captured_at});
  } else if (!facts.declared_kind.empty()) {
    // Announced by the importer, though the page printed no note.
    info->kind = facts.declared_kind;
    info->effective_at = FirstSet({facts.declared_effective, updated, facts.captured_at});
  } else {
    info->kind = "update";
    info->stealth = !updated_changed;
    info->effective_at = FirstSet({updated, facts.captured_at});
  }
  const WordDiffStats words = CountWordChanges(before ? before->body : "", content.body);
  info->words_added = words.words_added;
  info->words_removed = words.words_removed;
}

CaptureFacts StoredCaptureFacts(const RevisionInfo& info) {
  CaptureFacts facts;
  facts.captured_at = info.captured_at;
  if (!IsDerivedKind(info.kind)) {
    facts.declared_kind = info.kind;
    facts.declared_effective = info.effective_at;
  }
  return facts;
}

void RederiveRevision(const StoredRevision* before, StoredRevision* revision) {
  if (revision->info.redacted) return;  // withheld: nothing of it is told again
  const ArticleContent* base = before != nullptr ? &before->content : nullptr;
  if (revision->info.captured_at != kNoTime) {
    DeriveCaptureChange(base, revision->content, StoredCaptureFacts(revision->info),
                        &revision->info);
    return;
  }
  const WordDiffStats words =
      CountWordChanges(base != nullptr ? base->body : "", revision->content.body);
  revision->info.words_added = words.words_added;
  revision->info.words_removed = words.words_removed;
}

}  // namespace palimpsest
