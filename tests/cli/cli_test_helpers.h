// Helpers shared by the CLI end-to-end tests (tests/cli/*_test.cc): an archive in a scratch
// directory that every command is pointed at with --data, JSON parsing with readable failures,
// and the sample-corpus scenario.

#ifndef PALIMPSEST_TESTS_CLI_CLI_TEST_HELPERS_H_
#define PALIMPSEST_TESTS_CLI_CLI_TEST_HELPERS_H_

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <cstdint>
#include <cstdlib>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "test_util.h"

namespace palimpsest::testing {

namespace json = boost::json;

// The corpus fixtures (tests/fixtures: five real articles and a correction scenario).
inline constexpr const char* kScenarioDoc = "001_c82fb13b72988b3d";
inline constexpr const char* kBeforeFixture = "001_c82fb13b72988b3d.before-correction.txt";
inline constexpr const char* kAfterFixture = "001_c82fb13b72988b3d.txt";
inline constexpr const char* kBeforeCaptured = "2023-07-20T12:00:00Z";
inline constexpr const char* kAfterCaptured = "2023-07-25T12:00:00Z";
inline const std::vector<std::string> kOtherDocs = {"000_99c9495df02aabac", "002_7e22955fd7e20ed8",
                                                    "003_bc5277d4b9ff88ba", "004_52689c8dd169f3e3"};

// How a RunResult printed, for failure messages.
inline std::string Describe(const RunResult& r) {
  return "exit " + std::to_string(r.exit_code) + "\n--- stdout ---\n" + r.out.substr(0, 4000) +
         "\n--- stderr ---\n" + r.err.substr(0, 4000);
}

// Parses one JSON document; a parse error is a test failure and gives null.
inline json::value ParseJson(std::string_view text) {
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec) {
    ADD_FAILURE() << "not JSON (" << ec.message() << "): " << text.substr(0, 2000);
    return nullptr;
  }
  return v;
}

// Parses JSON Lines (one object per non-empty line).
inline std::vector<json::value> ParseJsonLines(std::string_view text) {
  std::vector<json::value> lines;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    if (!line.empty()) lines.push_back(ParseJson(line));
    pos = end + 1;
  }
  return lines;
}

// Splits text into lines (without the "\n"); a trailing newline gives no empty last line.
inline std::vector<std::string> Lines(std::string_view text) {
  std::vector<std::string> lines;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    lines.emplace_back(text.substr(pos, end - pos));
    pos = end + 1;
  }
  return lines;
}

// `v[key]`, failing the test (and giving null) when v is not an object holding key.
inline const json::value& Field(const json::value& v, std::string_view key) {
  static const json::value kNull;
  const json::object* o = v.if_object();
  if (o == nullptr) {
    ADD_FAILURE() << "not a JSON object when looking for '" << key << "': " << json::serialize(v);
    return kNull;
  }
  const json::value* f = o->if_contains(key);
  if (f == nullptr) {
    ADD_FAILURE() << "no field '" << key << "' in " << json::serialize(v).substr(0, 2000);
    return kNull;
  }
  return *f;
}

inline bool Has(const json::value& v, std::string_view key) {
  return v.is_object() && v.get_object().contains(key);
}

// A string field; null gives "" (the CLI prints absent times as null); another type fails.
inline std::string Str(const json::value& v, std::string_view key) {
  const json::value& f = Field(v, key);
  if (f.is_null()) return "";
  if (!f.is_string()) {
    ADD_FAILURE() << "field '" << key << "' is not a string: " << json::serialize(f);
    return "";
  }
  return std::string(f.get_string());
}

inline bool IsNull(const json::value& v, std::string_view key) { return Field(v, key).is_null(); }

inline int64_t Int(const json::value& v, std::string_view key) {
  const json::value& f = Field(v, key);
  if (f.is_int64()) return f.get_int64();
  if (f.is_uint64()) return static_cast<int64_t>(f.get_uint64());
  ADD_FAILURE() << "field '" << key << "' is not an integer: " << json::serialize(f);
  return -1;
}

inline bool Bool(const json::value& v, std::string_view key) {
  const json::value& f = Field(v, key);
  if (!f.is_bool()) {
    ADD_FAILURE() << "field '" << key << "' is not a boolean: " << json::serialize(f);
    return false;
  }
  return f.get_bool();
}

inline const json::array& Arr(const json::value& v, std::string_view key) {
  static const json::array kEmpty;
  const json::value& f = Field(v, key);
  if (!f.is_array()) {
    ADD_FAILURE() << "field '" << key << "' is not an array: " << json::serialize(f);
    return kEmpty;
  }
  return f.get_array();
}

// Asserts the shape of a failure: the exit code, nothing on stdout (for commands that failed
// before printing), and exactly one line on stderr starting "palimpsest: ".
inline void ExpectOneLineError(const RunResult& r, int code) {
  EXPECT_EQ(r.exit_code, code) << Describe(r);
  EXPECT_EQ(r.out, "") << Describe(r);
  ASSERT_FALSE(r.err.empty()) << Describe(r);
  EXPECT_EQ(r.err.rfind("palimpsest: ", 0), 0u) << Describe(r);
  EXPECT_EQ(r.err.back(), '\n') << Describe(r);
  EXPECT_EQ(r.err.find('\n'), r.err.size() - 1) << "more than one line on stderr: " << Describe(r);
}

