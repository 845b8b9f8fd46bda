#include "bench/workload.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <random>

namespace palimpsest::bench {

namespace {

constexpr const char* kWords[] = {
    "the",      "a",          "officials",    "said",      "on",
    "in",       "government", "minister",     "council",   "city",
    "report",   "according",  "to",           "statement", "spokesperson",
    "agency",   "budget",     "plan",         "would",     "could",
    "after",    "before",     "during",       "week",      "year",
    "month",    "talks",      "agreement",    "security",  "economy",
    "prices",   "rose",       "fell",         "percent",   "billion",
    "million",  "residents",  "police",       "court",     "ruling",
    "judge",    "appeal",     "election",     "voters",    "campaign",
    "party",    "leader",     "opposition",   "announced", "confirmed",
    "denied",   "reported",   "expected",     "planned",   "new",
    "former",   "senior",     "local",        "national",  "international",
    "and",      "but",        "while",        "because",   "although",
    "that",     "which",      "who",          "its",       "their",
    "his",      "her",        "was",          "were",      "has",
    "had",      "will",       "is",           "company",   "shares",
    "market",   "investors",  "analysts",     "quarter",   "hospital",
    "patients", "health",     "doctors",      "school",    "students",
    "storm",    "flooding",   "weather",      "coast",     "river",
    "bridge",   "project",    "construction", "contract",  "funding",
    "review",   "inquiry",    "committee",    "members",   "vote",
    "bill",     "law",        "rules",        "climate",   "energy",
    "power",    "grid",       "emissions",    "targets",   "team",
    "season",   "match",      "coach",        "players",   "fans",
    "of",       "for",        "with",         "from",      "by",
    "at",       "under",      "over",         "between",   "against",
    "without",  "into",
};
constexpr size_t kWordCount = sizeof(kWords) / sizeof(kWords[0]);

constexpr const char* kNames[] = {"Mastalir", "Okafor",   "Lindqvist", "Tanaka",  "Moreau",
                                  "Alvarez",  "Novak",    "Haddad",    "Brennan", "Kowalski",
                                  "Ferreira", "Nakamura", "Osei",      "Petrova", "Castillo"};
constexpr size_t kNameCount = sizeof(kNames) / sizeof(kNames[0]);

using Paragraph = std::vector<std::string>;  // sentences
using Article = std::vector<Paragraph>;

// The random source of one workload, and the text model its words come from (null: the fixed
// news vocabulary).
class Rng {
 public:
  Rng(uint64_t seed, const TextModel* text) : engine_(seed), text_(text) {}
  uint64_t Next() { return engine_(); }
  size_t Below(size_t n) { return n == 0 ? 0 : static_cast<size_t>(engine_() % n); }
  double Unit() { return static_cast<double>(engine_() >> 11) * 0x1.0p-53; }
  std::mt19937_64& engine() { return engine_; }
  const TextModel* text() const { return text_; }

