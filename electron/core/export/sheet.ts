// The 文字说明材料 of an evidence disc (issue 21, 第十七条: "制作文字说明材料，注明制作人、提取人、
// 提取时间等信息"): what the disc is, who made it, who took it and when, and every file on it with
// its hashes. The same content is written twice at the disc's root, `说明.pdf` (sheet-pdf.ts) to
// print and sign and `说明.txt` (here) for any computer to open, so both are built from the one
// list of fields below; `校验方法.txt` says how to check the disc without the station.
//
// Pure: the export service gathers the data and writes what these functions return.
import { formatStationTime } from '../../../shared/time.js';
import { formatBytes } from '../cli/format.js';
import { totalBytes } from './bag.js';

export interface SheetFile {
  /** As on the disc: 'data/CAM0001/20261207_101500_0001.MP4'. */
  discPath: string;
  /** The full path on the camera, may be long and Chinese. */
  originalPath: string;
  cameraSerial: string;
  /** '张三（010001）', or null when unknown. */
  officer: string | null;
  /** Recorded start and end, ms since the epoch (station-corrected). */
  startAt: number | null;
  endAt: number | null;
  size: number;
  sha256: string;
  /** When the station hashes with SM3. */
  sm3: string | null;
  /** How the clip was verified at ingest: a `Verification` of ingest/copy/types.ts. */
  verification: string;
  damaged: boolean;
  damageReason: string | null;
}

export interface SheetInput {
  stationName: string;
  /** IANA, e.g. 'Asia/Shanghai': every time on the sheet is this zone's. */
  timeZone: string;
  /** 导出编号, e.g. 'DC-000012'. */
  exportNo: string;
  /** 案件编号. */
  caseNo: string | null;
  /** 案由. */
  caseCause: string | null;
  /** 用途 as words, Chinese and English. */
  purpose: string;
  /** 制作人: '李四（020002）· 综合处'. */
  maker: string;
  /** 提取人: '王五 · 某某区人民检察院 · 身份证 1101…' or a registry person. */
  recipient: string;
  /** 提取时间. */
  extractedAt: number;
  /** 批准人 and when, where an approval was needed. */
  approvedBy: string | null;
  approvedAt: number | null;
  /** 第 i 张 共 n 张. */
  disc: number;
  discs: number;
  volumeId: string;
  /** The set's id (Bag-Group-Identifier). */
  groupId: string;
  files: readonly SheetFile[];
  /** A reprint (补打): the PDF says 补打 plainly on every page with the reprint time. */
  reprint: { at: number; by: string } | null;
}

/** A line of the sheet: its heading in both languages, the value, and the value in English where it differs. */
export interface SheetField {
  zh: string;
  en: string;
  value: string;
  valueEn?: string;
  /** A hash: printed in a monospace face. */
  hex?: boolean;
  /** Short enough that the PDF sets two such fields side by side. */
  short?: boolean;
}

/** Chinese first, English second: one pair of words. */
export interface Words {
  zh: string;
  en: string;
}

export const TITLE: Words = { zh: '电子数据提取说明', en: 'Description of extracted electronic data' };
export const FILES_HEADING: Words = { zh: '文件清单', en: 'Files on this disc' };
export const UNKNOWN: Words = { zh: '不详', en: 'unknown' };
export const REPRINT: Words = { zh: '补打', en: 'REPRINT' };
/** The two people who sign, as 第十七条 names them. */
export const SIGNATURES: ReadonlyArray<Words> = [
  { zh: '制作人（签名）', en: 'Made by (signature)' },
  { zh: '提取人（签名）', en: 'Received by (signature)' },
];
export const DATE: Words = { zh: '日期', en: 'Date' };

/**
 * How a clip was verified at ingest (`Verification` in ingest/copy/types.ts), for a reader who
 * does not know the station: what was compared, and whether the re-read came from the disk.
 */
export const VERIFICATIONS: Readonly<Record<string, Words>> = {
  'direct-readback': {
    zh: '入库时写入后绕过缓存从存储介质读回比对',
    en: 're-read from the medium bypassing the cache and compared at ingest',
  },
  'evicted-readback': {
    zh: '入库时写入后清除系统缓存，再从存储介质读回比对',
    en: 'dropped from the system cache, then re-read from the medium and compared at ingest',
  },
  'cache-readback': {
    zh: '入库时写入后读回比对（读回可能来自系统缓存）',
    en: 're-read and compared at ingest (the re-read may have come from the system cache)',
  },
  none: {
    zh: '入库时复制中计算哈希，未读回比对',
    en: 'hashed as it was copied at ingest; not re-read',
  },
};

