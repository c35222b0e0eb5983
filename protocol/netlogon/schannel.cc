// Copyright 2026 The trustsim Authors.

#include "protocol/netlogon/schannel.h"

#include <algorithm>
#include <memory>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "base/byte_reader.h"
#include "base/byte_writer.h"
#include "base/status_macros.h"
#include "protocol/crypto/aes.h"
#include "protocol/crypto/hash.h"
#include "protocol/crypto/rc4.h"
#include "protocol/netlogon/negotiate_flags.h"
#include "protocol/ntstatus.h"

namespace trustsim::netlogon {
namespace {

using Block8 = std::array<uint8_t, 8>;

// -----------------------------------------------------------------------------
// NL_AUTH_MESSAGE helpers
// -----------------------------------------------------------------------------

constexpr size_t kMaxDnsLabel = 63;
// The 4 bytes after the flags of a response (Samba: Buffer.dummy = 0x6c0000).
constexpr uint8_t kResponseTrailer[4] = {0x00, 0x00, 0x6c, 0x00};

// A NUL-terminated OEM string.
absl::StatusOr<std::string> ReadOemString(ByteReader& reader, const char* what) {
  const ByteView rest = reader.Rest();
  const auto nul = std::find(rest.begin(), rest.end(), uint8_t{0});
  if (nul == rest.end()) {
    return absl::OutOfRangeError(absl::StrCat("NL_AUTH_MESSAGE: ", what, " has no terminator"));
  }
  const size_t length = static_cast<size_t>(nul - rest.begin());
  if (length > kNlAuthMaxNameLength) {
    return absl::InvalidArgumentError(absl::StrCat("NL_AUTH_MESSAGE: ", what, " too long"));
  }
  ASSIGN_OR_RETURN(ByteView bytes, reader.ReadBytes(length + 1));
  return std::string(bytes.begin(), bytes.end() - 1);
}

// A DNS name in RFC 1035 wire form, compression pointers allowed (Samba
// nbt_string). Offsets are relative to the start of the message, which is
// the origin of `reader`. A pointer must point before every byte this name
// has used so far, so following pointers always terminates.
absl::StatusOr<std::string> ReadDnsName(ByteView message, ByteReader& reader, const char* what) {
  std::string name;
  ByteReader cursor = reader;
  bool jumped = false;
  size_t lowest_visited = cursor.offset();
  while (true) {
    ASSIGN_OR_RETURN(uint8_t length, cursor.ReadU8());
    if (length == 0) break;
    if ((length & 0xC0) == 0xC0) {
      ASSIGN_OR_RETURN(uint8_t low, cursor.ReadU8());
      const size_t target = (static_cast<size_t>(length & 0x3F) << 8) | low;
      if (target >= lowest_visited) {
        return absl::InvalidArgumentError(
            absl::StrCat("NL_AUTH_MESSAGE: ", what, ": compression pointer does not point back"));
      }
      if (!jumped) {
        reader = cursor;  // the name ends, in place, after its first pointer
        jumped = true;
      }
      lowest_visited = target;
      cursor = ByteReader(message);
      RETURN_IF_ERROR(cursor.Skip(target));
      continue;
    }
    if ((length & 0xC0) != 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("NL_AUTH_MESSAGE: ", what, ": reserved label type"));
    }
    ASSIGN_OR_RETURN(ByteView label, cursor.ReadBytes(length));
    if (std::find_if(label.begin(), label.end(), [](uint8_t b) { return b == '.' || b == 0; }) !=
        label.end()) {
      return absl::InvalidArgumentError(
          absl::StrCat("NL_AUTH_MESSAGE: ", what, ": label contains '.' or NUL"));
    }
    if (!name.empty()) name.push_back('.');
    name.append(label.begin(), label.end());
    if (name.size() > kNlAuthMaxNameLength) {
      return absl::InvalidArgumentError(absl::StrCat("NL_AUTH_MESSAGE: ", what, " too long"));
    }
  }
  if (!jumped) reader = cursor;
  return name;
}

absl::Status WriteOemString(ByteWriter& w, const std::string& s, const char* what) {
  if (s.find('\0') != std::string::npos || s.size() > kNlAuthMaxNameLength) {
    return absl::InvalidArgumentError(
        absl::StrCat("NL_AUTH_MESSAGE: ", what, " contains NUL or is too long"));
  }
  w.WriteBytes(AsBytes(s));
  w.WriteU8(0);
  return absl::OkStatus();
}

absl::Status WriteDnsName(ByteWriter& w, const std::string& s, const char* what) {
  if (s.size() > kNlAuthMaxNameLength) {
    return absl::InvalidArgumentError(absl::StrCat("NL_AUTH_MESSAGE: ", what, " too long"));
  }
  if (!s.empty()) {
    for (absl::string_view label : absl::StrSplit(s, '.')) {
      if (label.empty() || label.size() > kMaxDnsLabel ||
          label.find('\0') != absl::string_view::npos) {
        return absl::InvalidArgumentError(
            absl::StrCat("NL_AUTH_MESSAGE: ", what, ": bad DNS label"));
      }
      w.WriteU8(static_cast<uint8_t>(label.size()));
      w.WriteBytes(AsBytes(label));
    }
  }
  w.WriteU8(0);
  return absl::OkStatus();
}

// -----------------------------------------------------------------------------
// Token crypto
// -----------------------------------------------------------------------------

constexpr uint8_t kZeros4[4] = {0, 0, 0, 0};

uint16_t SignatureAlgorithmOf(SchannelAlgorithm a) {
  return a == SchannelAlgorithm::kAesHmacSha256 ? kNlSignHmacSha256 : kNlSignHmacMd5;
}

uint16_t SealAlgorithmOf(SchannelAlgorithm a, bool seal) {
  if (!seal) return kNlSealNone;
  return a == SchannelAlgorithm::kAesHmacSha256 ? kNlSealAes128 : kNlSealRc4;
}

size_t MinTokenLength(SchannelAlgorithm a, bool seal) {
  if (a == SchannelAlgorithm::kAesHmacSha256) return seal ? kAesMinSealLength : kAesMinSignLength;
  return seal ? kRc4MinSealLength : kRc4MinSignLength;
}

Block8 Header(SchannelAlgorithm a, bool seal) {
  const uint16_t sign = SignatureAlgorithmOf(a);
  const uint16_t sealing = SealAlgorithmOf(a, seal);
  return {static_cast<uint8_t>(sign),
          static_cast<uint8_t>(sign >> 8),
          static_cast<uint8_t>(sealing),
          static_cast<uint8_t>(sealing >> 8),
          0xFF,
          0xFF,
          0x00,
          0x00};
}

Bytes Concat(std::initializer_list<ByteView> parts) {
  size_t total = 0;
  for (ByteView p : parts) total += p.size();
  Bytes out;
  out.reserve(total);
  for (ByteView p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

// MS-NRPC 3.3.4.2.1 step 7: the checksum over the first 8 bytes of the
// token, the plaintext confounder (sealing only) and the plaintext stub.
Block8 ComputeChecksum(SchannelAlgorithm a, ByteView key, ByteView header, ByteView confounder,
                       ByteView stub) {
  if (a == SchannelAlgorithm::kAesHmacSha256) {
    const crypto::Digest32 mac = crypto::HmacSha256(key, Concat({header, confounder, stub}));
    return ToArray<8>(mac);
  }
  const crypto::Digest16 digest = crypto::Md5(Concat({kZeros4, header, confounder, stub}));
  return ToArray<8>(crypto::HmacMd5(key, digest));
}

// AES-128-CFB8 from an arbitrary IV, built from protocol/crypto's zero-IV
// CFB8 without touching the block cipher: after 16 bytes of CFB8 the shift
// register holds the last 16 ciphertext bytes, so a stream whose first 16
// ciphertext bytes are `iv` continues exactly as CFB8 from `iv`. Decrypting
// `iv` (zero IV) yields the plaintext that encrypts to it.
Bytes Cfb8FromIv(ByteView key, const crypto::AesBlock& iv, ByteView in, bool encrypt) {
  const crypto::Aes128Key k = ToArray<16>(key);
  Bytes out;
  if (encrypt) {
    const Bytes prefix = crypto::Aes128Cfb8Decrypt(k, iv);
    out = crypto::Aes128Cfb8Encrypt(k, Concat({prefix, in}));
  } else {
    out = crypto::Aes128Cfb8Decrypt(k, Concat({iv, in}));
  }
  out.erase(out.begin(), out.begin() + iv.size());
  return out;
}

crypto::AesBlock DoubledIv(const Block8& half) {
  crypto::AesBlock iv{};
  std::copy(half.begin(), half.end(), iv.begin());
  std::copy(half.begin(), half.end(), iv.begin() + 8);
  return iv;
}

// MS-NRPC 3.3.4.2.1 step 9 (and its inverse in 3.3.4.2.2).
Block8 CryptSequence(SchannelAlgorithm a, ByteView key, const Block8& checksum, ByteView seq,
                     bool encrypt) {
  if (a == SchannelAlgorithm::kAesHmacSha256) {
    return ToArray<8>(Cfb8FromIv(key, DoubledIv(checksum), seq, encrypt));
  }
  const crypto::Digest16 k1 = crypto::HmacMd5(key, kZeros4);
  const crypto::Digest16 k2 = crypto::HmacMd5(k1, checksum);
  return ToArray<8>(crypto::Rc4(k2, seq));
}

// MS-NRPC 3.3.4.2.1 step 8: seals (or unseals) the confounder and the stub
// in place.
void Seal(SchannelAlgorithm a, const SessionKey& key, const Block8& sequence, Block8& confounder,
          Bytes& stub, bool encrypt, const SchannelCryptoOptions& options) {
  std::array<uint8_t, 16> seal_key{};
  for (size_t i = 0; i < seal_key.size(); ++i) seal_key[i] = key[i] ^ 0xF0;

  if (a == SchannelAlgorithm::kAesHmacSha256) {
    const crypto::AesBlock iv = DoubledIv(sequence);
    if (options.aes_seal_stream == AesSealStream::kContinuous) {
      Bytes out = Cfb8FromIv(seal_key, iv, Concat({confounder, stub}), encrypt);
      std::copy(out.begin(), out.begin() + 8, confounder.begin());
      stub.assign(out.begin() + 8, out.end());
    } else {
      confounder = ToArray<8>(Cfb8FromIv(seal_key, iv, confounder, encrypt));
      stub = Cfb8FromIv(seal_key, iv, stub, encrypt);
    }
    return;
  }
  const crypto::Digest16 k1 = crypto::HmacMd5(seal_key, kZeros4);
  const crypto::Digest16 k2 = crypto::HmacMd5(k1, sequence);
  // Windows restarts RC4 for the stub (Samba, Heimdal, impacket, scapy).
  confounder = ToArray<8>(crypto::Rc4(k2, confounder));
  stub = crypto::Rc4(k2, stub);
}

uint16_t LoadU16Le(ByteView b, size_t at) {
  return static_cast<uint16_t>(b[at] | (static_cast<uint16_t>(b[at + 1]) << 8));
}

// The server's half of a schannel connection.
class ServerContext final : public dcerpc::SecurityContext {
 public:
  ServerContext(SchannelChannel channel, dcerpc::SecurityInfo info)
      : channel_(std::move(channel)), info_(std::move(info)) {}

  absl::Status VerifyRequest(Bytes& stub, ByteView auth_value) override {
    return channel_.Unprotect(stub, auth_value);
  }
  absl::StatusOr<Bytes> SignResponse(Bytes& stub) override { return channel_.Protect(stub); }
  size_t signature_length() const override { return channel_.signature_length(); }
  const dcerpc::SecurityInfo& info() const override { return info_; }

 private:
  SchannelChannel channel_;
  dcerpc::SecurityInfo info_;
};

absl::Status CheckLevel(uint8_t auth_level) {
  if (auth_level != dcerpc::kAuthLevelIntegrity && auth_level != dcerpc::kAuthLevelPrivacy) {
    return NtStatusError(NtStatus::kInvalidParameter,
                         absl::StrCat("schannel needs auth level integrity or privacy, got ",
                                      static_cast<int>(auth_level)));
  }
  return absl::OkStatus();
}

}  // namespace

// -----------------------------------------------------------------------------
// NL_AUTH_MESSAGE
// -----------------------------------------------------------------------------

uint32_t NlAuthMessage::flags() const {
  uint32_t f = 0;
  if (oem_netbios_domain) f |= kNlAuthOemNetbiosDomain;
  if (oem_netbios_computer) f |= kNlAuthOemNetbiosComputer;
  if (utf8_dns_domain) f |= kNlAuthUtf8DnsDomain;
  if (utf8_dns_host) f |= kNlAuthUtf8DnsHost;
  if (utf8_netbios_computer) f |= kNlAuthUtf8NetbiosComputer;
  return f;
}

std::optional<std::string> NlAuthMessage::ComputerName() const {
  if (oem_netbios_computer) return oem_netbios_computer;
  return utf8_netbios_computer;
}

absl::StatusOr<NlAuthMessage> ParseNlAuthMessage(ByteView data) {
  if (data.size() > kNlAuthMaxMessageLength) {
    return absl::InvalidArgumentError("NL_AUTH_MESSAGE too long");
  }
  ByteReader reader(data);
  NlAuthMessage m;
  ASSIGN_OR_RETURN(m.message_type, reader.ReadU32Le());
  ASSIGN_OR_RETURN(uint32_t flags, reader.ReadU32Le());
  if (m.message_type != kNlAuthNegotiateRequest && m.message_type != kNlAuthNegotiateResponse) {
    return absl::InvalidArgumentError(
        absl::StrCat("NL_AUTH_MESSAGE: unknown MessageType ", m.message_type));
  }
  if ((flags & ~kNlAuthKnownFlags) != 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("NL_AUTH_MESSAGE: unknown Flags 0x", absl::Hex(flags)));
  }
  if (flags & kNlAuthOemNetbiosDomain) {
    ASSIGN_OR_RETURN(m.oem_netbios_domain, ReadOemString(reader, "OEM NetBIOS domain"));
  }
  if (flags & kNlAuthOemNetbiosComputer) {
    ASSIGN_OR_RETURN(m.oem_netbios_computer, ReadOemString(reader, "OEM NetBIOS computer"));
  }
  if (flags & kNlAuthUtf8DnsDomain) {
    ASSIGN_OR_RETURN(m.utf8_dns_domain, ReadDnsName(data, reader, "DNS domain"));
  }
  if (flags & kNlAuthUtf8DnsHost) {
    ASSIGN_OR_RETURN(m.utf8_dns_host, ReadDnsName(data, reader, "DNS host"));
  }
  if (flags & kNlAuthUtf8NetbiosComputer) {
    ASSIGN_OR_RETURN(m.utf8_netbios_computer, ReadDnsName(data, reader, "UTF-8 NetBIOS computer"));
  }
  if (m.message_type == kNlAuthNegotiateRequest) {
    RETURN_IF_ERROR(reader.ExpectEnd("NL_AUTH_MESSAGE negotiate"));
  } else {
    RETURN_IF_ERROR(reader.Skip(sizeof(kResponseTrailer)));
  }
  return m;
}

absl::StatusOr<Bytes> EncodeNlAuthMessage(const NlAuthMessage& m) {
  if (m.message_type != kNlAuthNegotiateRequest && m.message_type != kNlAuthNegotiateResponse) {
    return absl::InvalidArgumentError("NL_AUTH_MESSAGE: unknown MessageType");
  }
  ByteWriter w;
  w.WriteU32Le(m.message_type);
  w.WriteU32Le(m.flags());
  if (m.oem_netbios_domain) {
    RETURN_IF_ERROR(WriteOemString(w, *m.oem_netbios_domain, "OEM NetBIOS domain"));
  }
  if (m.oem_netbios_computer) {
    RETURN_IF_ERROR(WriteOemString(w, *m.oem_netbios_computer, "OEM NetBIOS computer"));
  }
  if (m.utf8_dns_domain) RETURN_IF_ERROR(WriteDnsName(w, *m.utf8_dns_domain, "DNS domain"));
  if (m.utf8_dns_host) RETURN_IF_ERROR(WriteDnsName(w, *m.utf8_dns_host, "DNS host"));
  if (m.utf8_netbios_computer) {
    RETURN_IF_ERROR(WriteDnsName(w, *m.utf8_netbios_computer, "UTF-8 NetBIOS computer"));
  }
  if (m.message_type == kNlAuthNegotiateResponse) w.WriteBytes(kResponseTrailer);
  return std::move(w).Take();
}

Bytes EncodeNlAuthNegotiateResponse() {
  ByteWriter w;
  w.WriteU32Le(kNlAuthNegotiateResponse);
  w.WriteU32Le(0);
  w.WriteBytes(kResponseTrailer);
  return std::move(w).Take();
}

// -----------------------------------------------------------------------------
// Signature tokens
// -----------------------------------------------------------------------------

SchannelAlgorithm SelectSchannelAlgorithm(uint32_t negotiate_flags) {
  return (negotiate_flags & kNegSupportsAes) ? SchannelAlgorithm::kAesHmacSha256
                                             : SchannelAlgorithm::kRc4HmacMd5;
}

size_t SchannelSignatureLength(SchannelAlgorithm algorithm) {
  return algorithm == SchannelAlgorithm::kAesHmacSha256 ? kAesSignatureLength : kRc4SignatureLength;
}

std::array<uint8_t, 8> SchannelSequenceBytes(uint64_t sequence, SchannelRole sender) {
  uint32_t low = static_cast<uint32_t>(sequence);
  uint32_t high = static_cast<uint32_t>(sequence >> 32);
  if (sender == SchannelRole::kClient) high |= 0x80000000u;
  return {static_cast<uint8_t>(low >> 24),  static_cast<uint8_t>(low >> 16),
          static_cast<uint8_t>(low >> 8),   static_cast<uint8_t>(low),
          static_cast<uint8_t>(high >> 24), static_cast<uint8_t>(high >> 16),
          static_cast<uint8_t>(high >> 8),  static_cast<uint8_t>(high)};
}

Bytes SchannelChannel::ProtectWith(SchannelAlgorithm algorithm, const SessionKey& session_key,
                                   bool seal, uint64_t sequence, SchannelRole sender,
                                   const std::array<uint8_t, 8>& confounder, Bytes& stub,
                                   SchannelCryptoOptions options) {
  const Block8 header = Header(algorithm, seal);
  const Block8 seq = SchannelSequenceBytes(sequence, sender);
  Block8 conf = confounder;
  const Block8 checksum =
      ComputeChecksum(algorithm, session_key, header, seal ? ByteView(conf) : ByteView(), stub);
  if (seal) Seal(algorithm, session_key, seq, conf, stub, /*encrypt=*/true, options);
  const Block8 encrypted_seq = CryptSequence(algorithm, session_key, checksum, seq, true);

  Bytes token;
  token.reserve(SchannelSignatureLength(algorithm));
  token.insert(token.end(), header.begin(), header.end());
  token.insert(token.end(), encrypted_seq.begin(), encrypted_seq.end());
  token.insert(token.end(), checksum.begin(), checksum.end());
  if (seal) {
    token.insert(token.end(), conf.begin(), conf.end());
  } else {
    token.insert(token.end(), 8, 0);
  }
  token.resize(SchannelSignatureLength(algorithm), 0);
  return token;
}

absl::Status SchannelChannel::UnprotectWith(SchannelAlgorithm algorithm,
                                            const SessionKey& session_key, bool seal,
                                            uint64_t sequence, SchannelRole sender, Bytes& stub,
                                            ByteView token, SchannelCryptoOptions options) {
  if (token.size() < MinTokenLength(algorithm, seal)) {
    return absl::OutOfRangeError(absl::StrCat("schannel: signature token of ", token.size(),
                                              " bytes, need ", MinTokenLength(algorithm, seal)));
  }
  // MS-NRPC 3.3.4.2.2 steps 1-4: SEC_E_MESSAGE_ALTERED on wrong algorithms
  // or pad; Flags are disregarded (but covered by the checksum below).
  if (LoadU16Le(token, 0) != SignatureAlgorithmOf(algorithm) ||
      LoadU16Le(token, 2) != SealAlgorithmOf(algorithm, seal) || LoadU16Le(token, 4) != 0xFFFF) {
    return absl::DataLossError("schannel: unexpected SignatureAlgorithm, SealAlgorithm or Pad");
  }
  const ByteView header = token.subspan(0, 8);
  const Block8 checksum = ToArray<8>(token.subspan(16, 8));

  const Block8 seq = CryptSequence(algorithm, session_key, checksum, token.subspan(8, 8), false);
  const Block8 expected = SchannelSequenceBytes(sequence, sender);
  if (!crypto::ConstantTimeEquals(seq, expected)) {
    return absl::DataLossError(
        absl::StrCat("schannel: sequence number is not the expected ", sequence));
  }

  Bytes plain = stub;
  Block8 conf{};
  if (seal) {
    conf = ToArray<8>(token.subspan(24, 8));
    Seal(algorithm, session_key, seq, conf, plain, /*encrypt=*/false, options);
  }
  const Block8 computed =
      ComputeChecksum(algorithm, session_key, header, seal ? ByteView(conf) : ByteView(), plain);
  if (!crypto::ConstantTimeEquals(computed, checksum)) {
    return absl::DataLossError("schannel: checksum mismatch");
  }
  stub = std::move(plain);
  return absl::OkStatus();
}

absl::StatusOr<SchannelChannel> SchannelChannel::Create(ByteView session_key,
                                                        uint32_t negotiate_flags,
                                                        uint8_t auth_level, SchannelRole role,
                                                        RandomSource& random,
                                                        SchannelCryptoOptions options) {
  if (session_key.size() != 16) {
    return absl::InvalidArgumentError(
        absl::StrCat("schannel: session key of ", session_key.size(), " bytes, need 16"));
  }
  RETURN_IF_ERROR(CheckLevel(auth_level));
  return SchannelChannel(ToArray<16>(session_key), SelectSchannelAlgorithm(negotiate_flags),
                         auth_level, role, random, options);
}

absl::StatusOr<Bytes> SchannelChannel::Protect(Bytes& stub) {
  std::array<uint8_t, 8> confounder{};
  if (sealing()) random_->Fill(absl::MakeSpan(confounder));
  Bytes token = ProtectWith(algorithm_, session_key_, sealing(), sequence_, role_, confounder, stub,
                            options_);
  ++sequence_;
  return token;
}

absl::Status SchannelChannel::Unprotect(Bytes& stub, ByteView token) {
  const SchannelRole peer =
      role_ == SchannelRole::kClient ? SchannelRole::kServer : SchannelRole::kClient;
  RETURN_IF_ERROR(
      UnprotectWith(algorithm_, session_key_, sealing(), sequence_, peer, stub, token, options_));
  ++sequence_;
  return absl::OkStatus();
}

// -----------------------------------------------------------------------------
// Provider and client
// -----------------------------------------------------------------------------

absl::StatusOr<dcerpc::SecurityProvider::Accepted> SchannelProvider::Accept(uint8_t auth_level,
                                                                            ByteView auth_value) {
  RETURN_IF_ERROR(CheckLevel(auth_level));
  ASSIGN_OR_RETURN(NlAuthMessage negotiate, ParseNlAuthMessage(auth_value));
  if (negotiate.message_type != kNlAuthNegotiateRequest) {
    return absl::InvalidArgumentError("schannel bind: NL_AUTH_MESSAGE is not a negotiate");
  }

  if (!options_.netbios_domain.empty() || !options_.dns_domain.empty()) {
    bool ok = false;
    if (negotiate.oem_netbios_domain) {
      ok = absl::EqualsIgnoreCase(*negotiate.oem_netbios_domain, options_.netbios_domain);
    } else if (negotiate.utf8_dns_domain) {
      ok = absl::EqualsIgnoreCase(*negotiate.utf8_dns_domain, options_.dns_domain);
    }
    if (!ok) {
      return NtStatusError(NtStatus::kLogonFailure,
                           "schannel bind: missing domain or not this domain");
    }
  }

  const std::optional<std::string> computer = negotiate.ComputerName();
  if (!computer) {
    return NtStatusError(NtStatus::kLogonFailure, "schannel bind names no NetBIOS computer");
  }
  ASSIGN_OR_RETURN(SchannelSession session, sessions_->FindSession(*computer));
  ASSIGN_OR_RETURN(SchannelChannel channel,
                   SchannelChannel::Create(session.session_key, session.negotiate_flags, auth_level,
                                           SchannelRole::kServer, *random_, options_.crypto));
  dcerpc::SecurityInfo info;
  info.auth_type = dcerpc::kAuthTypeNetlogon;
  info.auth_level = auth_level;
  info.computer_name = *computer;
  Accepted accepted;
  accepted.context = std::make_unique<ServerContext>(std::move(channel), std::move(info));
  accepted.reply_auth_value = EncodeNlAuthNegotiateResponse();
  return accepted;
}

absl::StatusOr<SchannelClient> SchannelClient::Create(const SchannelSession& session,
                                                      uint8_t auth_level, RandomSource& random,
                                                      SchannelCryptoOptions options) {
  ASSIGN_OR_RETURN(SchannelChannel channel,
                   SchannelChannel::Create(session.session_key, session.negotiate_flags, auth_level,
                                           SchannelRole::kClient, random, options));
  return SchannelClient(std::move(channel));
}

absl::StatusOr<Bytes> SchannelClient::Negotiate(absl::string_view netbios_domain,
                                                absl::string_view computer_name,
                                                absl::string_view dns_domain) {
  NlAuthMessage m;
  m.message_type = kNlAuthNegotiateRequest;
  m.oem_netbios_domain = std::string(netbios_domain);
  m.oem_netbios_computer = std::string(computer_name);
  if (!dns_domain.empty()) {
    m.utf8_dns_domain = std::string(dns_domain);
    m.utf8_netbios_computer = std::string(computer_name);
  }
  return EncodeNlAuthMessage(m);
}

absl::Status SchannelClient::AcceptResponse(ByteView auth_value) {
  ASSIGN_OR_RETURN(NlAuthMessage m, ParseNlAuthMessage(auth_value));
  if (m.message_type != kNlAuthNegotiateResponse) {
    return absl::InvalidArgumentError("schannel bind_ack: NL_AUTH_MESSAGE is not a response");
  }
  return absl::OkStatus();
}

}  // namespace trustsim::netlogon
