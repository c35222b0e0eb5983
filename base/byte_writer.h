// Copyright 2026 The trustsim Authors.
//
// byte_writer.h
// -----------------------------------------------------------------------------
//
// `ByteWriter` appends integers and byte strings to a growing buffer, the
// counterpart of `ByteReader` for the DER and NDR encoders. Alignment is
// measured from the start of the buffer. Values whose size is only known later
// (a length, a fragment size) can be reserved and patched in place.
//
// Example:
//
//   ByteWriter w;
//   w.WriteU32Le(0x00020000);    // referent id
//   w.Align(4);
//   w.WriteBytes(challenge);
//   Bytes stub = std::move(w).Take();

#ifndef TRUSTSIM_BASE_BYTE_WRITER_H_
#define TRUSTSIM_BASE_BYTE_WRITER_H_

#include <cstddef>
#include <cstdint>

#include "base/bytes.h"

namespace trustsim {

class ByteWriter {
 public:
  ByteWriter() = default;

  size_t size() const { return buffer_.size(); }
  ByteView view() const { return buffer_; }
  // Moves the buffer out; the writer is empty afterwards.
  Bytes Take() && { return std::move(buffer_); }

  void WriteU8(uint8_t v) { buffer_.push_back(v); }
  void WriteU16Le(uint16_t v);
  void WriteU32Le(uint32_t v);
  void WriteU64Le(uint64_t v);
  void WriteU16Be(uint16_t v);
  void WriteU32Be(uint32_t v);
  void WriteU64Be(uint64_t v);
  void WriteBytes(ByteView bytes);
  // Appends `n` copies of `fill`.
  void WriteFill(size_t n, uint8_t fill);

  // Appends `fill` bytes until `size()` is a multiple of `alignment` (a power
  // of two).
  void Align(size_t alignment, uint8_t fill = 0);

  // Overwrites bytes already written, at `offset`. The range must lie inside
  // the buffer; this is a programming error otherwise, not an input error.
  void PatchU16Le(size_t offset, uint16_t v);
  void PatchU32Le(size_t offset, uint32_t v);
  void PatchU32Be(size_t offset, uint32_t v);

 private:
  Bytes buffer_;
};

}  // namespace trustsim

#endif  // TRUSTSIM_BASE_BYTE_WRITER_H_
