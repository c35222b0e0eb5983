// Copyright 2026 The trustsim Authors.
//
// schannel.h
// -----------------------------------------------------------------------------
//
// The Netlogon SSP, DCE/RPC auth type 68 ("schannel"; MS-NRPC 3.3,
// protocol-facts.md §1.7), sans I/O. Once a machine has a Netlogon session
// (ServerAuthenticate3), it binds Netlogon again with an auth trailer that
// protects every later PDU with the session key:
//
//   * the bind carries an NL_AUTH_MESSAGE negotiate naming the computer; the
//     server looks up that computer's session and answers with an
//     NL_AUTH_MESSAGE response;
//   * every request and response then carries a Netlogon signature token
//     (NL_AUTH_SIGNATURE, 32 bytes, RC4 + HMAC-MD5; or NL_AUTH_SHA2_SIGNATURE,
//     56 bytes, AES-128-CFB8 + HMAC-SHA256 when AES was negotiated) with an
//     encrypted sequence number, a checksum of the stub and, at privacy level,
//     the encrypted confounder of the sealed stub.
//
// Wire facts (MS-NRPC 3.3.4.2.1/3.3.4.2.2; Samba auth/gensec/schannel.c;
// impacket 0.10 nrpc.py; see docs/fidelity.md):
//
//   * One 64-bit sequence counter per context, used for both directions: it
//     advances on every token sent *and* every token received. A request on a
//     fresh connection carries 0, its response 1, the next request 2. The
//     8-byte plaintext sequence number is the counter's low 32 bits then high
//     32 bits, each big-endian, with 0x80 ORed into byte 4 when the client
//     sends.
//   * Checksum: RC4: HMAC-MD5(SK, MD5(0^4 | token[0..8) | confounder | stub));
//     AES: HMAC-SHA256(SK, token[0..8) | confounder | stub); the first 8
//     bytes, at offset 16 (Windows uses an 8-byte checksum in the SHA2 token
//     too, with the confounder at offset 24 and 24 reserved zero bytes after).
//   * Sequence number encryption: RC4 keyed with
//     HMAC-MD5(HMAC-MD5(SK, 0^4), checksum); AES-128-CFB8 keyed with SK, IV =
//     checksum | checksum.
//   * Sealing key: SK XOR 0xF0 per byte. RC4: keyed with
//     HMAC-MD5(HMAC-MD5(SK^F0, 0^4), plaintext sequence number), restarted
//     for the stub after the confounder (as Windows does; MS-NRPC's text says
//     otherwise). AES-128-CFB8 with IV = sequence | sequence over confounder
//     then stub in one stream (an option covers Samba's restart).
//
// Example (server):
//
//   SchannelProvider provider(sessions, random);
//   ASSIGN_OR_RETURN(auto accepted, provider.Accept(dcerpc::kAuthLevelPrivacy, auth_value));
//   RETURN_IF_ERROR(accepted.context->VerifyRequest(stub, request_auth_value));
//   ASSIGN_OR_RETURN(Bytes response_auth_value, accepted.context->SignResponse(response_stub));
//
// Example (client):
//
//   ASSIGN_OR_RETURN(SchannelClient client,
//                    SchannelClient::Create(session, dcerpc::kAuthLevelPrivacy, random));
//   ASSIGN_OR_RETURN(Bytes bind_auth_value, SchannelClient::Negotiate("CORP", "WS01"));
//   RETURN_IF_ERROR(SchannelClient::AcceptResponse(bind_ack_auth_value));
//   ASSIGN_OR_RETURN(Bytes auth_value, client.SignRequest(stub));   // seals stub
//   RETURN_IF_ERROR(client.VerifyResponse(response_stub, response_auth_value));

#ifndef TRUSTSIM_PROTOCOL_NETLOGON_SCHANNEL_H_
#define TRUSTSIM_PROTOCOL_NETLOGON_SCHANNEL_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "base/bytes.h"
#include "base/random.h"
#include "protocol/dcerpc/interface.h"
#include "protocol/netlogon/credential.h"

