// Palimpsest against git and SQLite (and a raw LMDB floor) on the same generated workload, in
// the same run, reported as absolute numbers and ratios (issue #7).
//
//   compare [--scale S] [--seed N] [--dir DIR] [--out FILE] [--durable-events N]
//           [--queries N] [--process-queries N] [--systems LIST] [--palimpsest PATH]
//           [--prose FILE]
//
// Scale 1 is 20,000 articles and 60,000 corrections; --scale 0.01 is a smoke run. --prose FILE
// (JSON Lines with a "body" field, e.g. ../shared/tools/prose-en.jsonl) trains the order-2 word
// Markov chain the text is drawn from; without it, sentences come from a fixed vocabulary. Each
// system runs in its own child process. Prints the workload, this machine's fsync rate and disk
// bandwidth, a table (one row per metric, one column per system, then Palimpsest/peer ratios)
// and the goals as met/missed; writes the same as JSON to --out.

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "bench/bench_util.h"
#include "bench/peers.h"
#include "bench/workload.h"

#ifndef PALIMPSEST_CLI_PATH
#define PALIMPSEST_CLI_PATH "palimpsest"
#endif

namespace palimpsest::bench {
namespace {

struct Flags {
  double scale = 1.0;
  uint64_t seed = 20230724;
  std::string dir = "/tmp/palimpsest-compare";
  std::string out = "bench-results.json";
  size_t durable_events = 0;  // 0: 2000 × scale, within [50, 500]
  size_t queries = 2000;
  size_t process_queries = 0;  // 0: 1000 × scale, within [20, 100]
  std::string systems = "palimpsest,palimpsest-cli,sqlite,sqlite-fts5,git,raw-lmdb";
  std::string cli_path = PALIMPSEST_CLI_PATH;
  std::string prose;  // JSON Lines to train the text on; empty: the fixed vocabulary
};

void Usage() {
  std::fprintf(
      stderr,
      "usage: compare [--scale S] [--seed N] [--dir DIR] [--out FILE]\n"
      "               [--durable-events N] [--queries N] [--process-queries N]\n"
      "               [--systems palimpsest,palimpsest-cli,sqlite,sqlite-fts5,git,raw-lmdb]\n"
      "               [--palimpsest PATH] [--prose FILE]\n");
  std::exit(1);
}

Flags ParseFlags(int argc, char** argv) {
  Flags f;
  for (int i = 1; i < argc; ++i) {
    const std::string name = argv[i];
    if (name == "--help" || name == "-h") Usage();
    if (i + 1 >= argc) Usage();
    const std::string value = argv[++i];
    if (name == "--scale") {
      f.scale = std::stod(value);
    } else if (name == "--seed") {
      f.seed = std::stoull(value);
    } else if (name == "--dir") {
      f.dir = value;
    } else if (name == "--out") {
      f.out = value;
    } else if (name == "--durable-events") {
      f.durable_events = std::stoul(value);
    } else if (name == "--queries") {
      f.queries = std::stoul(value);
    } else if (name == "--process-queries") {
      f.process_queries = std::stoul(value);
    } else if (name == "--prose") {
      f.prose = value;
    } else if (name == "--systems") {
      f.systems = value;
    } else if (name == "--palimpsest") {
      f.cli_path = value;
    } else {
      Usage();
    }
  }
  if (!(f.scale > 0) || f.queries == 0) Usage();
  return f;
}

// fdatasync()s of a rewritten 4 KiB block per second, for about a second, and sequential write
// bandwidth (MB/s) of `mb` MiB followed by one fdatasync.
Metrics ProbeDisk(const std::string& dir, size_t mb) {
  Metrics m;
  const std::string path = dir + "/probe";
  int fd = open(path.c_str(), O_CREAT | O_TRUNC | O_WRONLY, 0644);
  if (fd < 0) Die("cannot create " + path);
  std::string block(4096, 'x');
  size_t syncs = 0;
  Stopwatch clock;
  while (clock.Seconds() < 1.0 && syncs < 20000) {
    if (pwrite(fd, block.data(), block.size(), 0) != static_cast<ssize_t>(block.size())) {
      Die("probe write failed");
    }
    fdatasync(fd);
    ++syncs;
  }
  m["fsync_per_s"] = static_cast<double>(syncs) / clock.Seconds();
  std::string chunk(1 << 20, 'y');
  Stopwatch write_clock;
  for (size_t i = 0; i < mb; ++i) {
    if (write(fd, chunk.data(), chunk.size()) != static_cast<ssize_t>(chunk.size())) {
      Die("probe write failed");
    }
  }
  fdatasync(fd);
  m["disk_write_mb_s"] = static_cast<double>(mb) / write_clock.Seconds();
  close(fd);
  unlink(path.c_str());
  return m;
}

double LoadAverage() {
  std::ifstream in("/proc/loadavg");
  double load = 0;
  in >> load;
  return load;
}

// Deterministic read requests: random documents, times within their lives, and revision
// pairs of documents that have at least two revisions.
std::vector<Query> MakeQueries(const Workload& w,
                               const std::vector<std::vector<uint32_t>>& doc_events, size_t count,
                               uint64_t seed) {
  std::mt19937_64 rng(seed ^ 0x9e3779b97f4a7c15ULL);
  std::vector<uint32_t> revised;
  for (uint32_t d = 0; d < doc_events.size(); ++d) {
    if (doc_events[d].size() >= 2) revised.push_back(d);
  }
  if (revised.empty()) Die("workload has no corrections");
  std::vector<Query> queries;
  for (size_t i = 0; i < count; ++i) {
    Query q;
    q.doc = static_cast<uint32_t>(rng() % doc_events.size());
    const std::vector<uint32_t>& events = doc_events[q.doc];
    const int64_t first = w.events[events.front()].time_s;
    const int64_t last = w.events[events.back()].time_s;
    q.as_of_s = first + static_cast<int64_t>(rng() % static_cast<uint64_t>(last - first + 3600));
    q.diff_doc = revised[rng() % revised.size()];
    q.diff_rev = 2 + static_cast<uint32_t>(rng() % (doc_events[q.diff_doc].size() - 1));
    queries.push_back(q);
  }
  return queries;
}

// Search queries: one or two words of four letters or more from random bodies, lower-cased
// (both systems fold case).
std::vector<std::string> MakeSearchQueries(const Workload& w, size_t count, uint64_t seed) {
  std::mt19937_64 rng(seed ^ 0x5ea4c4);
  std::vector<std::string> queries;
  auto word = [&](const std::string& body) {
    for (int tries = 0; tries < 50; ++tries) {
      size_t at = rng() % body.size();
      while (at > 0 && std::isalpha(static_cast<unsigned char>(body[at - 1]))) --at;
      size_t end = at;
      while (end < body.size() && std::isalpha(static_cast<unsigned char>(body[end]))) ++end;
      if (end - at >= 4) {
        std::string out = body.substr(at, end - at);
        for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        return out;
      }
    }
    return std::string("the");
  };
  for (size_t i = 0; i < count; ++i) {
    const std::string& body = w.events[rng() % w.events.size()].body;
    std::string q = word(body);
    if (i % 2 == 1) q += " " + word(body);
    queries.push_back(std::move(q));
  }
  return queries;
}

struct Row {
  const char* key;
  const char* label;
  bool higher_is_better;
};

constexpr Row kRows[] = {
    {"ingest_durable_eps", "ingest, every event durable (ev/s)", true},
    {"ingest_group100_eps", "ingest, group commit of 100 (ev/s)", true},
    {"ingest_nosync_eps", "ingest, no sync (ev/s)", true},
    {"nosync_cpu_us", "CPU per event, no-sync ingest (us)", false},
    {"bytes_per_rev", "bytes on disk per revision", false},
    {"bytes_per_article", "bytes on disk per article", false},
    {"bytes_per_correction", "bytes on disk per correction", false},
    {"get_current_p50_us", "get current p50 (us)", false},
    {"get_current_p99_us", "get current p99 (us)", false},
    {"as_of_p50_us", "get as-of p50 (us)", false},
    {"as_of_p99_us", "get as-of p99 (us)", false},
    {"get_current_cold_p50_us", "get current, first read after open, p50 (us)", false},
    {"get_current_cold_p99_us", "get current, first read after open, p99 (us)", false},
    {"as_of_cold_p50_us", "get as-of, first read after open, p50 (us)", false},
    {"as_of_cold_p99_us", "get as-of, first read after open, p99 (us)", false},
    {"get_current_cold_faults", "page faults per first get-current after open", false},
    {"as_of_cold_faults", "page faults per first as-of after open", false},
    {"history_p50_us", "revision list p50 (us)", false},
    {"history_p99_us", "revision list p99 (us)", false},
    {"word_diff_p50_us", "word diff of 2 revs p50 (us)", false},
    {"word_diff_p99_us", "word diff of 2 revs p99 (us)", false},
    {"bytes_per_event_full", "bytes/event, every index built", false},
    {"index_bytes_per_rev", "full-text index bytes/event", false},
    {"search_p50_us", "search p50 (us)", false},
    {"search_p99_us", "search p99 (us)", false},
    {"replay_eps", "replay projections (ev/s)", true},
    {"async_catchup_eps", "async change summaries (ev/s)", true},
    {"peak_rss_mb", "peak RSS (MB)", false},
};

std::string Format(double v) {
  char buf[32];
  if (std::isnan(v)) return "-";
  if (std::fabs(v) >= 100) {
    std::snprintf(buf, sizeof(buf), "%.0f", v);
  } else if (std::fabs(v) >= 10) {
    std::snprintf(buf, sizeof(buf), "%.1f", v);
  } else {
    std::snprintf(buf, sizeof(buf), "%.2f", v);
  }
  return buf;
}

std::string JsonNumber(double v) {
  if (std::isnan(v) || std::isinf(v)) return "null";
  std::ostringstream out;
  out.precision(6);
  out << v;
  return out.str();
}

double Get(const std::map<std::string, Metrics>& results, const std::string& system,
           const std::string& key) {
  auto s = results.find(system);
  if (s == results.end()) return NAN;
  auto v = s->second.find(key);
  return v == s->second.end() ? NAN : v->second;
}

struct Goal {
  std::string name;
  double value;
  double target;
  bool at_least;  // value >= target, else value <= target
};

int Main(int argc, char** argv) {
  const Flags flags = ParseFlags(argc, argv);
  FreshDir(flags.dir);

  Stopwatch generate_clock;
  std::optional<TextModel> text;
  if (!flags.prose.empty()) {
    std::string error;
    text = TextModel::FromJsonLines(flags.prose, &error);
    if (!text) {
      std::fprintf(stderr, "compare: %s\n", error.c_str());
      return 1;
    }
  }
  const Workload workload = GenerateWorkload({flags.scale, flags.seed, text ? &*text : nullptr});
  BenchContext ctx;
  ctx.workload = &workload;
  ctx.root = flags.dir;
  ctx.articles = workload.doc_ids.size();
  // By default the slow rows (fsync-bound, a process per git read) shrink with the scale, so a
  // smoke run stays short.
  auto scaled = [&](double per_unit, size_t lo, size_t hi) {
    return std::clamp(static_cast<size_t>(per_unit * flags.scale), lo, hi);
  };
  ctx.durable_events = std::min(flags.durable_events ? flags.durable_events : scaled(2000, 50, 500),
                                workload.events.size());
  ctx.process_queries = flags.process_queries ? flags.process_queries : scaled(1000, 20, 100);
  ctx.cli_path = flags.cli_path;
  ctx.doc_events.resize(workload.doc_ids.size());
  size_t edits[5] = {};
  for (uint32_t i = 0; i < workload.events.size(); ++i) {
    ctx.doc_events[workload.events[i].doc].push_back(i);
    ++edits[static_cast<int>(workload.events[i].kind)];
  }
  ctx.queries = MakeQueries(workload, ctx.doc_events, flags.queries, flags.seed);
  ctx.search_queries =
      MakeSearchQueries(workload, std::min<size_t>(flags.queries, 500), flags.seed);
  size_t max_revs = 0;
  for (const auto& events : ctx.doc_events) max_revs = std::max(max_revs, events.size());
  const size_t corrections = workload.events.size() - ctx.articles;
  std::printf(
      "workload: scale %g, seed %llu: %zu articles + %zu corrections = %zu events, %.1f MB of "
      "text (mean %.0f B), up to %zu revisions per article (generated in %.1f s)\n"
      "edits: %zu substitutions, %zu sentence inserts, %zu sentence deletes, %zu paragraph "
      "rewrites\n",
      flags.scale, static_cast<unsigned long long>(flags.seed), ctx.articles, corrections,
      workload.events.size(), static_cast<double>(workload.body_bytes) / 1e6,
      static_cast<double>(workload.body_bytes) / static_cast<double>(workload.events.size()),
      max_revs, generate_clock.Seconds(), edits[1], edits[2], edits[3], edits[4]);
  if (text) {
    std::printf("text: order-2 word Markov chain trained on %zu words of %s\n", text->words(),
                flags.prose.c_str());
  } else {
    std::printf("text: a fixed vocabulary (pass --prose FILE for text like real prose)\n");
  }

  const Metrics machine = ProbeDisk(flags.dir, flags.scale >= 0.5 ? 256 : 64);
  const double load = LoadAverage();
  const unsigned cores = std::thread::hardware_concurrency();
  std::printf(
      "machine: %u cores, load average %.2f at start; fsync %.0f/s, sequential write %.0f MB/s "
      "(measured now)\n",
      cores, load, machine.at("fsync_per_s"), machine.at("disk_write_mb_s"));
  std::printf(
      "durable runs: first %zu events; git answers %zu queries (a process each), the "
      "others %zu\n\n",
      ctx.durable_events, std::min(ctx.process_queries, flags.queries), flags.queries);

  std::vector<std::string> systems;
  {
    std::stringstream list(flags.systems);
    std::string name;
    while (std::getline(list, name, ',')) systems.push_back(name);
  }
  std::map<std::string, Metrics> results;
  for (const std::string& system : systems) {
    std::fprintf(stderr, "running %s ...\n", system.c_str());
    Stopwatch clock;
    if (system == "palimpsest") {
      results[system] = RunInChild(system, [&] { return RunPalimpsest(ctx); });
    } else if (system == "palimpsest-cli") {
      results[system] = RunInChild(system, [&] { return RunPalimpsestCli(ctx); });
    } else if (system == "sqlite") {
      results[system] = RunInChild(system, [&] { return RunSqlite(ctx, /*fts5=*/false); });
    } else if (system == "sqlite-fts5") {
      results[system] = RunInChild(system, [&] { return RunSqlite(ctx, /*fts5=*/true); });
    } else if (system == "git") {
      results[system] = RunInChild(system, [&] { return RunGit(ctx); });
    } else if (system == "raw-lmdb") {
      results[system] = RunInChild(system, [&] { return RunRawLmdb(ctx); });
    } else {
      Die("unknown system " + system);
    }
    std::fprintf(stderr, "  %s took %.1f s\n", system.c_str(), clock.Seconds());
  }

  // FTS5 keeps no copy of the text (external content): its index is what it adds to SQLite.
  if (results.count("sqlite-fts5") && results.count("sqlite")) {
    results["sqlite-fts5"]["index_bytes_per_rev"] =
        Get(results, "sqlite-fts5", "bytes_per_rev") - Get(results, "sqlite", "bytes_per_rev");
  }

  // The table.
  const std::vector<std::string> peers = {"sqlite", "sqlite-fts5", "git", "raw-lmdb"};
  std::printf("%-36s", "metric");
  for (const std::string& s : systems) std::printf(" %14s", s.c_str());
  for (const std::string& p : peers) std::printf(" %10s", ("P/" + p).c_str());
  std::printf("\n");
  for (const Row& row : kRows) {
    bool any = false;
    for (const std::string& s : systems) any = any || !std::isnan(Get(results, s, row.key));
    if (!any) continue;
    std::printf("%-36s", row.label);
    for (const std::string& s : systems)
      std::printf(" %14s", Format(Get(results, s, row.key)).c_str());
    const double ours = Get(results, "palimpsest", row.key);
    for (const std::string& p : peers) {
      std::printf(" %10s", Format(ours / Get(results, p, row.key)).c_str());
    }
    std::printf("\n");
  }
  std::printf(
      "\nP/x = Palimpsest (library API) / x. Throughput: higher is better; bytes, latency, RSS: "
      "lower is better.\n"
      "git rows: durable = per-commit CLI (git add + git commit, core.fsync=all) on at most 200 "
      "events;\n  no sync = git fast-import of everything; reads spawn a process (rev-list, log, "
      "diff) except get-current (cat-file --batch).\n"
      "sqlite word diff = two SELECTs + Palimpsest's RenderWordDiff (SQLite has no diff).\n"
      "raw-lmdb replay = a cursor scan of the appended bytes.\n");

  // Goals from the issue.
  const double pd = Get(results, "palimpsest", "ingest_durable_eps");
  const double pg = Get(results, "palimpsest", "ingest_group100_eps");
  const double pn = Get(results, "palimpsest", "ingest_nosync_eps");
  const std::vector<Goal> goals = {
      {"durable >= 1.0x SQLite", pd / Get(results, "sqlite", "ingest_durable_eps"), 1.0, true},
      {"group-100 >= 3x SQLite", pg / Get(results, "sqlite", "ingest_group100_eps"), 3.0, true},
      {"group-100 >= 0.8x raw LMDB", pg / Get(results, "raw-lmdb", "ingest_group100_eps"), 0.8,
       true},
      {"no-sync >= 3x SQLite", pn / Get(results, "sqlite", "ingest_nosync_eps"), 3.0, true},
      {"no-sync >= 0.8x raw LMDB", pn / Get(results, "raw-lmdb", "ingest_nosync_eps"), 0.8, true},
      {"bytes/correction <= git packed (ratio)",
       Get(results, "palimpsest", "bytes_per_correction") /
           Get(results, "git", "bytes_per_correction"),
       1.0, false},
      {"get-current p99 <= 5 us", Get(results, "palimpsest", "get_current_p99_us"), 5.0, false},
      {"as-of p99 <= 2x get-current p99 (ratio)",
       Get(results, "palimpsest", "as_of_p99_us") /
           Get(results, "palimpsest", "get_current_p99_us"),
       2.0, false},
      // Issue #18: reads that find nothing decoded yet.
      {"get-current p99, first read after open, <= 20 us (#18)",
       Get(results, "palimpsest", "get_current_cold_p99_us"), 20.0, false},
      {"as-of p99 <= 2x get-current p99, first read after open (#18)",
       Get(results, "palimpsest", "as_of_cold_p99_us") /
           Get(results, "palimpsest", "get_current_cold_p99_us"),
       2.0, false},
      {"word diff p99 <= 200 us (fetch 2 revs + diff)",
       Get(results, "palimpsest", "word_diff_p99_us"), 200.0, false},
      {"replay >= 200k ev/s", Get(results, "palimpsest", "replay_eps"), 200000.0, true},
      // Issue #17: `palimpsest import` (search index and change summaries included).
      {"CLI import >= 3x SQLite+FTS5 (#17)",
       Get(results, "palimpsest-cli", "ingest_group100_eps") /
           Get(results, "sqlite-fts5", "ingest_group100_eps"),
       3.0, true},
      {"CLI import >= 1x SQLite (#17)",
       Get(results, "palimpsest-cli", "ingest_group100_eps") /
           Get(results, "sqlite", "ingest_group100_eps"),
       1.0, true},
      {"durable >= 0.5x SQLite (#17)", pd / Get(results, "sqlite", "ingest_durable_eps"), 0.5,
       true},
  };
  const std::vector<Goal> storage_goals = {
      {"bytes/event, every index <= 1.0x git repacked (#18)",
       Get(results, "palimpsest", "bytes_per_event_full") /
           Get(results, "git", "bytes_per_event_full"),
       1.0, false},
      {"bytes/event, every index <= 0.3x SQLite+FTS5 (#18)",
       Get(results, "palimpsest", "bytes_per_event_full") /
           Get(results, "sqlite-fts5", "bytes_per_event_full"),
       0.3, false},
      {"search index <= 0.3x FTS5 index (#18)",
       Get(results, "palimpsest", "index_bytes_per_rev") /
           Get(results, "sqlite-fts5", "index_bytes_per_rev"),
       0.3, false},
      {"search p99 <= FTS5 search p99 (#18, ratio)",
       Get(results, "palimpsest", "search_p99_us") / Get(results, "sqlite-fts5", "search_p99_us"),
       1.0, false},
      {"replay >= 20k ev/s, every projection (#18)", Get(results, "palimpsest", "replay_eps"),
       20000.0, true},
      {"get-current p99 <= 20 us (#18)", Get(results, "palimpsest", "get_current_p99_us"), 20.0,
       false},
  };
  std::printf("\ngoals (issues #7, #17 and #18):\n");
  std::vector<Goal> all_goals = goals;
  all_goals.insert(all_goals.end(), storage_goals.begin(), storage_goals.end());
  for (const Goal& g : all_goals) {
    const bool known = !std::isnan(g.value);
    const bool met = known && (g.at_least ? g.value >= g.target : g.value <= g.target);
    std::printf("  %-48s %12s  %s\n", g.name.c_str(), Format(g.value).c_str(),
                known ? (met ? "met" : "MISSED") : "not measured");
  }

  // JSON.
  std::ofstream out(flags.out);
  out << "{\n  \"scale\": " << JsonNumber(flags.scale) << ",\n  \"prose\": \""
      << (text ? flags.prose : "") << "\",\n  \"seed\": " << flags.seed
      << ",\n  \"articles\": " << ctx.articles << ",\n  \"corrections\": " << corrections
      << ",\n  \"events\": " << workload.events.size()
      << ",\n  \"durable_events\": " << ctx.durable_events
      << ",\n  \"machine\": {\"cores\": " << cores << ", \"load_average\": " << JsonNumber(load)
      << ", \"fsync_per_s\": " << JsonNumber(machine.at("fsync_per_s"))
      << ", \"disk_write_mb_s\": " << JsonNumber(machine.at("disk_write_mb_s"))
      << "},\n  \"systems\": {";
  bool first_system = true;
  for (const auto& [system, metrics] : results) {
    out << (first_system ? "\n" : ",\n") << "    \"" << system << "\": {";
    first_system = false;
    bool first = true;
    for (const auto& [k, v] : metrics) {
      out << (first ? "" : ", ") << "\"" << k << "\": " << JsonNumber(v);
      first = false;
    }
    out << "}";
  }
  out << "\n  },\n  \"ratios\": {";
  bool first_peer = true;
  for (const std::string& p : peers) {
    if (!results.count(p) || !results.count("palimpsest")) continue;
    out << (first_peer ? "\n" : ",\n") << "    \"palimpsest/" << p << "\": {";
    first_peer = false;
    bool first = true;
    for (const auto& [k, v] : results.at("palimpsest")) {
      const double peer = Get(results, p, k);
      if (std::isnan(peer)) continue;
      out << (first ? "" : ", ") << "\"" << k << "\": " << JsonNumber(v / peer);
      first = false;
    }
    out << "}";
  }
  out << "\n  },\n  \"goals\": [";
  for (size_t i = 0; i < all_goals.size(); ++i) {
    const Goal& g = all_goals[i];
    const bool met =
        !std::isnan(g.value) && (g.at_least ? g.value >= g.target : g.value <= g.target);
    out << (i ? ",\n" : "\n") << "    {\"goal\": \"" << g.name
        << "\", \"value\": " << JsonNumber(g.value) << ", \"target\": " << JsonNumber(g.target)
        << ", \"met\": " << (met ? "true" : "false") << "}";
  }
  out << "\n  ]\n}\n";
  if (!out) Die("cannot write " + flags.out);
  std::printf("\nresults written to %s\n", flags.out.c_str());
  std::error_code ec;
  std::filesystem::remove_all(flags.dir, ec);
  return 0;
}

}  // namespace
}  // namespace palimpsest::bench

int main(int argc, char** argv) { return palimpsest::bench::Main(argc, argv); }
