import { describe, expect, it } from 'vitest';
import { fromBeijingInput, toBeijingInput } from './beijing-input.ts';

describe('a datetime-local field read as Beijing time', () => {
  it('fills with the Beijing wall clock of an instant (past midnight UTC+8 is the next day)', () => {
    expect(toBeijingInput(Date.parse('2026-08-03T01:00:00Z'))).toBe('2026-08-03T09:00');
    expect(toBeijingInput(Date.parse('2026-09-27T16:30:00Z'))).toBe('2026-09-28T00:30');
  });

  it('sends the typed wall clock with +08:00, which is the same instant again', () => {
    expect(fromBeijingInput('2026-09-28T00:30')).toBe('2026-09-28T00:30:00+08:00');
    expect(fromBeijingInput('2026-09-28T00:30:15')).toBe('2026-09-28T00:30:15+08:00');
    expect(Date.parse(fromBeijingInput(toBeijingInput(Date.parse('2026-09-27T16:30:00Z')))!)).toBe(Date.parse('2026-09-27T16:30:00Z'));
  });

  it('refuses what is not a date and time', () => {
    expect(fromBeijingInput('')).toBeUndefined();
    expect(fromBeijingInput('2026-09-28')).toBeUndefined();
    expect(fromBeijingInput('2026-13-40T25:00')).toBeUndefined();
  });
});
