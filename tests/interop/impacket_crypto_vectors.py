#!/usr/bin/python3
# Copyright 2026 The trustsim Authors.
#
# impacket_crypto_vectors.py
# -----------------------------------------------------------------------------
#
# Prints random Netlogon and Kerberos crypto vectors computed by Debian's
# impacket (python3-impacket 0.10), one JSON object per line, for
# impacket_crypto_crosscheck_test.cc to recompute with trustsim and compare
# byte for byte. Everything is deterministic from --seed.
#
# Run it with the system interpreter, /usr/bin/python3, which sees Debian's
# python3-impacket and python3-pycryptodome:
#
#   /usr/bin/python3 tests/interop/impacket_crypto_vectors.py --seed 1 --count 300
#
# Per row (field names are the contract with the C++ test):
#
#   * a password: even rows a random machine password (120 random UTF-16 code
#     units, 240 raw bytes, often invalid UTF-16; NT hash = MD4 of the raw
#     bytes, passed to impacket as sharedSecretHash), odd rows a random
#     printable ASCII password (impacket hashes the string itself);
#   * AES and strong-key session keys, the Client/ServerCredential of the
#     handshake, and one authenticator step (for AES built the way an
#     impacket 0.10 client must build it, protocol-facts.md §1.5; for the
#     strong key with impacket's own ComputeNetlogonAuthenticator);
#   * a random 516-byte NL_TRUST_PASSWORD encrypted with AES-128-CFB8 under the
#     AES session key and with RC4 under the strong key (protocol-facts.md §2.5);
#   * Kerberos: the AD computer salt, string-to-key on every 25th row (PBKDF2
#     is slow in pure Python; machine passwords go through impacket 0.10
#     secretsdump's UTF-16 -> UTF-8 conversion first), and encrypt() for each
#     enctype.

import argparse
import json
import random
import string
import sys
from struct import pack, unpack
from unittest import mock

try:
    from Cryptodome.Cipher import AES, ARC4
    from Cryptodome.Hash import MD4
    from impacket import ntlm
    from impacket.dcerpc.v5 import nrpc
    from impacket.krb5 import crypto as krb5crypto
except ImportError as e:  # pragma: no cover - environment problem
    sys.stderr.write(
        "impacket_crypto_vectors.py: cannot import impacket/pycryptodome (%s).\n"
        "Install Debian's python3-impacket and run this script with /usr/bin/python3.\n" % e)
    sys.exit(2)

# Rows with i % S2K_EVERY == 1 also get string-to-key. impacket's PBKDF2 runs
# 4096 iterations in pure Python, about 0.23 s per row for aes256 + aes128, so
# only 12 of 300 rows do it (every 8th row would take 20 s). The period is odd,
# so these rows alternate between ASCII and machine passwords.
S2K_EVERY = 25

ASCII_ALPHABET = ''.join(chr(c) for c in range(0x20, 0x7f))
NAME_ALPHABET = string.ascii_letters + string.digits + '-'
REALM_WORDS = ['corp', 'example', 'contoso', 'fabrikam', 'ad', 'lab', 'test', 'emea', 'na',
               'internal', 'local', 'com', 'net', 'org', 'de', 'io']


def h(b):
    return bytes(b).hex()


def add_low32(cred, value):
    return pack('<I', (unpack('<I', cred[:4])[0] + value) & 0xffffffff) + cred[4:]


def random_timestamp(rng, i, seed_cred):
    # Mostly random; every 5th row lands seed+ts on 0xffffffff so that the
    # server's "+1" wraps the low half to zero.
    if i % 5 == 3:
        return (0xffffffff - unpack('<I', seed_cred[:4])[0]) & 0xffffffff
    return rng.getrandbits(32)


