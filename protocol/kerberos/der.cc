// Copyright 2026 The trustsim Authors.

#include "protocol/kerberos/der.h"

#include <algorithm>
#include <limits>
#include <utility>
#include <vector>

#include "absl/base/attributes.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "base/status_macros.h"

namespace trustsim::kerberos::der {
namespace {

constexpr int64_t kMicrosPerSecond = 1'000'000;
constexpr int64_t kSecondsPerDay = 86'400;

ABSL_ATTRIBUTE_COLD ABSL_ATTRIBUTE_NOINLINE absl::Status Malformed(absl::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat("DER: ", what));
}

Tag Universal(uint32_t number, bool constructed = false) {
  return Tag{TagClass::kUniversal, constructed, number};
}

bool IsLeapYear(int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int DaysInMonth(int64_t year, int month) {
  static constexpr int kDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month == 2 && IsLeapYear(year)) return 29;
  return kDays[month - 1];
}

// Parses `n` ASCII digits; -1 if any is not a digit.
int64_t Digits(absl::string_view s, size_t pos, size_t n) {
  int64_t v = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return -1;
    v = v * 10 + (s[i] - '0');
  }
  return v;
}

// Floor division, for times before the epoch.
int64_t FloorDiv(int64_t a, int64_t b) {
  int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}

}  // namespace

std::string FormatTag(const Tag& tag) {
  const char* cls = "";
  switch (tag.tag_class) {
    case TagClass::kUniversal:
      cls = "UNIVERSAL ";
      break;
    case TagClass::kApplication:
      cls = "APPLICATION ";
      break;
    case TagClass::kContext:
      break;
    case TagClass::kPrivate:
      cls = "PRIVATE ";
      break;
  }
  return absl::StrCat("[", cls, tag.number, "]", tag.constructed ? " constructed" : " primitive");
}

absl::StatusOr<Tag> ReadTag(ByteReader& reader) {
  ByteReader r = reader;
  ASSIGN_OR_RETURN(uint8_t first, r.ReadU8());
  Tag tag;
  tag.tag_class = static_cast<TagClass>(first >> 6);
  tag.constructed = (first & 0x20) != 0;
  tag.number = first & 0x1f;
  if (tag.number == 0x1f) {
    // High-tag-number form: base-128, most significant group first.
    uint32_t number = 0;
    bool first_group = true;
    while (true) {
      ASSIGN_OR_RETURN(uint8_t b, r.ReadU8());
      if (first_group && b == 0x80) return Malformed("tag number has a leading zero group");
      first_group = false;
      if (number > (std::numeric_limits<uint32_t>::max() >> 7)) {
        return Malformed("tag number too large");
      }
      number = (number << 7) | (b & 0x7f);
      if ((b & 0x80) == 0) break;
    }
    if (number < 0x1f) return Malformed("tag number below 31 in high-tag-number form");
    tag.number = number;
  }
  reader = r;
  return tag;
}

absl::StatusOr<Tlv> ReadTlv(ByteReader& reader) {
  ByteReader r = reader;
  ASSIGN_OR_RETURN(Tag tag, ReadTag(r));
  ASSIGN_OR_RETURN(uint8_t first, r.ReadU8());
  size_t length = 0;
  if (first < 0x80) {
    length = first;
  } else if (first == 0x80) {
    return Malformed("indefinite length");
  } else if (first == 0xff) {
    return Malformed("reserved length octet 0xff");
  } else {
    const size_t count = first & 0x7f;
    // kMaxLength needs three octets; four leave room for a precise error.
    if (count > 4) return Malformed(absl::StrCat("length of ", count, " octets exceeds the limit"));
    ASSIGN_OR_RETURN(ByteView octets, r.ReadBytes(count));
    if (octets[0] == 0) return Malformed("non-minimal length (leading zero octet)");
    for (uint8_t b : octets) length = (length << 8) | b;
    if (length < 0x80) return Malformed("non-minimal length (long form below 128)");
  }
  if (length > kMaxLength) {
    return Malformed(absl::StrCat("length ", length, " exceeds the limit of ", kMaxLength));
  }
  if (length > r.remaining()) {
    return absl::OutOfRangeError(absl::StrCat("DER truncated: ", FormatTag(tag), " needs ", length,
                                              " bytes, have ", r.remaining()));
  }
  ASSIGN_OR_RETURN(ByteView value, r.ReadBytes(length));
  reader = r;
  return Tlv{tag, value};
}

