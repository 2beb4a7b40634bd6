import type { AgencyId } from '../agencies.ts';
import { resolveRule, SET_BY_NOTICE, type RuleId, type RuleVariant } from '../calendar/index.ts';
import type { WatchRule } from './watch.ts';

/** Which variant of the rule table this deployment follows (seed unless configured). */
const variant = (): RuleVariant => (process.env.RULE_VARIANT === 'national' ? 'national' : 'seed');

/**
 * The rule table's entry as a watch needs it. `period` is required for rules whose period the
 * notice sets (the registration window). Escalation to the joint meeting goes to the leading
 * group office, which convenes it (seed §四(一)).
 */
export function watchRule(ruleId: RuleId, options: { period?: string } = {}): WatchRule {
  const rule = resolveRule(ruleId, variant());
  const period = rule.period === SET_BY_NOTICE ? options.period : rule.period;
  if (!period) throw new Error(`rule ${ruleId}: the period is set by the notice and must be given`);
  const escalateTo = [...new Set(rule.escalateTo.map((t): AgencyId => (t === 'joint-meeting' ? 'leading-group-office' : t)))];
  return {
    id: rule.id,
    step: rule.step.zh,
    clock: rule.clock,
    period,
    responsibleAgency: rule.responsible,
    escalateTo,
    source: rule.source,
  };
}
