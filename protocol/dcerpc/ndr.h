// Copyright 2026 The trustsim Authors.
//
// ndr.h
// -----------------------------------------------------------------------------
//
// NDR 2.0 (C706 chapter 14, little-endian data representation) for the simple
// stubs of the Netlogon interface: primitives aligned to their size, 16-bit
// enums, union discriminants, fixed arrays, [unique] and [ref] pointers, and
// conformant varying wide strings (`[string] wchar_t*`).
//
// Pointers. A top-level `[ref]` pointer has no wire form of its own: its
// referent is marshalled in place. A `[unique]` pointer is a 4-byte referent
// id, zero for NULL. Referents of embedded pointers are deferred to the end of
// the enclosing top-level parameter; for the parameters Netlogon uses (a
// pointer to a string, a union or struct whose only pointer is the last
// member) that is exactly "right after the id", so `ReadUniqueString` reads
// the id and then the string in place. Callers that marshal a struct with
// several embedded pointers read/write the ids first and the referents
// afterwards, in order.
//
// Conformant varying string: max_count u32, offset u32 (must be 0),
// actual_count u32 (<= max_count), then actual_count UTF-16LE code units,
// normally including a terminating NUL. The strings come back as UTF-8 with
// the NUL (and anything after a NUL) removed.
//
// All alignment is measured from the start of the stub. The reader ignores the
// contents of padding (impacket fills it with 0xAB/0xBF); the writer pads with
// zeros and numbers referents 0x00020000, 0x00020004, ... as Windows and Samba
// do. Truncated input is kOutOfRange, malformed input kInvalidArgument.
//
// Example:
//
//   NdrReader r(stub);
//   ASSIGN_OR_RETURN(std::optional<std::string> primary, r.ReadUniqueString());
//   ASSIGN_OR_RETURN(std::string computer, r.ReadRefString());
//   ASSIGN_OR_RETURN(auto challenge, r.ReadFixed<8>());
//
//   NdrWriter w;
//   w.WriteFixedArray(server_challenge);
//   w.WriteU32(status);
//   Bytes response = std::move(w).Take();

#ifndef TRUSTSIM_PROTOCOL_DCERPC_NDR_H_
#define TRUSTSIM_PROTOCOL_DCERPC_NDR_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "base/byte_reader.h"
#include "base/byte_writer.h"
#include "base/bytes.h"

namespace trustsim::dcerpc {

// Whether a conformant varying string must end in a NUL code unit. MIDL and
// Samba's pidl (`ndr_check_string_terminator`) require it for `[string]`;
// trustsim's default accepts either.
enum class StringTerminator { kOptional, kRequired };

// The upper bound on a wide string's length, in UTF-16 code units, unless the
// caller gives another. Netlogon names are far shorter; the bound keeps a
// single string from claiming a whole stub.
inline constexpr uint32_t kMaxNdrStringChars = 4096;

// Reads NDR20 little-endian data from a request or response stub.
class NdrReader {
 public:
  explicit NdrReader(ByteView stub) : reader_(stub) {}

  size_t offset() const { return reader_.offset(); }
  size_t remaining() const { return reader_.remaining(); }

  // Skips padding up to a multiple of `alignment` (1, 2, 4 or 8).
  absl::Status Align(size_t alignment) { return reader_.Align(alignment); }

  // Primitives, each aligned to its own size first.
  absl::StatusOr<uint8_t> ReadU8() { return reader_.ReadU8(); }
  absl::StatusOr<uint16_t> ReadU16();
  absl::StatusOr<uint32_t> ReadU32();
  absl::StatusOr<uint64_t> ReadU64();

  // An `enum` (NDR marshals it as a 16-bit value, aligned to 2).
  absl::StatusOr<uint16_t> ReadEnum16() { return ReadU16(); }

  // The 32-bit discriminant of a union whose switch type is a DWORD/ULONG.
  absl::StatusOr<uint32_t> ReadUnionDiscriminant() { return ReadU32(); }

