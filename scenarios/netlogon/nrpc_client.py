#!/usr/bin/python3
"""A small MS-NRPC client built on Debian's impacket (python3-impacket 0.10).

exec: steps in scenarios/netlogon run it against the served DC, the way a
repair or audit tool would talk to a real one. Every subcommand prints what it
saw and exits 0 when the DC answered as the subcommand's --expect says, 1
otherwise (2 for usage errors).

The member's NT hash comes from its keytab (the rc4-hmac key is the NT hash),
so the tool authenticates with exactly the password the member's LSA holds.

  nrpc_client.py epm
  nrpc_client.py authenticate --keytab K [--account WS01$] [--flags 0x212fffff] [--expect 0x0]
  nrpc_client.py password-set --keytab K --new-password P [--expect 0x0]
  nrpc_client.py capabilities --keytab K
  nrpc_client.py trust-passwords --keytab K
  nrpc_client.py bad-challenge {zero,repeated,reused}
  nrpc_client.py schannel --keytab K          # GetCapabilities over RC4 schannel
  nrpc_client.py control {tc-query,tc-verify,rediscover} [--domain D]

Common options: --account WS01$, --keytab FILE or --password P (the secret to
authenticate with), --dc NAME (default: the first DC), --expect STATUS,
--schannel (make the authenticated calls over schannel, RC4 at privacy level:
impacket 0.10 has no AES schannel and cannot sign without sealing).

Environment: TRUSTSIM_NETLOGON and TRUSTSIM_EPM ("127.0.0.1:PORT"), TRUSTSIM_REALM.
"""

import argparse
import binascii
import os
import struct
import subprocess
import sys
import time

from Cryptodome.Cipher import AES
from impacket import ntlm
from impacket.dcerpc.v5 import epm, nrpc, transport
from impacket.dcerpc.v5.dtypes import NULL
from impacket.dcerpc.v5.rpcrt import (DCERPCException, RPC_C_AUTHN_LEVEL_PKT_INTEGRITY,
                                      RPC_C_AUTHN_LEVEL_PKT_PRIVACY, RPC_C_AUTHN_NETLOGON)

AES_FLAGS = 0x212FFFFF      # what Windows 10 asks for: AES, strong keys, secure RPC
RC4_FLAGS = 0x600FFFFF      # strong key, secure RPC, no AES: impacket 0.10's schannel is RC4 only
WORKSTATION = nrpc.NETLOGON_SECURE_CHANNEL_TYPE.WorkstationSecureChannel


def endpoint(name):
    value = os.environ.get(name)
    if not value:
        sys.exit(f"nrpc_client: {name} is not set (run me from an exec: step)")
    host, port = value.rsplit(":", 1)
    return host, int(port)


DC = None  # --dc NAME: that DC's endpoint instead of the first DC's


def connect():
    host, port = endpoint(f"TRUSTSIM_DC_{DC.upper()}_NETLOGON" if DC else "TRUSTSIM_NETLOGON")
    rpc = transport.DCERPCTransportFactory(f"ncacn_ip_tcp:{host}[{port}]")
    dce = rpc.get_dce_rpc()
    dce.connect()
    dce.bind(nrpc.MSRPC_UUID_NRPC)
    return rpc, dce


def nt_hash_from_keytab(path, account):
    """The rc4-hmac key of `account` with the highest kvno, from MIT klist."""
    out = subprocess.run(["klist", "-k", "-K", "-e", path], capture_output=True, text=True,
                         check=True).stdout
    best = None
    for line in out.splitlines():
        parts = line.split()
        if len(parts) < 4 or not parts[0].isdigit():
            continue
        kvno, principal = int(parts[0]), parts[1]
        if not principal.startswith(account + "@") or "arcfour-hmac)" not in line:
            continue
        key = line.rsplit("(0x", 1)[1].rstrip(")")
        if best is None or kvno > best[0]:
            best = (kvno, binascii.unhexlify(key))
    if best is None:
        sys.exit(f"nrpc_client: no rc4-hmac key for {account} in {path}")
    return best[1]