/** A verification the table does not know (a later station's) is shown as its code rather than dropped. */
export function verificationWords(code: string): Words {
  return VERIFICATIONS[code] ?? { zh: code, en: code };
}

/** The time and its zone, so a reader elsewhere is not misled: '2026-12-07 10:15:00 (Asia/Shanghai)', the same in both languages. */
function at(ms: number, timeZone: string): string {
  return `${formatStationTime(ms, timeZone)} (${timeZone})`;
}

/** '1,234,567 字节（1.2 MB）': the exact count to compare, the rounded one to read. */
export function sizeWords(bytes: number): Words {
  const exact = bytes.toLocaleString('en-US');
  return { zh: `${exact} 字节（${formatBytes(bytes)}）`, en: `${exact} bytes (${formatBytes(bytes)})` };
}

/** `value` with its English only when that says something the value does not. */
function field(zh: string, en: string, value: Words | string): SheetField {
  if (typeof value === 'string') return { zh, en, value };
  return value.zh === value.en ? { zh, en, value: value.zh } : { zh, en, value: value.zh, valueEn: value.en };
}

const orUnknown = (v: string | null): Words | string => (v === null || v === '' ? UNKNOWN : v);

/** The sheet's table, in order: who made it, who took it, when, for what, and which disc this is. */
export function sheetFields(input: SheetInput): SheetField[] {
  const tz = input.timeZone;
  const fields = [
    field('工作站', 'Station', input.stationName),
    field('导出编号', 'Export no.', input.exportNo),
    field('案件编号', 'Case no.', orUnknown(input.caseNo)),
    field('案由', 'Cause of the case', orUnknown(input.caseCause)),
    field('用途', 'Purpose', input.purpose),
    field('制作人', 'Made by', input.maker),
    field('提取人', 'Received by', input.recipient),
    field('提取时间', 'Extracted at', at(input.extractedAt, tz)),
  ];
  if (input.approvedBy !== null) {
    const when = input.approvedAt === null ? null : at(input.approvedAt, tz);
    fields.push(field('批准人', 'Approved by', when ? `${input.approvedBy}  ${when}` : input.approvedBy));
  }
  const total = sizeWords(totalBytes(input.files));
  fields.push(
    field('光盘', 'Disc', { zh: `第 ${input.disc} 张 共 ${input.discs} 张`, en: `disc ${input.disc} of ${input.discs}` }),
    field('卷标', 'Volume label', input.volumeId),
    field('套标识', 'Set id', input.groupId),
    field('文件数', 'Files', {
      zh: `${input.files.length} 个，共 ${total.zh}`,
      en: `${input.files.length} file(s), ${total.en} in all`,
    }),
  );
  return fields;
}

/** What the files under data/ are, and where the way to check them is written. */
export function originalsParagraph(input: SheetInput): Words {
  const n = input.files.length;
  const sm3 = input.files.some((f) => f.sm3 !== null);
  return {
    zh:
      `本光盘 data/ 目录下的 ${n} 个文件，是从本工作站证据库中的原始文件逐字节复制所得，未作任何改动；` +
      `每个文件的 SHA-256${sm3 ? '（及 SM3）' : ''} 与入库时记录的值相同，见下列文件清单。` +
      `核验方法见光盘根目录的 校验方法.txt：例如在光盘根目录执行 sha256sum -c manifest-sha256.txt，逐一核对每个文件。`,
    en:
      `The ${n} file(s) under data/ on this disc are the originals, copied byte for byte from this station's evidence store and not altered in any way; ` +
      `each file's SHA-256${sm3 ? ' (and SM3)' : ''} equals the one recorded when it was ingested, as listed below. ` +
      `How to check them is in 校验方法.txt at the disc's root: for example, sha256sum -c manifest-sha256.txt run at the disc's root checks every file.`,
  };
}

/** The time zone every recording time in the list is in. */
export function filesNote(input: SheetInput): Words {
  return { zh: `录制时间均为 ${input.timeZone} 时间。`, en: `Recording times are in ${input.timeZone}.` };
}

