// Archives as nodes of a shared log on a real three-server JetStream cluster started on
// 127.0.0.1 by the suite: what one node writes every other applies, byte-identically to a
// single-machine replay; concurrent writers on several nodes race through the log's
// compare-and-set with every version conflict reported and nothing applied twice; a retry
// from a node that missed the original is a duplicate; a 5 MB capture and a redaction travel;
// a single-machine archive moves in with Restore (push) and keeps its chain head; a stream
// leader killed under write load loses no acknowledged write.

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "archive/archive_test_util.h"
#include "nats/nats_cluster_suite.h"
#include "palimpsest/archive.h"
#include "test_util.h"

namespace palimpsest::testing {
namespace {

constexpr Timestamp kStart = 1'690'000'000'000'000;

class SharedLogArchiveTest : public NatsClusterSuite {
 protected:
  // A node of this test's own log.
  std::unique_ptr<Archive> Node(const std::string& name) {
    Options o = TestOptions(dir_.Join(name));
    o.log_url = cluster_->Url();
    o.log_stream = Stream();
    return OpenOrDie(o);
  }
  static std::string Stream() { return TestStream("T_"); }
  static void FollowAll(Archive& node) {
    for (;;) {
      auto n = node.FollowLog(0);
      ASSERT_TRUE(n.ok()) << n.status().message();
      if (*n == 0) return;
    }
  }
  // Every projection database's digest after a replay on `node`, which must change nothing.
  static std::map<std::string, Digest> ReplayDigests(Archive& node) {
    auto report = node.Replay();
    EXPECT_TRUE(report.ok()) << report.status().message();
    std::map<std::string, Digest> digests;
    if (!report.ok()) return digests;
    EXPECT_TRUE(report->identical());
    for (const auto& [db, pair] : report->databases) digests[db] = pair.second;
    return digests;
  }

