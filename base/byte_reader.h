// Copyright 2026 The trustsim Authors.
//
// byte_reader.h
// -----------------------------------------------------------------------------
//
// `ByteReader` is the one bounds-checked cursor over untrusted bytes, shared by
// the DER and NDR codecs. Every read either succeeds completely or returns an
// error and leaves the cursor where it was; callers that see an error discard
// the reader rather than keep parsing.
//
// Errors follow Abseil's guidance: running out of input is `kOutOfRange`
// ("truncated"), a value that cannot be right is `kInvalidArgument`.
//
// Alignment is measured from the start of the reader, as NDR requires (the
// start of an RPC stub is the origin for every alignment in it).
//
// Example:
//
//   ByteReader reader(stub);
//   ASSIGN_OR_RETURN(uint32_t referent, reader.ReadU32Le());
//   RETURN_IF_ERROR(reader.Align(4));
//   ASSIGN_OR_RETURN(ByteView challenge, reader.ReadBytes(8));

#ifndef TRUSTSIM_BASE_BYTE_READER_H_
#define TRUSTSIM_BASE_BYTE_READER_H_

#include <cstddef>
#include <cstdint>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "base/bytes.h"

namespace trustsim {

class ByteReader {
 public:
  explicit ByteReader(ByteView data) : data_(data) {}

  // Bytes consumed so far; also the offset of the next read.
  size_t offset() const { return offset_; }
  // Bytes left to read.
  size_t remaining() const { return data_.size() - offset_; }
  bool empty() const { return remaining() == 0; }
  // The unread bytes, without consuming them.
  ByteView Rest() const { return data_.subspan(offset_); }

  absl::StatusOr<uint8_t> ReadU8();
  absl::StatusOr<uint16_t> ReadU16Le();
  absl::StatusOr<uint32_t> ReadU32Le();
  absl::StatusOr<uint64_t> ReadU64Le();
  absl::StatusOr<uint16_t> ReadU16Be();
  absl::StatusOr<uint32_t> ReadU32Be();
  absl::StatusOr<uint64_t> ReadU64Be();

  // Returns a view of the next `n` bytes and consumes them. The view points
  // into the reader's buffer.
  absl::StatusOr<ByteView> ReadBytes(size_t n);

  // Returns a reader over the next `n` bytes and consumes them, for nested
  // length-prefixed structures. The sub-reader's offsets start at zero.
  absl::StatusOr<ByteReader> ReadSubReader(size_t n);

  // Consumes `n` bytes without looking at them.
  absl::Status Skip(size_t n);

  // Skips padding so that `offset()` is a multiple of `alignment` (a power of
  // two). The padding's contents are ignored: senders may fill it with
  // anything (impacket uses 0xAB and 0xBF).
  absl::Status Align(size_t alignment);

  // Returns the next byte without consuming it.
  absl::StatusOr<uint8_t> PeekU8() const;

  // Returns an error unless every byte has been consumed; `what` names the
  // structure for the message.
  absl::Status ExpectEnd(const char* what) const;

 private:
  absl::Status Need(size_t n) const;

  ByteView data_;
  size_t offset_ = 0;
};

}  // namespace trustsim

#endif  // TRUSTSIM_BASE_BYTE_READER_H_
