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
  | 'rule';

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

const STATUS: Readonly<Record<ErrorCategory, number>> = {
  validation: 400,
  unauthenticated: 401,
  forbidden: 403,
  'not-found': 404,
  conflict: 409,
  'too-large': 413,
  'media-type': 415,
  rule: 422,
};

/** The HTTP status for an error; anything that is not a DomainError is a 500. */
export function httpStatusOf(error: unknown): number {
  return error instanceof DomainError ? STATUS[error.category] : 500;
}
