// `station audit seal` and `station audit verify --seal`: the daily audit seal
// (electron/core/audit/seal.ts) on the command line.
import fs from 'node:fs';
import path from 'node:path';
import type { Seal, SealVerification, SealView } from '../../../shared/seal.js';
import { groupSealCode } from '../../../shared/seal.js';
import { StationError } from '../../../shared/errors.js';
import { GENESIS_SEAL, sealCode } from '../audit/seal-format.js';
import type { Command } from './commands.js';
import type { CommandContext } from './context.js';
import { call } from './context.js';
import { EXIT } from './errors.js';
import { formatTime, labelled } from './format.js';

/** The seal's rows: its human form first (what is copied into the register), then what it vouches for. */
function sealRows(ctx: CommandContext, s: Seal): Array<[string, string]> {
  const at = (ms: number) => `${formatTime(ms, ctx.timeZone)} ${ctx.timeZone}`;
  return [
    ['封存码 seal code', groupSealCode(s.code)],
    ['封存日期 day', s.complete ? `${s.day}（全天 whole day）` : `${s.day}（截至 so far, to ${formatTime(s.madeAt, ctx.timeZone).slice(11)}）`],
    ['封存时间 made at', at(s.madeAt)],
    ['审计记录头 audit head', `#${s.auditSeq} ${s.auditHash}`],
    ['当日片段 clips that day', `${s.clipCount}（至片段 to clip #${s.clipsThrough}）`],
    ['默克尔根 Merkle root', s.merkleRoot],
    ['上一封存 previous', s.previous === GENESIS_SEAL ? '无（本站第一个封存） none (the first seal)' : groupSealCode(sealCode(s.previous))],
    ['二维码内容 QR payload', s.payload],
  ];
}

export const auditSeal: Command = {
  name: 'audit seal',
  summary: { zh: '立即封存审计日志（今日截至此刻）', en: 'Seal the audit log now (today so far)' },
  options: {
    pdf: {
      type: 'string',
      value: '<文件 file>',
      help: { zh: '把封存单（A4，PDF）写到此文件', en: 'write the seal sheet (A4, PDF) to this file' },
    },
  },
  notes: [
    {
      zh: '封存记下此刻的审计记录头和今日入库片段的默克尔根，并与上一封存相连；采集站每天零点后自动封存前一天。打印封存单，由综合处经办人和负责人签字后归档。',
      en: "A seal records the audit head now and the Merkle root of today's clips, chained to the previous seal; the station seals each day itself after midnight. Print the seal sheet for 综合处 to sign and file.",
    },
    {
      zh: '核验：station audit verify --seal <封存码或二维码内容>。',
      en: 'To verify: station audit verify --seal <code or QR text>.',
    },
  ],
  async run(ctx, v) {
    const seal: SealView = await call(ctx, 'audit.seal.make', {});
    const pdfFile = typeof v.pdf === 'string' ? path.resolve(v.pdf) : null;
    let pdfError: unknown = null;
    if (pdfFile) {
      try {
        const { pdfBase64 } = await call(ctx, 'audit.seal.pdf', { number: seal.number });
        fs.writeFileSync(pdfFile, Buffer.from(pdfBase64, 'base64'));
      } catch (e) {
        pdfError = e;
      }
    }
    ctx.out.answer(ctx.json, { seal, pdf: pdfError ? null : pdfFile }, () => [
      { zh: `已封存：第 ${seal.number} 号封存。`, en: `Sealed: seal no. ${seal.number}.` },
      ...labelled([
        ...sealRows(ctx, seal),
        ['封存文件 seal file', seal.file ?? '未能写入（见日志） not written (see the log)'],
        ...(pdfFile && !pdfError ? [['封存单 seal sheet', pdfFile] as [string, string]] : []),
      ]),
      { zh: '请打印封存单，由综合处经办人和负责人签字后归档。', en: 'Print the seal sheet for 综合处 to sign and file.' },
    ]);
    if (pdfError) throw pdfError;
    return EXIT.ok;
  },
};

/** `station audit verify --seal <text>`: exit 0 when the station still holds what the seal vouched for. */
export async function verifySealCommand(ctx: CommandContext, text: string): Promise<number> {
  const v: SealVerification = await call(ctx, 'audit.seal.verify', { seal: text });
  const s = v.seal;
  const what = s ? { zh: `第 ${s.number} 号封存（${s.day}，封存码 ${groupSealCode(s.code)}）`, en: `seal no. ${s.number} (${s.day}, code ${groupSealCode(s.code)})` } : null;
  ctx.out.answer(ctx.json, v, () => {
    if (v.ok && s && what) {
      return [
        { zh: `封存核验通过：${what.zh}。`, en: `Seal verified: ${what.en}.` },
        {
          zh: `审计链仍包含封存时的第 ${s.auditSeq} 条记录；${s.day} 的 ${s.clipCount} 个入库片段与封存时一致。`,
          en: `The audit chain still holds row #${s.auditSeq} as sealed; the ${s.clipCount} clip(s) committed on ${s.day} are those sealed.`,
        },
        ...(v.given === 'payload'
          ? [{ zh: `由二维码内容算出的封存码：${groupSealCode(s.code)}，请与封存单上的核对。`, en: `The code computed from the QR text: ${groupSealCode(s.code)}; compare it with the sheet.` }]
          : []),
      ];
    }
    return [
      what ? { zh: `封存核验未通过！${what.zh}。`, en: `Seal check FAILED: ${what.en}.` } : { zh: '封存核验未通过！', en: 'Seal check FAILED.' },
      ...v.findings.map((f) => `  - [${f.kind}] ${f.message}`),
      ...(v.now && s ? [`当日片段 clips that day: 封存时 sealed ${s.clipCount}，现在 now ${v.now.clipCount}`] : []),
    ];
  });
  if (v.ok) return EXIT.ok;
  // As `audit verify` does: the alarm also goes to stderr, where cron mail and log collectors look.
  for (const f of v.findings) ctx.out.warn(f.message);
  return EXIT.failed;
}

/** Refuses `--seal` with an empty value before opening anything. */
export function sealText(value: unknown): string | null {
  if (value === undefined) return null;
  if (typeof value !== 'string' || value.trim() === '') {
    throw new StationError('invalid_input', '--seal 后须给出封存码或二维码内容。 / --seal needs the seal code or the QR text.', { issues: [{ path: 'seal', message: 'empty' }] });
  }
  return value;
}
