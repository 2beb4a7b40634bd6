import { describe, expect, it } from 'vitest';
import { containsText } from './search.ts';

describe('containsText', () => {
  it('ignores case, full-width forms and white space', () => {
    expect(containsText('滨江大道 Binjiang Avenue', 'binjiang')).toBe(true);
    expect(containsText('1101**********002X', '002x')).toBe(true);
    expect(containsText('1101**********002X', '００２Ｘ')).toBe(true);
    expect(containsText('张 三', '张三')).toBe(true);
  });

  it('finds nothing it does not contain, and never matches an empty search', () => {
    expect(containsText('张三', '李')).toBe(false);
    expect(containsText('1101**********002X', '1234')).toBe(false);
    expect(containsText('张三', '  ')).toBe(false);
  });
});
