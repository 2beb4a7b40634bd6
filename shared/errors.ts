/**
 * Domain errors. Each carries a machine-readable `code`, a Chinese message an agency clerk
 * understands, and a category; the HTTP layer maps the category to a status in one table.
 */
export type ErrorCategory =
  | 'validation'
  | 'unauthenticated'
  | 'forbidden'
  | 'not-found'
  | 'conflict'
  | 'too-large'
  | 'media-type'
  | 'rule'
  | 'unavailable';

export class DomainError extends Error {
  readonly code: string;
  readonly details: Record<string, unknown> | undefined;
  readonly category: ErrorCategory;

  constructor(code: string, message: string, details?: Record<string, unknown>, category: ErrorCategory = 'validation') {
    super(message);
    this.name = new.target.name;
    this.code = code;
    this.details = details;
    this.category = category;
  }
}

type Args = [code: string, message: string, details?: Record<string, unknown>];

/** The request is malformed: wrong types, unknown or missing fields, bad JSON. */
export class ValidationError extends DomainError {
  constructor(...[code, message, details]: Args) {
    super(code, message, details, 'validation');
  }
}
/** No identity, or one the server cannot use. */
export class UnauthenticatedError extends DomainError {
  constructor(...[code, message, details]: Args) {
    super(code, message, details, 'unauthenticated');
  }
}
/** A valid identity acting outside its agency's duties or its jurisdiction. */
export class ForbiddenError extends DomainError {
  constructor(...[code, message, details]: Args) {
    super(code, message, details, 'forbidden');
  }
}
/** The target does not exist (or is not visible to the caller). */
export class NotFoundError extends DomainError {
  constructor(...[code, message, details]: Args) {
    super(code, message, details, 'not-found');
  }
}
/** A state conflict: illegal transition, a duplicate, a concurrent change. */
export class ConflictError extends DomainError {
  constructor(...[code, message, details]: Args) {
    super(code, message, details, 'conflict');
  }
}
/** A legal rule forbids the step now (a window closed, a waiting period still running). */
export class RuleViolationError extends DomainError {
  constructor(...[code, message, details]: Args) {
    super(code, message, details, 'rule');
  }
}
/** The body is larger than the API accepts. */
export class PayloadTooLargeError extends DomainError {
  constructor(...[code, message, details]: Args) {
    super(code, message, details, 'too-large');
  }
}
/** The body is not JSON. */
export class UnsupportedMediaTypeError extends DomainError {
  constructor(...[code, message, details]: Args) {
    super(code, message, details, 'media-type');
  }
}

/** A service the request depends on (DynamoDB, S3, Step Functions, KMS…) is out or throttling: retry later. */
export class DependencyUnavailableError extends DomainError {
  constructor(...[code, message, details]: Args) {
    super(code, message, details, 'unavailable');
  }
}

const STATUS: Readonly<Record<ErrorCategory, number>> = {
  validation: 400,
  unauthenticated: 401,
  forbidden: 403,
  'not-found': 404,
  conflict: 409,
  'too-large': 413,
  'media-type': 415,
  rule: 422,
  unavailable: 503,
};

/** Seconds a client should wait before retrying after a 503. */
export const RETRY_AFTER_SECONDS = 5;

export const DEPENDENCY_UNAVAILABLE_MESSAGE = '系统依赖的服务暂时不可用，请稍后重试';
export const OUTCOME_UNKNOWN_MESSAGE = '系统依赖的服务在处理中途中断，本次操作是否已生效无法确定：请先查询确认，再决定是否重新提交';

// Failures that happen before a request reaches the dependency, or that the dependency refused
// without acting (rate limits): the operation certainly did not happen, so retrying is safe.
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);
const REFUSED_NAMES = new Set(['ThrottlingException', 'Throttling', 'ThrottledException', 'TooManyRequestsException', 'RequestLimitExceeded', 'ProvisionedThroughputExceededException', 'SlowDown']);

