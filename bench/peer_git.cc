// git scraping: one file per article (articles/<id>.txt), one commit per event, committer time
// = event time.
//   bulk (no-sync row): `git fast-import` of the whole workload into one pack, core.fsync=none.
//   durable row: the per-commit CLI rate (`git add` + `git commit`, core.fsync=all) on a sample.
//   bytes: the repository after fast-import, packed, without any gc; bytes_per_event_full after
//   `git repack -adf --window=50 --depth=50`.
//   reads: after `git commit-graph write --reachable --changed-paths`: get-current through one
//   persistent `git cat-file --batch`; as-of = `git rev-list -1 --before=T main` then cat-file;
//   history = `git log -- path`; diff = `git diff --word-diff A B -- path`.

#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "bench/peers.h"

namespace palimpsest::bench {

namespace {

constexpr size_t kMaxCliCommits = 200;

void WriteAll(int fd, std::string_view data) {
  while (!data.empty()) {
    const ssize_t n = write(fd, data.data(), data.size());
    if (n <= 0) Die("write to git failed");
    data.remove_prefix(static_cast<size_t>(n));
  }
}

std::string IsoTime(int64_t time_s) {
  const time_t t = static_cast<time_t>(time_s);
  struct tm tm {};
  gmtime_r(&t, &tm);
  char out[40];
  std::strftime(out, sizeof(out), "%Y-%m-%d %H:%M:%S +0000", &tm);
  return out;
}

std::string PathOf(const Workload& w, uint32_t doc) {
  return "articles/" + w.doc_ids[doc] + ".txt";
}

void Git(const std::vector<std::string>& args, const std::string& dir) {
  std::vector<std::string> argv = {"git"};
  argv.insert(argv.end(), args.begin(), args.end());
  if (RunCommand(argv, dir) != 0) Die("git " + args[0] + " failed in " + dir);
}

void InitRepo(const std::string& dir) {
  FreshDir(dir);
  Git({"init", "-q", "-b", "main"}, dir);
  Git({"config", "user.name", "Bench"}, dir);
  Git({"config", "user.email", "bench@example.com"}, dir);
  Git({"config", "gc.auto", "0"}, dir);
}

// One persistent `git cat-file --batch`.
class CatFile {
 public:
  explicit CatFile(const std::string& dir)
      : child_(StartCommand({"git", "cat-file", "--batch"}, dir, true, true)),
        out_(fdopen(child_.out_fd, "r")) {}
  ~CatFile() {
    std::fclose(out_);
    child_.out_fd = -1;
    WaitCommand(child_);
  }
  CatFile(const CatFile&) = delete;
  CatFile& operator=(const CatFile&) = delete;

  // The object's contents; dies when it is missing.
  std::string Get(const std::string& name) {
    WriteAll(child_.in_fd, name + "\n");
    char header[256];
    if (!std::fgets(header, sizeof(header), out_)) Die("cat-file ended");
    char sha[64], type[16];
    size_t size = 0;
    if (std::sscanf(header, "%63s %15s %zu", sha, type, &size) != 3) {
      Die("cat-file: " + std::string(header));
    }
    std::string data(size + 1, '\0');
    if (std::fread(data.data(), 1, size + 1, out_) != size + 1) Die("cat-file short read");
    data.pop_back();
    return data;
  }

