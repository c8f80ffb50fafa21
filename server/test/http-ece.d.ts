declare module 'http_ece' {
  import type { ECDH } from 'node:crypto';

  /** Decrypts an encrypted-content-encoding body (RFC 8188), as a push service's receiver would. */
  export function decrypt(
    body: Buffer,
    params: { version: 'aes128gcm'; privateKey: ECDH; authSecret: Buffer },
  ): Buffer;
}
