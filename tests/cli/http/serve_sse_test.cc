// `palimpsest serve`: GET /api/events/stream — replay, live events, Last-Event-ID resume.

#include "cli/http/serve_test_harness.h"

namespace palimpsest::testing {
namespace {

struct SseMessage {
  uint64_t id = 0;
  json::value data;
};

// An open event stream over a raw socket.
class SseClient {
 public:
  SseClient(uint16_t port, const std::string& target, const std::string& extra_headers = "")
      : socket_(Connect(ioc_, port)) {
    const std::string req = "GET " + target +
                            " HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n" +
                            extra_headers + "\r\n";
    boost::asio::write(socket_, boost::asio::buffer(req));
    ReadUntil("\r\n\r\n");
    const size_t end = buf_.find("\r\n\r\n");
    head_ = buf_.substr(0, end);
    buf_.erase(0, end + 4);
  }

  const std::string& head() const { return head_; }

  // The next message with an id (comments and retry lines are skipped).
  SseMessage Next() {
    for (;;) {
      ReadUntil("\n\n");
      const size_t end = buf_.find("\n\n");
      if (end == std::string::npos) return {};
      std::string block = buf_.substr(0, end);
      buf_.erase(0, end + 2);
      SseMessage m;
      for (const std::string& line : Lines(block)) {
        if (line.rfind("id: ", 0) == 0) m.id = std::stoull(line.substr(4));
        if (line.rfind("data: ", 0) == 0) m.data = ParseJson(line.substr(6));
      }
      if (m.id != 0) return m;
    }
  }

 private:
  void ReadUntil(const std::string& marker) {
    while (buf_.find(marker) == std::string::npos) {
      char chunk[4096];
      boost::system::error_code ec;
      size_t n = socket_.read_some(boost::asio::buffer(chunk), ec);
      if (ec) {
        ADD_FAILURE() << "event stream ended: " << ec.message() << "; have: " << buf_;
        return;
      }
      buf_.append(chunk, n);
    }
  }

  boost::asio::io_context ioc_;
  boost::asio::ip::tcp::socket socket_;
  std::string buf_;
  std::string head_;
};

std::string Capture(const std::string& id, const std::string& captured) {
  return json::serialize(
      json::object{{"id", id}, {"captured_at", captured}, {"body", "Text of " + id + "."}});
}

class ServeSseTest : public ServeFixture {
 protected:
  void SetUp() override {
    archive_.IngestText("first", SampleArticle("First Story About Orbital Debris"), "2024-01-01");
    archive_.IngestText("second", SampleArticle("Second Story About Orbital Debris"), "2024-01-02");
    StartServer({"--tokens", WriteTokens()});
  }
};

TEST_F(ServeSseTest, ReplaysThenPushesLiveThenResumesWithoutGapOrDuplicate) {
  {
    SseClient stream(port_, "/api/events/stream?after=0");
    EXPECT_TRUE(Contains(stream.head(), "200 OK")) << stream.head();
    EXPECT_TRUE(Contains(stream.head(), "Content-Type: text/event-stream")) << stream.head();
    SseMessage m1 = stream.Next();
    SseMessage m2 = stream.Next();
    EXPECT_EQ(m1.id, 1u);
    EXPECT_EQ(Str(m1.data, "doc"), "first");
    EXPECT_EQ(Int(m1.data, "seq"), 1);
    EXPECT_EQ(m2.id, 2u);
    // A new capture arrives live.
    ASSERT_EQ(Post(port_, "/api/documents", Capture("third", "2024-01-03"), kAlice).status, 201u);
    SseMessage m3 = stream.Next();
    EXPECT_EQ(m3.id, 3u);
    EXPECT_EQ(Str(m3.data, "doc"), "third");
    EXPECT_EQ(Str(m3.data, "actor"), "api:alice");
    EXPECT_EQ(m3.data, Arr(Get(port_, "/api/events?after=2").Json(), "events")[0]);
  }
  // An event written while no one listens.
  ASSERT_EQ(Post(port_, "/api/documents", Capture("fourth", "2024-01-04"), kAlice).status, 201u);
  {
    // Reconnect as an EventSource does: Last-Event-ID wins over ?after=.
    SseClient stream(port_, "/api/events/stream?after=0", "Last-Event-ID: 3\r\n");
    EXPECT_EQ(stream.Next().id, 4u);  // no gap, nothing seen twice
    ASSERT_EQ(Post(port_, "/api/documents", Capture("fifth", "2024-01-05"), kAlice).status, 201u);
    EXPECT_EQ(stream.Next().id, 5u);
  }
  SseClient caught_up(port_, "/api/events/stream?after=5");
  ASSERT_EQ(Post(port_, "/api/documents", Capture("sixth", "2024-01-06"), kAlice).status, 201u);
  EXPECT_EQ(caught_up.Next().id, 6u);
  // SIGTERM ends open streams and exits cleanly.
  EXPECT_EQ(StopServer(), 0) << ServeErr();
}

TEST_F(ServeSseTest, BadResumePointIsABadRequest) {
  EXPECT_EQ(Get(port_, "/api/events/stream?after=x").status, 400u);
  EXPECT_EQ(Get(port_, "/api/events/stream", {{"Last-Event-ID", "-1"}}).status, 400u);
}

}  // namespace
}  // namespace palimpsest::testing
