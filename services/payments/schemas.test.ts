import { describe, expect, it } from 'vitest';
import { depositBody, voucherUploadBody } from './schemas.ts';

const deposit = { amountFen: 500_000_00, voucherNumber: 'HD-2026-001', valueDate: '2026-10-20', uploadId: 'U1' };

describe('deposit request', () => {
  it('takes the amount in integer fen only: yuan with decimals, zero and negatives are refused in Chinese', () => {
    expect(depositBody.safeParse(deposit).success).toBe(true);
    for (const amountFen of [5000.5, 0, -100, '50000']) {
      const parsed = depositBody.safeParse({ ...deposit, amountFen });
      expect(parsed.success, String(amountFen)).toBe(false);
      expect(parsed.error?.issues[0]?.message).toMatch(/[\u4e00-\u9fff]/);
    }
  });

  it('names the value date as a calendar day, one of the two funds, and refuses fields it does not know (who may deposit into which fund is the use case\'s check)', () => {
    expect(depositBody.safeParse({ ...deposit, valueDate: '2026-10-20T10:00:00+08:00' }).success).toBe(false);
    expect(depositBody.safeParse({ ...deposit, fund: 'social-security-subsidy' }).success).toBe(true);
    expect(depositBody.safeParse({ ...deposit, fund: 'petty-cash' }).success).toBe(false);
    expect(depositBody.safeParse({ ...deposit, payer: 'x' }).success).toBe(false);
  });

  it('declares the voucher scan by its SHA-256', () => {
    expect(voucherUploadBody.safeParse({ contentType: 'application/pdf', fileName: 'v.pdf', size: 10, sha256: 'xyz' }).error?.issues[0]?.message).toContain('SHA-256');
  });
});
