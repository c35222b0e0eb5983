// Copyright 2026 The trustsim Authors.

#include "base/unicode.h"

#include "absl/strings/str_cat.h"

namespace trustsim {
namespace {

void AppendUtf8(std::string& out, uint32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | cp >> 6));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | cp >> 12));
    out.push_back(static_cast<char>(0x80 | (cp >> 6 & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | cp >> 18));
    out.push_back(static_cast<char>(0x80 | (cp >> 12 & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp >> 6 & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

void AppendUtf16Le(Bytes& out, uint32_t unit) {
  out.push_back(static_cast<uint8_t>(unit));
  out.push_back(static_cast<uint8_t>(unit >> 8));
}

}  // namespace

absl::StatusOr<Bytes> Utf8ToUtf16Le(absl::string_view utf8) {
  Bytes out;
  out.reserve(utf8.size() * 2);
  size_t i = 0;
  while (i < utf8.size()) {
    const uint8_t lead = static_cast<uint8_t>(utf8[i]);
    int extra;
    uint32_t cp;
    if (lead < 0x80) {
      extra = 0, cp = lead;
    } else if ((lead & 0xE0) == 0xC0) {
      extra = 1, cp = lead & 0x1F;
    } else if ((lead & 0xF0) == 0xE0) {
      extra = 2, cp = lead & 0x0F;
    } else if ((lead & 0xF8) == 0xF0) {
      extra = 3, cp = lead & 0x07;
    } else {
      return absl::InvalidArgumentError(absl::StrCat("utf-8: bad lead byte at offset ", i));
    }
    if (i + extra >= utf8.size()) {
      return absl::InvalidArgumentError(absl::StrCat("utf-8: truncated sequence at offset ", i));
    }
    for (int k = 1; k <= extra; ++k) {
      const uint8_t cont = static_cast<uint8_t>(utf8[i + k]);
      if ((cont & 0xC0) != 0x80) {
        return absl::InvalidArgumentError(
            absl::StrCat("utf-8: bad continuation at offset ", i + k));
      }
      cp = cp << 6 | (cont & 0x3F);
    }
    static constexpr uint32_t kMinForLength[] = {0, 0x80, 0x800, 0x10000};
    if (cp < kMinForLength[extra] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
      return absl::InvalidArgumentError(absl::StrCat("utf-8: invalid code point at offset ", i));
    }
    if (cp >= 0x10000) {
      cp -= 0x10000;
      AppendUtf16Le(out, 0xD800 | cp >> 10);
      AppendUtf16Le(out, 0xDC00 | (cp & 0x3FF));
    } else {
      AppendUtf16Le(out, cp);
    }
    i += extra + 1;
  }
  return out;
}

std::string Utf16LeToUtf8(ByteView utf16le, Utf16Munging munging) {
  std::string out;
  const size_t units = utf16le.size() / 2;
  auto unit_at = [&](size_t k) -> uint32_t { return utf16le[2 * k] | utf16le[2 * k + 1] << 8; };
  for (size_t k = 0; k < units; ++k) {
    uint32_t u = unit_at(k);
    if (u >= 0xD800 && u <= 0xDBFF && k + 1 < units) {
      const uint32_t low = unit_at(k + 1);
      if (low >= 0xDC00 && low <= 0xDFFF) {
        AppendUtf8(out, 0x10000 + ((u - 0xD800) << 10) + (low - 0xDC00));
        ++k;
        continue;
      }
    }
    if (u >= 0xD800 && u <= 0xDFFF) {
      u = 0xFFFD;
    } else if (u == 0 && munging == Utf16Munging::kWindows) {
      u = 1;
    }
    AppendUtf8(out, u);
  }
  return out;
}

}  // namespace trustsim
