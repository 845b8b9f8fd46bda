#include "cli/http/problem.h"

#include <string>

#include "cli/json/json_format.h"

namespace palimpsest::cli::http {

Response TextResponse(bhttp::status status, std::string body, std::string_view content_type) {
  Response res{status, 11};
  res.set(bhttp::field::content_type, content_type);
  res.body() = std::move(body);
  return res;
}

Response JsonResponse(bhttp::status status, const boost::json::value& value) {
  return TextResponse(status, SerializeJson(value), "application/json");
}

Response Problem(bhttp::status status, std::string_view detail, const boost::json::object& extra) {
  boost::json::object o{{"type", "about:blank"},
                        {"title", std::string(bhttp::obsolete_reason(status))},
                        {"status", static_cast<unsigned>(status)},
                        {"detail", detail}};
  for (const auto& [key, value] : extra) o[key] = value;
  return TextResponse(status, SerializeJson(o), "application/problem+json");
}

bhttp::status HttpStatusFor(const Status& status, bool if_match) {
  switch (status.code()) {
    case StatusCode::kOk:
      return bhttp::status::ok;
    case StatusCode::kInvalidArgument:
      return bhttp::status::bad_request;
    case StatusCode::kNotFound:
      return bhttp::status::not_found;
    case StatusCode::kConflict:
      return if_match ? bhttp::status::precondition_failed : bhttp::status::conflict;
    case StatusCode::kIOError:
      return bhttp::status::service_unavailable;
    case StatusCode::kCorruption:
      break;
  }
  return bhttp::status::internal_server_error;
}

}  // namespace palimpsest::cli::http
