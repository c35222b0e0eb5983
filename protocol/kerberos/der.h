// Copyright 2026 The trustsim Authors.
//
// der.h
// -----------------------------------------------------------------------------
//
// A strict, bounded ASN.1 DER codec for Kerberos (RFC 4120 §5: "the DER
// encoding rules"), sans I/O, built on `ByteReader` and `ByteWriter`.
//
// Reading accepts only DER: definite, minimally encoded lengths; minimal tag
// numbers; minimal two's-complement INTEGERs; BOOLEAN as 00 or ff; primitive
// encodings of strings. Lengths are capped at `kMaxLength` and nesting at a
// depth chosen by the caller (`kDefaultMaxDepth`). Running out of input is
// `kOutOfRange` ("truncated"); anything else wrong is `kInvalidArgument`.
// Nothing reachable from input bytes asserts.
//
// Example:
//
//   DerReader top(message);
//   ASSIGN_OR_RETURN(DerReader app, top.ExpectApplication(30));  // KRB-ERROR
//   RETURN_IF_ERROR(top.ExpectEnd());
//   ASSIGN_OR_RETURN(DerReader seq, app.ExpectSequence());
//   ASSIGN_OR_RETURN(DerReader pvno_field, seq.ExpectContext(0));
//   ASSIGN_OR_RETURN(int32_t pvno, pvno_field.ReadInt32());
//
//   DerWriter w;
//   w.Application(30, [&](DerWriter& app) {
//     app.Sequence([&](DerWriter& seq) {
//       seq.Context(0, [&](DerWriter& f) { f.Integer(5); });
//     });
//   });
//   Bytes der = std::move(w).Take();

#ifndef TRUSTSIM_PROTOCOL_KERBEROS_DER_H_
#define TRUSTSIM_PROTOCOL_KERBEROS_DER_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "base/byte_reader.h"
#include "base/byte_writer.h"
#include "base/bytes.h"

namespace trustsim::kerberos::der {

// The two class bits of an identifier octet.
enum class TagClass : uint8_t {
  kUniversal = 0,
  kApplication = 1,
  kContext = 2,
  kPrivate = 3,
};

// An ASN.1 tag: class, constructed bit and tag number.
struct Tag {
  TagClass tag_class = TagClass::kUniversal;
  bool constructed = false;
  uint32_t number = 0;

  bool operator==(const Tag&) const = default;
};

// Universal tag numbers Kerberos uses.
inline constexpr uint32_t kTagBoolean = 1;
inline constexpr uint32_t kTagInteger = 2;
inline constexpr uint32_t kTagBitString = 3;
inline constexpr uint32_t kTagOctetString = 4;
inline constexpr uint32_t kTagSequence = 16;
inline constexpr uint32_t kTagGeneralizedTime = 24;
inline constexpr uint32_t kTagGeneralString = 27;

// The largest value length accepted (16 MiB).
inline constexpr size_t kMaxLength = size_t{16} << 20;
// The default limit on nested constructed values.
inline constexpr int kDefaultMaxDepth = 32;

// Returns a readable form of `tag` for error messages, e.g. "[APPLICATION 10]".
std::string FormatTag(const Tag& tag);

// One tag-length-value. `value` points into the reader's buffer.
struct Tlv {
  Tag tag;
  ByteView value;
};

// Reads an identifier octet (and any high-tag-number octets). High tag numbers
// must be minimal: no leading 0x80 octet and a number of at least 31.
absl::StatusOr<Tag> ReadTag(ByteReader& reader);

// Reads one TLV. Lengths must be definite (0x80 is rejected), minimally
// encoded and at most `kMaxLength`; a length past the end of the input is
// `kOutOfRange`. On error the reader is left where it was.
absl::StatusOr<Tlv> ReadTlv(ByteReader& reader);

// Checks that `der` is a sequence of well-formed TLVs, descending into every
// constructed value, with at most `max_depth` levels of nesting. Iterative: the
// stack does not grow with the input.
absl::Status ValidateDer(ByteView der, int max_depth = kDefaultMaxDepth);

// A proleptic Gregorian date.
struct CivilDay {
  int64_t year = 1970;
  int month = 1;  // 1..12
  int day = 1;    // 1..31

