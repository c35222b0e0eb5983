// Copyright 2026 The trustsim Authors.

#include "net/kdc_tcp_framing.h"

#include "base/byte_reader.h"
#include "base/byte_writer.h"

namespace trustsim::net {

Bytes FrameKdcTcpMessage(ByteView message) {
  ByteWriter writer;
  writer.WriteU32Be(static_cast<uint32_t>(message.size()));
  writer.WriteBytes(message);
  return std::move(writer).Take();
}

void KdcTcpFramer::Append(ByteView data) {
  if (error_.has_value()) return;  // Nothing more will be taken out.
  if (start_ > 0) {
    buffer_.erase(buffer_.begin(), buffer_.begin() + static_cast<ptrdiff_t>(start_));
    start_ = 0;
  }
  buffer_.insert(buffer_.end(), data.begin(), data.end());
}

KdcTcpFrame KdcTcpFramer::Next() {
  if (error_.has_value()) return {*error_, {}};
  ByteReader reader(ByteView(buffer_).subspan(start_));
  absl::StatusOr<uint32_t> length = reader.ReadU32Be();
  if (!length.ok()) return {KdcTcpFrameStatus::kNeedMore, {}};
  if (*length > kKdcTcpMaxFramedLength || *length > max_message_bytes_) {
    error_ = KdcTcpFrameStatus::kTooLong;
    return {*error_, {}};
  }
  if (*length == 0) {
    error_ = KdcTcpFrameStatus::kEmptyMessage;
    return {*error_, {}};
  }
  absl::StatusOr<ByteView> body = reader.ReadBytes(*length);
  if (!body.ok()) return {KdcTcpFrameStatus::kNeedMore, {}};
  KdcTcpFrame frame{KdcTcpFrameStatus::kMessage, Bytes(body->begin(), body->end())};
  start_ += kKdcTcpLengthBytes + *length;
  if (start_ == buffer_.size()) {
    buffer_.clear();
    start_ = 0;
  }
  return frame;
}

}  // namespace trustsim::net
