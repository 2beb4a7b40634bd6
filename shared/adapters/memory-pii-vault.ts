import { createHmac } from 'node:crypto';
import type { PiiVault, ProtectedValue } from '../pii/pii-vault.ts';

/** A reversible stand-in for unit tests of use cases; never used outside tests. */
export class MemoryPiiVault implements PiiVault {
  async protect(value: string, masked: string, context: Record<string, string>): Promise<ProtectedValue> {
    return { cipher: Buffer.from(JSON.stringify({ value, context })).toString('base64'), mac: await this.mac(value), masked };
  }
  async mac(value: string): Promise<string> {
    return createHmac('sha256', 'test-key').update(value).digest('base64url');
  }
  async reveal(cipher: string, context: Record<string, string>): Promise<string> {
    const sealed = JSON.parse(Buffer.from(cipher, 'base64').toString()) as { value: string; context: Record<string, string> };
    if (JSON.stringify(sealed.context) !== JSON.stringify(context)) throw new Error('context mismatch');
    return sealed.value;
  }
}
