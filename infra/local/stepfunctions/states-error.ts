/**
 * An error as Step Functions sees it: `name` is the ASL error name matched by Retry/Catch
 * ErrorEquals, `message` is the Cause.
 */
export class StatesError extends Error {
  constructor(name: string, cause: string) {
    super(cause);
    this.name = name;
  }
}

/** Failures of the engine's own data handling; AWS never retries or catches these. */
export function runtimeError(cause: string): StatesError {
  return new StatesError('States.Runtime', cause);
}
