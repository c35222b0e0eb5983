// Copyright 2026 The trustsim Authors.

#include "sim/machine_password.h"

#include "absl/strings/str_cat.h"

namespace trustsim::sim {

std::string MachinePassword::Label() const { return absl::StrCat("v", version); }

MachinePassword MachinePassword::Random(RandomSource& rng, int version) {
  Bytes raw(240);
  rng.Fill(absl::MakeSpan(raw));
  return FromUtf16(std::move(raw), version);
}

MachinePassword MachinePassword::FromUtf16(Bytes utf16le, int version) {
  MachinePassword p;
  p.nt_hash = crypto::NtHashOfUtf16Le(utf16le);
  p.utf16le = std::move(utf16le);
  p.version = version;
  return p;
}

absl::StatusOr<crypto::KerberosKey> MachinePassword::KerberosKey(crypto::EncType type,
                                                                 absl::string_view salt) const {
  auto key = std::make_pair(static_cast<int32_t>(type), std::string(salt));
  if (auto it = keys_->find(key); it != keys_->end()) return it->second;
  absl::StatusOr<crypto::KerberosKey> derived = crypto::MachinePasswordToKey(type, utf16le, salt);
  if (derived.ok()) keys_->emplace(std::move(key), *derived);
  return derived;
}

}  // namespace trustsim::sim
