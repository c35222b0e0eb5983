// Copyright 2026 The trustsim Authors.

#include "cli/member_keytab.h"

#include <fcntl.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "protocol/crypto/kerberos_key.h"

namespace trustsim::cli {

absl::StatusOr<MemberKeytab> BuildMemberKeytab(sim::World& world, absl::string_view host,
                                               bool with_old) {
  sim::Member* member = world.FindMember(host);
  if (member == nullptr || !member->state().lsa.current) {
    return absl::FailedPreconditionError(absl::StrCat(host, " is not a joined member"));
  }
  const sim::MemberState& s = member->state();
  const std::string realm = world.domain().Realm();
  const std::string sam = absl::StrCat(s.computer_name, "$");
  const std::string salt = crypto::AdComputerSalt(realm, sam);
  const std::string fqdn =
      absl::StrCat(absl::AsciiStrToLower(s.computer_name), ".", world.domain().dns_name);
  // The member numbers keys as the DC does: CurrVal at the account's kvno.
  const sim::ComputerAccount* account = world.Account(s.computer_name);
  const uint32_t kvno = account != nullptr ? account->kvno : 1;
  MemberKeytab keytab;
  auto add = [&](const sim::MachinePassword& password, uint32_t version) -> absl::Status {
    for (crypto::EncType type :
         {crypto::EncType::kAes256CtsHmacSha196, crypto::EncType::kAes128CtsHmacSha196,
          crypto::EncType::kRc4Hmac}) {
      absl::StatusOr<crypto::KerberosKey> key = password.KerberosKey(type, salt);
      if (!key.ok()) return key.status();
      const uint32_t stamp = sim::ToUnixSeconds(world.LocalTime(host));
      keytab.entries.push_back(
          {realm, {sam}, static_cast<uint32_t>(kerberos::kNtPrincipal), stamp, version, *key});
      keytab.entries.push_back({realm,
                                {"host", fqdn},
                                static_cast<uint32_t>(kerberos::kNtSrvHst),
                                stamp,
                                version,
                                *key});
    }
    return absl::OkStatus();
  };
  if (absl::Status st = add(*s.lsa.current, kvno); !st.ok()) return st;
  keytab.summary = absl::StrCat("CurrVal ", s.lsa.current->Label(), " at kvno ", kvno);
  if (with_old && s.lsa.old) {
    const uint32_t old_kvno = kvno > 1 ? kvno - 1 : 1;
    if (absl::Status st = add(*s.lsa.old, old_kvno); !st.ok()) return st;
    absl::StrAppend(&keytab.summary, ", OldVal ", s.lsa.old->Label(), " at kvno ", old_kvno);
  }
  return keytab;
}

absl::Status WriteKeytabFile(const std::string& path,
                             const std::vector<kerberos::KeytabEntry>& entries) {
  const Bytes file = kerberos::WriteKeytab(entries);
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return absl::UnavailableError(absl::StrCat("cannot write ", path));
  size_t done = 0;
  while (done < file.size()) {
    const ssize_t n = ::write(fd, file.data() + done, file.size() - done);
    if (n <= 0) {
      ::close(fd);
      return absl::UnavailableError(absl::StrCat("cannot write ", path));
    }
    done += static_cast<size_t>(n);
  }
  if (::close(fd) != 0) return absl::UnavailableError(absl::StrCat("cannot write ", path));
  return absl::OkStatus();
}

}  // namespace trustsim::cli