 private:
  std::mt19937_64 engine_;
  const TextModel* text_;
};

std::string Word(Rng& rng) {
  if (rng.text() != nullptr) return rng.text()->Word(rng.engine());
  return kWords[rng.Below(kWordCount)];
}

std::string Sentence(Rng& rng) {
  if (rng.text() != nullptr) return rng.text()->Sentence(rng.engine());
  const size_t words = 8 + rng.Below(17);
  std::string s;
  for (size_t i = 0; i < words; ++i) {
    std::string w;
    const size_t pick = rng.Below(20);
    if (pick == 0) {
      w = kNames[rng.Below(kNameCount)];
    } else if (pick == 1) {
      w = std::to_string(rng.Below(2000));
    } else {
      w = Word(rng);
    }
    if (i == 0) w[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(w[0])));
    if (!s.empty()) s += ' ';
    s += w;
    if (i + 1 < words && rng.Below(12) == 0) s += ',';
  }
  s += '.';
  return s;
}

Paragraph NewParagraph(Rng& rng) {
  Paragraph p;
  const size_t sentences = 2 + rng.Below(4);
  for (size_t i = 0; i < sentences; ++i) p.push_back(Sentence(rng));
  return p;
}

size_t ArticleSize(const Article& a) {
  size_t n = 0;
  for (const Paragraph& p : a) {
    for (const std::string& s : p) n += s.size() + 1;
    n += 1;
  }
  return n;
}

Article NewArticle(Rng& rng, size_t target) {
  Article a;
  size_t size = 0;
  while (size < target) {
    a.push_back(NewParagraph(rng));
    for (const std::string& s : a.back()) size += s.size() + 1;
    size += 1;
  }
  return a;
}

std::string Render(const Article& a) {
  std::string body;
  body.reserve(ArticleSize(a) + 16);
  for (size_t i = 0; i < a.size(); ++i) {
    if (i > 0) body += "\n\n";
    for (size_t j = 0; j < a[i].size(); ++j) {
      if (j > 0) body += ' ';
      body += a[i][j];
    }
  }
  return body;
}

// Replaces 1–3 consecutive words of one sentence with different words.
void Substitute(Rng& rng, Article& a) {
  Paragraph& p = a[rng.Below(a.size())];
  std::string& s = p[rng.Below(p.size())];
  std::vector<std::string> words;
  size_t start = 0;
  while (start <= s.size()) {
    size_t end = s.find(' ', start);
    if (end == std::string::npos) end = s.size();
    words.push_back(s.substr(start, end - start));
    start = end + 1;
  }
  // Never the first word (capitalized) nor the last (carries the full stop) unless that is all.
  const size_t lo = words.size() > 2 ? 1 : 0;
  const size_t span = words.size() > 2 ? words.size() - 2 : words.size();
  const size_t at = lo + rng.Below(span);
  const size_t count = std::min<size_t>(1 + rng.Below(3), lo + span - at);
  for (size_t i = at; i < at + count; ++i) {
    std::string replacement = Word(rng);
    if (replacement == words[i]) replacement = kNames[rng.Below(kNameCount)];
    words[i] = replacement;
  }
  s.clear();
  for (const std::string& w : words) {
    if (!s.empty()) s += ' ';
    s += w;
  }
}

void Edit(Rng& rng, Article& a, EditKind kind) {
  switch (kind) {
    case EditKind::kSubstitute:
      Substitute(rng, a);
      return;
    case EditKind::kInsertSentence: {
      Paragraph& p = a[rng.Below(a.size())];
      p.insert(p.begin() + static_cast<std::ptrdiff_t>(rng.Below(p.size() + 1)), Sentence(rng));
      return;
    }
    case EditKind::kDeleteSentence:
      for (int attempt = 0; attempt < 8; ++attempt) {
        Paragraph& p = a[rng.Below(a.size())];
        if (p.size() > 1) {
          p.erase(p.begin() + static_cast<std::ptrdiff_t>(rng.Below(p.size())));
          return;
        }
      }
      Substitute(rng, a);
      return;
    case EditKind::kRewrite:
      a[rng.Below(a.size())] = NewParagraph(rng);
      return;
    case EditKind::kOriginal:
      return;
  }
}

EditKind PickEdit(Rng& rng) {
  const size_t r = rng.Below(100);
  if (r < 60) return EditKind::kSubstitute;
  if (r < 85) return EditKind::kInsertSentence;
  if (r < 95) return EditKind::kDeleteSentence;
  return EditKind::kRewrite;
}

// The Zipf-Mandelbrot offset q for which the top rank gets about `top` of `draws` draws over
// `n` ranks with weights 1/(k+q).
double SolveOffset(size_t n, double draws, double top) {
  auto top_share = [&](double q) {
    double sum = 0;
    for (size_t k = 0; k < n; ++k) sum += 1.0 / (static_cast<double>(k) + q);
    return draws * (1.0 / q) / sum;
  };
  double lo = 1e-3, hi = 1e7;
  for (int i = 0; i < 100; ++i) {
    const double mid = std::sqrt(lo * hi);
    if (top_share(mid) > top) {
      lo = mid;
    } else {
      hi = mid;
    }
  }
  return std::sqrt(lo * hi);
}

}  // namespace

