// Plain-text renderers for diffs: GNU unified format (so `patch` can apply it), git-style word
// diff, and the human-readable article diff. JSON rendering lives in the CLI, from the structs.

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include "codec/diff/tokenize.h"
#include "palimpsest/diff.h"

namespace palimpsest {
namespace {

using Views = std::vector<std::string_view>;

// One change region of a script: before[b0, b1) replaced by after[a0, a1).
struct Region {
  size_t b0, b1, a0, a1;
};

std::vector<Region> Regions(const std::vector<EditRun>& script) {
  std::vector<Region> regions;
  for (size_t r = 0; r < script.size(); ++r) {
    if (script[r].op == EditOp::kEqual) continue;
    Region g{script[r].before_pos, script[r].before_pos, script[r].after_pos, script[r].after_pos};
    for (; r < script.size() && script[r].op != EditOp::kEqual; ++r) {
      if (script[r].op == EditOp::kDelete) g.b1 += script[r].length;
      if (script[r].op == EditOp::kInsert) g.a1 += script[r].length;
    }
    --r;
    regions.push_back(g);
  }
  return regions;
}

// GNU's range syntax: "start,count", just "start" for one line, and for an empty range the line
// before it ("4,0").
std::string UnifiedRange(size_t start, size_t count) {
  if (count == 1) return std::to_string(start + 1);
  if (count == 0) return std::to_string(start) + ",0";
  return std::to_string(start + 1) + "," + std::to_string(count);
}

void AppendLine(std::string* out, char prefix, std::string_view line) {
  out->push_back(prefix);
  out->append(line);
  if (line.empty() || line.back() != '\n') out->append("\n\\ No newline at end of file\n");
}

// Text of words[first, first + count) including the whitespace between them.
std::string_view WordRange(std::string_view text, const Views& words, size_t first, size_t count) {
  const size_t begin = static_cast<size_t>(words[first].data() - text.data());
  const std::string_view last = words[first + count - 1];
  const size_t end = static_cast<size_t>(last.data() - text.data()) + last.size();
  return text.substr(begin, end - begin);
}

// Marks for the human renderer, plain or coloured.
struct Style {
  bool color;
  std::string Removed(std::string_view s) const {
    return color ? "\x1b[31m" + std::string(s) + "\x1b[m" : "[-" + std::string(s) + "-]";
  }
  std::string Added(std::string_view s) const {
    return color ? "\x1b[32m" + std::string(s) + "\x1b[m" : "{+" + std::string(s) + "+}";
  }
  std::string Header(std::string_view s) const {
    return color ? "\x1b[36m" + std::string(s) + "\x1b[m" : std::string(s);
  }
};

// A replaced sentence with its word marks. One-word islands of equal text between two changes
// are folded into the change: "[-Israel-]{+Israel, Brazil, Australia,+} and [-Brazil.-]{+South
// Korea.+}" reads better as one replacement of the phrase.
std::string RenderMarks(const std::vector<WordMark>& marks, const Style& style) {
  std::vector<std::string> parts;
  std::string removed, added;
  bool in_change = false;
  auto join = [](std::string* to, std::string_view s) {
    if (!to->empty()) to->push_back(' ');
    to->append(s);
  };
  auto flush = [&] {
    if (!in_change) return;
    std::string part;
    if (!removed.empty()) part += style.Removed(removed);
    if (!added.empty()) part += style.Added(added);
    parts.push_back(std::move(part));
    removed.clear();
    added.clear();
    in_change = false;
  };
  for (size_t i = 0; i < marks.size(); ++i) {
    const WordMark& m = marks[i];
    if (m.op == EditOp::kEqual) {
      const bool island = in_change && m.words == 1 && i + 1 < marks.size();
      if (island) {
        join(&removed, m.text);
        join(&added, m.text);
        continue;
      }
      flush();
      parts.push_back(m.text);
      continue;
    }
    in_change = true;
    join(m.op == EditOp::kDelete ? &removed : &added, m.text);
  }
  flush();
  std::string out;
  for (const std::string& p : parts) join(&out, p);
  return out;
}

std::string RenderSentence(const SentenceChange& s, const Style& style) {
  switch (s.op) {
    case DiffOp::kInsert:
      return style.Added(s.after);
    case DiffOp::kDelete:
      return style.Removed(s.before);
    case DiffOp::kReplace:
      return RenderMarks(s.words, style);
    default:
      return s.after;
  }
}

// An edited paragraph: changed sentences with one sentence of context either side; "…" stands
// for the sentences left out.
std::string RenderEditedParagraph(const BodyHunk& h, const Style& style) {
  const auto& ss = h.sentences;
  std::vector<bool> shown(ss.size(), false);
  for (size_t i = 0; i < ss.size(); ++i) {
    if (ss[i].op == DiffOp::kEqual) continue;
    shown[i] = true;
    if (i > 0) shown[i - 1] = true;
    if (i + 1 < ss.size()) shown[i + 1] = true;
  }
  std::string out;
  bool gap = false;  // sentences were left out since the last one shown
  for (size_t i = 0; i < ss.size(); ++i) {
    if (!shown[i]) {
      gap = true;
      continue;
    }
    if (gap) {
      out += out.empty() ? "… " : " … ";
    } else if (!out.empty()) {
      out += " ";
    }
    gap = false;
    out += RenderSentence(ss[i], style);
  }
  if (gap) out += " …";
  return out;
}

// The first `max_words` words of `text`, with "…" when cut.
std::string Excerpt(std::string_view text, size_t max_words) {
  const Views words = SplitWords(text);
  if (words.size() <= max_words) return std::string(text);
  return std::string(WordRange(text, words, 0, max_words)) + " …";
}

std::string ParagraphLabel(size_t first, size_t count) {
  if (count <= 1) return "paragraph " + std::to_string(first + 1);
  return "paragraphs " + std::to_string(first + 1) + "–" + std::to_string(first + count);
}

}  // namespace

std::string RenderUnified(std::string_view before, std::string_view after,
                          const UnifiedOptions& options) {
  const Views bl = SplitLines(before);
  const Views al = SplitLines(after);
  const std::vector<Region> regions = Regions(DiffTokens(bl, al));
  if (regions.empty()) return "";
  const size_t ctx = options.context;
  std::string out = "--- " + options.before_label + "\n+++ " + options.after_label + "\n";
  for (size_t first = 0; first < regions.size();) {
    // Regions closer than two contexts share a hunk, as in GNU diff.
    size_t last = first;
    while (last + 1 < regions.size() && regions[last + 1].b0 - regions[last].b1 <= 2 * ctx) ++last;
    const size_t lead = std::min(ctx, regions[first].b0);
    const size_t b_start = regions[first].b0 - lead;
    const size_t a_start = regions[first].a0 - lead;
    const size_t trail = std::min(ctx, bl.size() - regions[last].b1);
    const size_t b_end = regions[last].b1 + trail;
    const size_t a_end = regions[last].a1 + trail;
    out += "@@ -" + UnifiedRange(b_start, b_end - b_start) + " +" +
           UnifiedRange(a_start, a_end - a_start) + " @@\n";
    size_t cursor = b_start;
    for (size_t r = first; r <= last; ++r) {
      for (; cursor < regions[r].b0; ++cursor) AppendLine(&out, ' ', bl[cursor]);
      for (size_t i = regions[r].b0; i < regions[r].b1; ++i) AppendLine(&out, '-', bl[i]);
      for (size_t j = regions[r].a0; j < regions[r].a1; ++j) AppendLine(&out, '+', al[j]);
      cursor = regions[r].b1;
    }
    for (; cursor < b_end; ++cursor) AppendLine(&out, ' ', bl[cursor]);
    first = last + 1;
  }
  return out;
}

std::string RenderWordDiff(std::string_view before, std::string_view after) {
  const Views bw = SplitWords(before);
  const Views aw = SplitWords(after);
  const std::vector<EditRun> script = DiffTokens(bw, aw);
  std::string out;
  size_t cursor = 0;  // bytes of `after` already copied
  auto copy_after_to = [&](size_t end) {
    out.append(after.substr(cursor, end - cursor));
    cursor = end;
  };
  auto word_end = [&after](std::string_view w) {
    return static_cast<size_t>(w.data() - after.data()) + w.size();
  };
  for (const Region& g : Regions(script)) {
    // Equal words up to the region come verbatim from `after`.
    if (g.a0 > 0) copy_after_to(word_end(aw[g.a0 - 1]));
    if (g.a1 > g.a0) {
      copy_after_to(static_cast<size_t>(aw[g.a0].data() - after.data()));  // leading space
    } else if (!out.empty()) {
      out.push_back(' ');
    }
    if (g.b1 > g.b0) out += "[-" + std::string(WordRange(before, bw, g.b0, g.b1 - g.b0)) + "-]";
    if (g.a1 > g.a0) {
      out += "{+" + std::string(WordRange(after, aw, g.a0, g.a1 - g.a0)) + "+}";
      cursor = word_end(aw[g.a1 - 1]);
    } else if (g.a0 < aw.size() && cursor == static_cast<size_t>(aw[g.a0].data() - after.data())) {
      out.push_back(' ');  // a deletion at the very start, glued to the next word otherwise
    }
  }
  copy_after_to(after.size());
  return out;
}

std::string RenderArticleText(const ArticleDiff& diff, bool color) {
  const Style style{color};
  std::string out;
  for (const FieldChange& f : diff.fields) {
    out += f.field + ": " + style.Removed(f.before.empty() ? "(none)" : f.before) + " → " +
           style.Added(f.after.empty() ? "(none)" : f.after) + "\n";
  }
  for (const BodyHunk& h : diff.body) {
    if (h.op == DiffOp::kEqual) continue;
    if (!out.empty()) out += "\n";  // a blank line between blocks
    switch (h.op) {
      case DiffOp::kReplace:
        // Headers number paragraphs as the new text does; a removed one as the old text did.
        out += style.Header(ParagraphLabel(h.after_index, 1) +
                            (h.before_index == h.after_index
                                 ? std::string(" (edited):")
                                 : " (edited, was " + std::to_string(h.before_index + 1) + "):")) +
               "\n  " + RenderEditedParagraph(h, style) + "\n";
        break;
      case DiffOp::kDelete:
        out += style.Header(ParagraphLabel(h.before_index, h.before_count) + " (removed):") + "\n";
        for (std::string_view p : SplitParagraphViews(h.before_text)) {
          out += "  " + style.Removed(p) + "\n";
        }
        break;
      case DiffOp::kInsert:
        out += style.Header(ParagraphLabel(h.after_index, h.after_count) + " (added):") + "\n";
        for (std::string_view p : SplitParagraphViews(h.after_text)) {
          out += "  " + style.Added(p) + "\n";
        }
        break;
      case DiffOp::kMove:
        out += style.Header(ParagraphLabel(h.after_index, 1) + " (moved from " +
                            std::to_string(h.before_index + 1) + "):") +
               "\n  " + Excerpt(h.after_text, 12) + "\n";
        break;
      case DiffOp::kEqual:
        break;
    }
  }
  if (!diff.notes.empty() && !out.empty()) out += "\n";
  for (const NoteChange& n : diff.notes) {
    const std::string line = (n.op == DiffOp::kInsert ? "+ note: " : "- note: ") + n.text;
    if (!color) {
      out += line;  // the leading +/- already marks it
    } else {
      out += n.op == DiffOp::kInsert ? style.Added(line) : style.Removed(line);
    }
    out += "\n";
  }
  if (diff.words_added || diff.words_removed) {
    out += "\nwords: +" + std::to_string(diff.words_added) + " -" +
           std::to_string(diff.words_removed) + "\n";
  }
  return out;
}

}  // namespace palimpsest
