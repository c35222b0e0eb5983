// Copyright 2026 The trustsim Authors.
//
// machine_password.h
// -----------------------------------------------------------------------------
//
// A machine-account password as both sides hold it: raw UTF-16LE bytes (as
// the LSA secret and the DC store them), its NT hash, and a version number
// that names it for people. Versions count per computer name across the whole
// run: v0 is set at join, and every new password, whoever makes it, gets the
// next number. Two clones that each rotate produce v1 and v2, never two v1s.

#ifndef TRUSTSIM_SIM_MACHINE_PASSWORD_H_
#define TRUSTSIM_SIM_MACHINE_PASSWORD_H_

#include <map>
#include <memory>
#include <string>
#include <utility>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "base/bytes.h"
#include "base/random.h"
#include "protocol/crypto/hash.h"
#include "protocol/crypto/kerberos_key.h"

namespace trustsim::sim {

struct MachinePassword {
  Bytes utf16le;
  crypto::NtHash nt_hash{};
  int version = 0;

  // "v3".
  std::string Label() const;

  // 120 random UTF-16 code units (240 bytes), as Windows generates (Samba
  // trust_pw_new_value: "match what windows uses for computer passwords").
  static MachinePassword Random(RandomSource& rng, int version);

  // A known password, e.g. the default ADUC "Reset Account" sets.
  static MachinePassword FromUtf16(Bytes utf16le, int version);

  // The Kerberos key of this password for `type` under `salt`, derived on
  // first use and cached: AES string-to-key is 4096 PBKDF2 iterations, so a
  // year of rotations across a fleet must not pay for keys nobody asks for.
  // Copies of a password share its cache.
  absl::StatusOr<crypto::KerberosKey> KerberosKey(crypto::EncType type,
                                                  absl::string_view salt) const;

  friend bool operator==(const MachinePassword& a, const MachinePassword& b) {
    return a.utf16le == b.utf16le;
  }

 private:
  using KeyCache = std::map<std::pair<int32_t, std::string>, crypto::KerberosKey>;
  std::shared_ptr<KeyCache> keys_ = std::make_shared<KeyCache>();
};

}  // namespace trustsim::sim

#endif  // TRUSTSIM_SIM_MACHINE_PASSWORD_H_
