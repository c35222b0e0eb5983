// Copyright 2026 The trustsim Authors.
//
// epm.h
// -----------------------------------------------------------------------------
//
// The endpoint mapper (EPM, interface e1af8308-5d1f-11c9-91a4-08002b14a0fa
// v3.0, served on TCP port 135), sans I/O. Windows clients, and impacket's
// `epm.hept_map()`, ask it where an interface listens before they connect:
// opnum 3, ept_map, takes a protocol tower naming the interface and the
// protocol sequence, and answers with the same tower, endpoint filled in.
//
// Only ept_map over ncacn_ip_tcp is served. The rules follow Samba's
// `_epm_Map` (source3/rpc_server/epmapper/srv_epmapper.c):
//
//   * a tower matches a registration when floor 1 names the same interface
//     UUID and major version (the minor version is ignored), floor 2 is NDR
//     2.0, and floors 3-5 are exactly ncacn_ip_tcp (0x0b, 0x07, 0x09);
//   * anything else, a null tower, `max_towers` 0, or a non-null entry handle
//     (every match is returned by the first call, so a continuation finds
//     none) is answered with no towers and EPT_S_NOT_REGISTERED;
//   * the object UUID is ignored: nothing is registered by object.
//
// Stub data that does not decode (truncated, trailing bytes, a tower whose
// floors overrun it, tower_length and its array's size disagreeing) is
// `kFaultBadStubData`; other opnums are `kFaultOpRangeError`.
//
// Towers (C706 appendix L, MS-RPCE 2.2.1.2): floor count u16 LE, then per
// floor: LHS length u16 LE, LHS (protocol id, then for 0x0d a UUID in wire
// form and the major version u16 LE), RHS length u16 LE, RHS (minor version
// u16 LE for 0x0d and 0x0b; the port u16 BIG-endian for 0x07; the IPv4
// address, 4 bytes in network order, for 0x09).
//
// Example:
//
//   dcerpc::EndpointMapper epm;
//   epm.Register(netlogon_syntax, rpc_server->port());
//   dcerpc::CallReply reply = epm.Call({.opnum = 3, .stub = request_stub});

#ifndef TRUSTSIM_PROTOCOL_DCERPC_EPM_H_
#define TRUSTSIM_PROTOCOL_DCERPC_EPM_H_

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "base/bytes.h"
#include "protocol/dcerpc/interface.h"

namespace trustsim::dcerpc {

// The endpoint mapper's abstract syntax: e1af8308-5d1f-11c9-91a4-08002b14a0fa
// v3.0.
SyntaxId EndpointMapperSyntax();

// The endpoint mapper's well-known TCP port.
inline constexpr uint16_t kEndpointMapperTcpPort = 135;

// ept_map's opnum.
inline constexpr uint16_t kEptMapOpnum = 3;

// EPT_S_NOT_REGISTERED: no tower matched (Samba calls the same value
// EPMAPPER_STATUS_NO_MORE_ENTRIES).
inline constexpr uint32_t kEptStatusNotRegistered = 0x16C9A0D6;

// Tower floor protocol identifiers (C706 appendix I).
inline constexpr uint8_t kTowerProtocolUuid = 0x0d;   // interface or transfer syntax
inline constexpr uint8_t kTowerProtocolNcacn = 0x0b;  // connection-oriented RPC
inline constexpr uint8_t kTowerProtocolTcp = 0x07;    // RHS: port, big-endian
inline constexpr uint8_t kTowerProtocolIp = 0x09;     // RHS: IPv4 address

// One floor of a protocol tower, as views into the tower.
struct TowerFloor {
  ByteView lhs;  // protocol id first
  ByteView rhs;
};

// Splits a tower's octets into floors. Errors: kOutOfRange when a floor
// overruns the tower, kInvalidArgument for bytes after the last floor.
absl::StatusOr<std::vector<TowerFloor>> ParseTowerFloors(ByteView tower);

// Builds the five-floor ncacn_ip_tcp tower for `interface` at `ip`:`port`
// (transfer syntax NDR 2.0), as ept_map returns it.
Bytes BuildTcpTower(const SyntaxId& interface, uint16_t port, const std::array<uint8_t, 4>& ip);

// The endpoint mapper. Not thread-safe: register everything before serving,
// or serialize calls.
class EndpointMapper : public InterfaceHandler {
 public:
  EndpointMapper() = default;

  // Records that `interface` listens on ncacn_ip_tcp at `ip`:`tcp_port`.
  // Registering the same interface (UUID and both versions) again replaces
  // its endpoint. `ip` is dotted-quad IPv4; anything else is recorded as
  // 0.0.0.0 (impacket takes the host from its own binding, and only reads
  // the port).
  void Register(SyntaxId interface, uint16_t tcp_port, std::string ip = "127.0.0.1");

  SyntaxId syntax() const override { return EndpointMapperSyntax(); }

  // Serves ept_map (opnum 3); see the file comment.
  CallReply Call(const CallContext& call) override;

 private:
  struct Endpoint {
    SyntaxId interface;
    uint16_t port = 0;
    std::array<uint8_t, 4> ip{};
  };

  CallReply Map(ByteView stub) const;

  std::vector<Endpoint> endpoints_;
};

}  // namespace trustsim::dcerpc

#endif  // TRUSTSIM_PROTOCOL_DCERPC_EPM_H_
