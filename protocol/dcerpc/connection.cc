// Copyright 2026 The trustsim Authors.

#include "protocol/dcerpc/connection.h"

#include <algorithm>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace trustsim::dcerpc {
namespace {

// Samba raises the client's fragment size to at least this ("The values are
// between 2048 and 5840 tested against Windows 2012R2").
constexpr uint16_t kMinClientFragment = 2048;
// Our own fragment size is kept at least this large so a signed response
// fragment always has room for stub data.
constexpr uint16_t kMinOwnFragment = 256;
// Stub bytes of a signed fragment are a multiple of this (Samba's
// DCERPC_AUTH_PAD_ALIGNMENT).
constexpr size_t kAuthPadAlignment = 16;

uint32_t RawCallId(ByteView header) {
  return static_cast<uint32_t>(header[12]) | static_cast<uint32_t>(header[13]) << 8 |
         static_cast<uint32_t>(header[14]) << 16 | static_cast<uint32_t>(header[15]) << 24;
}

void Append(Bytes& out, const Bytes& pdu) { out.insert(out.end(), pdu.begin(), pdu.end()); }

}  // namespace

Connection::Connection(ConnectionOptions options) : options_(std::move(options)) {
  options_.max_fragment = std::max(options_.max_fragment, kMinOwnFragment);
}

void Connection::AddInterface(InterfaceHandler* handler) { interfaces_.push_back(handler); }

void Connection::AddSecurityProvider(SecurityProvider* provider) { providers_.push_back(provider); }

InterfaceHandler* Connection::FindInterface(const SyntaxId& syntax) const {
  for (InterfaceHandler* handler : interfaces_) {
    if (handler->syntax() == syntax) return handler;
  }
  return nullptr;
}

Connection::SecurityOutcome Connection::AcceptSecurity(const AuthVerifier& auth,
                                                       std::optional<AuthVerifier>& reply) {
  SecurityProvider* provider = FindProvider(auth.auth_type);
  if (provider == nullptr) return SecurityOutcome::kUnknownType;
  if (auth.auth_level < kAuthLevelConnect || auth.auth_level > kAuthLevelPrivacy) {
    return SecurityOutcome::kRefused;
  }
  absl::StatusOr<SecurityProvider::Accepted> accepted =
      provider->Accept(auth.auth_level, auth.auth_value);
  if (!accepted.ok() || accepted->context == nullptr) return SecurityOutcome::kRefused;
  if (!accepted->reply_auth_value.empty()) {
    reply = AuthVerifier{auth.auth_type,
                         auth.auth_level,
                         0,
                         0,
                         auth.auth_context_id,
                         std::move(accepted->reply_auth_value)};
  }
  security_[auth.auth_context_id] =
      SecurityState{std::move(accepted->context), auth.auth_type, auth.auth_level};
  return SecurityOutcome::kAccepted;
}

SecurityProvider* Connection::FindProvider(uint8_t auth_type) const {
  for (SecurityProvider* provider : providers_) {
    if (provider->auth_type() == auth_type) return provider;
  }
  return nullptr;
}

Bytes Connection::Receive(ByteView data) {
  Bytes out;
  if (closed_) return out;
  input_.insert(input_.end(), data.begin(), data.end());
  if (input_.size() < awaited_frag_length_) return out;
  awaited_frag_length_ = 0;
  size_t start = 0;
  while (!closed_) {
    const ByteView rest = ByteView(input_).subspan(start);
    if (rest.size() < kCommonHeaderSize) break;
    const uint32_t call_id = RawCallId(rest);
    const absl::StatusOr<CommonHeader> header = ParseCommonHeader(rest);
    if (!header.ok()) {
      ProtocolError(call_id, out);
      break;
    }
    const size_t limit = bound_ ? negotiated_fragment_ : options_.max_fragment;
    if (header->frag_length > limit) {
      if (bound_) {
        ProtocolError(call_id, out);
      } else {
        BindNak(call_id, kBindNakLocalLimitExceeded, out);
      }
      break;
    }
    if (rest.size() < header->frag_length) {
      awaited_frag_length_ = header->frag_length;
      break;
    }
    HandlePdu(rest.first(header->frag_length), *header, out);
    start += header->frag_length;
  }
  if (closed_) {
    input_.clear();
    pending_.reset();
  } else {
    input_.erase(input_.begin(), input_.begin() + static_cast<ptrdiff_t>(start));
  }
  return out;
}