  bool operator==(const CivilDay&) const = default;
};

// Days since 1970-01-01 (Howard Hinnant's days_from_civil). The date must be
// valid.
int64_t DaysFromCivil(const CivilDay& day);
// The inverse of `DaysFromCivil` (Hinnant's civil_from_days).
CivilDay CivilFromDays(int64_t days);

// Parses a KerberosTime ("YYYYMMDDHHMMSSZ", exactly 15 characters, RFC 4120
// §5.2.3) into microseconds since the Unix epoch. Leap seconds (":60") and
// fractional seconds are rejected.
absl::StatusOr<int64_t> ParseKerberosTime(absl::string_view text);

// Rounds microseconds since the Unix epoch down to a whole second, which is
// all a KerberosTime holds (the microseconds go in separate fields).
int64_t WholeSeconds(int64_t micros);

// Formats microseconds since the Unix epoch as a KerberosTime, rounding down to
// whole seconds. Times outside years 0000..9999 are clamped to that range.
std::string FormatKerberosTime(int64_t micros);

// A cursor over DER values: the top-level input or the contents of one
// constructed value. Reads either succeed or leave the cursor unchanged.
// Sub-readers returned by the `Expect*` methods count one more level of
// nesting; going past the limit is `kInvalidArgument`.
class DerReader {
 public:
  explicit DerReader(ByteView data, int max_depth = kDefaultMaxDepth)
      : DerReader(data, 0, max_depth) {}

  bool empty() const { return reader_.empty(); }
  size_t remaining() const { return reader_.remaining(); }
  // The nesting depth of this reader; the top level is 0.
  int depth() const { return depth_; }

  // Returns the next tag without consuming anything.
  absl::StatusOr<Tag> PeekTag() const;
  // Reads the next TLV, whatever its tag.
  absl::StatusOr<Tlv> ReadAny();

  // Enters a SEQUENCE (or SEQUENCE OF).
  absl::StatusOr<DerReader> ExpectSequence();
  // Enters an explicit context tag [n].
  absl::StatusOr<DerReader> ExpectContext(uint32_t n);
  // Enters [n] if it is the next tag; returns nullopt at the end of the input
  // or when another tag follows. A malformed TLV is still an error.
  absl::StatusOr<std::optional<DerReader>> OptionalContext(uint32_t n);
  // Enters an explicit application tag [APPLICATION n].
  absl::StatusOr<DerReader> ExpectApplication(uint32_t n);

  // INTEGER in the int64 range.
  absl::StatusOr<int64_t> ReadInteger();
  // INTEGER in the Int32 / UInt32 range (RFC 4120 §5.2.4).
  absl::StatusOr<int32_t> ReadInt32();
  absl::StatusOr<uint32_t> ReadUint32();
  // OCTET STRING; the view points into the input.
  absl::StatusOr<ByteView> ReadOctetString();
  // GeneralString / KerberosString, limited to printable ASCII (0x20..0x7e).
  absl::StatusOr<std::string> ReadGeneralString();
  // KerberosTime as microseconds since the Unix epoch.
  absl::StatusOr<int64_t> ReadKerberosTime();
  // KerberosFlags (KDCOptions, TicketFlags, APOptions): a 32-bit BIT STRING
  // with no unused bits, returned in Kerberos bit order: bit 0 is the most
  // significant bit of the result.
  absl::StatusOr<uint32_t> ReadBitString();
  // BOOLEAN; DER allows only 00 and ff.
  absl::StatusOr<bool> ReadBoolean();

  // Returns `kInvalidArgument` unless every byte has been consumed.
  absl::Status ExpectEnd() const;

 private:
  DerReader(ByteView data, int depth, int max_depth)
      : reader_(data), depth_(depth), max_depth_(max_depth) {}

  absl::StatusOr<ByteView> ExpectPrimitive(uint32_t universal_number, const char* what);
  absl::StatusOr<DerReader> ExpectConstructed(const Tag& tag);

  ByteReader reader_;
  int depth_;
  int max_depth_;
};

// Builds DER. Constructed values take a callback that writes their contents
// into a nested writer; the tag and minimal length are written afterwards.
// Inputs are trusted: a GeneralString outside 0x20..0x7e or a value over
// `kMaxLength` is written as given (and would not be read back).
class DerWriter {
 public:
  using Fn = absl::FunctionRef<void(DerWriter&)>;

  DerWriter() = default;

  size_t size() const { return out_.size(); }
  ByteView view() const { return out_.view(); }
  // Moves the encoding out; the writer is empty afterwards.
  Bytes Take() && { return std::move(out_).Take(); }

  void Sequence(Fn fn);
  void Context(uint32_t n, Fn fn);
  void Application(uint32_t n, Fn fn);

  void Integer(int64_t v);
  void OctetString(ByteView bytes);
  void GeneralString(absl::string_view s);
  // Writes a KerberosTime, rounding down to whole seconds.
  void KerberosTime(int64_t micros);
  // Writes KerberosFlags: 32 bits, bit 0 being the most significant of `flags`.
  void BitString32(uint32_t flags);
  void Boolean(bool v);

  // Writes one TLV with the given tag and contents.
  void WriteTlv(const Tag& tag, ByteView value);

 private:
  void Constructed(const Tag& tag, Fn fn);

  ByteWriter out_;
};

}  // namespace trustsim::kerberos::der

#endif  // TRUSTSIM_PROTOCOL_KERBEROS_DER_H_
