// Scores the HTML extractor on a main-content evaluation set laid out like
// ../shared/extraction-eval (trafilatura's tests/eval): `DIR/evaldata.json` maps each page's URL
// to {"file", "with": [segments the main content holds], "without": [boilerplate segments]},
// and `DIR/html/FILE` holds the page's raw bytes as served.
//
// Scoring, exactly as the set's README describes: the extracted text of a page is its title,
// dek, body and notes; a segment is "found" when it is a substring of that text after
// whitespace is collapsed on both sides. `with` found = TP, missed = FN; `without` found = FP,
// absent = TN; a page that fails to extract, or is judged not to be an article, misses all its
// `with` segments (printed apart: "not articles" and "failed"). Counts are summed
// over pages; precision, recall, accuracy and F-score follow.
//
// Usage: extraction_eval DIR [--worst N] [--dump S] [--only S]
//   --worst N   list the N pages with the most missed `with` segments (default 10)
//   --dump S    print the extracted text of every page whose file name contains S
//   --only S    score only the pages whose file name contains S
// Prints the totals, the figures per language (the page's <html lang>, else "?"), and the
// extraction speed: MB of HTML per second of parse plus extraction on one core.

#include <algorithm>
#include <boost/json.hpp>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "codec/extract/html/html_extractor.h"
#include "palimpsest/article.h"

namespace {

using palimpsest::ArticleContent;

struct Counts {
  long tp = 0, fn = 0, fp = 0, tn = 0, pages = 0, failed = 0, not_articles = 0;
  void Add(const Counts& o) {
    tp += o.tp, fn += o.fn, fp += o.fp, tn += o.tn, pages += o.pages, failed += o.failed;
    not_articles += o.not_articles;
  }
  void Print(const char* label) const {
    double p = tp + fp == 0 ? 0 : double(tp) / double(tp + fp);
    double r = tp + fn == 0 ? 0 : double(tp) / double(tp + fn);
    double a = double(tp + tn) / double(std::max(1L, tp + fn + fp + tn));
    double f = p + r == 0 ? 0 : 2 * p * r / (p + r);
    std::printf(
        "%-8s pages %4ld  not articles %2ld  failed %2ld  precision %.3f  recall %.3f  accuracy "
        "%.3f  "
        "F %.3f\n",
        label, pages, not_articles, failed, p, r, a, f);
  }
};

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string Collapse(std::string_view text) { return palimpsest::CollapseWhitespace(text); }

// The page's declared language: the first two letters of <html lang=…>, else "?".
std::string PageLanguage(const std::string& raw) {
  size_t html = raw.find("<html");
  if (html == std::string::npos) html = raw.find("<HTML");
  if (html == std::string::npos) return "?";
  size_t end = raw.find('>', html);
  std::string tag = raw.substr(html, end == std::string::npos ? 200 : end - html);
  for (char& c : tag) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  size_t lang = tag.find(" lang=");
  if (lang == std::string::npos) lang = tag.find("xml:lang=");
  if (lang == std::string::npos) return "?";
  size_t start = tag.find('=', lang) + 1;
  while (start < tag.size() && (tag[start] == '"' || tag[start] == '\'')) ++start;
  std::string code = tag.substr(start, 2);
  return code.size() == 2 && std::isalpha(code[0]) && std::isalpha(code[1]) ? code : "?";
}

std::string ArticleText(const ArticleContent& c) {
  std::string text = c.title + "\n" + c.dek + "\n" + c.body;
  for (const auto& note : c.notes) text.append("\n").append(note.text);
  return text;
}

struct PageResult {
  std::string file;
  long missed = 0;
  long with = 0;
  std::string reason;
};

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: extraction_eval DIR [--worst N] [--dump S] [--only S]\n");
    return 2;
  }
  std::string dir = argv[1];
  size_t worst = 10;
  std::string dump;
  std::string only;
  for (int i = 2; i + 1 < argc; i += 2) {
    std::string flag = argv[i];
    if (flag == "--worst") worst = std::stoul(argv[i + 1]);
    if (flag == "--dump") dump = argv[i + 1];
    if (flag == "--only") only = argv[i + 1];
  }
  boost::json::error_code ec;
  boost::json::value eval = boost::json::parse(ReadFile(dir + "/evaldata.json"), ec);
  if (ec || !eval.is_object()) {
    std::fprintf(stderr, "extraction_eval: cannot read %s/evaldata.json\n", dir.c_str());
    return 2;
  }
  Counts total;
  std::map<std::string, Counts> by_language;
  std::vector<PageResult> pages;
  double seconds = 0;
  size_t bytes = 0;
  for (const auto& [url, entry] : eval.as_object()) {
    const boost::json::object& e = entry.as_object();
    std::string file(e.at("file").as_string());
    if (!only.empty() && file.find(only) == std::string::npos) continue;
    std::string raw = ReadFile(dir + "/html/" + file);
    auto start = std::chrono::steady_clock::now();
    auto extracted = palimpsest::ExtractHtml(raw, "", palimpsest::kNoTime);
    seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    bytes += raw.size();
    std::string text = extracted.ok() ? Collapse(ArticleText(*extracted)) : "";
    if (!dump.empty() && file.find(dump) != std::string::npos) {
      std::printf(
          "==== %s\n%s\n", file.c_str(),
          extracted.ok() ? ArticleText(*extracted).c_str() : extracted.status().message().c_str());
    }
    Counts c;
    c.pages = 1;
    bool not_article = !extracted.ok() && extracted.status().IsNotAnArticle();
    c.not_articles = not_article ? 1 : 0;
    c.failed = extracted.ok() || not_article ? 0 : 1;
    PageResult page{file, 0, 0, extracted.ok() ? "" : extracted.status().message()};
    for (const auto& s : e.at("with").as_array()) {
      bool found = extracted.ok() && text.find(Collapse(s.as_string())) != std::string::npos;
      (found ? c.tp : c.fn)++;
      page.missed += found ? 0 : 1;
      page.with++;
    }
    for (const auto& s : e.at("without").as_array()) {
      bool found = extracted.ok() && text.find(Collapse(s.as_string())) != std::string::npos;
      (found ? c.fp : c.tn)++;
    }
    total.Add(c);
    by_language[PageLanguage(raw)].Add(c);
    pages.push_back(std::move(page));
  }
  total.Print("all");
  for (const auto& [lang, c] : by_language) {
    if (c.pages >= 5) c.Print(lang.c_str());
  }
  std::printf("speed    %.1f MB/s (%zu bytes of HTML in %.2f s, parse and extraction)\n",
              double(bytes) / 1e6 / seconds, bytes, seconds);
  std::stable_sort(pages.begin(), pages.end(),
                   [](const PageResult& a, const PageResult& b) { return a.missed > b.missed; });
  for (size_t i = 0; i < std::min(worst, pages.size()); ++i) {
    std::printf("worst    %ld/%ld missed  %s %s\n", pages[i].missed, pages[i].with,
                pages[i].file.c_str(), pages[i].reason.c_str());
  }
  return 0;
}
