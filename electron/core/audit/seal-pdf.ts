// The seal sheet: one A4 page in Chinese (English beneath each heading) for
// 综合处 to sign and file in the unit's paper register. Made with pdfkit, whose
// CJK font is subset into the file (a sheet is about 60 kB), and made the same
// byte for byte for the same seal (its dates are the seal's), so a test can
// hold it and a reprint is the same document.
import fs from 'node:fs';
import path from 'node:path';
import QRCode from 'qrcode';
import { StationError } from '../../../shared/errors.js';
import type { Seal } from '../../../shared/seal.js';
import { groupSealCode } from '../../../shared/seal.js';
import { formatStationTime } from '../../../shared/time.js';
import type { Doc } from '../files/pdf.js';
import { A4, CJK, GREY, INK, pdfBytes, stationPdf } from '../files/pdf.js';
import { GENESIS_SEAL, sealCode } from './seal-format.js';

/** A font with Chinese glyphs: a file, and for a collection (.ttc) the face's PostScript name. */
export interface SealFont {
  file: string;
  face?: string;
}

function defaultFonts(): SealFont[] {
  const windows = process.env.WINDIR ?? 'C:\\Windows';
  return [
    // Debian and Ubuntu (fonts-noto-cjk), then other Linux distributions' Noto CJK.
    { file: '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc', face: 'NotoSansCJKsc-Regular' },
    { file: '/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc', face: 'NotoSansCJKsc-Regular' },
    { file: '/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc', face: 'NotoSansCJKsc-Regular' },
    // Windows: 微软雅黑, 黑体, 宋体.
    { file: path.win32.join(windows, 'Fonts', 'msyh.ttc'), face: 'MicrosoftYaHei' },
    { file: path.win32.join(windows, 'Fonts', 'simhei.ttf') },
    { file: path.win32.join(windows, 'Fonts', 'simsun.ttc'), face: 'SimSun' },
  ];
}

/**
 * What a document the station prints is called in a font error, and what stands without it
 * (the seal stands whether or not its sheet prints), so each says what to do in its own words.
 */
export interface FontUse {
  zh: string;
  en: string;
  stands: { zh: string; en: string };
}

const SEAL_SHEET: FontUse = {
  zh: '封存单',
  en: 'seal sheet',
  stands: { zh: '封存本身已保存，可用封存码或二维码核验。', en: 'The seal itself is kept and verifies by its code or QR code.' },
};

/**
 * The font for the sheet: the configured one (config `sealFontFile`, or the environment's
 * STATION_SEAL_FONT for the app and the CLI alike), else the first of the usual Chinese fonts
 * that is installed. Throws `seal_font_missing` saying what to install or set. Every PDF the
 * station prints in Chinese (the seal sheet, the view register) takes its font from here.
 */
export function resolveSealFont(configured: { file?: string; face?: string }, use: FontUse = SEAL_SHEET): SealFont {
  const file = configured.file || process.env.STATION_SEAL_FONT;
  if (file) {
    if (!fs.existsSync(file)) {
      throw new StationError(
        'seal_font_missing',
        `${use.zh}的字体文件 ${file} 不存在。请修正 sealFontFile（或环境变量 STATION_SEAL_FONT），或删去它以使用系统自带的中文字体。${use.stands.zh} / The ${use.en}'s font file ${file} does not exist. Correct sealFontFile (or STATION_SEAL_FONT), or remove it to use the system's Chinese font. ${use.stands.en}`,
        { file },
      );
    }
    const face = configured.face || process.env.STATION_SEAL_FONT_FACE;
    return face ? { file, face } : { file };
  }
  const found = defaultFonts().find((f) => fs.existsSync(f.file));
  if (found) return found;
  throw new StationError(
    'seal_font_missing',
    `找不到能显示中文的字体，无法生成${use.zh}。请安装 Noto CJK 字体（Debian/Ubuntu：apt-get install fonts-noto-cjk），或用 sealFontFile（或环境变量 STATION_SEAL_FONT）指定一个中文字体文件。${use.stands.zh} / No font with Chinese glyphs was found, so the ${use.en} cannot be made. Install the Noto CJK fonts (Debian/Ubuntu: apt-get install fonts-noto-cjk), or name a Chinese font file with sealFontFile (or STATION_SEAL_FONT). ${use.stands.en}`,
  );
}

