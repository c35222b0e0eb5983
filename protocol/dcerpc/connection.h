// Copyright 2026 The trustsim Authors.
//
// connection.h
// -----------------------------------------------------------------------------
//
// `Connection` is the server side of one connection-oriented DCE/RPC
// association over ncacn_ip_tcp, sans I/O: the bytes a client sends go in,
// the bytes to send back come out. It frames PDUs, negotiates presentation
// contexts and security contexts (bind, alter_context), reassembles
// fragmented requests, checks and unseals them through a `SecurityContext`,
// dispatches them to an `InterfaceHandler` (interface.h) and fragments,
// signs and seals the responses.
//
// The behaviour follows Samba's server (librpc/rpc/dcesrv_core.c, which its
// authors tested against Windows) where C706 leaves a choice:
//
//   * fragment sizes: the client's min(max_xmit_frag, max_recv_frag), raised
//     to at least 2048, capped at `ConnectionOptions::max_fragment` and
//     rounded down to a multiple of 8 is used in both directions (impacket's
//     4280/4280 gives 4280). Before the bind, frag_length may be up to
//     `max_fragment`; afterwards up to the negotiated size;
//   * before a successful bind, every protocol error (including any PDU that
//     is not a bind) is answered with bind_nak (reason 4, "protocol version
//     not supported"; an oversized frag_length gets reason 2, "local limit
//     exceeded") and the connection closes. A bind_nak always closes;
//   * after the bind, a protocol error is answered with a fault
//     nca_proto_error (DID_NOT_EXECUTE) and the connection closes. A second
//     bind gets bind_nak reason 0 and closes;
//   * bind: a context is accepted if its abstract syntax is a registered
//     interface and NDR 2.0 is among its transfer syntaxes; an unknown
//     interface gets provider rejection reason 1, a known one without NDR 2.0
//     (e.g. NDR64 only) reason 2. A context whose first transfer syntax is
//     the bind-time feature negotiation syntax gets result 3 (negotiate_ack)
//     with reason = offered features & (SECURITY_CONTEXT_MULTIPLEXING |
//     KEEP_CONNECTION_ON_ORPHAN); only one such context is allowed per bind
//     (only in bind, not alter_context). Unlike Samba, every acceptable
//     context of a bind is accepted, not only the first;
//   * the bind_ack carries `assoc_group_id` whatever the client asked for
//     (Samba refuses unknown non-zero groups; there is one group here) and
//     the secondary address; alter_context_resp carries an empty one;
//   * auth at bind: unknown auth type -> bind_nak reason 8; a level outside
//     connect..privacy, a reused auth_context_id or a provider refusal ->
//     bind_nak reason 0. At alter_context: unknown type -> fault
//     RPC_S_SEC_PKG_ERROR (0x721), refusal -> fault access denied (5), both
//     closing;
//   * requests: the first fragment names an accepted context, otherwise fault
//     nca_unk_if (the connection stays open). Only one fragmented call at a
//     time; a fragment of another call is a protocol error. A fragment with
//     an auth verifier must name an established auth_context_id with the same
//     type and level (else protocol error); at packet level and above, each
//     fragment's stub with padding is passed to SecurityContext::VerifyRequest,
//     whose failure is a fault access denied (5) and closes, without calling
//     the handler. Padding is stripped after verification and the fragments
//     are concatenated. A call must carry a verifier on all fragments or on
//     none. Reassembled stubs over `max_request_bytes` (or an alloc_hint
//     over it) get fault access denied and close; more than `max_fragments`
//     fragments is a protocol error;
//   * a call without verifier is dispatched with CallContext::security
//     unset, even on a connection with a security context: the interface
//     decides what requires schannel. A verifier at connect/call level is
//     stripped without verification and the call is also dispatched without
//     security;
//   * responses are fragmented to the negotiated size. alloc_hint is the stub
//     bytes remaining from the fragment's start (the total in the first
//     fragment), as Samba sends. An authenticated call's response fragments
//     are each padded with zeros to a multiple of 16 stub bytes and passed to
//     SecurityContext::SignResponse; non-final fragments carry a multiple of
//     16 bytes so only the last needs padding (Samba's
//     DCERPC_AUTH_PAD_ALIGNMENT). Faults are never signed;
//   * a handler fault is sent as a 32-byte fault PDU (DID_NOT_EXECUTE for
//     nca_op_rng_error); the connection stays open;
//   * auth3 and co_cancel are ignored; orphaned drops the fragmented call it
//     names (if any); shutdown closes without a reply; any other PTYPE (a
//     response, fault, bind_ack, ... or an unknown one) is a protocol error.
//
// Example:
//
//   ConnectionOptions options;
//   options.secondary_address = "49664";
//   Connection connection(options);
//   connection.AddInterface(&netlogon_handler);
//   connection.AddSecurityProvider(&schannel);
//   Bytes reply = connection.Receive(bytes_from_socket);
//   send(reply);
//   if (connection.closed()) close_socket();

