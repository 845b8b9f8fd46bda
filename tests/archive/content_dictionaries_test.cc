// Per-source dictionaries in the log's content store: the first captures of an outlet's pages
// are compressed with a dictionary trained on its earlier ones, read back byte for byte, are
// checked like every other stored byte, and archives written before dictionaries read and
// upgrade.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "archive/archive_test_util.h"
#include "lmdb_test_util.h"
#include "test_util.h"

namespace palimpsest::testing {
namespace {

// How the pages of a run are labelled: all from one named outlet, all from one host with no
// outlet named, or each from a site of its own.
enum class Pages { kOneSource, kOneHost, kUnrelated };

AppendRequest PageCapture(int n, Pages pages) {
  const std::string doc = "story-" + std::to_string(n);
  AppendRequest request = Capture(doc, OutletPage(n), 1'700'000'000'000'000 + n);
  auto& capture = std::get<CapturedEvent>(request.event.body);
  capture.media_type = "text/html";
  if (pages == Pages::kOneSource) capture.source = "The Daily Example";
  capture.url = pages == Pages::kUnrelated ? "https://site-" + std::to_string(n) + ".example/" + doc
                                           : "https://daily.example/" + doc;
  request.event.id = DeriveEventId({"test-page", doc, capture.source, capture.url});
  return request;
}

void AppendPages(Archive& archive, int from, int to, Pages pages) {
  for (int n = from; n < to; ++n) {
    std::vector<AppendRequest> batch;
    batch.push_back(PageCapture(n, pages));
    auto appended = archive.Append(std::move(batch));
    ASSERT_TRUE(appended.ok()) << appended.status().message();
  }
}

void ExpectPagesRead(Archive& archive, int from, int to) {
  for (int n = from; n < to; ++n) {
    auto bytes = archive.ReadContent(Sha256(OutletPage(n)));
    ASSERT_TRUE(bytes.ok()) << n << ": " << bytes.status().message();
    EXPECT_EQ(*bytes, OutletPage(n));
    auto view = archive.GetDocument("story-" + std::to_string(n), RevisionSelector{});
    ASSERT_TRUE(view.ok()) << n << ": " << view.status().message();
    EXPECT_NE(view->content.body.find("Paragraph 5 of story " + std::to_string(n)),
              std::string::npos);
  }
}

uint64_t DatabaseBytes(Archive& archive, const std::string& database) {
  auto stats = archive.Stats();
  EXPECT_TRUE(stats.ok());
  auto it = stats->database_bytes.find(database);
  return it == stats->database_bytes.end() ? 0 : it->second;
}

bool Verified(Archive& archive) {
  auto report = archive.Verify();
  return report.ok() && report->ok();
}

constexpr int kPages = 96;

TEST(ContentDictionariesTest, AnOutletsFirstCapturesCostLessThanUnrelatedPages) {
  ScratchDir dir;
  auto outlet = OpenOrDie(TestOptions(dir.Join("outlet")));
  AppendPages(*outlet, 0, kPages, Pages::kOneSource);
  auto unrelated = OpenOrDie(TestOptions(dir.Join("unrelated")));
  AppendPages(*unrelated, 0, kPages, Pages::kUnrelated);  // the same pages

  // No outlet named: the pages of one host share a dictionary all the same.
  auto host = OpenOrDie(TestOptions(dir.Join("host")));
  AppendPages(*host, 0, kPages, Pages::kOneHost);

  EXPECT_GT(DatabaseBytes(*outlet, "content_dictionaries"), 0u);
  const uint64_t with = DatabaseBytes(*outlet, "blobs");
  const uint64_t without = DatabaseBytes(*unrelated, "blobs");
  EXPECT_LT(with * 10, without * 7) << with << " vs " << without;
  EXPECT_EQ(DatabaseBytes(*host, "blobs"), with);
  ExpectPagesRead(*host, 0, kPages);
  ExpectPagesRead(*outlet, 0, kPages);
  EXPECT_TRUE(Verified(*outlet));
  EXPECT_TRUE(outlet->Replay()->identical());
  outlet.reset();

  // A new process loads the dictionary from the file.
  auto reopened = OpenOrDie(TestOptions(dir.Join("outlet")));
  ExpectPagesRead(*reopened, 0, kPages);
  AppendPages(*reopened, kPages, kPages + 8, Pages::kOneSource);
  ExpectPagesRead(*reopened, kPages, kPages + 8);
}

TEST(ContentDictionariesTest, ADamagedDictionaryIsDamageNotContent) {
  ScratchDir dir;
  const std::string data = dir.Join("data");
  {
    auto archive = OpenOrDie(TestOptions(data));
    AppendPages(*archive, 0, kPages, Pages::kOneSource);
  }
  size_t damaged = 0;
  WithLmdbTxn(data, [&](MDB_txn* txn) {
    MDB_dbi dbi = 0;
    ASSERT_EQ(mdb_dbi_open(txn, "content_dictionaries", 0, &dbi), 0);
    MDB_cursor* cursor = nullptr;
    ASSERT_EQ(mdb_cursor_open(txn, dbi, &cursor), 0);
    MDB_val k, v;
    std::vector<std::pair<std::string, std::string>> changed;
    for (int rc = mdb_cursor_get(cursor, &k, &v, MDB_FIRST); rc == 0;
         rc = mdb_cursor_get(cursor, &k, &v, MDB_NEXT)) {
      std::string key(static_cast<const char*>(k.mv_data), k.mv_size);
      if (key[0] != 'd') continue;  // a dictionary, not a source's entry
      std::string value(static_cast<const char*>(v.mv_data), v.mv_size);
      value[value.size() / 2] ^= 0x01;
      changed.emplace_back(key, value);
    }
    mdb_cursor_close(cursor);
    for (auto& [key, value] : changed) {
      MDB_val nk{key.size(), key.data()}, nv{value.size(), value.data()};
      ASSERT_EQ(mdb_put(txn, dbi, &nk, &nv, 0), 0);
    }
    damaged = changed.size();
  });
  ASSERT_EQ(damaged, 1u);
  auto archive = OpenOrDie(TestOptions(data));
  auto last = archive->ReadContent(Sha256(OutletPage(kPages - 1)));
  EXPECT_TRUE(last.status().IsCorruption()) << (last.ok() ? "served" : last.status().message());
  EXPECT_FALSE(Verified(*archive));
}

TEST(ContentDictionariesTest, AnArchiveWrittenBeforeDictionariesReadsAndUpgrades) {
  ScratchDir dir;
  const std::string data = dir.Join("data");
  {
    auto archive = OpenOrDie(TestOptions(data));
    AppendPages(*archive, 0, 8, Pages::kOneSource);  // too few to train on
  }
  // What an older version left: no dictionaries database, archive format 2.
  auto set_format = [&](std::string format) {
    WithLmdbTxn(data, [&](MDB_txn* txn) {
      MDB_dbi dictionaries = 0, meta = 0;
      if (format == "2") {
        ASSERT_EQ(mdb_dbi_open(txn, "content_dictionaries", 0, &dictionaries), 0);
        ASSERT_EQ(mdb_drop(txn, dictionaries, 1), 0);
      }
      ASSERT_EQ(mdb_dbi_open(txn, "meta", 0, &meta), 0);
      std::string key = "format";
      MDB_val k{key.size(), key.data()}, v{format.size(), format.data()};
      ASSERT_EQ(mdb_put(txn, meta, &k, &v, 0), 0);
    });
  };
  set_format("2");
  {
    Options read_only = TestOptions(data);
    read_only.mode = OpenMode::kReadOnly;
    auto archive = OpenOrDie(read_only);
    ExpectPagesRead(*archive, 0, 8);
    EXPECT_EQ(DatabaseBytes(*archive, "content_dictionaries"), 0u);
  }
  {
    auto archive = OpenOrDie(TestOptions(data));
    AppendPages(*archive, 8, kPages, Pages::kOneSource);
    EXPECT_GT(DatabaseBytes(*archive, "content_dictionaries"), 0u);
    ExpectPagesRead(*archive, 0, kPages);
    EXPECT_TRUE(Verified(*archive));
  }
  // A format this binary does not know is refused, not misread.
  set_format("4");
  Options options = TestOptions(data);
  EXPECT_FALSE(Archive::Open(options).ok());
}

// Sources are whatever importers name, hosts whatever URLs hold: a name longer than an LMDB key
// stores and trains like any other.
TEST(ContentDictionariesTest, ASourceNameLongerThanAKeyIsStoredAndTrained) {
  ScratchDir dir;
  auto archive = OpenOrDie(TestOptions(dir.Join("data")));
  for (int n = 0; n < kPages; ++n) {
    AppendRequest request = PageCapture(n, Pages::kOneSource);
    std::get<CapturedEvent>(request.event.body).source = std::string(600, 's');
    std::vector<AppendRequest> batch;
    batch.push_back(std::move(request));
    auto appended = archive->Append(std::move(batch));
    ASSERT_TRUE(appended.ok()) << appended.status().message();
  }
  ExpectPagesRead(*archive, 0, kPages);
  EXPECT_TRUE(Verified(*archive));
}

}  // namespace
}  // namespace palimpsest::testing
