// Implements PerformTransfer over libcurl's easy interface: one easy handle per request,
// callbacks that vet addresses, collect the final response's headers and bound the body.

#include "cli/watch/curl_transfer.h"

#include <curl/curl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <iterator>
#include <limits>
#include <memory>
#include <new>
#include <string>
#include <utility>
#include <vector>

#include "cli/watch/address_policy.h"
#include "cli/watch/ascii_case.h"

namespace palimpsest::cli {

std::string WithoutLineBreaks(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c != '\r' && c != '\n' && c != '\0') out.push_back(c);
  }
  return out;
}

bool IsHeaderSafe(std::string_view value) {
  return value.find_first_of(std::string_view("\r\n\0", 3)) == std::string_view::npos;
}

namespace {

struct CurlEasyDeleter {
  void operator()(CURL* handle) const { curl_easy_cleanup(handle); }
};
struct CurlUrlDeleter {
  void operator()(CURLU* url) const { curl_url_cleanup(url); }
};
struct CurlSlistDeleter {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};
struct CurlFreeDeleter {
  void operator()(char* text) const { curl_free(text); }
};
using CurlEasy = std::unique_ptr<CURL, CurlEasyDeleter>;
using CurlUrl = std::unique_ptr<CURLU, CurlUrlDeleter>;
using CurlSlist = std::unique_ptr<curl_slist, CurlSlistDeleter>;
using CurlString = std::unique_ptr<char, CurlFreeDeleter>;

// Per-request state the curl callbacks share. Lives on the stack of one PerformTransfer call.
struct Transfer {
  explicit Transfer(const FetcherOptions& o) : options(o) {}

