// Copyright 2026 The trustsim Authors.

#include "protocol/netlogon/rpc.h"

#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "protocol/dcerpc/ndr.h"
#include "protocol/ntstatus.h"

namespace trustsim::netlogon {
namespace {

using dcerpc::CallContext;
using dcerpc::CallReply;
using dcerpc::NdrReader;
using dcerpc::NdrWriter;

uint32_t StatusCode(const absl::Status& status) {
  return static_cast<uint32_t>(GetNtStatus(status));
}

// NETLOGON_AUTHENTICATOR: credential (8 bytes) and timestamp, aligned to 4.
absl::StatusOr<NetlogonAuthenticator> ReadAuthenticator(NdrReader& r) {
  NetlogonAuthenticator a;
  ASSIGN_OR_RETURN(a.credential, r.ReadFixed<8>(/*alignment=*/4));
  ASSIGN_OR_RETURN(a.timestamp, r.ReadU32());
  return a;
}

void WriteAuthenticator(NdrWriter& w, const NetlogonAuthenticator& a) {
  w.WriteFixedArray(a.credential, /*alignment=*/4);
  w.WriteU32(a.timestamp);
}

// The leading parameters shared by Authenticate*, PasswordSet2,
// TrustPasswordsGet and GetTrustInfo: a [unique] server name, AccountName,
// SecureChannelType and ComputerName.
struct AccountParams {
  std::optional<std::string> server_name;
  std::string account_name;
  SecureChannelType channel_type = SecureChannelType::kNull;
  std::string computer_name;
};

absl::StatusOr<AccountParams> ReadAccountParams(NdrReader& r) {
  AccountParams p;
  ASSIGN_OR_RETURN(p.server_name, r.ReadUniqueString());
  ASSIGN_OR_RETURN(p.account_name, r.ReadRefString());
  ASSIGN_OR_RETURN(const uint16_t channel_type, r.ReadEnum16());
  p.channel_type = static_cast<SecureChannelType>(channel_type);
  ASSIGN_OR_RETURN(p.computer_name, r.ReadRefString());
  return p;
}

CallReply Reply(NdrWriter& w) { return CallReply{std::move(w).Take(), 0}; }

}  // namespace

dcerpc::SyntaxId NetlogonSyntax() {
  // 12345678-1234-abcd-ef00-01234567cffb in wire form: the first three
  // fields little-endian.
  return dcerpc::SyntaxId{{0x78, 0x56, 0x34, 0x12, 0x34, 0x12, 0xcd, 0xab, 0xef, 0x00, 0x01, 0x23,
                           0x45, 0x67, 0xcf, 0xfb},
                          1,
                          0};
}

CallReply NetlogonRpcHandler::Call(const CallContext& call) {
  absl::StatusOr<CallReply> reply;
  switch (call.opnum) {
    case kOpNetrServerReqChallenge:
      reply = ServerReqChallenge(call);
      break;
    case kOpNetrServerAuthenticate2:
      reply = ServerAuthenticate(call, /*with_rid=*/false);
      break;
    case kOpNetrServerAuthenticate3:
      reply = ServerAuthenticate(call, /*with_rid=*/true);
      break;
    case kOpNetrServerPasswordSet2:
      reply = ServerPasswordSet2(call);
      break;
    case kOpNetrLogonGetCapabilities:
      reply = LogonGetCapabilities(call);
      break;
    case kOpNetrServerTrustPasswordsGet:
      reply = ServerTrustPasswordsGet(call, /*with_trust_info=*/false);
      break;
    case kOpNetrServerGetTrustInfo:
      reply = ServerTrustPasswordsGet(call, /*with_trust_info=*/true);
      break;
    case kOpNetrLogonControl2Ex:
      reply = LogonControl2Ex(call);
      break;
    default:
      return CallReply::Fault(dcerpc::kFaultOpRangeError);
  }
  if (!reply.ok()) return CallReply::Fault(dcerpc::kFaultBadStubData);
  return *std::move(reply);
}

absl::Status NetlogonRpcHandler::CheckTransport(
    const CallContext& call, const std::optional<std::string>& computer_name) const {
  const bool schannel = call.security.has_value() &&
                        call.security->auth_type == dcerpc::kAuthTypeNetlogon &&
                        call.security->auth_level >= dcerpc::kAuthLevelIntegrity;
  if (schannel) {
    if (!computer_name.has_value() ||
        !absl::EqualsIgnoreCase(call.security->computer_name, *computer_name)) {
      return NtStatusError(
          NtStatus::kAccessDenied,
          absl::StrCat("the schannel context belongs to ", call.security->computer_name,
                       ", the call names ", computer_name.value_or("no computer")));
    }
    return absl::OkStatus();
  }
  if (schannel_ == SchannelPolicy::kRequire) {
    return NtStatusError(NtStatus::kAccessDenied,
                         "authenticator-protected call refused outside schannel");
  }
  return absl::OkStatus();
}

absl::StatusOr<CallReply> NetlogonRpcHandler::ServerReqChallenge(const CallContext& call) {
  NdrReader r(call.stub);
  RETURN_IF_ERROR(r.ReadUniqueString().status());  // PrimaryName, unused
  ASSIGN_OR_RETURN(const std::string computer_name, r.ReadRefString());
  ASSIGN_OR_RETURN(const NetlogonChallenge client_challenge, r.ReadFixed<8>());

  const NetlogonChallenge server_challenge =
      server_.ServerReqChallenge(computer_name, client_challenge);
  NdrWriter w;
  w.WriteFixedArray(server_challenge);
  w.WriteU32(static_cast<uint32_t>(NtStatus::kSuccess));
  return Reply(w);
}

absl::StatusOr<CallReply> NetlogonRpcHandler::ServerAuthenticate(const CallContext& call,
                                                                 bool with_rid) {
  NdrReader r(call.stub);
  ASSIGN_OR_RETURN(const AccountParams p, ReadAccountParams(r));
  ASSIGN_OR_RETURN(const NetlogonCredential client_credential, r.ReadFixed<8>());
  ASSIGN_OR_RETURN(const uint32_t client_flags, r.ReadU32());

  const Authenticate3Reply reply = server_.ServerAuthenticate3(
      p.account_name, p.channel_type, p.computer_name, client_credential, client_flags);
  NdrWriter w;
  w.WriteFixedArray(reply.server_credential);
  w.WriteU32(reply.negotiate_flags);
  if (with_rid) w.WriteU32(reply.account_rid);
  w.WriteU32(StatusCode(reply.status));
  return Reply(w);
}

absl::StatusOr<CallReply> NetlogonRpcHandler::ServerPasswordSet2(const CallContext& call) {
  NdrReader r(call.stub);
  ASSIGN_OR_RETURN(const AccountParams p, ReadAccountParams(r));
  ASSIGN_OR_RETURN(const NetlogonAuthenticator authenticator, ReadAuthenticator(r));
  // NL_TRUST_PASSWORD {WCHAR Buffer[256]; ULONG Length;}: 516 bytes, aligned
  // to 4 for its ULONG.
  ASSIGN_OR_RETURN(const NlTrustPassword password, r.ReadFixed<kTrustPasswordBytes>(4));

  AuthenticatedReply reply;
  reply.status = CheckTransport(call, p.computer_name);
  if (reply.status.ok()) {
    reply = server_.ServerPasswordSet2(p.account_name, p.channel_type, p.computer_name,
                                       authenticator, password);
  }
  NdrWriter w;
  WriteAuthenticator(w, reply.return_authenticator);
  w.WriteU32(StatusCode(reply.status));
  return Reply(w);
}

absl::StatusOr<CallReply> NetlogonRpcHandler::LogonGetCapabilities(const CallContext& call) {
  NdrReader r(call.stub);
  // ServerName is a [ref] LOGONSRV_HANDLE here (no referent id); ComputerName
  // is [unique].
  RETURN_IF_ERROR(r.ReadRefString().status());
  ASSIGN_OR_RETURN(const std::optional<std::string> computer_name, r.ReadUniqueString());
  ASSIGN_OR_RETURN(const NetlogonAuthenticator authenticator, ReadAuthenticator(r));
  // ReturnAuthenticator is [in, out]; its input value means nothing.
  RETURN_IF_ERROR(ReadAuthenticator(r).status());
  ASSIGN_OR_RETURN(const uint32_t query_level, r.ReadU32());

  if (query_level != 1 && query_level != 2) {
    return CallReply::Fault(kFaultInvalidTag);
  }
  CapabilitiesReply reply;
  reply.status = CheckTransport(call, computer_name);
  if (reply.status.ok() && !computer_name.has_value()) {
    // Allowed in plain RPC, but a NULL ComputerName names no session.
    reply.status =
        NtStatusError(NtStatus::kAccessDenied, "NetrLogonGetCapabilities without a ComputerName");
  }
  if (reply.status.ok()) {
    reply = server_.LogonGetCapabilities(*computer_name, authenticator, query_level);
  }
  NdrWriter w;
  WriteAuthenticator(w, reply.return_authenticator);
  // NETLOGON_CAPABILITIES: discriminant (the query level), then the ULONG
  // arm, which both levels have.
  w.WriteUnionDiscriminant(query_level);
  w.WriteU32(reply.capabilities);
  w.WriteU32(StatusCode(reply.status));
  return Reply(w);
}

absl::StatusOr<CallReply> NetlogonRpcHandler::ServerTrustPasswordsGet(const CallContext& call,
                                                                      bool with_trust_info) {
  NdrReader r(call.stub);
  ASSIGN_OR_RETURN(const AccountParams p, ReadAccountParams(r));
  ASSIGN_OR_RETURN(const NetlogonAuthenticator authenticator, ReadAuthenticator(r));

  TrustPasswordsReply reply;
  reply.status = CheckTransport(call, p.computer_name);
  if (reply.status.ok()) {
    reply = server_.ServerTrustPasswordsGet(p.account_name, p.channel_type, p.computer_name,
                                            authenticator);
  }
  NdrWriter w;
  WriteAuthenticator(w, reply.return_authenticator);
  w.WriteFixedArray(reply.encrypted_new);
  w.WriteFixedArray(reply.encrypted_old);
  // PNL_GENERIC_RPC_DATA TrustInfo: NULL (Samba fills it only for
  // inter-domain trusts).
  if (with_trust_info) w.WriteUniquePointer(false);
  w.WriteU32(StatusCode(reply.status));
  return Reply(w);
}

absl::StatusOr<CallReply> NetlogonRpcHandler::LogonControl2Ex(const CallContext& call) {
  NdrReader r(call.stub);
  NetlogonControlRequest request;
  ASSIGN_OR_RETURN(request.server_name, r.ReadUniqueString());
  ASSIGN_OR_RETURN(request.function_code, r.ReadU32());
  ASSIGN_OR_RETURN(request.query_level, r.ReadU32());
  // NETLOGON_CONTROL_DATA_INFORMATION, switch_is(FunctionCode) (MS-NRPC
  // 2.2.1.7.1). Like pidl's ndr_pull_union_level check, a discriminant that
  // differs from the switch is bad stub data.
  ASSIGN_OR_RETURN(const uint32_t discriminant, r.ReadUnionDiscriminant());
  if (discriminant != request.function_code) {
    return absl::InvalidArgumentError(absl::StrCat("control data union switched on ", discriminant,
                                                   ", function code is ", request.function_code));
  }
  switch (request.function_code) {
    case kNetlogonControlRediscover:
    case kNetlogonControlTcQuery:
    case kNetlogonControlChangePassword:
    case kNetlogonControlTcVerify: {
      ASSIGN_OR_RETURN(request.domain_name, r.ReadUniqueString());
      break;
    }
    case kNetlogonControlFindUser: {
      ASSIGN_OR_RETURN(request.user_name, r.ReadUniqueString());
      break;
    }
    case kNetlogonControlSetDbflag: {
      ASSIGN_OR_RETURN(const uint32_t flag, r.ReadU32());
      request.debug_flag = flag;
      break;
    }
    default:
      break;
  }

  NetlogonControlReply reply;
  if (control_ != nullptr) reply = control_->Control(request);

  // NETLOGON_CONTROL_QUERY_INFORMATION, switch_is(QueryLevel): each arm a
  // [unique] pointer to NETLOGON_INFO_n; other levels have no arm.
  NdrWriter w;
  w.WriteUnionDiscriminant(request.query_level);
  switch (request.query_level) {
    case 1:
      w.WriteUniquePointer(reply.info.has_value());
      if (reply.info.has_value()) {
        w.WriteU32(reply.info->flags);
        w.WriteU32(reply.info->pdc_connection_status);
      }
      break;
    case 2:
      w.WriteUniquePointer(reply.info.has_value());
      if (reply.info.has_value()) {
        w.WriteU32(reply.info->flags);
        w.WriteU32(reply.info->pdc_connection_status);
        w.WriteUniquePointer(reply.info->trusted_dc_name.has_value());
        w.WriteU32(reply.info->tc_connection_status);
        // The deferred referent of netlog2_trusted_dc_name.
        if (reply.info->trusted_dc_name.has_value()) {
          if (!w.WriteConformantVaryingString(*reply.info->trusted_dc_name).ok()) {
            return CallReply::Fault(dcerpc::kFaultBadStubData);
          }
        }
      }
      break;
    case 3:
    case 4:
      w.WriteUniquePointer(false);
      break;
    default:
      break;
  }
  w.WriteU32(reply.win32_status);
  return Reply(w);
}

}  // namespace trustsim::netlogon
