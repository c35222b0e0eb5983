// Copyright 2026 The trustsim Authors.
//
// keytab_fuzzer.cc
// -----------------------------------------------------------------------------
//
// Fuzzes the MIT keytab codec (protocol/kerberos/keytab.h). Invariants, each
// an abort() when broken:
//
//   * a parse error is kOutOfRange, kInvalidArgument or kUnimplemented;
//   * ParseKeytab -> WriteKeytab -> ParseKeytab gives equal entries, and
//     writing those again gives the same file (WriteKeytab is canonical: no
//     holes, the 32-bit kvno present wherever it fits);
//   * every parsed key has the length its enctype requires.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "base/bytes.h"
#include "fuzz/fuzz_check.h"
#include "protocol/crypto/kerberos_key.h"
#include "protocol/kerberos/keytab.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace trustsim;  // NOLINT(google-build-using-namespace)
  using kerberos::KeytabEntry;
  const ByteView input(data, size);

  absl::StatusOr<std::vector<KeytabEntry>> first = kerberos::ParseKeytab(input);
  if (!first.ok()) {
    fuzz::CheckParseError("ParseKeytab", first.status());
    return 0;
  }
  for (const KeytabEntry& e : *first) {
    if (e.components.empty()) fuzz::Fail("ParseKeytab", "an entry without components");
    if (e.key.bytes.size() != crypto::KeyLength(e.key.type)) {
      fuzz::Fail("ParseKeytab", "a key of " + std::to_string(e.key.bytes.size()) + " bytes for " +
                                    crypto::EncTypeName(e.key.type));
    }
  }
  const Bytes written = kerberos::WriteKeytab(*first);
  absl::StatusOr<std::vector<KeytabEntry>> second = kerberos::ParseKeytab(written);
  if (!second.ok()) {
    fuzz::Fail("WriteKeytab", "its output does not parse: " + second.status().ToString());
  }
  if (*second != *first) fuzz::Fail("WriteKeytab", "its output parses to other entries");
  const Bytes rewritten = kerberos::WriteKeytab(*second);
  if (!fuzz::SameBytes(rewritten, written)) {
    fuzz::FailBytes("WriteKeytab", "is not stable", written, rewritten);
  }
  return 0;
}