namespace trustsim::netlogon {

// -----------------------------------------------------------------------------
// NL_AUTH_MESSAGE (MS-NRPC 2.2.1.3.1)
// -----------------------------------------------------------------------------

inline constexpr uint32_t kNlAuthNegotiateRequest = 0;
inline constexpr uint32_t kNlAuthNegotiateResponse = 1;

enum NlAuthMessageFlag : uint32_t {
  kNlAuthOemNetbiosDomain = 0x01,     // NUL-terminated OEM string
  kNlAuthOemNetbiosComputer = 0x02,   // NUL-terminated OEM string
  kNlAuthUtf8DnsDomain = 0x04,        // compressed DNS name (RFC 1035 4.1.4)
  kNlAuthUtf8DnsHost = 0x08,          // compressed DNS name
  kNlAuthUtf8NetbiosComputer = 0x10,  // compressed DNS name (one label)
};
inline constexpr uint32_t kNlAuthKnownFlags = 0x1F;

// Upper bounds the parser enforces: a name (OEM string or dotted DNS name)
// and a whole message.
inline constexpr size_t kNlAuthMaxNameLength = 255;
inline constexpr size_t kNlAuthMaxMessageLength = 4096;

// An NL_AUTH_MESSAGE. Each name is present exactly when its flag is set; the
// flags are derived from which names are present. DNS names are held in
// dotted form ("corp.example.com").
struct NlAuthMessage {
  uint32_t message_type = kNlAuthNegotiateRequest;
  std::optional<std::string> oem_netbios_domain;
  std::optional<std::string> oem_netbios_computer;
  std::optional<std::string> utf8_dns_domain;
  std::optional<std::string> utf8_dns_host;
  std::optional<std::string> utf8_netbios_computer;

  // The Flags field this message encodes with.
  uint32_t flags() const;
  // The computer a server looks the session up by: the OEM NetBIOS computer
  // name, else the UTF-8 one (Samba's order); nullopt if neither is present.
  std::optional<std::string> ComputerName() const;

  bool operator==(const NlAuthMessage&) const = default;
};

// Parses an NL_AUTH_MESSAGE. Strict and bounded: unknown flag bits, a message
// type other than 0 or 1, a name without its terminator, a DNS label over 63
// bytes or containing '.', a compression pointer that does not point
// backwards, names over kNlAuthMaxNameLength and messages over
// kNlAuthMaxMessageLength are errors (kInvalidArgument; running out of bytes
// is kOutOfRange). A negotiate request must end after its names; a response
// must have at least 4 more bytes (MS-NRPC: "at least 12 bytes"), which are
// ignored.
absl::StatusOr<NlAuthMessage> ParseNlAuthMessage(ByteView data);

// Encodes `message` (DNS names uncompressed). For a response, appends the 4
// bytes that follow the flags. Names containing NUL, empty DNS labels and
// labels over 63 bytes are kInvalidArgument.
absl::StatusOr<Bytes> EncodeNlAuthMessage(const NlAuthMessage& message);

// The server's answer to a negotiate: MessageType 1, Flags 0, then the 4
// bytes Samba sends (00 00 6c 00; clients only check the type and that the
// token is at least 12 bytes long).
Bytes EncodeNlAuthNegotiateResponse();

// -----------------------------------------------------------------------------
// Netlogon signature tokens (MS-NRPC 2.2.1.3.2/2.2.1.3.3, 3.3.4.2)
// -----------------------------------------------------------------------------

enum class SchannelAlgorithm {
  kRc4HmacMd5,     // SignatureAlgorithm 0x0077, SealAlgorithm 0x007A
  kAesHmacSha256,  // SignatureAlgorithm 0x0013, SealAlgorithm 0x001A
};

inline constexpr uint16_t kNlSignHmacMd5 = 0x0077;
inline constexpr uint16_t kNlSignHmacSha256 = 0x0013;
inline constexpr uint16_t kNlSealRc4 = 0x007A;
inline constexpr uint16_t kNlSealAes128 = 0x001A;
inline constexpr uint16_t kNlSealNone = 0xFFFF;

// Token lengths. What we send (Samba's sizes, confounder field zero when only
// signing) and the least we accept (Samba's minimums: the RC4 token without
// its confounder when only signing, the SHA2 token without the last 8 bytes).
inline constexpr size_t kRc4SignatureLength = 32;
inline constexpr size_t kAesSignatureLength = 56;
inline constexpr size_t kRc4MinSignLength = 24;
inline constexpr size_t kRc4MinSealLength = 32;
inline constexpr size_t kAesMinSignLength = 48;
inline constexpr size_t kAesMinSealLength = 56;

// AES if the negotiated flags have SUPPORTS_AES (0x01000000), else RC4: the
// same rule as the session key (Samba netsec_*: NETLOGON_NEG_SUPPORTS_AES).
SchannelAlgorithm SelectSchannelAlgorithm(uint32_t negotiate_flags);

// The length of the tokens we send with `algorithm` (32 or 56).
size_t SchannelSignatureLength(SchannelAlgorithm algorithm);

// Who sends a token; the client sets 0x80 in byte 4 of the sequence number.
enum class SchannelRole { kClient, kServer };

// How AES sealing runs over confounder and stub. Sources disagree
// (docs/fidelity.md): MS-NRPC, impacket, Heimdal, scapy and Samba's current
// GnuTLS path run one CFB8 stream over confounder then stub; some Samba
// versions (and its non-GnuTLS fallback) restart from the IV for the stub.
enum class AesSealStream { kContinuous, kRestartForStub };

struct SchannelCryptoOptions {
  AesSealStream aes_seal_stream = AesSealStream::kContinuous;
};

// The plaintext 8-byte sequence number of counter `sequence` sent by `sender`.
std::array<uint8_t, 8> SchannelSequenceBytes(uint64_t sequence, SchannelRole sender);

// One side of a protected channel: the session key, the algorithm, the level
// and the shared sequence counter. `Protect` builds the token for an outgoing
// stub (sealing it in place at privacy level); `Unprotect` checks an incoming
// token (unsealing the stub in place). Both advance the counter on success
// only; a failed check leaves the stub and the counter as they were.
class SchannelChannel {
 public:
  // `session_key` is 16 bytes; `auth_level` is integrity (5) or privacy (6).
  // `random` supplies confounders and must outlive the channel.
  static absl::StatusOr<SchannelChannel> Create(ByteView session_key, uint32_t negotiate_flags,
                                                uint8_t auth_level, SchannelRole role,
                                                RandomSource& random,
                                                SchannelCryptoOptions options = {});

