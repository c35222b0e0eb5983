// Copyright 2026 The trustsim Authors.

#include "protocol/self_test.h"

#include <functional>

#include "absl/strings/str_cat.h"
#include "base/bytes.h"
#include "protocol/crypto/aes.h"
#include "protocol/crypto/des.h"
#include "protocol/crypto/hash.h"
#include "protocol/crypto/kerberos_key.h"
#include "protocol/crypto/rfc3961.h"
#include "protocol/netlogon/authenticator.h"
#include "protocol/netlogon/credential.h"
#include "protocol/netlogon/negotiate_flags.h"

namespace trustsim {
namespace {

using netlogon::NetlogonChallenge;

Bytes Hex(absl::string_view hex) { return FromHex(hex).value(); }

struct Case {
  const char* name;
  const char* expected_hex;
  std::function<std::string()> compute;  // returns hex, or "error: ..."
};

std::string Netlogon(uint32_t flags, int what) {
  const crypto::NtHash nt = crypto::NtHashOfPassword("Passw0rd!").value();
  const NetlogonChallenge cc = ToArray<8>(Hex("0102030405060708"));
  const NetlogonChallenge sc = ToArray<8>(Hex("1112131415161718"));
  const auto crypto = netlogon::SelectCrypto(flags);
  const netlogon::SessionKey sk = netlogon::ComputeSessionKey(crypto, nt, cc, sc);
  if (what == 0) return ToHex(sk);
  const auto client_cred = netlogon::ComputeNetlogonCredential(crypto, cc, sk);
  if (what == 1) return ToHex(client_cred);
  netlogon::ClientCredentialChain chain(crypto, sk, client_cred);
  return ToHex(chain.Next(1700000000).credential);
}

std::vector<Case> Cases() {
  return {
      {"NT hash (RFC 4757 \"foo\")", "ac8e657f83df82beea5d43bdaf7800cc",
       [] { return ToHex(crypto::NtHashOfPassword("foo").value()); }},
      {"RFC 3961 n-fold 64(\"012345\")", "be072631276b1955",
       [] { return ToHex(crypto::NFold(AsBytes("012345"), 8)); }},
      {"RFC 3962 aes128 string-to-key (1200 iterations)", "4c01cd46d632d01e6dbe230a01ed642a",
       [] {
         auto key = crypto::StringToKey(crypto::EncType::kAes128CtsHmacSha196, "password",
                                        "ATHENA.MIT.EDUraeburn", 1200);
         return key.ok() ? ToHex(key->bytes) : "error: " + key.status().ToString();
       }},
      {"AES-CTS 17 bytes (RFC 3962 appendix B)", "c6353568f2bf8cb4d8a580362da7ff7f97",
       [] {
         auto out = crypto::AesCtsEncrypt(Hex("636869636b656e207465726979616b69"),
                                          AsBytes("I would like the "));
         return out.ok() ? ToHex(*out) : "error: " + out.status().ToString();
       }},
      {"AD salt aes256 key for WS01$ (protocol-facts §8)",
       "c707fddc95861731fcf6b0d4e963164cde89afaa32c72556cf2ac33b1a6bf427",
       [] {
         auto key = crypto::StringToKey(crypto::EncType::kAes256CtsHmacSha196, "Passw0rd!",
                                        crypto::AdComputerSalt("CORP.EXAMPLE.COM", "WS01$"));
         return key.ok() ? ToHex(key->bytes) : "error: " + key.status().ToString();
       }},
      {"DES des_crypt56 (Samba test vector)", "5486cf51493a535b",
       [] {
         return ToHex(crypto::DesCrypt56(Hex("6988968eb53a24"), ToArray<8>(Hex("3f495b20a784c234")),
                                         crypto::DesDirection::kEncrypt));
       }},
      {"Netlogon AES session key", "544bd695e97c4a55e31d11bd27a3b3b4",
       [] { return Netlogon(netlogon::kNegSupportsAes, 0); }},
      {"Netlogon AES client credential", "67f84c8521df708d",
       [] { return Netlogon(netlogon::kNegSupportsAes, 1); }},
      {"Netlogon AES authenticator", "016678b6d6942516",
       [] { return Netlogon(netlogon::kNegSupportsAes, 2); }},
      {"Netlogon strong-key session key", "0494393fd21663ac8fa1bd79ad27e75f",
       [] { return Netlogon(netlogon::kNegStrongKeys, 0); }},
      {"Netlogon DES session key", "0ed0e973a3cbf1060000000000000000",
       [] { return Netlogon(0, 0); }},
  };
}

}  // namespace

std::vector<SelfTestResult> RunProtocolSelfTests() {
  std::vector<SelfTestResult> results;
  for (const Case& c : Cases()) {
    const std::string got = c.compute();
    SelfTestResult r{c.name, got == c.expected_hex, ""};
    if (!r.passed) r.detail = absl::StrCat("expected ", c.expected_hex, ", got ", got);
    results.push_back(std::move(r));
  }
  return results;
}

}  // namespace trustsim
