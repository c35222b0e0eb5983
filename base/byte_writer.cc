// Copyright 2026 The trustsim Authors.

#include "base/byte_writer.h"

#include <cassert>

namespace trustsim {
namespace {

template <typename T>
void StoreLe(uint8_t* out, T v) {
  for (size_t i = 0; i < sizeof(T); ++i) out[i] = static_cast<uint8_t>(v >> (8 * i));
}

template <typename T>
void StoreBe(uint8_t* out, T v) {
  for (size_t i = 0; i < sizeof(T); ++i) {
    out[i] = static_cast<uint8_t>(v >> (8 * (sizeof(T) - 1 - i)));
  }
}

template <typename T, void (*Store)(uint8_t*, T)>
void Append(Bytes& buffer, T v) {
  const size_t at = buffer.size();
  buffer.resize(at + sizeof(T));
  Store(buffer.data() + at, v);
}

}  // namespace

void ByteWriter::WriteU16Le(uint16_t v) { Append<uint16_t, StoreLe<uint16_t>>(buffer_, v); }
void ByteWriter::WriteU32Le(uint32_t v) { Append<uint32_t, StoreLe<uint32_t>>(buffer_, v); }
void ByteWriter::WriteU64Le(uint64_t v) { Append<uint64_t, StoreLe<uint64_t>>(buffer_, v); }
void ByteWriter::WriteU16Be(uint16_t v) { Append<uint16_t, StoreBe<uint16_t>>(buffer_, v); }
void ByteWriter::WriteU32Be(uint32_t v) { Append<uint32_t, StoreBe<uint32_t>>(buffer_, v); }
void ByteWriter::WriteU64Be(uint64_t v) { Append<uint64_t, StoreBe<uint64_t>>(buffer_, v); }

void ByteWriter::WriteBytes(ByteView bytes) {
  buffer_.insert(buffer_.end(), bytes.begin(), bytes.end());
}

void ByteWriter::WriteFill(size_t n, uint8_t fill) { buffer_.insert(buffer_.end(), n, fill); }

void ByteWriter::Align(size_t alignment, uint8_t fill) {
  const size_t misalignment = buffer_.size() & (alignment - 1);
  if (misalignment != 0) WriteFill(alignment - misalignment, fill);
}

void ByteWriter::PatchU16Le(size_t offset, uint16_t v) {
  assert(offset + 2 <= buffer_.size());
  StoreLe<uint16_t>(buffer_.data() + offset, v);
}

void ByteWriter::PatchU32Le(size_t offset, uint32_t v) {
  assert(offset + 4 <= buffer_.size());
  StoreLe<uint32_t>(buffer_.data() + offset, v);
}

void ByteWriter::PatchU32Be(size_t offset, uint32_t v) {
  assert(offset + 4 <= buffer_.size());
  StoreBe<uint32_t>(buffer_.data() + offset, v);
}

}  // namespace trustsim
