import { Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Validations } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { StageConfig } from '../config.ts';
import { accessLogBucket } from '../constructs/access-log-bucket.ts';

/** Named so that the functions' permissions read as what they are (and need no cross-stack token). */
export const evidenceBucketName = (stage: string, account: string, region: string) => `land-exprop-evidence-${stage}-${account}-${region}`;

/** The sparse cross-case index both tables carry. */
const GSI1: dynamodb.GlobalSecondaryIndexProps = {
  indexName: 'gsi1',
  partitionKey: { name: 'gsi1pk', type: dynamodb.AttributeType.STRING },
  sortKey: { name: 'gsi1sk', type: dynamodb.AttributeType.STRING },
};

/**
 * Everything stateful: the case and audit tables, the evidence bucket, the keys, the alerts and
 * operations topics. Kept apart from the functions so a redeploy of code never touches data.
 */
export class DataStack extends Stack {
  readonly cases: dynamodb.Table;
  readonly audit: dynamodb.Table;
  readonly evidence: s3.Bucket;
  readonly alerts: sns.Topic;
  /** Operators' alarms: apart from the agencies' alerts, since alarm actions cannot set attributes to filter on. */
  readonly operations: sns.Topic;
  /** The case and audit tables' key (construct id `DataKey` kept: its logical id is pinned). */
  readonly tablesKey: kms.Key;
  readonly evidenceKey: kms.Key;
  /** The alerts and operations topics and the failed-invocation queue: messages to people. */
  readonly alertsKey: kms.Key;
  readonly piiKey: kms.Key;
  /** Assumable with MFA by `config.breakGlassPrincipal` only; the one role that can decrypt ID numbers. */
  readonly breakGlass: iam.Role | undefined;
  readonly piiMacKey: kms.Key;
  readonly cursorKey: kms.Key;
  /** Payee bank account numbers: the payments API encrypts them, the payment worker alone decrypts (to instruct the bank). */
  readonly bankAccountKey: kms.Key;

