// Copyright 2026 The trustsim Authors.

#include "sim/domain_controller.h"

#include <tuple>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace trustsim::sim {

const char* DcProfileName(DcProfile profile) {
  return profile == DcProfile::kWindows ? "windows" : "samba-ad";
}

absl::StatusOr<DcProfile> ParseDcProfile(absl::string_view name) {
  if (name == "windows") return DcProfile::kWindows;
  if (name == "samba-ad") return DcProfile::kSambaAd;
  return absl::InvalidArgumentError(
      absl::StrCat("unknown DC profile \"", name, "\": use windows or samba-ad"));
}

bool ComputerAccount::NewerThan(const ComputerAccount& other) const {
  return std::tie(version, originating_time, originating_dc) >
         std::tie(other.version, other.originating_time, other.originating_dc);
}

absl::StatusOr<crypto::KerberosKey> ComputerAccount::CurrentKey(crypto::EncType type,
                                                                absl::string_view realm) const {
  return current.KerberosKey(type, crypto::AdComputerSalt(realm, sam_account_name));
}

DomainController::DomainController(std::string name, bool pdc, DcProfile profile, RandomSource& rng)
    : name_(std::move(name)), pdc_(pdc), profile_(profile), server_(*this, rng) {
  set_profile(profile);
}

void DomainController::set_profile(DcProfile profile) {
  profile_ = profile;
  server_.policy().accept_previous_password = profile == DcProfile::kWindows;
}

ComputerAccount* DomainController::FindAccount(absl::string_view sam_account_name) {
  auto it = accounts_.find(absl::AsciiStrToUpper(sam_account_name));
  if (it == accounts_.end() || it->second.deleted) return nullptr;
  return &it->second;
}

const ComputerAccount* DomainController::FindSpnHolder(absl::string_view spn) const {
  auto it = spn_index_.find(absl::AsciiStrToLower(spn));
  if (it == spn_index_.end() || it->second.empty()) return nullptr;
  return &accounts_.at(*it->second.begin());
}

std::vector<const ComputerAccount*> DomainController::SpnHolders(absl::string_view spn) const {
  std::vector<const ComputerAccount*> holders;
  auto it = spn_index_.find(absl::AsciiStrToLower(spn));
  if (it == spn_index_.end()) return holders;
  for (const std::string& key : it->second) holders.push_back(&accounts_.at(key));
  return holders;
}

void DomainController::IndexSpns(const ComputerAccount& account, bool add) {
  if (account.deleted) return;
  const std::string key = absl::AsciiStrToUpper(account.sam_account_name);
  for (const std::string& spn : account.service_principal_names) {
    const std::string lower = absl::AsciiStrToLower(spn);
    if (add) {
      spn_index_[lower].insert(key);
    } else if (auto it = spn_index_.find(lower); it != spn_index_.end()) {
      it->second.erase(key);
      if (it->second.empty()) spn_index_.erase(it);
    }
  }
}

ComputerAccount& DomainController::PutAccount(ComputerAccount account) {
  const std::string key = absl::AsciiStrToUpper(account.sam_account_name);
  if (auto it = accounts_.find(key); it != accounts_.end()) IndexSpns(it->second, false);
  ComputerAccount& stored = accounts_[key] = std::move(account);
  IndexSpns(stored, true);
  return stored;
}

void DomainController::SetSpns(ComputerAccount& account, std::vector<std::string> spns) {
  IndexSpns(account, false);
  account.service_principal_names = std::move(spns);
  IndexSpns(account, true);
}

void DomainController::ReplaceAllAccounts(std::map<std::string, ComputerAccount> accounts) {
  accounts_ = std::move(accounts);
  spn_index_.clear();
  for (const auto& [key, account] : accounts_) IndexSpns(account, true);
}

absl::StatusOr<netlogon::TrustAccount> DomainController::FindTrustAccount(
    absl::string_view account_name) {
  const ComputerAccount* account = FindAccount(account_name);
  if (account == nullptr) {
    return absl::NotFoundError(absl::StrCat("no account ", account_name));
  }
  netlogon::TrustAccount out;
  out.rid = account->rid;
  out.user_account_control = account->user_account_control;
  out.current = account->current.nt_hash;
  if (account->previous.has_value()) out.previous = account->previous->nt_hash;
  return out;
}

absl::Status DomainController::SetTrustAccountPassword(absl::string_view account_name,
                                                       ByteView new_password_utf16le) {
  ComputerAccount* account = FindAccount(account_name);
  if (account == nullptr) return absl::NotFoundError(absl::StrCat("no account ", account_name));
  absl::string_view computer = account_name;
  if (absl::EndsWith(computer, "$")) computer.remove_suffix(1);
  MachinePassword password = MachinePassword::FromUtf16(
      Bytes(new_password_utf16le.begin(), new_password_utf16le.end()), 0);
  if (password_version) password.version = password_version(computer, password.nt_hash);
  account->previous = account->current;
  account->current = std::move(password);
  ++account->kvno;
  if (on_password_set) on_password_set(*account);
  return absl::OkStatus();
}

}  // namespace trustsim::sim
