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

#include "absl/base/attributes.h"
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

  // The reads below are defined inline: decoders call them once per field, and
  // the success path is a bounds check and a load.
  absl::StatusOr<uint8_t> ReadU8() {
    if (remaining() < 1) return Truncated(1);
    return data_.data()[offset_++];
  }
  absl::StatusOr<uint16_t> ReadU16Le() { return ReadInt<uint16_t, /*kBigEndian=*/false>(); }
  absl::StatusOr<uint32_t> ReadU32Le() { return ReadInt<uint32_t, /*kBigEndian=*/false>(); }
  absl::StatusOr<uint64_t> ReadU64Le() { return ReadInt<uint64_t, /*kBigEndian=*/false>(); }
  absl::StatusOr<uint16_t> ReadU16Be() { return ReadInt<uint16_t, /*kBigEndian=*/true>(); }
  absl::StatusOr<uint32_t> ReadU32Be() { return ReadInt<uint32_t, /*kBigEndian=*/true>(); }
  absl::StatusOr<uint64_t> ReadU64Be() { return ReadInt<uint64_t, /*kBigEndian=*/true>(); }

  // Returns a view of the next `n` bytes and consumes them. The view points
  // into the reader's buffer.
  absl::StatusOr<ByteView> ReadBytes(size_t n) {
    if (remaining() < n) return Truncated(n);
    const ByteView out(data_.data() + offset_, n);
    offset_ += n;
    return out;
  }

  // Returns a reader over the next `n` bytes and consumes them, for nested
  // length-prefixed structures. The sub-reader's offsets start at zero.
  absl::StatusOr<ByteReader> ReadSubReader(size_t n) {
    absl::StatusOr<ByteView> sub = ReadBytes(n);
    if (!sub.ok()) return sub.status();
    return ByteReader(*sub);
  }

  // Consumes `n` bytes without looking at them.
  absl::Status Skip(size_t n) { return ReadBytes(n).status(); }

  // Skips padding so that `offset()` is a multiple of `alignment` (a power of
  // two). The padding's contents are ignored: senders may fill it with
  // anything (impacket uses 0xAB and 0xBF).
  absl::Status Align(size_t alignment) {
    const size_t misalignment = offset_ & (alignment - 1);
    if (misalignment == 0) return absl::OkStatus();
    return Skip(alignment - misalignment);
  }

  // Returns the next byte without consuming it.
  absl::StatusOr<uint8_t> PeekU8() const {
    if (remaining() < 1) return Truncated(1);
    return data_.data()[offset_];
  }

  // Returns an error unless every byte has been consumed; `what` names the
  // structure for the message.
  absl::Status ExpectEnd(const char* what) const {
    if (remaining() != 0) return TrailingBytes(what);
    return absl::OkStatus();
  }

 private:
  template <typename T, bool kBigEndian>
  absl::StatusOr<T> ReadInt() {
    if (remaining() < sizeof(T)) return Truncated(sizeof(T));
    const uint8_t* p = data_.data() + offset_;
    T v = 0;
    for (size_t i = 0; i < sizeof(T); ++i) {
      const size_t shift = 8 * (kBigEndian ? sizeof(T) - 1 - i : i);
      v |= static_cast<T>(static_cast<T>(p[i]) << shift);
    }
    offset_ += sizeof(T);
    return v;
  }

  // The errors, out of line: building their messages is the slow path.
  ABSL_ATTRIBUTE_COLD ABSL_ATTRIBUTE_NOINLINE absl::Status Truncated(size_t n) const;
  ABSL_ATTRIBUTE_COLD ABSL_ATTRIBUTE_NOINLINE absl::Status TrailingBytes(const char* what) const;

  ByteView data_;
  size_t offset_ = 0;
};

}  // namespace trustsim

#endif  // TRUSTSIM_BASE_BYTE_READER_H_
