// CatchUpLoop: Archive::CatchUp on a thread of its own, so the asynchronous projections (change
// summaries, search index) follow the log while a long-running writer keeps writing: the
// server between requests, `import` between its batches. It runs every second and soon after
// Wake(); a failure is reported once, as a warning, on `err` (the writes themselves stand).
//
// Thread safety: Wake may be called from any thread.

#ifndef PALIMPSEST_CLI_CATCH_UP_LOOP_H_
#define PALIMPSEST_CLI_CATCH_UP_LOOP_H_

#include <condition_variable>
#include <mutex>
#include <ostream>
#include <thread>

#include "palimpsest/archive.h"

namespace palimpsest::cli {

class CatchUpLoop {
 public:
  // `archive` and `err` must outlive the loop.
  CatchUpLoop(Archive& archive, std::ostream& err);
  // Stops the thread after the catch-up batch in progress, if any.
  ~CatchUpLoop();
  CatchUpLoop(const CatchUpLoop&) = delete;
  CatchUpLoop& operator=(const CatchUpLoop&) = delete;

  // Asks for a catch-up soon (after a commit).
  void Wake();

 private:
  void Loop();

  Archive& archive_;
  std::ostream& err_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool wake_ = false;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace palimpsest::cli

#endif  // PALIMPSEST_CLI_CATCH_UP_LOOP_H_
