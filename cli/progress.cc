#include "cli/progress.h"

#include <cstdio>
#include <ostream>

namespace palimpsest::cli {

namespace {

constexpr auto kBarInterval = std::chrono::milliseconds(150);
constexpr auto kLineInterval = std::chrono::seconds(2);
constexpr double kMB = 1024.0 * 1024.0;

std::string FormatDuration(double seconds) {
  if (seconds < 0) seconds = 0;
  const long s = static_cast<long>(seconds + 0.5);
  char buf[32];
  if (s >= 3600) {
    std::snprintf(buf, sizeof(buf), "%ld:%02ld:%02ld", s / 3600, (s / 60) % 60, s % 60);
  } else {
    std::snprintf(buf, sizeof(buf), "%ld:%02ld", s / 60, s % 60);
  }
  return buf;
}

}  // namespace

bool ParseProgressMode(const std::string& text, ProgressMode* mode) {
  if (text == "auto")
    *mode = ProgressMode::kAuto;
  else if (text == "always")
    *mode = ProgressMode::kAlways;
  else if (text == "never")
    *mode = ProgressMode::kNever;
  else
    return false;
  return true;
}

Progress::Progress(std::ostream& err, ProgressMode mode, bool terminal)
    : err_(err), start_(Clock::now()), last_(start_) {
  bar_ = mode == ProgressMode::kAlways || (mode == ProgressMode::kAuto && terminal);
  lines_ = mode == ProgressMode::kAuto && !terminal;
}

std::string Progress::Describe(uint64_t records, uint64_t bytes, double seconds) const {
  const double rate = seconds > 0 ? static_cast<double>(bytes) / kMB / seconds : 0;
  char buf[160];
  int n = std::snprintf(buf, sizeof(buf), "%llu records, %.1f MB, %.1f MB/s",
                        static_cast<unsigned long long>(records), static_cast<double>(bytes) / kMB,
                        rate);
  std::string text(buf, n > 0 ? static_cast<size_t>(n) : 0);
  if (total_ && *total_ > 0) {
    const double fraction =
        std::min(1.0, static_cast<double>(bytes) / static_cast<double>(*total_));
    std::snprintf(buf, sizeof(buf), ", %.0f%%", fraction * 100);
    text += buf;
    if (fraction > 0.001 && fraction < 1.0 && seconds > 0.5) {
      text += ", ETA " + FormatDuration(seconds * (1 - fraction) / fraction);
    }
  }
  return text;
}

void Progress::Draw(uint64_t records, uint64_t bytes, Clock::time_point now) {
  const double seconds = std::chrono::duration<double>(now - start_).count();
  if (bar_) {
    std::string line;
    if (total_ && *total_ > 0) {
      constexpr int kWidth = 24;
      const double fraction =
          std::min(1.0, static_cast<double>(bytes) / static_cast<double>(*total_));
      const int filled = static_cast<int>(fraction * kWidth);
      line = "[" + std::string(filled, '#') + std::string(kWidth - filled, '.') + "] ";
    }
    line = "import " + line + Describe(records, bytes, seconds);
    const size_t width = line.size();
    if (width < drawn_width_) line += std::string(drawn_width_ - width, ' ');
    err_ << '\r' << line << std::flush;
    drawn_width_ = width;
  } else if (lines_) {
    err_ << "palimpsest: import: " << Describe(records, bytes, seconds) << "\n" << std::flush;
  }
}

void Progress::Update(uint64_t records, uint64_t bytes) {
  if (!bar_ && !lines_) return;
  // Reading the clock per record is cheap, but not free: look every 16 calls.
  if ((++calls_ & 15) != 0) return;
  const Clock::time_point now = Clock::now();
  if (now - last_ < (bar_ ? Clock::duration(kBarInterval) : Clock::duration(kLineInterval))) {
    return;
  }
  last_ = now;
  Draw(records, bytes, now);
}

void Progress::Clear() {
  if (!bar_ || drawn_width_ == 0) return;
  err_ << '\r' << std::string(drawn_width_, ' ') << '\r' << std::flush;
  drawn_width_ = 0;
}

void Progress::Finish(uint64_t records, uint64_t bytes) {
  if (!bar_) return;  // periodic lines need no closing line: the summary follows
  Draw(records, bytes, Clock::now());
  err_ << "\n" << std::flush;
  drawn_width_ = 0;
}

}  // namespace palimpsest::cli
