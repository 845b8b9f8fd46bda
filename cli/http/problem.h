// HTTP types shared by the server's files, and errors as RFC 9457 problem documents
// (application/problem+json: {type, title, status, detail}, plus extra members).
//
// Status codes map as: InvalidArgument → 400, NotFound → 404, Conflict → 409 (412 when the
// request stated If-Match), Corruption → 500, IOError → 503, anything else → 500.

#ifndef PALIMPSEST_CLI_HTTP_PROBLEM_H_
#define PALIMPSEST_CLI_HTTP_PROBLEM_H_

#include <boost/beast/http.hpp>
#include <boost/json.hpp>
#include <string_view>

#include "palimpsest/status.h"

namespace palimpsest::cli::http {

namespace bhttp = boost::beast::http;
using Request = bhttp::request<bhttp::string_body>;
using Response = bhttp::response<bhttp::string_body>;

// A response with `body` as its content and `content_type`.
Response TextResponse(bhttp::status status, std::string body, std::string_view content_type);
// `value` serialized, application/json.
Response JsonResponse(bhttp::status status, const boost::json::value& value);

// A problem document; `extra` members are added beside type/title/status/detail.
Response Problem(bhttp::status status, std::string_view detail,
                 const boost::json::object& extra = {});

bhttp::status HttpStatusFor(const Status& status, bool if_match = false);
inline Response ProblemFor(const Status& status, bool if_match = false) {
  return Problem(HttpStatusFor(status, if_match), status.message());
}

}  // namespace palimpsest::cli::http

#endif  // PALIMPSEST_CLI_HTTP_PROBLEM_H_
