/**
 * One household: who they are (masked ID numbers only), the survey and its evidence, the
 * line-item compensation, the agreements with their PDF, the payments and their 3-month clock,
 * the handover, and the procedure's timeline. Each part loads on its own and shows only to an
 * agency that may read it; a refusal shows in that part alone.
 */
import type { ComponentChildren } from 'preact';
import { ApiError } from '../api/client.ts';
import { api } from '../api/endpoints.ts';
import { DeadlineCell, ErrorNotice, Loaded, Loading, Page, Section, StatusBadge, Table } from '../components/ui.tsx';
import { EvidenceUpload } from '../components/upload.tsx';
import { type Loaded as LoadState, useConsole, useLoad } from '../context.ts';
import { formatDay, formatInstant, formatYuan, readable } from '../format.ts';
import { href } from '../router.ts';
import {
  AGENCY_ZH,
  AGREEMENT_KIND_ZH,
  AGREEMENT_STATUS_ZH,
  evidencePurposeOf,
  FUND_ZH,
  HANDOVER_STATE_ZH,
  HOUSEHOLD_STATE_ZH,
  LEGALITY_ZH,
  LINE_KIND_ZH,
  PAYEE_ZH,
  PAYMENT_CLOCK_ZH,
  PAYMENT_STATUS_ZH,
  SURVEY_STATUS_ZH,
  zh,
} from './household-labels.ts';
import { registerScreens } from './registry.ts';

type Client = ReturnType<typeof useConsole>['api'];
type HouseholdView = Awaited<ReturnType<typeof loadHousehold>>;
const loadHousehold = (client: Client, householdId: string) => client.call(api.household, { params: { householdId } });

/**
 * A part's content once loaded. "Not yet" (404: nothing computed, no agreement signed) is a state
 * of the procedure, said plainly; any other refusal is an error notice in this part only.
 */
function Part<T>(props: { state: LoadState<T>; children: (data: T) => ComponentChildren }) {
  const error = props.state.error;
  if (error instanceof ApiError && error.status === 404) return <p class="muted">{readable(error.message)}</p>;
  return <Loaded state={props.state}>{props.children}</Loaded>;
}

const agencyName = (agency: string) => zh(AGENCY_ZH as Record<string, string>, agency);

function Facts(props: { household: HouseholdView }) {
  const { api: client } = useConsole();
  const h = props.household;
  const project = useLoad(() => client.call(api.project, { params: { projectId: h.projectId } }), [h.projectId]);
  const group = project.data?.villageGroups.find((g) => g.id === h.villageGroupId);
  return (
    <Section title="基本情况">
      <dl class="facts">
        <dt>户编号</dt>
        <dd>{h.householdNumber}</dd>
        <dt>户主</dt>
        <dd>{h.headName}</dd>
        <dt>村民小组</dt>
        <dd>{group ? `${group.village}${group.name}` : h.villageGroupId}</dd>
        <dt>征收项目</dt>
        <dd>
          <a href={href('projects', h.projectId)}>{project.data?.name ?? h.projectId}</a>
        </dd>
        <dt>状态</dt>
        <dd>{zh(HOUSEHOLD_STATE_ZH, h.state)}</dd>
        <dt>登记时间</dt>
        <dd>{formatInstant(h.createdAt)}</dd>
      </dl>
      <Table caption="家庭成员" head={['姓名', '与户主关系', '身份证号（脱敏）', '出生日期', '军人情况']} rows={h.members.length}>
        {h.members.map((m) => (
          <tr key={m.memberId}>
            <td>{m.name}</td>
            <td>{m.relation}</td>
            <td class="id-masked">{m.idNumberMasked}</td>
            <td>{formatDay(m.dateOfBirth)}</td>
            <td>{m.military === 'serving' ? '现役军人' : m.military === 'retired' ? '退役军人' : '—'}</td>
          </tr>
        ))}
      </Table>
    </Section>
  );
}