absl::Status ValidateDer(ByteView der, int max_depth) {
  std::vector<ByteReader> stack;
  stack.emplace_back(der);
  while (!stack.empty()) {
    ByteReader& top = stack.back();
    if (top.empty()) {
      stack.pop_back();
      continue;
    }
    ASSIGN_OR_RETURN(Tlv tlv, ReadTlv(top));
    if (tlv.tag.constructed) {
      if (static_cast<int64_t>(stack.size()) > max_depth) {
        return Malformed(absl::StrCat("nesting deeper than ", max_depth));
      }
      stack.emplace_back(tlv.value);
    }
  }
  return absl::OkStatus();
}

int64_t DaysFromCivil(const CivilDay& civil) {
  const int64_t m = civil.month;
  const int64_t y = civil.year - (m <= 2 ? 1 : 0);
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;                                            // [0, 399]
  const int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + civil.day - 1;  // [0, 365]
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;                    // [0, 146096]
  return era * 146097 + doe - 719468;
}

CivilDay CivilFromDays(int64_t days) {
  const int64_t z = days + 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int64_t doe = z - era * 146097;                                       // [0, 146096]
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;  // [0, 399]
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);                // [0, 365]
  const int64_t mp = (5 * doy + 2) / 153;                                     // [0, 11]
  const int64_t d = doy - (153 * mp + 2) / 5 + 1;                             // [1, 31]
  const int64_t m = mp < 10 ? mp + 3 : mp - 9;                                // [1, 12]
  return CivilDay{yoe + era * 400 + (m <= 2 ? 1 : 0), static_cast<int>(m), static_cast<int>(d)};
}

absl::StatusOr<int64_t> ParseKerberosTime(absl::string_view text) {
  if (text.size() != 15) {
    return Malformed(absl::StrCat("KerberosTime must be 15 characters, got ", text.size()));
  }
  if (text[14] != 'Z') return Malformed("KerberosTime must end in 'Z'");
  const int64_t year = Digits(text, 0, 4);
  const int64_t month = Digits(text, 4, 2);
  const int64_t day = Digits(text, 6, 2);
  const int64_t hour = Digits(text, 8, 2);
  const int64_t minute = Digits(text, 10, 2);
  const int64_t second = Digits(text, 12, 2);
  if (year < 0 || month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0) {
    return Malformed("KerberosTime has a non-digit");
  }
  if (month < 1 || month > 12) return Malformed("KerberosTime month out of range");
  if (day < 1 || day > DaysInMonth(year, static_cast<int>(month))) {
    return Malformed("KerberosTime day out of range");
  }
  if (hour > 23 || minute > 59 || second > 59) {
    return Malformed("KerberosTime time of day out of range");
  }
  const int64_t days = DaysFromCivil({year, static_cast<int>(month), static_cast<int>(day)});
  const int64_t seconds = days * kSecondsPerDay + hour * 3600 + minute * 60 + second;
  return seconds * kMicrosPerSecond;
}

int64_t WholeSeconds(int64_t micros) {
  return FloorDiv(micros, kMicrosPerSecond) * kMicrosPerSecond;
}

std::string FormatKerberosTime(int64_t micros) {
  static const int64_t kMinSeconds = DaysFromCivil({0, 1, 1}) * kSecondsPerDay;
  static const int64_t kMaxSeconds = DaysFromCivil({9999, 12, 31}) * kSecondsPerDay + 86399;
  const int64_t seconds = std::clamp(FloorDiv(micros, kMicrosPerSecond), kMinSeconds, kMaxSeconds);
  const int64_t days = FloorDiv(seconds, kSecondsPerDay);
  const int64_t in_day = seconds - days * kSecondsPerDay;
  const CivilDay civil = CivilFromDays(days);
  return absl::StrFormat("%04d%02d%02d%02d%02d%02dZ", civil.year, civil.month, civil.day,
                         in_day / 3600, in_day / 60 % 60, in_day % 60);
}

// --- DerReader ---------------------------------------------------------------

absl::StatusOr<Tag> DerReader::PeekTag() const {
  ByteReader r = reader_;
  return ReadTag(r);
}

absl::StatusOr<Tlv> DerReader::ReadAny() { return ReadTlv(reader_); }

absl::StatusOr<DerReader> DerReader::ExpectConstructed(const Tag& tag) {
  ByteReader r = reader_;
  ASSIGN_OR_RETURN(Tlv tlv, ReadTlv(r));
  if (tlv.tag != tag) {
    return Malformed(absl::StrCat("expected ", FormatTag(tag), ", got ", FormatTag(tlv.tag)));
  }
  if (depth_ >= max_depth_) return Malformed(absl::StrCat("nesting deeper than ", max_depth_));
  reader_ = r;
  return DerReader(tlv.value, depth_ + 1, max_depth_);
}

absl::StatusOr<DerReader> DerReader::ExpectSequence() {
  return ExpectConstructed(Universal(kTagSequence, /*constructed=*/true));
}

