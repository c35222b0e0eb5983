// Copyright 2026 The trustsim Authors.
//
// dcerpc_connection_fuzzer.cc
// -----------------------------------------------------------------------------
//
// Feeds a client byte stream to `dcerpc::Connection` (protocol/dcerpc/
// connection.h) twice: cut into reads as the control byte says, and whole
// (Beast's "parsegrind"). Same input as dcerpc_pdu_fuzzer, whose corpus it
// shares: one control byte, then the stream (fuzz/dcerpc_harness.h).
//
// Invariants, each an abort() when broken:
//   * every read's output passes CheckOutput (dcerpc_harness.h): whole PDUs of
//     the kinds a server sends, responses within the negotiated fragment size
//     that reassemble to the handler's stub, nothing after closed();
//   * the output does not depend on how the stream was cut. (So the whole
//     feed's output, equal to the reads' outputs put together, is not checked
//     again.)

#include <cstddef>
#include <cstdint>

#include "base/bytes.h"
#include "fuzz/dcerpc_harness.h"
#include "fuzz/fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace trustsim::dcerpc::harness;  // NOLINT(google-build-using-namespace)
  using trustsim::Bytes;
  using trustsim::ByteView;
  if (size < 1) return 0;
  const uint8_t control = data[0];
  const ByteView stream(data + 1, size - 1);
  const bool small = (control & 0x08) != 0;

  Server chunked(small);
  Chunker chunker(control, stream.size());
  const Bytes out = Feed(chunked, stream, &chunker, /*check_output=*/true);
  Server whole(small);
  const Bytes out_whole = Feed(whole, stream, nullptr, /*check_output=*/false);
  if (out != out_whole) {
    trustsim::fuzz::FailBytes("Connection", "the output depends on how the input was cut",
                              out_whole, out);
  }
  return 0;
}