#ifndef TRUSTSIM_PROTOCOL_DCERPC_CONNECTION_H_
#define TRUSTSIM_PROTOCOL_DCERPC_CONNECTION_H_

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/bytes.h"
#include "protocol/dcerpc/interface.h"
#include "protocol/dcerpc/pdu.h"

namespace trustsim::dcerpc {

struct ConnectionOptions {
  // Our largest fragment, sent and received (clamped to 256..65535). The
  // negotiated size is at most this.
  uint16_t max_fragment = 4280;
  // Limit on a reassembled request stub.
  size_t max_request_bytes = 1 << 20;
  // Limit on the fragments of one request.
  size_t max_fragments = 256;
  // The secondary address for bind_ack (for ncacn_ip_tcp the port as a
  // string, e.g. "49664").
  std::string secondary_address;
  // The association group id sent in bind_ack and alter_context_resp
  // (non-zero).
  uint32_t assoc_group_id = 0x12345;
  // Limits on presentation contexts and security contexts per connection.
  size_t max_contexts = 64;
  size_t max_security_contexts = 8;
};

class Connection {
 public:
  explicit Connection(ConnectionOptions options);

  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Registers an interface; `handler` is not owned and must outlive the
  // connection. Register before the bind.
  void AddInterface(InterfaceHandler* handler);
  // Registers a security provider by its auth type; not owned.
  void AddSecurityProvider(SecurityProvider* provider);

  // Feeds bytes as they arrive from the socket, split anywhere. Returns the
  // bytes to send (possibly empty). After closed() becomes true, the caller
  // sends what this call returned and closes; later calls return nothing.
  Bytes Receive(ByteView data);

  // True once the connection must be closed (after a protocol error has been
  // answered, a bind_nak, or a shutdown).
  bool closed() const { return closed_; }
  // True after a successful bind.
  bool bound() const { return bound_; }
  // The negotiated fragment size (0 before the bind).
  uint16_t max_fragment() const { return negotiated_fragment_; }

 private:
  struct SecurityState {
    std::unique_ptr<SecurityContext> context;
    uint8_t auth_type = 0;
    uint8_t auth_level = 0;
  };
  // A request whose last fragment has not arrived yet.
  struct PendingCall {
    uint32_t call_id = 0;
    uint16_t context_id = 0;
    uint16_t opnum = 0;
    bool has_auth = false;
    uint32_t auth_context_id = 0;
    bool verified = false;  // the fragments were verified by a SecurityContext
    size_t fragments = 0;
    Bytes stub;
  };

  // Handles one complete PDU; appends replies to `out`.
  void HandlePdu(ByteView pdu, const CommonHeader& header, Bytes& out);
  void HandleBind(ByteView pdu, const CommonHeader& header, Bytes& out);
  void HandleAlterContext(ByteView pdu, const CommonHeader& header, Bytes& out);
  void HandleRequest(ByteView pdu, const CommonHeader& header, Bytes& out);
  void Dispatch(PendingCall call, Bytes& out);

  // Answers the presentation contexts of a bind/alter_context and records the
  // accepted ones. Returns false on a protocol error (a context id rebound to
  // another interface, two feature negotiation contexts).
  bool NegotiateContexts(const BindPdu& bind, bool allow_features,
                         std::vector<ContextResult>& results);

  // Replies and closes.
  void BindNak(uint32_t call_id, uint16_t reason, Bytes& out);
  void ProtocolError(uint32_t call_id, Bytes& out);
  void FaultAndClose(uint32_t call_id, uint16_t context_id, uint32_t status, uint8_t extra_flags,
                     Bytes& out);
  // Replies without closing.
  void Fault(uint32_t call_id, uint16_t context_id, uint32_t status, uint8_t extra_flags,
             Bytes& out);

  InterfaceHandler* FindInterface(const SyntaxId& syntax) const;
  SecurityProvider* FindProvider(uint8_t auth_type) const;
  // Accepts the security context a bind or alter_context offers and stores
  // it; `reply` gets the verifier for the ack. The callers answer failures
  // differently (bind_nak or fault).
  enum class SecurityOutcome { kAccepted, kUnknownType, kRefused };
  SecurityOutcome AcceptSecurity(const AuthVerifier& auth, std::optional<AuthVerifier>& reply);

  ConnectionOptions options_;
  std::vector<InterfaceHandler*> interfaces_;
  std::vector<SecurityProvider*> providers_;

  Bytes input_;
  // The frag_length of the incomplete fragment at the front of `input_`, whose
  // header has been checked; 0 when none is pending. Receive() waits for that
  // many bytes before parsing again, so a client trickling a fragment in byte
  // by byte costs no more than one sending it whole.
  size_t awaited_frag_length_ = 0;
  bool closed_ = false;
  bool bound_ = false;
  uint16_t negotiated_fragment_ = 0;
  std::map<uint16_t, InterfaceHandler*> contexts_;
  std::map<uint32_t, SecurityState> security_;
  std::optional<PendingCall> pending_;
};

}  // namespace trustsim::dcerpc

#endif  // TRUSTSIM_PROTOCOL_DCERPC_CONNECTION_H_