absl::StatusOr<DerReader> DerReader::ExpectContext(uint32_t n) {
  return ExpectConstructed(Tag{TagClass::kContext, true, n});
}

absl::StatusOr<std::optional<DerReader>> DerReader::OptionalContext(uint32_t n) {
  if (reader_.empty()) return std::optional<DerReader>();
  ASSIGN_OR_RETURN(Tag tag, PeekTag());
  const Tag want{TagClass::kContext, true, n};
  if (tag != want) return std::optional<DerReader>();
  ASSIGN_OR_RETURN(DerReader sub, ExpectConstructed(want));
  return std::optional<DerReader>(std::move(sub));
}

absl::StatusOr<DerReader> DerReader::ExpectApplication(uint32_t n) {
  return ExpectConstructed(Tag{TagClass::kApplication, true, n});
}

absl::StatusOr<ByteView> DerReader::ExpectPrimitive(uint32_t universal_number, const char* what) {
  ByteReader r = reader_;
  ASSIGN_OR_RETURN(Tlv tlv, ReadTlv(r));
  const Tag want = Universal(universal_number);
  if (tlv.tag != want) {
    return Malformed(
        absl::StrCat("expected ", what, " ", FormatTag(want), ", got ", FormatTag(tlv.tag)));
  }
  reader_ = r;
  return tlv.value;
}

absl::StatusOr<int64_t> DerReader::ReadInteger() {
  const ByteReader saved = reader_;
  ASSIGN_OR_RETURN(ByteView v, ExpectPrimitive(kTagInteger, "INTEGER"));
  absl::Status error;
  if (v.empty()) {
    error = Malformed("empty INTEGER");
  } else if (v.size() > 1 &&
             ((v[0] == 0x00 && (v[1] & 0x80) == 0) || (v[0] == 0xff && (v[1] & 0x80) != 0))) {
    error = Malformed("non-minimal INTEGER");
  } else if (v.size() > 8) {
    error = Malformed("INTEGER out of int64 range");
  }
  if (!error.ok()) {
    reader_ = saved;
    return error;
  }
  uint64_t u = (v[0] & 0x80) ? ~uint64_t{0} : 0;
  for (uint8_t b : v) u = (u << 8) | b;
  return static_cast<int64_t>(u);
}

absl::StatusOr<int32_t> DerReader::ReadInt32() {
  const ByteReader saved = reader_;
  ASSIGN_OR_RETURN(int64_t v, ReadInteger());
  if (v < std::numeric_limits<int32_t>::min() || v > std::numeric_limits<int32_t>::max()) {
    reader_ = saved;
    return Malformed(absl::StrCat("INTEGER ", v, " out of Int32 range"));
  }
  return static_cast<int32_t>(v);
}

absl::StatusOr<uint32_t> DerReader::ReadUint32() {
  const ByteReader saved = reader_;
  ASSIGN_OR_RETURN(int64_t v, ReadInteger());
  if (v < 0 || v > int64_t{std::numeric_limits<uint32_t>::max()}) {
    reader_ = saved;
    return Malformed(absl::StrCat("INTEGER ", v, " out of UInt32 range"));
  }
  return static_cast<uint32_t>(v);
}

absl::StatusOr<ByteView> DerReader::ReadOctetString() {
  return ExpectPrimitive(kTagOctetString, "OCTET STRING");
}

absl::StatusOr<std::string> DerReader::ReadGeneralString() {
  const ByteReader saved = reader_;
  ASSIGN_OR_RETURN(ByteView v, ExpectPrimitive(kTagGeneralString, "GeneralString"));
  for (size_t i = 0; i < v.size(); ++i) {
    if (v[i] < 0x20 || v[i] > 0x7e) {
      reader_ = saved;
      return Malformed(absl::StrCat("GeneralString byte 0x", absl::Hex(v[i], absl::kZeroPad2),
                                    " at ", i, " is not printable ASCII"));
    }
  }
  return std::string(v.begin(), v.end());
}

absl::StatusOr<int64_t> DerReader::ReadKerberosTime() {
  const ByteReader saved = reader_;
  ASSIGN_OR_RETURN(ByteView v, ExpectPrimitive(kTagGeneralizedTime, "GeneralizedTime"));
  absl::StatusOr<int64_t> t =
      ParseKerberosTime(absl::string_view(reinterpret_cast<const char*>(v.data()), v.size()));
  if (!t.ok()) reader_ = saved;
  return t;
}