  /** `consoleOrigin`: the console distribution's https origin, admitted by the evidence bucket's CORS beside `config.consoleOrigins`. */
  constructor(scope: Construct, id: string, props: StackProps & { config: StageConfig; consoleOrigin: string }) {
    super(scope, id, props);
    const { config } = props;
    const consoleOrigins = [...config.consoleOrigins, props.consoleOrigin];

    // ---- keys: one per purpose, so a grant on one never reaches another's data ----
    this.tablesKey = new kms.Key(this, 'DataKey', {
      description: 'Encrypts the case and audit tables',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.evidenceKey = new kms.Key(this, 'EvidenceKey', {
      description: 'Encrypts the evidence bucket',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.alertsKey = new kms.Key(this, 'AlertsKey', {
      description: 'Encrypts the alerts and operations topics and the failed-invocation queue',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // CloudWatch alarm actions publish to the operations topic and EventBridge moves undeliverable
    // reconcile events to the queue; both services encrypt with this key on their own behalf.
    this.alertsKey.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AlarmsAndUndeliveredEvents',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com'), new iam.ServicePrincipal('events.amazonaws.com')],
        actions: ['kms:GenerateDataKey*', 'kms:Decrypt'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': this.account } },
      }),
    );

    this.breakGlass = config.breakGlassPrincipal
      ? new iam.Role(this, 'PiiBreakGlass', {
          description: 'Break-glass: reveals personal ID numbers (kms:Decrypt on the PII key); MFA required; every use is in CloudTrail',
          assumedBy: new iam.ArnPrincipal(config.breakGlassPrincipal).withConditions({ Bool: { 'aws:MultiFactorAuthPresent': 'true' } }),
          maxSessionDuration: Duration.hours(1),
        })
      : undefined;
    this.piiKey = new kms.Key(this, 'PiiKey', {
      description: 'Per-field encryption of personal ID numbers',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
      policy: piiKeyPolicy(this.breakGlass),
    });
    this.piiMacKey = new kms.Key(this, 'PiiMacKey', {
      description: 'Keyed hash (HMAC) of personal ID numbers for look-ups',
      keySpec: kms.KeySpec.HMAC_256,
      keyUsage: kms.KeyUsage.GENERATE_VERIFY_MAC,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.piiMacKey).acknowledge({
      id: 'AwsSolutions-KMS5',
      reason: 'HMAC keys cannot be rotated automatically by KMS; rotating would change every stored look-up hash.',
    });
    // Not the PII key: its policy lets only the break-glass role decrypt, and paying needs the clear number.
    this.bankAccountKey = new kms.Key(this, 'BankAccountKey', {
      description: 'Per-field encryption of payee bank account numbers (decrypted only to instruct the bank)',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.cursorKey = new kms.Key(this, 'CursorKey', {
      description: 'Derives the secret that signs paging cursors (tamper-evident cursors)',
      keySpec: kms.KeySpec.HMAC_256,
      keyUsage: kms.KeyUsage.GENERATE_VERIFY_MAC,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.cursorKey).acknowledge({
      id: 'AwsSolutions-KMS5',
      reason: 'HMAC keys cannot be rotated automatically by KMS; replacing this key only invalidates open paging cursors (clients start the list again).',
    });

    // Single-table design: pk = case (PROJECT#id, later HOUSEHOLD#id …), sk = record kind; the
    // sparse gsi1 serves cross-case lists (live deadlines, agency inboxes, overdue records).
    this.cases = new dynamodb.Table(this, 'Cases', {
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'sk', type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: this.tablesKey,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
      // Short-lived records only (bank callback nonces); case records never carry it.
      timeToLiveAttribute: 'expiresAt',
    });
    this.cases.addGlobalSecondaryIndex(GSI1);

    // Append-only: the resource policy denies changing or removing an entry, whoever asks, and
    // keeps the table as deployed (decision 0012): no TTL (its deletions bypass the policy), no
    // switching off deletion protection or PITR, no new policy — except through CloudFormation.
    this.audit = new dynamodb.Table(this, 'Audit', {
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'sk', type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: this.tablesKey,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
      resourcePolicy: new iam.PolicyDocument({
        statements: [
          new iam.PolicyStatement({
            sid: 'AuditIsAppendOnly',
            effect: iam.Effect.DENY,
            principals: [new iam.AnyPrincipal()],
            actions: ['dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem', 'dynamodb:PartiQLUpdate', 'dynamodb:PartiQLDelete'],
            resources: ['*'],
          }),
          new iam.PolicyStatement({
            sid: 'AuditTableChangesOnlyByDeployment',
            effect: iam.Effect.DENY,
            principals: [new iam.AnyPrincipal()],
            actions: AUDIT_TABLE_DEPLOYMENT_ONLY_ACTIONS,
            resources: ['*'],
            // CloudFormation acts as the CDK bootstrap's execution role (any qualifier); everyone
            // else — administrators and the account root included — is refused.
            conditions: { ArnNotLike: { 'aws:PrincipalArn': deploymentRoleArnPattern(this) } },
          }),
        ],
      }),
    });
    this.audit.addGlobalSecondaryIndex(GSI1);
    this.#backUpAuditTrail(config);

    const accessLogs = accessLogBucket(this, 'EvidenceAccessLogs', 'the evidence bucket');

    // Evidence holds up in court only if nobody can change it: versioned, Object Lock in
    // compliance mode, KMS-encrypted, private, TLS only.
    this.evidence = new s3.Bucket(this, 'Evidence', {
      bucketName: evidenceBucketName(config.stage, this.account, this.region),
      versioned: true,
      objectLockEnabled: true,
      objectLockDefaultRetention:
        config.evidenceRetention.mode === 'COMPLIANCE'
          ? s3.ObjectLockRetention.compliance(Duration.days(config.evidenceRetention.days))
          : s3.ObjectLockRetention.governance(Duration.days(config.evidenceRetention.days)),
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: this.evidenceKey,
      bucketKeyEnabled: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      serverAccessLogsBucket: accessLogs,
      serverAccessLogsPrefix: 'evidence/',
      removalPolicy: RemovalPolicy.RETAIN,
      // Browsers of the console PUT evidence through presigned URLs: only PUT, only the headers
      // the presigned upload signs (content-length is the browser's own), only those origins.
      cors: [
        {
          allowedOrigins: consoleOrigins,
          allowedMethods: [s3.HttpMethods.PUT],
          allowedHeaders: ['content-type', 'if-none-match', 'x-amz-checksum-sha256'],
          exposedHeaders: ['ETag', 'x-amz-version-id'],
          maxAge: 3000,
        },
      ],
    });

    this.alerts = new sns.Topic(this, 'Alerts', {
      displayName: 'Land expropriation overdue alerts',
      masterKey: this.alertsKey,
      enforceSSL: true,
    });
    this.operations = new sns.Topic(this, 'Operations', {
      displayName: 'Land expropriation operations alarms',
      masterKey: this.alertsKey,
      enforceSSL: true,
    });

    if (this.breakGlass) {
      // To reveal a number the officer must read its ciphertext: the cases table, read-only.
      this.breakGlass.addToPolicy(new iam.PolicyStatement({ actions: ['dynamodb:GetItem', 'dynamodb:Query'], resources: [this.cases.tableArn] }));
      this.breakGlass.addToPolicy(
        new iam.PolicyStatement({
          actions: ['kms:Decrypt'],
          resources: [this.tablesKey.keyArn],
          conditions: { StringEquals: { 'kms:ViaService': `dynamodb.${this.region}.${this.urlSuffix}` } },
        }),
      );
    }
  }

  /**
   * Daily AWS Backup of the audit table into a vault of its own, locked (decision 0012): recovery
   * points outlive PITR's 35 days, and in compliance mode nobody can delete them or shorten their
   * retention once the lock's grace period has passed.
   */
  #backUpAuditTrail(config: StageConfig): void {
    const retention = Duration.days(config.auditBackupRetentionDays);
    const vault = new backup.BackupVault(this, 'AuditBackupVault', {
      removalPolicy: RemovalPolicy.RETAIN,
      lockConfiguration: {
        minRetention: retention,
        // Compliance mode is the lock with a grace period (3 days, the least AWS allows) after
        // which it cannot be changed or removed; without one it is governance mode.
        ...(config.auditBackupLock === 'compliance' ? { changeableFor: Duration.days(3) } : {}),
      },
    });
    const plan = new backup.BackupPlan(this, 'AuditBackupPlan', {
      backupVault: vault,
      backupPlanRules: [
        new backup.BackupPlanRule({
          ruleName: 'DailyAuditTrail',
          // 02:00 Beijing time.
          scheduleExpression: events.Schedule.cron({ hour: '18', minute: '0' }),
          deleteAfter: retention,
        }),
      ],
    });
    const selection = plan.addSelection('AuditTable', { resources: [backup.BackupResource.fromDynamoDbTable(this.audit)], allowRestores: false });
    Validations.of(selection).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup]',
      reason: 'The AWS Backup service role of the audit table selection: AWS maintains the policy with the actions each resource type needs to be backed up; it grants no restore.',
    });
  }
}

/** What only a deployment may do to the audit table (its resource policy denies it to everyone else). */
export const AUDIT_TABLE_DEPLOYMENT_ONLY_ACTIONS = [
  'dynamodb:PutResourcePolicy',
  'dynamodb:DeleteResourcePolicy',
  'dynamodb:UpdateTimeToLive',
  'dynamodb:UpdateContinuousBackups',
  'dynamodb:UpdateTable',
  'dynamodb:DeleteTable',
];

/** The CDK bootstrap's CloudFormation execution role, whatever the qualifier; partition-agnostic. */
export function deploymentRoleArnPattern(stack: Stack): string {
  return `arn:${stack.partition}:iam::${stack.account}:role/cdk-*-cfn-exec-role-*`;
}

/** Key administration that may not use the key to decrypt (KMS has no wildcard that excludes Decrypt). */
const KEY_ADMINISTRATION = [
  'kms:CreateAlias',
  'kms:Describe*',
  'kms:Enable*',
  'kms:List*',
  'kms:Put*',
  'kms:Update*',
  'kms:Revoke*',
  'kms:Disable*',
  'kms:Get*',
  'kms:Delete*',
  'kms:TagResource',
  'kms:UntagResource',
  'kms:ScheduleKeyDeletion',
  'kms:CancelKeyDeletion',
  'kms:RotateKeyOnDemand',
];

/**
 * The PII key's policy, written out instead of CDK's default (which gives the account root — so
 * any IAM administrator — `kms:*`). The account keeps administration (CloudFormation updates the
 * key through it) and may let roles encrypt through IAM, but no grant (no kms:CreateGrant) and no
 * Decrypt: only the break-glass role decrypts, and a Deny makes sure of it whatever is added later.
 */
function piiKeyPolicy(breakGlass: iam.Role | undefined): iam.PolicyDocument {
  const root = new iam.AccountRootPrincipal();
  const statements = [
    new iam.PolicyStatement({ sid: 'KeyAdministrationWithoutUse', principals: [root], actions: KEY_ADMINISTRATION, resources: ['*'] }),
    new iam.PolicyStatement({ sid: 'EncryptThroughIamPolicies', principals: [root], actions: ['kms:Encrypt'], resources: ['*'] }),
    new iam.PolicyStatement({
      sid: 'DecryptOnlyByBreakGlass',
      effect: iam.Effect.DENY,
      principals: [new iam.AnyPrincipal()],
      actions: ['kms:Decrypt', 'kms:ReEncryptFrom', 'kms:CreateGrant'],
      resources: ['*'],
      ...(breakGlass ? { conditions: { ArnNotEquals: { 'aws:PrincipalArn': breakGlass.roleArn } } } : {}),
    }),
  ];
  if (breakGlass) {
    statements.push(new iam.PolicyStatement({ sid: 'BreakGlassDecrypts', principals: [breakGlass], actions: ['kms:Decrypt'], resources: ['*'] }));
  }
  return new iam.PolicyDocument({ statements });
}
