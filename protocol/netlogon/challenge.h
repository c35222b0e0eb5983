// Copyright 2026 The trustsim Authors.
//
// challenge.h
// -----------------------------------------------------------------------------
//
// The challenge rules of a hardened Netlogon server (protocol-facts.md §1.4):
//
//   * a client challenge whose bytes 1..4 all equal byte 0 is refused. This is
//     Samba's netlogon_creds_is_random_challenge, the CVE-2020-1472
//     (Zerologon) mitigation; an all-zero challenge is the attack's input;
//   * challenges are single use: NetrServerReqChallenge stores the pair under
//     the computer name, and the next ServerAuthenticate takes it out whether
//     it succeeds or not. A client must ask for a new challenge after any
//     failure.

#ifndef TRUSTSIM_PROTOCOL_NETLOGON_CHALLENGE_H_
#define TRUSTSIM_PROTOCOL_NETLOGON_CHALLENGE_H_

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "protocol/netlogon/credential.h"

namespace trustsim::netlogon {

// Returns STATUS_ACCESS_DENIED if `challenge` is not random enough to accept.
absl::Status CheckClientChallengeIsRandom(const NetlogonChallenge& challenge);

// The challenges exchanged by one NetrServerReqChallenge.
struct ChallengePair {
  NetlogonChallenge client{};
  NetlogonChallenge server{};
};

// Pending challenges of a server, keyed by upper-cased computer name. Bounded:
// when full, the oldest entry is dropped, so a flood of ReqChallenge calls
// cannot grow it without limit.
//
// Example:
//
//   store.Put("WS01", {client_challenge, server_challenge});
//   ASSIGN_OR_RETURN(ChallengePair pair, store.Take("ws01"));  // now gone
class ChallengeStore {
 public:
  explicit ChallengeStore(size_t max_entries = 4096) : max_entries_(max_entries) {}

  // Stores `pair` for `computer_name`, replacing any earlier one.
  void Put(absl::string_view computer_name, const ChallengePair& pair);

  // Removes and returns the pair stored for `computer_name`. With none stored,
  // returns STATUS_ACCESS_DENIED, as Samba does.
  absl::StatusOr<ChallengePair> Take(absl::string_view computer_name);

  size_t size() const { return entries_.size(); }

 private:
  struct Entry {
    ChallengePair pair;
    uint64_t sequence;
  };

  size_t max_entries_;
  uint64_t next_sequence_ = 0;
  std::map<std::string, Entry> entries_;
};

}  // namespace trustsim::netlogon

#endif  // TRUSTSIM_PROTOCOL_NETLOGON_CHALLENGE_H_
