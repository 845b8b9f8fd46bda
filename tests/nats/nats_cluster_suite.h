// NatsClusterSuite: a GoogleTest fixture whose tests share one three-server JetStream cluster,
// started on 127.0.0.1 before the suite's first test and stopped after its last (CTest runs
// each test in a process of its own, so that is once per test there; a whole-binary run shares
// it). Each test keeps to streams of its own (TestStream).

#ifndef PALIMPSEST_TESTS_NATS_NATS_CLUSTER_SUITE_H_
#define PALIMPSEST_TESTS_NATS_NATS_CLUSTER_SUITE_H_

#include <gtest/gtest.h>

#include <cctype>
#include <string>

#include "nats/nats_cluster.h"
#include "test_util.h"

namespace palimpsest::testing {

class NatsClusterSuite : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    cluster_dir_ = new ScratchDir();
    cluster_ = NatsCluster::Start(cluster_dir_->Join("nats"), 3).release();
  }
  static void TearDownTestSuite() {
    delete cluster_;
    delete cluster_dir_;
    cluster_ = nullptr;
    cluster_dir_ = nullptr;
  }
  void SetUp() override { ASSERT_NE(cluster_, nullptr) << "the JetStream cluster did not start"; }

  // `prefix` and the running test's name, upper-cased: a JetStream stream prefix of its own.
  static std::string TestStream(const std::string& prefix) {
    std::string name = ::testing::UnitTest::GetInstance()->current_test_info()->name();
    for (char& c : name) {
      c = std::isalnum(static_cast<unsigned char>(c))
              ? static_cast<char>(std::toupper(static_cast<unsigned char>(c)))
              : '_';
    }
    return prefix + name;
  }

  static inline ScratchDir* cluster_dir_ = nullptr;
  static inline NatsCluster* cluster_ = nullptr;
};

}  // namespace palimpsest::testing

#endif  // PALIMPSEST_TESTS_NATS_NATS_CLUSTER_SUITE_H_
