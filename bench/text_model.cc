#include "bench/text_model.h"

#include <boost/json.hpp>
#include <cctype>
#include <fstream>
#include <unordered_map>

namespace palimpsest::bench {

namespace {

bool IsWordChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '\'' || c == '-';
}

void AppendWords(const std::string& text, std::vector<std::string>* out) {
  size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && !IsWordChar(text[i])) ++i;
    size_t begin = i;
    while (i < text.size() && IsWordChar(text[i])) ++i;
    if (i == begin) continue;
    bool has_alnum = false;
    for (size_t k = begin; k < i; ++k)
      has_alnum |= std::isalnum(static_cast<unsigned char>(text[k])) != 0;
    if (!has_alnum) continue;
    std::string word = text.substr(begin, i - begin);
    if (i < text.size() && text[i] == ',') word += ',';
    out->push_back(std::move(word));
  }
}

size_t Below(std::mt19937_64& engine, size_t n) {
  return n == 0 ? 0 : static_cast<size_t>(engine() % n);
}

}  // namespace

std::optional<TextModel> TextModel::FromJsonLines(const std::string& path, std::string* error) {
  std::ifstream in(path);
  if (!in) {
    *error = "cannot read " + path;
    return std::nullopt;
  }
  std::vector<std::string> texts;
  std::string line;
  while (std::getline(in, line)) {
    boost::json::error_code ec;
    boost::json::value v = boost::json::parse(line, ec);
    if (ec || !v.is_object()) continue;
    const boost::json::value* body = v.as_object().if_contains("body");
    if (body != nullptr && body->is_string()) texts.emplace_back(body->as_string());
  }
  TextModel model = Train(texts);
  if (model.words() < 1000) {
    *error =
        path + " holds too little prose to train on (" + std::to_string(model.words()) + " words)";
    return std::nullopt;
  }
  return model;
}

TextModel TextModel::Train(const std::vector<std::string>& texts) {
  TextModel m;
  for (const std::string& t : texts) AppendWords(t, &m.words_);
  std::unordered_map<std::string, uint32_t> ids;
  std::vector<uint32_t> seq;
  seq.reserve(m.words_.size());
  for (const std::string& w : m.words_) {
    auto [it, added] = ids.emplace(w, static_cast<uint32_t>(m.vocabulary_.size()));
    if (added) m.vocabulary_.push_back(w);
    seq.push_back(it->second);
  }
  for (size_t i = 0; i + 2 < seq.size(); ++i) {
    auto& next = m.next_[{seq[i], seq[i + 1]}];
    if (next.empty()) m.keys_.push_back({seq[i], seq[i + 1]});
    next.push_back(seq[i + 2]);
  }
  return m;
}

std::string TextModel::Sentence(std::mt19937_64& engine) const {
  if (keys_.empty()) return "Nothing to say.";
  auto [a, b] = keys_[Below(engine, keys_.size())];
  std::vector<uint32_t> out{a, b};
  const size_t target = 12 + Below(engine, 21);
  while (out.size() < target) {
    auto it = next_.find({out[out.size() - 2], out.back()});
    if (it == next_.end()) break;
    out.push_back(it->second[Below(engine, it->second.size())]);
  }
  std::string s;
  for (uint32_t id : out) {
    if (!s.empty()) s += ' ';
    s += vocabulary_[id];
  }
  s[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(s[0])));
  while (!s.empty() && (s.back() == ',' || s.back() == '-' || s.back() == '\'')) s.pop_back();
  s += '.';
  return s;
}

std::string TextModel::Word(std::mt19937_64& engine) const {
  if (words_.empty()) return "word";
  std::string w = words_[Below(engine, words_.size())];
  if (w.back() == ',') w.pop_back();
  return w;
}

}  // namespace palimpsest::bench
