// Copyright 2026 The trustsim Authors.
//
// rpc.h
// -----------------------------------------------------------------------------
//
// The Netlogon RPC interface (MS-NRPC; 12345678-1234-abcd-ef00-01234567cffb
// v1.0) on top of `NetlogonServer`, sans I/O: an `InterfaceHandler` that
// decodes NDR20 request stubs, calls the server and encodes the response
// stubs (protocol-facts.md §2.2-§2.4; layouts as impacket 0.10 and Samba's
// netlogon.idl marshal them). Every response ends with the return status:
// an NTSTATUS, or a Win32 error for NetrLogonControl2Ex.
//
// Calls served:
//
//   4  NetrServerReqChallenge        26 NetrServerAuthenticate3
//   15 NetrServerAuthenticate2       30 NetrServerPasswordSet2
//   21 NetrLogonGetCapabilities      42 NetrServerTrustPasswordsGet
//   46 NetrServerGetTrustInfo        18 NetrLogonControl2Ex
//
// Any other opnum is the fault nca_op_rng_error; a stub that does not decode
// (truncated, malformed string, union arm that does not match its switch) is
// RPC_X_BAD_STUB_DATA, and nothing reaches the server. Bytes after a complete
// stub are ignored (Samba only warns about them).
//
// Schannel. The authenticator-protected calls (30, 21, 42, 46) check the
// transport before the authenticator: with `SchannelPolicy::kRequire` a call
// that did not come over schannel (auth type 68 at integrity or privacy) gets
// STATUS_ACCESS_DENIED in its response, as Samba's dcesrv_netr_check_schannel
// answers once secure RPC is enforced (CVE-2020-1472). Over schannel, the
// computer name the NL_AUTH_MESSAGE named must be the call's ComputerName.
// A refused call does not step the session's credential chain (Samba steps
// it first and checks the transport afterwards, so there a refused call with
// a good authenticator still advances the chain).
// ReqChallenge and ServerAuthenticate* are always allowed in plain.
//
// NetrLogonGetCapabilities at a level other than 1 or 2 is the fault
// DCERPC_NCA_S_FAULT_INVALID_TAG, as Samba answers to match Windows
// (protocol-facts.md §2.6).
//
// Example:
//
//   NetlogonServer server(accounts, rng);
//   NetlogonRpcHandler handler(server, SchannelPolicy::kRequire);
//   dcerpc::CallReply reply = handler.Call({.opnum = 4, .stub = stub});

#ifndef TRUSTSIM_PROTOCOL_NETLOGON_RPC_H_
#define TRUSTSIM_PROTOCOL_NETLOGON_RPC_H_

#include <cstdint>
#include <optional>
#include <string>

#include "protocol/dcerpc/interface.h"
#include "protocol/netlogon/server.h"

