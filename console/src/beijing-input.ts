/**
 * A `datetime-local` field read as Beijing time, whatever the browser's zone: a clerk in a township
 * types the wall-clock time she posted the notice; the API gets it with its +08:00 offset.
 */
const BEIJING_SHIFT_MS = 8 * 3600_000;

/** `2026-08-03T10:30` (Beijing wall clock) for an instant (epoch ms), to fill a datetime-local field. */
export function toBeijingInput(epochMs: number): string {
  return new Date(epochMs + BEIJING_SHIFT_MS).toISOString().slice(0, 16);
}

/** `2026-08-03T10:30:00+08:00` from a datetime-local value; undefined when it is not one. */
export function fromBeijingInput(value: string): string | undefined {
  const match = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2})(:\d{2})?$/.exec(value.trim());
  if (!match) return undefined;
  const instant = `${match[1]}${match[2] ?? ':00'}+08:00`;
  return Number.isNaN(Date.parse(instant)) ? undefined : instant;
}