  // Signs (and at privacy level seals) `stub`; returns the token.
  absl::StatusOr<Bytes> Protect(Bytes& stub);
  // Verifies the token of a stub from the peer and at privacy level unseals
  // `stub`. Errors: a short token is kOutOfRange; wrong algorithm fields, an
  // unexpected sequence number or a bad checksum are kDataLoss.
  absl::Status Unprotect(Bytes& stub, ByteView token);

  // Protect/Unprotect with an explicit confounder and sequence number and no
  // state: what the channel does, exposed for test vectors.
  static Bytes ProtectWith(SchannelAlgorithm algorithm, const SessionKey& session_key, bool seal,
                           uint64_t sequence, SchannelRole sender,
                           const std::array<uint8_t, 8>& confounder, Bytes& stub,
                           SchannelCryptoOptions options = {});
  static absl::Status UnprotectWith(SchannelAlgorithm algorithm, const SessionKey& session_key,
                                    bool seal, uint64_t sequence, SchannelRole sender, Bytes& stub,
                                    ByteView token, SchannelCryptoOptions options = {});

  SchannelAlgorithm algorithm() const { return algorithm_; }
  uint8_t auth_level() const { return auth_level_; }
  bool sealing() const { return auth_level_ == dcerpc::kAuthLevelPrivacy; }
  // The counter the next token (sent or received) uses.
  uint64_t sequence() const { return sequence_; }
  size_t signature_length() const { return SchannelSignatureLength(algorithm_); }

 private:
  SchannelChannel(const SessionKey& session_key, SchannelAlgorithm algorithm, uint8_t auth_level,
                  SchannelRole role, RandomSource& random, SchannelCryptoOptions options)
      : session_key_(session_key),
        algorithm_(algorithm),
        auth_level_(auth_level),
        role_(role),
        random_(&random),
        options_(options) {}

