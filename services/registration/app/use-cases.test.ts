import { beforeEach, describe, expect, it } from 'vitest';
import { MemoryPiiVault } from '../../../shared/adapters/memory-pii-vault.ts';
import { MemoryTable } from '../../../shared/adapters/memory-table.ts';
import { AGENTS, ctxOf, sequentialIds } from '../../../test/support/fakes.ts';
import { postNotice, projectWithPublishedNotice } from '../../../test/support/procedure.ts';
import { registrationDepsOn } from '../adapters/deps.ts';
import { listRegistrations, register, type RegistrationDeps, type RegistrationInput } from './use-cases.ts';

// A syntactically valid (checksummed) made-up ID number.
const ID_NUMBER = '11010519491231002X';
const CONTRACTOR: RegistrationInput = {
  villageGroupId: 'g1',
  rightType: 'land-contract',
  holder: { kind: 'person', name: '张三', idNumber: ID_NUMBER },
  contractNumber: 'LST-2019-0001',
  areaSquareMetres: 1333.33,
  description: '承包地 2 亩',
  onBehalf: true,
};

let store: MemoryTable;
let deps: RegistrationDeps;
beforeEach(() => {
  store = new MemoryTable();
  deps = registrationDepsOn(store, { pii: new MemoryPiiVault(), newId: sequentialIds });
});

