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

/** AWS's limit on a state's or task's input and output: 256 KiB of UTF-8 JSON text. */
export const PAYLOAD_LIMIT_BYTES = 262_144;

/** `what` is the state name, or for a task result the resource (`lambda`, a function ARN), as AWS words it. */
export function dataLimitError(what: string): StatesError {
  return new StatesError(
    'States.DataLimitExceeded',
    `The state/task '${what}' returned a result with a size exceeding the maximum number of bytes service limit.`,
  );
}
