// Copyright 2026 The trustsim Authors.

#include "protocol/netlogon/challenge.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "protocol/ntstatus.h"

namespace trustsim::netlogon {

absl::Status CheckClientChallengeIsRandom(const NetlogonChallenge& challenge) {
  for (int i = 1; i < 5; ++i) {
    if (challenge[i] != challenge[0]) return absl::OkStatus();
  }
  return NtStatusError(NtStatus::kAccessDenied,
                       "client challenge is not random: its first five bytes are equal "
                       "(CVE-2020-1472 hardening)");
}

void ChallengeStore::Put(absl::string_view computer_name, const ChallengePair& pair) {
  std::string key = absl::AsciiStrToUpper(computer_name);
  if (entries_.size() >= max_entries_ && entries_.find(key) == entries_.end()) {
    auto oldest = entries_.begin();
    for (auto it = entries_.begin(); it != entries_.end(); ++it) {
      if (it->second.sequence < oldest->second.sequence) oldest = it;
    }
    entries_.erase(oldest);
  }
  entries_[std::move(key)] = Entry{pair, next_sequence_++};
}

absl::StatusOr<ChallengePair> ChallengeStore::Take(absl::string_view computer_name) {
  auto it = entries_.find(absl::AsciiStrToUpper(computer_name));
  if (it == entries_.end()) {
    return NtStatusError(NtStatus::kAccessDenied,
                         absl::StrCat("no pending challenge for ", computer_name,
                                      ": call NetrServerReqChallenge first"));
  }
  const ChallengePair pair = it->second.pair;
  entries_.erase(it);
  return pair;
}

}  // namespace trustsim::netlogon
