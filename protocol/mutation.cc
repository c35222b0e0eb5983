// Copyright 2026 The trustsim Authors.

#include "protocol/mutation.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/types/span.h"
#include "base/byte_reader.h"
#include "base/status_macros.h"
#include "protocol/dcerpc/interface.h"
#include "protocol/dcerpc/pdu.h"
#include "protocol/kerberos/der.h"
#include "protocol/ntstatus.h"

namespace trustsim::mutation {
namespace {

namespace der = kerberos::der;

// Every choice of one mutation, from the single value it takes from the
// caller's stream.
class Dice {
 public:
  explicit Dice(RandomSource& rng) : rng_(rng.NextU64()) {}

  // Uniform in [0, n); 0 when n is 0.
  size_t Below(size_t n) { return n == 0 ? 0 : static_cast<size_t>(rng_.Uniform(n)); }
  uint32_t U32() { return static_cast<uint32_t>(rng_.NextU64()); }
  Bytes RandomBytes(size_t n) {
    Bytes b(n);
    rng_.Fill(absl::MakeSpan(b));
    return b;
  }
  template <typename T>
  T Pick(const std::vector<T>& v) {
    return v[Below(v.size())];
  }

 private:
  SeededRandom rng_;
};

// "1 byte", "17 bytes".
std::string CountBytes(size_t n) { return absl::StrCat(n, n == 1 ? " byte" : " bytes"); }

// Removes `old` from `candidates` (and duplicates), keeping the order.
template <typename T>
std::vector<T> Other(std::vector<T> candidates, const T& old) {
  std::vector<T> out;
  for (const T& c : candidates) {
    if (c != old && std::find(out.begin(), out.end(), c) == out.end()) out.push_back(c);
  }
  return out;
}

// Flips 1 to 8 distinct bits within up to 4 bytes at a random offset of
// data[begin, end) (which must not be empty); returns "3 bits flipped at
// offset 17", the offset counted from `begin`.
std::string FlipBits(Bytes& data, size_t begin, size_t end, Dice& dice) {
  const size_t len = end - begin;
  const size_t offset = dice.Below(len);
  const size_t bits = std::min<size_t>(4, len - offset) * 8;
  const size_t k = 1 + dice.Below(std::min<size_t>(8, bits));
  std::vector<size_t> chosen;
  while (chosen.size() < k) {
    const size_t b = dice.Below(bits);
    if (std::find(chosen.begin(), chosen.end(), b) == chosen.end()) chosen.push_back(b);
  }
  for (size_t b : chosen) data[begin + offset + b / 8] ^= static_cast<uint8_t>(1u << (b % 8));
  return absl::StrCat(k, k == 1 ? " bit" : " bits", " flipped at offset ", offset);
}

// Random bytes of length `n` that differ from `old` when the lengths match
// (tried a few times; for n == 0 nothing can differ).
Bytes DifferentBytes(size_t n, ByteView old, Dice& dice) {
  Bytes b = dice.RandomBytes(n);
  for (int i = 0; i < 8 && n > 0 && ByteView(b) == old; ++i) b = dice.RandomBytes(n);
  if (n > 0 && ByteView(b) == old) b[0] ^= 0xff;
  return b;
}

// A mutation of bytes that do not parse: length-preserving for `keep_length`.
Mutation RawMutation(ByteView input, Dice& dice, const char* what, bool keep_length) {
  Mutation m;
  m.kind = Kind::kRaw;
  m.bytes.assign(input.begin(), input.end());
  if (input.empty()) {
    const size_t n = 1 + dice.Below(16);
    m.bytes = dice.RandomBytes(n);
    m.description =
        absl::StrCat("empty input: replaced by ", n, " random ", n == 1 ? "byte" : "bytes");
    return m;
  }
  const size_t choice = keep_length ? 0 : dice.Below(3);
  if (choice == 1 && input.size() > 1) {
    const size_t n = dice.Below(input.size());
    m.bytes.resize(n);
    m.description =
        absl::StrCat("not ", what, ": truncated from ", input.size(), " to ", n, " bytes");
    return m;
  }
  if (choice == 2) {
    const size_t n = 1 + dice.Below(16);
    Bytes extra = dice.RandomBytes(n);
    m.bytes.insert(m.bytes.end(), extra.begin(), extra.end());
    m.description =
        absl::StrCat("not ", what, ": ", n, " random ", n == 1 ? "byte" : "bytes", " appended");
    return m;
  }
  m.description = absl::StrCat("not ", what, ": ", FlipBits(m.bytes, 0, m.bytes.size(), dice));
  return m;
}

// ---------------------------------------------------------------------------
// Kerberos: a TLV tree named after RFC 4120's structures.

struct Node {
  der::Tag tag;
  Bytes tag_bytes;                     // the identifier octets, as received
  std::optional<Bytes> length_octets;  // wrong length octets, when mutated
  bool has_children = false;           // contents are the children's encodings
  std::vector<Node> children;
  Bytes value;  // contents otherwise
  std::string path;
  std::string label;        // as an element of its parent: "crealm", "padata[0]"
  bool from_clock = false;  // a time or usec: its value is not quoted
  bool top = false;
};

absl::StatusOr<std::vector<Node>> ParseList(ByteView data, int depth) {
  if (depth > der::kDefaultMaxDepth) {
    return absl::InvalidArgumentError("DER nested too deeply");
  }
  std::vector<Node> out;
  ByteReader r(data);
  while (!r.empty()) {
    const size_t start = r.offset();
    ByteReader tag_reader = r;
    RETURN_IF_ERROR(der::ReadTag(tag_reader).status());
    const size_t tag_length = tag_reader.offset() - start;
    ASSIGN_OR_RETURN(der::Tlv tlv, der::ReadTlv(r));
    Node n;
    n.tag = tlv.tag;
    n.tag_bytes.assign(data.begin() + start, data.begin() + start + tag_length);
    if (tlv.tag.constructed) {
      ASSIGN_OR_RETURN(n.children, ParseList(tlv.value, depth + 1));
      n.has_children = true;
    } else {
      n.value.assign(tlv.value.begin(), tlv.value.end());
    }
    out.push_back(std::move(n));
  }
  return out;
}

void AppendLength(Bytes& out, size_t n) {
  if (n < 0x80) {
    out.push_back(static_cast<uint8_t>(n));
    return;
  }
  uint8_t buf[sizeof(size_t)];
  int k = 0;
  for (; n != 0; n >>= 8) buf[k++] = static_cast<uint8_t>(n);
  out.push_back(static_cast<uint8_t>(0x80 | k));
  while (k > 0) out.push_back(buf[--k]);
}

void Encode(const Node& n, Bytes& out);

Bytes Contents(const Node& n) {
  if (!n.has_children) return n.value;
  Bytes out;
  for (const Node& c : n.children) Encode(c, out);
  return out;
}

void Encode(const Node& n, Bytes& out) {
  const Bytes contents = Contents(n);
  out.insert(out.end(), n.tag_bytes.begin(), n.tag_bytes.end());
  if (n.length_octets) {
    out.insert(out.end(), n.length_octets->begin(), n.length_octets->end());
  } else {
    AppendLength(out, contents.size());
  }
  out.insert(out.end(), contents.begin(), contents.end());
}

Bytes EncodeTag(der::TagClass tag_class, bool constructed, uint32_t number) {
  const uint8_t first =
      static_cast<uint8_t>(static_cast<uint8_t>(tag_class) << 6 | (constructed ? 0x20 : 0));
  if (number < 31) return Bytes{static_cast<uint8_t>(first | number)};
  Bytes out{static_cast<uint8_t>(first | 0x1f)};
  uint8_t buf[5];
  int k = 0;
  for (uint32_t v = number; v != 0; v >>= 7) buf[k++] = v & 0x7f;
  while (k > 0) {
    --k;
    out.push_back(static_cast<uint8_t>(buf[k] | (k > 0 ? 0x80 : 0)));
  }
  return out;
}

std::string TagName(const der::Tag& tag) {
  switch (tag.tag_class) {
    case der::TagClass::kContext:
      return absl::StrCat("[", tag.number, "]");
    case der::TagClass::kApplication:
      return absl::StrCat("[APPLICATION ", tag.number, "]");
    case der::TagClass::kPrivate:
      return absl::StrCat("[PRIVATE ", tag.number, "]");
    case der::TagClass::kUniversal:
      break;
  }
  switch (tag.number) {
    case der::kTagBoolean:
      return "BOOLEAN";
    case der::kTagInteger:
      return "INTEGER";
    case der::kTagBitString:
      return "BIT STRING";
    case der::kTagOctetString:
      return "OCTET STRING";
    case der::kTagSequence:
      return "SEQUENCE";
    case der::kTagGeneralizedTime:
      return "GeneralizedTime";
    case der::kTagGeneralString:
      return "GeneralString";
    default:
      return absl::StrCat("[UNIVERSAL ", tag.number, "]");
  }
}

bool IsUniversal(const Node& n, uint32_t number) {
  return n.tag.tag_class == der::TagClass::kUniversal && n.tag.number == number;
}

// The value of a primitive INTEGER that fits in 64 bits.
std::optional<int64_t> IntegerValue(const Node& n) {
  if (n.has_children || n.value.empty() || n.value.size() > 8) return std::nullopt;
  uint64_t v = (n.value[0] & 0x80) != 0 ? ~uint64_t{0} : 0;
  for (uint8_t b : n.value) v = v << 8 | b;
  return static_cast<int64_t>(v);
}

Bytes EncodeInteger(int64_t v) {
  Bytes out;
  for (int shift = 56; shift >= 0; shift -= 8) out.push_back(static_cast<uint8_t>(v >> shift));
  // Minimal two's complement: drop leading bytes that only repeat the sign.
  size_t start = 0;
  while (start + 1 < out.size() && ((out[start] == 0x00 && (out[start + 1] & 0x80) == 0) ||
                                    (out[start] == 0xff && (out[start + 1] & 0x80) != 0))) {
    ++start;
  }
  return Bytes(out.begin() + start, out.end());
}

// RFC 4120's structures, for names.
enum class Schema {
  kNone,
  kKdcRep,
  kKrbError,
  kTicket,
  kEncryptedData,
  kPrincipalName,
  kPaDataList,  // SEQUENCE OF PA-DATA (padata, METHOD-DATA)
  kPaData,
  kEtypeInfo2,  // SEQUENCE OF ETYPE-INFO2-ENTRY
  kEtypeInfo2Entry,
  kStrings,  // SEQUENCE OF KerberosString
};

struct Field {
  uint32_t number;
  const char* name;
  Schema schema = Schema::kNone;
  bool from_clock = false;
};

absl::Span<const Field> FieldsOf(Schema s) {
  static const Field kKdcRep[] = {{0, "pvno"},
                                  {1, "msg-type"},
                                  {2, "padata", Schema::kPaDataList},
                                  {3, "crealm"},
                                  {4, "cname", Schema::kPrincipalName},
                                  {5, "ticket", Schema::kTicket},
                                  {6, "enc-part", Schema::kEncryptedData}};
  static const Field kKrbError[] = {{0, "pvno"},
                                    {1, "msg-type"},
                                    {2, "ctime", Schema::kNone, true},
                                    {3, "cusec", Schema::kNone, true},
                                    {4, "stime", Schema::kNone, true},
                                    {5, "susec", Schema::kNone, true},
                                    {6, "error-code"},
                                    {7, "crealm"},
                                    {8, "cname", Schema::kPrincipalName},
                                    {9, "realm"},
                                    {10, "sname", Schema::kPrincipalName},
                                    {11, "e-text"},
                                    {12, "e-data", Schema::kPaDataList}};
  static const Field kTicket[] = {{0, "tkt-vno"},
                                  {1, "realm"},
                                  {2, "sname", Schema::kPrincipalName},
                                  {3, "enc-part", Schema::kEncryptedData}};
  static const Field kEncryptedData[] = {{0, "etype"}, {1, "kvno"}, {2, "cipher"}};
  static const Field kPrincipalName[] = {{0, "name-type"}, {1, "name-string", Schema::kStrings}};
  static const Field kPaData[] = {{1, "padata-type"}, {2, "padata-value"}};
  static const Field kEtypeInfo2Entry[] = {{0, "etype"}, {1, "salt"}, {2, "s2kparams"}};
  switch (s) {
    case Schema::kKdcRep:
      return kKdcRep;
    case Schema::kKrbError:
      return kKrbError;
    case Schema::kTicket:
      return kTicket;
    case Schema::kEncryptedData:
      return kEncryptedData;
    case Schema::kPrincipalName:
      return kPrincipalName;
    case Schema::kPaData:
      return kPaData;
    case Schema::kEtypeInfo2Entry:
      return kEtypeInfo2Entry;
    default:
      return {};
  }
}

// The element schema of a SEQUENCE OF, or nullopt.
std::optional<Schema> ElementOf(Schema s) {
  switch (s) {
    case Schema::kPaDataList:
      return Schema::kPaData;
    case Schema::kEtypeInfo2:
      return Schema::kEtypeInfo2Entry;
    case Schema::kStrings:
      return Schema::kNone;
    default:
      return std::nullopt;
  }
}

constexpr int32_t kPaEtypeInfo2 = 19;

void NameTree(Node& n, const std::string& path, Schema schema, bool from_clock, int depth) {
  n.path = path;
  n.from_clock = from_clock;
  if (!n.has_children) {
    // DER inside an OCTET STRING (e-data, PA-ETYPE-INFO2's value) is walked
    // too, when it parses.
    if (!IsUniversal(n, der::kTagOctetString) || !ElementOf(schema) || n.value.empty()) return;
    absl::StatusOr<std::vector<Node>> inner = ParseList(n.value, depth + 1);
    if (!inner.ok() || inner->size() != 1 || !IsUniversal(inner->front(), der::kTagSequence)) {
      return;
    }
    n.children = *std::move(inner);
    n.has_children = true;
    n.value.clear();
    NameTree(n.children.front(), path, schema, false, depth + 1);
    return;
  }
  if (!IsUniversal(n, der::kTagSequence)) {
    // APPLICATION and context tags wrap one value going by the same name.
    for (Node& c : n.children) NameTree(c, path, schema, from_clock, depth + 1);
    return;
  }
  if (std::optional<Schema> element = ElementOf(schema)) {
    for (size_t i = 0; i < n.children.size(); ++i) {
      Node& c = n.children[i];
      c.label = absl::StrCat(path.substr(path.rfind(' ') + 1), "[", i, "]");
      NameTree(c, absl::StrCat(path, "[", i, "]"), *element, false, depth + 1);
    }
    return;
  }
  const absl::Span<const Field> fields = FieldsOf(schema);
  std::optional<int64_t> padata_type;
  for (size_t i = 0; i < n.children.size(); ++i) {
    Node& c = n.children[i];
    if (c.tag.tag_class != der::TagClass::kContext) {
      c.label = absl::StrCat("element ", i);
      NameTree(c, absl::StrCat(path, "[", i, "]"), Schema::kNone, false, depth + 1);
      continue;
    }
    const Field* field = nullptr;
    for (const Field& f : fields) {
      if (f.number == c.tag.number) field = &f;
    }
    c.label = field != nullptr ? field->name : absl::StrCat("[", c.tag.number, "]");
    Schema child_schema = field != nullptr ? field->schema : Schema::kNone;
    if (schema == Schema::kPaData && c.tag.number == 2 && padata_type == kPaEtypeInfo2) {
      child_schema = Schema::kEtypeInfo2;
    }
    NameTree(c, absl::StrCat(path, " ", c.label), child_schema,
             field != nullptr && field->from_clock, depth + 1);
    if (schema == Schema::kPaData && c.tag.number == 1 && c.children.size() == 1) {
      padata_type = IntegerValue(c.children.front());
    }
  }
}

void Collect(Node& n, std::vector<Node*>& out) {
  out.push_back(&n);
  if (n.has_children) {
    for (Node& c : n.children) Collect(c, out);
  }
}

// A SEQUENCE element's name for descriptions.
std::string LabelOf(const Node& parent, size_t i) {
  const std::string& label = parent.children[i].label;
  return label.empty() ? absl::StrCat("element ", i) : label;
}

std::string FormatInteger(const Node& n) {
  std::optional<int64_t> v = IntegerValue(n);
  return v ? absl::StrCat(*v) : absl::StrCat("(", n.value.size(), "-byte INTEGER)");
}

void MutateInteger(Node& n, Dice& dice, Mutation& m) {
  const std::optional<int64_t> old = IntegerValue(n);
  std::vector<int64_t> candidates = {0,
                                     1,
                                     -1,
                                     127,
                                     128,
                                     255,
                                     256,
                                     32767,
                                     32768,
                                     65535,
                                     65536,
                                     2147483647,
                                     -2147483648LL,
                                     4294967295LL,
                                     4294967296LL,
                                     std::numeric_limits<int64_t>::max(),
                                     std::numeric_limits<int64_t>::min()};
  if (old && *old < std::numeric_limits<int64_t>::max()) candidates.push_back(*old + 1);
  if (old && *old > std::numeric_limits<int64_t>::min()) candidates.push_back(*old - 1);
  std::vector<int64_t> others;
  for (int64_t c : candidates) {
    if (!old || c != *old) others.push_back(c);
  }
  const int64_t v = dice.Pick(others);
  m.description = n.from_clock ? absl::StrCat(n.path, " -> ", v)
                               : absl::StrCat(n.path, " ", FormatInteger(n), " -> ", v);
  n.value = EncodeInteger(v);
}

void MutateTime(Node& n, Dice& dice, Mutation& m) {
  struct Choice {
    std::string text;
    std::string description;
  };
  std::vector<Choice> choices;
  for (const char* t : {"19700101000000Z", "00010101000000Z", "19000101000000Z"}) {
    choices.push_back({t, absl::StrCat(n.path, " -> ", t, " (far past)")});
  }
  for (const char* t :
       {"99991231235959Z", "20380119031408Z", "21060207062816Z", "30000101000000Z"}) {
    choices.push_back({t, absl::StrCat(n.path, " -> ", t, " (far future)")});
  }
  const std::string old(n.value.begin(), n.value.end());
  if (absl::StatusOr<int64_t> micros = der::ParseKerberosTime(old); micros.ok()) {
    constexpr int64_t kYear = int64_t{31556952} * 1000000;  // 365.2425 days
    for (int years : {-1000, -100, 100, 1000}) {
      choices.push_back(
          {der::FormatKerberosTime(*micros + years * kYear),
           absl::StrCat(n.path, " moved ", years < 0 ? -years : years,
                        years < 0 ? " years into the past" : " years into the future")});
    }
  }
  std::vector<Choice> others;
  for (Choice& c : choices) {
    if (c.text != old) others.push_back(std::move(c));
  }
  const Choice& c = others[dice.Below(others.size())];
  m.description = c.description;
  n.value.assign(c.text.begin(), c.text.end());
}

void MutateLength(Node& n, Dice& dice, Mutation& m) {
  const size_t len = Contents(n).size();
  Bytes right;
  AppendLength(right, len);
  struct Choice {
    Bytes octets;
    std::string text;
  };
  std::vector<Choice> choices;
  auto add_value = [&](uint64_t v) {
    Bytes octets;
    AppendLength(octets, static_cast<size_t>(v));
    choices.push_back({octets, absl::StrCat("length ", len, " -> ", v)});
  };
  add_value(len + 1);
  if (len > 0) add_value(len - 1);
  if (len > 0) add_value(0);
  add_value(len + 2 + dice.Below(1024));
  add_value(0xffffffffu);
  choices.push_back({Bytes{0x80}, absl::StrCat("length ", len, " -> indefinite form (0x80)")});
  Bytes long_form = {0x84, static_cast<uint8_t>(len >> 24), static_cast<uint8_t>(len >> 16),
                     static_cast<uint8_t>(len >> 8), static_cast<uint8_t>(len)};
  choices.push_back(
      {long_form, absl::StrCat("length ", len, " encoded non-minimally (", ToHex(long_form), ")")});
  std::vector<Choice> others;
  for (Choice& c : choices) {
    if (c.octets != right) others.push_back(std::move(c));
  }
  const Choice& c = others[dice.Below(others.size())];
  n.length_octets = c.octets;
  m.description = absl::StrCat(n.path, " ", TagName(n.tag), ": ", c.text, " (contents still ",
                               CountBytes(len), ")");
}

void MutateOctets(Node& n, Dice& dice, Mutation& m) {
  const Bytes old = Contents(n);
  const size_t len = old.size();
  std::vector<size_t> lengths = {
      len, len, len, 0, 1, len / 2, len + 1, len + 16, dice.Below(2 * len + 2)};
  if (len == 0) lengths = {1, 16, 1 + dice.Below(64)};
  const size_t new_len = dice.Pick(lengths);
  n.children.clear();
  n.has_children = false;
  n.value = DifferentBytes(new_len, old, dice);
  if (new_len == len) {
    m.description = absl::StrCat(n.path, ": ", CountBytes(len), " replaced by random bytes");
  } else {
    m.description = absl::StrCat(n.path, ": replaced by ", new_len, " random ",
                                 new_len == 1 ? "byte" : "bytes", " (was ", len, ")");
  }
}

void MutateApplicationTag(Node& n, Dice& dice, Mutation& m) {
  const std::vector<uint32_t> numbers = Other<uint32_t>(
      {0, 1, 2, 3, 10, 11, 12, 13, 14, 15, 22, 25, 26, 30, 31, 127, 200}, n.tag.number);
  const uint32_t v = dice.Pick(numbers);
  m.description = absl::StrCat(n.path, ": APPLICATION ", n.tag.number, " -> ", v);
  n.tag_bytes = EncodeTag(der::TagClass::kApplication, n.tag.constructed, v);
  n.tag.number = v;
}

void MutateSequence(Node& n, Kind kind, Dice& dice, Mutation& m) {
  const size_t count = n.children.size();
  const size_t i = dice.Below(count);
  if (kind == Kind::kSwapElements) {
    std::vector<Bytes> encodings(count);
    for (size_t k = 0; k < count; ++k) Encode(n.children[k], encodings[k]);
    std::vector<size_t> js;
    for (size_t k = 0; k < count; ++k) {
      if (encodings[k] != encodings[i]) js.push_back(k);
    }
    if (!js.empty()) {
      const size_t j = dice.Pick(js);
      m.description = absl::StrCat(n.path, ": ", LabelOf(n, std::min(i, j)), " and ",
                                   LabelOf(n, std::max(i, j)), " swapped");
      std::swap(n.children[i], n.children[j]);
      return;
    }
    kind = Kind::kDuplicateElement;  // all the same: a swap would change nothing
    m.kind = kind;
  }
  if (kind == Kind::kDuplicateElement) {
    m.description = absl::StrCat(n.path, ": ", LabelOf(n, i), " duplicated");
    Node copy = n.children[i];
    n.children.insert(n.children.begin() + static_cast<ptrdiff_t>(i) + 1, std::move(copy));
    return;
  }
  m.description = absl::StrCat(n.path, ": ", LabelOf(n, i), " dropped");
  n.children.erase(n.children.begin() + static_cast<ptrdiff_t>(i));
}

bool Applies(Kind kind, const Node& n) {
  switch (kind) {
    case Kind::kBitFlip:
      return !n.has_children && !n.tag.constructed && !n.value.empty();
    case Kind::kIntegerBoundary:
      return IsUniversal(n, der::kTagInteger) && !n.has_children && !n.value.empty();
    case Kind::kTruncate:
      return n.has_children && !n.children.empty();
    case Kind::kWrongLength:
      return !n.top;
    case Kind::kReplaceOctets:
      return IsUniversal(n, der::kTagOctetString) && !n.tag.constructed;
    case Kind::kSwapElements:
      return IsUniversal(n, der::kTagSequence) && n.has_children && n.children.size() >= 2;
    case Kind::kDuplicateElement:
    case Kind::kDropElement:
      return IsUniversal(n, der::kTagSequence) && n.has_children && !n.children.empty();
    case Kind::kTime:
      return IsUniversal(n, der::kTagGeneralizedTime) && !n.has_children;
    case Kind::kApplicationTag:
      return n.tag.tag_class == der::TagClass::kApplication;
    default:
      return false;
  }
}

std::string MessageName(const Node& top, Schema& schema) {
  schema = Schema::kNone;
  if (top.tag.tag_class != der::TagClass::kApplication) return "message";
  switch (top.tag.number) {
    case 10:
      return "AS-REQ";
    case 11:
      schema = Schema::kKdcRep;
      return "AS-REP";
    case 12:
      return "TGS-REQ";
    case 13:
      schema = Schema::kKdcRep;
      return "TGS-REP";
    case 14:
      return "AP-REQ";
    case 15:
      return "AP-REP";
    case 30:
      schema = Schema::kKrbError;
      return "KRB-ERROR";
    default:
      return absl::StrCat("[APPLICATION ", top.tag.number, "]");
  }
}

// ---------------------------------------------------------------------------
// DCE/RPC.

const char* PtypeName(uint8_t ptype) {
  static const char* const kNames[] = {
      "request",   "ping",     "response",      "fault",
      "working",   "nocall",   "reject",        "ack",
      "cl_cancel", "fack",     "cancel_ack",    "bind",
      "bind_ack",  "bind_nak", "alter_context", "alter_context_resp",
      "auth3",     "shutdown", "co_cancel",     "orphaned"};
  return ptype < sizeof(kNames) / sizeof(kNames[0]) ? kNames[ptype] : "unknown";
}

uint16_t U16At(ByteView b, size_t at) { return static_cast<uint16_t>(b[at] | b[at + 1] << 8); }
uint32_t U32At(ByteView b, size_t at) {
  return static_cast<uint32_t>(b[at]) | static_cast<uint32_t>(b[at + 1]) << 8 |
         static_cast<uint32_t>(b[at + 2]) << 16 | static_cast<uint32_t>(b[at + 3]) << 24;
}
void PutU16(Bytes& b, size_t at, uint16_t v) {
  b[at] = static_cast<uint8_t>(v);
  b[at + 1] = static_cast<uint8_t>(v >> 8);
}
void PutU32(Bytes& b, size_t at, uint32_t v) {
  for (int i = 0; i < 4; ++i) b[at + i] = static_cast<uint8_t>(v >> (8 * i));
}

struct StatusChoice {
  uint32_t code;
  const char* name;
};

std::string StatusText(uint32_t code, absl::Span<const StatusChoice> table) {
  for (const StatusChoice& s : table) {
    if (s.code == code) return absl::StrFormat("0x%08x (%s)", code, s.name);
  }
  const char* name = NtStatusName(static_cast<NtStatus>(code));
  if (std::string(name) != "STATUS_UNKNOWN") return absl::StrFormat("0x%08x (%s)", code, name);
  return absl::StrFormat("0x%08x", code);
}

constexpr StatusChoice kNtStatuses[] = {
    {0x00000000, "STATUS_SUCCESS"},
    {0x00000103, "STATUS_PENDING"},
    {0x80000005, "STATUS_BUFFER_OVERFLOW"},
    {0xC0000001, "STATUS_UNSUCCESSFUL"},
    {0xC000000D, "STATUS_INVALID_PARAMETER"},
    {0xC0000017, "STATUS_NO_MEMORY"},
    {0xC0000022, "STATUS_ACCESS_DENIED"},
    {0xC000005E, "STATUS_NO_LOGON_SERVERS"},
    {0xC000006A, "STATUS_WRONG_PASSWORD"},
    {0xC00000BB, "STATUS_NOT_SUPPORTED"},
    {0xC000018B, "STATUS_NO_TRUST_SAM_ACCOUNT"},
    {0xC000018D, "STATUS_TRUSTED_RELATIONSHIP_FAILURE"},
    {0xC0000388, "STATUS_DOWNGRADE_DETECTED"},
    {0xFFFFFFFF, "all ones"},
};

constexpr StatusChoice kFaultStatuses[] = {
    {0x00000000, "zero"},
    {0x00000005, "ERROR_ACCESS_DENIED"},
    {0x000006F7, "RPC_X_BAD_STUB_DATA"},
    {0x000006D1, "RPC_S_PROCNUM_OUT_OF_RANGE"},
    {0x1C010002, "nca_s_op_rng_error"},
    {0x1C010003, "nca_s_unk_if"},
    {0x1C01000B, "nca_s_proto_error"},
    {0x1C00001B, "nca_s_fault_remote_no_memory"},
    {0xC0000022, "STATUS_ACCESS_DENIED"},
    {0xFFFFFFFF, "all ones"},
};

// One parsed PDU: where things are.
struct RpcLayout {
  ByteView pdu;
  dcerpc::CommonHeader header;
  std::string name;       // "response"
  size_t trailer_at = 0;  // the sec_trailer's offset, or the size
  bool has_auth = false;
  bool has_fields = false;  // alloc_hint, p_cont_id, cancel_count (request/response/fault)
  size_t stub_at = 0;       // the stub (or body) runs to trailer_at
  std::optional<dcerpc::BindAckPdu> bind_ack;

