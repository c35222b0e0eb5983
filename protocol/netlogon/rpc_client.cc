// Copyright 2026 The trustsim Authors.

#include "protocol/netlogon/rpc_client.h"

#include <optional>
#include <string>
#include <utility>

#include "base/status_macros.h"
#include "protocol/dcerpc/ndr.h"

namespace trustsim::netlogon {
namespace {

using dcerpc::NdrReader;
using dcerpc::NdrWriter;

// The leading parameters of Authenticate3 and PasswordSet2: a [unique]
// server name, AccountName, SecureChannelType and ComputerName.
absl::Status WriteAccountParams(NdrWriter& w, const std::optional<std::string>& primary_name,
                                absl::string_view account_name, SecureChannelType channel_type,
                                absl::string_view computer_name) {
  RETURN_IF_ERROR(w.WriteUniqueString(primary_name));
  RETURN_IF_ERROR(w.WriteRefString(account_name));
  w.WriteEnum16(static_cast<uint16_t>(channel_type));
  return w.WriteRefString(computer_name);
}

absl::Status ExpectEnd(const NdrReader& r) {
  if (r.remaining() != 0) return absl::InvalidArgumentError("netlogon: trailing stub bytes");
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<Bytes> EncodeReqChallengeRequest(const std::optional<std::string>& primary_name,
                                                absl::string_view computer_name,
                                                const NetlogonChallenge& client_challenge) {
  NdrWriter w;
  RETURN_IF_ERROR(w.WriteUniqueString(primary_name));
  RETURN_IF_ERROR(w.WriteRefString(computer_name));
  w.WriteFixedArray(client_challenge);
  return std::move(w).Take();
}

absl::StatusOr<ReqChallengeResponse> DecodeReqChallengeResponse(ByteView stub) {
  NdrReader r(stub);
  ReqChallengeResponse out;
  ASSIGN_OR_RETURN(out.server_challenge, r.ReadFixed<8>());
  ASSIGN_OR_RETURN(out.status, r.ReadU32());
  RETURN_IF_ERROR(ExpectEnd(r));
  return out;
}

absl::StatusOr<Bytes> EncodeAuthenticate3Request(const std::optional<std::string>& primary_name,
                                                 absl::string_view account_name,
                                                 SecureChannelType channel_type,
                                                 absl::string_view computer_name,
                                                 const NetlogonCredential& client_credential,
                                                 uint32_t negotiate_flags) {
  NdrWriter w;
  RETURN_IF_ERROR(WriteAccountParams(w, primary_name, account_name, channel_type, computer_name));
  w.WriteFixedArray(client_credential);
  w.WriteU32(negotiate_flags);
  return std::move(w).Take();
}

absl::StatusOr<Authenticate3Response> DecodeAuthenticate3Response(ByteView stub) {
  NdrReader r(stub);
  Authenticate3Response out;
  ASSIGN_OR_RETURN(out.server_credential, r.ReadFixed<8>());
  ASSIGN_OR_RETURN(out.negotiate_flags, r.ReadU32());
  ASSIGN_OR_RETURN(out.account_rid, r.ReadU32());
  ASSIGN_OR_RETURN(out.status, r.ReadU32());
  RETURN_IF_ERROR(ExpectEnd(r));
  return out;
}

absl::StatusOr<Bytes> EncodePasswordSet2Request(const std::optional<std::string>& primary_name,
                                                absl::string_view account_name,
                                                SecureChannelType channel_type,
                                                absl::string_view computer_name,
                                                const NetlogonAuthenticator& authenticator,
                                                const NlTrustPassword& encrypted_password) {
  NdrWriter w;
  RETURN_IF_ERROR(WriteAccountParams(w, primary_name, account_name, channel_type, computer_name));
  w.WriteFixedArray(authenticator.credential, /*alignment=*/4);
  w.WriteU32(authenticator.timestamp);
  // NL_TRUST_PASSWORD {WCHAR Buffer[256]; ULONG Length;}: 516 bytes, aligned 4.
  w.WriteFixedArray(encrypted_password, /*alignment=*/4);
  return std::move(w).Take();
}

absl::StatusOr<PasswordSet2Response> DecodePasswordSet2Response(ByteView stub) {
  NdrReader r(stub);
  PasswordSet2Response out;
  ASSIGN_OR_RETURN(out.return_authenticator.credential, r.ReadFixed<8>(/*alignment=*/4));
  ASSIGN_OR_RETURN(out.return_authenticator.timestamp, r.ReadU32());
  ASSIGN_OR_RETURN(out.status, r.ReadU32());
  RETURN_IF_ERROR(ExpectEnd(r));
  return out;
}

}  // namespace trustsim::netlogon