const char* EditKindName(EditKind kind) {
  switch (kind) {
    case EditKind::kOriginal:
      return "original";
    case EditKind::kSubstitute:
      return "substitute";
    case EditKind::kInsertSentence:
      return "insert-sentence";
    case EditKind::kDeleteSentence:
      return "delete-sentence";
    case EditKind::kRewrite:
      return "rewrite-paragraph";
  }
  return "?";
}

Workload GenerateWorkload(const WorkloadSpec& spec) {
  Rng rng(spec.seed, spec.text);
  const size_t articles = std::max<size_t>(4, static_cast<size_t>(20000 * spec.scale + 0.5));
  const size_t corrections = 3 * articles;
  Workload w;
  w.events.reserve(articles + corrections);
  std::vector<Article> state(articles);
  std::vector<std::string> titles(articles);
  std::vector<uint32_t> revs(articles, 1);
  int64_t time_s = 1672531200;  // 2023-01-01T00:00:00Z
  for (size_t d = 0; d < articles; ++d) {
    char id[32];
    std::snprintf(id, sizeof(id), "article-%06zu", d);
    w.doc_ids.push_back(id);
    state[d] = NewArticle(rng, 2048 + rng.Below(8192 - 512));
    std::string title = Sentence(rng);
    title.pop_back();
    titles[d] = title.substr(0, std::min<size_t>(title.size(), 90));
    time_s += 1 + static_cast<int64_t>(rng.Below(120));
    WorkloadEvent e;
    e.doc = static_cast<uint32_t>(d);
    e.rev = 1;
    e.time_s = time_s;
    e.title = titles[d];
    e.body = Render(state[d]);
    w.body_bytes += e.body.size();
    w.events.push_back(std::move(e));
  }
  // Zipf-like choice of the corrected article: rank k with weight 1/(k+q), ranks shuffled.
  const double q = SolveOffset(articles, static_cast<double>(corrections),
                               std::min(100.0, static_cast<double>(corrections) / 2.0));
  std::vector<double> cumulative(articles);
  double sum = 0;
  for (size_t k = 0; k < articles; ++k) {
    sum += 1.0 / (static_cast<double>(k) + q);
    cumulative[k] = sum;
  }
  std::vector<uint32_t> rank_to_doc(articles);
  for (size_t k = 0; k < articles; ++k) rank_to_doc[k] = static_cast<uint32_t>(k);
  for (size_t k = articles - 1; k > 0; --k)
    std::swap(rank_to_doc[k], rank_to_doc[rng.Below(k + 1)]);
  for (size_t c = 0; c < corrections; ++c) {
    const double u = rng.Unit() * sum;
    const size_t rank = std::min<size_t>(
        articles - 1,
        static_cast<size_t>(std::upper_bound(cumulative.begin(), cumulative.end(), u) -
                            cumulative.begin()));
    const uint32_t d = rank_to_doc[rank];
    WorkloadEvent e;
    e.kind = PickEdit(rng);
    Edit(rng, state[d], e.kind);
    e.doc = d;
    e.rev = ++revs[d];
    time_s += 1 + static_cast<int64_t>(rng.Below(120));
    e.time_s = time_s;
    e.title = titles[d];
    e.note = "Correction: An earlier version of this article misstated a detail (correction " +
             std::to_string(c + 1) + ", " + EditKindName(e.kind) + ").";
    e.body = Render(state[d]);
    w.body_bytes += e.body.size();
    w.events.push_back(std::move(e));
  }
  return w;
}

std::pair<std::string, std::string> ArticlePair(uint64_t seed, size_t target_bytes, EditKind kind) {
  Rng rng(seed, nullptr);
  Article a = NewArticle(rng, target_bytes);
  std::string before = Render(a);
  Edit(rng, a, kind);
  return {std::move(before), Render(a)};
}

}  // namespace palimpsest::bench