void Connection::HandlePdu(ByteView pdu, const CommonHeader& header, Bytes& out) {
  if (!bound_) {
    if (header.ptype == kPtypeBind) {
      HandleBind(pdu, header, out);
    } else {
      ProtocolError(header.call_id, out);
    }
    return;
  }
  switch (header.ptype) {
    case kPtypeRequest:
      HandleRequest(pdu, header, out);
      return;
    case kPtypeAlterContext:
      HandleAlterContext(pdu, header, out);
      return;
    case kPtypeBind:
      // Only one bind per connection (Samba: bind_nak, reason not specified).
      BindNak(header.call_id, kBindNakNotSpecified, out);
      return;
    case kPtypeAuth3:     // no third leg for schannel
    case kPtypeCoCancel:  // calls run to completion here
      return;
    case kPtypeOrphaned:
      if (pending_.has_value() && pending_->call_id == header.call_id) pending_.reset();
      return;
    case kPtypeShutdown:
      closed_ = true;
      return;
    default:
      ProtocolError(header.call_id, out);
      return;
  }
}

bool Connection::NegotiateContexts(const BindPdu& bind, bool allow_features,
                                   std::vector<ContextResult>& results) {
  bool saw_features = false;
  for (const PresentationContext& ctx : bind.contexts) {
    if (allow_features && !ctx.transfer_syntaxes.empty()) {
      if (const std::optional<uint64_t> offered = BindTimeFeatures(ctx.transfer_syntaxes[0])) {
        if (saw_features) return false;
        saw_features = true;
        uint64_t supported = kFeatureKeepConnectionOnOrphan;
        if (options_.max_security_contexts > 1) supported |= kFeatureSecurityContextMultiplexing;
        results.push_back(ContextResult{kResultNegotiateAck,
                                        static_cast<uint16_t>(*offered & supported), SyntaxId{}});
        continue;
      }
    }
    InterfaceHandler* handler = FindInterface(ctx.abstract_syntax);
    if (handler == nullptr) {
      results.push_back(
          ContextResult{kResultProviderRejection, kReasonAbstractSyntaxNotSupported, SyntaxId{}});
      continue;
    }
    const auto existing = contexts_.find(ctx.context_id);
    if (existing != contexts_.end() && existing->second != handler) return false;
    const bool ndr20 = std::find(ctx.transfer_syntaxes.begin(), ctx.transfer_syntaxes.end(),
                                 Ndr20Syntax()) != ctx.transfer_syntaxes.end();
    if (!ndr20) {
      results.push_back(
          ContextResult{kResultProviderRejection, kReasonTransferSyntaxesNotSupported, SyntaxId{}});
      continue;
    }
    if (existing == contexts_.end() && contexts_.size() >= options_.max_contexts) {
      results.push_back(
          ContextResult{kResultProviderRejection, kReasonLocalLimitExceeded, SyntaxId{}});
      continue;
    }
    contexts_[ctx.context_id] = handler;
    results.push_back(ContextResult{kResultAcceptance, kReasonNotSpecified, Ndr20Syntax()});
  }
  return true;
}

