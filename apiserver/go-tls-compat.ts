/**
 * TLS server settings that make Node accept what Go's crypto/tls server (so kube-apiserver)
 * accepts. A TLS 1.2 client that sends no `signature_algorithms` extension — busybox `wget`'s
 * built-in TLS, which tutorials' pods use to reach `https://kubernetes.default.svc` — means SHA-1
 * signatures by RFC 5246 §7.4.1.4.1. Go signs with SHA-1 then; OpenSSL 3 refuses SHA-1 from
 * security level 1 up and fails the handshake ("no shared cipher" with an EC key, "no suitable
 * signature algorithm" with RSA). Level 0 admits it; the cipher list stays Node's default, and a
 * client that lists its signature algorithms still gets SHA-256 or better.
 */
import { DEFAULT_CIPHERS } from 'node:tls';

/** Spread under a server's own TLS options (its own `ciphers` wins). */
export const GO_COMPATIBLE_TLS_SERVER = { ciphers: `${DEFAULT_CIPHERS}:@SECLEVEL=0` } as const;
