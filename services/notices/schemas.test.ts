import { describe, expect, it } from 'vitest';
import { evidenceUploadBody } from './schemas.ts';

describe('an evidence upload request', () => {
  const request = (size: number) => ({ document: 'notice', villageGroupId: 'g1', contentType: 'video/mp4', fileName: '张贴过程.mp4', size, sha256: 'ab'.repeat(32) });

  it('takes files up to S3\'s single-PUT limit of 5 GiB (long videos), not one byte more', () => {
    expect(evidenceUploadBody.safeParse(request(5 * 1024 ** 3)).success).toBe(true);
    const over = evidenceUploadBody.safeParse(request(5 * 1024 ** 3 + 1));
    expect(over.success).toBe(false);
    expect(over.error?.issues[0]?.message).toBe('证据文件不能超过 5 GB（单次上传的上限）');
  });
});
