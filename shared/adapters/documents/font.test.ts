import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CHINESE_FONT, chineseFontPath } from './font.ts';

describe('the document font', () => {
  it('run from source, is found in node_modules where infra copies it from', () => {
    const repo = fileURLToPath(new URL('../../../', import.meta.url));
    // Nothing beside the source file: a copy there would hide a missing infra asset in the bundle.
    expect(existsSync(fileURLToPath(new URL(`./${CHINESE_FONT.file}`, import.meta.url)))).toBe(false);
    expect(chineseFontPath()).toBe(`${repo}${CHINESE_FONT.source}`);
    expect(CHINESE_FONT.source.endsWith(`/${CHINESE_FONT.file}`)).toBe(true);
  });
});
