// Copyright 2026 The trustsim Authors.

#include "base/byte_reader.h"

#include "absl/strings/str_cat.h"
#include "base/status_macros.h"

namespace trustsim {
namespace {

template <typename T>
T LoadLe(ByteView b) {
  T v = 0;
  for (size_t i = 0; i < sizeof(T); ++i) v |= static_cast<T>(b[i]) << (8 * i);
  return v;
}

template <typename T>
T LoadBe(ByteView b) {
  T v = 0;
  for (size_t i = 0; i < sizeof(T); ++i) v = static_cast<T>(v << 8) | b[i];
  return v;
}

}  // namespace

absl::Status ByteReader::Need(size_t n) const {
  if (n > remaining()) {
    return absl::OutOfRangeError(
        absl::StrCat("truncated: need ", n, " bytes at offset ", offset_, ", have ", remaining()));
  }
  return absl::OkStatus();
}

absl::StatusOr<ByteView> ByteReader::ReadBytes(size_t n) {
  RETURN_IF_ERROR(Need(n));
  ByteView out = data_.subspan(offset_, n);
  offset_ += n;
  return out;
}

absl::StatusOr<ByteReader> ByteReader::ReadSubReader(size_t n) {
  ASSIGN_OR_RETURN(ByteView sub, ReadBytes(n));
  return ByteReader(sub);
}

absl::Status ByteReader::Skip(size_t n) { return ReadBytes(n).status(); }

absl::Status ByteReader::Align(size_t alignment) {
  const size_t misalignment = offset_ & (alignment - 1);
  if (misalignment == 0) return absl::OkStatus();
  return Skip(alignment - misalignment);
}

absl::StatusOr<uint8_t> ByteReader::PeekU8() const {
  RETURN_IF_ERROR(Need(1));
  return data_[offset_];
}

absl::Status ByteReader::ExpectEnd(const char* what) const {
  if (remaining() != 0) {
    return absl::InvalidArgumentError(
        absl::StrCat(what, ": ", remaining(), " trailing bytes at offset ", offset_));
  }
  return absl::OkStatus();
}

absl::StatusOr<uint8_t> ByteReader::ReadU8() {
  ASSIGN_OR_RETURN(ByteView b, ReadBytes(1));
  return b[0];
}

absl::StatusOr<uint16_t> ByteReader::ReadU16Le() {
  ASSIGN_OR_RETURN(ByteView b, ReadBytes(2));
  return LoadLe<uint16_t>(b);
}

absl::StatusOr<uint32_t> ByteReader::ReadU32Le() {
  ASSIGN_OR_RETURN(ByteView b, ReadBytes(4));
  return LoadLe<uint32_t>(b);
}

absl::StatusOr<uint64_t> ByteReader::ReadU64Le() {
  ASSIGN_OR_RETURN(ByteView b, ReadBytes(8));
  return LoadLe<uint64_t>(b);
}

absl::StatusOr<uint16_t> ByteReader::ReadU16Be() {
  ASSIGN_OR_RETURN(ByteView b, ReadBytes(2));
  return LoadBe<uint16_t>(b);
}

absl::StatusOr<uint32_t> ByteReader::ReadU32Be() {
  ASSIGN_OR_RETURN(ByteView b, ReadBytes(4));
  return LoadBe<uint32_t>(b);
}

absl::StatusOr<uint64_t> ByteReader::ReadU64Be() {
  ASSIGN_OR_RETURN(ByteView b, ReadBytes(8));
  return LoadBe<uint64_t>(b);
}

}  // namespace trustsim
