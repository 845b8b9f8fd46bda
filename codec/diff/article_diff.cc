// The article-aware diff: field changes, note changes, and the body diffed by paragraph, then by
// sentence inside edited paragraphs, then by word inside edited sentences. Every level uses the
// same minimal Myers diff; what this file adds is the pairing of a deleted unit with a similar
// inserted one (an edit rather than a rewrite) and the recognition of moved paragraphs.

#include <algorithm>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "codec/diff/tokenize.h"
#include "palimpsest/diff.h"

namespace palimpsest {
namespace {

using Views = std::vector<std::string_view>;

// Byte offset of `view` inside `text` (views always point into the text they came from).
size_t OffsetIn(std::string_view text, std::string_view view) {
  return static_cast<size_t>(view.data() - text.data());
}

TextSpan SpanOf(std::string_view text, std::string_view view) {
  return {OffsetIn(text, view), view.size()};
}

// The empty span where something inserted or deleted at `index` of `units` (the units of
// `container`, a part of `text`) sits on this side: the start of that unit, or the end of
// `container` past its last unit.
TextSpan InsertionPoint(std::string_view text, std::string_view container, const Views& units,
                        size_t index) {
  if (index < units.size()) return {OffsetIn(text, units[index]), 0};
  return {OffsetIn(text, container) + container.size(), 0};
}

// Two units are an edit of each other when at least half of their words are common.
bool Similar(std::string_view a, std::string_view b) {
  const size_t na = SplitWords(a).size();
  const size_t nb = SplitWords(b).size();
  const size_t total = na + nb;
  if (total == 0) return true;
  // Half the words in common needs at least total/4 common words: reject lopsided pairs
  // without running a diff (rewritten regions can hold many candidates).
  if (4 * std::min(na, nb) < total) return false;
  const WordDiffStats s = CountWordChanges(a, b);
  return 2 * (s.words_added + s.words_removed) <= total;
}

// One unit of a change region after pairing.
struct Paired {
  DiffOp op;  // kDelete, kInsert or kReplace (or kMove, assigned later)
  size_t before = 0;
  size_t after = 0;
};

// Pairs the deleted units `dels` with similar inserted units `ins` of one change region, in
// order (a greedy monotone matching looking a few units ahead, enough for real edits while
// bounding the work). Unpaired units stay deletions and insertions. Deletions come out before
// the insertion or replacement that follows them.
std::vector<Paired> PairRegion(const Views& before, const std::vector<size_t>& dels,
                               const Views& after, const std::vector<size_t>& ins) {
  constexpr size_t kLookAhead = 8;
  std::vector<Paired> out;
  size_t next_ins = 0;
  for (size_t d : dels) {
    size_t match = ins.size();
    for (size_t j = next_ins; j < ins.size() && j < next_ins + kLookAhead; ++j) {
      if (Similar(before[d], after[ins[j]])) {
        match = j;
        break;
      }
    }
    if (match == ins.size()) {
      out.push_back({DiffOp::kDelete, d, 0});
      continue;
    }
    for (; next_ins < match; ++next_ins) out.push_back({DiffOp::kInsert, 0, ins[next_ins]});
    out.push_back({DiffOp::kReplace, d, ins[match]});
    next_ins = match + 1;
  }
  for (; next_ins < ins.size(); ++next_ins) out.push_back({DiffOp::kInsert, 0, ins[next_ins]});
  return out;
}

// Word-level marks between two sentences, with spans into the bodies.
std::vector<WordMark> MarkWords(std::string_view before_body, std::string_view before,
                                std::string_view after_body, std::string_view after) {
  const Views bw = SplitWords(before);
  const Views aw = SplitWords(after);
  std::vector<WordMark> marks;
  for (const EditRun& run : DiffTokens(bw, aw)) {
    const bool from_after = run.op == EditOp::kInsert;
    const Views& words = from_after ? aw : bw;
    const std::string_view body = from_after ? after_body : before_body;
    const size_t first = from_after ? run.after_pos : run.before_pos;
    const std::string_view head = words[first];
    const std::string_view tail = words[first + run.length - 1];
    const size_t begin = OffsetIn(body, head);
    const size_t end = OffsetIn(body, tail) + tail.size();
    WordMark mark;
    mark.op = run.op;
    mark.text = std::string(body.substr(begin, end - begin));
    mark.span = {begin, end - begin};
    mark.words = run.length;
    marks.push_back(std::move(mark));
  }
  return marks;
}

// Sentence-level detail of an edited paragraph; accumulates word counts into `hunk`.
void DiffSentences(std::string_view before_body, std::string_view before_para,
                   std::string_view after_body, std::string_view after_para, BodyHunk* hunk) {
  const Views bs = SplitSentences(before_para);
  const Views as = SplitSentences(after_para);
  auto add = [&](DiffOp op, size_t b, size_t a) {
    SentenceChange change;
    change.op = op;
    if (op != DiffOp::kInsert) {
      change.before = std::string(bs[b]);
      change.before_span = SpanOf(before_body, bs[b]);
    } else {
      change.before_span = InsertionPoint(before_body, before_para, bs, b);
    }
    if (op != DiffOp::kDelete) {
      change.after = std::string(as[a]);
      change.after_span = SpanOf(after_body, as[a]);
    } else {
      change.after_span = InsertionPoint(after_body, after_para, as, a);
    }
    if (op == DiffOp::kReplace) {
      change.words = MarkWords(before_body, bs[b], after_body, as[a]);
      for (const WordMark& m : change.words) {
        if (m.op == EditOp::kInsert) hunk->words_added += m.words;
        if (m.op == EditOp::kDelete) hunk->words_removed += m.words;
      }
    } else if (op == DiffOp::kInsert) {
      hunk->words_added += SplitWords(as[a]).size();
    } else if (op == DiffOp::kDelete) {
      hunk->words_removed += SplitWords(bs[b]).size();
    }
    hunk->sentences.push_back(std::move(change));
  };

  const std::vector<EditRun> script = DiffTokens(bs, as);
  for (size_t r = 0; r < script.size(); ++r) {
    const EditRun& run = script[r];
    if (run.op == EditOp::kEqual) {
      for (size_t k = 0; k < run.length; ++k) {
        add(DiffOp::kEqual, run.before_pos + k, run.after_pos + k);
      }
      continue;
    }
    std::vector<size_t> dels, ins;
    for (; r < script.size() && script[r].op != EditOp::kEqual; ++r) {
      auto& list = script[r].op == EditOp::kDelete ? dels : ins;
      const size_t first =
          script[r].op == EditOp::kDelete ? script[r].before_pos : script[r].after_pos;
      for (size_t k = 0; k < script[r].length; ++k) list.push_back(first + k);
    }
    --r;
    // Insertion points for unpaired units: the position on the other side at this region.
    const size_t region_b = run.before_pos;
    const size_t region_a = run.after_pos;
    for (const Paired& p : PairRegion(bs, dels, as, ins)) {
      add(p.op, p.op == DiffOp::kInsert ? region_b : p.before,
          p.op == DiffOp::kDelete ? region_a : p.after);
    }
  }
}

std::vector<FieldChange> DiffFields(const ArticleContent& before, const ArticleContent& after) {
  std::vector<FieldChange> fields;
  auto field = [&fields](const char* name, const std::string& b, const std::string& a) {
    if (b != a) fields.push_back({name, b, a});
  };
  field("title", before.title, after.title);
  field("dek", before.dek, after.dek);
  field("byline", before.byline, after.byline);
  field("dateline", before.dateline, after.dateline);
  field("published_at", FormatTimestamp(before.published_at), FormatTimestamp(after.published_at));
  field("updated_at", FormatTimestamp(before.updated_at), FormatTimestamp(after.updated_at));
  return fields;
}

std::vector<NoteChange> DiffNotes(const ArticleContent& before, const ArticleContent& after) {
  Views bn, an;
  for (const ArticleNote& n : before.notes) bn.push_back(n.text);
  for (const ArticleNote& n : after.notes) an.push_back(n.text);
  std::vector<NoteChange> notes;
  for (const EditRun& run : DiffTokens(bn, an)) {
    for (size_t k = 0; k < run.length; ++k) {
      if (run.op == EditOp::kDelete) {
        const ArticleNote& n = before.notes[run.before_pos + k];
        notes.push_back({DiffOp::kDelete, n.text, n.effective_at});
      } else if (run.op == EditOp::kInsert) {
        const ArticleNote& n = after.notes[run.after_pos + k];
        notes.push_back({DiffOp::kInsert, n.text, n.effective_at});
      }
    }
  }
  return notes;
}

}  // namespace

std::string_view DiffOpName(DiffOp op) {
  switch (op) {
    case DiffOp::kEqual:
      return "equal";
    case DiffOp::kInsert:
      return "insert";
    case DiffOp::kDelete:
      return "delete";
    case DiffOp::kReplace:
      return "replace";
    case DiffOp::kMove:
      return "move";
  }
  return "equal";
}

bool ArticleDiff::empty() const {
  if (!fields.empty() || !notes.empty()) return false;
  for (const BodyHunk& h : body) {
    if (h.op != DiffOp::kEqual) return false;
  }
  return true;
}

ArticleDiff DiffArticles(const ArticleContent& before, const ArticleContent& after) {
  ArticleDiff diff;
  diff.fields = DiffFields(before, after);
  diff.notes = DiffNotes(before, after);
  const WordDiffStats totals = CountWordChanges(before.body, after.body);
  diff.words_added = totals.words_added;
  diff.words_removed = totals.words_removed;

  const std::string_view bbody = before.body;
  const std::string_view abody = after.body;
  const Views bp = SplitParagraphViews(bbody);
  const Views ap = SplitParagraphViews(abody);
  const std::vector<EditRun> script = DiffTokens(bp, ap);

  // Moves first: an inserted paragraph identical to one deleted elsewhere. (Within one change
  // region that cannot happen, since a minimal script would have kept it.)
  std::map<std::string_view, std::vector<size_t>> deleted_by_text;
  for (const EditRun& run : script) {
    if (run.op != EditOp::kDelete) continue;
    for (size_t k = 0; k < run.length; ++k) {
      deleted_by_text[bp[run.before_pos + k]].push_back(run.before_pos + k);
    }
  }
  std::vector<bool> moved_from(bp.size(), false);
  std::map<size_t, size_t> move_source;  // after index → before index
  for (const EditRun& run : script) {
    if (run.op != EditOp::kInsert) continue;
    for (size_t k = 0; k < run.length; ++k) {
      auto it = deleted_by_text.find(ap[run.after_pos + k]);
      if (it == deleted_by_text.end() || it->second.empty()) continue;
      const size_t from = it->second.front();
      it->second.erase(it->second.begin());
      moved_from[from] = true;
      move_source[run.after_pos + k] = from;
    }
  }

  // Walk the script, turning each change region into per-paragraph items, then coalescing
  // neighbouring deletions or insertions into runs.
  auto push = [&](DiffOp op, size_t b, size_t a) {
    BodyHunk h;
    h.op = op;
    h.before_index = b;
    h.after_index = a;
    h.before_count = (op == DiffOp::kInsert) ? 0 : 1;
    h.after_count = (op == DiffOp::kDelete) ? 0 : 1;
    h.before_span = h.before_count ? SpanOf(bbody, bp[b]) : InsertionPoint(bbody, bbody, bp, b);
    h.after_span = h.after_count ? SpanOf(abody, ap[a]) : InsertionPoint(abody, abody, ap, a);
    if (op == DiffOp::kMove) {
      h.before_count = h.after_count = 1;
      h.before_span = SpanOf(bbody, bp[b]);
      h.after_span = SpanOf(abody, ap[a]);
    }
    if (op == DiffOp::kInsert) h.words_added = SplitWords(ap[a]).size();
    if (op == DiffOp::kDelete) h.words_removed = SplitWords(bp[b]).size();
    if (op == DiffOp::kReplace) DiffSentences(bbody, bp[b], abody, ap[a], &h);

    if (!diff.body.empty()) {
      BodyHunk& last = diff.body.back();
      const bool same_run =
          last.op == op && (op == DiffOp::kEqual || op == DiffOp::kInsert || op == DiffOp::kDelete);
      if (same_run && last.before_index + last.before_count == b &&
          last.after_index + last.after_count == a) {
        last.before_count += h.before_count;
        last.after_count += h.after_count;
        last.before_span.length =
            h.before_span.offset + h.before_span.length - last.before_span.offset;
        last.after_span.length = h.after_span.offset + h.after_span.length - last.after_span.offset;
        last.words_added += h.words_added;
        last.words_removed += h.words_removed;
        return;
      }
    }
    diff.body.push_back(std::move(h));
  };
  // Texts are filled once the runs are final.
  auto fill_texts = [&] {
    for (BodyHunk& h : diff.body) {
      if (h.op == DiffOp::kEqual) continue;
      h.before_text = std::string(bbody.substr(h.before_span.offset, h.before_span.length));
      h.after_text = std::string(abody.substr(h.after_span.offset, h.after_span.length));
    }
  };

  for (size_t r = 0; r < script.size(); ++r) {
    const EditRun& run = script[r];
    if (run.op == EditOp::kEqual) {
      for (size_t k = 0; k < run.length; ++k) {
        push(DiffOp::kEqual, run.before_pos + k, run.after_pos + k);
      }
      continue;
    }
    std::vector<size_t> dels, ins;
    const size_t region_b = run.before_pos;
    const size_t region_a = run.after_pos;
    for (; r < script.size() && script[r].op != EditOp::kEqual; ++r) {
      const EditRun& c = script[r];
      for (size_t k = 0; k < c.length; ++k) {
        if (c.op == EditOp::kDelete && !moved_from[c.before_pos + k]) {
          dels.push_back(c.before_pos + k);
        }
        if (c.op == EditOp::kInsert) ins.push_back(c.after_pos + k);
      }
    }
    --r;
    // Moved-in paragraphs keep their slot among the insertions; pair only the rest.
    std::vector<size_t> plain_ins;
    for (size_t a : ins) {
      if (!move_source.count(a)) plain_ins.push_back(a);
    }
    std::vector<Paired> items = PairRegion(bp, dels, ap, plain_ins);
    size_t before_cursor = region_b;
    size_t after_cursor = region_a;
    auto emit_moves_before = [&](size_t limit) {
      for (size_t a : ins) {
        if (a >= after_cursor && a < limit && move_source.count(a)) {
          push(DiffOp::kMove, move_source[a], a);
          after_cursor = a + 1;
        }
      }
    };
    for (const Paired& p : items) {
      if (p.op == DiffOp::kDelete) {
        push(DiffOp::kDelete, p.before, after_cursor);
        before_cursor = p.before + 1;
        continue;
      }
      emit_moves_before(p.after);
      push(p.op, p.op == DiffOp::kInsert ? before_cursor : p.before, p.after);
      if (p.op == DiffOp::kReplace) before_cursor = p.before + 1;
      after_cursor = p.after + 1;
    }
    emit_moves_before(region_a + ins.size());
  }
  fill_texts();
  return diff;
}

}  // namespace palimpsest