def random_realm(rng):
    labels = [rng.choice(REALM_WORDS) for _ in range(rng.randint(1, 3))]
    labels.append(rng.choice(['com', 'net', 'org', 'local']))
    realm = '.'.join(labels)
    # Mostly upper case, as realms are; sometimes mixed, to exercise UPPER().
    if rng.random() < 0.75:
        return realm.upper()
    return ''.join(c.upper() if rng.random() < 0.5 else c for c in realm)


def random_computer_name(rng):
    name = ''.join(rng.choice(NAME_ALPHABET) for _ in range(rng.randint(1, 15)))
    if rng.random() < 0.5:
        name += '$'  # a sAMAccountName
    return name


def ad_salt(realm, computer_name):
    if computer_name.endswith('$'):
        computer_name = computer_name[:-1]
    return realm.upper() + 'host' + computer_name.lower() + '.' + realm.lower()


def kerberos_encryption(rng, enctype, key_bytes):
    key = krb5crypto.Key(enctype, key_bytes)
    usage = rng.randint(1, 25)
    plaintext = rng.randbytes(rng.randint(0, 100))
    confounder = rng.randbytes(8 if enctype == krb5crypto.Enctype.RC4 else 16)
    ciphertext = krb5crypto.encrypt(key, usage, plaintext, confounder)
    # Sanity: impacket decrypts its own output.
    if krb5crypto.decrypt(key, usage, ciphertext) != plaintext:
        raise AssertionError('impacket does not decrypt its own ciphertext')
    return {
        'etype': int(enctype),
        'key': h(key_bytes),
        'usage': usage,
        'plaintext': h(plaintext),
        'confounder': h(confounder),
        'ciphertext': h(ciphertext),
    }


def netlogon_aes(rng, i, nt_hash, password, cc, sc):
    if password is None:
        sk = nrpc.ComputeSessionKeyAES(None, cc, sc, sharedSecretHash=nt_hash)
    else:
        sk = nrpc.ComputeSessionKeyAES(password, cc, sc)
    client_cred = nrpc.ComputeNetlogonCredentialAES(cc, sk)
    server_cred = nrpc.ComputeNetlogonCredentialAES(sc, sk)
    # impacket 0.10 has no AES authenticator helper; a client builds it so.
    ts = random_timestamp(rng, i, client_cred)
    auth_cred = nrpc.ComputeNetlogonCredentialAES(
        pack('<I', (unpack('<I', client_cred[:4])[0] + ts) & 0xffffffff) + client_cred[4:], sk)
    seed_after = add_low32(client_cred, (ts + 1) & 0xffffffff)
    return_cred = nrpc.ComputeNetlogonCredentialAES(seed_after, sk)
    return sk, {
        'session_key': h(sk),
        'client_credential': h(client_cred),
        'server_credential': h(server_cred),
        'timestamp': ts,
        'authenticator_credential': h(auth_cred),
        'return_credential': h(return_cred),
        'seed_after': h(seed_after),
    }


def netlogon_strong(rng, i, nt_hash, password, cc, sc):
    if password is None:
        sk = nrpc.ComputeSessionKeyStrongKey(None, cc, sc, sharedSecretHash=nt_hash)
    else:
        sk = nrpc.ComputeSessionKeyStrongKey(password, cc, sc)
    client_cred = nrpc.ComputeNetlogonCredential(cc, sk)
    server_cred = nrpc.ComputeNetlogonCredential(sc, sk)
    ts = random_timestamp(rng, i, client_cred)
    # impacket's own (DES-only) authenticator helper reads the clock; pin it.
    with mock.patch.object(nrpc.time, 'time', return_value=ts):
        authenticator = nrpc.ComputeNetlogonAuthenticator(client_cred, sk)
    if authenticator['Timestamp'] != ts:
        raise AssertionError('clock patch did not take')
    seed_after = add_low32(client_cred, (ts + 1) & 0xffffffff)
    return_cred = nrpc.ComputeNetlogonCredential(seed_after, sk)
    return sk, {
        'session_key': h(sk),
        'client_credential': h(client_cred),
        'server_credential': h(server_cred),
        'timestamp': ts,
        'authenticator_credential': h(authenticator['Credential']),
        'return_credential': h(return_cred),
        'seed_after': h(seed_after),
    }


