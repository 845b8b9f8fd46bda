// schema.org JSON-LD article descriptions (see json_ld.h), read with Boost.JSON without
// exceptions: parse errors come back as error codes and every access is checked (if_*).

#include "codec/extract/html/json_ld.h"

#include <boost/json.hpp>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace palimpsest::html_internal {

namespace {

namespace json = boost::json;

std::string_view View(const json::string& s) { return std::string_view(s.data(), s.size()); }

// Script text as pages write it: sometimes wrapped in an HTML comment or a CDATA section, and
// sometimes ended with a stray ';'.
std::string_view Unwrap(std::string_view s) {
  auto trim = [](std::string_view t) {
    while (!t.empty() &&
           (t.front() == ' ' || t.front() == '\n' || t.front() == '\r' || t.front() == '\t')) {
      t.remove_prefix(1);
    }
    while (!t.empty() && (t.back() == ' ' || t.back() == '\n' || t.back() == '\r' ||
                          t.back() == '\t' || t.back() == ';')) {
      t.remove_suffix(1);
    }
    return t;
  };
  s = trim(s);
  for (auto [open, close] : {std::pair<std::string_view, std::string_view>{"<!--", "-->"},
                             {"//<![CDATA[", "//]]>"},
                             {"<![CDATA[", "]]>"}}) {
    if (s.starts_with(open) && s.ends_with(close) && s.size() >= open.size() + close.size()) {
      s = trim(s.substr(open.size(), s.size() - open.size() - close.size()));
    }
  }
  return s;
}

class JsonLdReader {
 public:
  explicit JsonLdReader(const std::vector<std::string_view>& scripts) {
    json::parse_options options;
    options.allow_comments = true;
    options.allow_trailing_commas = true;
    for (std::string_view script : scripts) {
      std::string_view text = Unwrap(script);
      json::error_code ec;
      json::value v = json::parse(json::string_view(text.data(), text.size()), ec, {}, options);
      if (!ec) docs_.push_back(std::move(v));
    }
    // Index after all parsing is done: the pointers stay valid because docs_ no longer grows.
    for (const json::value& doc : docs_) IndexIds(doc);
  }

  bool Find(JsonLdArticle* article) const {
    for (const json::value& doc : docs_) {
      if (const json::object* found = FindArticle(doc, 0)) {
        Read(*found, article);
        return true;
      }
    }
    return false;
  }

 private:
  void IndexIds(const json::value& v) {
    if (const json::array* a = v.if_array()) {
      for (const json::value& e : *a) IndexIds(e);
    } else if (const json::object* o = v.if_object()) {
      const json::value* id = o->if_contains("@id");
      if (id != nullptr && id->is_string() && o->size() > 1) {
        ids_.emplace(std::string(View(id->get_string())), o);  // first definition wins
      }
      for (const auto& member : *o) IndexIds(member.value());
    }
  }

  // `v` itself, or the node it refers to when it is a bare {"@id": …} reference.
  const json::object* Resolve(const json::value& v) const {
    const json::object* o = v.if_object();
    if (o == nullptr) return nullptr;
    const json::value* id = o->if_contains("@id");
    if (o->size() == 1 && id != nullptr && id->is_string()) {
      auto it = ids_.find(std::string(View(id->get_string())));
      return it == ids_.end() ? o : it->second;
    }
    return o;
  }

  static bool IsArticleType(std::string_view type) {
    size_t cut = type.find_last_of("/:");
    if (cut != std::string_view::npos) type.remove_prefix(cut + 1);
    return type.ends_with("Article") || type == "BlogPosting" || type == "LiveBlogPosting";
  }

  static bool HasArticleType(const json::object& o) {
    const json::value* type = o.if_contains("@type");
    if (type == nullptr) return false;
    if (const json::string* s = type->if_string()) return IsArticleType(View(*s));
    if (const json::array* a = type->if_array()) {
      for (const json::value& t : *a) {
        if (t.is_string() && IsArticleType(View(t.get_string()))) return true;
      }
    }
    return false;
  }

