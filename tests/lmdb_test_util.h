// Raw access to an archive's LMDB file, for tests that damage or age an archive the way only
// another program (or an older version of this one) could. Header-only: only test binaries that
// link LMDB include it.

#ifndef PALIMPSEST_TESTS_LMDB_TEST_UTIL_H_
#define PALIMPSEST_TESTS_LMDB_TEST_UTIL_H_

#include <gtest/gtest.h>
#include <lmdb.h>

#include <string>

namespace palimpsest::testing {

// Opens the LMDB environment in `dir` and runs `fn(txn)` in one write transaction, then commits.
template <typename Fn>
void WithLmdbTxn(const std::string& dir, Fn fn) {
  MDB_env* env = nullptr;
  ASSERT_EQ(mdb_env_create(&env), 0);
  mdb_env_set_maxdbs(env, 32);
  ASSERT_EQ(mdb_env_open(env, dir.c_str(), 0, 0644), 0);
  MDB_txn* txn = nullptr;
  ASSERT_EQ(mdb_txn_begin(env, nullptr, 0, &txn), 0);
  fn(txn);
  ASSERT_EQ(mdb_txn_commit(txn), 0);
  mdb_env_close(env);
}

}  // namespace palimpsest::testing

#endif  // PALIMPSEST_TESTS_LMDB_TEST_UTIL_H_
