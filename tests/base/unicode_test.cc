// Copyright 2026 The trustsim Authors.

#include "base/unicode.h"

#include "gtest/gtest.h"

namespace trustsim {
namespace {

TEST(UnicodeTest, Utf8ToUtf16LeCoversAllLengths) {
  EXPECT_EQ(ToHex(Utf8ToUtf16Le("Aé€").value()), "4100e900ac20");
  // U+1D11E (g-clef) needs a surrogate pair.
  EXPECT_EQ(ToHex(Utf8ToUtf16Le("\xf0\x9d\x84\x9e").value()), "34d81edd");
  EXPECT_TRUE(Utf8ToUtf16Le("").value().empty());
}

TEST(UnicodeTest, Utf8ToUtf16LeRejectsInvalidUtf8) {
  EXPECT_FALSE(Utf8ToUtf16Le("\xff").ok());
  EXPECT_FALSE(Utf8ToUtf16Le("\xc3").ok());              // truncated
  EXPECT_FALSE(Utf8ToUtf16Le("\xe2\x82").ok());          // truncated
  EXPECT_FALSE(Utf8ToUtf16Le("\xc3\x28").ok());          // bad continuation
  EXPECT_FALSE(Utf8ToUtf16Le("\xc0\xaf").ok());          // overlong
  EXPECT_FALSE(Utf8ToUtf16Le("\xed\xa0\x80").ok());      // surrogate
  EXPECT_FALSE(Utf8ToUtf16Le("\xf4\x90\x80\x80").ok());  // > U+10FFFF
}

TEST(UnicodeTest, Utf16LeToUtf8RoundTripsValidText) {
  const std::string text = "Passw0rd! é€\xf0\x9d\x84\x9e";
  EXPECT_EQ(Utf16LeToUtf8(Utf8ToUtf16Le(text).value()), text);
}

TEST(UnicodeTest, MungingReplacesUnpairedSurrogatesAndMapsNul) {
  // "A", NUL, a lone low surrogate, then a high surrogate with nothing after.
  const Bytes raw = FromHex("4100 0000 00dc 00d8").value();
  EXPECT_EQ(Utf16LeToUtf8(raw, Utf16Munging::kWindows), "A\x01\xef\xbf\xbd\xef\xbf\xbd");
  EXPECT_EQ(Utf16LeToUtf8(raw, Utf16Munging::kImpacket),
            std::string("A\0\xef\xbf\xbd\xef\xbf\xbd", 8));
}

TEST(UnicodeTest, TrailingOddByteIsDropped) {
  EXPECT_EQ(Utf16LeToUtf8(FromHex("410042").value()), "A");
}

}  // namespace
}  // namespace trustsim
