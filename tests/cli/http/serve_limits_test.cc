// `palimpsest serve` connection slots (issue #12): event streams are capped apart from other
// connections, one address cannot take every slot, and a connection that sends no request
// header is closed after --idle-timeout. Counts are small and bounded; no timing is asserted.

#include "cli/http/serve_test_harness.h"

namespace palimpsest::testing {
namespace {

// An open event stream: the request is sent and the response header read.
class OpenStream {
 public:
  explicit OpenStream(uint16_t port) : socket_(Connect(ioc_, port)) {
    const std::string req =
        "GET /api/events/stream HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n";
    boost::asio::write(socket_, boost::asio::buffer(req));
    while (head_.find("\r\n\r\n") == std::string::npos) {
      char c;
      boost::system::error_code ec;
      if (socket_.read_some(boost::asio::buffer(&c, 1), ec) != 1 || ec) break;
      head_.push_back(c);
    }
  }
  const std::string& head() const { return head_; }

 private:
  boost::asio::io_context ioc_;
  boost::asio::ip::tcp::socket socket_;
  std::string head_;
};

// Whether the server closes `socket` (reads to end of stream, guarded by kGuardSeconds).
bool ClosedByServer(boost::asio::ip::tcp::socket& socket) {
  char buf[256];
  for (int i = 0; i < 64; ++i) {
    boost::system::error_code ec;
    socket.read_some(boost::asio::buffer(buf), ec);
    if (ec == boost::asio::error::eof || ec == boost::asio::error::connection_reset) return true;
    if (ec) return false;  // the guard timed out
  }
  return false;
}

class ServeLimitsTest : public ServeFixture {};

TEST_F(ServeLimitsTest, StreamsAreCappedApartAndPlainReadsStillServed) {
  StartServer({"--max-streams", "2"});
  OpenStream a(port_), b(port_);
  ASSERT_EQ(a.head().rfind("HTTP/1.1 200", 0), 0u) << a.head();
  ASSERT_EQ(b.head().rfind("HTTP/1.1 200", 0), 0u) << b.head();
  HttpReply third = Get(port_, "/api/events/stream");
  EXPECT_EQ(third.status, 503u) << third.body;
  EXPECT_EQ(third.Header("retry-after"), "1");
  EXPECT_EQ(third.Header("content-type"), "application/problem+json");
  EXPECT_EQ(Get(port_, "/api/documents").status, 200u);
  EXPECT_EQ(Get(port_, "/api/events").status, 200u);
}

TEST_F(ServeLimitsTest, OneAddressCannotTakeEverySlotAndIdleConnectionsAreClosed) {
  StartServer({"--max-connections-per-peer", "3", "--idle-timeout", "1"});
  boost::asio::io_context ioc;
  std::vector<boost::asio::ip::tcp::socket> idle;
  for (int i = 0; i < 3; ++i) idle.push_back(Connect(ioc, port_));  // never send a header
  HttpReply refused = Get(port_, "/api/documents");
  EXPECT_EQ(refused.status, 503u) << refused.body;
  EXPECT_EQ(refused.Header("retry-after"), "1");
  EXPECT_NE(refused.body.find("too many connections from this address"), std::string::npos);
  // Slow-header connections lose their slot: the server closes them, and serves again.
  for (auto& socket : idle) EXPECT_TRUE(ClosedByServer(socket));
  idle.clear();
  EXPECT_EQ(Get(port_, "/api/documents").status, 200u);
  EXPECT_EQ(StopServer(), 0) << ServeErr();
}

TEST_F(ServeLimitsTest, TotalConnectionsAreCapped) {
  StartServer({"--max-connections", "2"});
  OpenStream a(port_), b(port_);
  ASSERT_EQ(b.head().rfind("HTTP/1.1 200", 0), 0u) << b.head();
  HttpReply refused = Get(port_, "/api/documents");
  EXPECT_EQ(refused.status, 503u) << refused.body;
  EXPECT_EQ(refused.Header("retry-after"), "1");
}

TEST_F(ServeLimitsTest, LimitFlagsAreValidated) {
  for (const char* flag :
       {"--max-streams", "--max-connections", "--max-connections-per-peer", "--idle-timeout"}) {
    // A bad --listen too, so that a flag that slipped through could never start a server.
    RunResult r = archive_.Run({"serve", flag, "0", "--listen", "bad"});
    EXPECT_NE(r.exit_code, 0) << flag;
    EXPECT_NE(r.err.find(flag), std::string::npos) << flag << ": " << r.err;
  }
}

}  // namespace
}  // namespace palimpsest::testing
