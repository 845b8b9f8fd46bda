// palimpsest serve [--listen HOST:PORT] [--tokens FILE] [--threads N] [--max-body BYTES]
//                  [--max-connections N] [--max-connections-per-peer N] [--max-streams N]
//                  [--idle-timeout SECONDS] [--allowed-host NAME]... [--watch
//                  [--allow-private-addresses] [--hook-secret-file FILE]]
// palimpsest serve --hash-token  (the token on standard input)
//
// Serves the archive over HTTP (cli/http/server.h, routes in cli/http/routes.h). The archive is
// opened read-write once (the server holds the writer lock) and shared by every request; a
// background thread advances the asynchronous projections periodically and after each write.
// Concurrent writes are batched into one transaction each (palimpsest/commit_queue.h).
// With --watch it also runs the watch scheduler (cli/watch/watcher.h) until it stops.
// The first line on stdout is "listening on HOST:PORT" (the bound port, also for port 0).

#include <iterator>
#include <memory>
#include <optional>
#include <ostream>
#include <thread>

#include "cli/catch_up_loop.h"
#include "cli/cli_context.h"
#include "cli/http/headers.h"
#include "cli/http/server.h"
#include "cli/log_follower.h"
#include "cli/watch/watcher.h"

namespace palimpsest::cli {

namespace {

// Writes per group commit at most (one LMDB transaction, one fsync).
constexpr size_t kMaxGroupCommit = 256;

struct ServeFlags {
  std::string listen = "127.0.0.1:8080";
  std::string tokens;
  int threads = 2;
  uint64_t max_body = uint64_t{8} << 20;
  size_t max_connections = 1024;
  size_t max_per_peer = 640;
  size_t max_streams = 512;
  unsigned idle_timeout = 10;
  std::vector<std::string> allowed_hosts;
  bool hash_token = false;
  bool watch = false;
  bool allow_private_addresses = false;
  std::string hook_secret_file;
};

Status ParseListen(const std::string& listen, http::ServerOptions* options) {
  const size_t colon = listen.rfind(':');
  if (colon == std::string::npos) return Status::InvalidArgument("--listen must be HOST:PORT");
  std::string host = listen.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']')
    host = host.substr(1, host.size() - 2);
  const std::string port = listen.substr(colon + 1);
  if (port.empty() || port.size() > 5 ||
      port.find_first_not_of("0123456789") != std::string::npos || std::stoul(port) > 65535) {
    return Status::InvalidArgument("--listen: bad port '" + port + "'");
  }
  options->host = host.empty() ? "0.0.0.0" : host;
  options->port = static_cast<uint16_t>(std::stoul(port));
  return Status::OK();
}

// Prints the SHA-256 hex of the token read from standard input (one trailing newline dropped),
// so the secret never appears in argv, `ps` or shell history.
int HashToken(const CliContext& ctx) {
  std::string token((std::istreambuf_iterator<char>(*ctx.in)), std::istreambuf_iterator<char>());
  if (!token.empty() && token.back() == '\n') token.pop_back();
  if (!token.empty() && token.back() == '\r') token.pop_back();
  if (token.empty()) {
    return ctx.Fail(Status::InvalidArgument("--hash-token reads the token from standard input"));
  }
  *ctx.out << ToHex(Sha256(token)) << "\n";
  return 0;
}

int RunServe(const CliContext& ctx, const ServeFlags& flags) {
  if (flags.hash_token) return HashToken(ctx);
  http::ServerOptions options;
  if (Status s = ParseListen(flags.listen, &options); !s.ok()) return ctx.Fail(s);
  if (flags.threads < 1 || flags.threads > 64) {
    return ctx.Fail(Status::InvalidArgument("--threads must be between 1 and 64"));
  }
  options.threads = flags.threads;
  options.max_body = flags.max_body;
  options.max_connections = flags.max_connections;
  options.max_per_peer = flags.max_per_peer;
  options.max_streams = flags.max_streams;
  options.idle_timeout = std::chrono::seconds(flags.idle_timeout);
  options.allowed_hosts = http::AllowedHosts(options.host, flags.allowed_hosts);
  auto tokens = http::TokenStore::Load(flags.tokens);
  if (!tokens.ok()) return ctx.Fail(tokens.status());

  auto archive = ctx.OpenArchive(OpenMode::kReadWrite);
  if (!archive.ok()) return ctx.Fail(archive.status());
  http::ServeContext serve;
  serve.archive = archive->get();
  serve.tokens = std::move(tokens).value();
  CatchUpLoop catch_up(**archive, *ctx.err);
  serve.after_write = [&catch_up] { catch_up.Wake(); };
  CommitQueue committer(**archive, kMaxGroupCommit);
  serve.committer = &committer;

  http::Server server(serve, options);
  auto port = server.Listen();
  if (!port.ok()) return ctx.Fail(port.status());
  // A node of a shared log applies what the other nodes write (a new node first builds itself
  // from the whole log) and serves it from its own projections.
  std::optional<LogFollower> follower;
  if (!ctx.log_url.empty()) {
    follower.emplace(**archive, *ctx.err, [&] {
      serve.commits.Notify();
      catch_up.Wake();
    });
  }
  // The watch scheduler on a thread of its own, stopped with the server.
  std::unique_ptr<Watcher> watcher;
  std::thread watch_thread;
  if (flags.watch) {
    WatcherOptions watch_options;
    watch_options.fetch.allow_private_addresses = flags.allow_private_addresses;
    watch_options.schedule = serve.watch_schedule;
    watch_options.actor = ctx.settings.actor;
    auto secret = ReadHookSecret(flags.hook_secret_file);
    if (!secret.ok()) return ctx.Fail(secret.status());
    watch_options.hooks.secret = std::move(secret).value();
    watcher = std::make_unique<Watcher>(**archive, watch_options, WatchClock::System());
    serve.watching = true;
    watch_thread = std::thread([&] {
      Status run = watcher->Run([&](const WatchRound& round) {
        if (round.checks == 0) return;
        serve.commits.Notify();
        catch_up.Wake();
      });
      if (!run.ok())
        *ctx.err << "palimpsest: watch scheduler stopped: " << run.message() << std::endl;
    });
  }
  *ctx.out << "listening on " << options.host << ":" << *port << std::endl;
  if (!serve.tokens.configured()) {
    *ctx.err << "palimpsest: no --tokens file: the write API answers 403" << std::endl;
  }
  server.Run();
  if (watcher) {
    watcher->Stop();
    watch_thread.join();
  }
  follower.reset();
  *ctx.err << "palimpsest: stopped" << std::endl;
  return 0;
}

}  // namespace