  const FetcherOptions& options;
  CURL* easy = nullptr;
  FetchResult result;
  bool body_too_large = false;       // the write callback stopped the transfer
  bool wire_too_large = false;       // the write or progress callback stopped the transfer
  bool callback_failed = false;      // a callback ran out of memory
  char refused_ip[NI_MAXHOST] = {};  // the last address refused by the policy, numeric
  char error_buffer[CURL_ERROR_SIZE] = {};
};

std::string_view TrimHeaderValue(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() &&
         (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n')) {
    s.remove_suffix(1);
  }
  return s;
}

// Keeps the headers the caller needs; a status line starts a new response (after a 1xx).
void OnHeaderLine(std::string_view line, FetchResult* r) {
  if (line.starts_with("HTTP/")) {
    r->content_type.clear();
    r->etag.clear();
    r->last_modified.clear();
    r->retry_after.clear();
    return;
  }
  size_t colon = line.find(':');
  if (colon == std::string_view::npos) return;
  std::string_view name = TrimHeaderValue(line.substr(0, colon));
  std::string_view value = TrimHeaderValue(line.substr(colon + 1));
  if (EqualsIgnoreCase(name, "content-type")) {
    r->content_type = value;
  } else if (EqualsIgnoreCase(name, "etag")) {
    r->etag = value;
  } else if (EqualsIgnoreCase(name, "last-modified")) {
    r->last_modified = value;
  } else if (EqualsIgnoreCase(name, "retry-after")) {
    r->retry_after = value;
  }
}

size_t HeaderCallback(char* data, size_t size, size_t count, void* userdata) {
  auto* t = static_cast<Transfer*>(userdata);
  size_t n = size * count;
  try {
    OnHeaderLine(std::string_view(data, n), &t->result);
  } catch (...) {
    t->callback_failed = true;
    return 0;
  }
  return n;
}

size_t WriteCallback(char* data, size_t size, size_t count, void* userdata) {
  auto* t = static_cast<Transfer*>(userdata);
  size_t n = size * count;
  if (t->result.body.size() + n > t->options.max_body_bytes) {
    t->body_too_large = true;
    return 0;
  }
  // The progress callback runs only after curl has drained the socket; this one runs per
  // decoded piece, so checking the wire count here keeps the overshoot small.
  curl_off_t wire = 0;
  if (curl_easy_getinfo(t->easy, CURLINFO_SIZE_DOWNLOAD_T, &wire) == CURLE_OK && wire > 0 &&
      static_cast<uint64_t>(wire) > t->options.max_wire_bytes) {
    t->wire_too_large = true;
    return 0;
  }
  try {
    t->result.body.append(data, n);
  } catch (...) {
    t->callback_failed = true;
    return 0;
  }
  return n;
}

int ProgressCallback(void* clientp, curl_off_t /*dltotal*/, curl_off_t dlnow,
                     curl_off_t /*ultotal*/, curl_off_t /*ulnow*/) {
  auto* t = static_cast<Transfer*>(clientp);
  if (dlnow > 0 && static_cast<uint64_t>(dlnow) > t->options.max_wire_bytes) {
    t->wire_too_large = true;
    return 1;  // aborts with CURLE_ABORTED_BY_CALLBACK
  }
  return 0;
}

// Vets each address before curl connects to it; a refused one counts as a failed attempt, so
// curl moves on to the host's next address.
curl_socket_t OpenSocketCallback(void* clientp, curlsocktype purpose, curl_sockaddr* address) {
  auto* t = static_cast<Transfer*>(clientp);
  if (purpose == CURLSOCKTYPE_IPCXN) {
    sockaddr_storage storage{};
    size_t length = std::min<size_t>(address->addrlen, sizeof(storage));
    std::memcpy(&storage, &address->addr, length);
    if (!IsPublicAddress(reinterpret_cast<const sockaddr*>(&storage))) {
      // NI_NUMERICHOST: formats, never looks up.
      if (getnameinfo(reinterpret_cast<const sockaddr*>(&storage), static_cast<socklen_t>(length),
                      t->refused_ip, sizeof(t->refused_ip), nullptr, 0, NI_NUMERICHOST) != 0) {
        std::strcpy(t->refused_ip, "?");
      }
      return CURL_SOCKET_BAD;
    }
  }
  return socket(address->family, address->socktype | SOCK_CLOEXEC, address->protocol);
}

// Returns the URL's scheme when `url` starts with one ("scheme:"), else an empty view.
std::string_view LeadingScheme(std::string_view url) {
  if (url.empty() || !std::isalpha(static_cast<unsigned char>(url[0]))) return {};
  for (size_t i = 1; i < url.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(url[i]);
    if (c == ':') return url.substr(0, i);
    if (!std::isalnum(c) && c != '+' && c != '-' && c != '.') return {};
  }
  return {};
}

// Parses and checks `url` into `*parsed`; returns kNone or the failure, with `*error` set.
FetchFailure ParseUrl(const std::string& url, CurlUrl* parsed, std::string* error) {
  std::string_view scheme = LeadingScheme(url);
  if (scheme.empty()) {
    *error = "not an absolute URL";
    return FetchFailure::kBadUrl;
  }
  if (!EqualsIgnoreCase(scheme, "http") && !EqualsIgnoreCase(scheme, "https")) {
    *error = "unsupported scheme '" + WithoutLineBreaks(scheme) + "'";
    return FetchFailure::kUnsupportedScheme;
  }
  // RFC 3986: an authority follows "//". libcurl, like browsers, would read "http:///a/b" and
  // "http:a" as naming hosts "a".
  std::string_view rest = std::string_view(url).substr(scheme.size() + 1);
  if (!rest.starts_with("//") || rest.size() == 2 || rest.find_first_of("/?#", 2) == 2) {
    *error = "URL has no host";
    return FetchFailure::kBadUrl;
  }
  parsed->reset(curl_url());
  if (*parsed == nullptr) throw std::bad_alloc();
  CURLUcode rc = curl_url_set(parsed->get(), CURLUPART_URL, url.c_str(), 0);
  if (rc != CURLUE_OK) {
    *error = std::string("malformed URL: ") + curl_url_strerror(rc);
    return FetchFailure::kBadUrl;
  }
  char* host = nullptr;
  rc = curl_url_get(parsed->get(), CURLUPART_HOST, &host, 0);
  CurlString owned_host(host);
  if (rc != CURLUE_OK || host == nullptr || host[0] == '\0') {
    *error = "URL has no host";
    return FetchFailure::kBadUrl;
  }
  return FetchFailure::kNone;
}

// Applies options and callbacks to `easy`; returns the first setopt error. A non-null
// `post_body` makes the request a POST of that body (not copied: it outlives the transfer).
CURLcode Configure(CURL* easy, CURLU* url, curl_slist* headers, const std::string* post_body,
                   Transfer* t) {
  const FetcherOptions& o = t->options;
  CURLcode rc = CURLE_OK;
  auto set = [&](CURLoption option, auto value) {
    if (rc == CURLE_OK) rc = curl_easy_setopt(easy, option, value);
  };
  set(CURLOPT_CURLU, url);
  set(CURLOPT_PROTOCOLS_STR, "http,https");
  set(CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  set(CURLOPT_FOLLOWLOCATION, 0L);
  set(CURLOPT_PROXY, "");  // ignore proxy environment variables
  set(CURLOPT_NOSIGNAL, 1L);
  set(CURLOPT_ERRORBUFFER, t->error_buffer);
  set(CURLOPT_USERAGENT, o.user_agent.c_str());
  set(CURLOPT_ACCEPT_ENCODING, "");  // every encoding this libcurl decodes
  if (post_body != nullptr) {
    set(CURLOPT_POST, 1L);
    set(CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(post_body->size()));
    set(CURLOPT_POSTFIELDS, post_body->data());
  }
  set(CURLOPT_HTTPHEADER, headers);
  set(CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(o.connect_timeout_ms));
  set(CURLOPT_TIMEOUT_MS, static_cast<long>(o.timeout_ms));
  constexpr uint64_t kMaxOff = std::numeric_limits<curl_off_t>::max();
  if (o.max_wire_bytes > 0) {  // 0 would mean "no limit" to curl
    set(CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(std::min(o.max_wire_bytes, kMaxOff)));
  }
  set(CURLOPT_HEADERFUNCTION, HeaderCallback);
  set(CURLOPT_HEADERDATA, static_cast<void*>(t));
  set(CURLOPT_WRITEFUNCTION, WriteCallback);
  set(CURLOPT_WRITEDATA, static_cast<void*>(t));
  set(CURLOPT_NOPROGRESS, 0L);
  set(CURLOPT_XFERINFOFUNCTION, ProgressCallback);
  set(CURLOPT_XFERINFODATA, static_cast<void*>(t));
  if (!o.allow_private_addresses) {
    set(CURLOPT_OPENSOCKETFUNCTION, OpenSocketCallback);
    set(CURLOPT_OPENSOCKETDATA, static_cast<void*>(t));
  }
  return rc;
}

bool IsTlsError(CURLcode rc) {
  static constexpr CURLcode kTlsErrors[] = {
      CURLE_SSL_CONNECT_ERROR,   CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM,
      CURLE_SSL_CIPHER,          CURLE_SSL_CACERT_BADFILE,       CURLE_SSL_CRL_BADFILE,
      CURLE_SSL_ISSUER_ERROR,    CURLE_SSL_PINNEDPUBKEYNOTMATCH, CURLE_SSL_INVALIDCERTSTATUS,
      CURLE_SSL_ENGINE_NOTFOUND, CURLE_SSL_ENGINE_SETFAILED,     CURLE_SSL_ENGINE_INITFAILED,
      CURLE_SSL_SHUTDOWN_FAILED, CURLE_SSL_CLIENTCERT,           CURLE_USE_SSL_FAILED,
  };
  return std::find(std::begin(kTlsErrors), std::end(kTlsErrors), rc) != std::end(kTlsErrors);
}

// Sets result.failure and result.error from curl's outcome.
void Classify(CURLcode rc, Transfer* t) {
  FetchResult& r = t->result;
  const FetcherOptions& o = t->options;
  if (rc == CURLE_OK) return;
  std::string detail = t->error_buffer[0] != '\0' ? t->error_buffer : curl_easy_strerror(rc);
  if (t->body_too_large) {
    r.failure = FetchFailure::kTooLarge;
    r.error = "body exceeds " + std::to_string(o.max_body_bytes) + " bytes after decoding";
  } else if (t->wire_too_large || rc == CURLE_FILESIZE_EXCEEDED) {
    r.failure = FetchFailure::kTooLarge;
    r.error = "body exceeds " + std::to_string(o.max_wire_bytes) + " bytes on the wire";
  } else if (rc == CURLE_COULDNT_CONNECT && t->refused_ip[0] != '\0') {
    r.failure = FetchFailure::kRefusedAddress;
    r.error = std::string("refused to connect to non-public address ") + t->refused_ip;
  } else if (rc == CURLE_OPERATION_TIMEDOUT) {
    r.failure = FetchFailure::kTimeout;
  } else if (rc == CURLE_COULDNT_RESOLVE_HOST) {
    r.failure = FetchFailure::kDns;
  } else if (rc == CURLE_COULDNT_CONNECT) {
    r.failure = FetchFailure::kConnect;
  } else if (IsTlsError(rc)) {
    r.failure = FetchFailure::kTls;
  } else if (rc == CURLE_URL_MALFORMAT) {
    r.failure = FetchFailure::kBadUrl;
  } else if (rc == CURLE_UNSUPPORTED_PROTOCOL) {
    r.failure = FetchFailure::kUnsupportedScheme;
  } else {
    r.failure = FetchFailure::kNetwork;
    if (t->callback_failed) detail = "out of memory";
  }
  if (r.error.empty()) r.error = WithoutLineBreaks(detail);
}

// Copies what curl knows about the finished transfer into the result.
void CollectInfo(CURL* easy, Transfer* t) {
  FetchResult& r = t->result;
  long status = 0;
  if (curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status) == CURLE_OK) {
    r.status = static_cast<int>(status);
  }
  char* ip = nullptr;
  if (curl_easy_getinfo(easy, CURLINFO_PRIMARY_IP, &ip) == CURLE_OK && ip != nullptr) {
    r.remote_ip = ip;
  }
  curl_off_t wire = 0;
  if (curl_easy_getinfo(easy, CURLINFO_SIZE_DOWNLOAD_T, &wire) == CURLE_OK && wire > 0) {
    r.wire_bytes = static_cast<uint64_t>(wire);
  }
  char* location = nullptr;
  if (r.status >= 300 && r.status < 400 &&
      curl_easy_getinfo(easy, CURLINFO_REDIRECT_URL, &location) == CURLE_OK &&
      location != nullptr) {
    r.location = location;
  }
}

}  // namespace

FetchResult PerformTransfer(const FetcherOptions& options, const std::string& url,
                            const std::vector<std::string>& header_lines,
                            const std::string* post_body) {
  Transfer t(options);
  CurlUrl parsed;
  t.result.failure = ParseUrl(url, &parsed, &t.result.error);
  if (t.result.failure != FetchFailure::kNone) return std::move(t.result);

  CurlSlist headers;
  for (const std::string& line : header_lines) {
    curl_slist* extended = curl_slist_append(headers.get(), line.c_str());
    if (extended == nullptr) throw std::bad_alloc();
    (void)headers.release();  // now owned by `extended`
    headers.reset(extended);
  }

  CurlEasy easy(curl_easy_init());
  if (easy == nullptr) throw std::bad_alloc();
  t.easy = easy.get();
  CURLcode rc = Configure(easy.get(), parsed.get(), headers.get(), post_body, &t);
  if (rc == CURLE_OK) rc = curl_easy_perform(easy.get());
  CollectInfo(easy.get(), &t);
  Classify(rc, &t);
  if (t.result.failure != FetchFailure::kNone) t.result.body.clear();
  return std::move(t.result);
}

}  // namespace palimpsest::cli
