// Copyright 2026 The trustsim Authors.
//
// check_selector.h
// -----------------------------------------------------------------------------
//
// der_fuzzer and kerberos_message_fuzzer run one check per input: the first
// byte picks it (modulo the number of checks) and the rest is the DER. One
// parser per execution instead of every parser keeps each execution short,
// and libFuzzer still offers every input to every parser, since changing the
// first byte is one of its cheapest mutations. The seed corpus generator
// writes each seed behind the byte of the check it was made for.
//
// Example:
//
//   if (size < 1) return 0;
//   switch (PickCheck<KerberosCheck>(data[0])) { ... }

#ifndef TRUSTSIM_FUZZ_CHECK_SELECTOR_H_
#define TRUSTSIM_FUZZ_CHECK_SELECTOR_H_

#include <cstdint>

namespace trustsim::fuzz {

// der_fuzzer's checks (der_fuzzer.cc describes each).
enum class DerCheck : uint8_t {
  kWalk,
  kReadInteger,
  kReadInt32,
  kReadUint32,
  kReadBitString,
  kReadBoolean,
  kReadGeneralString,
  kReadKerberosTime,
  kReadOctetString,
  kConstructedReads,
  kKerberosTimeText,
  kPrincipalName,
  kEncryptedData,
  kPaData,
  kEncryptionKey,
  kPaEncTsEnc,
  kCount,
};

// kerberos_message_fuzzer's checks: a group of parsers that must agree
// (KDC-REQ, KDC reply) or one message's round trip.
enum class KerberosCheck : uint8_t {
  kKdcReq,
  kKdcReply,
  kApReq,
  kAuthenticator,
  kTicket,
  kEncTicketPart,
  kEncKdcRepPart,
  kEncryptionKey,
  kPaEncTsEnc,
  kEtypeInfo2,
  kMethodData,
  kEncryptedData,
  kPrincipalName,
  kPaData,
  kCount,
};

// The check that the first input byte `b` selects.
template <typename Check>
constexpr Check PickCheck(uint8_t b) {
  return static_cast<Check>(b % static_cast<uint8_t>(Check::kCount));
}

}  // namespace trustsim::fuzz

#endif  // TRUSTSIM_FUZZ_CHECK_SELECTOR_H_
