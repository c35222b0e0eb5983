// Copyright 2026 The trustsim Authors.
//
// self_test.h
// -----------------------------------------------------------------------------
//
// Known-answer tests of the protocol crypto, run by `trustsim selfcheck`. They
// answer one question on a user's machine: does this build, on this OpenSSL,
// compute exactly what Windows, Samba, MIT and impacket compute? One vector per
// primitive, from RFC 3961/3962/4757, Samba's unit tests and the derived
// Netlogon vectors of protocol-facts.md §8. The full vector sets live in
// tests/.

#ifndef TRUSTSIM_PROTOCOL_SELF_TEST_H_
#define TRUSTSIM_PROTOCOL_SELF_TEST_H_

#include <string>
#include <vector>

namespace trustsim {

struct SelfTestResult {
  std::string name;
  bool passed = false;
  // On failure, what was expected and what was computed.
  std::string detail;
};

std::vector<SelfTestResult> RunProtocolSelfTests();

}  // namespace trustsim

#endif  // TRUSTSIM_PROTOCOL_SELF_TEST_H_