void RegisterServeCommand(CLI::App& app, CliContext& ctx) {
  auto flags = std::make_shared<ServeFlags>();
  CLI::App* cmd =
      app.add_subcommand("serve", "Serve the archive over HTTP (JSON API, SSE, metrics)");
  cmd->add_option("--listen", flags->listen,
                  "HOST:PORT to listen on (default 127.0.0.1:8080; port 0: any)");
  cmd->add_option("--tokens", flags->tokens,
                  "Tokens file for the write API: lines `NAME SHA256-HEX-OF-TOKEN`");
  cmd->add_option("--threads", flags->threads, "Server threads (default 2)");
  cmd->add_option("--max-body", flags->max_body, "Largest request body in bytes (default 8 MiB)")
      ->check(CLI::PositiveNumber);
  cmd->add_option("--max-connections", flags->max_connections,
                  "Open connections at most (default 1024; over it: 503)")
      ->check(CLI::PositiveNumber);
  cmd->add_option("--max-connections-per-peer", flags->max_per_peer,
                  "Open connections from one address at most (default 640)")
      ->check(CLI::PositiveNumber);
  cmd->add_option("--max-streams", flags->max_streams,
                  "Open event streams at most (default 512; over it: 503)")
      ->check(CLI::PositiveNumber);
  cmd->add_option("--idle-timeout", flags->idle_timeout,
                  "Seconds a connection may take to send a request header, and an event stream "
                  "to accept a write (default 10)")
      ->check(CLI::Range(1u, 3600u));
  cmd->add_option("--allowed-host", flags->allowed_hosts,
                  "Also answer requests whose Host is NAME (repeatable; always: the listen "
                  "address, localhost, 127.0.0.1, ::1; without it, any host when listening on "
                  "0.0.0.0 or ::)");
  cmd->add_flag("--watch", flags->watch,
                "Run the watch scheduler too (as `watch run`; watches managed at /api/watches)");
  cmd->add_flag("--allow-private-addresses", flags->allow_private_addresses,
                "With --watch: fetch from loopback, private and link-local addresses");
  cmd->add_option("--hook-secret-file", flags->hook_secret_file,
                  "With --watch: the secret webhook deliveries are signed with");
  cmd->add_flag("--hash-token", flags->hash_token,
                "Print the SHA-256 hex of the token on standard input, for a tokens file line");
  cmd->callback([&ctx, flags] { ctx.run = [&ctx, flags] { return RunServe(ctx, *flags); }; });
}

}  // namespace palimpsest::cli
