import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
const node = join(root, 'node_modules/.bin/node');
const script = join(root, 'scripts/deadline.ts');
const tmp = mkdtempSync(join(tmpdir(), 'deadline-cli-'));
const emptyDir = mkdtempSync(join(tmp, 'empty-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Runs the CLI; the holiday dir defaults to an empty one so repo files cannot change results. */
function cli(...args: string[]) {
  const withDir = args.includes('--holidays-dir') ? args : [...args, '--holidays-dir', emptyDir];
  const r = spawnSync(node, [script, ...withDir], { cwd: root, encoding: 'utf8', timeout: 20_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function file(name: string, content: unknown): string {
  const path = join(tmp, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

const fake2027 = {
  year: 2027,
  holidays: ['2027-01-01', '2027-01-02', '2027-01-03'],
  workdays: [],
  source: 'test fixture, not the real schedule',
  updatedAt: '2026-11-05',
};

describe('scripts/deadline.ts', () => {
  it('prints one JSON line with the deadline and its explanation', () => {
    const r = cli('--period', '7wd', '--from', '2026-09-28T10:00:00+08:00');
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    const lines = r.stdout.split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toBe('');
    const out = JSON.parse(lines[0] ?? '');
    expect(out).toMatchObject({ lastDay: '2026-10-13', dueAt: '2026-10-13T16:00:00.000Z', period: '7wd' });
    expect(out.explanation.skipped).toHaveLength(8);
  });

  it('applies --holidays files, and *.json of the holidays directory', () => {
    const from = ['--period', '10d', '--from', '2026-12-25T10:00:00+08:00'];
    expect(JSON.parse(cli(...from, '--holidays', file('y2027.json', fake2027)).stdout).lastDay).toBe('2027-01-04');
    const dir = mkdtempSync(join(tmp, 'dir-'));
    writeFileSync(join(dir, '2027.json'), JSON.stringify([fake2027]));
    expect(JSON.parse(cli(...from, '--holidays-dir', dir).stdout).lastDay).toBe('2027-01-04');
  });

  it('a later --holidays file replaces the year of an earlier source', () => {
    const dir = mkdtempSync(join(tmp, 'dir-'));
    writeFileSync(join(dir, '2027.json'), JSON.stringify(fake2027));
    const moreRest = { ...fake2027, holidays: [...fake2027.holidays, '2027-01-04'] };
    const r = cli('--period', '10d', '--from', '2026-12-25T10:00:00+08:00', '--holidays-dir', dir, '--holidays', file('more.json', moreRest));
    expect(JSON.parse(r.stdout).lastDay).toBe('2027-01-05');
  });

  it.each([
    ['a bad period', ['--period', '7x', '--from', '2026-09-28T10:00:00+08:00'], /invalid period "7x"/],
    ['an instant without offset', ['--period', '7wd', '--from', '2026-09-28T10:00:00'], /invalid instant/],
    ['an unparseable instant', ['--period', '7wd', '--from', 'tomorrow'], /时间无效/],
    ['a year without data', ['--period', '7wd', '--from', '2026-12-28T10:00:00+08:00'], /缺少 2027 年节假日数据.*no holiday data for 2027/],
    ['a missing holiday file', ['--period', '7wd', '--from', '2026-09-28T10:00:00+08:00', '--holidays', '/nonexistent/h.json'], /\/nonexistent\/h\.json/],
    ['a missing --from', ['--period', '7wd'], /--from are required/],
    ['an unknown option', ['--period', '7wd', '--from', '2026-09-28T10:00:00+08:00', '--frm', 'x'], /usage:/],
  ])('fails on %s: non-zero exit, message on stderr, nothing on stdout', (_, args, message) => {
    const r = cli(...args);
    expect(r.status).not.toBe(0);
    expect(r.status).not.toBeNull();
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(message);
  });

  it.each([
    ['not JSON', '{"year":'],
    ['an invalid year', { ...fake2027, workdays: ['2027-01-04'] }],
    ['a date outside the year', { ...fake2027, holidays: ['2026-12-31'] }],
  ])('fails on a holiday file that is %s, naming the file', (name, content) => {
    const path = file(`bad-${name.replace(/\W+/g, '-')}.json`, content);
    const r = cli('--period', '7wd', '--from', '2026-09-28T10:00:00+08:00', '--holidays', path);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(path);
    expect(r.stderr).toMatch(/节假日数据无效.*invalid holiday data/);
  });
});
