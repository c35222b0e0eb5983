// Copyright 2026 The trustsim Authors.

#include "protocol/dcerpc/epm.h"

#include <algorithm>
#include <array>
#include <optional>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_split.h"
#include "base/byte_reader.h"
#include "base/byte_writer.h"
#include "base/status_macros.h"

namespace trustsim::dcerpc {

namespace {

// e1af8308-5d1f-11c9-91a4-08002b14a0fa, wire form.
constexpr Uuid kEndpointMapperUuid = {0x08, 0x83, 0xaf, 0xe1, 0x1f, 0x5d, 0xc9, 0x11,
                                      0x91, 0xa4, 0x08, 0x00, 0x2b, 0x14, 0xa0, 0xfa};
constexpr uint16_t kEndpointMapperVersionMajor = 3;

// NDR 2.0, 8a885d04-1ceb-11c9-9fe8-08002b104860 v2.0, wire form. Written out
// here so the endpoint mapper needs nothing but this header's declarations.
constexpr Uuid kNdr20Uuid = {0x04, 0x5d, 0x88, 0x8a, 0xeb, 0x1c, 0xc9, 0x11,
                             0x9f, 0xe8, 0x08, 0x00, 0x2b, 0x10, 0x48, 0x60};
constexpr uint16_t kNdr20VersionMajor = 2;

// The LHS of a UUID floor: protocol id, UUID, major version.
constexpr size_t kUuidFloorLhsSize = 1 + 16 + 2;
// An ept_lookup_handle_t (context handle): attributes u32 + UUID.
constexpr size_t kContextHandleSize = 20;
// The referent id of the first tower pointer in a reply; the next ones count
// up. Any distinct non-zero values will do.
constexpr uint32_t kFirstTowerReferent = 3;

// An ept_map request, decoded.
struct EptMapRequest {
  // The map_tower's octets, if the pointer was not null.
  std::optional<ByteView> tower;
  bool null_entry_handle = true;
  uint32_t max_towers = 0;
};

// Decodes the NDR of
//   ept_map([in] handle_t h, [in, ptr] uuid_p_t object, [in, ptr] twr_p_t map_tower,
//           [in, out] ept_lookup_handle_t *entry_handle, [in] unsigned32 max_towers, ...)
// Top-level [ptr] referents follow their pointer at once. twr_t is
// { unsigned32 tower_length; [size_is(tower_length)] byte tower_octet_string[]; },
// a conformant structure, so its max_count comes first; the two must agree.
absl::StatusOr<EptMapRequest> ParseEptMapRequest(ByteView stub) {
  ByteReader reader(stub);
  EptMapRequest request;
  ASSIGN_OR_RETURN(const uint32_t object_referent, reader.ReadU32Le());
  if (object_referent != 0) RETURN_IF_ERROR(reader.Skip(16));
  ASSIGN_OR_RETURN(const uint32_t tower_referent, reader.ReadU32Le());
  if (tower_referent != 0) {
    ASSIGN_OR_RETURN(const uint32_t max_count, reader.ReadU32Le());
    ASSIGN_OR_RETURN(const uint32_t tower_length, reader.ReadU32Le());
    if (max_count != tower_length) {
      return absl::InvalidArgumentError("ept_map: tower_length disagrees with its array's size");
    }
    ASSIGN_OR_RETURN(request.tower, reader.ReadBytes(tower_length));
    RETURN_IF_ERROR(reader.Align(4));
  }
  ASSIGN_OR_RETURN(const ByteView entry_handle, reader.ReadBytes(kContextHandleSize));
  request.null_entry_handle =
      std::all_of(entry_handle.begin(), entry_handle.end(), [](uint8_t b) { return b == 0; });
  ASSIGN_OR_RETURN(request.max_towers, reader.ReadU32Le());
  RETURN_IF_ERROR(reader.ExpectEnd("ept_map request"));
  return request;
}

// A floor's LHS as protocol id 0x0d + UUID + major version, if it is one.
struct UuidFloor {
  Uuid uuid;
  uint16_t version_major;
};

std::optional<UuidFloor> AsUuidFloor(const TowerFloor& floor) {
  if (floor.lhs.size() != kUuidFloorLhsSize || floor.lhs[0] != kTowerProtocolUuid) {
    return std::nullopt;
  }
  UuidFloor out;
  std::copy(floor.lhs.begin() + 1, floor.lhs.begin() + 17, out.uuid.begin());
  out.version_major = static_cast<uint16_t>(floor.lhs[17] | (floor.lhs[18] << 8));
  return out;
}

bool IsProtocolFloor(const TowerFloor& floor, uint8_t protocol) {
  return floor.lhs.size() == 1 && floor.lhs[0] == protocol;
}

// The interface a tower asks for, if the tower is NDR 2.0 over ncacn_ip_tcp,
// as Samba's dcerpc_transport_by_tower() decides it: exactly five floors.
std::optional<UuidFloor> TcpTowerInterface(const std::vector<TowerFloor>& floors) {
  if (floors.size() != 5) return std::nullopt;
  const std::optional<UuidFloor> interface = AsUuidFloor(floors[0]);
  const std::optional<UuidFloor> transfer = AsUuidFloor(floors[1]);
  if (!interface || !transfer) return std::nullopt;
  if (transfer->uuid != kNdr20Uuid || transfer->version_major != kNdr20VersionMajor) {
    return std::nullopt;
  }
  if (!IsProtocolFloor(floors[2], kTowerProtocolNcacn) ||
      !IsProtocolFloor(floors[3], kTowerProtocolTcp) ||
      !IsProtocolFloor(floors[4], kTowerProtocolIp)) {
    return std::nullopt;
  }
  return interface;
}

void WriteFloor(ByteWriter& writer, ByteView lhs, ByteView rhs) {
  writer.WriteU16Le(static_cast<uint16_t>(lhs.size()));
  writer.WriteBytes(lhs);
  writer.WriteU16Le(static_cast<uint16_t>(rhs.size()));
  writer.WriteBytes(rhs);
}

void WriteUuidFloor(ByteWriter& writer, const Uuid& uuid, uint16_t major, uint16_t minor) {
  ByteWriter lhs;
  lhs.WriteU8(kTowerProtocolUuid);
  lhs.WriteBytes(uuid);
  lhs.WriteU16Le(major);
  ByteWriter rhs;
  rhs.WriteU16Le(minor);
  WriteFloor(writer, lhs.view(), rhs.view());
}

// "a.b.c.d" with each part 0-255 in at most three digits.
std::optional<std::array<uint8_t, 4>> ParseIpv4(absl::string_view text) {
  const std::vector<absl::string_view> parts = absl::StrSplit(text, '.');
  if (parts.size() != 4) return std::nullopt;
  std::array<uint8_t, 4> out{};
  for (size_t i = 0; i < 4; ++i) {
    if (parts[i].empty() || parts[i].size() > 3) return std::nullopt;
    int value = 0;
    for (char c : parts[i]) {
      if (c < '0' || c > '9') return std::nullopt;
      value = value * 10 + (c - '0');
    }
    if (value > 255) return std::nullopt;
    out[i] = static_cast<uint8_t>(value);
  }
  return out;
}

}  // namespace

SyntaxId EndpointMapperSyntax() {
  return SyntaxId{kEndpointMapperUuid, kEndpointMapperVersionMajor, 0};
}

absl::StatusOr<std::vector<TowerFloor>> ParseTowerFloors(ByteView tower) {
  ByteReader reader(tower);
  ASSIGN_OR_RETURN(const uint16_t count, reader.ReadU16Le());
  std::vector<TowerFloor> floors;
  for (uint16_t i = 0; i < count; ++i) {
    TowerFloor floor;
    ASSIGN_OR_RETURN(const uint16_t lhs_length, reader.ReadU16Le());
    ASSIGN_OR_RETURN(floor.lhs, reader.ReadBytes(lhs_length));
    ASSIGN_OR_RETURN(const uint16_t rhs_length, reader.ReadU16Le());
    ASSIGN_OR_RETURN(floor.rhs, reader.ReadBytes(rhs_length));
    floors.push_back(floor);
  }
  RETURN_IF_ERROR(reader.ExpectEnd("protocol tower"));
  return floors;
}

Bytes BuildTcpTower(const SyntaxId& interface, uint16_t port, const std::array<uint8_t, 4>& ip) {
  ByteWriter writer;
  writer.WriteU16Le(5);
  WriteUuidFloor(writer, interface.uuid, interface.version_major, interface.version_minor);
  WriteUuidFloor(writer, kNdr20Uuid, kNdr20VersionMajor, 0);
  const uint8_t ncacn[] = {kTowerProtocolNcacn};
  const uint8_t ncacn_minor[] = {0x00, 0x00};
  WriteFloor(writer, ncacn, ncacn_minor);
  const uint8_t tcp[] = {kTowerProtocolTcp};
  const uint8_t port_be[] = {static_cast<uint8_t>(port >> 8), static_cast<uint8_t>(port)};
  WriteFloor(writer, tcp, port_be);
  const uint8_t ip_protocol[] = {kTowerProtocolIp};
  WriteFloor(writer, ip_protocol, ip);
  return std::move(writer).Take();
}

void EndpointMapper::Register(SyntaxId interface, uint16_t tcp_port, std::string ip) {
  Endpoint endpoint{interface, tcp_port, ParseIpv4(ip).value_or(std::array<uint8_t, 4>{})};
  for (Endpoint& existing : endpoints_) {
    if (existing.interface == interface) {
      existing = endpoint;
      return;
    }
  }
  endpoints_.push_back(endpoint);
}

CallReply EndpointMapper::Call(const CallContext& call) {
  if (call.opnum != kEptMapOpnum) return CallReply::Fault(kFaultOpRangeError);
  return Map(call.stub);
}

// The reply's NDR:
//   entry_handle (20 bytes), num_towers u32,
//   towers: [size_is(max_towers), length_is(num_towers)] twr_p_t[] -
//     max_count, offset 0, actual_count, the pointers' referent ids, then each
//     twr_t (max_count, tower_length, octets, padded to 4),
//   status u32.
CallReply EndpointMapper::Map(ByteView stub) const {
  absl::StatusOr<EptMapRequest> request = ParseEptMapRequest(stub);
  if (!request.ok()) return CallReply::Fault(kFaultBadStubData);

  std::vector<const Endpoint*> matches;
  if (request->tower.has_value()) {
    absl::StatusOr<std::vector<TowerFloor>> floors = ParseTowerFloors(*request->tower);
    if (!floors.ok()) return CallReply::Fault(kFaultBadStubData);
    const std::optional<UuidFloor> wanted = TcpTowerInterface(*floors);
    if (wanted && request->null_entry_handle) {
      for (const Endpoint& endpoint : endpoints_) {
        if (matches.size() >= request->max_towers) break;
        if (endpoint.interface.uuid == wanted->uuid &&
            endpoint.interface.version_major == wanted->version_major) {
          matches.push_back(&endpoint);
        }
      }
    }
  }

  const uint32_t num_towers = static_cast<uint32_t>(matches.size());
  ByteWriter writer;
  // Every match goes out now, so there is nothing to continue: a null handle.
  writer.WriteFill(kContextHandleSize, 0);
  writer.WriteU32Le(num_towers);
  writer.WriteU32Le(request->max_towers);
  writer.WriteU32Le(0);
  writer.WriteU32Le(num_towers);
  for (uint32_t i = 0; i < num_towers; ++i) writer.WriteU32Le(kFirstTowerReferent + i);
  for (const Endpoint* endpoint : matches) {
    const Bytes tower = BuildTcpTower(endpoint->interface, endpoint->port, endpoint->ip);
    writer.WriteU32Le(static_cast<uint32_t>(tower.size()));
    writer.WriteU32Le(static_cast<uint32_t>(tower.size()));
    writer.WriteBytes(tower);
    writer.Align(4);
  }
  writer.WriteU32Le(num_towers > 0 ? 0 : kEptStatusNotRegistered);
  return CallReply{std::move(writer).Take(), 0};
}

}  // namespace trustsim::dcerpc
