// Which IP addresses the web watcher may connect to.
//
// The watcher fetches pages named by URLs that come from outside (feeds, redirects, users). A
// URL must not make it reach the machine it runs on or the network behind it: a host name can
// resolve (or be rebound) to 127.0.0.1, 10.0.0.5 or 169.254.169.254 (a cloud metadata
// service). The fetcher therefore vets every address at connect time with IsPublicAddress.
//
// Thread safety: pure functions.

#ifndef PALIMPSEST_CLI_WATCH_ADDRESS_POLICY_H_
#define PALIMPSEST_CLI_WATCH_ADDRESS_POLICY_H_

#include <sys/socket.h>

#include <string_view>

namespace palimpsest::cli {

// Returns whether `addr` (an AF_INET sockaddr_in or an AF_INET6 sockaddr_in6; the storage must
// be as large as its family says) is a globally reachable unicast address. False for nullptr,
// for any other family and for: loopback (127/8, ::1), unspecified (0.0.0.0, ::), "this
// network" 0/8, private (10/8, 172.16/12, 192.168/16, fc00::/7), shared CGNAT space
// 100.64/10, link-local (169.254/16, fe80::/10), IETF protocol assignments 192.0.0/24,
// benchmarking (198.18/15, 2001:2::/48), documentation (192.0.2/24, 198.51.100/24,
// 203.0.113/24, 2001:db8::/32, 3fff::/20), 6to4 relay anycast 192.88.99/24, multicast (224/4,
// ff00::/8), reserved and broadcast 240/4, site-local fec0::/10, discard-only 100::/64, Teredo
// 2001::/32, local-use NAT64 64:ff9b:1::/48, and every IPv6 address outside the global unicast
// 2000::/3 save the forms below. IPv6 forms that embed an IPv4 address are judged by that
// address: IPv4-mapped ::ffff:a.b.c.d, IPv4-translated ::ffff:0:a.b.c.d, IPv4-compatible
// ::a.b.c.d, NAT64 64:ff9b::/96 and 6to4 2002::/16 (the IPv4 in bits 16..47). Only reads
// `addr`; the port and the IPv6 scope are ignored.
bool IsPublicAddress(const struct sockaddr* addr);

// The same for a numeric address in text ("8.8.8.8", "2001:4860::8888", no brackets, no zone):
// false when `numeric_ip` is not one (inet_pton refuses it).
bool IsPublicAddress(std::string_view numeric_ip);

}  // namespace palimpsest::cli

#endif  // PALIMPSEST_CLI_WATCH_ADDRESS_POLICY_H_