/** 'start – end' of a recording; an unknown end (or start) is said, not left blank. */
function recorded(f: SheetFile, timeZone: string): Words {
  const t = (ms: number | null, u: string) => (ms === null ? u : formatStationTime(ms, timeZone));
  if (f.startAt === null && f.endAt === null) return UNKNOWN;
  return { zh: `${t(f.startAt, UNKNOWN.zh)} – ${t(f.endAt, UNKNOWN.zh)}`, en: `${t(f.startAt, UNKNOWN.en)} – ${t(f.endAt, UNKNOWN.en)}` };
}

/** One file's lines under its disc path. */
export function fileFields(f: SheetFile, timeZone: string): SheetField[] {
  const fields = [
    field('原文件名', 'Original name', f.originalPath),
    { ...field('记录仪', 'Camera serial', f.cameraSerial), short: true },
    { ...field('执法人员', 'Officer', orUnknown(f.officer)), short: true },
    { ...field('录制时间', 'Recorded', recorded(f, timeZone)), short: true },
    { ...field('大小', 'Size', sizeWords(f.size)), short: true },
    { ...field('SHA-256', 'SHA-256', f.sha256), hex: true },
  ];
  if (f.sm3 !== null) fields.push({ ...field('SM3', 'SM3', f.sm3), hex: true });
  fields.push(field('核验方式', 'Verified', verificationWords(f.verification)));
  if (f.damaged) {
    const reason = f.damageReason ?? '';
    fields.push(field('受损', 'Damaged', { zh: `是${reason ? `：${reason}` : ''}`, en: `yes${reason ? `: ${reason}` : ''}` }));
  }
  return fields;
}

/** The reprint's line: when and by whom, so the copy in a file is known from the first. */
export function reprintWords(reprint: { at: number; by: string }, timeZone: string): Words {
  const t = at(reprint.at, timeZone);
  return { zh: `补打：${t}，补打人 ${reprint.by}`, en: `REPRINT: ${t}, by ${reprint.by}` };
}

const BOM = '\uFEFF';
/** Windows Notepad (and the readers a court uses) want CRLF and a BOM to show UTF-8 Chinese. */
const windowsText = (lines: readonly string[]): string => BOM + lines.join('\r\n') + '\r\n';

/** `Heading / Heading: value`, then the English value on its own line when it differs. */
function fieldLines(f: SheetField, indent = ''): string[] {
  // A heading the same in both languages (SHA-256) is said once.
  const heading = f.zh === f.en ? f.zh : `${f.zh} / ${f.en}`;
  const lines = [`${indent}${heading}: ${f.value}`];
  if (f.valueEn !== undefined) lines.push(`${indent}${' '.repeat(4)}${f.valueEn}`);
  return lines;
}

/** UTF-8 with BOM, CRLF: the same content as the PDF, every heading in Chinese then English. */
export function sheetText(input: SheetInput): string {
  const rule = '='.repeat(72);
  const lines = [`${TITLE.zh}`, TITLE.en];
  if (input.reprint) {
    const r = reprintWords(input.reprint, input.timeZone);
    lines.push(r.zh, r.en);
  }
  lines.push(rule, ...sheetFields(input).flatMap((f) => fieldLines(f)), '');
  const p = originalsParagraph(input);
  lines.push(p.zh, p.en, '', rule, `${FILES_HEADING.zh} / ${FILES_HEADING.en} (${input.files.length})`);
  const note = filesNote(input);
  lines.push(`${note.zh} ${note.en}`, '');
  input.files.forEach((f, i) => {
    lines.push(`${i + 1}. ${f.discPath}`, ...fileFields(f, input.timeZone).flatMap((x) => fieldLines(x, '   ')), '');
  });
  lines.push(rule);
  for (const s of SIGNATURES) lines.push('', `${s.zh} / ${s.en}: ____________________    ${DATE.zh} / ${DATE.en}: ____________`);
  return windowsText(lines);
}