void Connection::HandleBind(ByteView pdu, const CommonHeader& header, Bytes& out) {
  absl::StatusOr<BindPdu> bind = ParseBind(pdu);
  if (!bind.ok() || bind->contexts.empty()) {
    BindNak(header.call_id, kBindNakProtocolVersionNotSupported, out);
    return;
  }
  for (const PresentationContext& ctx : bind->contexts) {
    if (ctx.transfer_syntaxes.empty()) {
      BindNak(header.call_id, kBindNakNotSpecified, out);
      return;
    }
  }
  uint16_t fragment = std::min(bind->max_xmit_frag, bind->max_recv_frag);
  fragment = std::max(fragment, kMinClientFragment);
  fragment = std::min(fragment, options_.max_fragment);
  fragment &= 0xFFF8;

  std::vector<ContextResult> results;
  if (!NegotiateContexts(*bind, /*allow_features=*/true, results)) {
    BindNak(header.call_id, kBindNakNotSpecified, out);
    return;
  }

  std::optional<AuthVerifier> reply_auth;
  if (bind->auth.has_value()) {
    switch (AcceptSecurity(*bind->auth, reply_auth)) {
      case SecurityOutcome::kAccepted:
        break;
      case SecurityOutcome::kUnknownType:
        BindNak(header.call_id, kBindNakAuthTypeNotRecognized, out);
        return;
      case SecurityOutcome::kRefused:
        BindNak(header.call_id, kBindNakNotSpecified, out);
        return;
    }
  }

  BindAckPdu ack;
  ack.call_id = header.call_id;
  ack.max_xmit_frag = fragment;
  ack.max_recv_frag = fragment;
  ack.assoc_group_id = options_.assoc_group_id;
  ack.secondary_address = options_.secondary_address;
  ack.results = std::move(results);
  ack.auth = std::move(reply_auth);
  absl::StatusOr<Bytes> encoded = EncodeBindAck(ack);
  if (!encoded.ok()) {
    BindNak(header.call_id, kBindNakNotSpecified, out);
    return;
  }
  bound_ = true;
  negotiated_fragment_ = fragment;
  Append(out, *encoded);
}

void Connection::HandleAlterContext(ByteView pdu, const CommonHeader& header, Bytes& out) {
  absl::StatusOr<BindPdu> alter = ParseAlterContext(pdu);
  if (!alter.ok() || alter->contexts.empty()) {
    ProtocolError(header.call_id, out);
    return;
  }
  for (const PresentationContext& ctx : alter->contexts) {
    if (ctx.transfer_syntaxes.empty()) {
      ProtocolError(header.call_id, out);
      return;
    }
  }
  std::vector<ContextResult> results;
  if (!NegotiateContexts(*alter, /*allow_features=*/false, results)) {
    ProtocolError(header.call_id, out);
    return;
  }

  std::optional<AuthVerifier> reply_auth;
  if (alter->auth.has_value()) {
    const AuthVerifier& auth = *alter->auth;
    if (security_.contains(auth.auth_context_id) ||
        security_.size() >= options_.max_security_contexts) {
      ProtocolError(header.call_id, out);
      return;
    }
    switch (AcceptSecurity(auth, reply_auth)) {
      case SecurityOutcome::kAccepted:
        break;
      case SecurityOutcome::kUnknownType:
        FaultAndClose(header.call_id, 0, kFaultSecPkgError, 0, out);
        return;
      case SecurityOutcome::kRefused:
        FaultAndClose(header.call_id, 0, kFaultAccessDenied, 0, out);
        return;
    }
  }

  BindAckPdu resp;
  resp.call_id = header.call_id;
  resp.max_xmit_frag = negotiated_fragment_;
  resp.max_recv_frag = negotiated_fragment_;
  resp.assoc_group_id = options_.assoc_group_id;
  resp.results = std::move(results);
  resp.auth = std::move(reply_auth);
  absl::StatusOr<Bytes> encoded = EncodeAlterContextResp(resp);
  if (!encoded.ok()) {
    ProtocolError(header.call_id, out);
    return;
  }
  Append(out, *encoded);
}

