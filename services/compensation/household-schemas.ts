import * as z from 'zod';
import { beijingInstant, day, deadlineWatchResponse, evidenceRecordResponse, identityResponse, timelineStepResponse, uploadSlotResponse, utcInstant } from '../../shared/http/response-schemas.ts';
import { idParam, instant, text } from '../../shared/http/schemas.ts';
import { QUANTITY_SCALE } from './domain/household.ts';
import { UPLOAD_PURPOSES } from './domain/uploads.ts';

/** Request and response shapes of households, surveys, checks and disputes (routes in schemas.ts). */

export const householdParams = z.strictObject({ householdId: idParam });
export const houseParams = z.strictObject({ householdId: idParam, itemId: text(40) });
export const checkParams = z.strictObject({ householdId: idParam, memberId: text(40), kind: z.enum(['hukou', 'military'], { error: 'kind 须为 hukou（户籍）或 military（军人）' }) });
export const agreementParams = z.strictObject({ householdId: idParam, agreementId: idParam });
export const disputeParams = z.strictObject({ householdId: idParam, disputeId: idParam });

/** An exact decimal as a string, so no binary float ever carries a quantity. */
export const decimal = z
  .string({ error: `数量须为字符串形式的十进制数（如 "1.25"），最多 ${QUANTITY_SCALE} 位小数` })
  .regex(new RegExp(`^(0|[1-9]\\d{0,11})(\\.\\d{1,${QUANTITY_SCALE}})?$`), { error: `数量须为非负十进制数，最多 ${QUANTITY_SCALE} 位小数（如 "1.25"）` });
const localDate = z.iso.date({ error: '日期格式须为 YYYY-MM-DD' });
const itemId = z.string().regex(/^[0-9A-Za-z_-]{1,40}$/, { error: 'itemId 须为 1–40 位字母、数字、下划线或连字符' });

const dated = { itemId, cameIntoBeingOn: localDate.optional() };

export const surveyItemsBody = z.strictObject({
  parcels: z.array(z.strictObject({ ...dated, parcelNumber: text(50), landClass: text(50), areaMu: decimal })).max(200),
  crops: z.array(z.strictObject({ ...dated, crop: text(50), areaMu: decimal })).max(200),
  attachments: z.array(z.strictObject({ ...dated, item: text(100), unit: text(20), quantity: decimal })).max(500),
  houses: z.array(z.strictObject({ ...dated, structure: text(50), floorAreaSquareMetres: decimal, storeys: z.int().min(1).max(100) })).max(100),
});

export const memberBody = z.strictObject({
  name: text(50),
  relation: text(20),
  idNumber: z.string().trim().min(15).max(18),
  dateOfBirth: localDate,
  military: z.enum(['serving', 'retired']).optional(),
});

export const createHouseholdBody = z.strictObject({
  villageGroupId: text(20),
  householdNumber: z.string().trim().regex(/^[0-9A-Za-z-]{1,20}$/, { error: '户编号须为 1–20 位字母、数字或连字符' }),
  headName: text(50),
  members: z.array(memberBody).min(1, { error: '被征收户至少有一名成员' }).max(30),
  registrationIds: z.array(idParam).max(50).default([]),
});

export const uploadBody = z.strictObject({
  purpose: z.enum(Object.keys(UPLOAD_PURPOSES) as [keyof typeof UPLOAD_PURPOSES, ...Array<keyof typeof UPLOAD_PURPOSES>]),
  contentType: text(100),
  fileName: text(200),
  size: z.int().positive(),
  sha256: z.string().regex(/^[0-9a-fA-F]{64}$/, { error: 'sha256 须为文件 SHA-256 的 64 位十六进制值' }),
});

