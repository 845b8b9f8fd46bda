// The libcurl transfer behind HttpFetcher (cli/watch/http_fetcher.h): one easy handle per
// request, set up the same way for a GET and a POST (URL checks, no proxy, no redirects,
// address vetting at connect time, time and size limits), with the outcome classified into a
// FetchResult. HttpFetcher turns its requests into header lines and calls PerformTransfer;
// nothing else should need this header.
//
// Thread safety: PerformTransfer may run concurrently on several threads (each call owns its
// handle); curl_global_init must have succeeded first.

#ifndef PALIMPSEST_CLI_WATCH_CURL_TRANSFER_H_
#define PALIMPSEST_CLI_WATCH_CURL_TRANSFER_H_

#include <string>
#include <string_view>
#include <vector>

#include "cli/watch/http_fetcher.h"

namespace palimpsest::cli {

// Performs one request for `url` under `options`: a GET, or a POST of `*post_body` (sent as
// is, with its Content-Length) when post_body is not null. `header_lines` are passed to curl
// as given ("Name: value"; "Name:" suppresses a header curl would add; "Name;" sends an empty
// one) and must be free of CR, LF and NUL. Failures are values in the result, except that
// running out of memory throws std::bad_alloc.
FetchResult PerformTransfer(const FetcherOptions& options, const std::string& url,
                            const std::vector<std::string>& header_lines,
                            const std::string* post_body);

// Returns `text` without the characters that would end a header line (CR, LF and NUL).
std::string WithoutLineBreaks(std::string_view text);

// Whether `value` is free of CR, LF and NUL.
bool IsHeaderSafe(std::string_view value);

}  // namespace palimpsest::cli

#endif  // PALIMPSEST_CLI_WATCH_CURL_TRANSFER_H_
