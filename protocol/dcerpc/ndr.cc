// Copyright 2026 The trustsim Authors.

#include "protocol/dcerpc/ndr.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "base/unicode.h"

namespace trustsim::dcerpc {

absl::StatusOr<uint16_t> NdrReader::ReadU16() {
  RETURN_IF_ERROR(reader_.Align(2));
  return reader_.ReadU16Le();
}

absl::StatusOr<uint32_t> NdrReader::ReadU32() {
  RETURN_IF_ERROR(reader_.Align(4));
  return reader_.ReadU32Le();
}

absl::StatusOr<uint64_t> NdrReader::ReadU64() {
  RETURN_IF_ERROR(reader_.Align(8));
  return reader_.ReadU64Le();
}

absl::StatusOr<bool> NdrReader::ReadUniquePointer() {
  ASSIGN_OR_RETURN(const uint32_t referent_id, ReadU32());
  return referent_id != 0;
}

absl::StatusOr<ByteView> NdrReader::ReadFixedArray(size_t n, size_t alignment) {
  RETURN_IF_ERROR(reader_.Align(alignment));
  return reader_.ReadBytes(n);
}

absl::StatusOr<Bytes> NdrReader::ReadConformantVaryingStringUtf16(StringTerminator terminator,
                                                                  uint32_t max_chars) {
  ASSIGN_OR_RETURN(const uint32_t max_count, ReadU32());
  ASSIGN_OR_RETURN(const uint32_t offset, reader_.ReadU32Le());
  ASSIGN_OR_RETURN(const uint32_t actual_count, reader_.ReadU32Le());
  if (offset != 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("NDR string: offset ", offset, " is not 0 (a [string] always starts at 0)"));
  }
  if (actual_count > max_count) {
    return absl::InvalidArgumentError(
        absl::StrCat("NDR string: actual_count ", actual_count, " exceeds max_count ", max_count));
  }
  if (actual_count > max_chars) {
    return absl::InvalidArgumentError(
        absl::StrCat("NDR string: ", actual_count, " code units is over the limit of ", max_chars));
  }
  ASSIGN_OR_RETURN(const ByteView units, reader_.ReadBytes(size_t{actual_count} * 2));
  if (terminator == StringTerminator::kRequired &&
      (actual_count == 0 || units[units.size() - 2] != 0 || units[units.size() - 1] != 0)) {
    return absl::InvalidArgumentError("NDR string: no terminating NUL");
  }
  size_t length = 0;
  while (length + 1 < units.size() && (units[length] != 0 || units[length + 1] != 0)) {
    length += 2;
  }
  return Bytes(units.begin(), units.begin() + length);
}

absl::StatusOr<std::string> NdrReader::ReadConformantVaryingString(StringTerminator terminator,
                                                                   uint32_t max_chars) {
  ASSIGN_OR_RETURN(const Bytes utf16le, ReadConformantVaryingStringUtf16(terminator, max_chars));
  return Utf16LeToUtf8(utf16le);
}

absl::StatusOr<std::optional<std::string>> NdrReader::ReadUniqueString(
    StringTerminator terminator) {
  ASSIGN_OR_RETURN(const bool present, ReadUniquePointer());
  if (!present) return std::optional<std::string>();
  ASSIGN_OR_RETURN(std::string value, ReadConformantVaryingString(terminator));
  return std::optional<std::string>(std::move(value));
}

void NdrWriter::WriteU16(uint16_t v) {
  Align(2);
  writer_.WriteU16Le(v);
}

void NdrWriter::WriteU32(uint32_t v) {
  Align(4);
  writer_.WriteU32Le(v);
}

void NdrWriter::WriteU64(uint64_t v) {
  Align(8);
  writer_.WriteU64Le(v);
}

void NdrWriter::WriteUniquePointer(bool present) {
  if (!present) {
    WriteU32(0);
    return;
  }
  WriteU32(next_referent_);
  next_referent_ += 4;
}

void NdrWriter::WriteFixedArray(ByteView bytes, size_t alignment) {
  Align(alignment);
  writer_.WriteBytes(bytes);
}

absl::Status NdrWriter::WriteConformantVaryingStringUtf16(ByteView utf16le) {
  if (utf16le.size() % 2 != 0) {
    return absl::InvalidArgumentError("NDR string: UTF-16LE input has an odd number of bytes");
  }
  if (utf16le.size() / 2 + 1 > 0xFFFFFFFFu) {
    return absl::InvalidArgumentError("NDR string: too long");
  }
  const uint32_t count = static_cast<uint32_t>(utf16le.size() / 2 + 1);
  WriteU32(count);  // max_count
  WriteU32(0);      // offset
  WriteU32(count);  // actual_count
  writer_.WriteBytes(utf16le);
  writer_.WriteU16Le(0);
  return absl::OkStatus();
}

absl::Status NdrWriter::WriteConformantVaryingString(absl::string_view utf8) {
  ASSIGN_OR_RETURN(const Bytes utf16le, Utf8ToUtf16Le(utf8));
  return WriteConformantVaryingStringUtf16(utf16le);
}

absl::Status NdrWriter::WriteUniqueString(const std::optional<std::string>& utf8) {
  if (!utf8.has_value()) {
    WriteUniquePointer(false);
    return absl::OkStatus();
  }
  // Validate before the id goes out, so an error writes nothing.
  ASSIGN_OR_RETURN(const Bytes utf16le, Utf8ToUtf16Le(*utf8));
  WriteUniquePointer(true);
  return WriteConformantVaryingStringUtf16(utf16le);
}

}  // namespace trustsim::dcerpc