void Connection::HandleRequest(ByteView pdu, const CommonHeader& header, Bytes& out) {
  absl::StatusOr<RequestPdu> request = ParseRequest(pdu);
  if (!request.ok()) {
    ProtocolError(header.call_id, out);
    return;
  }
  const bool first = (request->pfc_flags & kPfcFirstFrag) != 0;
  const bool last = (request->pfc_flags & kPfcLastFrag) != 0;
  if (first) {
    if (pending_.has_value()) {
      // Only one fragmented call at a time; the fault names the call in
      // progress (as Samba does without CONC_MPX).
      ProtocolError(pending_->call_id, out);
      return;
    }
    if (!contexts_.contains(request->context_id)) {
      Fault(header.call_id, request->context_id, kFaultUnknownInterface, kPfcDidNotExecute, out);
      return;
    }
    if (request->alloc_hint > options_.max_request_bytes) {
      FaultAndClose(header.call_id, request->context_id, kFaultAccessDenied, 0, out);
      return;
    }
    PendingCall call;
    call.call_id = header.call_id;
    call.context_id = request->context_id;
    call.opnum = request->opnum;
    call.has_auth = request->auth.has_value();
    call.auth_context_id = call.has_auth ? request->auth->auth_context_id : 0;
    pending_ = std::move(call);
  } else if (!pending_.has_value() || pending_->call_id != header.call_id) {
    ProtocolError(header.call_id, out);
    return;
  }

  PendingCall& call = *pending_;
  if (request->auth.has_value() != call.has_auth ||
      (call.has_auth && request->auth->auth_context_id != call.auth_context_id)) {
    ProtocolError(call.call_id, out);
    return;
  }
  if (++call.fragments > options_.max_fragments) {
    ProtocolError(call.call_id, out);
    return;
  }
  Bytes stub = std::move(request->stub);
  if (call.has_auth) {
    const AuthVerifier& auth = *request->auth;
    const auto state = security_.find(auth.auth_context_id);
    if (state == security_.end() || state->second.auth_type != auth.auth_type ||
        state->second.auth_level != auth.auth_level) {
      ProtocolError(call.call_id, out);
      return;
    }
    if (auth.auth_level >= kAuthLevelPacket) {
      if (!state->second.context->VerifyRequest(stub, auth.auth_value).ok()) {
        FaultAndClose(call.call_id, call.context_id, kFaultAccessDenied, 0, out);
        return;
      }
      call.verified = true;
    }
    if (auth.auth_pad_length > stub.size()) {
      FaultAndClose(call.call_id, call.context_id, kFaultAccessDenied, 0, out);
      return;
    }
    stub.resize(stub.size() - auth.auth_pad_length);
  }
  if (stub.size() > options_.max_request_bytes - call.stub.size()) {
    FaultAndClose(call.call_id, call.context_id, kFaultAccessDenied, 0, out);
    return;
  }
  call.stub.insert(call.stub.end(), stub.begin(), stub.end());
  if (!last) return;
  PendingCall done = std::move(*pending_);
  pending_.reset();
  Dispatch(std::move(done), out);
}