export const surveyEvidenceBody = z.strictObject({
  purpose: z.enum(['house-film', 'survey-photo'], { error: 'purpose 须为 house-film（房屋影像）或 survey-photo（青苗、附着物影像）' }),
  uploadIds: z.array(idParam).min(1, { error: '须附有已上传的证据' }).max(50),
});
export const confirmSurveyBody = z.strictObject({ uploadId: idParam, confirmedAt: instant.optional() });
export const legalityBody = z.strictObject({
  legality: z.enum(['legal', 'illegal'], { error: 'legality 须为 legal（合法）或 illegal（违法建筑）' }),
  reference: text(100),
  reasons: text(2000).optional(),
});
export const checkBody = z.strictObject({ passed: z.boolean(), note: text(1000) });
export const disputeBody = z.strictObject({ grounds: text(2000) });
export const resolveDisputeBody = z.strictObject({ outcome: z.enum(['resurveyed', 'upheld'], { error: 'outcome 须为 resurveyed（重新调查）或 upheld（维持调查结果）' }), reasons: text(2000) });

// ---- responses ----


const determination = z.strictObject({ legality: z.enum(['legal', 'illegal']), reference: z.string(), reasons: z.string().optional(), by: identityResponse, at: utcInstant });

export const surveyResponse = z.strictObject({
  parcels: z.array(z.strictObject({ itemId: z.string(), cameIntoBeingOn: day.optional(), parcelNumber: z.string(), landClass: z.string(), areaMu: z.string() })),
  crops: z.array(z.strictObject({ itemId: z.string(), cameIntoBeingOn: day.optional(), crop: z.string(), areaMu: z.string() })),
  attachments: z.array(z.strictObject({ itemId: z.string(), cameIntoBeingOn: day.optional(), item: z.string(), unit: z.string(), quantity: z.string() })),
  houses: z.array(
    z.strictObject({
      itemId: z.string(),
      cameIntoBeingOn: day.optional(),
      structure: z.string(),
      floorAreaSquareMetres: z.string(),
      storeys: z.int(),
      legality: z.enum(['legal', 'illegal', 'pending']),
      determination: determination.optional(),
    }),
  ),
  status: z.enum(['draft', 'confirmed']),
  surveyedBy: identityResponse,
  surveyedAt: utcInstant,
  confirmation: z.strictObject({ evidence: evidenceRecordResponse, confirmedBy: identityResponse, confirmedAt: utcInstant }).optional(),
  evidence: z.array(evidenceRecordResponse),
  revision: z.int(),
});

export const householdResponse = z.strictObject({
  householdId: z.string(),
  projectId: z.string(),
  villageGroupId: z.string(),
  householdNumber: z.string(),
  headName: z.string(),
  members: z.array(
    z.strictObject({ memberId: z.string(), name: z.string(), relation: z.string(), idNumberMasked: z.string(), dateOfBirth: day, military: z.enum(['serving', 'retired']).optional() }),
  ),
  registrationIds: z.array(z.string()),
  survey: surveyResponse.optional(),
  checks: z.array(
    z.strictObject({
      kind: z.enum(['hukou', 'military']),
      memberId: z.string(),
      agency: z.enum(['public-security', 'civil-affairs']),
      status: z.enum(['pending', 'passed', 'failed']),
      result: z.strictObject({ passed: z.boolean(), note: z.string(), by: identityResponse, at: utcInstant }).optional(),
    }),
  ),
  disputes: z.array(
    z.strictObject({
      disputeId: z.string(),
      raisedAt: utcInstant,
      recordedBy: identityResponse,
      grounds: z.string(),
      status: z.enum(['open', 'resurveyed', 'upheld']),
      resolution: z.strictObject({ outcome: z.enum(['resurveyed', 'upheld']), reasons: z.string(), by: identityResponse, at: utcInstant }).optional(),
    }),
  ),
  state: z.enum(['surveying', 'confirmed', 'disputed', 'signed']),
  agreementInForce: z.string().optional(),
  importFingerprint: z.string().optional(),
  createdAt: utcInstant,
  createdBy: identityResponse,
});

export const uploadResponse = uploadSlotResponse;

