#include "palimpsest/input_stream.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

#include <cerrno>
#include <cstring>
#include <istream>
#include <utility>
#include <vector>

#include "codec/io/string_stream.h"

namespace palimpsest {

namespace {

constexpr size_t kChunkBytes = 256 * 1024;

// Where compressed or plain bytes come from.
class Source {
 public:
  virtual ~Source() = default;
  // Up to n bytes; 0 at the end.
  virtual Result<size_t> Read(char* buf, size_t n) = 0;
};

class FdSource : public Source {
 public:
  FdSource(int fd, std::string name) : fd_(fd), name_(std::move(name)) {}
  ~FdSource() override { ::close(fd_); }
  FdSource(const FdSource&) = delete;
  FdSource& operator=(const FdSource&) = delete;

  Result<size_t> Read(char* buf, size_t n) override {
    for (;;) {
      ssize_t got = ::read(fd_, buf, n);
      if (got >= 0) return static_cast<size_t>(got);
      if (errno == EINTR) continue;
      return Status::IOError("cannot read " + name_ + ": " + std::strerror(errno));
    }
  }

 private:
  int fd_;
  std::string name_;
};

class IstreamSource : public Source {
 public:
  IstreamSource(std::istream& in, std::string name) : in_(in), name_(std::move(name)) {}
  Result<size_t> Read(char* buf, size_t n) override {
    std::streamsize got =
        in_.rdbuf() ? in_.rdbuf()->sgetn(buf, static_cast<std::streamsize>(n)) : 0;
    if (got < 0) return Status::IOError("cannot read " + name_);
    return static_cast<size_t>(got);
  }

 private:
  std::istream& in_;
  std::string name_;
};

class StringSource : public Source {
 public:
  explicit StringSource(std::string bytes) : bytes_(std::move(bytes)) {}
  Result<size_t> Read(char* buf, size_t n) override {
    size_t take = std::min(n, bytes_.size() - pos_);
    std::memcpy(buf, bytes_.data() + pos_, take);
    pos_ += take;
    return take;
  }

 private:
  std::string bytes_;
  size_t pos_ = 0;
};

// Reads from a Source through an input buffer, decompressing per `compression`.
class Stream : public InputStream {
 public:
  Stream(std::unique_ptr<Source> source, std::string name)
      : source_(std::move(source)), name_(std::move(name)), in_(kChunkBytes) {}

  ~Stream() override {
    if (zlib_ready_) inflateEnd(&z_);
    if (zstd_) ZSTD_freeDStream(zstd_);
  }
  Stream(const Stream&) = delete;
  Stream& operator=(const Stream&) = delete;

  // Sniffs the first bytes and sets up the decoder.
  Status Init() {
    // Fill until 4 bytes are buffered or the source ends.
    while (in_end_ < 4) {
      PALIMPSEST_ASSIGN_OR_RETURN(size_t got,
                                  source_->Read(in_.data() + in_end_, in_.size() - in_end_));
      if (got == 0) break;
      in_end_ += got;
      source_bytes_ += got;
    }
    const auto* b = reinterpret_cast<const unsigned char*>(in_.data());
    if (in_end_ >= 2 && b[0] == 0x1f && b[1] == 0x8b) {
      compression_ = Compression::kGzip;
      std::memset(&z_, 0, sizeof(z_));
      // 15 + 16: gzip wrapper only.
      if (inflateInit2(&z_, 15 + 16) != Z_OK) return Status::IOError("zlib: cannot initialize");
      zlib_ready_ = true;
    } else if (in_end_ >= 4 && b[0] == 0x28 && b[1] == 0xb5 && b[2] == 0x2f && b[3] == 0xfd) {
      compression_ = Compression::kZstd;
      zstd_ = ZSTD_createDStream();
      if (zstd_ == nullptr) return Status::IOError("zstd: cannot initialize");
      ZSTD_initDStream(zstd_);
    }
    return Status::OK();
  }