def status_of(error):
    code = error.get_error_code() if hasattr(error, "get_error_code") else None
    return code if code is not None else -1


class Channel:
    """ReqChallenge + Authenticate3, then authenticators as MS-NRPC 3.1.4.5 builds them."""

    def __init__(self, dce, account, computer, nt_hash, flags):
        self.dce, self.account, self.computer, self.flags = dce, account, computer, flags
        self.client_challenge = os.urandom(8)
        reply = nrpc.hNetrServerReqChallenge(dce, NULL, computer + "\x00", self.client_challenge)
        self.server_challenge = reply["ServerChallenge"]
        self.aes = bool(flags & 0x01000000)
        if self.aes:
            self.key = nrpc.ComputeSessionKeyAES(None, self.client_challenge, self.server_challenge,
                                                 nt_hash)
            self.stored = nrpc.ComputeNetlogonCredentialAES(self.client_challenge, self.key)
        else:
            self.key = nrpc.ComputeSessionKeyStrongKey(None, self.client_challenge,
                                                       self.server_challenge, nt_hash)
            self.stored = nrpc.ComputeNetlogonCredential(self.client_challenge, self.key)
        self.reply = nrpc.hNetrServerAuthenticate3(dce, NULL, account + "\x00", WORKSTATION,
                                                   computer + "\x00", self.stored, flags)
        expected = self.cred(self.server_challenge)
        if bytes(self.reply["ServerCredential"]) != expected:
            raise SystemExit("ServerCredential does not match the session key")

    def cred(self, data):
        if self.aes:
            return nrpc.ComputeNetlogonCredentialAES(data, self.key)
        return nrpc.ComputeNetlogonCredential(data, self.key)

    def authenticator(self):
        timestamp = int(time.time())
        low = (struct.unpack("<I", self.stored[:4])[0] + timestamp) & 0xFFFFFFFF
        self.stored = struct.pack("<I", low) + self.stored[4:]
        auth = nrpc.NETLOGON_AUTHENTICATOR()
        auth["Credential"] = self.cred(self.stored)
        auth["Timestamp"] = timestamp
        return auth

    def check_return(self, returned):
        low = (struct.unpack("<I", self.stored[:4])[0] + 1) & 0xFFFFFFFF
        self.stored = struct.pack("<I", low) + self.stored[4:]
        if bytes(returned["Credential"]) != self.cred(self.stored):
            raise SystemExit("the return authenticator does not check out")

    def encrypt(self, data):
        if self.aes:
            return AES.new(self.key, AES.MODE_CFB, b"\x00" * 16, segment_size=8).encrypt(data)
        from Cryptodome.Cipher import ARC4
        return ARC4.new(self.key).encrypt(data)


def trust_password_blob(channel, password):
    encoded = password.encode("utf-16-le")
    buffer = os.urandom(512 - len(encoded)) + encoded
    return channel.encrypt(buffer + struct.pack("<I", len(encoded)))


def expect_status(got, want, what):
    print(f"{what}: status 0x{got:08x}")
    if got != want:
        print(f"expected 0x{want:08x}")
        return 1
    return 0


def open_channel(args, flags=None):
    """A session for --account; with --schannel, its calls then go over an RC4 schannel."""
    rpc, dce = connect()
    account = args.account
    computer = account.rstrip("$")
    if args.password is not None:
        nt_hash = ntlm.compute_nthash(args.password)
    elif args.keytab:
        nt_hash = nt_hash_from_keytab(args.keytab, account)
    else:
        nt_hash = os.urandom(16)
    channel = Channel(dce, account, computer, nt_hash,
                      RC4_FLAGS if args.schannel else (flags or args.flags))
    if args.schannel:
        rpc.set_credentials(account, "", os.environ.get("TRUSTSIM_DOMAIN", "CORP"))
        dce.set_auth_type(RPC_C_AUTHN_NETLOGON)
        dce.set_auth_level(RPC_C_AUTHN_LEVEL_PKT_PRIVACY)
        sealed = dce.alter_ctx(nrpc.MSRPC_UUID_NRPC)
        sealed.set_session_key(channel.key)
        channel.dce = dce = sealed
    return dce, channel


