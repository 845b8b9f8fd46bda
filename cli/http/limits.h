// Connection slots of `palimpsest serve`, so that one client cannot lock everyone out: a total
// (max_connections), a share per peer address (max_per_peer) and event streams counted apart
// (max_streams: a stream also holds its connection slot).
//
// A slot is taken when a connection is accepted (in accept order, so a client that opened N
// connections has had all N counted before its next one) and handed back by its Slot.
// Thread-safe.

#ifndef PALIMPSEST_CLI_HTTP_LIMITS_H_
#define PALIMPSEST_CLI_HTTP_LIMITS_H_

#include <cstddef>
#include <mutex>
#include <string>
#include <unordered_map>

namespace palimpsest::cli::http {

class ConnectionLimits {
 public:
  enum class Admit { kOk, kServerFull, kPeerFull, kStreamsFull };

  // Holds one counted slot (connection or stream) until destroyed or Release()d. Move-only.
  class Slot {
   public:
    Slot() = default;
    Slot(Slot&& other) noexcept { *this = std::move(other); }
    Slot& operator=(Slot&& other) noexcept;
    Slot(const Slot&) = delete;
    Slot& operator=(const Slot&) = delete;
    ~Slot() { Release(); }

    // kOk when the slot was granted; otherwise which limit refused it (nothing is held).
    Admit admit() const { return admit_; }
    void Release();

   private:
    friend class ConnectionLimits;
    ConnectionLimits* owner_ = nullptr;
    std::string peer_;  // empty for a stream slot
    Admit admit_ = Admit::kOk;
  };

  ConnectionLimits(size_t max_connections, size_t max_per_peer, size_t max_streams)
      : max_connections_(max_connections), max_per_peer_(max_per_peer), max_streams_(max_streams) {}
  ConnectionLimits(const ConnectionLimits&) = delete;
  ConnectionLimits& operator=(const ConnectionLimits&) = delete;

  // A connection slot for a peer at address `peer` (its text form).
  Slot AcquireConnection(const std::string& peer);
  // An event-stream slot.
  Slot AcquireStream();

 private:
  void Return(const std::string& peer);

  const size_t max_connections_;
  const size_t max_per_peer_;
  const size_t max_streams_;
  std::mutex mu_;
  size_t connections_ = 0;
  size_t streams_ = 0;
  std::unordered_map<std::string, size_t> per_peer_;
};

}  // namespace palimpsest::cli::http

#endif  // PALIMPSEST_CLI_HTTP_LIMITS_H_
