import * as z from 'zod';
import { day, identityResponse, utcInstant } from '../../shared/http/response-schemas.ts';
import { idParam, instant, text } from '../../shared/http/schemas.ts';
import { QUANTITY_SCALE } from './domain/household.ts';
import { UPLOAD_PURPOSES } from './domain/uploads.ts';

/** Request and response shapes of households, surveys, checks and disputes (routes in schemas.ts). */

export const householdParams = z.strictObject({ householdId: idParam });
export const houseParams = z.strictObject({ householdId: idParam, itemId: text(40) });
export const checkParams = z.strictObject({ householdId: idParam, memberId: text(40), kind: z.enum(['hukou', 'military'], { error: 'kind 须为 hukou（户籍）或 military（军人）' }) });
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

export const uploadIdsBody = z.strictObject({ uploadIds: z.array(idParam).min(1, { error: '须附有已上传的证据' }).max(50) });
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

const evidenceRecord = z.strictObject({
  key: z.string(),
  sha256: z.string(),
  size: z.int(),
  contentType: z.string(),
  versionId: z.string().optional(),
  uploadedBy: identityResponse,
  verifiedAt: utcInstant,
});

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
  confirmation: z.strictObject({ evidence: evidenceRecord, confirmedBy: identityResponse, confirmedAt: utcInstant }).optional(),
  evidence: z.array(evidenceRecord),
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

export const uploadResponse = z.strictObject({
  uploadId: z.string(),
  url: z.url(),
  method: z.literal('PUT'),
  headers: z.record(z.string(), z.string()),
  expiresAt: utcInstant,
});

export const householdListQuery = z.strictObject({
  villageGroupId: text(20).optional(),
  state: z.enum(['surveying', 'confirmed', 'disputed', 'signed']).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  cursor: z.string().regex(/^[A-Za-z0-9_.-]{1,2048}$/, { error: 'cursor 无效' }).optional(),
});
