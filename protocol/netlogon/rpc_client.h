// Copyright 2026 The trustsim Authors.
//
// rpc_client.h
// -----------------------------------------------------------------------------
//
// The client side of the Netlogon calls a member makes, as NDR20 stubs:
// request encoders and response decoders for NetrServerReqChallenge (4),
// NetrServerAuthenticate3 (26) and NetrServerPasswordSet2 (30), laid out as
// impacket 0.10 and Windows send them (protocol-facts.md §2.3, §2.4). The
// simulated members and the load generator in bench/ use them; the server
// side is rpc.h.
//
// Example:
//
//   Bytes stub = EncodeReqChallengeRequest("\\\\DC01", "WS01", client_challenge).value();
//   dcerpc::CallReply reply = handler.Call({kOpNetrServerReqChallenge, stub});
//   ASSIGN_OR_RETURN(ReqChallengeResponse r, DecodeReqChallengeResponse(reply.stub));

#ifndef TRUSTSIM_PROTOCOL_NETLOGON_RPC_CLIENT_H_
#define TRUSTSIM_PROTOCOL_NETLOGON_RPC_CLIENT_H_

#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "base/bytes.h"
#include "protocol/netlogon/authenticator.h"
#include "protocol/netlogon/credential.h"
#include "protocol/netlogon/server.h"
#include "protocol/netlogon/trust_password.h"

namespace trustsim::netlogon {

absl::StatusOr<Bytes> EncodeReqChallengeRequest(const std::optional<std::string>& primary_name,
                                                absl::string_view computer_name,
                                                const NetlogonChallenge& client_challenge);
struct ReqChallengeResponse {
  NetlogonChallenge server_challenge{};
  uint32_t status = 0;  // NTSTATUS
};
absl::StatusOr<ReqChallengeResponse> DecodeReqChallengeResponse(ByteView stub);

absl::StatusOr<Bytes> EncodeAuthenticate3Request(const std::optional<std::string>& primary_name,
                                                 absl::string_view account_name,
                                                 SecureChannelType channel_type,
                                                 absl::string_view computer_name,
                                                 const NetlogonCredential& client_credential,
                                                 uint32_t negotiate_flags);
struct Authenticate3Response {
  NetlogonCredential server_credential{};
  uint32_t negotiate_flags = 0;
  uint32_t account_rid = 0;
  uint32_t status = 0;
};
absl::StatusOr<Authenticate3Response> DecodeAuthenticate3Response(ByteView stub);

absl::StatusOr<Bytes> EncodePasswordSet2Request(const std::optional<std::string>& primary_name,
                                                absl::string_view account_name,
                                                SecureChannelType channel_type,
                                                absl::string_view computer_name,
                                                const NetlogonAuthenticator& authenticator,
                                                const NlTrustPassword& encrypted_password);
struct PasswordSet2Response {
  NetlogonAuthenticator return_authenticator{};
  uint32_t status = 0;
};
absl::StatusOr<PasswordSet2Response> DecodePasswordSet2Response(ByteView stub);

}  // namespace trustsim::netlogon

#endif  // TRUSTSIM_PROTOCOL_NETLOGON_RPC_CLIENT_H_
