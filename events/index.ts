import * as z from 'zod';
import { agreementSignedV1 } from './agreement-signed.v1.ts';
import { chainResumedV1 } from './chain-resumed.v1.ts';
import { chainSuspendedV1 } from './chain-suspended.v1.ts';
import { courtRulingRecordedV1 } from './court-ruling-recorded.v1.ts';
import { enforcementExecutedV1 } from './enforcement-executed.v1.ts';
import { instrumentServedV1 } from './instrument-served.v1.ts';
import { jointActionPlannedV1 } from './joint-action-planned.v1.ts';
import { compensationComputedV1 } from './compensation-computed.v1.ts';
import { deadlineOverdueV1 } from './deadline-overdue.v1.ts';
import { depositConfirmedV1 } from './deposit-confirmed.v1.ts';
import { fundsShortV1 } from './funds-short.v1.ts';
import { householdPaidV1 } from './household-paid.v1.ts';
import { incidentClassifiedV1 } from './incident-classified.v1.ts';
import { incidentReferredV1 } from './incident-referred.v1.ts';
import { incidentReportedV1 } from './incident-reported.v1.ts';
import { leaderOnSiteV1 } from './leader-on-site.v1.ts';
import { petitionAssignedV1 } from './petition-assigned.v1.ts';
import { policyQueryStepV1 } from './policy-query-step.v1.ts';
import { resolutionDoneV1 } from './resolution-done.v1.ts';
import { resolutionDueV1 } from './resolution-due.v1.ts';
import { handoverRecordedV1 } from './handover-recorded.v1.ts';
import { handoverRefusedV1 } from './handover-refused.v1.ts';
import { hukouChangesSuspendedV1 } from './hukou-changes-suspended.v1.ts';
import { hukouSuspensionAcknowledgedV1 } from './hukou-suspension-acknowledged.v1.ts';
import { paymentConfirmedV1 } from './payment-confirmed.v1.ts';
import { paymentInstructedV1 } from './payment-instructed.v1.ts';
import { paymentRejectedV1 } from './payment-rejected.v1.ts';
import { paymentWorkflowFailedV1 } from './payment-workflow-failed.v1.ts';
import { socialSecurityTransferRecordedV1 } from './social-security-transfer-recorded.v1.ts';
import { supervisionAssignmentV1 } from './supervision-assignment.v1.ts';
import { supervisionReportV1 } from './supervision-report.v1.ts';
import { surveyConfirmedV1 } from './survey-confirmed.v1.ts';
import { workflowFailureV1 } from './workflow-failure.v1.ts';

/** Every event the system emits to agencies, versioned; the contract subscribers rely on. */
export const EVENTS = [deadlineOverdueV1, workflowFailureV1, hukouChangesSuspendedV1, hukouSuspensionAcknowledgedV1, surveyConfirmedV1, compensationComputedV1, agreementSignedV1, depositConfirmedV1, fundsShortV1, paymentInstructedV1, paymentConfirmedV1, paymentRejectedV1, householdPaidV1, paymentWorkflowFailedV1, socialSecurityTransferRecordedV1, handoverRecordedV1, handoverRefusedV1, instrumentServedV1, chainSuspendedV1, chainResumedV1, courtRulingRecordedV1, jointActionPlannedV1, enforcementExecutedV1, incidentReportedV1, incidentClassifiedV1, leaderOnSiteV1, incidentReferredV1, petitionAssignedV1, resolutionDueV1, resolutionDoneV1, policyQueryStepV1, supervisionReportV1, supervisionAssignmentV1] as const;

/** JSON Schema of each event (for agencies' own systems), keyed `name.vN`. */
export function eventJsonSchemas(): Record<string, unknown> {
  return Object.fromEntries(
    EVENTS.map((e) => [`${e.name}.v${e.version}`, { $id: `${e.source}/${e.name}.v${e.version}`, ...z.toJSONSchema(e.schema, { io: 'output' }) }]),
  );
}
