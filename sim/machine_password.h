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

#include <string>

#include "base/bytes.h"
#include "base/random.h"
#include "protocol/crypto/hash.h"

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

  friend bool operator==(const MachinePassword& a, const MachinePassword& b) {
    return a.utf16le == b.utf16le;
  }
};

}  // namespace trustsim::sim

#endif  // TRUSTSIM_SIM_MACHINE_PASSWORD_H_
