import { SFNClient } from '@aws-sdk/client-sfn';

/** The Step Functions client (endpoint from `AWS_ENDPOINT_URL_SFN` when set, as in the local cloud). */
export const sfnClient = (): SFNClient => new SFNClient({});
