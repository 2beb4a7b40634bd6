/**
 * The notice (征收土地通告) and the implementation plan (实施方案) of a project: the text, where it
 * stands, every review; the legal affairs office approves it or returns it with written reasons,
 * and the land bureau reads the result here.
 */
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { ApiError } from '../api/client.ts';
import { api, type NoticeDocument, type PlanDocument } from '../api/endpoints.ts';
import { agencyName, jurisdictionName } from '../agencies.ts';
import { ErrorNotice, Loaded, Page, Section, Table } from '../components/ui.tsx';
import { useConsole, useLoad } from '../context.ts';
import { formatInstant, formatPeriod } from '../format.ts';
import { href } from '../router.ts';
import { registerScreens } from './registry.ts';

type Reviewed = NoticeDocument | PlanDocument;
type Decision = 'approve' | 'return';

const DOCUMENT_STATUS: Record<Reviewed['status'], string> = {
  'pending-review': '待法制办审核',
  returned: '已退回修改',
  approved: '审核通过，待发布',
  published: '已发布',
};

/** A document not drafted yet reads as such, not as an error. */
async function orAbsent<T>(load: Promise<T>): Promise<T | null> {
  try {
    return await load;
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return null;
    throw error;
  }
}

function ReviewedDocumentPage(props: {
  projectId: string;
  title: string;
  load: () => Promise<Reviewed | null>;
  reviewAction: 'notice.review' | 'plan.review';
  review: (decision: Decision, reasons: string | undefined) => Promise<Reviewed>;
  facts?: (document: Reviewed) => ComponentChildren;
}) {
  const { may } = useConsole();
  const document = useLoad(props.load, [props.projectId]);
  return (
    <Page
      title={props.title}
      actions={
        <a class="button secondary" href={href('projects', props.projectId)}>
          返回项目
        </a>
      }
    >
      <Loaded state={document}>
        {(doc) =>
          doc === null ? (
            <Section title="文稿">
              <p>尚未拟定{props.title}。</p>
            </Section>
          ) : (
            <>
              <Section title="文稿">
                <dl class="facts">
                  <dt>标题</dt>
                  <dd>{doc.title}</dd>
                  <dt>状态</dt>
                  <dd>
                    <span class={`badge doc-${doc.status}`}>{DOCUMENT_STATUS[doc.status]}</span>
                  </dd>
                  <dt>稿次</dt>
                  <dd>第 {doc.revision} 稿</dd>
                  <dt>拟稿</dt>
                  <dd>
                    {agencyName(doc.draftedBy.agency)}（{jurisdictionName(doc.draftedBy.jurisdiction)}） {formatInstant(doc.draftedAt)}
                  </dd>
                  {doc.publishedAt ? (
                    <>
                      <dt>发布时间</dt>
                      <dd>{formatInstant(doc.publishedAt)}</dd>
                    </>
                  ) : null}
                  {props.facts?.(doc)}
                </dl>
                <h3>正文</h3>
                <div class="document-body">{doc.body}</div>
              </Section>
              {may(props.reviewAction) && doc.status === 'pending-review' ? <ReviewForm revision={doc.revision} review={props.review} onDone={document.reload} /> : null}
              <Section title="审核记录">
                <Table caption="审核记录" head={['稿次', '结论', '意见', '审核单位', '时间']} rows={doc.reviews.length} empty="尚无审核记录">
                  {doc.reviews.map((review) => (
                    <tr key={`${review.revision}-${review.at}`}>
                      <td>第 {review.revision} 稿</td>
                      <td>{review.decision === 'approve' ? '通过' : '退回修改'}</td>
                      <td>{review.reasons ?? '—'}</td>
                      <td>{agencyName(review.by.agency)}</td>
                      <td>{formatInstant(review.at)}</td>
                    </tr>
                  ))}
                </Table>
              </Section>
            </>
          )
        }
      </Loaded>
    </Page>
  );
}

/** The legal affairs office's decision on the current revision; returning it needs written reasons (the API insists too). */
function ReviewForm(props: { revision: number; review: (decision: Decision, reasons: string | undefined) => Promise<Reviewed>; onDone: () => void }) {
  const [reasons, setReasons] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  async function decide(decision: Decision) {
    setBusy(true);
    setError(undefined);
    try {
      await props.review(decision, reasons.trim() || undefined);
      props.onDone();
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  }
  return (
    <Section title={`审核第 ${props.revision} 稿`} id="review">
      <label for="review-reasons">审核意见（退回时必填）</label>
      <textarea id="review-reasons" rows={4} maxLength={2000} value={reasons} onInput={(e) => setReasons((e.currentTarget as HTMLTextAreaElement).value)} />
      <div class="row">
        <button type="button" disabled={busy} onClick={() => decide('approve')}>
          审核通过
        </button>
        <button type="button" class="secondary" disabled={busy} onClick={() => decide('return')}>
          退回修改
        </button>
      </div>
      {error ? <ErrorNotice error={error} /> : null}
    </Section>
  );
}

function NoticePage(props: { projectId: string }) {
  const { api: client } = useConsole();
  const { projectId } = props;
  return (
    <ReviewedDocumentPage
      projectId={projectId}
      title="征收土地通告"
      load={() => orAbsent(client.call(api.notice, { params: { projectId } }))}
      reviewAction="notice.review"
      review={(decision, reasons) => client.call(api.reviewNotice, { params: { projectId }, body: { decision, ...(reasons ? { reasons } : {}) } })}
      facts={(doc) =>
        'registrationPeriod' in doc ? (
          <>
            <dt>补偿登记期限</dt>
            <dd>{formatPeriod(doc.registrationPeriod)}（各村民小组自张贴之日起算）</dd>
            <dt>登记地点</dt>
            <dd>{doc.registrationPlace}</dd>
          </>
        ) : null
      }
    />
  );
}

function PlanPage(props: { projectId: string }) {
  const { api: client } = useConsole();
  const { projectId } = props;
  return (
    <ReviewedDocumentPage
      projectId={projectId}
      title="征地补偿安置实施方案"
      load={() => orAbsent(client.call(api.plan, { params: { projectId } }))}
      reviewAction="plan.review"
      review={(decision, reasons) => client.call(api.reviewPlan, { params: { projectId }, body: { decision, ...(reasons ? { reasons } : {}) } })}
    />
  );
}

registerScreens(
  { path: '/projects/:projectId/notice', title: '征收土地通告', requires: ['project.read'], view: (params) => <NoticePage projectId={params.projectId!} /> },
  { path: '/projects/:projectId/plan', title: '征地补偿安置实施方案', requires: ['project.read'], view: (params) => <PlanPage projectId={params.projectId!} /> },
);
