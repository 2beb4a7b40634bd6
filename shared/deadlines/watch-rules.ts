import type { AgencyId } from '../agencies.ts';
import { resolveRule, SET_BY_DECISION, SET_BY_NOTICE, type RuleId, type RuleVariant } from '../calendar/index.ts';
import type { WatchRule } from './watch.ts';

/** Which variant of the rule table this deployment follows (seed unless configured). */
const deploymentVariant = (): RuleVariant => (process.env.RULE_VARIANT === 'national' ? 'national' : 'seed');

/**
 * The rule table's entry as a watch needs it. `period` is required for rules whose period the
 * notice sets (the registration window). Escalation to the joint meeting goes to the leading
 * group office, which convenes it (seed §四(一)). `variant` is the case's, where a case fixed its
 * variant when it opened; otherwise the deployment's (RULE_VARIANT).
 */
export function watchRule(ruleId: RuleId, options: { period?: string; variant?: RuleVariant } = {}): WatchRule {
  const rule = resolveRule(ruleId, options.variant ?? deploymentVariant());
  const period = rule.period === SET_BY_NOTICE || rule.period === SET_BY_DECISION ? options.period : rule.period;
  if (!period) throw new Error(`rule ${ruleId}: the period is set by the notice or the decision and must be given`);
  const escalateTo = [...new Set(rule.escalateTo.map((t): AgencyId => (t === 'joint-meeting' ? 'leading-group-office' : t)))];
  return {
    id: rule.id,
    step: rule.step.zh,
    clock: rule.clock,
    period,
    responsibleAgency: rule.responsible,
    escalateTo,
    source: rule.source,
    ...(rule.assessed === false ? { assessed: false as const } : {}),
    ...(rule.alertSeverity ? { severity: rule.alertSeverity } : {}),
  };
}

/**
 * The key of a watch a rule runs once per village group within the project's case
 * (`notice-posting/g1`): the watch repository, the alert outbox, the overdue record and the
 * workflow's iterations are all keyed by case and this id, so each group's clock is its own.
 * Decision 0015.
 */
export function perGroupRuleId(ruleId: RuleId, villageGroupId: string): string {
  return `${ruleId}/${villageGroupId}`;
}
