import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/**
 * The DynamoDB document client, built once per cold start. One module per AWS client so that a
 * function bundles (and loads) only the clients it uses. Endpoints come from the SDK's standard
 * settings (`AWS_ENDPOINT_URL_<SERVICE>`), so the same bundle talks to AWS or to the local cloud.
 */
export function documentClient(): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(new DynamoDBClient({}), {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });
}
