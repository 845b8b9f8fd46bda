// The benchmark workload: a deterministic, seeded stream of news-like article captures and
// corrections that every compared system stores.
//
// Articles are 2–10 KB of prose (paragraphs of sentences from a TextModel trained on real
// prose, or drawn from a fixed news vocabulary). After
// every article exists, corrections follow, spread over the articles Zipf-like (rank k is chosen
// with weight 1/(k+q), q set so the most edited article gets about 100 corrections at full
// scale). Each correction edits the article's current text: about 60% substitute one to three
// consecutive words, 25% insert a sentence, 10% delete a sentence, 5% rewrite a paragraph; it
// carries an editor's note. Event times are whole seconds, strictly increasing.
//
// Thread safety: pure functions over values.

#ifndef PALIMPSEST_BENCH_WORKLOAD_H_
#define PALIMPSEST_BENCH_WORKLOAD_H_

#include <cstdint>
#include <string>
#include <vector>

#include "bench/text_model.h"

namespace palimpsest::bench {

enum class EditKind { kOriginal, kSubstitute, kInsertSentence, kDeleteSentence, kRewrite };

const char* EditKindName(EditKind kind);

struct WorkloadEvent {
  uint32_t doc = 0;    // index into Workload::doc_ids
  uint32_t rev = 0;    // 1 for the article, then 2, 3, … per correction of that article
  int64_t time_s = 0;  // Unix seconds; strictly increasing along the workload
  EditKind kind = EditKind::kOriginal;
  std::string title;
  std::string note;  // empty for the original capture
  std::string body;  // paragraphs separated by "\n\n"; plain ASCII
};

struct Workload {
  std::vector<std::string> doc_ids;  // "article-000042"
  std::vector<WorkloadEvent> events;
  uint64_t body_bytes = 0;  // Σ body sizes
};

struct WorkloadSpec {
  double scale = 1.0;  // 1.0: 20,000 articles and 60,000 corrections
  uint64_t seed = 20230724;
  const TextModel* text = nullptr;  // where sentences come from; null: a fixed news vocabulary
};

// Deterministic for a given spec: the same spec gives byte-identical events.
Workload GenerateWorkload(const WorkloadSpec& spec);

// One article of about `target_bytes` (for micro-benchmarks), and a copy with one edit of
// `kind` applied, both from `seed`.
std::pair<std::string, std::string> ArticlePair(uint64_t seed, size_t target_bytes, EditKind kind);

}  // namespace palimpsest::bench

#endif  // PALIMPSEST_BENCH_WORKLOAD_H_
