// Copyright 2026 The trustsim Authors.
//
// server.h
// -----------------------------------------------------------------------------
//
// The Netlogon secure-channel server, sans I/O: the logic a DC runs for
// NetrServerReqChallenge, NetrServerAuthenticate3, NetrServerPasswordSet2,
// NetrLogonGetCapabilities and NetrServerTrustPasswordsGet/GetTrustInfo,
// backed by an account database it does not own. The simulator's DCs plug
// their replica in; the wire server (DCE/RPC + NDR) puts bytes in front of
// the same calls.
//
// Behaviour (protocol-facts.md §1-§3; Samba dcesrv_netlogon.c):
//   * an unknown account, a disabled one, or one whose type does not match the
//     secure-channel type is STATUS_NO_TRUST_SAM_ACCOUNT; a channel type of 0
//     or an unknown one is STATUS_INVALID_PARAMETER;
//   * a credential that matches none of the accepted passwords is
//     STATUS_ACCESS_DENIED; whether the previous password is accepted is the
//     policy's `accept_previous_password`;
//   * the returned negotiate flags are client AND server, even on failure;
//   * sessions are keyed by computer name; a new one replaces the old;
//   * the authenticator-protected calls (PasswordSet2, GetCapabilities,
//     TrustPasswordsGet / GetTrustInfo) step the session's credential chain
//     first; a bad authenticator or no session is STATUS_ACCESS_DENIED with a
//     zero return authenticator. They act on the account the session was
//     established for (Samba uses the SID stored with the session):
//     PasswordSet2 ignores the AccountName it is sent, TrustPasswordsGet
//     refuses one that differs with STATUS_INVALID_PARAMETER.

#ifndef TRUSTSIM_PROTOCOL_NETLOGON_SERVER_H_
#define TRUSTSIM_PROTOCOL_NETLOGON_SERVER_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "base/random.h"
#include "protocol/crypto/hash.h"
#include "protocol/netlogon/authenticator.h"
#include "protocol/netlogon/buffer_encryption.h"
#include "protocol/netlogon/challenge.h"
#include "protocol/netlogon/handshake.h"
#include "protocol/netlogon/negotiate_flags.h"
#include "protocol/netlogon/trust_password.h"

namespace trustsim::netlogon {

// NETLOGON_SECURE_CHANNEL_TYPE (Samba librpc/idl/misc.idl).
enum class SecureChannelType : uint16_t {
  kNull = 0,
  kMsvAp = 1,
  kWorkstation = 2,
  kTrustedDnsDomain = 3,
  kTrustedDomain = 4,
  kUasServer = 5,
  kServer = 6,
  kCdc = 7,
};

// userAccountControl bits the server looks at.
inline constexpr uint32_t kUfAccountDisable = 0x00000002;
inline constexpr uint32_t kUfInterdomainTrustAccount = 0x00000800;
inline constexpr uint32_t kUfWorkstationTrustAccount = 0x00001000;
inline constexpr uint32_t kUfServerTrustAccount = 0x00002000;
inline constexpr uint32_t kUfPartialSecretsAccount = 0x04000000;

// What the server needs to know about a trust account.
struct TrustAccount {
  uint32_t rid = 0;
  uint32_t user_account_control = 0;
  crypto::NtHash current{};
  std::optional<crypto::NtHash> previous;
};

// The account database behind the server.
class TrustAccountStore {
 public:
  virtual ~TrustAccountStore() = default;

  // Looks up `account_name` ("WS01$"). NotFound if there is none.
  virtual absl::StatusOr<TrustAccount> FindTrustAccount(absl::string_view account_name) = 0;

  // Stores a new password (UTF-16LE) for `account_name`: the current one
  // becomes the previous one.
  virtual absl::Status SetTrustAccountPassword(absl::string_view account_name,
                                               ByteView new_password_utf16le) = 0;
};

struct ServerPolicy {
  // The server's negotiate flags; the session uses client AND these.
  uint32_t server_flags = kSambaAdServerFlags;
  // Whether the previous password also establishes a session (the DC
  // profile: `windows` yes, `samba-ad` no).
  bool accept_previous_password = true;
  // RefusePasswordChange: PasswordSet2 from workstations is refused.
  bool refuse_password_change = false;
  DesChallengeSum des_sum = DesChallengeSum::kSambaHalves;
  size_t max_pending_challenges = 4096;
};

struct Authenticate3Reply {
  absl::Status status;
  NetlogonCredential server_credential{};
  uint32_t negotiate_flags = 0;
  uint32_t account_rid = 0;
};

struct AuthenticatedReply {
  absl::Status status;
  NetlogonAuthenticator return_authenticator{};
};

struct CapabilitiesReply {
  absl::Status status;
  NetlogonAuthenticator return_authenticator{};
  // Level 1: the negotiated flags; level 2: the flags the client asked for.
  uint32_t capabilities = 0;
};

struct TrustPasswordsReply {
  absl::Status status;
  NetlogonAuthenticator return_authenticator{};
  // ENCRYPTED_NT_OWF_PASSWORD of the current and the previous password:
  // two-key DES under the session key whatever the negotiated cipher
  // (buffer_encryption.h, protocol-facts.md §1.6). Zero on failure.
  OwfPassword encrypted_new{};
  OwfPassword encrypted_old{};
};

// What the schannel layer needs about the session of one computer.
struct SessionInfo {
  SessionKey session_key{};
  uint32_t negotiated_flags = 0;
  // The NegotiateFlags the client sent in ServerAuthenticate.
  uint32_t requested_flags = 0;
  std::string account_name;
  SecureChannelType channel_type = SecureChannelType::kNull;
};

class NetlogonServer {
 public:
  NetlogonServer(TrustAccountStore& accounts, RandomSource& rng, ServerPolicy policy = {})
      : accounts_(accounts),
        rng_(rng),
        policy_(policy),
        challenges_(policy.max_pending_challenges) {}

