// Copyright 2026 The trustsim Authors.
//
// mutation.h
// -----------------------------------------------------------------------------
//
// A sans-I/O mutation engine for the replies a hostile DC sends: Kerberos
// messages (DER) and connection-oriented DCE/RPC PDUs. `trustsim serve
// --mutate SEED` runs every served reply through it so that clients and
// repair tools can be pointed at a DC that answers with broken but plausibly
// framed messages.
//
// Each call picks one mutation, structure-aware where the input parses:
//
//   Kerberos   the DER TLV tree is walked (der::ReadTlv) and named after RFC
//              4120's structures ("AS-REP enc-part cipher"); one of: bits
//              flipped in a primitive value, an INTEGER set to a boundary
//              value, a constructed value truncated (enclosing lengths fixed
//              up), a wrong inner length, an OCTET STRING replaced by random
//              bytes, a SEQUENCE element swapped, duplicated or dropped, a
//              KerberosTime moved far into the past or future, an APPLICATION
//              tag changed. The outer TLV always stays well-formed.
//   DCE/RPC    header fields (ptype, flags, call_id, version and drep,
//              alloc_hint, context id, auth_length), bind_ack results,
//              secondary address and fragment sizes, the stub (bits flipped,
//              truncated, the NTSTATUS return value, the 8 credential bytes
//              that open ReqChallenge and Authenticate replies), the auth
//              trailer (a bad checksum, sec_trailer fields). frag_length
//              always matches the bytes returned, except for the mutation
//              that makes it wrong on purpose (kWrongFragLength).
//
// Input that does not parse (not DER, not one whole PDU) gets a raw byte
// mutation (kRaw); nothing reachable from the input asserts or throws.
//
// Randomness. Every call takes exactly one 64-bit value from `rng` and derives
// all its choices from it, so a caller sharing one stream between many
// replies stays reproducible whatever the replies' sizes: the same seed and
// the same sequence of replies give the same mutations.
//
// Descriptions name what was done, e.g. "KRB-ERROR error-code 25 ->
// 2147483647", "AS-REP enc-part cipher: 3 bits flipped at offset 17",
// "response: status 0x00000000 -> 0xc0000022 (STATUS_ACCESS_DENIED)". Values
// that come from a clock (KerberosTime, cusec/susec) are not quoted, so a
// description does not change from one run to the next.
//
// Example:
//
//   SeededRandom rng(7);
//   std::string what;
//   Bytes evil = mutation::MutateKerberosReply(reply, rng, &what);
//   // what == "AS-REP ticket enc-part kvno 13 -> 0"

#ifndef TRUSTSIM_PROTOCOL_MUTATION_H_
#define TRUSTSIM_PROTOCOL_MUTATION_H_

#include <string>
#include <vector>

#include "base/bytes.h"
#include "base/random.h"

namespace trustsim::mutation {

// What a mutation did.
enum class Kind {
  // Kerberos (DER).
  kBitFlip,           // bits flipped in a primitive value
  kIntegerBoundary,   // an INTEGER set to a boundary value
  kTruncate,          // a constructed value's contents cut short, lengths fixed
  kWrongLength,       // an inner TLV's length octets made wrong
  kReplaceOctets,     // an OCTET STRING replaced by random bytes
  kSwapElements,      // two SEQUENCE elements swapped
  kDuplicateElement,  // a SEQUENCE element repeated
  kDropElement,       // a SEQUENCE element removed
  kTime,              // a KerberosTime moved far into the past or future
  kApplicationTag,    // an [APPLICATION n] tag number changed
  // DCE/RPC.
  kPtype,                    // header PTYPE
  kFlags,                    // header pfc_flags
  kCallId,                   // header call_id
  kVersion,                  // rpc_vers, rpc_vers_minor or drep
  kWrongFragLength,          // frag_length no longer the PDU's size
  kWrongAuthLength,          // auth_length wrong
  kAllocHint,                // response/fault alloc_hint
  kContextId,                // response/fault p_cont_id or cancel_count
  kBindAckResult,            // bind_ack results: rejection, transfer syntax, count
  kBindAckSecondaryAddress,  // bind_ack secondary address
  kBindAckFragSize,          // bind_ack max_xmit_frag/max_recv_frag/assoc_group_id
  kStubBitFlip,              // bits flipped in the stub (or body)
  kStubTruncate,             // the stub (or body) cut short, frag_length fixed
  kStatus,                   // the NTSTATUS that ends a response stub, a fault status
  kCredential,               // the 8 credential/challenge bytes opening a stub
  kAuthTrailer,              // auth value (bad checksum) or sec_trailer fields
  // Either, for input that does not parse.
  kRaw,
};

// A short name, e.g. "integer-boundary".
const char* KindName(Kind kind);

// The kinds each function can produce for input that parses (kRaw aside).
std::vector<Kind> KerberosKinds();
std::vector<Kind> RpcKinds();

// One mutation's result.
struct Mutation {
  Bytes bytes;
  Kind kind = Kind::kRaw;
  std::string description;
};

// Mutates one Kerberos message (a KDC reply: AS-REP, TGS-REP, KRB-ERROR; any
// DER works). For DER input the result is one well-formed outer TLV and
// differs from the input.
Mutation MutateKerberos(ByteView reply, RandomSource& rng);

// Mutates exactly one connection-oriented DCE/RPC PDU. For a PDU whose common
// header parses and whose frag_length is its size, the result's frag_length is
// its size, except with kWrongFragLength.
Mutation MutateRpc(ByteView pdu, RandomSource& rng);

// The same, returning the bytes; `description` (may be null) gets what was
// done.
Bytes MutateKerberosReply(ByteView reply, RandomSource& rng, std::string* description);
Bytes MutateRpcReply(ByteView pdu, RandomSource& rng, std::string* description);

// Splits a byte stream of whole PDUs at their frag_lengths. Bytes that do not
// frame (fewer than 16 left, a frag_length below 16 or past the end) become
// one last piece.
std::vector<ByteView> SplitRpcPdus(ByteView stream);

// True when a client that read `original` correctly would, reading `mutated`,
// be left waiting for bytes that never come or out of step with the stream:
// frag_length differs from the size, or PFC_LAST_FRAG was cleared. A server
// should close the connection after sending such a PDU.
bool LeavesRpcClientWaiting(ByteView original, ByteView mutated);

}  // namespace trustsim::mutation

#endif  // TRUSTSIM_PROTOCOL_MUTATION_H_
