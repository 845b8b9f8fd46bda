// Google Benchmark micro-benchmarks of the pieces on the write and read paths: event
// encode/decode, hashing, compression, Unicode normalization, the extractor and the diff engine,
// on the comparison workload's prose (bench/workload.h).
//
//   micro_bench [--benchmark_filter=REGEX] [--benchmark_min_time=0.1s]

#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "bench/workload.h"
#include "codec/compression.h"
#include "palimpsest/article.h"
#include "palimpsest/diff.h"
#include "palimpsest/event.h"
#include "palimpsest/extractor.h"
#include "palimpsest/hash.h"

namespace palimpsest::bench {
namespace {

constexpr size_t kArticleBytes = 6 * 1024;

const std::pair<std::string, std::string>& Pair(EditKind kind) {
  static const auto* pairs = [] {
    auto* p = new std::vector<std::pair<std::string, std::string>>();
    for (EditKind k : {EditKind::kOriginal, EditKind::kSubstitute, EditKind::kInsertSentence,
                       EditKind::kDeleteSentence, EditKind::kRewrite}) {
      p->push_back(ArticlePair(7, kArticleBytes, k));
    }
    return p;
  }();
  return (*pairs)[static_cast<size_t>(kind)];
}

EditKind KindArg(const benchmark::State& state) { return static_cast<EditKind>(state.range(0)); }

Event SampleEvent() {
  const std::string& body = Pair(EditKind::kSubstitute).second;
  CapturedEvent captured;
  captured.raw = {Sha256(body), body.size()};
  captured.media_type = kBodyMediaType;
  captured.captured_at = 1'690'000'000'000'000;
  captured.fields = {{"title", "Space Force talks resume with allies in the region"},
                     {"note", "Correction: An earlier version misspelled Mastalir."}};
  Event event;
  event.seq = 12345;
  event.id = DeriveEventId({"captured", "article-000042", AsBytes(captured.raw.sha256)});
  event.doc_id = "article-000042";
  event.version = 7;
  event.recorded_at = 1'690'000'000'000'001;
  event.effective_at = captured.captured_at;
  event.actor = "cli:bench";
  event.correlation_id = "0123456789abcdef";
  event.body = std::move(captured);
  return event;
}

void BM_EncodeEvent(benchmark::State& state) {
  const Event event = SampleEvent();
  for (auto _ : state) benchmark::DoNotOptimize(EncodeEvent(event));
}
BENCHMARK(BM_EncodeEvent);

void BM_DecodeEvent(benchmark::State& state) {
  const std::string bytes = EncodeEvent(SampleEvent());
  for (auto _ : state) {
    auto event = DecodeEvent(bytes);
    benchmark::DoNotOptimize(event);
  }
}
BENCHMARK(BM_DecodeEvent);

void BM_Sha256(benchmark::State& state) {
  const std::string& body = Pair(EditKind::kOriginal).first;
  for (auto _ : state) benchmark::DoNotOptimize(Sha256(body));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * body.size()));
}
BENCHMARK(BM_Sha256);

// Event ids, field digests and chain links hash short inputs: the per-call cost dominates.
void BM_Sha256Short(benchmark::State& state) {
  const std::string text(64, 'a');
  for (auto _ : state) benchmark::DoNotOptimize(Sha256(text));
}
BENCHMARK(BM_Sha256Short);

void BM_ZstdCompressWithReference(benchmark::State& state) {
  const auto& [before, after] = Pair(EditKind::kSubstitute);
  for (auto _ : state) benchmark::DoNotOptimize(ZstdCompress(after, before));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * after.size()));
}
BENCHMARK(BM_ZstdCompressWithReference);

void BM_ZstdDecompressWithReference(benchmark::State& state) {
  const auto& [before, after] = Pair(EditKind::kSubstitute);
  const std::string frame = ZstdCompress(after, before);
  for (auto _ : state) {
    auto out = ZstdDecompress(frame, before);
    benchmark::DoNotOptimize(out);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * after.size()));
}
BENCHMARK(BM_ZstdDecompressWithReference);

