/**
 * The part of unzipper (exceljs's own zip reader, 0.10.x) that worksheet-stream.ts uses; the
 * package ships no types.
 */
declare module 'unzipper' {
  import type { Readable, Writable } from 'node:stream';

  export interface Entry extends Readable {
    path: string;
    autodrain(): unknown;
  }

  /** A streaming zip reader: bytes in, entries out in stored order. */
  export function Parse(options: { forceStream: true }): Writable & Readable & AsyncIterable<Entry>;
}
