// Copyright 2026 The trustsim Authors.
//
// der_fuzzer.cc
// -----------------------------------------------------------------------------
//
// Fuzzes the strict DER codec (protocol/kerberos/der.h) and the small Kerberos
// structures built directly on it. The first input byte picks one of the
// checks below (fuzz/check_selector.h, DerCheck); the rest is the DER.
// Invariants, each an abort() when broken:
//
//   * ValidateDer and a recursive walk with DerReader::ReadAny agree on
//     whether the input is well-formed DER (and on the error code); DER is
//     canonical, so rewriting every TLV of a valid input with DerWriter
//     reproduces the input byte for byte;
//   * every typed read (INTEGER, Int32, UInt32, BIT STRING, BOOLEAN,
//     GeneralString, KerberosTime, OCTET STRING) that succeeds is re-encoded
//     by the matching DerWriter call into exactly the bytes it consumed, and a
//     read that fails leaves the cursor where it was;
//   * ParseKerberosTime / FormatKerberosTime round-trip both ways;
//   * PrincipalName, EncryptedData, PA-DATA, EncryptionKey and PA-ENC-TS-ENC:
//     parse, re-encode (must give the input back), parse again (must be
//     equal). The whole messages are kerberos_message_fuzzer's.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "base/bytes.h"
#include "fuzz/check_selector.h"
#include "fuzz/fuzz_check.h"
#include "protocol/kerberos/der.h"
#include "protocol/kerberos/messages.h"