  size_t stub_size() const { return trailer_at - stub_at; }
  uint8_t auth_pad() const { return has_auth ? pdu[trailer_at + 2] : 0; }
  // The offset of the status u32: the end of a response stub (before auth
  // padding), or a fault's status field.
  std::optional<size_t> status_at() const {
    if (header.ptype == dcerpc::kPtypeResponse && has_fields &&
        stub_size() >= size_t{auth_pad()} + 4) {
      return trailer_at - auth_pad() - 4;
    }
    if (header.ptype == dcerpc::kPtypeFault && has_fields && trailer_at >= 28) return 24;
    return std::nullopt;
  }
};

RpcLayout Layout(ByteView pdu, const dcerpc::CommonHeader& h) {
  RpcLayout l;
  l.pdu = pdu;
  l.header = h;
  l.name = PtypeName(h.ptype);
  l.has_auth = h.auth_length != 0;
  l.trailer_at = l.has_auth ? pdu.size() - h.auth_length - dcerpc::kSecTrailerSize : pdu.size();
  const bool typed = h.ptype == dcerpc::kPtypeRequest || h.ptype == dcerpc::kPtypeResponse ||
                     h.ptype == dcerpc::kPtypeFault;
  l.has_fields = typed && l.trailer_at >= 24;
  l.stub_at = l.has_fields ? 24 : dcerpc::kCommonHeaderSize;
  if (h.ptype == dcerpc::kPtypeBindAck || h.ptype == dcerpc::kPtypeAlterContextResp) {
    absl::StatusOr<dcerpc::BindAckPdu> ack = h.ptype == dcerpc::kPtypeBindAck
                                                 ? dcerpc::ParseBindAck(pdu)
                                                 : dcerpc::ParseAlterContextResp(pdu);
    if (ack.ok()) l.bind_ack = *std::move(ack);
  }
  return l;
}

bool RpcApplies(Kind kind, const RpcLayout& l) {
  switch (kind) {
    case Kind::kPtype:
    case Kind::kFlags:
    case Kind::kCallId:
    case Kind::kVersion:
    case Kind::kWrongFragLength:
    case Kind::kWrongAuthLength:
      return true;
    case Kind::kAllocHint:
    case Kind::kContextId:
      return l.has_fields;
    case Kind::kBindAckResult:
      return l.bind_ack.has_value() && !l.bind_ack->results.empty();
    case Kind::kBindAckSecondaryAddress:
    case Kind::kBindAckFragSize:
      return l.bind_ack.has_value();
    case Kind::kStubBitFlip:
    case Kind::kStubTruncate:
      return l.stub_size() > 0;
    case Kind::kStatus:
      return l.status_at().has_value();
    case Kind::kCredential:
      return l.header.ptype == dcerpc::kPtypeResponse && l.has_fields && !l.has_auth &&
             l.stub_size() >= 12;
    case Kind::kAuthTrailer:
      return l.has_auth;
    default:
      return false;
  }
}

const char* StubWord(const RpcLayout& l) {
  return l.header.ptype == dcerpc::kPtypeResponse || l.header.ptype == dcerpc::kPtypeRequest
             ? "stub"
             : "body";
}

// Re-encodes a modified bind_ack; nullopt if it cannot be encoded.
std::optional<Bytes> EncodeAck(const RpcLayout& l, const dcerpc::BindAckPdu& ack) {
  absl::StatusOr<Bytes> out = l.header.ptype == dcerpc::kPtypeBindAck
                                  ? dcerpc::EncodeBindAck(ack)
                                  : dcerpc::EncodeAlterContextResp(ack);
  if (!out.ok()) return std::nullopt;
  return *std::move(out);
}

// Applies `kind`; false if it cannot be (then the caller falls back).
bool ApplyRpc(Kind kind, const RpcLayout& l, Dice& dice, Mutation& m) {
  const size_t size = l.pdu.size();
  Bytes& out = m.bytes;
  out.assign(l.pdu.begin(), l.pdu.end());
  const std::string& name = l.name;
  switch (kind) {
    case Kind::kPtype: {
      const uint8_t old = l.header.ptype;
      std::vector<uint8_t> values = Other<uint8_t>({0, 1, 2, 3, 11, 12, 13, 14, 15, 16, 17, 18, 19,
                                                    0xff, static_cast<uint8_t>(dice.Below(256))},
                                                   old);
      const uint8_t v = dice.Pick(values);
      out[2] = v;
      m.description =
          absl::StrCat(name, ": ptype ", old, " (", name, ") -> ", v, " (", PtypeName(v), ")");
      return true;
    }
    case Kind::kFlags: {
      const uint8_t old = l.header.pfc_flags;
      std::vector<uint8_t> values =
          Other<uint8_t>({static_cast<uint8_t>(old & ~dcerpc::kPfcLastFrag),
                          static_cast<uint8_t>(old & ~dcerpc::kPfcFirstFrag),
                          static_cast<uint8_t>(old | dcerpc::kPfcDidNotExecute),
                          static_cast<uint8_t>(old | dcerpc::kPfcObjectUuid),
                          static_cast<uint8_t>(old | dcerpc::kPfcMaybe | dcerpc::kPfcConcMpx), 0x00,
                          0xff, static_cast<uint8_t>(old ^ (1u << dice.Below(8)))},
                         old);
      const uint8_t v = dice.Pick(values);
      out[3] = v;
      m.description = absl::StrFormat("%s: pfc_flags 0x%02x -> 0x%02x", name, old, v);
      return true;
    }
    case Kind::kCallId: {
      const uint32_t old = l.header.call_id;
      const uint32_t v =
          dice.Pick(Other<uint32_t>({old + 1, old - 1, 0, 0xffffffff, dice.U32()}, old));
      PutU32(out, 12, v);
      m.description = absl::StrCat(name, ": call_id ", old, " -> ", v);
      return true;
    }
    case Kind::kVersion: {
      struct Choice {
        size_t at;
        uint8_t value;
        const char* field;
        const char* note;
      };
      const std::vector<Choice> choices = {
          {0, 4, "rpc_vers", ""},
          {0, 6, "rpc_vers", ""},
          {0, 0xff, "rpc_vers", ""},
          {1, 2, "rpc_vers_minor", ""},
          {1, 0xff, "rpc_vers_minor", ""},
          {4, 0x00, "drep[0]", " (big-endian)"},
          {4, 0x11, "drep[0]", " (EBCDIC)"},
          {5, 0x01, "drep[1]", " (VAX floating point)"},
      };
      std::vector<Choice> others;
      for (const Choice& c : choices) {
        if (out[c.at] != c.value) others.push_back(c);
      }
      const Choice c = dice.Pick(others);
      m.description =
          absl::StrFormat("%s: %s 0x%02x -> 0x%02x%s", name, c.field, out[c.at], c.value, c.note);
      out[c.at] = c.value;
      return true;
    }
    case Kind::kWrongFragLength: {
      std::vector<size_t> values = {size + 1,
                                    size > 0 ? size - 1 : 0,
                                    std::min<size_t>(0xffff, size + 2 + dice.Below(1024)),
                                    0xffff,
                                    16,
                                    0,
                                    dice.Below(0x10000)};
      const size_t v = dice.Pick(Other<size_t>(std::move(values), size));
      PutU16(out, 8, static_cast<uint16_t>(v));
      m.description =
          absl::StrCat(name, ": frag_length ", size, " -> ", v, " (", size, " bytes sent)");
      return true;
    }
    case Kind::kWrongAuthLength: {
      const uint32_t old = l.header.auth_length;
      std::vector<uint32_t> values =
          old == 0 ? std::vector<uint32_t>{1, 8, 16, 0xffff, static_cast<uint32_t>(size)}
                   : std::vector<uint32_t>{old + 1, old - 1, 0, 0xffff, std::min(0xffffu, old * 2)};
      const uint32_t v = dice.Pick(Other<uint32_t>(std::move(values), old));
      PutU16(out, 10, static_cast<uint16_t>(v));
      m.description = absl::StrCat(name, ": auth_length ", old, " -> ", v);
      return true;
    }
    case Kind::kAllocHint: {
      const uint32_t old = U32At(l.pdu, 16);
      const uint32_t v = dice.Pick(Other<uint32_t>(
          {0, old + 1, old - 1, 0xffffffff, 0x7fffffff, static_cast<uint32_t>(size), dice.U32()},
          old));
      PutU32(out, 16, v);
      m.description = absl::StrCat(name, ": alloc_hint ", old, " -> ", v);
      return true;
    }
    case Kind::kContextId: {
      if (dice.Below(3) != 0) {
        const uint16_t old = U16At(l.pdu, 20);
        const uint16_t v = dice.Pick(Other<uint16_t>(
            {static_cast<uint16_t>(old + 1), 0xffff, static_cast<uint16_t>(dice.Below(0x10000))},
            old));
        PutU16(out, 20, v);
        m.description = absl::StrCat(name, ": p_cont_id ", old, " -> ", v);
      } else {
        const uint8_t old = l.pdu[22];
        const uint8_t v = dice.Pick(Other<uint8_t>({1, 0xff, static_cast<uint8_t>(old + 1)}, old));
        out[22] = v;
        m.description = absl::StrCat(name, ": cancel_count ", old, " -> ", v);
      }
      return true;
    }
    case Kind::kBindAckResult: {
      dcerpc::BindAckPdu ack = *l.bind_ack;
      const size_t i = dice.Below(ack.results.size());
      dcerpc::ContextResult& r = ack.results[i];
      switch (dice.Below(6)) {
        case 0:
          r.result = dcerpc::kResultUserRejection;
          r.reason = static_cast<uint16_t>(dice.Below(4));
          r.transfer_syntax = {};
          m.description =
              absl::StrCat(name, ": result ", i, " -> user rejection, reason ", r.reason);
          break;
        case 1:
          r.result = dcerpc::kResultProviderRejection;
          r.reason = dice.Pick(std::vector<uint16_t>{1, 2, 3});
          r.transfer_syntax = {};
          m.description =
              absl::StrCat(name, ": result ", i, " -> provider rejection, reason ", r.reason);
          break;
        case 2:
          r.result = dice.Pick(Other<uint16_t>({dcerpc::kResultNegotiateAck, 0xffff}, r.result));
          m.description = absl::StrCat(name, ": result ", i, " -> result code ", r.result);
          break;
        case 3: {
          if (dice.Below(2) == 0) {
            r.transfer_syntax = dcerpc::Ndr64Syntax();
            m.description = absl::StrCat(name, ": result ", i, " transfer syntax -> NDR64");
          } else {
            Bytes uuid = dice.RandomBytes(16);
            std::copy(uuid.begin(), uuid.end(), r.transfer_syntax.uuid.begin());
            m.description = absl::StrCat(name, ": result ", i, " transfer syntax -> a random UUID");
          }
          break;
        }
        case 4:
          m.description = absl::StrCat(name, ": results removed (", ack.results.size(), " -> 0)");
          ack.results.clear();
          break;
        default:
          m.description = absl::StrCat(name, ": result ", i, " duplicated");
          ack.results.insert(ack.results.begin() + static_cast<ptrdiff_t>(i), r);
          break;
      }
      std::optional<Bytes> encoded = EncodeAck(l, ack);
      if (!encoded || *encoded == Bytes(l.pdu.begin(), l.pdu.end())) return false;
      out = *std::move(encoded);
      return true;
    }
    case Kind::kBindAckSecondaryAddress: {
      dcerpc::BindAckPdu ack = *l.bind_ack;
      const size_t digits = 1 + dice.Below(10);
      std::string random_digits;
      for (size_t k = 0; k < digits; ++k) random_digits += static_cast<char>('0' + dice.Below(10));
      const std::vector<std::string> values = Other<std::string>(
          {"", "0", "65536", "\\PIPE\\netlogon", std::string(300, '9'), random_digits},
          ack.secondary_address);
      ack.secondary_address = dice.Pick(values);
      const std::string shown = ack.secondary_address.size() > 32
                                    ? absl::StrCat(ack.secondary_address.size(), " characters")
                                    : absl::StrCat("\"", ack.secondary_address, "\"");
      m.description = absl::StrCat(name, ": secondary address -> ", shown);
      std::optional<Bytes> encoded = EncodeAck(l, ack);
      if (!encoded) return false;
      out = *std::move(encoded);
      return true;
    }
    case Kind::kBindAckFragSize: {
      dcerpc::BindAckPdu ack = *l.bind_ack;
      const size_t field = dice.Below(3);
      if (field == 2) {
        const uint32_t old = ack.assoc_group_id;
        ack.assoc_group_id = dice.Pick(Other<uint32_t>({0, 0xffffffff, old + 1}, old));
        m.description = absl::StrCat(name, ": assoc_group_id -> ", ack.assoc_group_id);
      } else {
        uint16_t& f = field == 0 ? ack.max_xmit_frag : ack.max_recv_frag;
        const uint16_t old = f;
        f = dice.Pick(Other<uint16_t>(
            {0, 1, 16, 24, 0xffff, static_cast<uint16_t>(old / 2), static_cast<uint16_t>(old + 1)},
            old));
        m.description = absl::StrCat(name, ": ", field == 0 ? "max_xmit_frag " : "max_recv_frag ",
                                     old, " -> ", f);
      }
      std::optional<Bytes> encoded = EncodeAck(l, ack);
      if (!encoded) return false;
      out = *std::move(encoded);
      return true;
    }
    case Kind::kStubBitFlip:
      m.description =
          absl::StrCat(name, ": ", StubWord(l), ": ", FlipBits(out, l.stub_at, l.trailer_at, dice));
      return true;
    case Kind::kStubTruncate: {
      const size_t keep = dice.Below(l.stub_size());
      out.assign(l.pdu.begin(), l.pdu.begin() + static_cast<ptrdiff_t>(l.stub_at + keep));
      out.insert(out.end(), l.pdu.begin() + static_cast<ptrdiff_t>(l.trailer_at), l.pdu.end());
      PutU16(out, 8, static_cast<uint16_t>(out.size()));
      m.description = absl::StrCat(name, ": ", StubWord(l), " truncated from ", l.stub_size(),
                                   " to ", keep, " bytes (frag_length fixed up)");
      return true;
    }
    case Kind::kStatus: {
      const size_t at = *l.status_at();
      const uint32_t old = U32At(l.pdu, at);
      const bool fault = l.header.ptype == dcerpc::kPtypeFault;
      absl::Span<const StatusChoice> table = fault ? absl::Span<const StatusChoice>(kFaultStatuses)
                                                   : absl::Span<const StatusChoice>(kNtStatuses);
      std::vector<uint32_t> codes;
      for (const StatusChoice& s : table) {
        if (s.code != old) codes.push_back(s.code);
      }
      const uint32_t v = dice.Pick(codes);
      PutU32(out, at, v);
      if (l.has_auth) {
        // Sealed: the bytes are ciphertext, so the old value means nothing.
        m.description =
            absl::StrCat(name, ": status (last stub u32, sealed) -> ", StatusText(v, table));
      } else {
        m.description =
            absl::StrCat(name, ": status ", StatusText(old, table), " -> ", StatusText(v, table));
      }
      return true;
    }
    case Kind::kCredential: {
      const size_t at = l.stub_at;
      switch (dice.Below(3)) {
        case 0: {
          Bytes b = DifferentBytes(8, l.pdu.subspan(at, 8), dice);
          std::copy(b.begin(), b.end(), out.begin() + static_cast<ptrdiff_t>(at));
          m.description =
              absl::StrCat(name, ": credential (stub bytes 0-7) replaced by random bytes");
          return true;
        }
        case 1:
          if (std::all_of(out.begin() + at, out.begin() + at + 8,
                          [](uint8_t b) { return b == 0; })) {
            break;
          }
          std::fill(out.begin() + static_cast<ptrdiff_t>(at),
                    out.begin() + static_cast<ptrdiff_t>(at) + 8, 0);
          m.description = absl::StrCat(name, ": credential (stub bytes 0-7) zeroed");
          return true;
        default:
          break;
      }
      m.description =
          absl::StrCat(name, ": credential (stub bytes 0-7): ", FlipBits(out, at, at + 8, dice));
      return true;
    }
    case Kind::kAuthTrailer: {
      const size_t t = l.trailer_at;
      const size_t value_at = t + dcerpc::kSecTrailerSize;
      switch (dice.Below(6)) {
        case 0:
          m.description =
              absl::StrCat(name, ": auth value (signature): ", FlipBits(out, value_at, size, dice),
                           " (bad checksum)");
          return true;
        case 1: {
          Bytes b = DifferentBytes(size - value_at, l.pdu.subspan(value_at), dice);
          std::copy(b.begin(), b.end(), out.begin() + static_cast<ptrdiff_t>(value_at));
          m.description = absl::StrCat(
              name, ": auth value (signature) replaced by random bytes (bad checksum)");
          return true;
        }
        case 2: {
          const uint8_t old = out[t];
          const uint8_t v = dice.Pick(Other<uint8_t>({0, 9, 10, 16, 0x44, 0xff}, old));
          out[t] = v;
          m.description = absl::StrCat(name, ": sec_trailer auth_type ", old, " -> ", v);
          return true;
        }
        case 3: {
          const uint8_t old = out[t + 1];
          const uint8_t v = dice.Pick(Other<uint8_t>({1, 2, 3, 4, 5, 6, 0xff}, old));
          out[t + 1] = v;
          m.description = absl::StrCat(name, ": sec_trailer auth_level ", old, " -> ", v);
          return true;
        }
        case 4: {
          const uint8_t old = out[t + 2];
          const uint8_t v =
              dice.Pick(Other<uint8_t>({0, 4, 15, 0xff, static_cast<uint8_t>(old + 1)}, old));
          out[t + 2] = v;
          m.description = absl::StrCat(name, ": sec_trailer auth_pad_length ", old, " -> ", v);
          return true;
        }
        default: {
          const uint32_t old = U32At(l.pdu, t + 4);
          const uint32_t v = dice.Pick(Other<uint32_t>({old + 1, 0xffffffff, 0}, old));
          PutU32(out, t + 4, v);
          m.description = absl::StrCat(name, ": sec_trailer auth_context_id ", old, " -> ", v);
          return true;
        }
      }
    }
    default:
      return false;
  }
}

}  // namespace

const char* KindName(Kind kind) {
  switch (kind) {
    case Kind::kBitFlip:
      return "bit-flip";
    case Kind::kIntegerBoundary:
      return "integer-boundary";
    case Kind::kTruncate:
      return "truncate";
    case Kind::kWrongLength:
      return "wrong-length";
    case Kind::kReplaceOctets:
      return "replace-octets";
    case Kind::kSwapElements:
      return "swap-elements";
    case Kind::kDuplicateElement:
      return "duplicate-element";
    case Kind::kDropElement:
      return "drop-element";
    case Kind::kTime:
      return "time";
    case Kind::kApplicationTag:
      return "application-tag";
    case Kind::kPtype:
      return "ptype";
    case Kind::kFlags:
      return "flags";
    case Kind::kCallId:
      return "call-id";
    case Kind::kVersion:
      return "version";
    case Kind::kWrongFragLength:
      return "wrong-frag-length";
    case Kind::kWrongAuthLength:
      return "wrong-auth-length";
    case Kind::kAllocHint:
      return "alloc-hint";
    case Kind::kContextId:
      return "context-id";
    case Kind::kBindAckResult:
      return "bind-ack-result";
    case Kind::kBindAckSecondaryAddress:
      return "bind-ack-secondary-address";
    case Kind::kBindAckFragSize:
      return "bind-ack-frag-size";
    case Kind::kStubBitFlip:
      return "stub-bit-flip";
    case Kind::kStubTruncate:
      return "stub-truncate";
    case Kind::kStatus:
      return "status";
    case Kind::kCredential:
      return "credential";
    case Kind::kAuthTrailer:
      return "auth-trailer";
    case Kind::kRaw:
      return "raw";
  }
  return "?";
}

std::vector<Kind> KerberosKinds() {
  return {Kind::kBitFlip,       Kind::kIntegerBoundary, Kind::kTruncate,         Kind::kWrongLength,
          Kind::kReplaceOctets, Kind::kSwapElements,    Kind::kDuplicateElement, Kind::kDropElement,
          Kind::kTime,          Kind::kApplicationTag};
}

std::vector<Kind> RpcKinds() {
  return {Kind::kPtype,           Kind::kFlags,
          Kind::kCallId,          Kind::kVersion,
          Kind::kWrongFragLength, Kind::kWrongAuthLength,
          Kind::kAllocHint,       Kind::kContextId,
          Kind::kBindAckResult,   Kind::kBindAckSecondaryAddress,
          Kind::kBindAckFragSize, Kind::kStubBitFlip,
          Kind::kStubTruncate,    Kind::kStatus,
          Kind::kCredential,      Kind::kAuthTrailer};
}

Mutation MutateKerberos(ByteView reply, RandomSource& rng) {
  Dice dice(rng);
  absl::StatusOr<std::vector<Node>> tree = ParseList(reply, 0);
  if (!tree.ok() || tree->size() != 1) return RawMutation(reply, dice, "DER", false);
  Node& top = tree->front();
  top.top = true;
  Schema schema = Schema::kNone;
  const std::string name = MessageName(top, schema);
  NameTree(top, name, schema, false, 0);

  std::vector<Node*> nodes;
  Collect(top, nodes);
  std::vector<Kind> kinds;
  for (Kind k : KerberosKinds()) {
    if (std::any_of(nodes.begin(), nodes.end(), [k](const Node* n) { return Applies(k, *n); })) {
      kinds.push_back(k);
    }
  }
  // Every TLV has a length that can be made wrong unless the message is one
  // primitive TLV; then its value can still have bits flipped, or be empty.
  if (kinds.empty()) return RawMutation(reply, dice, "DER", false);
  Mutation m;
  m.kind = dice.Pick(kinds);
  std::vector<Node*> targets;
  for (Node* n : nodes) {
    if (Applies(m.kind, *n)) targets.push_back(n);
  }
  Node& target = *dice.Pick(targets);
  switch (m.kind) {
    case Kind::kBitFlip:
      m.description =
          absl::StrCat(target.path, ": ", FlipBits(target.value, 0, target.value.size(), dice));
      break;
    case Kind::kIntegerBoundary:
      MutateInteger(target, dice, m);
      break;
    case Kind::kTruncate: {
      const Bytes contents = Contents(target);
      const size_t keep = dice.Below(contents.size());
      m.description =
          absl::StrCat(target.path, " ", TagName(target.tag), ": contents truncated from ",
                       contents.size(), " to ", keep, " bytes (enclosing lengths fixed up)");
      target.children.clear();
      target.has_children = false;
      target.value.assign(contents.begin(), contents.begin() + static_cast<ptrdiff_t>(keep));
      break;
    }
    case Kind::kWrongLength:
      MutateLength(target, dice, m);
      break;
    case Kind::kReplaceOctets:
      MutateOctets(target, dice, m);
      break;
    case Kind::kSwapElements:
    case Kind::kDuplicateElement:
    case Kind::kDropElement:
      MutateSequence(target, m.kind, dice, m);
      break;
    case Kind::kTime:
      MutateTime(target, dice, m);
      break;
    case Kind::kApplicationTag:
      MutateApplicationTag(target, dice, m);
      break;
    default:
      break;
  }
  Encode(top, m.bytes);
  if (ByteView(m.bytes) == reply) {
    // Cannot happen by construction; never send an unmutated reply as mutated.
    m.description += "; and the last byte inverted";
    m.bytes.back() ^= 0xff;
  }
  return m;
}

Mutation MutateRpc(ByteView pdu, RandomSource& rng) {
  Dice dice(rng);
  absl::StatusOr<dcerpc::CommonHeader> header = dcerpc::ParseCommonHeader(pdu);
  if (!header.ok() || header->frag_length != pdu.size()) {
    return RawMutation(pdu, dice, "a PDU", true);
  }
  const RpcLayout l = Layout(pdu, *header);
  std::vector<Kind> kinds;
  for (Kind k : RpcKinds()) {
    if (RpcApplies(k, l)) kinds.push_back(k);
  }
  Mutation m;
  m.kind = dice.Pick(kinds);
  if (!ApplyRpc(m.kind, l, dice, m)) {
    // A bind_ack change the encoder refused: flip bits in the body instead.
    m.kind = l.stub_size() > 0 ? Kind::kStubBitFlip : Kind::kCallId;
    ApplyRpc(m.kind, l, dice, m);
  }
  return m;
}

Bytes MutateKerberosReply(ByteView reply, RandomSource& rng, std::string* description) {
  Mutation m = MutateKerberos(reply, rng);
  if (description != nullptr) *description = std::move(m.description);
  return std::move(m.bytes);
}

Bytes MutateRpcReply(ByteView pdu, RandomSource& rng, std::string* description) {
  Mutation m = MutateRpc(pdu, rng);
  if (description != nullptr) *description = std::move(m.description);
  return std::move(m.bytes);
}

std::vector<ByteView> SplitRpcPdus(ByteView stream) {
  std::vector<ByteView> out;
  while (!stream.empty()) {
    size_t n = stream.size();
    if (stream.size() >= dcerpc::kCommonHeaderSize) {
      const size_t frag = U16At(stream, 8);
      if (frag >= dcerpc::kCommonHeaderSize && frag <= stream.size()) n = frag;
    }
    out.push_back(stream.subspan(0, n));
    stream.remove_prefix(n);
  }
  return out;
}

bool LeavesRpcClientWaiting(ByteView original, ByteView mutated) {
  if (mutated.size() < dcerpc::kCommonHeaderSize) return true;
  if (U16At(mutated, 8) != mutated.size()) return true;
  const bool was_last = original.size() >= 4 && (original[3] & dcerpc::kPfcLastFrag) != 0;
  return was_last && (mutated[3] & dcerpc::kPfcLastFrag) == 0;
}

}  // namespace trustsim::mutation
