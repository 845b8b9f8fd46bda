// Progress of a long command (`import`) on standard error: a one-line bar redrawn with "\r"
// when standard error is a terminal (records, MB/s, percentage and ETA when the total size is
// known), plain lines every few seconds when it is not, or nothing at all.

#ifndef PALIMPSEST_CLI_PROGRESS_H_
#define PALIMPSEST_CLI_PROGRESS_H_

#include <chrono>
#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>

namespace palimpsest::cli {

enum class ProgressMode {
  kAuto,    // the bar on a terminal, periodic lines otherwise
  kAlways,  // the bar even when standard error is not a terminal
  kNever,
};

// Parses "auto|always|never"; false otherwise.
bool ParseProgressMode(const std::string& text, ProgressMode* mode);

class Progress {
 public:
  // `terminal`: whether `err` is a terminal (isatty(2) for the real standard error).
  Progress(std::ostream& err, ProgressMode mode, bool terminal);

  // The total input size when known, for the percentage and ETA.
  void SetTotalBytes(std::optional<uint64_t> total) { total_ = total; }

  // Reports the counts so far; cheap to call per record (redraws at most a few times a second,
  // lines every 2 s).
  void Update(uint64_t records, uint64_t bytes);

  // Removes the bar before another line is printed to standard error (it reappears on the next
  // update).
  void Clear();

  // Draws the final state and ends the bar's line.
  void Finish(uint64_t records, uint64_t bytes);

 private:
  using Clock = std::chrono::steady_clock;
  std::string Describe(uint64_t records, uint64_t bytes, double seconds) const;
  void Draw(uint64_t records, uint64_t bytes, Clock::time_point now);

  std::ostream& err_;
  bool bar_ = false;
  bool lines_ = false;
  std::optional<uint64_t> total_;
  Clock::time_point start_;
  Clock::time_point last_;
  uint32_t calls_ = 0;
  size_t drawn_width_ = 0;  // characters of the bar currently on screen
};

}  // namespace palimpsest::cli

#endif  // PALIMPSEST_CLI_PROGRESS_H_