/**
 * For an outage: whether the failed operation certainly did not happen (connection refused, rate
 * limited). A timeout, a reset or a 5xx may come after a write committed — its outcome is unknown.
 */
export function outageLeftNothingDone(error: unknown, depth = 0): boolean {
  if (!error || typeof error !== 'object' || depth > 3) return false;
  const e = error as { name?: unknown; code?: unknown; $metadata?: { httpStatusCode?: unknown }; $retryable?: { throttling?: unknown }; CancellationReasons?: Array<{ Code?: unknown }>; errors?: unknown; cause?: unknown };
  if (typeof e.code === 'string' && NOT_SENT_CODES.has(e.code)) return true;
  if (typeof e.name === 'string' && REFUSED_NAMES.has(e.name)) return true;
  if (e.$metadata?.httpStatusCode === 429 || e.$retryable?.throttling === true) return true;
  // A cancelled transaction wrote nothing, whatever cancelled it.
  if (e.name === 'TransactionCanceledException') return true;
  if (Array.isArray(e.errors) && e.errors.length > 0 && e.errors.every((inner) => outageLeftNothingDone(inner, depth + 1))) return true;
  return e.cause !== undefined && outageLeftNothingDone(e.cause, depth + 1);
}

// Node socket errors: the dependency cannot be reached (or went away mid-request).
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNABORTED', 'ESOCKETTIMEDOUT', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_SOCKET']);
// AWS error names (all services) that mean "transient, on AWS's side or rate-limited": never the caller's fault.
const OUTAGE_NAMES = new Set([
  'TimeoutError',
  'AbortError',
  'RequestTimeout',
  'RequestTimeoutException',
  'ThrottlingException',
  'Throttling',
  'ThrottledException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'ProvisionedThroughputExceededException',
  'SlowDown',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'InternalServerError',
  'InternalServerErrorException',
  'InternalFailure',
  'InternalError',
  'KMSInternalException',
  'KeyUnavailableException',
  'DependencyTimeoutException',
]);
// DynamoDB transactions report throttling per item inside a cancellation.
const TRANSIENT_CANCELLATIONS = new Set(['ThrottlingError', 'ProvisionedThroughputExceeded']);

/**
 * Whether an error means a dependency is unavailable (network failure, timeout, throttling, an AWS
 * 5xx) rather than a bug: the one place this is decided, so such failures answer 503, never 500.
 */
export function isDependencyOutage(error: unknown, depth = 0): boolean {
  if (!error || typeof error !== 'object' || depth > 3 || error instanceof DomainError) return false;
  const e = error as { name?: unknown; code?: unknown; $fault?: unknown; $metadata?: { httpStatusCode?: unknown }; $retryable?: { throttling?: unknown }; CancellationReasons?: Array<{ Code?: unknown }>; errors?: unknown; cause?: unknown };
  if (typeof e.code === 'string' && NETWORK_CODES.has(e.code)) return true;
  if (typeof e.name === 'string' && OUTAGE_NAMES.has(e.name)) return true;
  const status = e.$metadata?.httpStatusCode;
  if (typeof status === 'number' && (status >= 500 || status === 429)) return true;
  if (e.$fault === 'server' || e.$retryable?.throttling === true) return true;
  if (e.name === 'TransactionCanceledException' && e.CancellationReasons?.some((r) => typeof r.Code === 'string' && TRANSIENT_CANCELLATIONS.has(r.Code))) return true;
  // Node wraps happy-eyeballs connection failures in an AggregateError; the SDK sometimes sets a cause.
  if (Array.isArray(e.errors) && e.errors.some((inner) => isDependencyOutage(inner, depth + 1))) return true;
  return e.cause !== undefined && isDependencyOutage(e.cause, depth + 1);
}

/** The HTTP status for an error: a dependency outage is a 503, anything else not a DomainError a 500. */
export function httpStatusOf(error: unknown): number {
  if (error instanceof DomainError) return STATUS[error.category];
  return isDependencyOutage(error) ? 503 : 500;
}