/** 校验方法.txt: how to check this disc on any computer, Chinese then English. */
export function checkMethodText(o: { hasSm3: boolean; hasLargeFiles: boolean; volumeId: string }): string {
  // One line of PowerShell: each manifest line is "<hash>  <path>"; a file whose hash differs is named.
  const psLoop =
    "Get-Content -Encoding UTF8 manifest-sha256.txt | ForEach-Object { $h, $p = $_ -split '  ', 2; if ((Get-FileHash -Algorithm SHA256 -LiteralPath $p).Hash -ne $h) { \"FAILED: $p\" } else { \"OK: $p\" } }";
  const zh = [
    `光盘核验方法（卷标 ${o.volumeId}）`,
    '',
    '本光盘根目录是一个 BagIt 包（RFC 8493）：data/ 目录下是证据文件，manifest-sha256.txt 列出每个文件的 SHA-256，' +
      'tagmanifest-sha256.txt 列出说明材料等其他文件的 SHA-256。以下任一方法均可核对，所有文件都应显示“OK”（或“成功”）。',
    '',
    '一、Linux / macOS：在光盘根目录打开终端，执行',
    '    sha256sum -c manifest-sha256.txt',
    '    sha256sum -c tagmanifest-sha256.txt',
    '  （macOS 如无 sha256sum，可用 shasum -a 256 -c manifest-sha256.txt）',
    ...(o.hasSm3
      ? [
          '  本光盘还附有 SM3 值（manifest-sm3.txt）。安装 GmSSL 后，对单个文件执行（GmSSL 2 和 3 均可）',
          '    gmssl sm3 < data/<文件路径>',
          '  将输出与 manifest-sm3.txt 中该文件的值比对。',
        ]
      : []),
    '',
    '二、Windows：',
    '  单个文件（命令提示符）：',
    '    certutil -hashfile data\\<文件路径> SHA256',
    '  单个文件（PowerShell）：',
    '    Get-FileHash -Algorithm SHA256 data\\<文件路径>',
    '  将输出的值与 manifest-sha256.txt 或说明材料中的值比对（不区分大小写）。',
    '  全部文件（在光盘根目录打开 PowerShell，执行下面一行）：',
    `    ${psLoop}`,
    '  每行应为 OK，出现 FAILED 即该文件与记录不符。',
    '',
    '三、BagIt 工具（bagit-python）：在光盘根目录执行',
    '    bagit.py --validate .',
    ...(o.hasLargeFiles
      ? [
          '',
          '注意：本光盘有 4 GiB 或更大的文件，按 ISO 9660 第 3 级以多个区段（multi-extent）存放。' +
            '经测试，7-Zip、bsdtar（libarchive）和 xorriso 能完整读取；isoinfo 和 fuseiso 会把它显示为两个文件，只能复制前 4 GiB。' +
            '如系统自带的读取方式显示的大小与说明不符，请用 7-Zip 复制该文件后再校验。',
        ]
      : []),
  ];
  const en = [
    `How to check this disc (volume ${o.volumeId})`,
    '',
    "The disc's root is a BagIt bag (RFC 8493): the evidence files are under data/, manifest-sha256.txt lists each one's SHA-256, " +
      'and tagmanifest-sha256.txt lists the SHA-256 of the other files (the description sheets among them). Any of the ways below checks them; every file should say OK.',
    '',
    "1. Linux / macOS: open a terminal at the disc's root and run",
    '    sha256sum -c manifest-sha256.txt',
    '    sha256sum -c tagmanifest-sha256.txt',
    '  (on macOS without sha256sum: shasum -a 256 -c manifest-sha256.txt)',
    ...(o.hasSm3
      ? [
          '  The disc also carries SM3 values (manifest-sm3.txt). With GmSSL installed, for one file run (GmSSL 2 or 3)',
          '    gmssl sm3 < data/<path of the file>',
          '  and compare the output with that file\'s line in manifest-sm3.txt.',
        ]
      : []),
    '',
    '2. Windows:',
    '  One file (Command Prompt):',
    '    certutil -hashfile data\\<path of the file> SHA256',
    '  One file (PowerShell):',
    '    Get-FileHash -Algorithm SHA256 data\\<path of the file>',
    '  Compare the value shown with manifest-sha256.txt or the description sheet (case does not matter).',
    "  Every file (open PowerShell at the disc's root and run this one line):",
    `    ${psLoop}`,
    '  Every line should say OK; FAILED names a file that differs from the record.',
    '',
    "3. BagIt tools (bagit-python): at the disc's root run",
    '    bagit.py --validate .',
    ...(o.hasLargeFiles
      ? [
          '',
          'Note: files of 4 GiB or more on this disc are stored as multi-extent files (ISO 9660 level 3). ' +
            'Tested: 7-Zip, bsdtar (libarchive) and xorriso read them whole; isoinfo and fuseiso show such a file twice and copy only its first 4 GiB. ' +
            "If the system's own reader shows a size other than the sheet's, copy the file with 7-Zip, then check it.",
        ]
      : []),
  ];
  return windowsText([...zh, '', '-'.repeat(72), '', ...en]);
}
