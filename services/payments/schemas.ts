import * as z from 'zod';
import { defineRoutes } from '../../shared/http/routes.ts';
import { beijingInstant, deadlineWatchResponse, evidenceRecordResponse, identityResponse, uploadSlotResponse, utcInstant } from '../../shared/http/response-schemas.ts';
import { idParam, projectParams, text } from '../../shared/http/schemas.ts';
import { accountNumberSchema, bankCallbackSchema, idempotencyKeySchema } from '../../shared/payments/bank-gateway.ts';

const fund = z.enum(['compensation', 'social-security-subsidy']);
const positiveFen = z.number({ error: '金额必须是以“分”为单位的整数' }).int({ error: '金额必须是以“分”为单位的整数' }).positive({ error: '存入金额须大于零' }).max(Number.MAX_SAFE_INTEGER);

export const voucherUploadBody = z.strictObject({
  /** What the scan is, like every upload's purpose: the voucher of a compensation deposit or of the social-security subsidy. */
  purpose: z.enum(['deposit-voucher', 'subsidy-voucher']).optional(),
  /** The compensation fund (investment groups, default) or the social-security subsidy fund (finance); `purpose` implies it. */
  fund: fund.optional(),
  contentType: text(100),
  fileName: text(200),
  size: z.int().positive(),
  sha256: z.string().regex(/^[0-9a-fA-F]{64}$/, { error: 'sha256 须为文件 SHA-256 的 64 位十六进制值' }),
});

export const depositBody = z.strictObject({
  fund: fund.optional(),
  amountFen: positiveFen,
  voucherNumber: text(64),
  valueDate: z.iso.date({ error: 'valueDate 须为到账日期（YYYY-MM-DD，北京时间）' }),
  uploadId: idParam,
});

export const depositParams = z.strictObject({ projectId: idParam, depositId: idParam });
export const reversalBody = z.strictObject({
  entry: z.enum(['deposit', 'confirmation'], { error: 'entry 须为 deposit（冲销存入记录及其确认）或 confirmation（只冲销到账确认）' }),
  reason: text(200),
});
export const accountQuery = z.strictObject({ limit: z.coerce.number().int().min(1).max(500).default(100) });

// ---- responses: every kind of ledger entry, so a later kind cannot leak past the document ----

const entryBase = { projectId: z.string(), entryId: z.string(), fund, by: identityResponse, at: utcInstant };
export const depositRecordedResponse = z.strictObject({
  ...entryBase,
  kind: z.literal('deposit-recorded'),
  depositId: z.string(),
  amountFen: z.int(),
  voucherNumber: z.string(),
  valueDate: z.iso.date(),
  voucher: evidenceRecordResponse,
});
const depositConfirmedResponse = z.strictObject({ ...entryBase, kind: z.literal('deposit-confirmed'), depositId: z.string(), amountFen: z.int() });
const reversalResponse = z.strictObject({ ...entryBase, kind: z.literal('reversal'), reverses: z.string(), depositId: z.string(), reason: z.string() });
const ledgerEntryResponse = z.discriminatedUnion('kind', [
  depositRecordedResponse,
  depositConfirmedResponse,
  z.strictObject({ ...entryBase, kind: z.literal('reservation'), paymentId: z.string(), amountFen: z.int() }),
  z.strictObject({ ...entryBase, kind: z.literal('reservation-released'), paymentId: z.string(), amountFen: z.int(), reason: z.string() }),
  z.strictObject({ ...entryBase, kind: z.literal('payment-settled'), paymentId: z.string(), amountFen: z.int(), bankReference: z.string() }),
  reversalResponse,
]);

export const uploadResponse = uploadSlotResponse;
export const confirmResponse = z.strictObject({ entry: depositConfirmedResponse, balanceFen: z.int() });
export const reverseResponse = z.strictObject({ entry: reversalResponse, balanceFen: z.int() });
export const reconciliationResponse = z.strictObject({
  projectId: z.string(),
  entries: z.int().nonnegative(),
  funds: z.array(z.strictObject({ fund, name: z.string(), availableFen: z.int(), availableFromEntriesFen: z.int(), confirmedFen: z.int(), confirmedFromEntriesFen: z.int(), agrees: z.boolean() })),
  agrees: z.boolean(),
});
export const accountResponse = z.strictObject({
  projectId: z.string(),
  /** confirmedFen: deposits confirmed (less reversed); balanceFen: what payments may still draw on. */
  balances: z.array(z.strictObject({ fund, name: z.string(), confirmedFen: z.int(), balanceFen: z.int() })),
  unconfirmed: z.array(depositRecordedResponse),
  entries: z.array(ledgerEntryResponse),
});

// ---- payments ----