  Result<size_t> Read(char* buf, size_t n) override {
    if (n == 0) return size_t{0};
    Result<size_t> got = size_t{0};
    switch (compression_) {
      case Compression::kNone:
        got = ReadPlain(buf, n);
        break;
      case Compression::kGzip:
        got = ReadGzip(buf, n);
        break;
      case Compression::kZstd:
        got = ReadZstd(buf, n);
        break;
    }
    if (got.ok()) position_ += *got;
    return got;
  }

  std::vector<SkippedInput> TakeSkipped() override { return std::exchange(skipped_, {}); }

  uint64_t position() const override { return position_; }
  uint64_t source_bytes() const override { return source_bytes_; }
  Compression compression() const override { return compression_; }
  const std::string& name() const override { return name_; }

 private:
  // Refills the input buffer when it is empty; false at the source's end.
  Result<bool> Fill() {
    if (in_pos_ < in_end_) return true;
    if (source_done_) return false;
    PALIMPSEST_ASSIGN_OR_RETURN(size_t got, source_->Read(in_.data(), in_.size()));
    in_pos_ = 0;
    in_end_ = got;
    source_bytes_ += got;
    if (got == 0) source_done_ = true;
    return got > 0;
  }

  Result<size_t> ReadPlain(char* buf, size_t n) {
    PALIMPSEST_ASSIGN_OR_RETURN(bool more, Fill());
    if (!more) return size_t{0};
    size_t take = std::min(n, in_end_ - in_pos_);
    std::memcpy(buf, in_.data() + in_pos_, take);
    in_pos_ += take;
    return take;
  }

  // Source offset of in_[in_pos_].
  uint64_t SourceOffset() const { return source_bytes_ - (in_end_ - in_pos_); }

  Result<size_t> ReadGzip(char* buf, size_t n) {
    size_t produced = 0;
    while (produced == 0) {
      if (member_done_) {
        // Between members: more input means another member (a .warc.gz has one per record).
        PALIMPSEST_ASSIGN_OR_RETURN(bool more, Fill());
        if (!more) return size_t{0};
        if (inflateReset(&z_) != Z_OK) return Status::Corruption(name_ + ": zlib reset failed");
        member_done_ = false;
        member_start_ = SourceOffset();
      }
      PALIMPSEST_ASSIGN_OR_RETURN(bool more, Fill());
      if (!more) {  // the last member is cut short: what it gave was delivered
        skipped_.push_back({member_start_, source_bytes_, position_, "truncated gzip member"});
        member_done_ = true;
        return size_t{0};
      }
      z_.next_in = reinterpret_cast<Bytef*>(in_.data() + in_pos_);
      z_.avail_in = static_cast<uInt>(in_end_ - in_pos_);
      z_.next_out = reinterpret_cast<Bytef*>(buf + produced);
      z_.avail_out = static_cast<uInt>(std::min<size_t>(n - produced, 1u << 30));
      const uInt avail_before = z_.avail_out;
      int rc = inflate(&z_, Z_NO_FLUSH);
      in_pos_ = in_end_ - z_.avail_in;
      produced += avail_before - z_.avail_out;
      if (rc == Z_STREAM_END) {
        member_done_ = true;
      } else if (rc != Z_OK && rc != Z_BUF_ERROR) {
        const std::string why = z_.msg ? z_.msg : "damaged gzip data";
        const uint64_t begin = member_start_;
        PALIMPSEST_RETURN_IF_ERROR(SkipToNextMember());
        skipped_.push_back({begin, SourceOffset(), position_ + produced, why});
        member_done_ = true;
      }
    }
    return produced;
  }

