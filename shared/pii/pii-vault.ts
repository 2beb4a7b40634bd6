/**
 * Personal ID numbers are never stored in clear: each is encrypted per field (KMS in AWS), looked
 * up by a keyed hash (HMAC, so equal numbers match without being readable), and shown masked.
 */
export interface ProtectedValue {
  /** Ciphertext (base64) — decryptable only with the key and the same context. */
  cipher: string;
  /** Keyed hash (base64url) for equality look-ups. */
  mac: string;
  masked: string;
}

export interface PiiVault {
  protect(value: string, masked: string, context: Record<string, string>): Promise<ProtectedValue>;
  /** The keyed hash alone, for look-ups. */
  mac(value: string): Promise<string>;
  reveal(cipher: string, context: Record<string, string>): Promise<string>;
}