def cmd_epm(args):
    host, port = endpoint("TRUSTSIM_EPM")
    rpc = transport.DCERPCTransportFactory(f"ncacn_ip_tcp:{host}[{port}]")
    dce = rpc.get_dce_rpc()
    dce.connect()
    binding = epm.hept_map(host, nrpc.MSRPC_UUID_NRPC, protocol="ncacn_ip_tcp", dce=dce)
    print(f"ept_map: {binding}")
    want_host, want_port = endpoint("TRUSTSIM_NETLOGON")
    return 0 if binding == f"ncacn_ip_tcp:{want_host}[{want_port}]" else 1


def cmd_authenticate(args):
    try:
        _, channel = open_channel(args)
    except nrpc.DCERPCSessionError as error:
        return expect_status(status_of(error), args.expect, "NetrServerAuthenticate3")
    print(f"NetrServerAuthenticate3: status 0x00000000, flags 0x{channel.reply['NegotiateFlags']:08x},"
          f" rid {channel.reply['AccountRid']}, ServerCredential verified")
    return expect_status(0, args.expect, "NetrServerAuthenticate3")


def cmd_password_set(args):
    dce, channel = open_channel(args)
    try:
        reply = nrpc.hNetrServerPasswordSet2(dce, NULL, channel.account + "\x00", WORKSTATION,
                                            channel.computer + "\x00", channel.authenticator(),
                                            trust_password_blob(channel, args.new_password))
        channel.check_return(reply["ReturnAuthenticator"])
        status = 0
    except nrpc.DCERPCSessionError as error:
        status = status_of(error)
    return expect_status(status, args.expect, "NetrServerPasswordSet2")


def cmd_capabilities(args):
    dce, channel = open_channel(args)
    try:
        reply = nrpc.hNetrLogonGetCapabilities(dce, NULL, channel.computer + "\x00",
                                               channel.authenticator(), 0, 1)
    except nrpc.DCERPCSessionError as error:
        return expect_status(status_of(error), args.expect, "NetrLogonGetCapabilities")
    channel.check_return(reply["ReturnAuthenticator"])
    flags = reply["ServerCapabilities"]["ServerCapabilities"]
    print(f"NetrLogonGetCapabilities: capabilities 0x{flags:08x}")
    return 0 if flags == channel.reply["NegotiateFlags"] else 1


def cmd_trust_passwords(args):
    dce, channel = open_channel(args)
    reply = nrpc.hNetrServerTrustPasswordsGet(dce, NULL, channel.account + "\x00", WORKSTATION,
                                              channel.computer + "\x00", channel.authenticator())
    channel.check_return(reply["ReturnAuthenticator"])
    # MS-NRPC 3.5.4.4.8: the NT hash, DES-encrypted with the session key's
    # first 14 bytes as two 7-byte keys (MS-SAMR 2.2.11.1.1).
    from impacket.crypto import SamDecryptNTLMHash
    current = SamDecryptNTLMHash(bytes(reply["EncryptedNewOwfPassword"]), channel.key)
    mine = nt_hash_from_keytab(args.keytab, args.account)
    print(f"NetrServerTrustPasswordsGet: current password {'matches' if current == mine else 'differs from'} the keytab")
    return 0 if current == mine else 1


