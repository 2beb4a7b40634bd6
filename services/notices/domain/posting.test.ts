import { describe, expect, it } from 'vitest';
import type { Identity } from '../../../shared/identity.ts';
import { villageGroupFor, type Project } from '../../../shared/cases/project.ts';
import { checkPostedAt, checkUploadUsable, evidenceKey, type EvidenceUpload } from './posting.ts';

const meiwan: Identity = { user: 'u-meiwan', agency: 'township', jurisdiction: 'yongzhou/lengshuitan/meiwan' };
const yitang: Identity = { user: 'u-yitang', agency: 'township', jurisdiction: 'yongzhou/lengshuitan/yitang' };
const PROJECT: Project = {
  id: 'P1',
  name: '项目',
  district: 'yongzhou/lengshuitan',
  villageGroups: [
    { id: 'g1', name: '一组', village: '梅湾村', township: 'yongzhou/lengshuitan/meiwan' },
    { id: 'g2', name: '三组', village: '伊塘村', township: 'yongzhou/lengshuitan/yitang' },
  ],
  createdAt: '2026-09-01T01:00:00.000Z',
  createdBy: { user: 'u-district', agency: 'district-government', jurisdiction: 'yongzhou/lengshuitan' },
};
const UPLOAD: EvidenceUpload = {
  uploadId: 'U1',
  projectId: 'P1',
  document: 'notice',
  villageGroupId: 'g1',
  key: evidenceKey('P1', 'notice', 'g1', 'U1'),
  declared: { contentType: 'image/jpeg', size: 5, sha256: 'a'.repeat(64) },
  fileName: 'p.jpg',
  requestedBy: meiwan,
  requestedAt: '2026-09-01T06:00:00.000Z',
  expiresAt: '2026-09-01T06:15:00.000Z',
};
const codeOf = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    return (error as { code?: string }).code;
  }
  return undefined;
};

describe('the village group of a posting', () => {
  it('is the project’s, in the acting township’s jurisdiction', () => {
    expect(villageGroupFor(PROJECT, 'g1', meiwan)).toBe(PROJECT.villageGroups[0]);
    expect(codeOf(() => villageGroupFor(PROJECT, 'g9', meiwan))).toBe('posting.village-group-unknown');
    expect(codeOf(() => villageGroupFor(PROJECT, 'g2', meiwan))).toBe('forbidden.jurisdiction');
  });
});

describe('an evidence upload named in a posting', () => {
  it('keys the object by project, document, group and upload', () => {
    expect(UPLOAD.key).toBe('projects/P1/postings/notice/g1/U1');
  });

  it('must be for the same document and group, requested by this township, and unused', () => {
    expect(codeOf(() => checkUploadUsable(UPLOAD, { document: 'notice', villageGroupId: 'g1' }, meiwan))).toBeUndefined();
    expect(codeOf(() => checkUploadUsable(UPLOAD, { document: 'plan', villageGroupId: 'g1' }, meiwan))).toBe('posting.upload-mismatch');
    expect(codeOf(() => checkUploadUsable(UPLOAD, { document: 'notice', villageGroupId: 'g2' }, meiwan))).toBe('posting.upload-mismatch');
    expect(codeOf(() => checkUploadUsable(UPLOAD, { document: 'notice', villageGroupId: 'g1' }, yitang))).toBe('forbidden.upload');
    expect(codeOf(() => checkUploadUsable({ ...UPLOAD, usedBy: 'POSTING1' }, { document: 'notice', villageGroupId: 'g1' }, meiwan))).toBe('posting.upload-used');
  });
});

describe('the claimed time of posting', () => {
  const publishedAt = '2026-09-01T02:00:00.000Z';
  const now = new Date('2026-09-01T08:00:00.000Z');

  it('needs the document published', () => {
    expect(codeOf(() => checkPostedAt(now, undefined, now))).toBe('posting.document-not-published');
  });

  it('lies between publication and now, both included', () => {
    expect(codeOf(() => checkPostedAt(new Date(publishedAt), publishedAt, now))).toBeUndefined();
    expect(codeOf(() => checkPostedAt(now, publishedAt, now))).toBeUndefined();
    expect(codeOf(() => checkPostedAt(new Date(Date.parse(publishedAt) - 1), publishedAt, now))).toBe('posting.before-publication');
    expect(codeOf(() => checkPostedAt(new Date(now.getTime() + 1), publishedAt, now))).toBe('posting.in-future');
  });
});
