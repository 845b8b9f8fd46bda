// Append throughput: Palimpsest's Archive::Append (encode, hash chain, content store, stream
// index and article projection in one transaction) against a raw LMDB loop that appends the
// same bytes with the same batching and sync mode — the floor no encoding or projection is
// paid for.
//
//   append_bench [--events N] [--batch B] [--dir DIR]
//
// Prints one line per (system, durability) with events/s and the ratio to the raw floor.

#include <lmdb.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "archive/lmdb/keys.h"
#include "palimpsest/archive.h"

namespace {

using palimpsest::AppendRequest;

// Deterministic news-like text of 2–6 KB.
std::string Article(std::mt19937_64& rng, int n) {
  static const char* kWords[] = {"the",        "space", "force",     "talks",     "allies",
                                 "Japan",      "said",  "officials", "security",  "cooperation",
                                 "engagement", "on",    "region",    "statement", "commander",
                                 "partners",   "and",   "of"};
  std::string text = "Headline number " + std::to_string(n) + "\n\n";
  const size_t target = 2000 + rng() % 4000;
  while (text.size() < target) {
    for (int w = 0; w < 25; ++w) {
      text += kWords[rng() % (sizeof kWords / sizeof *kWords)];
      text += ' ';
    }
    text += "end.\n\n";
  }
  return text;
}

AppendRequest Capture(const std::string& doc, const std::string& text, int n) {
  AppendRequest r;
  palimpsest::CapturedEvent c;
  c.raw = {palimpsest::Sha256(text), text.size()};
  c.media_type = "text/plain";
  c.captured_at = 1'690'000'000'000'000 + n;
  r.event.id = palimpsest::DeriveEventId({"bench", doc, std::to_string(n)});
  r.event.doc_id = doc;
  r.event.actor = "bench";
  r.event.body = c;
  r.contents.push_back(text);
  return r;
}

double Seconds(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

double RunPalimpsest(const std::vector<std::string>& texts, int batch, bool sync,
                     const std::string& dir) {
  std::filesystem::remove_all(dir);
  palimpsest::Options options;
  options.data_dir = dir;
  options.durability = sync ? palimpsest::Durability::kSync : palimpsest::Durability::kNoSync;
  auto archive = palimpsest::Archive::Open(options);
  if (!archive.ok()) {
    fprintf(stderr, "open: %s\n", archive.status().message().c_str());
    std::exit(1);
  }
  const auto start = std::chrono::steady_clock::now();
  for (size_t i = 0; i < texts.size(); i += batch) {
    std::vector<AppendRequest> requests;
    for (size_t j = i; j < std::min(texts.size(), i + batch); ++j) {
      requests.push_back(Capture("doc-" + std::to_string(j % 1000), texts[j], static_cast<int>(j)));
    }
    auto result = (*archive)->Append(std::move(requests));
    if (!result.ok()) {
      fprintf(stderr, "append: %s\n", result.status().message().c_str());
      std::exit(1);
    }
  }
  return texts.size() / Seconds(start);
}

// The same event and content bytes appended by hand: one put per event, one per content.
double RunRawLmdb(const std::vector<std::string>& texts, int batch, bool sync,
                  const std::string& dir) {
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  std::vector<std::string> encoded;
  for (size_t j = 0; j < texts.size(); ++j) {
    encoded.push_back(palimpsest::EncodeEvent(
        Capture("doc-" + std::to_string(j % 1000), texts[j], static_cast<int>(j)).event));
  }
  MDB_env* env;
  mdb_env_create(&env);
  mdb_env_set_mapsize(env, size_t{1} << 30);
  mdb_env_set_maxdbs(env, 4);
  mdb_env_open(env, dir.c_str(), sync ? 0 : MDB_NOSYNC, 0644);
  MDB_dbi events, blobs;
  {
    MDB_txn* txn;
    mdb_txn_begin(env, nullptr, 0, &txn);
    mdb_dbi_open(txn, "events", MDB_CREATE, &events);
    mdb_dbi_open(txn, "blobs", MDB_CREATE, &blobs);
    mdb_txn_commit(txn);
  }
  const auto start = std::chrono::steady_clock::now();
  for (size_t i = 0; i < texts.size(); i += batch) {
    MDB_txn* txn;
    mdb_txn_begin(env, nullptr, 0, &txn);
    for (size_t j = i; j < std::min(texts.size(), i + batch); ++j) {
      std::string key = palimpsest::keys::U64(j + 1);
      MDB_val k{key.size(), key.data()}, v{encoded[j].size(), encoded[j].data()};
      mdb_put(txn, events, &k, &v, MDB_APPEND);
      palimpsest::Digest d = palimpsest::Sha256(texts[j]);
      MDB_val bk{d.size(), d.data()}, bv{texts[j].size(), const_cast<char*>(texts[j].data())};
      mdb_put(txn, blobs, &bk, &bv, 0);
    }
    if (mdb_txn_commit(txn) != 0) std::exit(1);
  }
  const double rate = texts.size() / Seconds(start);
  mdb_env_close(env);
  return rate;
}

}  // namespace

int main(int argc, char** argv) {
  int events = 10000, batch = 100;
  std::string dir = "/tmp/palimpsest-append-bench";
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!strcmp(argv[i], "--events")) events = atoi(argv[i + 1]);
    if (!strcmp(argv[i], "--batch")) batch = atoi(argv[i + 1]);
    if (!strcmp(argv[i], "--dir")) dir = argv[i + 1];
  }
  std::mt19937_64 rng(42);
  std::vector<std::string> texts;
  // The first 1000 events create documents; each later one revises an earlier capture of the
  // same document by substituting a few words, as corrections do.
  for (int i = 0; i < events; ++i) {
    if (i < 1000) {
      texts.push_back(Article(rng, i));
      continue;
    }
    std::string text = texts[i - 1000];
    for (int edit = 0; edit < 3; ++edit) {
      size_t at = text.find(' ', rng() % text.size());
      if (at != std::string::npos) text.insert(at, " revised" + std::to_string(i));
    }
    texts.push_back(std::move(text));
  }
  printf("%d events of 2-6 KB, batches of %d\n", events, batch);
  printf("%-12s %-8s %12s %10s\n", "system", "sync", "events/s", "vs raw");
  for (bool sync : {true, false}) {
    const double raw = RunRawLmdb(texts, batch, sync, dir + "/raw");
    const double ours = RunPalimpsest(texts, batch, sync, dir + "/palimpsest");
    printf("%-12s %-8s %12.0f %10s\n", "raw-lmdb", sync ? "durable" : "no-sync", raw, "1.00");
    printf("%-12s %-8s %12.0f %10.2f\n", "palimpsest", sync ? "durable" : "no-sync", ours,
           ours / raw);
  }
  std::filesystem::remove_all(dir);
  return 0;
}
