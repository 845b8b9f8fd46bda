// palimpsest restore FILE — an export (cli/json/export_format.h) loaded into an empty archive,
// every event with its original seq and hash, checked against the header's chain head.

#include "cli/cli_context.h"
#include "cli/json/export_format.h"
#include "cli/write_outcome.h"

namespace palimpsest::cli {

namespace {

int RunRestore(const CliContext& ctx, const std::string& path) {
  auto text = ReadInput(ctx, path);
  if (!text.ok()) return ctx.Fail(text.status());
  std::vector<AppendRequest> events;
  size_t line_no = 0;
  uint64_t declared = 0;
  std::string declared_head;
  size_t pos = 0;
  while (pos < text->size()) {
    size_t end = text->find('\n', pos);
    if (end == std::string::npos) end = text->size();
    std::string_view line(text->data() + pos, end - pos);
    pos = end + 1;
    ++line_no;
    if (line.empty()) continue;
    boost::system::error_code ec;
    boost::json::value value = boost::json::parse(line, ec);
    const std::string where = path + ":" + std::to_string(line_no);
    if (ec) return ctx.Fail(Status::InvalidArgument(where + ": not JSON (" + ec.message() + ")"));
    if (line_no == 1) {
      const auto* o = value.if_object();
      const auto* format = o ? o->if_contains("format") : nullptr;
      const auto* version = o ? o->if_contains("version") : nullptr;
      if (!format || !format->is_string() || format->get_string() != kExportFormat || !version ||
          !version->is_int64() || version->get_int64() != kExportVersion) {
        return ctx.Fail(Status::InvalidArgument(where + ": not a palimpsest export (version " +
                                                std::to_string(kExportVersion) + ") header"));
      }
      if (const auto* n = o->if_contains("events"); n && n->is_int64()) declared = n->get_int64();
      if (const auto* h = o->if_contains("head_hash"); h && h->is_string()) {
        declared_head = std::string(h->get_string());
      }
      continue;
    }
    auto request = ParseExportRecord(value);
    if (!request.ok()) return ctx.Fail(request.status().WithContext(where));
    events.push_back(std::move(request).value());
  }
  if (line_no == 0) return ctx.Fail(Status::InvalidArgument(path + " is empty"));
  if (events.size() != declared) {
    return ctx.Fail(Status::InvalidArgument(path + ": header declares " + std::to_string(declared) +
                                            " events, found " + std::to_string(events.size())));
  }
  Digest expected{};
  if (!DigestFromString(declared_head, &expected)) {
    return ctx.Fail(Status::InvalidArgument(path + ": the header has no valid head_hash"));
  }
  auto archive = ctx.OpenArchive(OpenMode::kReadWrite);
  if (!archive.ok()) return ctx.Fail(archive.status());
  if (Status s = (*archive)->Restore(std::move(events), &expected); !s.ok()) return ctx.Fail(s);
  CatchUpAfterWrite(ctx, **archive);
  auto head = (*archive)->Head();
  if (!head.ok()) return ctx.Fail(head.status());
  *ctx.out << "restored " << head->seq << " events; chain head " << DigestToString(head->hash)
           << "\n";
  return 0;
}

}  // namespace

void RegisterRestoreCommand(CLI::App& app, CliContext& ctx) {
  auto path = std::make_shared<std::string>();
  CLI::App* cmd = app.add_subcommand("restore", "Load an export into an empty archive");
  cmd->add_option("file", *path, "An export made by `palimpsest export` (- for stdin)")->required();
  cmd->callback([&ctx, path] { ctx.run = [&ctx, path] { return RunRestore(ctx, *path); }; });
}

}  // namespace palimpsest::cli
