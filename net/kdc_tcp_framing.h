// Copyright 2026 The trustsim Authors.
//
// kdc_tcp_framing.h
// -----------------------------------------------------------------------------
//
// Kerberos over TCP (RFC 4120 section 7.2.2) sends every request and reply
// preceded by its length, four bytes big-endian. The high bit of that length
// is reserved for extensions no KDC here understands; a KDC that sees it set
// answers KRB_ERR_FIELD_TOOLONG and closes the stream.
//
// `KdcTcpFramer` cuts a received byte stream into messages, sans I/O: bytes go
// in as they arrive (one at a time or several messages at once), whole
// messages come out. The socket code in `kdc_server.cc` owns the reads.
//
// Example:
//
//   KdcTcpFramer framer(/*max_message_bytes=*/65536);
//   framer.Append(received);
//   for (KdcTcpFrame frame = framer.Next(); frame.status == KdcTcpFrameStatus::kMessage;
//        frame = framer.Next()) {
//     Answer(frame.message);
//   }

#ifndef TRUSTSIM_NET_KDC_TCP_FRAMING_H_
#define TRUSTSIM_NET_KDC_TCP_FRAMING_H_

#include <cstddef>
#include <cstdint>
#include <optional>

#include "base/bytes.h"

namespace trustsim::net {

// Bytes in the length prefix.
inline constexpr size_t kKdcTcpLengthBytes = 4;

// The largest length a prefix can carry: the high bit is reserved.
inline constexpr uint32_t kKdcTcpMaxFramedLength = 0x7fffffff;

// Returns `message` preceded by its length, four bytes big-endian.
// `message.size()` must not exceed `kKdcTcpMaxFramedLength`.
Bytes FrameKdcTcpMessage(ByteView message);

// What `KdcTcpFramer::Next` found in the buffered bytes.
enum class KdcTcpFrameStatus {
  // No complete message yet: read more.
  kNeedMore,
  // A complete message, in `KdcTcpFrame::message`.
  kMessage,
  // A zero length prefix. The stream cannot go on.
  kEmptyMessage,
  // A length prefix with the high bit set, or above the framer's limit. The
  // stream cannot go on; RFC 4120 asks for KRB_ERR_FIELD_TOOLONG.
  kTooLong,
};

// One result of `KdcTcpFramer::Next`.
struct KdcTcpFrame {
  KdcTcpFrameStatus status = KdcTcpFrameStatus::kNeedMore;
  // The message without its length prefix; set only for `kMessage`.
  Bytes message;
};

// Cuts a TCP byte stream into length-prefixed Kerberos messages.
//
// A length prefix is judged as soon as its four bytes are in, before any of
// the message body: a hostile length is refused without buffering for it. The
// buffer therefore never holds more than one partial message of at most
// `max_message_bytes` plus whatever the caller appended after it.
//
// Errors are sticky: after `kEmptyMessage` or `kTooLong` every later `Next`
// returns the same status, since the stream has lost its framing.
class KdcTcpFramer {
 public:
  explicit KdcTcpFramer(size_t max_message_bytes) : max_message_bytes_(max_message_bytes) {}

  // Appends received bytes.
  void Append(ByteView data);

  // Takes the next complete message out of the buffer, or says why it cannot.
  KdcTcpFrame Next();

  // Bytes appended and not yet taken out by `Next`.
  size_t buffered() const { return buffer_.size() - start_; }

 private:
  size_t max_message_bytes_;
  Bytes buffer_;
  // Offset in `buffer_` of the first byte not yet taken out.
  size_t start_ = 0;
  std::optional<KdcTcpFrameStatus> error_;
};

}  // namespace trustsim::net

#endif  // TRUSTSIM_NET_KDC_TCP_FRAMING_H_