 private:
  Child child_;
  FILE* out_;
};

}  // namespace

Metrics RunGit(const BenchContext& ctx) {
  const Workload& w = *ctx.workload;
  const size_t n = w.events.size();
  Metrics m;
  {
    // Per-commit CLI rate on a sample, every commit synced.
    const std::string dir = ctx.root + "/git-cli";
    InitRepo(dir);
    std::filesystem::create_directories(dir + "/articles");
    const size_t count = std::min(ctx.durable_events, kMaxCliCommits);
    Stopwatch clock;
    for (size_t i = 0; i < count; ++i) {
      const WorkloadEvent& e = w.events[i];
      const std::string path = PathOf(w, e.doc);
      {
        std::ofstream file(dir + "/" + path, std::ios::binary);
        file << e.body;
      }
      Git({"-c", "core.fsync=all", "-c", "core.fsyncMethod=fsync", "add", path}, dir);
      Git({"-c", "core.fsync=all", "-c", "core.fsyncMethod=fsync", "commit", "-q", "--date",
           "@" + std::to_string(e.time_s), "-m", e.note.empty() ? "capture" : e.note},
          dir);
    }
    m["ingest_durable_eps"] = static_cast<double>(count) / clock.Seconds();
  }

  const std::string dir = ctx.root + "/git";
  InitRepo(dir);
  // Two fast-import runs (the articles, then the corrections), so the bytes the corrections
  // add can be told apart; the second continues the branch and writes a second pack.
  auto fast_import = [&](size_t begin, size_t end) {
    Stopwatch clock;
    Child importer =
        StartCommand({"git", "-c", "core.fsync=none", "fast-import", "--quiet",
                      "--export-marks=" + ctx.root + "/git-marks-" + std::to_string(begin)},
                     dir, true, false);
    std::string chunk;
    for (size_t i = begin; i < end; ++i) {
      const WorkloadEvent& e = w.events[i];
      const std::string message = e.note.empty() ? "capture" : e.note;
      chunk += "commit refs/heads/main\nmark :" + std::to_string(i + 1) +
               "\ncommitter Bench <bench@example.com> " + std::to_string(e.time_s) +
               " +0000\ndata " + std::to_string(message.size()) + "\n" + message + "\n";
      if (i == begin && begin > 0) chunk += "from refs/heads/main^0\n";
      chunk += "M 100644 inline " + PathOf(w, e.doc) + "\ndata " + std::to_string(e.body.size()) +
               "\n" + e.body + "\n\n";
      if (chunk.size() > (1 << 20)) {
        WriteAll(importer.in_fd, chunk);
        chunk.clear();
      }
    }
    WriteAll(importer.in_fd, chunk);
    if (WaitCommand(importer) != 0) Die("git fast-import failed");
    return clock.Seconds();
  };
  const double cpu = CpuSeconds();
  double seconds = fast_import(0, ctx.articles);
  const uint64_t article_bytes = DiskUsage(dir + "/.git");
  seconds += fast_import(ctx.articles, n);
  m["ingest_nosync_eps"] = static_cast<double>(n) / seconds;
  m["nosync_cpu_us"] = (CpuSeconds() - cpu) * 1e6 / static_cast<double>(n);
  ReportBytes(ctx, article_bytes, DiskUsage(dir + "/.git"), m);
  // What git can get down to: every object re-deltified in one pack (issue #18's yardstick).
  Git({"repack", "-adfq", "--window=50", "--depth=50"}, dir);
  m["bytes_per_event_full"] =
      static_cast<double>(DiskUsage(dir + "/.git")) / static_cast<double>(n);
  Git({"commit-graph", "write", "--reachable", "--changed-paths"}, dir);

  std::vector<std::string> commits(n);
  for (size_t begin : {size_t{0}, ctx.articles}) {
    std::ifstream marks(ctx.root + "/git-marks-" + std::to_string(begin));
    std::string mark, sha;
    while (marks >> mark >> sha) {
      const size_t i = std::stoul(mark.substr(1)) - 1;
      if (i < n) commits[i] = sha;
    }
  }
  CatFile cat(dir);
  LatencyRecorder current, as_of, history, diff;
  const size_t queries = std::min(ctx.process_queries, ctx.queries.size());
  for (size_t i = 0; i < queries; ++i) {
    const Query& q = ctx.queries[i];
    const std::string path = PathOf(w, q.doc);
    InRotatedOrder(
        i,
        {[&] {
           Stopwatch clock;
           std::string text = cat.Get("main:" + path);
           current.Add(clock.Micros());
           if (text.empty()) Die("git get");
         },
         [&] {
           Stopwatch clock;
           std::string commit = CaptureCommand(
               {"git", "rev-list", "-1", "--before=" + IsoTime(q.as_of_s), "main"}, dir);
           while (!commit.empty() && commit.back() == '\n') commit.pop_back();
           std::string text = cat.Get(commit + ":" + path);
           as_of.Add(clock.Micros());
         },
         [&] {
           Stopwatch clock;
           std::string log = CaptureCommand({"git", "log", "--format=%H %ct %s", "--", path}, dir);
           history.Add(clock.Micros());
           if (log.empty()) Die("git log empty");
         }});
    {
      const std::vector<uint32_t>& events = ctx.doc_events[q.diff_doc];
      Stopwatch clock;
      std::string marked =
          CaptureCommand({"git", "diff", "--word-diff", commits[events[q.diff_rev - 2]],
                          commits[events[q.diff_rev - 1]], "--", PathOf(w, q.diff_doc)},
                         dir);
      diff.Add(clock.Micros());
    }
  }
  current.Report("get_current", m);
  as_of.Report("as_of", m);
  history.Report("history", m);
  diff.Report("word_diff", m);
  return m;
}

}  // namespace palimpsest::bench