  // Reads a `[unique]` (or full) pointer's referent id; returns whether the
  // referent follows (non-zero id).
  absl::StatusOr<bool> ReadUniquePointer();

  // A fixed array of `n` bytes, after aligning to `alignment` (1 for
  // NETLOGON_CREDENTIAL and byte arrays; 4 for NL_TRUST_PASSWORD).
  absl::StatusOr<ByteView> ReadFixedArray(size_t n, size_t alignment = 1);

  // The same into an array.
  template <size_t N>
  absl::StatusOr<std::array<uint8_t, N>> ReadFixed(size_t alignment = 1) {
    absl::StatusOr<ByteView> bytes = ReadFixedArray(N, alignment);
    if (!bytes.ok()) return bytes.status();
    return ToArray<N>(*bytes);
  }

  // A conformant varying wide string, returned as UTF-8 without its NUL.
  // The raw UTF-16LE code units (without the NUL) are what
  // `ReadConformantVaryingStringUtf16` returns.
  absl::StatusOr<std::string> ReadConformantVaryingString(
      StringTerminator terminator = StringTerminator::kOptional,
      uint32_t max_chars = kMaxNdrStringChars);
  absl::StatusOr<Bytes> ReadConformantVaryingStringUtf16(
      StringTerminator terminator = StringTerminator::kOptional,
      uint32_t max_chars = kMaxNdrStringChars);

  // A top-level `[ref, string] wchar_t*`: the string in place, no id.
  absl::StatusOr<std::string> ReadRefString(
      StringTerminator terminator = StringTerminator::kOptional) {
    return ReadConformantVaryingString(terminator);
  }

  // A top-level `[unique, string] wchar_t*`: the referent id, then the string
  // if the id is non-zero; nullopt for NULL.
  absl::StatusOr<std::optional<std::string>> ReadUniqueString(
      StringTerminator terminator = StringTerminator::kOptional);

 private:
  ByteReader reader_;
};

// Writes NDR20 little-endian data, as Windows, Samba and impacket produce it
// (pad bytes zero).
class NdrWriter {
 public:
  NdrWriter() = default;

  size_t size() const { return writer_.size(); }
  ByteView view() const { return writer_.view(); }
  // Moves the stub out; the writer is empty afterwards.
  Bytes Take() && { return std::move(writer_).Take(); }

  // Writes zero bytes up to a multiple of `alignment`.
  void Align(size_t alignment) { writer_.Align(alignment, 0); }

  void WriteU8(uint8_t v) { writer_.WriteU8(v); }
  void WriteU16(uint16_t v);
  void WriteU32(uint32_t v);
  void WriteU64(uint64_t v);
  void WriteEnum16(uint16_t v) { WriteU16(v); }
  void WriteUnionDiscriminant(uint32_t v) { WriteU32(v); }

  // Writes a `[unique]` pointer's referent id: the next id if `present`,
  // else 0. The caller then writes the referent (immediately for a top-level
  // parameter, after the enclosing structure for an embedded pointer).
  void WriteUniquePointer(bool present);

  // A fixed array after aligning to `alignment`.
  void WriteFixedArray(ByteView bytes, size_t alignment = 1);

  // A conformant varying wide string from UTF-8, with a terminating NUL
  // (max_count = actual_count = code units + 1). Invalid UTF-8 is an error
  // and writes nothing.
  absl::Status WriteConformantVaryingString(absl::string_view utf8);
  // The same from UTF-16LE code units (an even number of bytes, without the
  // NUL).
  absl::Status WriteConformantVaryingStringUtf16(ByteView utf16le);

  // A top-level `[ref, string] wchar_t*`.
  absl::Status WriteRefString(absl::string_view utf8) { return WriteConformantVaryingString(utf8); }
  // A top-level `[unique, string] wchar_t*`: id and string, or a zero id.
  absl::Status WriteUniqueString(const std::optional<std::string>& utf8);

 private:
  ByteWriter writer_;
  uint32_t next_referent_ = 0x00020000;
};

}  // namespace trustsim::dcerpc

#endif  // TRUSTSIM_PROTOCOL_DCERPC_NDR_H_
