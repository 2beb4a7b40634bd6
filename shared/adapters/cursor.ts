import { createHmac, timingSafeEqual } from 'node:crypto';
import { ValidationError } from '../errors.ts';
import type { PagePosition } from './table.ts';

/**
 * Paging cursors are opaque and tamper-evident: the position (a table key) is signed with an HMAC
 * over the query it continues, so a forged or edited cursor — or one from another list — is a 400
 * before any key reaches the database.
 */
export interface CursorSealer {
  seal(position: PagePosition, scope: string): Promise<string>;
  /** The position, or a 400 `request.cursor`. */
  open(cursor: string, scope: string): Promise<PagePosition>;
}

const MAC_BYTES = 16;

/** HMAC-SHA256 cursors; the secret is fetched once, when first needed (e.g. derived by KMS). */
export class HmacCursorSealer implements CursorSealer {
  #secret: () => Promise<Buffer>;
  #cached: Promise<Buffer> | undefined;

  constructor(secret: Buffer | (() => Promise<Buffer>)) {
    this.#secret = typeof secret === 'function' ? secret : async () => secret;
  }

  async seal(position: PagePosition, scope: string): Promise<string> {
    const payload = Buffer.from(JSON.stringify(position)).toString('base64url');
    return `${payload}.${(await this.#mac(payload, scope)).toString('base64url')}`;
  }

  async open(cursor: string, scope: string): Promise<PagePosition> {
    const [payload, mac, extra] = cursor.split('.');
    if (!payload || !mac || extra !== undefined || cursor.length > 2048) throw badCursor();
    const given = Buffer.from(mac, 'base64url');
    const expected = await this.#mac(payload, scope);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw badCursor();
    let position: unknown;
    try {
      position = JSON.parse(Buffer.from(payload, 'base64url').toString());
    } catch {
      throw badCursor();
    }
    if (typeof position !== 'object' || position === null || Array.isArray(position)) throw badCursor();
    const values = Object.values(position);
    if (values.length === 0 || values.some((v) => typeof v !== 'string' || v === '')) throw badCursor();
    return position as PagePosition;
  }

  async #mac(payload: string, scope: string): Promise<Buffer> {
    this.#cached ??= this.#secret().catch((error: unknown) => {
      this.#cached = undefined;
      throw error;
    });
    return createHmac('sha256', await this.#cached).update(`${scope}\n${payload}`).digest().subarray(0, MAC_BYTES);
  }
}

export const badCursor = () => new ValidationError('request.cursor', '分页游标无效');

/** For functions that serve no paged list: a cursor reaching them is a defect, not input. */
export const NO_PAGING: CursorSealer = {
  seal: async () => {
    throw new Error('this function serves no paged list');
  },
  open: async () => {
    throw badCursor();
  },
};
