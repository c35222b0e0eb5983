// Copyright 2026 The trustsim Authors.
//
// kdc_database.h
// -----------------------------------------------------------------------------
//
// The account database a simulated DC's KDC sees (kerberos::KdcDatabase): the
// computer accounts of that DC's replica, the domain's users and krbtgt.
//
// Names (docs/fidelity.md, "KDC"):
//   * clients: a sAMAccountName ("WS01$", "dsmith"), or a computer's SPN
//     ("host/ws01.corp.example.com"), as AD lets `kinit -k host/fqdn` work;
//   * services: krbtgt/REALM, an SPN (a "host/" SPN also covers the service
//     classes AD's default sPNMappings alias to it, such as cifs and http),
//     or a sAMAccountName.
// Keys: computers' come from the password the DC holds (AD salt, MS-KILE
// 3.1.1.2); users' from their password (salt REALM + name); krbtgt's are
// random, drawn when the world is built.
//
// Example:
//
//   DcKdcDatabase db(world, dc);
//   kerberos::Kdc kdc({.realm = world.domain().Realm()}, db);

#ifndef TRUSTSIM_SIM_KDC_DATABASE_H_
#define TRUSTSIM_SIM_KDC_DATABASE_H_

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "protocol/kerberos/kdc.h"

namespace trustsim::sim {

class World;
class DomainController;
struct ComputerAccount;

class DcKdcDatabase final : public kerberos::KdcDatabase {
 public:
  DcKdcDatabase(World& world, DomainController& dc) : world_(world), dc_(dc) {}

  // For `trustsim serve`: how far to shift the KDC's clock for a client
  // account (see KdcPrincipal::clock_shift_micros). Unset means no shift.
  std::function<int64_t(absl::string_view account)> clock_shift;

  absl::StatusOr<kerberos::KdcPrincipal> FindClient(const kerberos::PrincipalName& name,
                                                    absl::string_view realm) override;
  absl::StatusOr<kerberos::KdcPrincipal> FindServer(const kerberos::PrincipalName& name,
                                                    absl::string_view realm) override;
  std::vector<std::string> DuplicateHolders(const kerberos::PrincipalName& name) override;
  absl::StatusOr<crypto::KerberosKey> CurrentKey(const kerberos::KdcPrincipal& principal,
                                                 crypto::EncType type) override;
  std::vector<crypto::KerberosKey> HistoricKeys(const kerberos::KdcPrincipal& principal,
                                                crypto::EncType type) override;
  void OnKdcEvent(const kerberos::KdcEvent& event) override;

 private:
  kerberos::KdcPrincipal ComputerPrincipal(const ComputerAccount& account);
  std::vector<const ComputerAccount*> SpnHolders(const kerberos::PrincipalName& name);

  World& world_;
  DomainController& dc_;
  // User keys by (name, enctype), derived on first use.
  std::map<std::pair<std::string, int32_t>, crypto::KerberosKey> user_keys_;
};

}  // namespace trustsim::sim

#endif  // TRUSTSIM_SIM_KDC_DATABASE_H_