  ScratchDir dir_;
};

TEST_F(SharedLogArchiveTest, WhatOneNodeWritesEveryNodeAppliesByteIdentically) {
  auto a = Node("a");
  auto b = Node("b");
  for (int i = 0; i < 5; ++i) {
    std::vector<AppendRequest> batch;
    batch.push_back(
        Capture("doc-" + std::to_string(i), ArticleText("story" + std::to_string(i)), kStart + i));
    batch.push_back(Capture("doc-0", ArticleText("update" + std::to_string(i)), kStart + 100 + i));
    ASSERT_TRUE(a->Append(std::move(batch)).ok());
  }
  FollowAll(*b);
  auto head_a = a->Head();
  auto head_b = b->Head();
  ASSERT_TRUE(head_a.ok() && head_b.ok());
  EXPECT_EQ(head_a->seq, 10u);
  EXPECT_EQ(head_b->seq, head_a->seq);
  EXPECT_EQ(head_b->hash, head_a->hash);
  auto doc = b->GetDocument("doc-0", RevisionSelector{});
  ASSERT_TRUE(doc.ok()) << doc.status().message();
  EXPECT_NE(doc->content.body.find("update4"), std::string::npos);
  ASSERT_TRUE(a->CatchUp(UINT64_MAX).ok());
  ASSERT_TRUE(b->CatchUp(UINT64_MAX).ok());
  EXPECT_EQ(ReplayDigests(*a), ReplayDigests(*b));
  auto verified = b->Verify();
  ASSERT_TRUE(verified.ok());
  EXPECT_TRUE(verified->ok());
  auto state = b->LogState();
  ASSERT_TRUE(state.ok());
  EXPECT_TRUE(state->shared);
  EXPECT_EQ(state->applied, 5u);  // one entry per transaction
  EXPECT_EQ(state->lag(), 0u);
  // The node's directory cannot be opened on another (here: an empty) log.
  b.reset();
  Options elsewhere = TestOptions(dir_.Join("b"));
  elsewhere.log_url = cluster_->Url();
  elsewhere.log_stream = Stream() + "_OTHER";
  EXPECT_EQ(Archive::Open(elsewhere).status().code(), StatusCode::kInvalidArgument);
}

TEST_F(SharedLogArchiveTest, ConcurrentWritersOnThreeNodesReportEveryConflictAndApplyNothingTwice) {
  std::vector<std::unique_ptr<Archive>> nodes;
  for (const char* name : {"n1", "n2", "n3"}) nodes.push_back(Node(name));
  std::vector<AppendRequest> first;
  first.push_back(Capture("shared", ArticleText("first"), kStart));
  ASSERT_TRUE(nodes[0]->Append(std::move(first)).ok());
  std::atomic<int> appended{0}, conflicts{0}, own_docs{0}, failures{0};
  std::vector<std::thread> writers;
  for (int w = 0; w < 6; ++w) {
    writers.emplace_back([&, w] {
      Archive& node = *nodes[w % 3];
      for (int i = 0; i < 15; ++i) {
        const std::string tag = "w" + std::to_string(w) + "i" + std::to_string(i);
        std::vector<AppendRequest> batch;
        if (i % 3 == 0) {  // a document of its own: never conflicts
          batch.push_back(Capture("own-" + tag, ArticleText(tag), kStart + 1 + i));
          auto r = node.Append(std::move(batch));
          (r.ok() ? own_docs : failures)++;
          continue;
        }
        auto version = node.StreamVersion("shared");
        if (!version.ok()) {
          failures++;
          continue;
        }
        batch.push_back(Capture("shared", ArticleText(tag), kStart + 1 + i));
        batch.back().expected_version = *version;
        auto r = node.Append(std::move(batch));
        if (r.ok()) {
          appended++;
        } else if (r.status().code() == StatusCode::kConflict) {
          conflicts++;
        } else {
          failures++;
        }
      }
    });
  }
  for (std::thread& t : writers) t.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_GT(appended.load(), 0);
  for (auto& node : nodes) FollowAll(*node);
  // Every success is one version of the shared document; nothing else got in.
  for (auto& node : nodes) {
    auto version = node->StreamVersion("shared");
    ASSERT_TRUE(version.ok());
    EXPECT_EQ(*version, 1u + appended.load());
    auto head = node->Head();
    ASSERT_TRUE(head.ok());
    EXPECT_EQ(head->seq, 1u + appended.load() + own_docs.load());
  }
  EXPECT_EQ(appended.load() + conflicts.load() + own_docs.load(), 6 * 15);
  auto h0 = nodes[0]->Head();
  auto h2 = nodes[2]->Head();
  ASSERT_TRUE(h0.ok() && h2.ok());
  EXPECT_EQ(h0->hash, h2->hash);
  auto verified = nodes[1]->Verify();
  ASSERT_TRUE(verified.ok());
  EXPECT_TRUE(verified->ok());
}

TEST_F(SharedLogArchiveTest, ARetryFromANodeThatMissedTheOriginalIsADuplicate) {
  auto a = Node("a");
  auto b = Node("b");
  AppendRequest request = Capture("doc", ArticleText("once"), kStart);
  auto original = a->Append({request});
  ASSERT_TRUE(original.ok());
  // b has not applied a's entry: its append loses the compare-and-set, applies the entry, and
  // finds the event id there — exactly what a retry after a lost acknowledgement meets.
  auto retried = b->Append({request});
  ASSERT_TRUE(retried.ok()) << retried.status().message();
  EXPECT_TRUE((*retried)[0].duplicate);
  EXPECT_EQ((*retried)[0].seq, (*original)[0].seq);
  auto head = b->Head();
  ASSERT_TRUE(head.ok());
  EXPECT_EQ(head->seq, 1u);
  auto state = b->LogState();
  ASSERT_TRUE(state.ok());
  EXPECT_EQ(state->last, 1u);
}

TEST_F(SharedLogArchiveTest, AFiveMegabyteCaptureAndARedactionReachEveryNode) {
  auto a = Node("a");
  auto b = Node("b");
  std::string big = "Large report\n\n";
  for (int i = 0; big.size() < (5u << 20); ++i) {
    big += "Paragraph " + std::to_string(i) + " of the large report says something new.\n\n";
  }
  AppendRequest capture = Capture("big", big, kStart);
  const Digest big_hash = Sha256(big);
  ASSERT_TRUE(a->Append({capture}).ok());
  ASSERT_TRUE(a->Append({Capture("secret", ArticleText("secretword"), kStart + 1)}).ok());
  AppendRequest redaction;
  redaction.event.id = DeriveEventId({"test-redaction"});
  redaction.event.doc_id = "secret";
  redaction.event.actor = "test";
  redaction.event.body = RedactedEvent{2, "court order"};
  ASSERT_TRUE(a->Append({redaction}).ok());
  FollowAll(*b);
  auto bytes = b->ReadContent(big_hash);
  ASSERT_TRUE(bytes.ok()) << bytes.status().message();
  EXPECT_EQ(*bytes, big);
  auto secret = b->ReadContent(Sha256(ArticleText("secretword")));
  EXPECT_TRUE(secret.status().IsRedacted());
  auto c = Node("c");  // a new node builds itself from the whole log
  FollowAll(*c);
  EXPECT_TRUE(c->ReadContent(Sha256(ArticleText("secretword"))).status().IsRedacted());
  // A redaction from a node that is behind loses the race, applies what it missed, and goes in
  // with every projection as a replay would build it.
  ASSERT_TRUE(a->Append({Capture("later", ArticleText("later"), kStart + 2)}).ok());
  ASSERT_TRUE(a->Append({Capture("secret2", ArticleText("hiddenword"), kStart + 3)}).ok());
  FollowAll(*b);
  ASSERT_TRUE(a->Append({Capture("more", ArticleText("more"), kStart + 4)}).ok());
  AppendRequest second = redaction;
  second.event.id = DeriveEventId({"test-redaction-2"});
  second.event.doc_id = "secret2";
  second.event.body = RedactedEvent{5, "court order"};
  ASSERT_TRUE(b->Append({second}).ok());
  EXPECT_TRUE(b->ReadContent(Sha256(ArticleText("hiddenword"))).status().IsRedacted());
  FollowAll(*a);
  FollowAll(*c);
  std::vector<std::map<std::string, Digest>> digests;
  for (Archive* node : {a.get(), b.get(), c.get()}) {
    ASSERT_TRUE(node->CatchUp(UINT64_MAX).ok());
    digests.push_back(ReplayDigests(*node));  // identical to a replay, on every node
  }
  EXPECT_EQ(digests[0], digests[1]);
  EXPECT_EQ(digests[1], digests[2]);
  auto hb = b->Head();
  auto hc = c->Head();
  ASSERT_TRUE(hb.ok() && hc.ok());
  EXPECT_EQ(hb->hash, hc->hash);
}

TEST_F(SharedLogArchiveTest, ALocalArchiveMovesInWithRestoreAndKeepsItsChainHead) {
  auto local = OpenOrDie(TestOptions(dir_.Join("local")));
  for (int i = 0; i < 30; ++i) {
    ASSERT_TRUE(local
                    ->Append({Capture("doc-" + std::to_string(i % 7),
                                      ArticleText("push" + std::to_string(i)), kStart + i)})
                    .ok());
  }
  auto events = local->ReadLog(0, 100);
  ASSERT_TRUE(events.ok());
  std::vector<AppendRequest> requests;
  for (const Event& e : *events) {
    AppendRequest r;
    r.event = e;
    for (const ContentRef& ref : ReferencedContent(e.body)) {
      auto bytes = local->ReadContent(ref.sha256);
      ASSERT_TRUE(bytes.ok());
      r.contents.push_back(*bytes);
    }
    requests.push_back(std::move(r));
  }
  // A single-machine archive with events cannot simply become a node.
  Options attach = TestOptions(dir_.Join("local"));
  attach.log_url = cluster_->Url();
  attach.log_stream = Stream();
  local.reset();
  EXPECT_EQ(Archive::Open(attach).status().code(), StatusCode::kInvalidArgument);
  auto pusher = Node("pusher");
  // An interrupted push goes on where it stopped.
  ASSERT_TRUE(pusher->Restore({requests.begin(), requests.begin() + 12}).ok());
  const auto head = ChainHash(requests.back().event);
  Status pushed = pusher->Restore(requests, &head);
  ASSERT_TRUE(pushed.ok()) << pushed.message();
  auto reader = Node("reader");
  FollowAll(*reader);
  auto h = reader->Head();
  ASSERT_TRUE(h.ok());
  EXPECT_EQ(h->seq, 30u);
  EXPECT_EQ(h->hash, head);
  auto verified = reader->Verify();
  ASSERT_TRUE(verified.ok());
  EXPECT_TRUE(verified->ok());
  // A node opened without its log refuses local writes (they would fork the history).
  reader.reset();
  auto unshared = OpenOrDie(TestOptions(dir_.Join("reader")));
  EXPECT_EQ(unshared->Append({Capture("x", ArticleText("fork"), kStart)}).status().code(),
            StatusCode::kInvalidArgument);
}

TEST_F(SharedLogArchiveTest, KillingTheStreamLeaderUnderWriteLoadLosesNoAcknowledgedWrite) {
  auto a = Node("a");
  int killed = -1;
  std::vector<std::string> acknowledged;
  int failed = 0;
  for (int i = 0; i < 150; ++i) {
    if (i == 50) {
      killed = cluster_->LeaderOf(Stream() + "_LOG");
      ASSERT_GE(killed, 0);
      cluster_->Kill(killed);
    }
    const std::string doc = "doc-" + std::to_string(i);
    auto r = a->Append({Capture(doc, ArticleText("load" + std::to_string(i)), kStart + i)});
    if (r.ok()) {
      acknowledged.push_back(doc);
    } else {
      ++failed;
      EXPECT_EQ(r.status().detail(), StatusDetail::kLogUnavailable) << r.status().message();
    }
  }
  ASSERT_TRUE(cluster_->Restart(killed));
  auto b = Node("b");
  FollowAll(*b);
  FollowAll(*a);
  for (const std::string& doc : acknowledged) {
    auto version = b->StreamVersion(doc);
    EXPECT_TRUE(version.ok() && *version == 1u) << doc;
  }
  // A write whose acknowledgement was lost may be in the log too, but nothing is in it twice:
  // every document holds at most its one capture.
  auto ha = a->Head();
  auto hb = b->Head();
  ASSERT_TRUE(ha.ok() && hb.ok());
  EXPECT_EQ(ha->hash, hb->hash);
  EXPECT_GE(hb->seq, acknowledged.size());
  EXPECT_LE(hb->seq, 150u);
  auto verified = b->Verify();
  ASSERT_TRUE(verified.ok());
  EXPECT_TRUE(verified->ok());
  std::cerr << "leader killed at write 50: " << acknowledged.size() << " acknowledged, " << failed
            << " failed\n";
}

}  // namespace
}  // namespace palimpsest::testing