  const json::object* FindArticle(const json::value& v, int depth) const {
    if (depth > 8) return nullptr;
    if (const json::array* a = v.if_array()) {
      for (const json::value& e : *a) {
        if (const json::object* found = FindArticle(e, depth + 1)) return found;
      }
      return nullptr;
    }
    const json::object* o = Resolve(v);
    if (o == nullptr) return nullptr;
    if (HasArticleType(*o)) return o;
    for (const char* key : {"@graph", "mainEntity"}) {
      if (const json::value* inner = o->if_contains(key)) {
        if (const json::object* found = FindArticle(*inner, depth + 1)) return found;
      }
    }
    return nullptr;
  }

  // A string member, or the first string of an array member; "" otherwise.
  static std::string Text(const json::object& o, const char* key) {
    const json::value* v = o.if_contains(key);
    if (v == nullptr) return "";
    if (const json::string* s = v->if_string()) return std::string(View(*s));
    if (const json::array* a = v->if_array()) {
      for (const json::value& e : *a) {
        if (e.is_string()) return std::string(View(e.get_string()));
      }
    }
    return "";
  }

  // Names of a person/organization value: a string, a node with "name", or an array of these.
  void Names(const json::value& v, std::vector<std::string>* out, int depth) const {
    if (depth > 4) return;
    std::string name;
    if (const json::string* s = v.if_string()) {
      name = std::string(View(*s));
    } else if (const json::array* a = v.if_array()) {
      for (const json::value& e : *a) Names(e, out, depth + 1);
      return;
    } else if (const json::object* o = Resolve(v)) {
      name = Text(*o, "name");
    }
    if (name.empty()) return;
    for (const std::string& seen : *out) {
      if (seen == name) return;
    }
    out->push_back(std::move(name));
  }

  void Corrections(const json::value& v, std::vector<JsonLdCorrection>* out, int depth) const {
    if (depth > 4) return;
    JsonLdCorrection c;
    if (const json::string* s = v.if_string()) {
      c.text = std::string(View(*s));
    } else if (const json::array* a = v.if_array()) {
      for (const json::value& e : *a) Corrections(e, out, depth + 1);
      return;
    } else if (const json::object* o = Resolve(v)) {
      c.text = Text(*o, "text");
      if (c.text.empty()) c.text = Text(*o, "description");
      c.date_published = Text(*o, "datePublished");
    }
    if (!c.text.empty()) out->push_back(std::move(c));
  }

  void Read(const json::object& o, JsonLdArticle* article) const {
    article->headline = Text(o, "headline");
    if (article->headline.empty()) article->headline = Text(o, "name");
    article->date_published = Text(o, "datePublished");
    article->date_modified = Text(o, "dateModified");
    article->description = Text(o, "description");
    article->url = Text(o, "url");
    article->in_language = Text(o, "inLanguage");
    if (const json::value* language = o.if_contains("inLanguage");
        language != nullptr && language->is_object()) {
      article->in_language = Text(language->get_object(), "alternateName");
    }
    if (const json::value* author = o.if_contains("author")) Names(*author, &article->authors, 0);
    if (const json::value* publisher = o.if_contains("publisher")) {
      std::vector<std::string> names;
      Names(*publisher, &names, 0);
      if (!names.empty()) article->publisher = names.front();
    }
    if (const json::value* c = o.if_contains("correction"))
      Corrections(*c, &article->corrections, 0);
  }

  std::vector<json::value> docs_;
  std::map<std::string, const json::object*> ids_;
};

}  // namespace

bool FindJsonLdArticle(const std::vector<std::string_view>& scripts, JsonLdArticle* article) {
  JsonLdReader reader(scripts);
  *article = JsonLdArticle{};
  return reader.Find(article);
}

}  // namespace palimpsest::html_internal