void BM_NormalizeNfc(benchmark::State& state) {
  const std::string& body = Pair(EditKind::kOriginal).first;
  for (auto _ : state) {
    auto out = NormalizeNfc(body);
    benchmark::DoNotOptimize(out);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * body.size()));
}
BENCHMARK(BM_NormalizeNfc);

void BM_CollapseWhitespace(benchmark::State& state) {
  const std::string& body = Pair(EditKind::kOriginal).first;
  for (auto _ : state) benchmark::DoNotOptimize(CollapseWhitespace(body));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * body.size()));
}
BENCHMARK(BM_CollapseWhitespace);

// The extractor on an importer's body record (what `import` of JSON Lines stores).
void BM_ExtractBodyRecord(benchmark::State& state) {
  const std::string& body = Pair(EditKind::kOriginal).first;
  const std::vector<Field> fields = {{"title", "Talks resume"},
                                     {"note", "Correction: An earlier version erred."}};
  for (auto _ : state) {
    auto content = ExtractCapture(body, kBodyMediaType, 1'690'000'000'000'000, fields);
    benchmark::DoNotOptimize(content);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * body.size()));
}
BENCHMARK(BM_ExtractBodyRecord);

// The plain-text extractor on a scraped page: chrome lines, title, byline, date, body, note.
void BM_ExtractPlainTextPage(benchmark::State& state) {
  const std::string page =
      "Home | World | Politics\n\nTalks resume with allies in the region\n\nBy Ada Reporter\n\n"
      "July 20, 2023\n\n" +
      Pair(EditKind::kOriginal).first +
      "\n\nEditor's Note: This story was updated July 24 to correct a name.\n\n"
      "Share this article\n";
  for (auto _ : state) {
    auto content = ExtractPlainText(page, 1'690'000'000'000'000);
    benchmark::DoNotOptimize(content);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * page.size()));
}
BENCHMARK(BM_ExtractPlainTextPage);

std::vector<std::string_view> Words(std::string_view text) {
  std::vector<std::string_view> words;
  size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && (text[i] == ' ' || text[i] == '\n')) ++i;
    const size_t start = i;
    while (i < text.size() && text[i] != ' ' && text[i] != '\n') ++i;
    if (i > start) words.push_back(text.substr(start, i - start));
  }
  return words;
}

// Myers over the words of two 6 KB revisions; the argument is the EditKind.
void BM_DiffTokensWords(benchmark::State& state) {
  const auto& [before, after] = Pair(KindArg(state));
  const auto a = Words(before), b = Words(after);
  for (auto _ : state) benchmark::DoNotOptimize(DiffTokens(a, b));
  state.SetLabel(EditKindName(KindArg(state)));
}
BENCHMARK(BM_DiffTokensWords)->DenseRange(1, 4);

void BM_RenderWordDiff(benchmark::State& state) {
  const auto& [before, after] = Pair(KindArg(state));
  for (auto _ : state) benchmark::DoNotOptimize(RenderWordDiff(before, after));
  state.SetLabel(EditKindName(KindArg(state)));
}
BENCHMARK(BM_RenderWordDiff)->DenseRange(1, 4);

void BM_CountWordChanges(benchmark::State& state) {
  const auto& [before, after] = Pair(KindArg(state));
  for (auto _ : state) benchmark::DoNotOptimize(CountWordChanges(before, after));
  state.SetLabel(EditKindName(KindArg(state)));
}
BENCHMARK(BM_CountWordChanges)->DenseRange(1, 4);

void BM_DiffArticles(benchmark::State& state) {
  const auto& [before, after] = Pair(KindArg(state));
  ArticleContent a, b;
  a.title = b.title = "Talks resume";
  a.body = before;
  b.body = after;
  for (auto _ : state) benchmark::DoNotOptimize(DiffArticles(a, b));
  state.SetLabel(EditKindName(KindArg(state)));
}
BENCHMARK(BM_DiffArticles)->DenseRange(1, 4);

}  // namespace
}  // namespace palimpsest::bench

BENCHMARK_MAIN();
