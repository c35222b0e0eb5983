// Copyright 2026 The trustsim Authors.

#include "protocol/kerberos/keytab.h"

#include "absl/strings/str_cat.h"
#include "base/byte_reader.h"
#include "base/byte_writer.h"
#include "base/status_macros.h"

namespace trustsim::kerberos {
namespace {

constexpr uint16_t kVersion = 0x0502;
// A keytab is small; refuse anything that could only be hostile.
constexpr size_t kMaxEntrySize = 64 * 1024;

void WriteCounted(ByteWriter& w, ByteView bytes) {
  w.WriteU16Be(static_cast<uint16_t>(bytes.size()));
  w.WriteBytes(bytes);
}

absl::StatusOr<std::string> ReadCounted(ByteReader& r) {
  ASSIGN_OR_RETURN(uint16_t length, r.ReadU16Be());
  ASSIGN_OR_RETURN(ByteView bytes, r.ReadBytes(length));
  return std::string(bytes.begin(), bytes.end());
}

absl::StatusOr<KeytabEntry> ParseEntry(ByteReader& r) {
  KeytabEntry e;
  ASSIGN_OR_RETURN(uint16_t count, r.ReadU16Be());
  if (count == 0) return absl::InvalidArgumentError("keytab: a principal with no components");
  ASSIGN_OR_RETURN(e.realm, ReadCounted(r));
  for (uint16_t i = 0; i < count; ++i) {
    ASSIGN_OR_RETURN(std::string component, ReadCounted(r));
    e.components.push_back(std::move(component));
  }
  ASSIGN_OR_RETURN(e.name_type, r.ReadU32Be());
  ASSIGN_OR_RETURN(e.timestamp, r.ReadU32Be());
  ASSIGN_OR_RETURN(uint8_t kvno8, r.ReadU8());
  e.kvno = kvno8;
  ASSIGN_OR_RETURN(uint16_t enctype, r.ReadU16Be());
  ASSIGN_OR_RETURN(crypto::EncType type, crypto::EncTypeFromNumber(enctype));
  ASSIGN_OR_RETURN(std::string key, ReadCounted(r));
  ASSIGN_OR_RETURN(e.key, crypto::KeyFromBytes(type, AsBytes(key)));
  // The 32-bit kvno follows when the entry has room for it; MIT ignores a
  // zero there and keeps the 8-bit one.
  if (r.remaining() >= 4) {
    ASSIGN_OR_RETURN(uint32_t kvno32, r.ReadU32Be());
    if (kvno32 != 0) e.kvno = kvno32;
  }
  return e;
}

}  // namespace

Bytes WriteKeytab(const std::vector<KeytabEntry>& entries) {
  ByteWriter w;
  w.WriteU16Be(kVersion);
  for (const KeytabEntry& e : entries) {
    ByteWriter entry;
    entry.WriteU16Be(static_cast<uint16_t>(e.components.size()));
    WriteCounted(entry, AsBytes(e.realm));
    for (const std::string& c : e.components) WriteCounted(entry, AsBytes(c));
    entry.WriteU32Be(e.name_type);
    entry.WriteU32Be(e.timestamp);
    entry.WriteU8(static_cast<uint8_t>(e.kvno));
    entry.WriteU16Be(static_cast<uint16_t>(e.key.type));
    WriteCounted(entry, e.key.bytes);
    // The 32-bit kvno; when it only repeats the 8-bit one, it is left out of
    // an entry it would take past what ParseKeytab accepts (kMaxEntrySize),
    // so that every keytab ParseKeytab reads is written back readable.
    if (e.kvno > 0xFF || entry.size() + 4 <= kMaxEntrySize) entry.WriteU32Be(e.kvno);
    w.WriteU32Be(static_cast<uint32_t>(entry.size()));
    w.WriteBytes(entry.view());
  }
  return std::move(w).Take();
}

absl::StatusOr<std::vector<KeytabEntry>> ParseKeytab(ByteView file) {
  ByteReader r(file);
  ASSIGN_OR_RETURN(uint16_t version, r.ReadU16Be());
  if (version != kVersion) {
    return absl::InvalidArgumentError(
        absl::StrCat("keytab: version 0x", absl::Hex(version), " (only 0x502 is supported)"));
  }
  std::vector<KeytabEntry> entries;
  while (!r.empty()) {
    ASSIGN_OR_RETURN(uint32_t raw_size, r.ReadU32Be());
    const int32_t size = static_cast<int32_t>(raw_size);
    if (size == 0) return absl::InvalidArgumentError("keytab: an entry of size 0");
    // A hole: -size bytes to skip (MIT leaves them after deleting an entry).
    const size_t length =
        size < 0 ? static_cast<size_t>(-static_cast<int64_t>(size)) : static_cast<size_t>(size);
    if (length > kMaxEntrySize) {
      return absl::InvalidArgumentError(absl::StrCat("keytab: entry of ", length, " bytes"));
    }
    ASSIGN_OR_RETURN(ByteReader entry, r.ReadSubReader(length));
    if (size < 0) continue;
    ASSIGN_OR_RETURN(KeytabEntry e, ParseEntry(entry));
    RETURN_IF_ERROR(entry.ExpectEnd("keytab entry"));
    entries.push_back(std::move(e));
  }
  return entries;
}

}  // namespace trustsim::kerberos
