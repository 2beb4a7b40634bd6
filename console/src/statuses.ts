/**
 * A timeline step's statuses (shared/http/response-schemas.ts timelineStepResponse), as the console
 * names and colours them: the badges, the Gantt's bars and its legend (the stylesheet's palette;
 * WCAG AA on white).
 */
export const STEP_STATUSES = [
  { status: 'done', label: '已办结', color: '#11663a' },
  { status: 'open', label: '办理中', color: '#0b5cad' },
  { status: 'overdue', label: '已逾期', color: '#b42318' },
  { status: 'done-late', label: '逾期办结', color: '#b54708' },
  { status: 'not-started', label: '未开始', color: '#6b7280' },
  { status: 'closed', label: '已结束', color: '#4b5563' },
  { status: 'cancelled', label: '已撤销', color: '#9ca3af' },
  { status: 'refused', label: '已拒绝', color: '#7a2e0e' },
] as const;
