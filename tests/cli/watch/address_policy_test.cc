// Tests IsPublicAddress on every range the policy refuses, their neighbours, the IPv6 forms
// that embed an IPv4 address, and the sockaddr overload.

#include "cli/watch/address_policy.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/un.h>

namespace palimpsest::cli {
namespace {

TEST(AddressPolicyTest, RefusesNonPublicIpv4) {
  for (const char* ip : {
           "127.0.0.1",   "127.255.255.254", "0.0.0.0",         "0.1.2.3",
           "10.0.0.1",    "10.255.255.255",  "172.16.0.1",      "172.31.255.255",
           "192.168.0.1", "192.168.255.255", "169.254.169.254", "169.254.0.1",
           "100.64.0.1",  "100.127.255.255", "224.0.0.1",       "239.255.255.250",
           "240.0.0.1",   "255.255.255.255", "198.18.0.1",      "198.19.255.255",
           "192.0.0.170", "192.0.2.1",       "198.51.100.1",    "203.0.113.1",
       }) {
    EXPECT_FALSE(IsPublicAddress(ip)) << ip;
  }
}

TEST(AddressPolicyTest, AcceptsPublicIpv4IncludingRangeNeighbours) {
  for (const char* ip : {
           "8.8.8.8",         "1.1.1.1",     "93.184.216.34",   "151.101.1.69",
           "9.255.255.255",   "11.0.0.0",    "172.15.255.255",  "172.32.0.0",
           "192.167.255.255", "192.169.0.0", "169.253.255.255", "169.255.0.0",
           "100.63.255.255",  "100.128.0.0", "198.17.255.255",  "198.20.0.0",
           "126.255.255.255", "128.0.0.0",   "223.255.255.255", "1.0.0.0",
       }) {
    EXPECT_TRUE(IsPublicAddress(ip)) << ip;
  }
}

TEST(AddressPolicyTest, RefusesNonPublicIpv6) {
  for (const char* ip : {
           "::1",
           "::",
           "fc00::1",
           "fd12:3456::1",
           "fe80::1",
           "febf::1",
           "fec0::1",
           "ff02::1",
           "ff05::1:3",
           "100::1",
           "2001:db8::1",
           "2001::1",
           "2001:2::1",
           "64:ff9b:1::1",
           "3fff::1",
           "1::1",
           "4000::1",
           "e000::1",
       }) {
    EXPECT_FALSE(IsPublicAddress(ip)) << ip;
  }
}

TEST(AddressPolicyTest, AcceptsPublicIpv6) {
  for (const char* ip : {"2606:4700:4700::1111", "2001:4860:4860::8888", "2a00:1450:4001::1",
                         "2001:4:112::1", "3ffe::1"}) {
    EXPECT_TRUE(IsPublicAddress(ip)) << ip;
  }
}

TEST(AddressPolicyTest, JudgesEmbeddedIpv4) {
  // IPv4-mapped, IPv4-translated and IPv4-compatible.
  EXPECT_FALSE(IsPublicAddress("::ffff:127.0.0.1"));
  EXPECT_FALSE(IsPublicAddress("::ffff:10.1.2.3"));
  EXPECT_FALSE(IsPublicAddress("::ffff:169.254.169.254"));
  EXPECT_TRUE(IsPublicAddress("::ffff:8.8.8.8"));
  EXPECT_FALSE(IsPublicAddress("::ffff:0:192.168.1.1"));
  EXPECT_TRUE(IsPublicAddress("::ffff:0:8.8.8.8"));
  EXPECT_FALSE(IsPublicAddress("::127.0.0.1"));
  EXPECT_TRUE(IsPublicAddress("::8.8.8.8"));
  // NAT64 64:ff9b::/96.
  EXPECT_FALSE(IsPublicAddress("64:ff9b::7f00:1"));
  EXPECT_FALSE(IsPublicAddress("64:ff9b::a9fe:a9fe"));
  EXPECT_TRUE(IsPublicAddress("64:ff9b::808:808"));
  // 6to4 2002::/16: the IPv4 follows the prefix.
  EXPECT_FALSE(IsPublicAddress("2002:7f00:1::1"));
  EXPECT_FALSE(IsPublicAddress("2002:c0a8:101::1"));
  EXPECT_TRUE(IsPublicAddress("2002:808:808::1"));
}

TEST(AddressPolicyTest, RefusesWhatIsNotANumericAddress) {
  for (const char* text : {"", "localhost", "example.org", "127.1", "0x7f.0.0.1", "2130706433",
                           "[::1]", "8.8.8.8 ", "1.2.3.4.5", "fe80::1%eth0"}) {
    EXPECT_FALSE(IsPublicAddress(text)) << text;
  }
  EXPECT_FALSE(IsPublicAddress(std::string_view("8.8.8.8\0x", 9)));
}

TEST(AddressPolicyTest, SockaddrOverload) {
  sockaddr_in v4{};
  v4.sin_family = AF_INET;
  v4.sin_port = htons(80);
  ASSERT_EQ(inet_pton(AF_INET, "8.8.8.8", &v4.sin_addr), 1);
  EXPECT_TRUE(IsPublicAddress(reinterpret_cast<const sockaddr*>(&v4)));
  ASSERT_EQ(inet_pton(AF_INET, "192.168.1.1", &v4.sin_addr), 1);
  EXPECT_FALSE(IsPublicAddress(reinterpret_cast<const sockaddr*>(&v4)));

  sockaddr_in6 v6{};
  v6.sin6_family = AF_INET6;
  ASSERT_EQ(inet_pton(AF_INET6, "2606:4700:4700::1111", &v6.sin6_addr), 1);
  EXPECT_TRUE(IsPublicAddress(reinterpret_cast<const sockaddr*>(&v6)));
  ASSERT_EQ(inet_pton(AF_INET6, "::ffff:127.0.0.1", &v6.sin6_addr), 1);
  EXPECT_FALSE(IsPublicAddress(reinterpret_cast<const sockaddr*>(&v6)));

  sockaddr_un unix_socket{};
  unix_socket.sun_family = AF_UNIX;
  EXPECT_FALSE(IsPublicAddress(reinterpret_cast<const sockaddr*>(&unix_socket)));
  EXPECT_FALSE(IsPublicAddress(static_cast<const sockaddr*>(nullptr)));
}

}  // namespace
}  // namespace palimpsest::cli