  SessionKey session_key_;
  SchannelAlgorithm algorithm_;
  uint8_t auth_level_;
  SchannelRole role_;
  RandomSource* random_;
  SchannelCryptoOptions options_;
  uint64_t sequence_ = 0;
};

// -----------------------------------------------------------------------------
// Server: the DCE/RPC security provider
// -----------------------------------------------------------------------------

// The Netlogon session a schannel bind refers to.
struct SchannelSession {
  Bytes session_key;  // 16 bytes
  uint32_t negotiate_flags = 0;
};

// Where the provider finds sessions (implemented over NetlogonServer).
class SchannelSessionSource {
 public:
  virtual ~SchannelSessionSource() = default;
  // The session key (16 bytes) and negotiate flags of `computer_name`'s
  // Netlogon session, or NotFound.
  virtual absl::StatusOr<SchannelSession> FindSession(absl::string_view computer_name) = 0;
};

struct SchannelProviderOptions {
  // If set, a negotiate naming an OEM NetBIOS domain (or, without one, a DNS
  // domain) must name this one, compared ignoring ASCII case, and one of the
  // two must be present: STATUS_LOGON_FAILURE otherwise (Samba
  // schannel_update_internal). Empty: not checked (what Windows checks is
  // not documented).
  std::string netbios_domain;
  std::string dns_domain;
  SchannelCryptoOptions crypto;
};

// The schannel security provider (auth type 68).
//
// Accept: parses the NL_AUTH_MESSAGE negotiate, requires integrity or privacy
// level (STATUS_INVALID_PARAMETER otherwise, as Samba), finds the named
// computer's session (STATUS_LOGON_FAILURE without a computer name; the
// source's error, e.g. NotFound, is returned as is) and returns a context
// with the NL_AUTH_MESSAGE response.
//
// Example:
//
//   SchannelProvider provider(netlogon_sessions, random);
//   connection.AddSecurityProvider(&provider);
class SchannelProvider : public dcerpc::SecurityProvider {
 public:
  // `sessions` and `random` must outlive the provider and its contexts.
  SchannelProvider(SchannelSessionSource& sessions, RandomSource& random,
                   SchannelProviderOptions options = {})
      : sessions_(&sessions), random_(&random), options_(std::move(options)) {}

  uint8_t auth_type() const override { return dcerpc::kAuthTypeNetlogon; }
  absl::StatusOr<Accepted> Accept(uint8_t auth_level, ByteView auth_value) override;

 private:
  SchannelSessionSource* sessions_;
  RandomSource* random_;
  SchannelProviderOptions options_;
};

// -----------------------------------------------------------------------------
// Client
// -----------------------------------------------------------------------------

// The client side: builds the negotiate, checks the server's response, signs
// (and seals) requests and verifies (and unseals) responses. For the load
// generator and simulated members.
class SchannelClient {
 public:
  // `auth_level` is integrity (5) or privacy (6); `random` must outlive the
  // client.
  static absl::StatusOr<SchannelClient> Create(const SchannelSession& session, uint8_t auth_level,
                                               RandomSource& random,
                                               SchannelCryptoOptions options = {});

  // A negotiate as Samba's client sends it: OEM NetBIOS domain and computer
  // names (plus the DNS domain and UTF-8 computer name when `dns_domain` is
  // not empty). Names containing NUL are kInvalidArgument.
  static absl::StatusOr<Bytes> Negotiate(absl::string_view netbios_domain,
                                         absl::string_view computer_name,
                                         absl::string_view dns_domain = "");

  // Checks the bind_ack's auth value: an NL_AUTH_MESSAGE response of at
  // least 12 bytes (MS-NRPC: SEC_E_INVALID_TOKEN otherwise; here
  // kInvalidArgument or kOutOfRange).
  static absl::Status AcceptResponse(ByteView auth_value);

  // Signs (seals) a request stub, auth padding included; returns the token.
  absl::StatusOr<Bytes> SignRequest(Bytes& stub) { return channel_.Protect(stub); }
  // Verifies (unseals) a response stub.
  absl::Status VerifyResponse(Bytes& stub, ByteView auth_value) {
    return channel_.Unprotect(stub, auth_value);
  }

  size_t signature_length() const { return channel_.signature_length(); }
  const SchannelChannel& channel() const { return channel_; }

 private:
  explicit SchannelClient(SchannelChannel channel) : channel_(std::move(channel)) {}

  SchannelChannel channel_;
};

}  // namespace trustsim::netlogon

#endif  // TRUSTSIM_PROTOCOL_NETLOGON_SCHANNEL_H_