/**
 * Registers the Chinese font on a pdfkit document under `name` (subset into the file when
 * written) and makes it current; a file pdfkit cannot read throws `seal_font_missing`.
 */
export function registerCjkFont(doc: Doc, name: string, configured: { file?: string; face?: string }, use: FontUse = SEAL_SHEET): void {
  const font = resolveSealFont(configured, use);
  try {
    doc.registerFont(name, font.file, font.face);
    doc.font(name);
  } catch (e) {
    throw new StationError(
      'seal_font_missing',
      `字体文件 ${font.file}${font.face ? `（${font.face}）` : ''} 无法用于${use.zh}：${(e as Error).message}。请用 sealFontFile / sealFontFace（或 STATION_SEAL_FONT / STATION_SEAL_FONT_FACE）指定另一个中文字体。 / The font ${font.file}${font.face ? ` (${font.face})` : ''} cannot be used for the ${use.en}: ${(e as Error).message}. Name another Chinese font with sealFontFile / sealFontFace (or STATION_SEAL_FONT / STATION_SEAL_FONT_FACE).`,
      { file: font.file },
    );
  }
}

/** The QR code of a payload, one string of '0'/'1' per row of modules (no quiet zone). Level M: 15 % may be lost to a fold or a stamp. */
export function sealQr(payload: string): string[] {
  const { modules } = QRCode.create(payload, { errorCorrectionLevel: 'M' });
  const rows: string[] = [];
  for (let r = 0; r < modules.size; r++) {
    let row = '';
    for (let c = 0; c < modules.size; c++) row += modules.get(r, c) ? '1' : '0';
    rows.push(row);
  }
  return rows;
}

const MARGIN = 50;
/** pdfkit's own Courier for the code and hashes: Latin only, and the sheet's look since the first seal. */
const MONO = 'Courier';
const MONO_BOLD = 'Courier-Bold';

/** A label in Chinese with its English beneath, at (x, y); returns the height used. */
function label(doc: Doc, zh: string, en: string, x: number, y: number, width: number): number {
  doc.font(CJK).fontSize(10.5).fillColor(INK).text(zh, x, y, { width, lineBreak: false });
  doc.font(CJK).fontSize(7.5).fillColor(GREY).text(en, x, y + 14, { width, lineBreak: false });
  return 26;
}

function drawQr(doc: Doc, rows: string[], x: number, y: number, size: number): void {
  // Four modules of quiet zone around the code, as scanners need.
  const n = rows.length + 8;
  const m = size / n;
  doc.save().rect(x, y, size, size).fill('#ffffff');
  doc.fillColor(INK);
  rows.forEach((row, r) => {
    // One rectangle per run of dark modules: fewer drawing operations than one per module.
    for (let c = 0; c < row.length; ) {
      if (row[c] !== '1') {
        c++;
        continue;
      }
      const start = c;
      while (c < row.length && row[c] === '1') c++;
      doc.rect(x + (start + 4) * m, y + (r + 4) * m, (c - start) * m, m);
    }
  });
  doc.fill(INK).restore();
}

/** The seal sheet as PDF bytes. */
export function renderSealPdf(seal: Seal, options: { timeZone: string; font: { file?: string; face?: string } }): Promise<Buffer> {
  // The font first: a missing one is said before a document is begun.
  resolveSealFont(options.font);
  // The seal's own time: the same seal gives the same file.
  const doc = stationPdf({ margin: MARGIN, title: `审计封存单 / Audit seal ${seal.day} #${seal.number}`, subject: seal.payload, dated: seal.madeAt });
  const done = pdfBytes(doc);
  registerCjkFont(doc, CJK, options.font);
  layout(doc, seal, options.timeZone);
  doc.end();
  return done;
}

