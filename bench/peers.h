// The systems the comparison benchmark runs on the same workload. Each Run* function loads the
// workload into fresh directories under ctx.root in the three durability modes, measures its
// reads and returns its metrics. Keys (absent where a system has no such operation):
//
//   ingest_durable_eps    events/s, every event its own synced commit (first durable_events)
//   ingest_group100_eps   events/s, 100 events per synced commit (whole workload)
//   ingest_nosync_eps     events/s, 100 events per commit, no sync (whole workload)
//   nosync_cpu_us         CPU time (µs, user + system, child processes included) per event
//                         of the no-sync load
//   bytes_per_rev         bytes on disk after the group-100 load / events
//   bytes_per_article     bytes on disk after the articles / articles
//   bytes_per_correction  growth of the bytes on disk over the corrections / corrections
//   get_current_*, as_of_*, history_*, word_diff_*   latency percentiles (µs), see queries
//   replay_eps            rebuilding the projections from the event log, events/s
//   bytes_per_event_full  bytes on disk per event with every index built (Palimpsest after
//                         catching up its search index and change summaries; git after
//                         `git repack -adf --window=50 --depth=50`; SQLite as loaded)
//   index_bytes_per_rev   bytes of the full-text index per event (Palimpsest: its search_*
//                         databases; SQLite FTS5: filled in by compare from the difference
//                         with plain SQLite, FTS5 keeping no copy of the text)
//   search_*              latency percentiles (µs) of ctx.search_queries, 20 best hits each
//
// All of them run in a child process (RunInChild), so peak_rss_mb is per system.

#ifndef PALIMPSEST_BENCH_PEERS_H_
#define PALIMPSEST_BENCH_PEERS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "bench/bench_util.h"
#include "bench/workload.h"

namespace palimpsest::bench {

// One read request, the same for every system.
struct Query {
  uint32_t doc = 0;       // get-current, as-of and history of this document
  int64_t as_of_s = 0;    // a time within the document's life
  uint32_t diff_doc = 0;  // word diff of revisions diff_rev - 1 and diff_rev of this document
  uint32_t diff_rev = 2;
};

struct BenchContext {
  const Workload* workload = nullptr;
  std::string root;             // scratch directory for every system
  size_t articles = 0;          // workload events [0, articles) create the articles
  size_t durable_events = 500;  // events in the every-event-durable run
  std::vector<Query> queries;   // in-process systems run all of them
  // One or two words each, drawn from the workload's bodies, for the full-text systems.
  std::vector<std::string> search_queries;
  size_t process_queries = 100;  // systems answering through a process per query run this many
  std::string cli_path;          // the palimpsest executable
  std::vector<std::vector<uint32_t>> doc_events;  // doc → its event indexes, by revision
};

// Stores bytes_per_rev, bytes_per_article and bytes_per_correction from the bytes on disk after
// the articles and after the whole workload.
inline void ReportBytes(const BenchContext& ctx, uint64_t after_articles, uint64_t after_all,
                        Metrics& m) {
  const double events = static_cast<double>(ctx.workload->events.size());
  const double articles = static_cast<double>(ctx.articles);
  m["bytes_per_rev"] = static_cast<double>(after_all) / events;
  m["bytes_per_article"] = static_cast<double>(after_articles) / articles;
  m["bytes_per_correction"] =
      (static_cast<double>(after_all) - static_cast<double>(after_articles)) / (events - articles);
}

Metrics RunPalimpsest(const BenchContext& ctx);
Metrics RunPalimpsestCli(const BenchContext& ctx);
// `fts5`: with a full-text index over every revision (the "sqlite-fts5" peer).
Metrics RunSqlite(const BenchContext& ctx, bool fts5);
Metrics RunGit(const BenchContext& ctx);
Metrics RunRawLmdb(const BenchContext& ctx);

}  // namespace palimpsest::bench

#endif  // PALIMPSEST_BENCH_PEERS_H_
