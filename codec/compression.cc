#include "codec/compression.h"

#include <zdict.h>
#include <zstd.h>

#include <memory>

namespace palimpsest {

namespace {
struct CCtxDeleter {
  void operator()(ZSTD_CCtx* c) const { ZSTD_freeCCtx(c); }
};
struct DCtxDeleter {
  void operator()(ZSTD_DCtx* d) const { ZSTD_freeDCtx(d); }
};

// Each thread reuses one compression and one decompression context: creating a context
// allocates and clears its workspace, which cost more than compressing a 6 KB article (the
// import profile showed ZSTD_createDCtx alone at 9%). Both are reset before every use, so no
// parameter or prefix carries over and the output is the same as from a fresh context.
ZSTD_CCtx* ThreadCCtx() {
  thread_local std::unique_ptr<ZSTD_CCtx, CCtxDeleter> cctx(ZSTD_createCCtx());
  if (cctx == nullptr) std::abort();  // Out of memory.
  ZSTD_CCtx_reset(cctx.get(), ZSTD_reset_session_and_parameters);
  return cctx.get();
}

ZSTD_DCtx* ThreadDCtx() {
  thread_local std::unique_ptr<ZSTD_DCtx, DCtxDeleter> dctx(ZSTD_createDCtx());
  if (dctx == nullptr) std::abort();  // Out of memory.
  ZSTD_DCtx_reset(dctx.get(), ZSTD_reset_session_and_parameters);
  return dctx.get();
}
}  // namespace

std::string ZstdCompress(std::string_view data, std::string_view reference, int level) {
  ZSTD_CCtx* cctx = ThreadCCtx();
  ZSTD_CCtx_setParameter(cctx, ZSTD_c_compressionLevel, level);
  ZSTD_CCtx_setParameter(cctx, ZSTD_c_checksumFlag, 1);
  if (!reference.empty()) {
    ZSTD_CCtx_refPrefix(cctx, reference.data(), reference.size());
  }
  std::string out(ZSTD_compressBound(data.size()), '\0');
  size_t n = ZSTD_compress2(cctx, out.data(), out.size(), data.data(), data.size());
  if (ZSTD_isError(n)) std::abort();  // Only a bug (bound too small) can get here.
  out.resize(n);
  return out;
}

namespace {
// The size `frame` declares, checked against `max_size`.
Result<size_t> DeclaredSize(std::string_view frame, size_t max_size) {
  unsigned long long size = ZSTD_getFrameContentSize(frame.data(), frame.size());
  if (size == ZSTD_CONTENTSIZE_ERROR || size == ZSTD_CONTENTSIZE_UNKNOWN) {
    return Status::Corruption("stored content is not a zstd frame");
  }
  if (size > max_size) return Status::Corruption("stored content declares an implausible size");
  return static_cast<size_t>(size);
}

Status CheckDecompressed(size_t n, size_t size) {
  if (ZSTD_isError(n) || n != size) {
    return Status::Corruption(std::string("stored content does not decompress: ") +
                              (ZSTD_isError(n) ? ZSTD_getErrorName(n) : "short frame"));
  }
  return Status::OK();
}
}  // namespace

Result<std::string> ZstdDecompress(std::string_view frame, std::string_view reference,
                                   size_t max_size) {
  PALIMPSEST_ASSIGN_OR_RETURN(size_t size, DeclaredSize(frame, max_size));
  ZSTD_DCtx* dctx = ThreadDCtx();
  ZSTD_DCtx_setParameter(dctx, ZSTD_d_windowLogMax, 31);
  if (!reference.empty()) ZSTD_DCtx_refPrefix(dctx, reference.data(), reference.size());
  std::string out(size, '\0');
  size_t n = ZSTD_decompressDCtx(dctx, out.data(), out.size(), frame.data(), frame.size());
  PALIMPSEST_RETURN_IF_ERROR(CheckDecompressed(n, size));
  return out;
}

Result<std::shared_ptr<const ZstdDictionary>> ZstdDictionary::Load(std::string_view bytes) {
  // Bytes without the dictionary header would be taken as raw content: refused, so damage to
  // a stored dictionary shows as such.
  if (ZSTD_getDictID_fromDict(bytes.data(), bytes.size()) == 0) {
    return Status::Corruption("stored zstd dictionary is malformed");
  }
  ZSTD_CDict* cdict = ZSTD_createCDict(bytes.data(), bytes.size(), 3);
  ZSTD_DDict* ddict = ZSTD_createDDict(bytes.data(), bytes.size());
  if (cdict == nullptr || ddict == nullptr) {
    ZSTD_freeCDict(cdict);
    ZSTD_freeDDict(ddict);
    return Status::Corruption("stored zstd dictionary is malformed");
  }
  return std::shared_ptr<const ZstdDictionary>(new ZstdDictionary(cdict, ddict));
}

ZstdDictionary::~ZstdDictionary() {
  ZSTD_freeCDict(cdict_);
  ZSTD_freeDDict(ddict_);
}

std::string ZstdDictionary::Compress(std::string_view data) const {
  ZSTD_CCtx* cctx = ThreadCCtx();
  ZSTD_CCtx_setParameter(cctx, ZSTD_c_checksumFlag, 1);
  ZSTD_CCtx_refCDict(cctx, cdict_);
  std::string out(ZSTD_compressBound(data.size()), '\0');
  size_t n = ZSTD_compress2(cctx, out.data(), out.size(), data.data(), data.size());
  if (ZSTD_isError(n)) std::abort();  // Only a bug (bound too small) can get here.
  out.resize(n);
  return out;
}

Result<std::string> ZstdDictionary::Decompress(std::string_view frame, size_t max_size) const {
  PALIMPSEST_ASSIGN_OR_RETURN(size_t size, DeclaredSize(frame, max_size));
  ZSTD_DCtx* dctx = ThreadDCtx();
  ZSTD_DCtx_setParameter(dctx, ZSTD_d_windowLogMax, 31);
  ZSTD_DCtx_refDDict(dctx, ddict_);
  std::string out(size, '\0');
  size_t n = ZSTD_decompressDCtx(dctx, out.data(), out.size(), frame.data(), frame.size());
  PALIMPSEST_RETURN_IF_ERROR(CheckDecompressed(n, size));
  return out;
}

std::string TrainZstdDictionary(const std::vector<std::string>& samples, size_t capacity) {
  std::string joined;
  std::vector<size_t> sizes;
  for (const std::string& sample : samples) {
    joined += sample;
    sizes.push_back(sample.size());
  }
  std::string dictionary(capacity, '\0');
  const size_t n = ZDICT_trainFromBuffer(dictionary.data(), dictionary.size(), joined.data(),
                                         sizes.data(), static_cast<unsigned>(sizes.size()));
  if (ZDICT_isError(n)) return {};
  dictionary.resize(n);
  return dictionary;
}

}  // namespace palimpsest
