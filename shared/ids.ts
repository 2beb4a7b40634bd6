import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'; // Crockford base32, as ULID uses

/** A ULID-style id: 10 chars of time (ms) then 16 random chars, so ids sort by creation. */
export function newId(nowMs: number = Date.now()): string {
  let time = '';
  let t = nowMs;
  for (let i = 0; i < 10; i++) {
    time = ALPHABET[t % 32] + time;
    t = Math.floor(t / 32);
  }
  const bytes = randomBytes(16);
  let rand = '';
  for (const b of bytes) rand += ALPHABET[b % 32];
  return time + rand;
}

/** Ids accepted in paths: what newId makes, plus readable ids of configured data. */
export const ID_PATTERN = /^[0-9A-Za-z][0-9A-Za-z_-]{0,63}$/;
