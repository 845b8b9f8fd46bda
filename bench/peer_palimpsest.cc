// Palimpsest through its library API (Archive::Append with the captures the JSON Lines import
// builds: body text plus title and note fields) and through `palimpsest import`.

#include <sys/resource.h>

#include <cstdio>
#include <fstream>

#include "bench/peers.h"
#include "palimpsest/archive.h"
#include "palimpsest/article.h"
#include "palimpsest/diff.h"
#include "palimpsest/search.h"

namespace palimpsest::bench {

namespace {

// The capture `palimpsest import` makes of the JSON Lines record for `e`.
AppendRequest Request(const Workload& w, const WorkloadEvent& e) {
  CapturedEvent captured;
  captured.raw = {Sha256(e.body), e.body.size()};
  captured.media_type = kBodyMediaType;
  captured.captured_at = e.time_s * kMicrosPerSecond;
  captured.fields.push_back({"title", e.title});
  if (!e.note.empty()) captured.fields.push_back({"note", e.note});
  const std::string& doc_id = w.doc_ids[e.doc];
  AppendRequest request;
  request.event.id =
      DeriveEventId({"captured", doc_id, AsBytes(captured.raw.sha256),
                     std::to_string(captured.captured_at), "", FieldsDigest(captured.fields)});
  request.event.doc_id = doc_id;
  request.event.effective_at = captured.captured_at;
  request.event.actor = "bench";
  request.event.body = std::move(captured);
  request.contents.push_back(e.body);
  return request;
}

std::unique_ptr<Archive> OpenArchive(const std::string& dir, Durability durability) {
  Options options;
  options.data_dir = dir;
  options.durability = durability;
  options.map_size = uint64_t{4} << 30;
  auto archive = Archive::Open(options);
  if (!archive.ok()) Die("open " + dir + ": " + archive.status().message());
  return std::move(archive).value();
}

// Appends events [begin, end) in batches of `batch`; returns the seconds it took.
double Load(const BenchContext& ctx, Archive& archive, size_t begin, size_t end, size_t batch) {
  const Workload& w = *ctx.workload;
  Stopwatch clock;
  for (size_t i = begin; i < end; i += batch) {
    std::vector<AppendRequest> requests;
    for (size_t j = i; j < std::min(end, i + batch); ++j) {
      requests.push_back(Request(w, w.events[j]));
    }
    auto result = archive.Append(std::move(requests));
    if (!result.ok()) Die("append: " + result.status().message());
  }
  return clock.Seconds();
}

std::string JsonString(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out + '"';
}

// Writes events [0, count) as the JSON Lines records `palimpsest import` reads.
void WriteJsonl(const Workload& w, size_t count, const std::string& path) {
  std::ofstream out(path, std::ios::binary);
  char time[32];
  for (size_t i = 0; i < count; ++i) {
    const WorkloadEvent& e = w.events[i];
    const time_t t = static_cast<time_t>(e.time_s);
    struct tm tm {};
    gmtime_r(&t, &tm);
    std::strftime(time, sizeof(time), "%Y-%m-%dT%H:%M:%SZ", &tm);
    out << "{\"id\":" << JsonString(w.doc_ids[e.doc]) << ",\"title\":" << JsonString(e.title)
        << ",\"captured_at\":\"" << time << '"';
    if (!e.note.empty()) out << ",\"note\":" << JsonString(e.note);
    out << ",\"body\":" << JsonString(e.body) << "}\n";
  }
  if (!out) Die("cannot write " + path);
}

// Reads each document once, in the order the queries first name it, on an archive just opened
// (no content decoded yet in this process): the current revision, then, on another fresh open,
// the revision in effect at the query's time. Reports get_current_cold_* and as_of_cold_*.
void MeasureColdReads(const BenchContext& ctx, const std::string& dir, Metrics& m) {
  const Workload& w = *ctx.workload;
  for (const bool as_of : {false, true}) {
    auto archive = OpenArchive(dir, Durability::kSync);
    std::vector<bool> read(w.doc_ids.size());
    LatencyRecorder latency;
    struct rusage before {};
    getrusage(RUSAGE_SELF, &before);
    size_t reads = 0;
    for (const Query& q : ctx.queries) {
      if (read[q.doc]) continue;
      ++reads;
      read[q.doc] = true;
      RevisionSelector selector;
      if (as_of) selector.as_of = q.as_of_s * kMicrosPerSecond;
      Stopwatch clock;
      auto doc = archive->GetDocument(w.doc_ids[q.doc], selector);
      latency.Add(clock.Micros());
      if (!doc.ok()) Die("cold read " + w.doc_ids[q.doc] + ": " + doc.status().message());
    }
    latency.Report(as_of ? "as_of_cold" : "get_current_cold", m);
    // Minor page faults: the first touch of each page of the archive's new mapping.
    struct rusage after {};
    getrusage(RUSAGE_SELF, &after);
    m[as_of ? "as_of_cold_faults" : "get_current_cold_faults"] =
        static_cast<double>(after.ru_minflt - before.ru_minflt) / static_cast<double>(reads);
  }
}

}  // namespace

Metrics RunPalimpsest(const BenchContext& ctx) {
  const Workload& w = *ctx.workload;
  const size_t n = w.events.size();
  Metrics m;
  {
    const std::string dir = ctx.root + "/palimpsest-durable";
    FreshDir(dir);
    auto archive = OpenArchive(dir, Durability::kSync);
    m["ingest_durable_eps"] =
        static_cast<double>(ctx.durable_events) / Load(ctx, *archive, 0, ctx.durable_events, 1);
  }
  {
    const std::string dir = ctx.root + "/palimpsest-nosync";
    FreshDir(dir);
    auto archive = OpenArchive(dir, Durability::kNoSync);
    const double cpu = CpuSeconds();
    m["ingest_nosync_eps"] = static_cast<double>(n) / Load(ctx, *archive, 0, n, 100);
    m["nosync_cpu_us"] = (CpuSeconds() - cpu) * 1e6 / static_cast<double>(n);
  }
  const std::string dir = ctx.root + "/palimpsest";
  FreshDir(dir);
  auto archive = OpenArchive(dir, Durability::kSync);
  double seconds = Load(ctx, *archive, 0, ctx.articles, 100);
  const uint64_t article_bytes = DiskUsage(dir);
  seconds += Load(ctx, *archive, ctx.articles, n, 100);
  m["ingest_group100_eps"] = static_cast<double>(n) / seconds;
  ReportBytes(ctx, article_bytes, DiskUsage(dir), m);
  {
    // The asynchronous projection (change summaries) the write path does not wait for.
    Stopwatch clock;
    auto applied = archive->CatchUp(UINT64_MAX);
    if (!applied.ok()) Die("catch up: " + applied.status().message());
    m["async_catchup_eps"] = static_cast<double>(*applied) / clock.Seconds();
  }
  {
    const double events = static_cast<double>(n);
    m["bytes_per_event_full"] = static_cast<double>(DiskUsage(dir)) / events;
    auto stats = archive->Stats();
    if (!stats.ok()) Die("stats: " + stats.status().message());
    double index = 0;
    for (const auto& [db, bytes] : stats->database_bytes) {
      if (db.rfind("search_", 0) == 0) index += static_cast<double>(bytes);
    }
    m["index_bytes_per_rev"] = index / events;
    LatencyRecorder search;
    for (const std::string& query : ctx.search_queries) {
      SearchRequest request;
      request.query = query;
      request.limit = 20;
      Stopwatch clock;
      auto found = archive->Search(request);
      search.Add(clock.Micros());
      if (!found.ok()) Die("search " + query + ": " + found.status().message());
    }
    search.Report("search", m);
  }

  LatencyRecorder current, as_of, history, diff;
  for (size_t i = 0; i < ctx.queries.size(); ++i) {
    const Query& q = ctx.queries[i];
    const std::string& id = w.doc_ids[q.doc];
    InRotatedOrder(i, {[&] {
                         Stopwatch clock;
                         auto doc = archive->GetDocument(id, {});
                         current.Add(clock.Micros());
                         if (!doc.ok() || doc->content.body.empty()) Die("get " + id);
                       },
                       [&] {
                         RevisionSelector selector;
                         selector.as_of = q.as_of_s * kMicrosPerSecond;
                         Stopwatch clock;
                         auto doc = archive->GetDocument(id, selector);
                         as_of.Add(clock.Micros());
                         if (!doc.ok()) Die("as-of " + id + ": " + doc.status().message());
                       },
                       [&] {
                         Stopwatch clock;
                         auto revisions = archive->History(id);
                         history.Add(clock.Micros());
                         if (!revisions.ok() || revisions->empty()) Die("history " + id);
                       }});
    {
      const std::string& diff_id = w.doc_ids[q.diff_doc];
      RevisionSelector a, b;
      a.rev = q.diff_rev - 1;
      b.rev = q.diff_rev;
      Stopwatch clock;
      auto before = archive->GetDocument(diff_id, a);
      auto after = archive->GetDocument(diff_id, b);
      if (!before.ok() || !after.ok()) Die("diff " + diff_id);
      const std::string marked = RenderWordDiff(before->content.body, after->content.body);
      diff.Add(clock.Micros());
      if (marked.empty()) Die("empty diff");
    }
  }
  current.Report("get_current", m);
  as_of.Report("as_of", m);
  history.Report("history", m);
  diff.Report("word_diff", m);

  Stopwatch clock;
  auto replay = archive->Replay();
  if (!replay.ok()) Die("replay: " + replay.status().message());
  m["replay_eps"] = static_cast<double>(replay->events_replayed) / clock.Seconds();
  if (!replay->identical()) Die("replay was not byte-identical");
  archive.reset();
  MeasureColdReads(ctx, dir, m);
  return m;
}

Metrics RunPalimpsestCli(const BenchContext& ctx) {
  const Workload& w = *ctx.workload;
  Metrics m;
  const std::string jsonl = ctx.root + "/workload.jsonl";
  WriteJsonl(w, w.events.size(), jsonl);
  const std::string dir = ctx.root + "/palimpsest-cli";
  FreshDir(dir);
  Stopwatch clock;
  const int rc = RunCommand(
      {ctx.cli_path, "import", "--data", dir, "--batch", "100", "--progress", "never", jsonl},
      ctx.root);
  if (rc != 0) Die("palimpsest import exited " + std::to_string(rc));
  m["ingest_group100_eps"] = static_cast<double>(w.events.size()) / clock.Seconds();
  m["bytes_per_rev"] = static_cast<double>(DiskUsage(dir)) / static_cast<double>(w.events.size());
  std::remove(jsonl.c_str());
  return m;
}

}  // namespace palimpsest::bench