namespace trustsim::netlogon {

// Opnums (protocol-facts.md §2.2).
inline constexpr uint16_t kOpNetrServerReqChallenge = 4;
inline constexpr uint16_t kOpNetrServerAuthenticate2 = 15;
inline constexpr uint16_t kOpNetrLogonControl2Ex = 18;
inline constexpr uint16_t kOpNetrLogonGetCapabilities = 21;
inline constexpr uint16_t kOpNetrServerAuthenticate3 = 26;
inline constexpr uint16_t kOpNetrServerPasswordSet2 = 30;
inline constexpr uint16_t kOpNetrServerTrustPasswordsGet = 42;
inline constexpr uint16_t kOpNetrServerGetTrustInfo = 46;

// DCERPC_NCA_S_FAULT_INVALID_TAG (Samba librpc/idl/dcerpc.idl).
inline constexpr uint32_t kFaultInvalidTag = 0x1C000006;

// NetrLogonControl2Ex function codes (MS-NRPC 3.5.4.9.1).
inline constexpr uint32_t kNetlogonControlQuery = 0x0001;
inline constexpr uint32_t kNetlogonControlRediscover = 0x0005;
inline constexpr uint32_t kNetlogonControlTcQuery = 0x0006;
inline constexpr uint32_t kNetlogonControlFindUser = 0x0008;
inline constexpr uint32_t kNetlogonControlChangePassword = 0x0009;
inline constexpr uint32_t kNetlogonControlTcVerify = 0x000A;
inline constexpr uint32_t kNetlogonControlSetDbflag = 0xFFFE;

// Win32 ERROR_NOT_SUPPORTED: what NetrLogonControl2Ex answers without a
// backend.
inline constexpr uint32_t kWin32ErrorNotSupported = 50;

// The interface this handler serves: 12345678-1234-abcd-ef00-01234567cffb v1.0.
dcerpc::SyntaxId NetlogonSyntax();

// Whether the authenticator-protected calls must arrive over schannel.
enum class SchannelPolicy {
  // Refuse them in plain RPC with STATUS_ACCESS_DENIED (Windows since the
  // February 2021 enforcement phase; Samba's default).
  kRequire,
  // Accept them in plain RPC, as an unpatched DC (or Samba with
  // "server require schannel = no") does.
  kAllowPlain,
};

// A decoded NetrLogonControl2Ex request.
struct NetlogonControlRequest {
  std::optional<std::string> server_name;
  uint32_t function_code = 0;
  uint32_t query_level = 0;
  // The union arm of NETLOGON_CONTROL_DATA_INFORMATION, by function code:
  // REDISCOVER, TC_QUERY, CHANGE_PASSWORD and TC_VERIFY carry a domain name,
  // FIND_USER a user name, SET_DBFLAG a debug flag; the others nothing.
  std::optional<std::string> domain_name;
  std::optional<std::string> user_name;
  std::optional<uint32_t> debug_flag;
};

// NETLOGON_INFO_2 (MS-NRPC 2.2.1.7.3); level 1 sends the first two fields.
struct NetlogonInfo2 {
  uint32_t flags = 0;
  uint32_t pdc_connection_status = 0;
  std::optional<std::string> trusted_dc_name;
  uint32_t tc_connection_status = 0;
};

struct NetlogonControlReply {
  // The NET_API_STATUS (Win32 error) the call returns.
  uint32_t win32_status = kWin32ErrorNotSupported;
  // The NETLOGON_CONTROL_QUERY_INFORMATION at levels 1 and 2; nullopt sends a
  // NULL pointer (levels 3 and 4 always do).
  std::optional<NetlogonInfo2> info;
};

// What answers NetrLogonControl2Ex (nltest /sc_query, /sc_verify,
// /sc_reset, /sc_change_pwd): the simulator knows the world, this handler
// does not.
class NetlogonControlBackend {
 public:
  virtual ~NetlogonControlBackend() = default;
  virtual NetlogonControlReply Control(const NetlogonControlRequest& request) = 0;
};

class NetlogonRpcHandler : public dcerpc::InterfaceHandler {
 public:
  // `server` and `control` (if given) must outlive the handler.
  explicit NetlogonRpcHandler(NetlogonServer& server,
                              SchannelPolicy schannel = SchannelPolicy::kRequire,
                              NetlogonControlBackend* control = nullptr)
      : server_(server), schannel_(schannel), control_(control) {}

  dcerpc::SyntaxId syntax() const override { return NetlogonSyntax(); }
  dcerpc::CallReply Call(const dcerpc::CallContext& call) override;

  SchannelPolicy schannel_policy() const { return schannel_; }
  void set_schannel_policy(SchannelPolicy policy) { schannel_ = policy; }
  // Null restores the default answer, ERROR_NOT_SUPPORTED.
  void set_control_backend(NetlogonControlBackend* control) { control_ = control; }

 private:
  // Each decodes and serves one call; an error status means the stub did not
  // decode (a bad-stub fault).
  absl::StatusOr<dcerpc::CallReply> ServerReqChallenge(const dcerpc::CallContext& call);
  absl::StatusOr<dcerpc::CallReply> ServerAuthenticate(const dcerpc::CallContext& call,
                                                       bool with_rid);
  absl::StatusOr<dcerpc::CallReply> ServerPasswordSet2(const dcerpc::CallContext& call);
  absl::StatusOr<dcerpc::CallReply> LogonGetCapabilities(const dcerpc::CallContext& call);
  absl::StatusOr<dcerpc::CallReply> ServerTrustPasswordsGet(const dcerpc::CallContext& call,
                                                            bool with_trust_info);
  absl::StatusOr<dcerpc::CallReply> LogonControl2Ex(const dcerpc::CallContext& call);

  // Whether an authenticator-protected call for `computer_name` may proceed
  // on this transport: OK or STATUS_ACCESS_DENIED.
  absl::Status CheckTransport(const dcerpc::CallContext& call,
                              const std::optional<std::string>& computer_name) const;

  NetlogonServer& server_;
  SchannelPolicy schannel_;
  NetlogonControlBackend* control_;
};

}  // namespace trustsim::netlogon

#endif  // TRUSTSIM_PROTOCOL_NETLOGON_RPC_H_