def make_row(rng, i):
    row = {'index': i}
    machine = i % 2 == 0
    if machine:
        raw = rng.randbytes(240)  # 120 random UTF-16 code units
        password = None
        nt_hash = MD4.new(raw).digest()
        row['kind'] = 'machine'
    else:
        password = ''.join(rng.choice(ASCII_ALPHABET) for _ in range(rng.randint(0, 40)))
        raw = password.encode('utf-16-le')
        nt_hash = ntlm.compute_nthash(password)
        row['kind'] = 'ascii'
        row['password'] = password
    row['password_utf16le'] = h(raw)
    if machine:
        # impacket 0.10 secretsdump's conversion of a raw machine password to
        # the UTF-8 that Kerberos string-to-key takes.
        row['password_utf8_replace'] = h(
            raw.decode('utf-16-le', 'replace').encode('utf-8', 'replace'))
    row['nt_hash'] = h(nt_hash)

    cc = rng.randbytes(8)
    sc = rng.randbytes(8)
    row['client_challenge'] = h(cc)
    row['server_challenge'] = h(sc)

    sk_aes, row['aes'] = netlogon_aes(rng, i, nt_hash, password, cc, sc)
    sk_strong, row['strong'] = netlogon_strong(rng, i, nt_hash, password, cc, sc)

    trust_plain = rng.randbytes(516)
    row['trust_password'] = {
        'plaintext': h(trust_plain),
        'aes_ciphertext': h(AES.new(sk_aes, AES.MODE_CFB, b'\0' * 16).encrypt(trust_plain)),
        'rc4_ciphertext': h(ARC4.new(sk_strong).encrypt(trust_plain)),
    }

    realm = random_realm(rng)
    computer_name = random_computer_name(rng)
    salt = ad_salt(realm, computer_name)
    krb = {'realm': realm, 'computer_name': computer_name, 'salt': salt}

    keys = {}
    if i % S2K_EVERY == 1:
        s2k_input = bytes.fromhex(row['password_utf8_replace']) if machine else password
        keys = {
            'aes256': krb5crypto._AES256CTS.string_to_key(s2k_input, salt, None).contents,
            'aes128': krb5crypto._AES128CTS.string_to_key(s2k_input, salt, None).contents,
        }
        if not machine:
            keys['rc4'] = krb5crypto._RC4.string_to_key(password, salt, None).contents
        krb['string_to_key'] = {name: h(k) for name, k in keys.items()}

    # Encrypt under the derived keys where there are some, else random keys;
    # RC4 always uses the NT hash, which is the rc4-hmac key.
    aes256_key = keys.get('aes256') or rng.randbytes(32)
    aes128_key = keys.get('aes128') or rng.randbytes(16)
    krb['encryptions'] = [
        kerberos_encryption(rng, krb5crypto.Enctype.AES256, aes256_key),
        kerberos_encryption(rng, krb5crypto.Enctype.AES128, aes128_key),
        kerberos_encryption(rng, krb5crypto.Enctype.RC4, nt_hash),
    ]
    row['kerberos'] = krb
    return row


def main():
    parser = argparse.ArgumentParser(description='Print impacket Netlogon/Kerberos crypto vectors as JSON lines.')
    parser.add_argument('--seed', type=int, required=True)
    parser.add_argument('--count', type=int, required=True)
    args = parser.parse_args()
    if args.count < 0:
        parser.error('--count must be >= 0')
    rng = random.Random(args.seed)
    out = sys.stdout
    for i in range(args.count):
        out.write(json.dumps(make_row(rng, i), sort_keys=True))
        out.write('\n')
    out.flush()
    return 0


if __name__ == '__main__':
    sys.exit(main())
