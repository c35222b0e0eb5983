// Copyright 2026 The trustsim Authors.
//
// keytab.h
// -----------------------------------------------------------------------------
//
// MIT's keytab file format, version 0x502 (MIT krb5 "keytab.txt"; what
// `kinit -k -t FILE` and `klist -k` read). All integers are big-endian:
//
//   uint16 version = 0x0502
//   entries: int32 size (a negative size is a hole to skip), then
//     uint16 component count (the realm not counted)
//     counted string realm, counted strings components   (uint16 length + bytes)
//     uint32 name type, uint32 timestamp, uint8 kvno (low 8 bits)
//     uint16 enctype, counted key bytes
//     uint32 kvno (the full value; present when the entry has room for it)
//
// `ParseKeytab` is strict and bounded: it refuses any other version, sizes
// that overrun the file, and entries whose fields do not fill their size.

#ifndef TRUSTSIM_PROTOCOL_KERBEROS_KEYTAB_H_
#define TRUSTSIM_PROTOCOL_KERBEROS_KEYTAB_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "base/bytes.h"
#include "protocol/crypto/kerberos_key.h"
#include "protocol/kerberos/messages.h"

namespace trustsim::kerberos {

struct KeytabEntry {
  std::string realm;                    // "CORP.EXAMPLE.COM"
  std::vector<std::string> components;  // {"WS01$"} or {"host", "ws01.corp.example.com"}
  uint32_t name_type = kNtPrincipal;
  uint32_t timestamp = 0;  // seconds since the Unix epoch
  uint32_t kvno = 0;
  crypto::KerberosKey key;

  friend bool operator==(const KeytabEntry&, const KeytabEntry&) = default;
};

// Serialises `entries` as a version 0x502 keytab. Every entry carries the
// 32-bit kvno, except one that it would take past the 64 KiB per entry that
// ParseKeytab accepts when the 8-bit field already holds the kvno.
Bytes WriteKeytab(const std::vector<KeytabEntry>& entries);

// Parses a version 0x502 keytab. Unknown enctypes are an error
// (kUnimplemented): trustsim only writes the ones it implements.
absl::StatusOr<std::vector<KeytabEntry>> ParseKeytab(ByteView file);

}  // namespace trustsim::kerberos

#endif  // TRUSTSIM_PROTOCOL_KERBEROS_KEYTAB_H_
