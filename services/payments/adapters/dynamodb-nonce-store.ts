import { put, type Table } from '../../../shared/adapters/table.ts';
import { ConflictError } from '../../../shared/errors.ts';
import { MAX_CALLBACK_SKEW_MS, type NonceStore } from '../../../shared/payments/bank-gateway.ts';

/**
 * The bank callbacks' nonces in the cases table: recording one is a put on condition that it is
 * absent, so of two deliveries with the same nonce exactly one passes. Each is kept at least twice
 * the accepted clock skew; `expiresAt` (epoch seconds) lets a DynamoDB TTL on that attribute remove
 * it later (an expired record left in place only refuses a replay a little longer).
 */
export class TableNonceStore implements NonceStore {
  #table: Table;
  #now: () => number;

  constructor(table: Table, now: () => number = Date.now) {
    this.#table = table;
    this.#now = now;
  }

  async seen(nonce: string): Promise<boolean> {
    const expiresAt = Math.ceil((this.#now() + 2 * MAX_CALLBACK_SKEW_MS) / 1000);
    try {
      await this.#table.commit([put('bank-nonce', { pk: `BANK-NONCE#${nonce}`, sk: 'NONCE', type: 'bank-nonce', expiresAt }, 'absent', new NonceSeen())], []);
      return false;
    } catch (error) {
      if (error instanceof NonceSeen) return true;
      throw error;
    }
  }
}

class NonceSeen extends ConflictError {
  constructor() {
    super('bank.callback-replayed', '银行回调随机数已使用');
  }
}
