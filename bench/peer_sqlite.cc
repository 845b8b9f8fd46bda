// SQLite in WAL mode through its C API: an events table, a revisions table and a current table,
// written in the same transaction per event (what an application keeping article revisions in
// SQLite does). Durable: synchronous=FULL; no-sync: synchronous=OFF. Word diffs use the same
// RenderWordDiff as Palimpsest (SQLite has none), so that row measures fetching two bodies.
// "sqlite-fts5" adds an FTS5 full-text index over every revision's body, kept by a trigger in
// the same transaction: the fair peer for an archive that searches its history.

#include <sqlite3.h>

#include "bench/peers.h"
#include "palimpsest/diff.h"

namespace palimpsest::bench {

namespace {

class Db {
 public:
  Db(const std::string& path, bool sync, bool fts5) {
    if (sqlite3_open(path.c_str(), &db_) != SQLITE_OK) Die("sqlite open " + path);
    Exec("PRAGMA journal_mode=WAL");
    Exec(sync ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=OFF");
    Exec(
        "CREATE TABLE IF NOT EXISTS events(seq INTEGER PRIMARY KEY, doc TEXT NOT NULL,"
        " time INTEGER NOT NULL, title TEXT, note TEXT, body BLOB NOT NULL);"
        "CREATE TABLE IF NOT EXISTS revisions(id INTEGER PRIMARY KEY, doc TEXT NOT NULL,"
        " rev INTEGER NOT NULL, time INTEGER NOT NULL, note TEXT, body BLOB NOT NULL);"
        "CREATE UNIQUE INDEX IF NOT EXISTS revisions_doc_rev ON revisions(doc, rev);"
        "CREATE INDEX IF NOT EXISTS revisions_doc_time ON revisions(doc, time);"
        "CREATE TABLE IF NOT EXISTS current(doc TEXT PRIMARY KEY, rev INTEGER NOT NULL,"
        " time INTEGER NOT NULL, title TEXT, body BLOB NOT NULL)");
    if (fts5) {
      Exec(
          "CREATE VIRTUAL TABLE IF NOT EXISTS revisions_fts USING fts5(body, content='revisions',"
          " content_rowid='id');"
          "CREATE TRIGGER IF NOT EXISTS revisions_index AFTER INSERT ON revisions BEGIN"
          " INSERT INTO revisions_fts(rowid, body) VALUES(new.id, CAST(new.body AS TEXT)); END");
    }
  }
  ~Db() {
    for (sqlite3_stmt* s : statements_) sqlite3_finalize(s);
    sqlite3_close(db_);
  }
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;

  void Exec(const char* sql) {
    char* error = nullptr;
    if (sqlite3_exec(db_, sql, nullptr, nullptr, &error) != SQLITE_OK) {
      const std::string message = error ? error : "?";
      sqlite3_free(error);
      Die(std::string("sqlite: ") + message + " in " + sql);
    }
  }

  sqlite3_stmt* Prepare(const char* sql) {
    sqlite3_stmt* s = nullptr;
    if (sqlite3_prepare_v2(db_, sql, -1, &s, nullptr) != SQLITE_OK) {
      Die(std::string("sqlite prepare: ") + sqlite3_errmsg(db_));
    }
    statements_.push_back(s);
    return s;
  }

  // Steps `s` to completion (a write) and resets it.
  void Run(sqlite3_stmt* s) {
    if (sqlite3_step(s) != SQLITE_DONE) Die(std::string("sqlite step: ") + sqlite3_errmsg(db_));
    sqlite3_reset(s);
  }

 private:
  sqlite3* db_ = nullptr;
  std::vector<sqlite3_stmt*> statements_;
};

void BindText(sqlite3_stmt* s, int i, const std::string& text) {
  sqlite3_bind_text(s, i, text.data(), static_cast<int>(text.size()), SQLITE_STATIC);
}

std::string ColumnText(sqlite3_stmt* s, int i) {
  const void* p = sqlite3_column_blob(s, i);
  const int n = sqlite3_column_bytes(s, i);
  return p ? std::string(static_cast<const char*>(p), static_cast<size_t>(n)) : std::string();
}

// Inserts events [begin, end), `batch` per transaction; returns the seconds it took.
double Load(const BenchContext& ctx, Db& db, size_t begin, size_t end, size_t batch) {
  const Workload& w = *ctx.workload;
  sqlite3_stmt* event =
      db.Prepare("INSERT INTO events(doc, time, title, note, body) VALUES(?1, ?2, ?3, ?4, ?5)");
  sqlite3_stmt* revision = db.Prepare(
      "INSERT INTO revisions(doc, rev, time, note, body) VALUES(?1,"
      " (SELECT coalesce(max(rev), 0) + 1 FROM revisions WHERE doc = ?1), ?2, ?3, ?4)");
  sqlite3_stmt* current = db.Prepare(
      "INSERT INTO current(doc, rev, time, title, body) VALUES(?1, 1, ?2, ?3, ?4)"
      " ON CONFLICT(doc) DO UPDATE SET rev = rev + 1, time = excluded.time,"
      " title = excluded.title, body = excluded.body");
  Stopwatch clock;
  for (size_t i = begin; i < end; i += batch) {
    db.Exec("BEGIN");
    for (size_t j = i; j < std::min(end, i + batch); ++j) {
      const WorkloadEvent& e = w.events[j];
      const std::string& doc = w.doc_ids[e.doc];
      BindText(event, 1, doc);
      sqlite3_bind_int64(event, 2, e.time_s);
      BindText(event, 3, e.title);
      BindText(event, 4, e.note);
      sqlite3_bind_blob(event, 5, e.body.data(), static_cast<int>(e.body.size()), SQLITE_STATIC);
      db.Run(event);
      BindText(revision, 1, doc);
      sqlite3_bind_int64(revision, 2, e.time_s);
      BindText(revision, 3, e.note);
      sqlite3_bind_blob(revision, 4, e.body.data(), static_cast<int>(e.body.size()), SQLITE_STATIC);
      db.Run(revision);
      BindText(current, 1, doc);
      sqlite3_bind_int64(current, 2, e.time_s);
      BindText(current, 3, e.title);
      sqlite3_bind_blob(current, 4, e.body.data(), static_cast<int>(e.body.size()), SQLITE_STATIC);
      db.Run(current);
    }
    db.Exec("COMMIT");
  }
  return clock.Seconds();
}

// Runs a query that must return a row; copies column `col` out.
std::string QueryOne(Db& db, sqlite3_stmt* s, int col) {
  if (sqlite3_step(s) != SQLITE_ROW) Die("sqlite: no row");
  std::string out = ColumnText(s, col);
  sqlite3_reset(s);
  (void)db;
  return out;
}

}  // namespace

Metrics RunSqlite(const BenchContext& ctx, bool fts5) {
  const Workload& w = *ctx.workload;
  const size_t n = w.events.size();
  const std::string name = fts5 ? "/sqlite-fts5" : "/sqlite";
  Metrics m;
  {
    const std::string dir = ctx.root + name + "-durable";
    FreshDir(dir);
    Db db(dir + "/archive.db", true, fts5);
    m["ingest_durable_eps"] =
        static_cast<double>(ctx.durable_events) / Load(ctx, db, 0, ctx.durable_events, 1);
  }
  {
    const std::string dir = ctx.root + name + "-nosync";
    FreshDir(dir);
    Db db(dir + "/archive.db", false, fts5);
    const double cpu = CpuSeconds();
    m["ingest_nosync_eps"] = static_cast<double>(n) / Load(ctx, db, 0, n, 100);
    m["nosync_cpu_us"] = (CpuSeconds() - cpu) * 1e6 / static_cast<double>(n);
  }
  const std::string dir = ctx.root + name;
  FreshDir(dir);
  Db db(dir + "/archive.db", true, fts5);
  double seconds = Load(ctx, db, 0, ctx.articles, 100);
  db.Exec("PRAGMA wal_checkpoint(TRUNCATE)");
  const uint64_t article_bytes = DiskUsage(dir);
  seconds += Load(ctx, db, ctx.articles, n, 100);
  m["ingest_group100_eps"] = static_cast<double>(n) / seconds;
  db.Exec("PRAGMA wal_checkpoint(TRUNCATE)");
  ReportBytes(ctx, article_bytes, DiskUsage(dir), m);

  sqlite3_stmt* current = db.Prepare("SELECT rev, title, body FROM current WHERE doc = ?1");
  sqlite3_stmt* as_of = db.Prepare(
      "SELECT rev, note, body FROM revisions WHERE doc = ?1 AND time <= ?2"
      " ORDER BY time DESC LIMIT 1");
  sqlite3_stmt* history =
      db.Prepare("SELECT rev, time, note, length(body) FROM revisions WHERE doc = ?1 ORDER BY rev");
  sqlite3_stmt* body = db.Prepare("SELECT body FROM revisions WHERE doc = ?1 AND rev = ?2");
  LatencyRecorder current_lat, as_of_lat, history_lat, diff_lat;
  for (size_t i = 0; i < ctx.queries.size(); ++i) {
    const Query& q = ctx.queries[i];
    const std::string& id = w.doc_ids[q.doc];
    InRotatedOrder(
        i, {[&] {
              Stopwatch clock;
              BindText(current, 1, id);
              std::string text = QueryOne(db, current, 2);
              current_lat.Add(clock.Micros());
              if (text.empty()) Die("sqlite get");
            },
            [&] {
              Stopwatch clock;
              BindText(as_of, 1, id);
              sqlite3_bind_int64(as_of, 2, q.as_of_s);
              std::string text = QueryOne(db, as_of, 2);
              as_of_lat.Add(clock.Micros());
            },
            [&] {
              Stopwatch clock;
              BindText(history, 1, id);
              struct Row {
                int64_t rev, time, size;
                std::string note;
              };
              std::vector<Row> rows;
              while (sqlite3_step(history) == SQLITE_ROW) {
                rows.push_back({sqlite3_column_int64(history, 0), sqlite3_column_int64(history, 1),
                                sqlite3_column_int64(history, 3), ColumnText(history, 2)});
              }
              sqlite3_reset(history);
              history_lat.Add(clock.Micros());
              if (rows.empty()) Die("sqlite history");
            }});
    {
      const std::string& diff_id = w.doc_ids[q.diff_doc];
      Stopwatch clock;
      BindText(body, 1, diff_id);
      sqlite3_bind_int64(body, 2, q.diff_rev - 1);
      const std::string before = QueryOne(db, body, 0);
      BindText(body, 1, diff_id);
      sqlite3_bind_int64(body, 2, q.diff_rev);
      const std::string after = QueryOne(db, body, 0);
      const std::string marked = RenderWordDiff(before, after);
      diff_lat.Add(clock.Micros());
    }
  }
  current_lat.Report("get_current", m);
  as_of_lat.Report("as_of", m);
  history_lat.Report("history", m);
  diff_lat.Report("word_diff", m);
  m["bytes_per_event_full"] = m["bytes_per_rev"];
  if (fts5) {
    // Every revision is indexed; the 20 best by BM25 with a snippet, as Palimpsest answers.
    sqlite3_stmt* search = db.Prepare(
        "SELECT rowid, snippet(revisions_fts, 0, '[', ']', '...', 24) FROM revisions_fts"
        " WHERE revisions_fts MATCH ?1 ORDER BY rank LIMIT 20");
    LatencyRecorder search_lat;
    for (const std::string& query : ctx.search_queries) {
      Stopwatch clock;
      BindText(search, 1, query);
      size_t rows = 0;
      while (sqlite3_step(search) == SQLITE_ROW) rows += ColumnText(search, 1).empty() ? 0 : 1;
      sqlite3_reset(search);
      search_lat.Add(clock.Micros());
      if (rows > 20) Die("fts5 returned too many rows");
    }
    search_lat.Report("search", m);
  }

  // Rebuilding the derived tables from the events table, in one transaction.
  Stopwatch clock;
  if (fts5) db.Exec("INSERT INTO revisions_fts(revisions_fts) VALUES('delete-all')");
  db.Exec(
      "BEGIN;"
      "DELETE FROM revisions; DELETE FROM current;"
      "INSERT INTO revisions(doc, rev, time, note, body) SELECT doc,"
      " row_number() OVER (PARTITION BY doc ORDER BY seq), time, note, body FROM events"
      " ORDER BY seq;"
      "INSERT INTO current(doc, rev, time, title, body) SELECT doc, n, time, title, body FROM"
      " (SELECT doc, time, title, body, row_number() OVER (PARTITION BY doc ORDER BY seq DESC)"
      " AS last, count(*) OVER (PARTITION BY doc) AS n FROM events) WHERE last = 1;"
      "COMMIT");
  m["replay_eps"] = static_cast<double>(n) / clock.Seconds();
  return m;
}

}  // namespace palimpsest::bench