absl::StatusOr<uint32_t> DerReader::ReadBitString() {
  const ByteReader saved = reader_;
  ASSIGN_OR_RETURN(ByteView v, ExpectPrimitive(kTagBitString, "BIT STRING"));
  absl::Status error;
  if (v.size() != 5) {
    error = Malformed(absl::StrCat("KerberosFlags must be 32 bits, got ", v.size(), " octets"));
  } else if (v[0] != 0) {
    error = Malformed("KerberosFlags with unused bits");
  }
  if (!error.ok()) {
    reader_ = saved;
    return error;
  }
  return (uint32_t{v[1]} << 24) | (uint32_t{v[2]} << 16) | (uint32_t{v[3]} << 8) | v[4];
}

absl::StatusOr<bool> DerReader::ReadBoolean() {
  const ByteReader saved = reader_;
  ASSIGN_OR_RETURN(ByteView v, ExpectPrimitive(kTagBoolean, "BOOLEAN"));
  if (v.size() != 1 || (v[0] != 0x00 && v[0] != 0xff)) {
    reader_ = saved;
    return Malformed("BOOLEAN must be one octet, 00 or ff");
  }
  return v[0] == 0xff;
}

absl::Status DerReader::ExpectEnd() const {
  if (!reader_.empty()) {
    return Malformed(absl::StrCat(reader_.remaining(), " trailing bytes at depth ", depth_));
  }
  return absl::OkStatus();
}

// --- DerWriter ---------------------------------------------------------------

void DerWriter::WriteTlv(const Tag& tag, ByteView value) {
  const uint8_t head = static_cast<uint8_t>((static_cast<uint8_t>(tag.tag_class) << 6) |
                                            (tag.constructed ? 0x20 : 0));
  if (tag.number < 0x1f) {
    out_.WriteU8(head | static_cast<uint8_t>(tag.number));
  } else {
    out_.WriteU8(head | 0x1f);
    uint8_t groups[5];
    int n = 0;
    uint32_t number = tag.number;
    do {
      groups[n++] = number & 0x7f;
      number >>= 7;
    } while (number != 0);
    while (n > 0) {
      --n;
      out_.WriteU8(groups[n] | (n > 0 ? 0x80 : 0));
    }
  }
  const size_t length = value.size();
  if (length < 0x80) {
    out_.WriteU8(static_cast<uint8_t>(length));
  } else {
    int octets = 0;
    for (size_t l = length; l != 0; l >>= 8) ++octets;
    out_.WriteU8(static_cast<uint8_t>(0x80 | octets));
    for (int i = octets - 1; i >= 0; --i) out_.WriteU8(static_cast<uint8_t>(length >> (8 * i)));
  }
  out_.WriteBytes(value);
}

void DerWriter::Constructed(const Tag& tag, Fn fn) {
  DerWriter inner;
  fn(inner);
  WriteTlv(tag, inner.view());
}

void DerWriter::Sequence(Fn fn) { Constructed(Universal(kTagSequence, true), fn); }

void DerWriter::Context(uint32_t n, Fn fn) { Constructed(Tag{TagClass::kContext, true, n}, fn); }

void DerWriter::Application(uint32_t n, Fn fn) {
  Constructed(Tag{TagClass::kApplication, true, n}, fn);
}

void DerWriter::Integer(int64_t v) {
  uint8_t be[8];
  for (int i = 0; i < 8; ++i)
    be[i] = static_cast<uint8_t>(static_cast<uint64_t>(v) >> (56 - 8 * i));
  int start = 0;
  while (start < 7 && ((be[start] == 0x00 && (be[start + 1] & 0x80) == 0) ||
                       (be[start] == 0xff && (be[start + 1] & 0x80) != 0))) {
    ++start;
  }
  WriteTlv(Universal(kTagInteger), ByteView(be + start, 8 - start));
}

void DerWriter::OctetString(ByteView bytes) { WriteTlv(Universal(kTagOctetString), bytes); }

void DerWriter::GeneralString(absl::string_view s) {
  WriteTlv(Universal(kTagGeneralString), AsBytes(s));
}

void DerWriter::KerberosTime(int64_t micros) {
  const std::string text = FormatKerberosTime(micros);
  WriteTlv(Universal(kTagGeneralizedTime), AsBytes(text));
}

void DerWriter::BitString32(uint32_t flags) {
  const uint8_t v[5] = {0, static_cast<uint8_t>(flags >> 24), static_cast<uint8_t>(flags >> 16),
                        static_cast<uint8_t>(flags >> 8), static_cast<uint8_t>(flags)};
  WriteTlv(Universal(kTagBitString), ByteView(v, 5));
}

void DerWriter::Boolean(bool v) {
  const uint8_t b = v ? 0xff : 0x00;
  WriteTlv(Universal(kTagBoolean), ByteView(&b, 1));
}

}  // namespace trustsim::kerberos::der
