// The raw LMDB floor: each event's body bytes appended under a big-endian sequence key with
// MDB_APPEND, same batching and sync modes, no encoding, hashing, compression or projections.
// Its "replay" is a cursor scan reading every event once.

#include <lmdb.h>

#include "archive/lmdb/keys.h"
#include "bench/peers.h"

namespace palimpsest::bench {

namespace {

void Check(int rc, const char* what) {
  if (rc != 0) Die(std::string("lmdb ") + what + ": " + mdb_strerror(rc));
}

class Env {
 public:
  Env(const std::string& dir, bool sync) {
    Check(mdb_env_create(&env_), "env_create");
    Check(mdb_env_set_mapsize(env_, size_t{4} << 30), "set_mapsize");
    Check(mdb_env_set_maxdbs(env_, 2), "set_maxdbs");
    Check(mdb_env_open(env_, dir.c_str(), sync ? 0 : MDB_NOSYNC, 0644), "env_open");
    MDB_txn* txn = nullptr;
    Check(mdb_txn_begin(env_, nullptr, 0, &txn), "txn_begin");
    Check(mdb_dbi_open(txn, "events", MDB_CREATE, &events_), "dbi_open");
    Check(mdb_txn_commit(txn), "commit");
  }
  ~Env() { mdb_env_close(env_); }
  Env(const Env&) = delete;
  Env& operator=(const Env&) = delete;

  // Appends events [begin, end), `batch` per commit; returns the seconds it took.
  double Load(const Workload& w, size_t begin, size_t end, size_t batch) {
    Stopwatch clock;
    for (size_t i = begin; i < end; i += batch) {
      MDB_txn* txn = nullptr;
      Check(mdb_txn_begin(env_, nullptr, 0, &txn), "txn_begin");
      for (size_t j = i; j < std::min(end, i + batch); ++j) {
        const std::string key = keys::U64(j + 1);
        const std::string& body = w.events[j].body;
        MDB_val k{key.size(), const_cast<char*>(key.data())};
        MDB_val v{body.size(), const_cast<char*>(body.data())};
        Check(mdb_put(txn, events_, &k, &v, MDB_APPEND), "put");
      }
      Check(mdb_txn_commit(txn), "commit");
    }
    return clock.Seconds();
  }

  double Scan() {
    Stopwatch clock;
    MDB_txn* txn = nullptr;
    Check(mdb_txn_begin(env_, nullptr, MDB_RDONLY, &txn), "txn_begin");
    MDB_cursor* cursor = nullptr;
    Check(mdb_cursor_open(txn, events_, &cursor), "cursor_open");
    MDB_val k, v;
    uint64_t events = 0, bytes = 0;
    for (int rc = mdb_cursor_get(cursor, &k, &v, MDB_FIRST); rc == 0;
         rc = mdb_cursor_get(cursor, &k, &v, MDB_NEXT)) {
      ++events;
      bytes += static_cast<const unsigned char*>(v.mv_data)[v.mv_size - 1];
    }
    mdb_cursor_close(cursor);
    mdb_txn_abort(txn);
    if (bytes == 0) Die("empty scan");
    return static_cast<double>(events) / clock.Seconds();
  }

 private:
  MDB_env* env_ = nullptr;
  MDB_dbi events_ = 0;
};

}  // namespace

Metrics RunRawLmdb(const BenchContext& ctx) {
  const Workload& w = *ctx.workload;
  const size_t n = w.events.size();
  Metrics m;
  {
    const std::string dir = ctx.root + "/lmdb-durable";
    FreshDir(dir);
    Env env(dir, true);
    m["ingest_durable_eps"] =
        static_cast<double>(ctx.durable_events) / env.Load(w, 0, ctx.durable_events, 1);
  }
  {
    const std::string dir = ctx.root + "/lmdb-nosync";
    FreshDir(dir);
    Env env(dir, false);
    const double cpu = CpuSeconds();
    m["ingest_nosync_eps"] = static_cast<double>(n) / env.Load(w, 0, n, 100);
    m["nosync_cpu_us"] = (CpuSeconds() - cpu) * 1e6 / static_cast<double>(n);
  }
  const std::string dir = ctx.root + "/lmdb";
  FreshDir(dir);
  Env env(dir, true);
  double seconds = env.Load(w, 0, ctx.articles, 100);
  const uint64_t article_bytes = DiskUsage(dir);
  seconds += env.Load(w, ctx.articles, n, 100);
  m["ingest_group100_eps"] = static_cast<double>(n) / seconds;
  ReportBytes(ctx, article_bytes, DiskUsage(dir), m);
  m["replay_eps"] = env.Scan();
  return m;
}

}  // namespace palimpsest::bench
