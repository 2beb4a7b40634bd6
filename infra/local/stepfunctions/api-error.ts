/**
 * An error of the Step Functions API; `name` is the AWS error code (`ExecutionDoesNotExist`, …),
 * which the HTTP layer sends as `__type` so the SDK throws the matching exception class.
 */
export class StepFunctionsApiError extends Error {
  constructor(code: string, message: string) {
    super(message);
    this.name = code;
  }
}