function layout(doc: Doc, seal: Seal, timeZone: string): void {
  const left = MARGIN;
  const right = A4.width - MARGIN;
  const width = right - left;

  // Title, and the seal's number where a clerk filing sheets looks first.
  doc.font(CJK).fontSize(26).fillColor(INK).text('审计封存单', left, MARGIN, { lineBreak: false });
  doc.font(CJK).fontSize(12).fillColor(GREY).text('Audit seal', left, MARGIN + 36, { lineBreak: false });
  doc.font(CJK).fontSize(14).fillColor(INK).text(`第 ${seal.number} 号`, left, MARGIN + 6, { width, align: 'right', lineBreak: false });
  doc.font(CJK).fontSize(9).fillColor(GREY).text(`Seal no. ${seal.number}`, left, MARGIN + 28, { width, align: 'right', lineBreak: false });
  doc.moveTo(left, MARGIN + 58).lineTo(right, MARGIN + 58).lineWidth(1).strokeColor(INK).stroke();

  // The fields on the left, the QR code on the right.
  const qrSize = 180;
  const qrX = right - qrSize;
  const top = MARGIN + 74;
  drawQr(doc, sealQr(seal.payload), qrX, top, qrSize);
  doc.font(CJK).fontSize(8).fillColor(GREY).text('扫描核验 / Scan to verify', qrX, top + qrSize + 4, { width: qrSize, align: 'center', lineBreak: false });

  const labelW = 118;
  const valueX = left + labelW;
  const valueW = qrX - 16 - valueX;
  let y = top;
  const row = (zh: string, en: string, value: (x: number, y: number) => number) => {
    const used = Math.max(label(doc, zh, en, left, y, labelW - 8), value(valueX, y));
    y += used + 10;
  };
  const plain = (text: string, sub?: string) => (x: number, yy: number) => {
    doc.font(CJK).fontSize(11).fillColor(INK).text(text, x, yy, { width: valueW });
    let h = doc.heightOfString(text, { width: valueW });
    if (sub) {
      doc.font(CJK).fontSize(7.5).fillColor(GREY).text(sub, x, yy + h + 1, { width: valueW });
      h += 1 + doc.heightOfString(sub, { width: valueW });
    }
    return h;
  };
  const hex = (text: string, lead?: string) => (x: number, yy: number) => {
    let h = 0;
    if (lead) {
      doc.font(CJK).fontSize(11).fillColor(INK).text(lead, x, yy, { width: valueW, lineBreak: false });
      h = 16;
    }
    // 32 hex digits a line, in a monospace face: read and compared in halves.
    doc.font(MONO).fontSize(8.5).fillColor(INK).text(`${text.slice(0, 32)}\n${text.slice(32)}`, x, yy + h, { width: valueW, lineGap: 1 });
    return h + 22;
  };

  const time = (ms: number) => `${formatStationTime(ms, timeZone)}`;
  const scope = seal.complete
    ? ['全天', 'the whole day']
    : [`截至 ${time(seal.madeAt).slice(11)}（当日尚未结束）`, `so far, to ${time(seal.madeAt).slice(11)} (the day had not ended)`];
  row('采集站', 'Station', plain(seal.station));
  row('封存日期', 'Day sealed', plain(`${seal.day}  ${scope[0]}`, scope[1]));
  row('封存时间', 'Made at', plain(time(seal.madeAt), timeZone));
  row('当日入库片段', 'Clips committed that day', plain(`${seal.clipCount} 个`, `${seal.clipCount} clip(s), to clip id #${seal.clipsThrough}`));
  row('默克尔根', 'Merkle root of the clips', hex(seal.merkleRoot));
  row('审计记录头', 'Audit head', hex(seal.auditHash, `第 ${seal.auditSeq} 条 / row #${seal.auditSeq}`));
  const previous = seal.previous === GENESIS_SEAL ? null : groupSealCode(sealCode(seal.previous)).split(' ');
  row(
    '上一封存码',
    'Previous seal code',
    previous
      ? (x, yy) => {
          // Four groups a line, as on the previous sheet.
          doc.font(MONO_BOLD).fontSize(10).fillColor(INK).text(`${previous.slice(0, 4).join(' ')}\n${previous.slice(4).join(' ')}`, x, yy, { width: valueW, lineGap: 1 });
          const note = '应与上一张封存单的封存码相同 / must equal the code on the previous sheet';
          doc.font(CJK).fontSize(7.5).fillColor(GREY).text(note, x, yy + 26, { width: valueW });
          return 26 + doc.heightOfString(note, { width: valueW });
        }
      : plain('无（本站第一个封存）', "none (the station's first seal)"),
  );

  // The human form, large, in a box: what is copied into the register and typed to verify.
  y = Math.max(y, top + qrSize + 20) + 8;
  doc.font(CJK).fontSize(12).fillColor(INK).text('封存码', left, y, { lineBreak: false });
  doc.font(CJK).fontSize(8).fillColor(GREY).text('Seal code', left + 40, y + 3.5, { lineBreak: false });
  y += 20;
  const boxH = 84;
  doc.rect(left, y, width, boxH).lineWidth(1.5).strokeColor(INK).stroke();
  const groups = groupSealCode(seal.code).split(' ');
  doc.font(MONO_BOLD).fontSize(28).fillColor(INK);
  doc.text(groups.slice(0, 4).join('  '), left, y + 10, { width, align: 'center', lineBreak: false });
  doc.text(groups.slice(4).join('  '), left, y + 46, { width, align: 'center', lineBreak: false });
  y += boxH + 14;

  // How to verify, in each language.
  const howZh = '核验：在采集站“审计日志 → 核验封存”中输入封存码或扫描二维码，或运行 station audit verify --seal <封存码或二维码内容>。';
  const howEn = "To verify: type the code or scan the QR code in the station's Audit log → Verify a seal, or run station audit verify --seal <code or QR text>.";
  doc.font(CJK).fontSize(9.5).fillColor(INK).text(howZh, left, y, { width });
  y += doc.heightOfString(howZh, { width }) + 3;
  doc.font(CJK).fontSize(8).fillColor(GREY).text(howEn, left, y, { width });
  y += doc.heightOfString(howEn, { width }) + 24;

  // Signatures: 综合处 handles and its head approves; each with a date.
  doc.font(CJK).fontSize(11).fillColor(INK).text('综合处签字', left, y, { lineBreak: false });
  doc.font(CJK).fontSize(8).fillColor(GREY).text('Signed for 综合处 (general office)', left + 60, y + 3, { lineBreak: false });
  y += 30;
  const line = (zh: string, en: string) => {
    label(doc, zh, en, left, y, 110);
    doc.moveTo(left + 110, y + 16).lineTo(left + 300, y + 16).lineWidth(0.8).strokeColor(INK).stroke();
    label(doc, '日期', 'Date', left + 320, y, 40);
    doc.moveTo(left + 360, y + 16).lineTo(right, y + 16).lineWidth(0.8).strokeColor(INK).stroke();
    y += 46;
  };
  line('经办人', 'Handled by');
  line('负责人', 'Head');

  // The digest in full, small, at the foot: what the code is the start of.
  const foot = A4.height - MARGIN - 30;
  doc.moveTo(left, foot - 8).lineTo(right, foot - 8).lineWidth(0.5).strokeColor(GREY).stroke();
  doc.font(CJK).fontSize(7.5).fillColor(GREY).text('本单由采集站生成，签字后归入综合处封存登记簿。 / Made by the station; signed, it is filed in 综合处\'s seal register.', left, foot, { width, lineBreak: false });
  doc.font(MONO).fontSize(7).fillColor(GREY).text(`SHA-256 ${seal.digest}`, left, foot + 13, { width, lineBreak: false });
}
