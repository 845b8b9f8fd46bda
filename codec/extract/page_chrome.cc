#include "codec/extract/page_chrome.h"

#include <string>
#include <string_view>

#include "codec/extract/ascii_text.h"
#include "codec/extract/date_finder.h"

namespace palimpsest::text_internal {

namespace {

// Whole lines that are buttons, links or labels. Compared case-insensitively, with a trailing
// ':' ignored.
constexpr std::string_view kChromeLines[] = {
    "here's how you know",
    "here\u2019s how you know",
    "forgot password?",
    "forgot your password?",
    "sign in",
    "sign up",
    "log in",
    "log out",
    "login",
    "logout",
    "register",
    "subscribe",
    "menu",
    "main menu",
    "toggle navigation",
    "search",
    "close",
    "skip to main content",
    "skip to content",
    "skip navigation",
    "back to top",
    "top",
    "advertisement",
    "sponsored",
    "share",
    "print",
    "email",
    "e-mail",
    "tweet",
    "facebook",
    "twitter",
    "x",
    "linkedin",
    "instagram",
    "youtube",
    "pinterest",
    "reddit",
    "whatsapp",
    "flickr",
    "rss",
    "share this",
    "share this article",
    "share this story",
    "share this page",
    "copy link",
    "like us",
    "follow us",
    "connect with us",
    "public domain",
    "read more",
    "loading...",
    "remember me",
    "password",
    "username",
    "email address",
    "cookie settings",
    "accept cookies",
    "accept",
    "print friendly",
    "comments",
    "next",
    "previous",
    "view all",
    "show more",
    "load more",
    "video player",
    "listen",
    "listen to this article",
};

// Lines starting with these are site furniture: U.S. government banners, sign-in, cookie and
// maintenance notices, photo captions.
constexpr std::string_view kChromePrefixes[] = {
    "an official website of the",
    "a .mil website belongs",
    "a .gov website belongs",
    "official websites use .mil",
    "official websites use .gov",
    "secure .mil websites use",
    "secure .gov websites use",
    "a lock (",
    "a lock icon",
    "maintenance window",
    "scheduled maintenance",
    "site maintenance",
    "photo by ",
    "photo courtesy",
    "photo credit",
    "image credit",
    "image courtesy",
    "(e.g. ",
    "we use cookies",
    "this site uses cookies",
    "this website uses cookies",
    "by continuing to use",
    "skip to ",
    "follow us on ",
    "like us on ",
    "share on ",
    "share via ",
    "sign up for",
    "subscribe to our",
    "click here to",
    "download high-resolution",
    "download hi-res",
};

// Fragments that mark furniture wherever they occur in a line.
constexpr std::string_view kChromeFragments[] = {
    "website belongs to an official",
    "means you\u2019ve safely connected",
    "means you've safely connected",
    "yourname@",
    "read more read more",
};

// Ends of the article text. Compared like kChromeLines.
constexpr std::string_view kSoftTrailers[] = {
    "like us",          "follow us", "connect with us", "share this", "share this article",
    "share this story", "news info", "photo info",      "video info", "tags",
};
constexpr std::string_view kHardTrailers[] = {
    "related",
    "related stories",
    "related articles",
    "related news",
    "related content",
    "related links",
    "more stories",
    "more news",
    "more articles",
    "latest news",
    "most popular",
    "most read",
    "trending",
    "recommended",
    "recommended for you",
    "you may also like",
    "you might also like",
    "read next",
    "up next",
    "comments",
    "leave a comment",
    "leave a reply",
    "about the author",
};

constexpr std::string_view kMetadataKeys[] = {
    "date taken",   "date posted", "date published", "release date", "story id",
    "photo id",     "video id",    "virin",          "web views",    "downloads",
    "podcast hits", "location",    "hometown",       "category",     "hometowns",
};
constexpr std::string_view kLooseMetadataKeys[] = {"location", "hometown", "hometowns", "category"};

std::string_view WithoutTrailingColon(std::string_view s) {
  if (!s.empty() && s.back() == ':') s.remove_suffix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return s;
}

template <size_t N>
bool EqualsAny(std::string_view line, const std::string_view (&list)[N]) {
  std::string_view s = WithoutTrailingColon(line);
  for (std::string_view item : list) {
    if (EqualsIgnoreCase(s, item)) return true;
  }
  return false;
}

bool EndsWithSentencePunctuation(std::string_view s) {
  return !s.empty() && (s.back() == '.' || s.back() == '!' || s.back() == '?');
}

// "Home : Media : News : News Article View", "News > World > Asia": two or more of the same
// separator between short segments.
bool IsBreadcrumb(std::string_view line) {
  if (line.size() > 160 || EndsWithSentencePunctuation(line)) return false;
  for (std::string_view sep : {" : ", " > ", " \u00BB ", " \u203A ", " / "}) {
    size_t count = 0, start = 0;
    bool short_segments = true;
    for (;;) {
      size_t pos = line.find(sep, start);
      std::string_view segment =
          line.substr(start, pos == std::string_view::npos ? std::string_view::npos : pos - start);
      short_segments = short_segments && !segment.empty() && WordCount(segment) <= 5;
      if (pos == std::string_view::npos) break;
      ++count;
      start = pos + sep.size();
    }
    if (count >= 2 && short_segments) return true;
  }
  return false;
}

}  // namespace

bool IsChromeLine(std::string_view line) {
  if (EqualsAny(line, kChromeLines)) return true;
  for (std::string_view p : kChromePrefixes) {
    if (StartsWithIgnoreCase(line, p)) return true;
  }
  const std::string lower = AsciiLowerCopy(line);
  for (std::string_view f : kChromeFragments) {
    if (lower.find(f) != std::string::npos) return true;
  }
  if (EndsWithIgnoreCase(line, "read more") || EndsWithIgnoreCase(line, "read more...")) {
    return true;
  }
  // "Defense Visual Information Distribution Service Logo": the alt text of a site logo.
  if (WordCount(line) <= 10 &&
      (EqualsIgnoreCase(line, "logo") || EndsWithIgnoreCase(line, " logo"))) {
    return true;
  }
  // "ArticleCS - Article View": the name of a content-management view, shown by mistake.
  if (WordCount(line) <= 6 && lower.find("article view") != std::string::npos) return true;
  return IsBreadcrumb(line);
}

TrailerKind ClassifyTrailer(std::string_view line) {
  if (EqualsAny(line, kHardTrailers)) return TrailerKind::kHard;
  if (EqualsAny(line, kSoftTrailers)) return TrailerKind::kSoft;
  if (StartsWithIgnoreCase(line, "more from ") && WordCount(line) <= 6) return TrailerKind::kHard;
  if (StartsWithIgnoreCase(line, "follow us on ") || StartsWithIgnoreCase(line, "like us on ")) {
    return TrailerKind::kSoft;
  }
  return TrailerKind::kNone;
}

bool IsTeaserLine(std::string_view line) {
  DateMatch m;
  if (!FindDate(line, 0, &m) || m.begin != 0 || m.year == 0) return false;
  std::string_view rest = line.substr(m.end);
  while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
  if (rest.starts_with("-")) {
    rest.remove_prefix(1);
  } else if (rest.starts_with("\u2013") || rest.starts_with("\u2014")) {
    rest.remove_prefix(3);
  } else {
    return false;
  }
  while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
  return !rest.empty();
}

bool ParseMetadataLine(std::string_view line, std::string* key, std::string_view* value) {
  size_t colon = line.find(':');
  if (colon == std::string_view::npos) return false;
  std::string_view k = line.substr(0, colon);
  for (std::string_view known : kMetadataKeys) {
    if (EqualsIgnoreCase(k, known)) {
      *key = std::string(known);
      std::string_view v = line.substr(colon + 1);
      while (!v.empty() && v.front() == ' ') v.remove_prefix(1);
      *value = v;
      return true;
    }
  }
  return false;
}

bool IsPanelOnlyKey(std::string_view key) {
  for (std::string_view loose : kLooseMetadataKeys) {
    if (key == loose) return false;
  }
  return true;
}

}  // namespace palimpsest::text_internal