export const householdListQuery = z.strictObject({
  villageGroupId: text(20).optional(),
  state: z.enum(['surveying', 'confirmed', 'disputed', 'signed']).optional(),
  /**
   * A name, or what a masked ID number shows. Five or more digits in a row can only be part of a
   * clear ID number, which is never searched (nor written to the audit trail): refused.
   */
  q: z
    .string()
    .trim()
    .min(1, { error: '搜索内容不能为空' })
    .max(50, { error: '搜索内容不能超过 50 个字符' })
    .refine((q) => !/[0-9０-９xXｘＸ]{5,}/.test(q), { error: '身份证号只能按脱敏号码或后4位查找，请勿输入完整的身份证号' })
    .optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  cursor: z.string().regex(/^[A-Za-z0-9_.-]{1,2048}$/, { error: 'cursor 无效' }).optional(),
});

// ---- compensation, agreements, resettlement lists, disclosures, imports ----

const payee = z.enum(['collective', 'resettled-person', 'owner', 'social-security-fund']);
export const compensationLine = z.strictObject({
  kind: z.enum(['land-compensation', 'resettlement-subsidy', 'crop', 'attachment', 'house', 'social-security', 'swap-house-price', 'swap-difference']),
  itemId: z.string(),
  description: z.string(),
  quantity: z.string(),
  unit: z.string(),
  rateFen: z.int(),
  amountFen: z.int(),
  clause: z.string(),
  payee,
  zeroReason: z.string().optional(),
});

export const compensationResponse = z.strictObject({
  householdId: z.string(),
  projectId: z.string(),
  surveyRevision: z.int(),
  standardLockedAt: utcInstant,
  lines: z.array(compensationLine),
  totalFen: z.int(),
  blockers: z.array(z.string()),
  final: z.boolean(),
  computedAt: utcInstant,
});

const agreementMode = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('cash'), optionId: text(20) }),
  z.strictObject({ kind: z.literal('swap'), optionId: text(20), houseAreaSquareMetres: decimal }),
]);

export const draftAgreementBody = z.strictObject({
  mode: agreementMode,
  supplements: idParam.optional(),
  reason: text(2000).optional(),
});

export const signAgreementBody = z.strictObject({
  uploadId: idParam,
  place: text(200),
  documentSha256: z.string().regex(/^[0-9a-fA-F]{64}$/, { error: 'documentSha256 须为所签协议文本的 SHA-256（64 位十六进制）' }),
  /** When it was signed in the village (default: now); the 3-month payment clock runs from it. */
  signedAt: instant.optional(),
});

export const agreementResponse = z.strictObject({
  agreementId: z.string(),
  householdId: z.string(),
  projectId: z.string(),
  number: z.string(),
  kind: z.enum(['original', 'supplementary']),
  supplements: z.string().optional(),
  reason: z.string().optional(),
  mode: agreementMode,
  lines: z.array(compensationLine),
  totalFen: z.int(),
  amountsByPayee: z.array(z.strictObject({ payee, amountFen: z.int() })),
  swap: z
    .strictObject({ compensationFen: z.int(), housePriceFen: z.int(), differenceFen: z.int(), direction: z.enum(['household-receives', 'household-pays', 'even']), explanation: z.string() })
    .optional(),
  paymentTerms: z.string(),
  surveyRevision: z.int(),
  standardLockedAt: utcInstant,
  computedAt: utcInstant,
  status: z.enum(['drafted', 'signed', 'superseded']),
  documentSha256: z.string().optional(),
  signed: z.strictObject({ by: identityResponse, at: utcInstant, place: z.string(), evidence: evidenceRecordResponse }).optional(),
  supersededBy: z.string().optional(),
  draftedBy: identityResponse,
  draftedAt: utcInstant,
  documentUrl: z.url().optional(),
});

const storedDocument = z.strictObject({ key: z.string(), sha256: z.string(), size: z.int(), contentType: z.string(), versionId: z.string().optional() });

