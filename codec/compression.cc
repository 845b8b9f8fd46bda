#include "palimpsest/compression.h"

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
}  // namespace

std::string ZstdCompress(std::string_view data, std::string_view reference, int level) {
  std::unique_ptr<ZSTD_CCtx, CCtxDeleter> cctx(ZSTD_createCCtx());
  ZSTD_CCtx_setParameter(cctx.get(), ZSTD_c_compressionLevel, level);
  ZSTD_CCtx_setParameter(cctx.get(), ZSTD_c_checksumFlag, 1);
  if (!reference.empty()) {
    ZSTD_CCtx_refPrefix(cctx.get(), reference.data(), reference.size());
  }
  std::string out(ZSTD_compressBound(data.size()), '\0');
  size_t n = ZSTD_compress2(cctx.get(), out.data(), out.size(), data.data(), data.size());
  if (ZSTD_isError(n)) std::abort();  // Only a bug (bound too small) can get here.
  out.resize(n);
  return out;
}

Result<std::string> ZstdDecompress(std::string_view frame, std::string_view reference,
                                   size_t max_size) {
  unsigned long long size = ZSTD_getFrameContentSize(frame.data(), frame.size());
  if (size == ZSTD_CONTENTSIZE_ERROR || size == ZSTD_CONTENTSIZE_UNKNOWN) {
    return Status::Corruption("stored content is not a zstd frame");
  }
  if (size > max_size) return Status::Corruption("stored content declares an implausible size");
  std::unique_ptr<ZSTD_DCtx, DCtxDeleter> dctx(ZSTD_createDCtx());
  ZSTD_DCtx_setParameter(dctx.get(), ZSTD_d_windowLogMax, 31);
  if (!reference.empty()) ZSTD_DCtx_refPrefix(dctx.get(), reference.data(), reference.size());
  std::string out(size, '\0');
  size_t n = ZSTD_decompressDCtx(dctx.get(), out.data(), out.size(), frame.data(), frame.size());
  if (ZSTD_isError(n) || n != size) {
    return Status::Corruption(std::string("stored content does not decompress: ") +
                              (ZSTD_isError(n) ? ZSTD_getErrorName(n) : "short frame"));
  }
  return out;
}

}  // namespace palimpsest