  // After a damaged member: moves in_pos_ to the next gzip header (1f 8b 08, reserved flag
  // bits clear) after the damaged member's first byte — zlib may have read past the member's
  // end before noticing — or to the source's end. Bytes before the input buffer are gone, so
  // the search starts no earlier than the buffer.
  Status SkipToNextMember() {
    const uint64_t buffer_start = source_bytes_ - in_end_;
    size_t from = member_start_ + 1 > buffer_start
                      ? static_cast<size_t>(member_start_ + 1 - buffer_start)
                      : 0;
    for (;;) {
      const auto* b = reinterpret_cast<const unsigned char*>(in_.data());
      for (size_t i = from; i + 3 < in_end_; ++i) {
        if (b[i] == 0x1f && b[i + 1] == 0x8b && b[i + 2] == 0x08 && (b[i + 3] & 0xe0) == 0) {
          in_pos_ = i;
          return Status::OK();
        }
      }
      // Keep the last 3 bytes (a header may straddle the refill) and read on.
      const size_t keep = std::min<size_t>(3, in_end_);
      std::memmove(in_.data(), in_.data() + in_end_ - keep, keep);
      in_pos_ = 0;
      in_end_ = keep;
      from = 0;
      if (source_done_) break;
      PALIMPSEST_ASSIGN_OR_RETURN(size_t got, source_->Read(in_.data() + keep, in_.size() - keep));
      source_bytes_ += got;
      in_end_ += got;
      if (got == 0) source_done_ = true;
    }
    in_pos_ = in_end_;
    return Status::OK();
  }

  Result<size_t> ReadZstd(char* buf, size_t n) {
    size_t produced = 0;
    while (produced == 0) {
      PALIMPSEST_ASSIGN_OR_RETURN(bool more, Fill());
      if (!more) {
        if (zstd_frame_open_) {
          return Status::Corruption(name_ + ": truncated zstd data at byte " +
                                    std::to_string(source_bytes_));
        }
        return size_t{0};
      }
      ZSTD_inBuffer input{in_.data() + in_pos_, in_end_ - in_pos_, 0};
      ZSTD_outBuffer output{buf, n, 0};
      size_t rc = ZSTD_decompressStream(zstd_, &output, &input);
      in_pos_ += input.pos;
      produced += output.pos;
      if (ZSTD_isError(rc)) {
        return Status::Corruption(name_ + ": damaged zstd data: " + ZSTD_getErrorName(rc));
      }
      zstd_frame_open_ = rc != 0;
    }
    return produced;
  }

  std::unique_ptr<Source> source_;
  std::string name_;
  std::vector<char> in_;
  size_t in_pos_ = 0;
  size_t in_end_ = 0;
  bool source_done_ = false;
  uint64_t position_ = 0;
  uint64_t source_bytes_ = 0;
  Compression compression_ = Compression::kNone;
  z_stream z_{};
  bool zlib_ready_ = false;
  bool member_done_ = false;
  uint64_t member_start_ = 0;  // source offset of the current gzip member
  std::vector<SkippedInput> skipped_;
  ZSTD_DStream* zstd_ = nullptr;
  bool zstd_frame_open_ = false;
};

Result<std::unique_ptr<InputStream>> Make(std::unique_ptr<Source> source, std::string name) {
  auto stream = std::make_unique<Stream>(std::move(source), std::move(name));
  PALIMPSEST_RETURN_IF_ERROR(stream->Init());
  return std::unique_ptr<InputStream>(std::move(stream));
}

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

}  // namespace

std::string_view StripCompressionSuffix(std::string_view path) {
  for (std::string_view suffix : {".gz", ".zst", ".GZ", ".ZST"}) {
    if (EndsWith(path, suffix)) return path.substr(0, path.size() - suffix.size());
  }
  return path;
}

Result<std::unique_ptr<InputStream>> InputStream::OpenFile(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Status::InvalidArgument("cannot read " + path + ": " + std::strerror(errno));
  struct stat st {};
  if (::fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
    ::close(fd);
    return Status::InvalidArgument("cannot read " + path + ": it is a directory");
  }
#ifdef POSIX_FADV_SEQUENTIAL
  ::posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
#endif
  return Make(std::make_unique<FdSource>(fd, path), path);
}

Result<std::unique_ptr<InputStream>> InputStream::OpenIstream(std::istream& in, std::string name) {
  return Make(std::make_unique<IstreamSource>(in, name), name);
}

Result<std::unique_ptr<InputStream>> OpenStringStream(std::string bytes, std::string name) {
  return Make(std::make_unique<StringSource>(std::move(bytes)), std::move(name));
}

}  // namespace palimpsest