export const draftAgreementResponse = z.strictObject({ agreement: agreementResponse, document: storedDocument.extend({ url: z.url() }) });

export const groupParams = z.strictObject({ projectId: idParam, villageGroupId: text(20) });
export const coReviewBody = z.strictObject({ note: text(1000).optional() });
export const resettlementListResponse = z.strictObject({
  projectId: z.string(),
  villageGroupId: z.string(),
  stage: z.enum(['awaiting-co-review', 'awaiting-approval', 'approved']),
  coReview: z.strictObject({ by: identityResponse, at: utcInstant, note: z.string().optional(), householdIds: z.array(z.string()), memberIds: z.array(z.string()) }).optional(),
  approval: z
    .strictObject({
      by: identityResponse,
      at: utcInstant,
      persons: z.array(z.strictObject({ householdId: z.string(), memberId: z.string(), name: z.string(), idNumberMasked: z.string() })),
      householdIds: z.array(z.string()),
    })
    .optional(),
  approvals: z.int(),
});

export const disclosureParams = z.strictObject({ projectId: idParam, villageGroupId: text(20), disclosureId: idParam });
export const exportDisclosureBody = z.strictObject({ postingNote: text(500) });
export const postDisclosureBody = z.strictObject({ uploadIds: z.array(idParam).min(1, { error: '张贴公示必须附有照片或视频证据' }).max(20), postedAt: instant, place: text(500) });
export const disclosureResponse = z.strictObject({
  disclosureId: z.string(),
  projectId: z.string(),
  villageGroupId: z.string(),
  postingNote: z.string(),
  households: z.array(z.strictObject({ householdId: z.string(), householdNumber: z.string(), surveyRevision: z.int(), totalFen: z.int() })),
  totalFen: z.int(),
  documents: z.strictObject({ pdf: storedDocument, xlsx: storedDocument }),
  generatedBy: identityResponse,
  generatedAt: utcInstant,
  postings: z.array(z.strictObject({ postedAt: utcInstant, place: z.string(), evidence: z.array(evidenceRecordResponse), recordedBy: identityResponse, recordedAt: utcInstant })),
  urls: z.strictObject({ pdf: z.url(), xlsx: z.url() }).optional(),
});

export const startImportBody = z.strictObject({ uploadId: idParam });
export const importParams = z.strictObject({ projectId: idParam, jobId: idParam });
export const importResponse = z.strictObject({
  jobId: z.string(),
  projectId: z.string(),
  uploadId: z.string(),
  key: z.string(),
  fileName: z.string(),
  fileSha256: z.string(),
  status: z.enum(['running', 'completed', 'failed']),
  requestedBy: identityResponse,
  requestedAt: utcInstant,
  finishedAt: utcInstant.optional(),
  rowsTotal: z.int().optional(),
  rowsDone: z.int(),
  counts: z.strictObject({ households: z.int(), created: z.int(), updated: z.int(), unchanged: z.int(), rejected: z.int(), confirmedKept: z.int() }),
  errors: z.array(z.strictObject({ sheet: z.string(), row: z.int().optional(), column: z.string().optional(), code: z.string(), message: z.string(), householdNumber: z.string().optional() })),
  errorCount: z.int(),
  next: z.int(),
  chunks: z.int(),
  failure: z.string().optional(),
});

export const templateResponse = z.strictObject({ url: z.url(), sha256: z.string(), size: z.int(), fileName: z.string() });

export const householdTimelineResponse = z.strictObject({
  householdId: z.string(),
  projectId: z.string(),
  householdNumber: z.string(),
  headName: z.string(),
  state: z.enum(['surveying', 'confirmed', 'disputed', 'signed']),
  now: utcInstant,
  nowBeijing: beijingInstant,
  steps: z.array(timelineStepResponse),
});

export const signAgreementResponse = z.strictObject({ agreement: agreementResponse, payment: deadlineWatchResponse });
