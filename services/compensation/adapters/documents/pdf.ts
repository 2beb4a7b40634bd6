import { chineseDateText } from '../../../../shared/calendar/index.ts';
import { bytesOf, type Column, contentWidth, type Doc, ensureSpace, footers, heading, MARGIN, newDocument, paragraph, type Row, table, title } from '../../../../shared/adapters/documents/pdf.ts';
import { formatYuan } from '../../../../shared/money.ts';
import type { AgreementDocument, DisclosureDocument, DocumentMember } from '../../app/documents.ts';
import { checkAgreement, checkDisclosure, lineDescription, memberText, PAYEE_LABELS } from './presentation.ts';

/** The agreement and the disclosure list as PDFs, drawn with the shared primitives. */

const MEMBER_COLUMNS: Column[] = [
  { header: '序号', width: 40, align: 'center' },
  { header: '姓名', width: 120 },
  { header: '与户主关系', width: 120 },
  { header: '身份证号码（已脱敏）', width: 215 },
];

function memberRows(members: DocumentMember[]): Row[] {
  return members.map((m, i) => ({ kind: 'cells', cells: [String(i + 1), m.name, m.relation, m.idNumberMasked] }));
}

const AGREEMENT_LINE_COLUMNS: Column[] = [
  { header: '补偿项目', width: 125 },
  { header: '数量', width: 50, align: 'right' },
  { header: '单位', width: 35, align: 'center' },
  { header: '单价（元）', width: 62, align: 'right' },
  { header: '金额（元）', width: 75, align: 'right' },
  { header: '依据条款', width: 80 },
  { header: '领取对象', width: 68 },
];

function agreementTitle(doc: AgreementDocument): string {
  return doc.kind.kind === 'original' ? '征收土地补偿安置协议' : '征收土地补偿安置补充协议';
}

export async function renderAgreementPdf(agreement: AgreementDocument): Promise<Uint8Array> {
  checkAgreement(agreement);
  const name = agreementTitle(agreement);
  const doc = newDocument(`${name} ${agreement.agreementNumber}`, agreement.generatedAt);
  title(doc, name);
  doc.text(`协议编号：${agreement.agreementNumber}`, MARGIN, doc.y, { width: contentWidth(doc), align: 'right' });
  if (agreement.kind.kind === 'supplementary') {
    doc.text(`原协议编号：${agreement.kind.originalAgreementNumber}`, MARGIN, doc.y, { width: contentWidth(doc), align: 'right' });
  }
  doc.moveDown(0.5);
  paragraph(doc, `甲方（征收方）：${agreement.parties.landBureauBranch}`);
  paragraph(doc, `乙方（被征收户户主）：${agreement.headName}　　户编号：${agreement.householdNumber}`);
  paragraph(doc, `项目名称：${agreement.projectName}`);
  paragraph(doc, `所在村组：${agreement.villageGroupName}`);
  if (agreement.kind.kind === 'supplementary') {
    paragraph(doc, `补充原因：${agreement.kind.reason}。本补充协议是原协议（编号 ${agreement.kind.originalAgreementNumber}）的组成部分，与原协议不一致的，以本补充协议为准。`);
  }

  heading(doc, '一、乙方家庭成员');
  table(doc, MEMBER_COLUMNS, memberRows(agreement.members));

  heading(doc, '二、补偿安置方式');
  const mode = agreement.mode;
  if (mode.mode === 'cash') {
    paragraph(doc, '乙方选择货币补偿安置。');
  } else {
    paragraph(doc, `乙方选择产权调换安置：${mode.resettlementOption}。安置房面积 ${mode.houseAreaSquareMetres} 平方米，安置房价款 ${formatYuan(mode.housePriceFen)} 元。`);
  }

  heading(doc, '三、补偿明细');
  table(doc, AGREEMENT_LINE_COLUMNS, [
    ...agreement.lines.map((line): Row => ({
      kind: 'cells',
      cells: [lineDescription(line), line.quantity, line.unit, formatYuan(line.rateFen), formatYuan(line.amountFen), line.clause, PAYEE_LABELS[line.payee]],
    })),
    { kind: 'cells', cells: [mode.mode === 'swap' ? '合计（含安置房价款冲抵）' : '合计', '', '', '', formatYuan(agreement.totalFen), '', ''], shaded: true },
  ]);
  // Money moves per payee: each is told what it is owed (the owner's net of a swap house's price).
  paragraph(doc, `其中：${agreement.amountsByPayee.map((p) => `${PAYEE_LABELS[p.payee]}${p.amountFen < 0 ? '应补交' : ''}人民币 ${formatYuan(Math.abs(p.amountFen))} 元`).join('；')}。`);
  // A swap's total is net of the house price and may be negative: the difference says it in words.
  if (mode.mode === 'cash') {
    paragraph(doc, `补偿款合计人民币 ${formatYuan(agreement.totalFen)} 元。`);
  } else {
    const { amountFen, direction } = mode.difference;
    paragraph(doc, direction === 'household-receives'
      ? `产权调换差价：甲方应向乙方支付差价人民币 ${formatYuan(amountFen)} 元（乙方领取）。`
      : `产权调换差价：乙方应向甲方补交差价人民币 ${formatYuan(amountFen)} 元（乙方补交）。`);
  }

  heading(doc, '四、支付方式与期限');
  const { text, lastDay } = agreement.paymentTerms;
  paragraph(doc, lastDay === undefined ? `${text}。` : `${text}，最迟于${chineseDateText(lastDay)}（北京时间）前付清。`);

  heading(doc, '五、签署');
  paragraph(doc, '本协议一式四份，甲乙双方各执一份，其余报有关部门备案，自双方签字（盖章）之日起生效。');
  signatures(doc, agreement);
  footers(doc, agreement.generatedAt, `协议编号 ${agreement.agreementNumber}`);
  return bytesOf(doc);
}

