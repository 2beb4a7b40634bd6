import { kmsClient } from './aws/kms.ts';
import { loadConfig } from '../config.ts';
import { HmacCursorSealer } from './cursor.ts';
import { kmsCursorSecret } from './kms-cursor-secret.ts';

/** Signed paging cursors, for the functions that serve paged lists. */
export function cursorSealerFromEnv(kms = kmsClient()): HmacCursorSealer {
  return new HmacCursorSealer(kmsCursorSecret(kms, loadConfig('CURSOR_KEY_ID').CURSOR_KEY_ID));
}