// True in ASan/TSan builds: their tests skip or shrink cases that only measure memory or push
// hundreds of megabytes through Debug-built code (the normal stage runs them in full).
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
inline constexpr bool kSanitized = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
inline constexpr bool kSanitized = true;
#else
inline constexpr bool kSanitized = false;
#endif
#else
inline constexpr bool kSanitized = false;
#endif

inline bool Contains(std::string_view haystack, std::string_view needle) {
  return haystack.find(needle) != std::string_view::npos;
}

// Sets an environment variable for the scope (RunCli's child inherits the environment).
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const std::string& value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    setenv(name, value.c_str(), 1);
  }
  ~ScopedEnv() {
    if (old_)
      setenv(name_, old_->c_str(), 1);
    else
      unsetenv(name_);
  }
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;

 private:
  const char* name_;
  std::optional<std::string> old_;
};

// An archive in its own scratch directory: <scratch>/data. Every command gets --data.
class CliArchive {
 public:
  const std::string& scratch() const { return dir_.path(); }
  std::string Join(const std::string& name) const { return dir_.Join(name); }
  std::string data() const { return dir_.Join("data"); }

  RunResult Run(std::vector<std::string> args, const std::string& stdin_data = "") const {
    args.insert(args.begin(), {"--data", data()});
    return RunCli(args, stdin_data);
  }

  // Runs a command that must succeed and print one JSON document.
  json::value Json(std::vector<std::string> args) const {
    RunResult r = Run(args);
    std::string cmd;
    for (const auto& a : args) cmd += a + " ";
    EXPECT_EQ(r.exit_code, 0) << cmd << "\n" << Describe(r);
    if (r.exit_code != 0) return nullptr;
    return ParseJson(r.out);
  }

  // Runs a command that must succeed; returns its stdout.
  std::string Ok(std::vector<std::string> args, const std::string& stdin_data = "") const {
    RunResult r = Run(args, stdin_data);
    std::string cmd;
    for (const auto& a : args) cmd += a + " ";
    EXPECT_EQ(r.exit_code, 0) << cmd << "\n" << Describe(r);
    return r.out;
  }

  // ingest <fixture> --json with the given extra flags; must succeed.
  json::value IngestFixture(const std::string& fixture, std::vector<std::string> extra = {}) const {
    std::vector<std::string> args = {"ingest", FixturePath(fixture), "--json"};
    args.insert(args.end(), extra.begin(), extra.end());
    return Json(args);
  }

  // ingest of arbitrary text (written to a file in the scratch dir) as doc `id`.
  json::value IngestText(const std::string& id, const std::string& text,
                         const std::string& captured, std::vector<std::string> extra = {}) const {
    std::string path = dir_.Join("input-" + std::to_string(counter_++) + ".txt");
    WriteFileOrDie(path, text);
    std::vector<std::string> args = {"ingest", path, "--id", id, "--captured", captured, "--json"};
    args.insert(args.end(), extra.begin(), extra.end());
    return Json(args);
  }

  // The correction scenario of the corpus README: 001 before its Editor's Note, then after.
  void IngestScenario() const {
    IngestFixture(kBeforeFixture, {"--id", kScenarioDoc, "--source", "airandspaceforces",
                                   "--captured", kBeforeCaptured});
    IngestFixture(kAfterFixture, {"--id", kScenarioDoc, "--source", "airandspaceforces",
                                  "--captured", kAfterCaptured});
  }

  // The other four corpus articles, each under its file-name id.
  void IngestOthers(const std::string& captured = "2024-12-15T09:00:00Z") const {
    for (const std::string& doc : kOtherDocs) {
      IngestFixture(doc + ".txt", {"--captured", captured, "--source", "src-" + doc.substr(0, 3)});
    }
  }

  std::vector<std::pair<std::string, std::string>> Snapshot() const {
    return SnapshotFiles(data());
  }

  size_t LogLength() const { return ParseJsonLines(Ok({"log", "--json"})).size(); }

 private:
  ScratchDir dir_;
  mutable int counter_ = 0;
};

// Three short paragraphs that the plain-text extractor accepts as an article.
inline std::string SampleArticle(const std::string& title = "Test Article About Orbital Debris",
                                 const std::string& extra_sentence = "") {
  return title + "\n\n" +
         "The space agency said on Tuesday that it had tracked more than thirty fragments of a "
         "decommissioned weather satellite in low Earth orbit." +
         extra_sentence + "\n\n" +
         "Officials said none of the fragments posed an immediate risk to crewed spacecraft, but "
         "that operators of nearby satellites had been notified.\n\n" +
         "The agency plans to publish an updated catalog of the debris next month.\n";
}

}  // namespace palimpsest::testing

#endif  // PALIMPSEST_TESTS_CLI_CLI_TEST_HELPERS_H_
