import * as z from 'zod';
import { defineRoutes } from '../../shared/http/routes.ts';
import { evidenceRecordResponse, identityResponse, uploadSlotResponse, utcInstant } from '../../shared/http/response-schemas.ts';
import { idParam, projectParams, text } from '../../shared/http/schemas.ts';

const fund = z.enum(['compensation', 'social-security-subsidy']);
const positiveFen = z.number({ error: '金额必须是以“分”为单位的整数' }).int({ error: '金额必须是以“分”为单位的整数' }).positive({ error: '存入金额须大于零' }).max(Number.MAX_SAFE_INTEGER);

export const voucherUploadBody = z.strictObject({
  contentType: text(100),
  fileName: text(200),
  size: z.int().positive(),
  sha256: z.string().regex(/^[0-9a-fA-F]{64}$/, { error: 'sha256 须为文件 SHA-256 的 64 位十六进制值' }),
});

export const depositBody = z.strictObject({
  amountFen: positiveFen,
  voucherNumber: text(64),
  valueDate: z.iso.date({ error: 'valueDate 须为到账日期（YYYY-MM-DD，北京时间）' }),
  uploadId: idParam,
});

export const depositParams = z.strictObject({ projectId: idParam, depositId: idParam });
export const accountQuery = z.strictObject({ limit: z.coerce.number().int().min(1).max(500).default(100) });

// ---- responses: every kind of ledger entry, so a later kind cannot leak past the document ----

const entryBase = { projectId: z.string(), seq: z.int().positive(), fund, by: identityResponse, at: utcInstant };
export const depositRecordedResponse = z.strictObject({
  ...entryBase,
  kind: z.literal('deposit-recorded'),
  depositId: z.string(),
  amountFen: z.int(),
  voucherNumber: z.string(),
  valueDate: z.iso.date(),
  voucher: evidenceRecordResponse,
});
const depositConfirmedResponse = z.strictObject({ ...entryBase, kind: z.literal('deposit-confirmed'), depositId: z.string() });
const ledgerEntryResponse = z.discriminatedUnion('kind', [
  depositRecordedResponse,
  depositConfirmedResponse,
  z.strictObject({ ...entryBase, kind: z.literal('reservation'), paymentId: z.string(), amountFen: z.int() }),
  z.strictObject({ ...entryBase, kind: z.literal('reservation-released'), paymentId: z.string(), reason: z.string() }),
  z.strictObject({ ...entryBase, kind: z.literal('payment-settled'), paymentId: z.string(), bankReference: z.string() }),
  z.strictObject({ ...entryBase, kind: z.literal('reversal'), reverses: z.int().positive(), reason: z.string() }),
]);

export const uploadResponse = uploadSlotResponse;
export const confirmResponse = z.strictObject({ entry: depositConfirmedResponse, balanceFen: z.int() });
export const accountResponse = z.strictObject({
  projectId: z.string(),
  balances: z.array(z.strictObject({ fund, name: z.string(), balanceFen: z.int() })),
  unconfirmed: z.array(depositRecordedResponse),
  entryCount: z.int().nonnegative(),
  entries: z.array(ledgerEntryResponse),
});

export const routes = defineRoutes({
  voucherUpload: { method: 'POST', path: '/projects/{projectId}/account/uploads', service: 'payments', summary: '申请上传银行回单扫描件（市城投集团、市经投集团缴存专户资金的凭证）', action: 'account.deposit', auth: 'jwt', params: projectParams, body: voucherUploadBody, successStatus: 201, response: uploadResponse },
  deposit: { method: 'POST', path: '/projects/{projectId}/account/deposits', service: 'payments', summary: '登记征地补偿资金缴存专户（附已核验的银行回单；市财政局确认到账后计入余额）', action: 'account.deposit', auth: 'jwt', params: projectParams, body: depositBody, successStatus: 201, response: depositRecordedResponse },
  confirm: { method: 'POST', path: '/projects/{projectId}/account/deposits/{depositId}/confirm', service: 'payments', summary: '市财政局确认专户资金到账（登记人不能确认）', action: 'account.confirm', auth: 'jwt', params: depositParams, response: confirmResponse },
  read: { method: 'GET', path: '/projects/{projectId}/account', service: 'payments', summary: '查看征地拆迁专户：各项资金余额、待确认存入及最近分录（新在前）', action: 'account.read', auth: 'jwt', params: projectParams, query: accountQuery, response: accountResponse },
});