function Survey(props: { household: HouseholdView; onRecorded: () => void }) {
  const { api: client, me, may } = useConsole();
  const survey = props.household.survey;
  const householdId = props.household.householdId;
  const purpose = evidencePurposeOf(me.agency);
  return (
    <Section title="调查结果">
      {survey ? (
        <>
          <p>
            {zh(SURVEY_STATUS_ZH, survey.status)}；第 {survey.revision} 版，{agencyName(survey.surveyedBy.agency)}于 {formatInstant(survey.surveyedAt)} 登记
          </p>
          <Table caption="地块" head={['地块编号', '地类', '面积（亩）', '形成日期']} rows={survey.parcels.length}>
            {survey.parcels.map((p) => (
              <tr key={p.itemId}>
                <td>{p.parcelNumber}</td>
                <td>{p.landClass}</td>
                <td class="num">{p.areaMu}</td>
                <td>{p.cameIntoBeingOn ? formatDay(p.cameIntoBeingOn) : '—'}</td>
              </tr>
            ))}
          </Table>
          <Table caption="青苗" head={['作物', '面积（亩）', '种植日期']} rows={survey.crops.length}>
            {survey.crops.map((c) => (
              <tr key={c.itemId}>
                <td>{c.crop}</td>
                <td class="num">{c.areaMu}</td>
                <td>{c.cameIntoBeingOn ? formatDay(c.cameIntoBeingOn) : '—'}</td>
              </tr>
            ))}
          </Table>
          <Table caption="附着物" head={['名称', '数量', '单位']} rows={survey.attachments.length}>
            {survey.attachments.map((a) => (
              <tr key={a.itemId}>
                <td>{a.item}</td>
                <td class="num">{a.quantity}</td>
                <td>{a.unit}</td>
              </tr>
            ))}
          </Table>
          <Table caption="房屋" head={['结构', '建筑面积（平方米）', '层数', '合法性']} rows={survey.houses.length}>
            {survey.houses.map((house) => (
              <tr key={house.itemId}>
                <td>{house.structure}</td>
                <td class="num">{house.floorAreaSquareMetres}</td>
                <td class="num">{house.storeys}</td>
                <td>
                  {zh(LEGALITY_ZH, house.legality)}
                  {house.determination ? `（${house.determination.reference}）` : ''}
                </td>
              </tr>
            ))}
          </Table>
          <h3>影像资料</h3>
          <Table caption="调查影像资料" head={['上传单位', '类型', '大小', 'SHA-256', '核验时间']} rows={survey.evidence.length} empty="暂无影像资料">
            {survey.evidence.map((e) => (
              <tr key={e.key}>
                <td>{agencyName(e.uploadedBy.agency)}</td>
                <td>{e.contentType}</td>
                <td class="num">{Math.ceil(e.size / 1024)} KB</td>
                <td class="hash">{e.sha256.slice(0, 12)}…</td>
                <td>{formatInstant(e.verifiedAt)}</td>
              </tr>
            ))}
          </Table>
        </>
      ) : (
        <p class="muted">尚未登记调查结果</p>
      )}
      {may('household.evidence') ? (
        <EvidenceUpload
          label={purpose === 'house-film' ? '上传房屋影像（拍照或录像）' : '上传青苗、附着物照片'}
          requestSlot={(declared) => client.call(api.householdUpload, { params: { householdId }, body: { purpose, ...declared } })}
          record={(uploadId) => client.call(api.addSurveyEvidence, { params: { householdId }, body: { purpose, uploadIds: [uploadId] } })}
          onDone={props.onRecorded}
        />
      ) : null}
    </Section>
  );
}

function Compensation(props: { householdId: string }) {
  const { api: client } = useConsole();
  const compensation = useLoad(() => client.call(api.compensation, { params: { householdId: props.householdId } }), [props.householdId]);
  return (
    <Section title="补偿核算明细">
      <Part state={compensation}>
        {(c) => (
          <>
            <p>
              依据 {formatInstant(c.standardLockedAt)} 锁定的补偿标准，于 {formatInstant(c.computedAt)} 核算（调查第 {c.surveyRevision} 版）{c.final ? '' : '；尚未定稿'}
            </p>
            <Table caption="补偿明细" head={['项目', '内容', '数量', '单价', '金额', '收款方', '依据']} rows={c.lines.length}>
              {c.lines.map((line) => (
                <tr key={`${line.kind}-${line.itemId}`}>
                  <td>{zh(LINE_KIND_ZH, line.kind)}</td>
                  <td>
                    {line.description}
                    {line.zeroReason ? <span class="note">（{line.zeroReason}）</span> : null}
                  </td>
                  <td class="num">
                    {line.quantity} {line.unit}
                  </td>
                  <td class="num">
                    {formatYuan(line.rateFen)}/{line.unit}
                  </td>
                  <td class="num">{formatYuan(line.amountFen)}</td>
                  <td>{zh(PAYEE_ZH, line.payee)}</td>
                  <td>{line.clause}</td>
                </tr>
              ))}
            </Table>
            <p class="total">
              合计：<strong>{formatYuan(c.totalFen)}</strong>
            </p>
            {c.blockers.length > 0 ? (
              <ul class="blockers" aria-label="签订协议前须先办结">
                {c.blockers.map((b) => (
                  <li key={b}>{b}</li>
                ))}
              </ul>
            ) : null}
          </>
        )}
      </Part>
    </Section>
  );
}