export const householdParams = z.strictObject({ householdId: idParam });
export const paymentParams = z.strictObject({ paymentId: idempotencyKeySchema });
const payeeGroup = z.string().regex(/^(collective|household|social-security-fund|person-[A-Za-z0-9._-]{1,73})$/, { error: '收款方须为 collective（村集体）、household（被征收户）、social-security-fund（社保基金）或 person-<成员编号>（安置人员）' });

/** A payee's account as finance enters it: the clear number is sealed at once and never shown again. */
export const accountBody = z.strictObject({
  accountName: text(100),
  bankName: text(100),
  accountNumber: accountNumberSchema,
});

/** Before anything is instructed, the plan is shown for the subsidy's destination asked for. */
export const householdPaymentsQuery = z.strictObject({ subsidyTo: z.enum(['resettled-persons', 'collective']).optional() });

export const instructBody = z.strictObject({
  instalment: z.int({ error: '支付批次须为正整数' }).min(1, { error: '支付批次须为正整数' }).max(99),
  subsidyTo: z.enum(['resettled-persons', 'collective'], { error: 'subsidyTo 须为 resettled-persons（支付给安置人员）或 collective（村集体统一安置）' }),
  accounts: z.array(z.strictObject({ payeeGroup, ...accountBody.shape })).min(1, { error: '须提供收款方的银行账户' }).max(60),
});

const payeeGroupResponse = z.string();
const paymentStatus = z.enum(['instructed', 'sent', 'confirmed', 'rejected', 'unknown']);
/** A payment as shown: the account masked, never the vault's reference. */
export const paymentResponse = z.strictObject({
  paymentId: z.string(),
  agreementId: z.string(),
  agreementNumber: z.string(),
  householdId: z.string(),
  projectId: z.string(),
  payeeGroup: payeeGroupResponse,
  memberId: z.string().optional(),
  instalment: z.int().positive(),
  subsidyTo: z.enum(['resettled-persons', 'collective']).optional(),
  fund,
  amountFen: z.int().positive(),
  payee: z.strictObject({ accountName: z.string(), bankName: z.string(), accountMasked: z.string().regex(/^\d{0,4}\*+\d{4}$/) }),
  basis: z.array(z.strictObject({ kind: z.string(), itemId: z.string(), amountFen: z.int() })),
  status: paymentStatus,
  correction: z.int().nonnegative(),
  corrects: z.string().optional(),
  correctedBy: z.string().optional(),
  instructedBy: identityResponse,
  instructedAt: utcInstant,
  sentAt: utcInstant.optional(),
  confirmation: z.strictObject({ bankReference: z.string(), settledAt: utcInstant }).optional(),
  rejection: z.strictObject({ reason: z.string(), at: utcInstant }).optional(),
  unknownSince: utcInstant.optional(),
  history: z.array(z.strictObject({ status: paymentStatus, at: utcInstant })),
});
const receivableResponse = z.strictObject({ payeeGroup: payeeGroupResponse, amountFen: z.int().positive(), reason: z.string() });
export const householdPaymentStatusResponse = z.strictObject({
  householdId: z.string(),
  projectId: z.string(),
  agreementId: z.string(),
  agreementNumber: z.string(),
  dueFen: z.int(),
  paidFen: z.int(),
  inFlightFen: z.int(),
  outstandingFen: z.int(),
  paidInFullAt: utcInstant.optional(),
  rejectedGroups: z.array(z.string()),
  updatedAt: utcInstant,
});
export const instructResponse = z.strictObject({
  agreementId: z.string(),
  instalment: z.int().positive(),
  payments: z.array(paymentResponse),
  receivables: z.array(receivableResponse),
  status: householdPaymentStatusResponse.optional(),
});
export const correctionResponse = z.strictObject({ correction: paymentResponse, corrects: paymentResponse });
export const restartResponse = z.strictObject({ paymentId: z.string(), status: z.enum(['instructed', 'sent', 'unknown']), restartedAt: utcInstant });
const payoutPlanResponse = z.strictObject({
  agreementId: z.string(),
  payouts: z.array(
    z.strictObject({ payeeGroup: payeeGroupResponse, fund, amountFen: z.int().positive(), basis: z.array(z.strictObject({ kind: z.string(), itemId: z.string(), amountFen: z.int() })), memberId: z.string().optional() }),
  ),
  receivables: z.array(receivableResponse),
  paysOutFen: z.int(),
});
const paymentClockResponse = z.strictObject({
  agreementId: z.string(),
  dueAt: utcInstant,
  state: z.enum(['open', 'met', 'met-late', 'overdue']),
  dueFen: z.int(),
  paidFen: z.int(),
  outstandingFen: z.int(),
  inFlightFen: z.int(),
  paidInFullAt: utcInstant.optional(),
  partlyPaid: z.boolean(),
  countsAgainst: z.array(z.strictObject({ agency: z.string(), jurisdiction: z.string(), reason: z.string() })),
});
export const householdPaymentsResponse = z.strictObject({
  householdId: z.string(),
  agreement: z.strictObject({ agreementId: z.string(), number: z.string(), kind: z.enum(['original', 'supplementary']), status: z.enum(['signed', 'superseded']), totalFen: z.int(), signedAt: utcInstant }),
  plan: payoutPlanResponse.optional(),
  payments: z.array(paymentResponse),
  receivables: z.array(receivableResponse),
  status: householdPaymentStatusResponse.optional(),
  clock: paymentClockResponse.optional(),
  /** The 3-month clock as recorded; `dueBeijing` is its due instant in Beijing time. */
  deadline: deadlineWatchResponse.extend({ dueBeijing: beijingInstant }).optional(),
});
export const callbackResponse = z.strictObject({ recorded: z.literal(true) });

