// ContentHash: the identity of a revision's content.
//
// The hash decides whether a capture is a new revision, so it must not depend on layout noise.
// Extractor output is already canonical, but content also arrives from importers and from
// people (corrections), so the fields are canonicalized here again (NFC, collapsed whitespace,
// paragraphs re-joined with "\n\n"); on canonical input this is the identity.

#include <string>
#include <string_view>
#include <vector>

#include "palimpsest/article.h"
#include "palimpsest/hash.h"

namespace palimpsest {

namespace {

// Bumped whenever the serialization below changes; old hashes then stop matching new ones
// instead of silently colliding with a different layout.
//   v2: updated_at left out: a page that re-stamps its "last modified" time without changing
//       its text has not been revised (that capture is an observation of the revision).
constexpr std::string_view kFormatTag = "palimpsest-content-v2";

std::string Nfc(std::string_view s) {
  Result<std::string> nfc = NormalizeNfc(s);
  // Invalid UTF-8 cannot come out of the extractor; for other sources hash the bytes as
  // given rather than fail, since a hash function has no error channel.
  return nfc.ok() ? std::move(nfc).value() : std::string(s);
}

std::string CanonicalLine(std::string_view s) { return CollapseWhitespace(Nfc(s)); }

std::string CanonicalBody(std::string_view body) {
  if (IsCanonicalBody(body)) return std::string(body);
  std::string out;
  for (const std::string& p : SplitParagraphs(Nfc(body))) {
    if (!out.empty()) out.append("\n\n");
    out.append(p);
  }
  return out;
}

}  // namespace

std::string ContentHash(const ArticleContent& content) {
  Sha256Builder b;
  b.UpdateField(kFormatTag);
  b.UpdateField(CanonicalLine(content.title));
  b.UpdateField(CanonicalLine(content.byline));
  b.UpdateField(std::to_string(content.published_at));
  b.UpdateField(CanonicalBody(content.body));
  b.UpdateField(std::to_string(content.notes.size()));
  for (const ArticleNote& note : content.notes) {
    b.UpdateField(CanonicalLine(note.text));
    b.UpdateField(std::to_string(note.effective_at));
  }
  // Fields added later, each tagged and only when present, so content without them keeps its
  // hash. Outlet, canonical URL, removed chrome and the updated time are not the article's
  // text.
  if (!content.dek.empty()) {
    b.UpdateField("dek");
    b.UpdateField(CanonicalLine(content.dek));
  }
  if (!content.dateline.empty()) {
    b.UpdateField("dateline");
    b.UpdateField(CanonicalLine(content.dateline));
  }
  return DigestToString(b.Finish());
}

}  // namespace palimpsest