  ServerPolicy& policy() { return policy_; }
  const ServerPolicy& policy() const { return policy_; }

  // NetrServerReqChallenge: stores the client's challenge and returns a fresh
  // server challenge.
  NetlogonChallenge ServerReqChallenge(absl::string_view computer_name,
                                       const NetlogonChallenge& client_challenge);

  // NetrServerAuthenticate3.
  Authenticate3Reply ServerAuthenticate3(absl::string_view account_name,
                                         SecureChannelType channel_type,
                                         absl::string_view computer_name,
                                         const NetlogonCredential& client_credential,
                                         uint32_t client_flags);

  // NetrServerPasswordSet2. On an authenticator failure the return
  // authenticator is zero. The password set is that of the account the
  // session was established for, which must still be usable; like Samba
  // (which uses the SID stored with the session), `account_name` and
  // `channel_type` are not consulted.
  AuthenticatedReply ServerPasswordSet2(absl::string_view account_name,
                                        SecureChannelType channel_type,
                                        absl::string_view computer_name,
                                        const NetlogonAuthenticator& authenticator,
                                        const NlTrustPassword& encrypted_password);

  // NetrLogonGetCapabilities at `query_level` 1 (negotiated flags) or 2
  // (requested flags); another level is STATUS_INVALID_PARAMETER without
  // touching the session (the RPC layer faults on it before calling).
  CapabilitiesReply LogonGetCapabilities(absl::string_view computer_name,
                                         const NetlogonAuthenticator& authenticator,
                                         uint32_t query_level);

  // NetrServerTrustPasswordsGet / NetrServerGetTrustInfo: the NT hashes of the
  // session account's current and previous passwords, encrypted with the
  // session key. Without a previous password the "old" hash is that of the
  // empty password, as Samba returns for workstation accounts. An
  // `account_name` or `channel_type` that differs from the session's is
  // STATUS_INVALID_PARAMETER (after the authenticator has been checked, as
  // Samba's dcesrv_netr_ServerGetTrustInfo does).
  TrustPasswordsReply ServerTrustPasswordsGet(absl::string_view account_name,
                                              SecureChannelType channel_type,
                                              absl::string_view computer_name,
                                              const NetlogonAuthenticator& authenticator);

  // The session of `computer_name`, if any: what schannel signs and seals
  // with.
  std::optional<SessionInfo> SessionOf(absl::string_view computer_name) const;

  // Checks that `computer_name` holds a session with `session_key` and that
  // its account is still usable: the stand-in for a call signed or sealed
  // under that key (NTLM pass-through over schannel). A replaced or missing
  // session is STATUS_ACCESS_DENIED; an account deleted or disabled since the
  // session began is STATUS_NO_TRUST_SAM_ACCOUNT and ends the session.
  absl::Status CheckSession(absl::string_view computer_name, absl::string_view account_name,
                            SecureChannelType channel_type, const SessionKey& session_key);

  // Drops the session of `computer_name`, if any.
  void DropSession(absl::string_view computer_name);
  // Drops every session, as a restart of the DC does.
  void DropAllSessions() { sessions_.clear(); }

  bool HasSession(absl::string_view computer_name) const;

 private:
  struct Session {
    ServerSession crypto;
    std::string account_name;
    SecureChannelType channel_type = SecureChannelType::kNull;
    uint32_t requested_flags = 0;
  };

  // Looks up the account and checks it may use `channel_type`.
  absl::StatusOr<TrustAccount> FindUsableAccount(absl::string_view account_name,
                                                 SecureChannelType channel_type);

  // Finds the session of `computer_name` and steps its credential chain with
  // `authenticator`. STATUS_ACCESS_DENIED if there is no session or the
  // authenticator does not verify.
  absl::StatusOr<Session*> StepSession(absl::string_view computer_name,
                                       const NetlogonAuthenticator& authenticator,
                                       NetlogonAuthenticator& return_authenticator);

  TrustAccountStore& accounts_;
  RandomSource& rng_;
  ServerPolicy policy_;
  ChallengeStore challenges_;
  std::map<std::string, Session> sessions_;
};

}  // namespace trustsim::netlogon

#endif  // TRUSTSIM_PROTOCOL_NETLOGON_SERVER_H_