export const routes = defineRoutes({
  voucherUpload: { method: 'POST', path: '/projects/{projectId}/account/uploads', service: 'payments', summary: '申请上传银行回单扫描件（市城投集团、市经投集团缴存征地补偿资金，或市财政局登记社会保障补贴资金的凭证）', action: 'account.deposit', auth: 'jwt', params: projectParams, body: voucherUploadBody, successStatus: 201, response: uploadResponse },
  deposit: { method: 'POST', path: '/projects/{projectId}/account/deposits', service: 'payments', summary: '登记资金缴存专户：征地补偿资金由市城投、经投集团缴存，社会保障补贴资金由市财政局登记（附已核验的银行回单；市财政局另一经办人确认到账后计入余额）', action: 'account.deposit', auth: 'jwt', params: projectParams, body: depositBody, successStatus: 201, response: depositRecordedResponse },
  confirm: { method: 'POST', path: '/projects/{projectId}/account/deposits/{depositId}/confirm', service: 'payments', summary: '市财政局确认专户资金到账（登记人不能确认）', action: 'account.confirm', auth: 'jwt', params: depositParams, response: confirmResponse },
  reverse: { method: 'POST', path: '/projects/{projectId}/account/deposits/{depositId}/reversal', service: 'payments', summary: '市财政局冲销专户存入记录（连同其确认）或只冲销到账确认：另记冲销分录、不改原分录；已占用于支付的资金不能冲回', action: 'account.reverse', auth: 'jwt', params: depositParams, body: reversalBody, successStatus: 201, response: reverseResponse },
  instruct: { method: 'POST', path: '/households/{householdId}/payments', service: 'payments', summary: '市财政局下达被征收户征地补偿款支付指令（每个收款方一笔；专户资金须足额，否则拒绝并提醒；银行账号加密保存、只显示脱敏号）', action: 'payment.instruct', auth: 'jwt', params: householdParams, body: instructBody, successStatus: 201, response: instructResponse },
  restart: { method: 'POST', path: '/payments/{paymentId}/workflow', service: 'payments', summary: '重新启动无人跟进的支付流程（启动丢失或流程异常中止后）：按记录先查询银行、不重复支付；已入账或已退回的支付不能重启', action: 'payment.instruct', auth: 'jwt', params: paymentParams, successStatus: 202, response: restartResponse },
  correct: { method: 'POST', path: '/payments/{paymentId}/correction', service: 'payments', summary: '银行退票后更正支付：按更正后的收款账户另行支付（新的幂等键，与被退回的支付互相关联）', action: 'payment.instruct', auth: 'jwt', params: paymentParams, body: accountBody, successStatus: 201, response: correctionResponse },
  householdPayments: { method: 'GET', path: '/households/{householdId}/payments', service: 'payments', summary: '查看被征收户的支付：应付方案（下达前可按 subsidyTo 预览）、各笔支付（脱敏账号、状态与历史）、应收回款项、支付状态与3个月支付期限', action: 'payment.read', auth: 'jwt', params: householdParams, query: householdPaymentsQuery, response: householdPaymentsResponse },
  bankCallback: { method: 'POST', path: '/bank/callbacks', service: 'payments', summary: '银行回调通知（付款入账或退票）：不用单位令牌，以 HMAC-SHA256 签名、时间戳与一次性随机数认证（docs/bank-protocol.md）', auth: 'none', body: bankCallbackSchema, response: callbackResponse },
  reconcile: { method: 'GET', path: '/projects/{projectId}/account/reconciliation', service: 'payments', summary: '专户对账：各项资金的余额与按全部分录重新计算的结果逐项核对（读取全部分录，按需执行）', action: 'account.read', auth: 'jwt', params: projectParams, response: reconciliationResponse },
  read: { method: 'GET', path: '/projects/{projectId}/account', service: 'payments', summary: '查看征地拆迁专户：各项资金余额、待确认存入及最近分录（新在前）', action: 'account.read', auth: 'jwt', params: projectParams, query: accountQuery, response: accountResponse },
});