void Connection::Dispatch(PendingCall call, Bytes& out) {
  InterfaceHandler* handler = contexts_.at(call.context_id);
  SecurityContext* security = nullptr;
  uint8_t auth_type = 0;
  uint8_t auth_level = 0;
  CallContext context;
  context.opnum = call.opnum;
  context.stub = call.stub;
  if (call.verified) {
    const SecurityState& state = security_.at(call.auth_context_id);
    security = state.context.get();
    auth_type = state.auth_type;
    auth_level = state.auth_level;
    context.security = security->info();
  }
  CallReply reply = handler->Call(context);
  if (reply.fault != 0) {
    Fault(call.call_id, call.context_id, reply.fault,
          reply.fault == kFaultOpRangeError ? kPfcDidNotExecute : 0, out);
    return;
  }

  const size_t max = negotiated_fragment_;
  size_t chunk = max - kResponseHeaderSize;
  if (security != nullptr) {
    const size_t overhead = kResponseHeaderSize + kSecTrailerSize + security->signature_length();
    if (max < overhead + kAuthPadAlignment) {
      Fault(call.call_id, call.context_id, kFaultSecPkgError, 0, out);
      return;
    }
    chunk = (max - overhead) / kAuthPadAlignment * kAuthPadAlignment;
  }
  const Bytes& stub = reply.stub;
  const size_t total = stub.size();
  if (total > UINT32_MAX) {
    Fault(call.call_id, call.context_id, kFaultProtoError, 0, out);
    return;
  }
  Bytes fragments;
  size_t offset = 0;
  do {
    const size_t n = std::min(chunk, total - offset);
    ResponsePdu response;
    response.call_id = call.call_id;
    response.pfc_flags =
        (offset == 0 ? kPfcFirstFrag : 0) | (offset + n == total ? kPfcLastFrag : 0);
    response.alloc_hint = static_cast<uint32_t>(total - offset);
    response.context_id = call.context_id;
    response.stub.assign(stub.begin() + static_cast<ptrdiff_t>(offset),
                         stub.begin() + static_cast<ptrdiff_t>(offset + n));
    if (security != nullptr) {
      const size_t pad = (kAuthPadAlignment - n % kAuthPadAlignment) % kAuthPadAlignment;
      response.stub.resize(n + pad, 0);
      absl::StatusOr<Bytes> signature = security->SignResponse(response.stub);
      if (!signature.ok() || response.stub.size() != n + pad) {
        Fault(call.call_id, call.context_id, kFaultSecPkgError, 0, out);
        return;
      }
      response.auth = AuthVerifier{auth_type, auth_level,           static_cast<uint8_t>(pad),
                                   0,         call.auth_context_id, std::move(*signature)};
    }
    absl::StatusOr<Bytes> encoded = EncodeResponse(response);
    if (!encoded.ok() || encoded->size() > max) {
      Fault(call.call_id, call.context_id, kFaultSecPkgError, 0, out);
      return;
    }
    Append(fragments, *encoded);
    offset += n;
  } while (offset < total);
  Append(out, fragments);
}

void Connection::BindNak(uint32_t call_id, uint16_t reason, Bytes& out) {
  BindNakPdu nak;
  nak.call_id = call_id;
  nak.reject_reason = reason;
  absl::StatusOr<Bytes> encoded = EncodeBindNak(nak);
  if (encoded.ok()) Append(out, *encoded);
  closed_ = true;
}

void Connection::ProtocolError(uint32_t call_id, Bytes& out) {
  if (!bound_) {
    BindNak(call_id, kBindNakProtocolVersionNotSupported, out);
    return;
  }
  const uint16_t context_id =
      pending_.has_value() && pending_->call_id == call_id ? pending_->context_id : 0;
  FaultAndClose(call_id, context_id, kFaultProtoError, kPfcDidNotExecute, out);
}

void Connection::FaultAndClose(uint32_t call_id, uint16_t context_id, uint32_t status,
                               uint8_t extra_flags, Bytes& out) {
  Fault(call_id, context_id, status, extra_flags, out);
  closed_ = true;
  pending_.reset();
}

void Connection::Fault(uint32_t call_id, uint16_t context_id, uint32_t status, uint8_t extra_flags,
                       Bytes& out) {
  FaultPdu fault;
  fault.call_id = call_id;
  fault.pfc_flags = kPfcFirstFrag | kPfcLastFrag | extra_flags;
  // Samba's dcesrv_fault_with_flags sends alloc_hint 24.
  fault.alloc_hint = 24;
  fault.context_id = context_id;
  fault.status = status;
  absl::StatusOr<Bytes> encoded = EncodeFault(fault);
  if (encoded.ok()) Append(out, *encoded);
}

}  // namespace trustsim::dcerpc