namespace trustsim::kerberos {
namespace {

using der::DerReader;
using der::DerWriter;
using fuzz::DerCheck;
using fuzz::Fail;
using fuzz::FailBytes;
using fuzz::SameBytes;

constexpr int kMaxDepth = der::kDefaultMaxDepth;

// Walks every TLV of `data` (nesting `level`, the top being 0), rewriting each
// into `out`. Mirrors ValidateDer's rules: a constructed value may be entered
// from levels 0..kMaxDepth-1.
absl::Status Walk(ByteView data, int level, DerWriter& out) {
  DerReader r(data);
  while (!r.empty()) {
    absl::StatusOr<der::Tlv> tlv = r.ReadAny();
    if (!tlv.ok()) return tlv.status();
    if (tlv->tag.constructed) {
      if (level >= kMaxDepth) return absl::InvalidArgumentError("too deep");
      DerWriter inner;
      if (absl::Status s = Walk(tlv->value, level + 1, inner); !s.ok()) return s;
      out.WriteTlv(tlv->tag, inner.view());
    } else {
      out.WriteTlv(tlv->tag, tlv->value);
    }
  }
  return absl::OkStatus();
}

void CheckValidateAgreesWithWalk(ByteView input) {
  const absl::Status valid = der::ValidateDer(input, kMaxDepth);
  DerWriter rewritten;
  const absl::Status walked = Walk(input, 0, rewritten);
  if (valid.ok() != walked.ok() || valid.code() != walked.code()) {
    Fail("ValidateDer",
         "disagrees with a DerReader walk: " + valid.ToString() + " vs " + walked.ToString());
  }
  if (!valid.ok()) {
    fuzz::CheckParseError("ValidateDer", valid);
    return;
  }
  if (!SameBytes(rewritten.view(), input)) {
    FailBytes("DER rewrite", "rewriting valid DER changed it", input, rewritten.view());
  }
}

// Runs one typed read at the start of `input`. On success, `write` must
// reproduce the consumed bytes exactly; on failure the cursor must not move.
template <typename Read, typename Write>
void CheckTypedRead(const char* what, ByteView input, Read read, Write write) {
  DerReader r(input);
  const size_t before = r.remaining();
  auto value = read(r);
  if (!value.ok()) {
    fuzz::CheckParseError(what, value.status());
    if (r.remaining() != before) Fail(what, "a failed read moved the cursor");
    return;
  }
  const ByteView consumed = input.first(before - r.remaining());
  DerWriter w;
  write(w, *value);
  if (!SameBytes(w.view(), consumed)) {
    FailBytes(what, "re-encoding a successful read changed the bytes", consumed, w.view());
  }
}

// Constructed accessors also leave the cursor alone when they fail.
void CheckConstructedReads(ByteView input) {
  auto unmoved = [&](const char* what, auto enter) {
    DerReader r(input);
    if (!enter(r).ok() && r.remaining() != input.size()) {
      Fail(what, "a failed read moved the cursor");
    }
  };
  unmoved("ExpectSequence", [](DerReader& r) { return r.ExpectSequence().status(); });
  unmoved("ExpectContext", [](DerReader& r) { return r.ExpectContext(0).status(); });
  unmoved("OptionalContext", [](DerReader& r) { return r.OptionalContext(0).status(); });
  unmoved("ExpectApplication", [](DerReader& r) { return r.ExpectApplication(1).status(); });
}

void CheckKerberosTime(ByteView input) {
  // Text to time and back: only the canonical form parses.
  if (input.size() >= 15) {
    const absl::string_view text(reinterpret_cast<const char*>(input.data()), 15);
    absl::StatusOr<int64_t> t = der::ParseKerberosTime(text);
    if (t.ok() && der::FormatKerberosTime(*t) != text) {
      Fail("KerberosTime",
           "\"" + std::string(text) + "\" formats back as \"" + der::FormatKerberosTime(*t) + "\"");
    }
  }
  // Time to text and back: whole seconds, clamped to years 0000..9999.
  if (input.size() >= 8) {
    uint64_t u = 0;
    for (int i = 0; i < 8; ++i) u = (u << 8) | input[i];
    const int64_t micros = static_cast<int64_t>(u);
    const std::string text = der::FormatKerberosTime(micros);
    absl::StatusOr<int64_t> back = der::ParseKerberosTime(text);
    if (!back.ok()) Fail("KerberosTime", text + " does not parse: " + back.status().ToString());
    if (der::FormatKerberosTime(*back) != text) {
      Fail("KerberosTime", text + " does not survive a second round trip");
    }
    const int64_t min_micros = der::DaysFromCivil({0, 1, 1}) * 86400 * 1000000;
    const int64_t max_micros = (der::DaysFromCivil({9999, 12, 31}) * 86400 + 86399) * 1000000;
    if (micros >= min_micros && micros <= max_micros) {
      const int64_t floored = micros - (((micros % 1000000) + 1000000) % 1000000);
      if (*back != floored) Fail("KerberosTime", text + " parses to another second");
    }
  }
}

// Runs the check the first input byte picked on the rest of the input.
void RunCheck(DerCheck check, ByteView input) {
  switch (check) {
    case DerCheck::kWalk:
      CheckValidateAgreesWithWalk(input);
      break;
    case DerCheck::kReadInteger:
      CheckTypedRead(
          "ReadInteger", input, [](DerReader& r) { return r.ReadInteger(); },
          [](DerWriter& w, int64_t v) { w.Integer(v); });
      break;
    case DerCheck::kReadInt32:
      CheckTypedRead(
          "ReadInt32", input, [](DerReader& r) { return r.ReadInt32(); },
          [](DerWriter& w, int32_t v) { w.Integer(v); });
      break;
    case DerCheck::kReadUint32:
      CheckTypedRead(
          "ReadUint32", input, [](DerReader& r) { return r.ReadUint32(); },
          [](DerWriter& w, uint32_t v) { w.Integer(v); });
      break;
    case DerCheck::kReadBitString:
      CheckTypedRead(
          "ReadBitString", input, [](DerReader& r) { return r.ReadBitString(); },
          [](DerWriter& w, uint32_t v) { w.BitString32(v); });
      break;
    case DerCheck::kReadBoolean:
      CheckTypedRead(
          "ReadBoolean", input, [](DerReader& r) { return r.ReadBoolean(); },
          [](DerWriter& w, bool v) { w.Boolean(v); });
      break;
    case DerCheck::kReadGeneralString:
      CheckTypedRead(
          "ReadGeneralString", input, [](DerReader& r) { return r.ReadGeneralString(); },
          [](DerWriter& w, const std::string& v) { w.GeneralString(v); });
      break;
    case DerCheck::kReadKerberosTime:
      CheckTypedRead(
          "ReadKerberosTime", input, [](DerReader& r) { return r.ReadKerberosTime(); },
          [](DerWriter& w, int64_t v) { w.KerberosTime(v); });
      break;
    case DerCheck::kReadOctetString:
      CheckTypedRead(
          "ReadOctetString", input, [](DerReader& r) { return r.ReadOctetString(); },
          [](DerWriter& w, ByteView v) { w.OctetString(v); });
      break;
    case DerCheck::kConstructedReads:
      CheckConstructedReads(input);
      break;
    case DerCheck::kKerberosTimeText:
      CheckKerberosTime(input);
      break;
    case DerCheck::kPrincipalName:
      fuzz::CheckRoundTrip("PrincipalName", input, ParsePrincipalName, EncodePrincipalName);
      break;
    case DerCheck::kEncryptedData:
      fuzz::CheckRoundTrip("EncryptedData", input, ParseEncryptedData, EncodeEncryptedData);
      break;
    case DerCheck::kPaData:
      fuzz::CheckRoundTrip("PaData", input, ParsePaData, EncodePaData);
      break;
    case DerCheck::kEncryptionKey:
      fuzz::CheckRoundTrip("EncryptionKey", input, ParseEncryptionKey, EncodeEncryptionKey);
      break;
    case DerCheck::kPaEncTsEnc:
      fuzz::CheckRoundTrip("PaEncTsEnc", input, ParsePaEncTsEnc, EncodePaEncTsEnc);
      break;
    case DerCheck::kCount:
      break;
  }
}

}  // namespace
}  // namespace trustsim::kerberos

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const auto check = trustsim::fuzz::PickCheck<trustsim::fuzz::DerCheck>(data[0]);
  trustsim::kerberos::RunCheck(check, trustsim::ByteView(data + 1, size - 1));
  return 0;
}
