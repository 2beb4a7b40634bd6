import { KMSClient } from '@aws-sdk/client-kms';

/** The KMS client (endpoint from `AWS_ENDPOINT_URL_KMS` when set, as in the local cloud). */
export const kmsClient = (): KMSClient => new KMSClient({});