function signatures(doc: Doc, agreement: AgreementDocument): void {
  const memberLines = Math.ceil(agreement.members.length / 3);
  ensureSpace(doc, 130 + memberLines * 24);
  doc.moveDown(1.5);
  const top = doc.y;
  const half = contentWidth(doc) / 2;
  const block = (x: number, lines: string[]) => {
    let y = top;
    for (const line of lines) {
      doc.text(line, x, y, { width: half - 10 });
      y += 28;
    }
    return y;
  };
  const leftEnd = block(MARGIN, [`甲方（盖章）：${agreement.parties.landBureauBranch}`, '负责人（签字）：', '日期：　　　　年　　月　　日']);
  const rightEnd = block(MARGIN + half, [`乙方（户主签字并捺印）：${agreement.headName}`, '签字：', '日期：　　　　年　　月　　日']);
  doc.y = Math.max(leftEnd, rightEnd);
  doc.text('乙方家庭成员（签字并捺印）：', MARGIN, doc.y, { width: contentWidth(doc) });
  doc.moveDown(0.8);
  const cell = contentWidth(doc) / 3;
  const top2 = doc.y;
  agreement.members.forEach((member, i) => {
    doc.text(`${member.name}：__________`, MARGIN + (i % 3) * cell, top2 + Math.floor(i / 3) * 24, { width: cell - 10, lineBreak: false });
  });
  doc.x = MARGIN;
  doc.y = top2 + memberLines * 24;
}

const DISCLOSURE_COLUMNS: Column[] = [
  { header: '补偿项目', width: 160 },
  { header: '数量', width: 55, align: 'right' },
  { header: '单位', width: 40, align: 'center' },
  { header: '单价（元）', width: 70, align: 'right' },
  { header: '金额（元）', width: 85, align: 'right' },
  { header: '领取对象', width: 85 },
];

export async function renderDisclosurePdf(disclosure: DisclosureDocument): Promise<Uint8Array> {
  checkDisclosure(disclosure);
  const doc = newDocument(`征地补偿安置公示 ${disclosure.projectName} ${disclosure.villageGroupName}`, disclosure.generatedAt);
  title(doc, '征地补偿安置公示');
  paragraph(doc, `项目名称：${disclosure.projectName}`);
  paragraph(doc, `村民小组：${disclosure.villageGroupName}　　公示户数：${disclosure.households.length} 户`);
  paragraph(doc, disclosure.postingNote);
  doc.moveDown(0.5);
  const rows: Row[] = [];
  for (const household of disclosure.households) {
    rows.push({
      kind: 'band',
      text: `户编号：${household.householdNumber}　户主：${household.headName}　家庭成员：${household.members.map(memberText).join('、')}`,
    });
    for (const line of household.lines) {
      rows.push({
        kind: 'cells',
        cells: [lineDescription(line), line.quantity, line.unit, formatYuan(line.rateFen), formatYuan(line.amountFen), PAYEE_LABELS[line.payee]],
      });
    }
    rows.push({ kind: 'cells', cells: [`户编号 ${household.householdNumber} 合计`, '', '', '', formatYuan(household.totalFen), ''], shaded: true });
  }
  rows.push({ kind: 'cells', cells: [`本组合计（${disclosure.households.length} 户）`, '', '', '', formatYuan(disclosure.totalFen), ''], shaded: true });
  table(doc, DISCLOSURE_COLUMNS, rows);
  footers(doc, disclosure.generatedAt, `${disclosure.villageGroupName}征地补偿安置公示`);
  return bytesOf(doc);
}
