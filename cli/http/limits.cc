#include "cli/http/limits.h"

namespace palimpsest::cli::http {

ConnectionLimits::Slot& ConnectionLimits::Slot::operator=(Slot&& other) noexcept {
  if (this != &other) {
    Release();
    owner_ = other.owner_;
    peer_ = std::move(other.peer_);
    admit_ = other.admit_;
    other.owner_ = nullptr;
  }
  return *this;
}

void ConnectionLimits::Slot::Release() {
  if (owner_ != nullptr) owner_->Return(peer_);
  owner_ = nullptr;
}

ConnectionLimits::Slot ConnectionLimits::AcquireConnection(const std::string& peer) {
  Slot slot;
  std::lock_guard<std::mutex> lock(mu_);
  size_t& mine = per_peer_[peer];
  if (connections_ >= max_connections_) {
    slot.admit_ = Admit::kServerFull;
  } else if (mine >= max_per_peer_) {
    slot.admit_ = Admit::kPeerFull;
  } else {
    ++connections_;
    ++mine;
    slot.owner_ = this;
    slot.peer_ = peer;
  }
  if (mine == 0) per_peer_.erase(peer);
  return slot;
}

ConnectionLimits::Slot ConnectionLimits::AcquireStream() {
  Slot slot;
  std::lock_guard<std::mutex> lock(mu_);
  if (streams_ >= max_streams_) {
    slot.admit_ = Admit::kStreamsFull;
  } else {
    ++streams_;
    slot.owner_ = this;
  }
  return slot;
}

void ConnectionLimits::Return(const std::string& peer) {
  std::lock_guard<std::mutex> lock(mu_);
  if (peer.empty()) {
    --streams_;
    return;
  }
  --connections_;
  auto it = per_peer_.find(peer);
  if (it != per_peer_.end() && --it->second == 0) per_peer_.erase(it);
}

}  // namespace palimpsest::cli::http