function Agreements(props: { householdId: string }) {
  const { api: client } = useConsole();
  const agreements = useLoad(() => client.call(api.agreements, { params: { householdId: props.householdId } }), [props.householdId]);
  return (
    <Section title="征收土地协议">
      <Part state={agreements}>
        {(list) => {
          // One preview: the agreement in force (or the newest with a text); the others by link.
          const previewed = list.find((a) => a.documentUrl && a.status !== 'superseded') ?? list.find((a) => a.documentUrl);
          return (
            <>
              <Table caption="本户协议" head={['协议编号', '种类', '状态', '补偿合计', '签订', '协议文本']} rows={list.length} empty="尚未拟定协议">
                {list.map((a) => (
                  <tr key={a.agreementId}>
                    <td>{a.number}</td>
                    <td>{zh(AGREEMENT_KIND_ZH, a.kind)}</td>
                    <td>
                      <span class={`badge agreement-${a.status}`}>{zh(AGREEMENT_STATUS_ZH, a.status)}</span>
                    </td>
                    <td class="num">{formatYuan(a.totalFen)}</td>
                    <td>{a.signed ? `${formatInstant(a.signed.at)}，${a.signed.place}` : '—'}</td>
                    <td>
                      {a.documentUrl ? (
                        <a href={a.documentUrl} target="_blank" rel="noopener noreferrer">
                          下载协议 PDF（{a.number}）
                        </a>
                      ) : (
                        '—'
                      )}
                    </td>
                  </tr>
                ))}
              </Table>
              {previewed?.documentUrl ? (
                <figure class="pdf-preview">
                  <figcaption>
                    {previewed.number} {zh(AGREEMENT_KIND_ZH, previewed.kind)}（{zh(AGREEMENT_STATUS_ZH, previewed.status)}）
                  </figcaption>
                  <iframe title="协议 PDF 预览" src={previewed.documentUrl} />
                </figure>
              ) : null}
            </>
          );
        }}
      </Part>
    </Section>
  );
}

function Payments(props: { householdId: string }) {
  const { api: client, serverNow } = useConsole();
  const payments = useLoad(() => client.call(api.householdPayments, { params: { householdId: props.householdId } }), [props.householdId]);
  return (
    <Section title="补偿款支付">
      <Part state={payments}>
        {(p) => (
          <>
            <dl class="facts">
              <dt>协议</dt>
              <dd>
                {p.agreement.number}，{formatInstant(p.agreement.signedAt)} 签订，合计 {formatYuan(p.agreement.totalFen)}
              </dd>
              {p.deadline ? (
                <>
                  <dt>3个月支付期限</dt>
                  <dd>
                    {/* A met clock is history: only a live one counts down (or shows how late it is). */}
                    {p.deadline.status === 'open' || p.deadline.status === 'overdue' ? (
                      <DeadlineCell dueAt={p.deadline.dueAt} source={p.deadline.source} now={serverNow()} />
                    ) : (
                      <span title={p.deadline.source}>{formatInstant(p.deadline.dueAt)}</span>
                    )}
                    <span class={`badge payment-clock-${p.clock?.state ?? p.deadline.status}`}>{zh(PAYMENT_CLOCK_ZH, p.clock?.state ?? p.deadline.status)}</span>
                  </dd>
                </>
              ) : null}
              {p.clock ? (
                <>
                  <dt>应付 / 已付 / 未付</dt>
                  <dd>
                    {formatYuan(p.clock.dueFen)} / {formatYuan(p.clock.paidFen)} / {formatYuan(p.clock.outstandingFen)}
                    {p.clock.inFlightFen > 0 ? `（在途 ${formatYuan(p.clock.inFlightFen)}）` : ''}
                  </dd>
                </>
              ) : null}
            </dl>
            <Table caption="各笔支付" head={['批次', '收款人', '开户行', '账号（脱敏）', '资金', '金额', '状态']} rows={p.payments.length} empty="尚未下达支付指令">
              {p.payments.map((payment) => (
                <tr key={payment.paymentId}>
                  <td class="num">{payment.instalment}</td>
                  <td>{payment.payee.accountName}</td>
                  <td>{payment.payee.bankName}</td>
                  <td class="id-masked">{payment.payee.accountMasked}</td>
                  <td>{zh(FUND_ZH, payment.fund)}</td>
                  <td class="num">{formatYuan(payment.amountFen)}</td>
                  <td>
                    {zh(PAYMENT_STATUS_ZH, payment.status)}
                    {payment.rejection ? `：${readable(payment.rejection.reason)}` : ''}
                  </td>
                </tr>
              ))}
            </Table>
          </>
        )}
      </Part>
    </Section>
  );
}

