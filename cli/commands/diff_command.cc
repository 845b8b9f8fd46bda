// palimpsest diff DOC [FROM [TO]] [--json] [--color auto|always|never]
//                              [--format text|unified|word]
//
// FROM and TO are revision numbers; FROM defaults to the revision before TO and TO to the
// current one, so `diff DOC` shows the latest change. Rev 0 names the empty article before rev 1:
// a document with one revision diffs against it (everything shows as added). Either order is
// allowed (`diff DOC 2 1` is the reverse). A redacted revision cannot be diffed (its content is
// no longer served): exit 2.
//
// Formats: "text" (default) — a header line then the article-aware diff (fields, edited
// paragraphs with word marks, notes, word totals); "unified" — GNU unified diff of the bodies
// only, nothing else, so `patch` applies it to FROM's body to give TO's; "word" — TO's body with
// git-style [-removed-]{+added+} marks. --color applies to "text" only.

#include <unistd.h>

#include <cstdlib>
#include <iostream>
#include <limits>
#include <memory>
#include <optional>
#include <ostream>
#include <string>

#include "cli/cli_context.h"
#include "cli/json/diff_json.h"
#include "cli/json/json_format.h"
#include "palimpsest/diff.h"

namespace palimpsest::cli {

namespace {

struct DiffFlags {
  std::string doc;
  std::string from;
  std::string to;
  bool json = false;
  std::string color = "auto";
  std::string format = "text";
};

// A revision's number as typed: digits only (else InvalidArgument). Values too large for a
// revision number saturate, so they fail the range check (not found) like any other absent rev.
Result<uint64_t> ParseRevArg(const char* name, const std::string& value) {
  if (value.empty() || value.find_first_not_of("0123456789") != std::string::npos) {
    return Status::InvalidArgument(std::string(name) + " must be a revision number, got '" + value +
                                   "'");
  }
  uint64_t n = 0;
  for (char c : value) {
    const uint64_t digit = static_cast<uint64_t>(c - '0');
    if (n > (std::numeric_limits<uint64_t>::max() - digit) / 10) {
      return std::numeric_limits<uint64_t>::max();
    }
    n = n * 10 + digit;
  }
  return n;
}

// One side of the diff: the revision's record and its content (empty for rev 0).
struct Side {
  uint64_t rev = 0;
  std::optional<RevisionInfo> info;  // absent for rev 0
  ArticleContent content;
};

// The side's text as the human views print it: control characters escaped
// (EscapeForTerminal) before diffing, so the only escape sequences printed are the colour marks.
void EscapeSideForTerminal(Side* side) {
  ArticleContent& c = side->content;
  for (std::string* s :
       {&c.title, &c.dek, &c.byline, &c.dateline, &c.body, &c.outlet, &c.canonical_url}) {
    *s = EscapeForTerminal(*s);
  }
  for (ArticleNote& n : c.notes) n.text = EscapeForTerminal(n.text);
  if (side->info) side->info->note = EscapeForTerminal(side->info->note);
}

Result<Side> LoadSide(Archive& archive, const std::string& doc, uint64_t rev) {
  Side side;
  side.rev = rev;
  if (rev == 0) return side;
  RevisionSelector selector;
  selector.rev = static_cast<uint32_t>(rev);
  auto view = archive.GetDocument(doc, selector);
  if (!view.ok()) return view.status();
  if (view->revision.redacted) {
    return Status::NotFound("document '" + doc + "': rev " + std::to_string(rev) +
                            " is redacted: " + view->revision.redaction_reason);
  }
  side.info = std::move(view->revision);
  side.content = std::move(view->content);
  return side;
}

// "rev 2 (correction, stealth, effective …)"; rev 0 is "rev 0 (empty)".
std::string SideLabel(const Side& s, bool with_effective) {
  if (!s.info) return "rev 0 (empty)";
  std::string label = "rev " + std::to_string(s.rev) + " (" + s.info->kind;
  if (s.info->stealth) label += ", stealth";
  if (with_effective && s.info->effective_at != kNoTime) {
    label += ", effective " + FormatTimestamp(s.info->effective_at);
  }
  return label + ")";
}

std::string HeaderLine(const std::string& doc, const Side& from, const Side& to) {
  std::string line = "diff " + doc + " " + SideLabel(from, false) + " → " + SideLabel(to, true);
  if (to.info && !to.info->note.empty()) line += ": " + to.info->note;
  return line;
}

boost::json::object SideJson(const Side& s) {
  return DiffSideJson(s.rev, s.info ? &*s.info : nullptr);
}

bool UseColor(const CliContext& ctx, const std::string& mode) {
  if (mode == "always") return true;
  if (mode == "never") return false;
  // auto: only when our output is the process's stdout and that is a terminal; NO_COLOR
  // (https://no-color.org) turns it off.
  if (ctx.settings.no_color) return false;
  return ctx.out == &std::cout && isatty(STDOUT_FILENO) == 1;
}

int RunDiff(const CliContext& ctx, const DiffFlags& flags) {
  // Syntax first: a malformed revision is a usage error whatever the archive holds.
  std::optional<uint64_t> from_arg, to_arg;
  if (!flags.from.empty()) {
    auto n = ParseRevArg("FROM", flags.from);
    if (!n.ok()) return ctx.Fail(n.status());
    from_arg = *n;
  }
  if (!flags.to.empty()) {
    auto n = ParseRevArg("TO", flags.to);
    if (!n.ok()) return ctx.Fail(n.status());
    to_arg = *n;
  }

  auto archive = ctx.OpenArchive(OpenMode::kReadOnly);
  if (!archive.ok()) return ctx.Fail(archive.status());
  auto history = (*archive)->History(flags.doc);
  if (!history.ok()) return ctx.Fail(history.status());
  const uint64_t current = history->size();
  if (current == 0)
    return ctx.Fail(Status::NotFound("document '" + flags.doc + "' has no revision"));

  const uint64_t to = to_arg.value_or(current);
  const uint64_t from = from_arg.value_or(to == 0 ? 0 : to - 1);
  // Out of range names what was typed (a huge number is not echoed back saturated).
  auto check = [&](uint64_t rev, const std::string& typed) -> Status {
    if (rev <= current) return Status::OK();
    const std::string range =
        current == 1 ? "its only revision is 1" : "its revisions are 1–" + std::to_string(current);
    return Status::NotFound("document '" + flags.doc + "' has no rev " +
                            (typed.empty() ? std::to_string(rev) : typed) + " (" + range +
                            "; 0 is the empty article before rev 1)");
  };
  if (Status s = check(from, flags.from); !s.ok()) return ctx.Fail(s);
  if (Status s = check(to, flags.to); !s.ok()) return ctx.Fail(s);

  auto before = LoadSide(**archive, flags.doc, from);
  if (!before.ok()) return ctx.Fail(before.status());
  auto after = LoadSide(**archive, flags.doc, to);
  if (!after.ok()) return ctx.Fail(after.status());

  std::ostream& out = *ctx.out;
  if (flags.json) {
    const ArticleDiff diff = DiffArticles(before->content, after->content);
    boost::json::object o{{"id", flags.doc}, {"from", SideJson(*before)}, {"to", SideJson(*after)}};
    for (auto& [key, value] : ArticleDiffJson(diff)) o[key] = std::move(value);
    ctx.PrintJson(o);
    return 0;
  }
  if (flags.format == "unified") {
    UnifiedOptions options;
    options.before_label = flags.doc + "@rev " + std::to_string(from);
    options.after_label = flags.doc + "@rev " + std::to_string(to);
    out << RenderUnified(before->content.body, after->content.body, options);
    return 0;
  }
  EscapeSideForTerminal(&*before);
  EscapeSideForTerminal(&*after);
  if (flags.format == "word") {
    const std::string text = RenderWordDiff(before->content.body, after->content.body);
    out << text;
    if (!text.empty() && text.back() != '\n') out << "\n";
    return 0;
  }
  const bool color = UseColor(ctx, flags.color);
  const ArticleDiff diff = DiffArticles(before->content, after->content);
  const std::string header = HeaderLine(flags.doc, *before, *after);
  out << (color ? "\x1b[1m" + header + "\x1b[m" : header) << "\n\n";
  if (diff.empty()) {
    out << "(no changes)\n";
  } else {
    out << RenderArticleText(diff, color);
  }
  return 0;
}

}  // namespace

void RegisterDiffCommand(CLI::App& app, CliContext& ctx) {
  auto flags = std::make_shared<DiffFlags>();
  CLI::App* cmd = app.add_subcommand(
      "diff", "Show what changed between two revisions (default: the latest change)");
  cmd->add_option("doc", flags->doc, "Document id")->required();
  cmd->add_option("from", flags->from,
                  "Older revision (default: the one before TO; 0: the empty article)");
  cmd->add_option("to", flags->to, "Newer revision (default: the current one)");
  auto* json = cmd->add_flag("--json", flags->json,
                             "Print JSON: {id, from, to, fields, notes, body, words_added, "
                             "words_removed}");
  cmd->add_option("--color", flags->color,
                  "Colour the text format: auto (a terminal), always, never")
      ->check(CLI::IsMember({"auto", "always", "never"}));
  auto* format =
      cmd->add_option("--format", flags->format,
                      "text (article-aware), unified (patch-able, body only), word (body only)")
          ->check(CLI::IsMember({"text", "unified", "word"}));
  json->excludes(format);
  cmd->callback([&ctx, flags] { ctx.run = [&ctx, flags] { return RunDiff(ctx, *flags); }; });
}

}  // namespace palimpsest::cli
