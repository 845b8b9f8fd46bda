// Memento (RFC 7089) for documents: the TimeGate GET /memento/{id} (Accept-Datetime, a strict
// IMF-fixdate, → 302 to the revision in effect then; the first revision for a time before
// it), the TimeMap GET /timemap/{id}
// (application/link-format, one memento per revision with its effective time), and the headers
// a revision URL carries (Memento-Datetime, Link to original, timegate and timemap).
//
// A memento (URI-M) is /api/documents/{id}?seq=S, S the seq of the event that introduced the
// revision: unlike ?rev=N, a reference no backfill renumbers.
//
// The "original resource" is the document's captured URL when it has one, else its API URL.

#include <ctime>
#include <iomanip>
#include <sstream>

#include "cli/http/headers.h"
#include "cli/http/routes.h"

namespace palimpsest::cli::http {

namespace {

using bhttp::status;

// RFC 7231 IMF-fixdate: "Sun, 06 Nov 1994 08:49:37 GMT".
std::string HttpDate(Timestamp t) {
  const std::time_t seconds = static_cast<std::time_t>(t / kMicrosPerSecond);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char buf[64];
  std::strftime(buf, sizeof(buf), "%a, %d %b %Y %H:%M:%S GMT", &tm);
  return buf;
}

Result<Timestamp> ParseHttpDate(const std::string& text) {
  std::tm tm{};
  std::istringstream in(text);
  in.imbue(std::locale::classic());
  in >> std::get_time(&tm, "%a, %d %b %Y %H:%M:%S GMT");
  const std::tm parsed = tm;
  const std::time_t seconds = in.fail() ? 0 : timegm(&tm);
  std::tm back{};
  gmtime_r(&seconds, &back);
  // Nothing may follow "GMT", and the date must exist (timegm turns 31 Feb into 3 Mar).
  const bool exists = back.tm_mday == parsed.tm_mday && back.tm_mon == parsed.tm_mon &&
                      back.tm_year == parsed.tm_year && back.tm_hour == parsed.tm_hour &&
                      back.tm_min == parsed.tm_min && back.tm_sec == parsed.tm_sec;
  if (in.fail() || in.peek() != std::char_traits<char>::eof() || !exists) {
    return Status::InvalidArgument(
        "Accept-Datetime must be an HTTP date such as "
        "'Tue, 25 Jul 2023 12:00:00 GMT', got '" +
        text + "'");
  }
  return static_cast<Timestamp>(seconds) * kMicrosPerSecond;
}

std::string ApiUrl(const std::string& doc) { return "/api/documents/" + doc; }

// Escaped for a link target: the stored URL is never put into a header or link line raw.
std::string OriginalUrl(const std::string& doc, const std::string& url) {
  return url.empty() ? ApiUrl(doc) : LinkTarget(url);
}

std::string LinkHeader(const std::string& doc, const std::string& url) {
  return "<" + OriginalUrl(doc, url) + ">; rel=\"original\", </memento/" + doc +
         ">; rel=\"timegate\", </timemap/" + doc +
         ">; rel=\"timemap\"; type=\"application/link-format\"";
}

}  // namespace

void AddMementoHeaders(Response& res, const DocumentView& view) {
  if (view.revision.effective_at != kNoTime) {
    res.set("Memento-Datetime", HttpDate(view.revision.effective_at));
  }
  res.set(bhttp::field::link, LinkHeader(view.id, view.url));
}

Response TimeGate(ServeContext& ctx, const Request& req, const std::string& doc) {
  RevisionSelector selector;
  const std::string accept(req["Accept-Datetime"]);
  if (!accept.empty()) {
    auto t = ParseHttpDate(accept);
    if (!t.ok()) return ProblemFor(t.status());
    selector.as_of = *t;
  }
  auto view = ctx.archive->GetDocument(doc, selector);
  if (!view.ok() && view.status().IsNotFound() && selector.as_of != kNoTime) {
    // Before the first memento: RFC 7089 practice is to send the client to the first one.
    RevisionSelector first;
    first.rev = 1;
    view = ctx.archive->GetDocument(doc, first);
  }
  if (!view.ok()) return ProblemFor(view.status());
  // view->id: the document, also when `doc` is an id merged into it.
  Response res{status::found, 11};
  res.set(bhttp::field::location, ApiUrl(view->id) + "?seq=" + std::to_string(view->revision.seq));
  res.set(bhttp::field::vary, "accept-datetime");
  res.set(bhttp::field::link, LinkHeader(view->id, view->url));
  return res;
}

Response TimeMap(ServeContext& ctx, const std::string& requested) {
  auto current = ctx.archive->GetDocument(requested, RevisionSelector{});
  if (!current.ok()) return ProblemFor(current.status());
  const std::string& doc = current->id;  // also when `requested` was merged into it
  auto history = ctx.archive->History(doc);
  if (!history.ok()) return ProblemFor(history.status());
  std::string body = "<" + OriginalUrl(doc, current->url) + ">; rel=\"original\",\n</timemap/" +
                     doc + ">; rel=\"self\"; type=\"application/link-format\",\n</memento/" + doc +
                     ">; rel=\"timegate\"";
  for (size_t i = 0; i < history->size(); ++i) {
    const RevisionInfo& r = (*history)[i];
    std::string rel = "memento";
    if (i == 0) rel = "first " + rel;
    if (i + 1 == history->size()) rel = "last " + rel;
    body += ",\n<" + ApiUrl(doc) + "?seq=" + std::to_string(r.seq) + ">; rel=\"" + rel + "\"";
    if (r.effective_at != kNoTime) body += "; datetime=\"" + HttpDate(r.effective_at) + "\"";
  }
  body += "\n";
  return TextResponse(status::ok, std::move(body), "application/link-format");
}

}  // namespace palimpsest::cli::http