function Handover(props: { householdId: string }) {
  const { api: client } = useConsole();
  const handover = useLoad(() => client.call(api.handover, { params: { householdId: props.householdId } }), [props.householdId]);
  return (
    <Section title="腾地交地">
      <Part state={handover}>
        {(h) => (
          <dl class="facts">
            <dt>状态</dt>
            <dd>{zh(HANDOVER_STATE_ZH, h.state)}</dd>
            <dt>补偿款</dt>
            <dd>
              应付 {formatYuan(h.payment.dueFen)}，已付 {formatYuan(h.payment.paidFen)}
              {h.payment.paidInFull ? `（${h.payment.paidInFullAt ? formatInstant(h.payment.paidInFullAt) : ''} 足额支付）` : `，未付 ${formatYuan(h.payment.outstandingFen)}`}
            </dd>
            {h.handover ? (
              <>
                <dt>腾地交地</dt>
                <dd>
                  {formatInstant(h.handover.handedOverAt)}，{h.handover.place}
                  {h.handover.confirmation ? '（双方已确认）' : '（待另一方确认）'}
                </dd>
              </>
            ) : null}
            {h.clearing ? (
              <>
                <dt>清表交地</dt>
                <dd>{formatInstant(h.clearing.clearedAt)}</dd>
              </>
            ) : null}
            {h.refusals.length > 0 ? (
              <>
                <dt>拒不腾地</dt>
                <dd>
                  登记 {h.refusals.length} 次，最近 {formatInstant(h.refusals.at(-1)!.refusedAt)}
                </dd>
              </>
            ) : null}
            <dt>权属证书注销</dt>
            <dd>{h.certificates.length > 0 ? h.certificates.map((c) => `${formatDay(c.cancelledOn)} 注销 ${c.certificates.length} 本`).join('；') : '尚未注销'}</dd>
            <dt>强制腾地</dt>
            <dd>{h.enforcementEligible ? '可启动限期腾地程序' : (h.enforcementReason ?? '不具备启动条件')}</dd>
          </dl>
        )}
      </Part>
    </Section>
  );
}

function Timeline(props: { householdId: string }) {
  const { api: client, serverNow } = useConsole();
  const timeline = useLoad(() => client.call(api.householdTimeline, { params: { householdId: props.householdId } }), [props.householdId]);
  return (
    <Section title="办理时间线">
      <Part state={timeline}>
        {(t) => (
          <Table caption="办理时间线各事项" head={['事项', '状态', '责任单位', '期限', '办结', '说明']} rows={t.steps.length}>
            {t.steps.map((step) => (
              <tr key={step.step} class={step.status === 'overdue' ? 'overdue' : undefined}>
                <td>{step.step}</td>
                <td>
                  <StatusBadge status={step.status} />
                </td>
                <td>{agencyName(step.responsibleAgency)}</td>
                <td>{step.dueAt ? <DeadlineCell dueAt={step.dueAt} source={step.legalSource} now={serverNow()} /> : <span title={step.legalSource}>{step.due ?? '—'}</span>}</td>
                <td>{step.doneAt ? formatInstant(step.doneAt) : '—'}</td>
                <td>{readable(step.detail ?? '')}</td>
              </tr>
            ))}
          </Table>
        )}
      </Part>
    </Section>
  );
}

function Household(props: { householdId: string }) {
  const { api: client, may } = useConsole();
  const household = useLoad(() => loadHousehold(client, props.householdId), [props.householdId]);
  const h = household.data;
  return (
    <Page
      title={h ? `被征收户 ${h.householdNumber} ${h.headName}` : '被征收户'}
      actions={
        h ? (
          <a class="button secondary" href={href('projects', h.projectId, 'households')}>
            返回被征收户名单
          </a>
        ) : null
      }
    >
      {household.error ? <ErrorNotice error={household.error} /> : null}
      {!h && !household.error ? <Loading /> : null}
      {h ? (
        <>
          <Facts household={h} />
          <Survey household={h} onRecorded={household.reload} />
          <Compensation householdId={h.householdId} />
          {may('agreement.read') ? <Agreements householdId={h.householdId} /> : null}
          {may('payment.read') ? <Payments householdId={h.householdId} /> : null}
          {may('handover.read') ? <Handover householdId={h.householdId} /> : null}
          <Timeline householdId={h.householdId} />
        </>
      ) : null}
    </Page>
  );
}

registerScreens({
  path: '/households/:householdId',
  title: '被征收户',
  requires: ['household.read'],
  view: (params) => <Household householdId={params.householdId!} />,
});