describe('compensation registration', () => {
  it('is accepted a minute before the group\'s window closes and refused at and after its due instant', async () => {
    const { project, window: posted } = await projectWithPublishedNotice(store);
    const window = posted!;
    expect(window.dueAt).toBe('2026-10-08T16:00:00.000Z');
    const minuteBefore = new Date(Date.parse(window.dueAt) - 60_000);
    await expect(register(deps, project.id, CONTRACTOR, ctxOf(AGENTS.meiwan, minuteBefore))).resolves.toMatchObject({ rightType: 'land-contract' });
    const late = { ...CONTRACTOR, contractNumber: 'LST-2019-0002' };
    const error = await register(deps, project.id, late, ctxOf(AGENTS.meiwan, window.dueAt)).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'registration.window-closed', details: { closedAt: window.dueAt, lastDay: '2026-10-08' } });
    expect((error as Error).message).toContain('2026年10月8日24时');
    expect((error as Error).message).toContain('视为放弃补偿权利');
  });

  it('refuses the same right twice, whoever registers it', async () => {
    const { project } = await projectWithPublishedNotice(store);
    await register(deps, project.id, CONTRACTOR, ctxOf(AGENTS.meiwan, '2026-09-05T10:00:00+08:00'));
    const again = { ...CONTRACTOR, holder: { ...CONTRACTOR.holder, idNumber: ID_NUMBER.toLowerCase() }, onBehalf: false };
    await expect(register(deps, project.id, again, ctxOf(AGENTS.landBranch, '2026-09-06T10:00:00+08:00'))).rejects.toMatchObject({ code: 'registration.duplicate' });
  });

  it('never stores or returns the ID number in clear', async () => {
    const { project } = await projectWithPublishedNotice(store);
    const registration = await register(deps, project.id, CONTRACTOR, ctxOf(AGENTS.meiwan, '2026-09-05T10:00:00+08:00'));
    expect(registration.holder.idNumberMasked).toBe('1101**********002X');
    expect(JSON.stringify([...store.items.values()])).not.toContain(ID_NUMBER);
    expect(JSON.stringify(store.audit)).not.toContain(ID_NUMBER);
    const listed = await listRegistrations(deps, project.id, { limit: 100 }, ctxOf(AGENTS.landBranch, '2026-09-05T11:00:00+08:00'));
    expect(JSON.stringify(listed)).not.toContain(ID_NUMBER);
    expect(store.audit.at(-1)).toMatchObject({ action: 'registration.read' });
  });

  it('keys collective ownership by village group and owning collective, and a land contract by its number, however the holder is written', async () => {
    const { project } = await projectWithPublishedNotice(store);
    const ctx = ctxOf(AGENTS.meiwan, '2026-09-05T10:00:00+08:00');
    const collective = (name: string, collectiveLevel: 'village' | 'group'): RegistrationInput => ({ villageGroupId: 'g1', rightType: 'collective-land-ownership', holder: { kind: 'collective', name, collectiveLevel }, description: '集体土地', onBehalf: true });
    const groupOwned = await register(deps, project.id, collective('梅湾村一组', 'group'), ctx);
    expect(groupOwned.holder).toEqual({ kind: 'collective', name: '梅湾村一组', collectiveLevel: 'group' });
    // The village's collective owns land in the same group too (Land Administration Law art. 11).
    await expect(register(deps, project.id, collective('梅湾村', 'village'), ctx)).resolves.toMatchObject({ holder: { collectiveLevel: 'village' } });
    await expect(register(deps, project.id, collective('梅湾村第一村民小组', 'group'), ctx)).rejects.toMatchObject({ code: 'registration.duplicate' });
    await expect(register(deps, project.id, collective('梅湾村村民委员会', 'village'), ctx)).rejects.toMatchObject({ code: 'registration.duplicate' });
    const { holder: _holder, ...withoutLevel } = collective('梅湾村一组', 'group');
    await expect(register(deps, project.id, { ...withoutLevel, holder: { kind: 'collective', name: '梅湾村一组' } }, ctx)).rejects.toMatchObject({ code: 'registration.collective-level-required' });
    await register(deps, project.id, CONTRACTOR, ctx);
    const otherHolder = { ...CONTRACTOR, holder: { kind: 'organisation' as const, name: '某合作社' }, contractNumber: ' lst-2019-0001 ' };
    await expect(register(deps, project.id, otherHolder, ctx)).rejects.toMatchObject({ code: 'registration.duplicate' });
    await expect(register(deps, project.id, { ...CONTRACTOR, contractNumber: undefined }, ctx)).rejects.toMatchObject({ code: 'registration.contract-number-required' });
    await expect(register(deps, project.id, { ...collective('x', 'group'), holder: { kind: 'person', name: '张三', idNumber: ID_NUMBER } }, ctx)).rejects.toMatchObject({ code: 'registration.holder-kind' });
  });

  it('lists registrations a page at a time', async () => {
    const { project } = await projectWithPublishedNotice(store);
    const ctx = ctxOf(AGENTS.meiwan, '2026-09-05T10:00:00+08:00');
    for (const n of [1, 2, 3, 4, 5]) await register(deps, project.id, { ...CONTRACTOR, contractNumber: `C-${n}` }, ctx);
    const first = await listRegistrations(deps, project.id, { limit: 2 }, ctx);
    const second = await listRegistrations(deps, project.id, { limit: 2, cursor: first.cursor }, ctx);
    const third = await listRegistrations(deps, project.id, { limit: 2, cursor: second.cursor }, ctx);
    expect([first, second, third].map((p) => p.items.length)).toEqual([2, 2, 1]);
    expect(third.cursor).toBeUndefined();
    expect(new Set([...first.items, ...second.items, ...third.items].map((r) => r.contractNumber)).size).toBe(5);
  });

  it('validates the ID number and who may register on behalf', async () => {
    const { project } = await projectWithPublishedNotice(store);
    const ctx = ctxOf(AGENTS.meiwan, '2026-09-05T10:00:00+08:00');
    await expect(register(deps, project.id, { ...CONTRACTOR, holder: { kind: 'person', name: '李四', idNumber: '110105194912310021' } }, ctx)).rejects.toMatchObject({ code: 'id-number.invalid' });
    await expect(register(deps, project.id, { ...CONTRACTOR, onBehalf: true }, ctxOf(AGENTS.landBranch, '2026-09-05T10:00:00+08:00'))).rejects.toMatchObject({ code: 'registration.on-behalf' });
    await expect(register(deps, project.id, { ...CONTRACTOR, villageGroupId: 'g2' }, ctx)).rejects.toMatchObject({ code: 'forbidden.jurisdiction' });
  });

  it('is not open before the notice is published', async () => {
    const { project } = await projectWithPublishedNotice(store);
    const notice = `PROJECT#${project.id}\u0000NOTICE`;
    store.items.set(notice, { ...store.items.get(notice)!, status: 'approved' });
    await expect(register(deps, project.id, CONTRACTOR, ctxOf(AGENTS.meiwan, '2026-09-05T10:00:00+08:00'))).rejects.toMatchObject({ code: 'registration.not-open' });
  });

  it('runs each group\'s window from its own posting: a group where the notice is not posted stays open, nothing waived', async () => {
    const { project, evidence, deps: notices } = await projectWithPublishedNotice(store, undefined, undefined, { posted: false });
    // g1 posted on publication day: its window closes at the end of 8 October.
    const g1 = await postNotice(notices, evidence, project.id, 'g1', '2026-09-01T10:00:00+08:00');
    expect(g1.lastDay).toBe('2026-10-08');
    const inG2 = { ...CONTRACTOR, villageGroupId: 'g2', contractNumber: 'YT-1' };
    const afterG1Closed = ctxOf(AGENTS.yitang, '2026-10-20T10:00:00+08:00');
    await expect(register(deps, project.id, { ...CONTRACTOR, contractNumber: 'LST-9' }, ctxOf(AGENTS.meiwan, '2026-10-20T10:00:00+08:00'))).rejects.toMatchObject({ code: 'registration.window-closed' });
    // g2 never told: registration is still accepted there.
    await expect(register(deps, project.id, inG2, afterG1Closed)).resolves.toMatchObject({ villageGroupId: 'g2' });
    // Posted in g2 on 21 October: its 30 days run from then (last day 20 November).
    const g2 = await postNotice(notices, evidence, project.id, 'g2', '2026-10-21T09:00:00+08:00');
    expect(g2.lastDay).toBe('2026-11-20');
    await expect(register(deps, project.id, { ...inG2, contractNumber: 'YT-2' }, ctxOf(AGENTS.yitang, '2026-11-20T23:59:00+08:00'))).resolves.toMatchObject({ villageGroupId: 'g2' });
    await expect(register(deps, project.id, { ...inG2, contractNumber: 'YT-3' }, ctxOf(AGENTS.yitang, '2026-11-21T00:00:00+08:00'))).rejects.toMatchObject({ code: 'registration.window-closed', details: { lastDay: '2026-11-20' } });
  });
});