def cmd_bad_challenge(args):
    _, dce = connect()
    challenge = {"zero": b"\x00" * 8, "repeated": b"\x41" * 5 + b"xyz"}.get(args.kind)
    account, computer = args.account, args.account.rstrip("$")
    nt_hash = nt_hash_from_keytab(args.keytab, account)
    if args.kind == "reused":
        channel = Channel(dce, account, computer, nt_hash, AES_FLAGS)
        try:  # the same challenge and credential again, without a new ReqChallenge
            nrpc.hNetrServerAuthenticate3(dce, NULL, account + "\x00", WORKSTATION,
                                          computer + "\x00", channel.cred(channel.client_challenge),
                                          AES_FLAGS)
            status = 0
        except nrpc.DCERPCSessionError as error:
            status = status_of(error)
        return expect_status(status, 0xC0000022, "reused challenge")
    try:
        server = nrpc.hNetrServerReqChallenge(dce, NULL, computer + "\x00", challenge)["ServerChallenge"]
        key = nrpc.ComputeSessionKeyAES(None, challenge, server, nt_hash)
        nrpc.hNetrServerAuthenticate3(dce, NULL, account + "\x00", WORKSTATION, computer + "\x00",
                                      nrpc.ComputeNetlogonCredentialAES(challenge, key), AES_FLAGS)
        status = 0
    except nrpc.DCERPCSessionError as error:
        status = status_of(error)
    return expect_status(status, 0xC0000022, f"{args.kind} client challenge")


CONTROL_FUNCTIONS = {"rediscover": 5, "tc-query": 6, "tc-verify": 10}


def cmd_control(args):
    """NetrLogonControl2Ex at level 2, as `nltest /server:DC /sc_query:DOMAIN` sends it."""
    _, dce = connect()
    request = nrpc.NetrLogonControl2Ex()
    request["ServerName"] = NULL
    request["FunctionCode"] = CONTROL_FUNCTIONS[args.function]
    request["QueryLevel"] = 2
    request["Data"]["tag"] = CONTROL_FUNCTIONS[args.function]
    request["Data"]["TrustedDomainName"] = args.domain + "\x00"
    try:
        reply = dce.request(request)
    except nrpc.DCERPCSessionError as error:
        return expect_status(status_of(error), args.expect, "NetrLogonControl2Ex")
    info = reply["Buffer"]["NetlogonInfo2"]
    print(f"NetrLogonControl2Ex: flags 0x{info['netlog2_flags']:x}, trusted DC "
          f"{info['netlog2_trusted_dc_name'][:-1]}, status {info['netlog2_tc_connection_status']}")
    return expect_status(0, args.expect, "NetrLogonControl2Ex")


def cmd_schannel(args):
    args.schannel = True
    dce, channel = open_channel(args)
    reply = nrpc.hNetrLogonGetCapabilities(dce, NULL, channel.computer + "\x00",
                                           channel.authenticator(), 0, 1)
    channel.check_return(reply["ReturnAuthenticator"])
    print("schannel (privacy, RC4): NetrLogonGetCapabilities status 0x00000000")
    return 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    def add(name, func, keytab=True):
        p = sub.add_parser(name)
        p.set_defaults(func=func)
        p.add_argument("--account", default="WS01$")
        p.add_argument("--keytab", required=False)
        p.add_argument("--password", help="use this password instead of the keytab's")
        p.add_argument("--dc", help="talk to this DC (TRUSTSIM_DC_<NAME>_NETLOGON)")
        p.add_argument("--schannel", action="store_true",
                       help="make the calls over schannel (RC4, privacy: impacket 0.10's kind)")
        p.add_argument("--flags", type=lambda v: int(v, 0), default=AES_FLAGS)
        p.add_argument("--expect", type=lambda v: int(v, 0), default=0)
        return p
    add("epm", cmd_epm, keytab=False)
    add("authenticate", cmd_authenticate, keytab=False)
    add("password-set", cmd_password_set).add_argument("--new-password", required=True)
    add("capabilities", cmd_capabilities)
    add("trust-passwords", cmd_trust_passwords)
    add("bad-challenge", cmd_bad_challenge).add_argument("kind", choices=["zero", "repeated", "reused"])
    add("schannel", cmd_schannel)
    control = add("control", cmd_control, keytab=False)
    control.add_argument("function", choices=sorted(CONTROL_FUNCTIONS))
    control.add_argument("--domain", default=os.environ.get("TRUSTSIM_DOMAIN", "CORP"))
    args = parser.parse_args()
    global DC
    DC = args.dc
    try:
        return args.func(args)
    except (DCERPCException, nrpc.DCERPCSessionError) as error:
        print(f"{args.command}: {error}")
        return 1


if __name__ == "__main__":
    sys.exit(main())
