import { SNSClient } from '@aws-sdk/client-sns';

/** The SNS client (endpoint from `AWS_ENDPOINT_URL_SNS` when set, as in the local cloud). */
export const snsClient = (): SNSClient => new SNSClient({});
