// Copyright 2026 The trustsim Authors.
//
// Each DC's KDC (protocol/kerberos/kdc.h) over that DC's replica, and the
// Security events a Windows DC writes for what its KDC decides: 4768 (TGT
// requested), 4769 (service ticket requested), 4771 (pre-authentication
// failed) and KDC event 11 (duplicate names). Result codes are the Kerberos
// error codes in hex, as the events show them.

#include <cstdint>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "sim/world.h"

namespace trustsim::sim {

World::DcKdc::DcKdc(World& world, DomainController& dc)
    : database(world, dc),
      kdc(kerberos::KdcOptions{.realm = world.domain().Realm(),
                               .max_skew_micros = world.domain().max_skew},
          database) {}

DcKdcDatabase& World::KdcDatabaseOf(DomainController& dc) {
  std::unique_ptr<DcKdc>& slot = kdcs_[dc.name()];
  if (slot == nullptr) slot = std::make_unique<DcKdc>(*this, dc);
  return slot->database;
}

kerberos::Kdc& World::KdcOf(DomainController& dc) {
  KdcDatabaseOf(dc);
  return kdcs_.at(dc.name())->kdc;
}

Bytes World::KdcExchange(DomainController& dc, ByteView request) {
  return KdcOf(dc).Handle(request, LocalTime(dc.name()), kdc_rng_);
}

absl::StatusOr<crypto::KerberosKey> World::KrbtgtKey(crypto::EncType type) const {
  auto it = krbtgt_keys_.find(type);
  if (it == krbtgt_keys_.end()) return absl::NotFoundError("krbtgt has no key of that type");
  return it->second;
}

void World::RecordKdcEvent(DomainController& dc, const kerberos::KdcEvent& event) {
  using Kind = kerberos::KdcEvent::Kind;
  const std::string code = absl::StrFormat("0x%X", event.error_code);
  const std::string account = event.client.substr(0, event.client.find('@'));
  const std::string service = event.server.substr(0, event.server.find('@'));
  switch (event.kind) {
    case Kind::kTgtIssued:
    case Kind::kServiceTicketIssued: {
      const bool tgt = event.kind == Kind::kTgtIssued;
      dc.events().Add({LocalTime(dc.name()), tgt ? 4768u : 4769u,
                       "Microsoft-Windows-Security-Auditing", "Information",
                       absl::StrCat(tgt ? "A Kerberos authentication ticket (TGT) was requested."
                                        : "A Kerberos service ticket was requested.",
                                    "\n\nAccount Information:\n\tAccount Name:\t\t", account,
                                    "\n\nService Information:\n\tService Name:\t\t", service,
                                    "\n\nAdditional Information:\n\tResult Code:\t\t0x0")});
      return;
    }
    case Kind::kDuplicateName: {
      const std::string name = service;
      // KDCEVENT_NAME_NOT_UNIQUE (TechNet, "Event ID 11 - Kerberos Could Not
      // Authenticate a Principal Name ...").
      DcEvent(dc, 11, "Error", "Microsoft-Windows-Kerberos-Key-Distribution-Center",
              absl::StrCat("There are multiple accounts with name ", name,
                           " of type DS_SERVICE_PRINCIPAL_NAME.\n\nAccounts: ",
                           absl::StrJoin(event.holders, ", ")));
      return;
    }
    case Kind::kAsFailed:
    case Kind::kTgsFailed:
      break;
  }
  if (event.error_code == kerberos::kKdcErrPreauthRequired) return;  // routine, not audited
  std::string what = absl::StrCat(event.kind == Kind::kAsFailed ? "AS-REQ" : "TGS-REQ", " for ",
                                  event.kind == Kind::kAsFailed ? event.client : event.server, ": ",
                                  kerberos::KrbErrorName(event.error_code));
  if (event.error_code == kerberos::kKrbApErrSkew) {
    const SimDuration skew = event.skew_micros;
    absl::StrAppend(&what, " (", skew > 0 ? "+" : "-", FormatDuration(skew > 0 ? skew : -skew),
                    ", limit ", FormatDuration(domain_.max_skew), ")");
  }
  if (event.historic_key_matched) absl::StrAppend(&what, " (the previous password's key)");
  Log(dc.name(), "kdc", what, {{"code", code}});
  const bool preauth =
      event.kind == Kind::kAsFailed && (event.error_code == kerberos::kKdcErrPreauthFailed ||
                                        event.error_code == kerberos::kKrbApErrSkew);
  if (preauth) {
    DcEvent(
        dc, kEventKerberosPreauthFailed, "Information", "Microsoft-Windows-Security-Auditing",
        absl::StrCat("Kerberos pre-authentication failed.\n\nAccount Information:\n"
                     "\tSecurity ID:\t\t",
                     domain_.netbios_name, "\\", account, "\n\tAccount Name:\t\t", account,
                     "\n\nService Information:\n\tService Name:\t\tkrbtgt/", domain_.netbios_name,
                     "\n\nAdditional Information:\n\tTicket Options:\t\t0x40810010"
                     "\n\tFailure Code:\t\t",
                     code, "\n\tPre-Authentication Type:\t2"));
    return;
  }
  const bool tgt = event.kind == Kind::kAsFailed;
  DcEvent(dc, tgt ? 4768u : 4769u, "Information", "Microsoft-Windows-Security-Auditing",
          absl::StrCat(tgt ? "A Kerberos authentication ticket (TGT) was requested."
                           : "A Kerberos service ticket was requested.",
                       "\n\nAccount Information:\n\tAccount Name:\t\t", account,
                       "\n\nService Information:\n\tService Name:\t\t", service,
                       "\n\nAdditional Information:\n\tResult Code:\t\t", code));
}

}  // namespace trustsim::sim
