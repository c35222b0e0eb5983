// Copyright 2026 The trustsim Authors.
//
// interface.h
// -----------------------------------------------------------------------------
//
// The seams of the DCE/RPC layer (connection-oriented, ncacn_ip_tcp; C706
// chapter 12 and MS-RPCE), sans I/O:
//
//   * `InterfaceHandler`: one RPC interface (Netlogon, the endpoint mapper).
//     It gets a request's opnum and reassembled, unsealed NDR stub and
//     returns the response stub or a fault code;
//   * `SecurityProvider`: one authentication type (schannel, auth type 68).
//     It answers the auth trailer of a bind/alter_context and then checks
//     and unseals requests and signs and seals responses.
//
// `Connection` (connection.h) owns the PDU state machine and calls these.

#ifndef TRUSTSIM_PROTOCOL_DCERPC_INTERFACE_H_
#define TRUSTSIM_PROTOCOL_DCERPC_INTERFACE_H_

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "base/bytes.h"

namespace trustsim::dcerpc {

// A UUID in its wire form (the first three fields little-endian, as NDR
// sends them).
using Uuid = std::array<uint8_t, 16>;

// Parses "12345678-1234-abcd-ef00-01234567cffb" into wire form; nullopt if
// malformed.
std::optional<Uuid> ParseUuid(absl::string_view text);
// The text form of a wire-form UUID (lower case).
std::string FormatUuid(const Uuid& uuid);

// An interface or transfer syntax: UUID and version.
struct SyntaxId {
  Uuid uuid{};
  uint16_t version_major = 0;
  uint16_t version_minor = 0;

  bool operator==(const SyntaxId&) const = default;
};

// NDR 2.0 transfer syntax: 8a885d04-1ceb-11c9-9fe8-08002b104860 v2.0.
SyntaxId Ndr20Syntax();

// Fault codes (C706 appendix E, MS-RPCE 2.2.2.11; protocol-facts.md §6).
inline constexpr uint32_t kFaultOpRangeError = 0x1C010002;  // nca_op_rng_error
inline constexpr uint32_t kFaultBadStubData = 0x000006F7;   // RPC_X_BAD_STUB_DATA
inline constexpr uint32_t kFaultAccessDenied = 0x00000005;
inline constexpr uint32_t kFaultProtoError = 0x1C01000B;        // nca_proto_error
inline constexpr uint32_t kFaultUnknownInterface = 0x1C010003;  // nca_unk_if
inline constexpr uint32_t kFaultSecPkgError = 0x00000721;       // RPC_S_SEC_PKG_ERROR

// Authentication levels (MS-RPCE 2.2.1.1.8).
inline constexpr uint8_t kAuthLevelNone = 1;
inline constexpr uint8_t kAuthLevelConnect = 2;
inline constexpr uint8_t kAuthLevelCall = 3;
inline constexpr uint8_t kAuthLevelPacket = 4;
inline constexpr uint8_t kAuthLevelIntegrity = 5;  // sign
inline constexpr uint8_t kAuthLevelPrivacy = 6;    // seal
// Authentication types.
inline constexpr uint8_t kAuthTypeNone = 0;
inline constexpr uint8_t kAuthTypeNetlogon = 68;  // schannel (MS-NRPC 3.3)

// One authenticated security context on a connection, as the handler sees it.
struct SecurityInfo {
  uint8_t auth_type = kAuthTypeNone;
  uint8_t auth_level = kAuthLevelNone;
  // For schannel: the computer name the NL_AUTH_MESSAGE named (the key of
  // the Netlogon session whose session key protects the channel).
  std::string computer_name;
};

// What a handler gets for one call.
struct CallContext {
  uint16_t opnum = 0;
  // The reassembled request stub, unsealed, in NDR20 little-endian.
  ByteView stub;
  // Set when the call came over an established security context (e.g.
  // schannel) whose signature (and seal) checked out.
  std::optional<SecurityInfo> security;
};

// A handler's answer: a response stub, or a fault.
struct CallReply {
  Bytes stub;
  uint32_t fault = 0;  // non-zero: send a fault PDU with this status

  static CallReply Fault(uint32_t status) { return CallReply{{}, status}; }
};

class InterfaceHandler {
 public:
  virtual ~InterfaceHandler() = default;
  // The abstract syntax this handler serves.
  virtual SyntaxId syntax() const = 0;
  // Handles one call. Unknown opnums are kFaultOpRangeError; stub data that
  // does not decode is kFaultBadStubData. Never crashes on any input.
  virtual CallReply Call(const CallContext& call) = 0;
};

// A security context for one connection and one auth_context_id.
class SecurityContext {
 public:
  virtual ~SecurityContext() = default;
  // Verifies a request's signature and, at privacy level, unseals its stub
  // in place. `stub` is the PDU body after the request header up to the
  // sec_trailer, including the auth padding (schannel signs and seals exactly
  // that, MS-NRPC 3.3.4.2; impacket's rpcrt does the same). An error fails
  // the call with a fault.
  virtual absl::Status VerifyRequest(Bytes& stub, ByteView auth_value) = 0;
  // Signs a response stub (with its auth padding) and, at privacy level,
  // seals it in place; returns the auth value for the trailer.
  virtual absl::StatusOr<Bytes> SignResponse(Bytes& stub) = 0;
  // The length of the auth value this context appends to responses.
  virtual size_t signature_length() const = 0;
  virtual const SecurityInfo& info() const = 0;
};

class SecurityProvider {
 public:
  virtual ~SecurityProvider() = default;
  virtual uint8_t auth_type() const = 0;
  // Answers the auth value of a bind or alter_context (for schannel, an
  // NL_AUTH_MESSAGE negotiate). Returns the context and the auth value for
  // the bind_ack / alter_context_resp, or an error (the bind is refused).
  struct Accepted {
    std::unique_ptr<SecurityContext> context;
    Bytes reply_auth_value;
  };
  virtual absl::StatusOr<Accepted> Accept(uint8_t auth_level, ByteView auth_value) = 0;
};

}  // namespace trustsim::dcerpc

#endif  // TRUSTSIM_PROTOCOL_DCERPC_INTERFACE_H_
