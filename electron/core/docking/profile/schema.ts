// The profile schema: what a `profiles/<id>.json` may say, checked by zod
// (unknown fields refused), and the validated profile's type with its
// compiled patterns. Checks a schema cannot express live in cross-check.ts.
import { z } from 'zod';
import type { TimeFormat } from '../wall-clock.js';

export type ClipKind = 'video' | 'audio' | 'photo' | 'other';
/** The groups a file-name pattern may name; anything else is a typo. */
export const NAME_GROUPS = ['serial', 'badge', 'start', 'seq', 'important'] as const;
export type NameGroup = (typeof NAME_GROUPS)[number];
/** The groups a label or folder-name pattern may name: who the camera is, nothing about a clip. */
export const IDENTITY_GROUPS = ['serial', 'badge'] as const;
export type IdentityGroup = (typeof IDENTITY_GROUPS)[number];

/** A path on the camera, relative to the volume root, `/`-separated, never leaving it. */
const volumePath = z
  .string()
  .min(1)
  .refine((p) => !p.startsWith('/') && !p.includes('\\') && !/^[A-Za-z]:/.test(p), {
    message: '必须是相对卷根目录的路径，用 / 分隔 / must be relative to the volume root, separated by /',
  })
  .refine((p) => !p.split('/').some((s) => s === '..' || s === '.'), {
    message: '不能含 . 或 .. / must not contain . or .. segments',
  });

const hexId = z
  .string()
  .regex(/^(0x)?[0-9a-fA-F]{4}$/, { message: '应为 4 位十六进制，如 "2207" 或 "0x2207" / must be 4 hex digits, e.g. "2207" or "0x2207"' })
  .transform((s) => s.replace(/^0x/, '').toLowerCase());

const localized = z.strictObject({ 'zh-CN': z.string().min(1), en: z.string().min(1) });
const structuredFormat = z.enum(['ini', 'keyValue', 'json', 'xml']);
const encoding = z.enum(['utf-8', 'gb18030', 'auto']).default('auto');
const key = z.string().min(1);
const mediaKind = z.enum(['video', 'audio', 'photo']);
const none = z.literal('none');

const clockRead = z.strictObject({
  path: volumePath,
  format: z.enum(['text', 'ini', 'keyValue', 'json', 'xml']),
  /** Required unless format is `text` (the whole file is the time). */
  key: key.optional(),
  encoding,
  timeFormat: z.string().min(1),
});

const clockSet = z.strictObject({
  path: volumePath,
  format: z.enum(['text', 'keyValue']),
  key: key.optional(),
  timeFormat: z.string().min(1),
  /** Some firmware wants CRLF; `\n` is the default. */
  lineEnding: z.enum(['\n', '\r\n']).default('\n'),
});

const space = z.strictObject({ key, unit: z.enum(['B', 'KiB', 'MiB', 'GiB']) });

/**
 * Where one binding item is: a key, or keys tried in order (alternative INI sections, a vendor's
 * fallback such as PolNo → DevNo); in a delimited record, the field's position counted from 1.
 */
const bindingKey = z.union([key, z.array(key).min(1), z.number().int().min(1).max(64)]);

/** A marker that is a file whose name matches `file` (a regular expression, whole name) directly in folder `in`. */
const patternMarker = z.strictObject({
  in: volumePath,
  file: z.string().min(1),
  /** false: adds to the score when present, rejects nothing when absent (a card with no recording yet). */
  required: z.boolean().default(true),
});

/** How the emulator names a kind: a template, or a template and the folder it writes into. */
const template = z.union([z.string().min(1), z.strictObject({ folder: volumePath, name: z.string().min(1) })]);

/** A pattern that reads who the camera is from a text (its volume label, a folder's name). */
const identityPattern = z.strictObject({ pattern: z.string().min(1) });

/**
 * The vendor's USB library (the 公安部 interface: Init_Device, GetZFYInfo, SyncDevTime, SetMSDC,
 * …): the names of the functions this model's library exports for each duty. The library's path and
 * the device password are the site's (station settings), never in a profile.
 */
const vendorLibrary = z.strictObject({
  functions: z.strictObject({
    /** `int f(char *idCode, int *iRet)`: opens the connected camera. */
    init: key,
    /** `int f(ZFY_INFO *info, char *pwd, int *iRet)`: 产品序号, 警号, 姓名, 单位编号, 单位名称. */
    identity: key,
    /** `void f(int *iRet)`: closes it. */
    release: key.optional(),
    /** `int f(int *percent, char *pwd, int *iRet)`. */
    battery: key.optional(),
    /** `int f(char *text, char *pwd, int *iRet)`: the camera's clock as text in `clockFormat` (a vendor extension). */
    readClock: key.optional(),
    /** `int f(char *pwd, int *iRet)`: sets the camera's clock to the computer's. */
    setClock: key.optional(),
    /** `int f(char *pwd, int *iRet)`: switches the camera to disk mode (its card appears as a volume). */
    diskMode: key.optional(),
    /** `int f(ZFY_INFO *info, char *pwd, int *iRet)`: writes the officer's 警号 and 姓名 at checkout. */
    writeOfficer: key.optional(),
  }),
  /** How the library's strings are encoded (GBK in the 公安部 interface). */
  encoding: z.enum(['utf-8', 'gb18030']).default('gb18030'),
  /** The format of readClock's text; required with readClock. */
  clockFormat: z.string().min(1).optional(),
  /** Longest any one call may take before the library's process is killed. */
  timeoutSeconds: z.number().positive().max(120).default(10),
  /** How long the card may take to show its files after disk mode. */
  diskModeSeconds: z.number().positive().max(300).default(30),
});

const example = z.strictObject({
  name: z.string().min(1),
  kind: z.enum(['video', 'audio', 'photo', 'other']).optional(),
  serial: z.string().nullable().optional(),
  badge: z.string().nullable().optional(),
  /** The start as ISO local time, e.g. `2024-05-01T08:30:00`. */
  start: z.string().nullable().optional(),
  seq: z.number().int().nullable().optional(),
  important: z.boolean().optional(),
});

export const profileSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, { message: '只能用小写字母、数字和 - / lower-case letters, digits and - only' }),
  name: localized,
  notes: z.string().optional(),
  recognise: z.strictObject({
    usb: z.array(z.strictObject({ vendorId: hexId, productId: hexId })).default([]),
    volumeLabel: z
      .strictObject({
        patterns: z.array(z.string().min(1)).min(1),
        /** The label the model writes by default; the emulator labels FAT images with it. */
        typical: z.string().min(1).max(11).optional(),
      })
      .optional(),
    /** Paths that must exist (a trailing `/` means a folder), or files matching a pattern in a folder. */
    markers: z.array(z.union([volumePath, patternMarker])).default([]),
    /** Paths that must not exist: what tells this model from one that otherwise looks the same. */
    absent: z.array(volumePath).default([]),
  }),
  /** Where else the camera says who it is, besides the vendor library and the binding file. */
  identity: z
    .strictObject({
      /** Groups `serial` and/or `badge` read from the volume label. */
      volumeLabel: identityPattern.optional(),
      /** Groups `serial` and/or `badge` read from the name of the folder holding each file. */
      folderName: identityPattern.optional(),
    })
    .default({}),
  vendorLibrary: vendorLibrary.optional(),
  footage: z.strictObject({
    folders: z.array(volumePath).min(1),
    fileName: z.strictObject({
      pattern: z.string().min(1),
      matchOn: z.enum(['name', 'path']).default('name'),
      caseSensitive: z.boolean().default(false),
      startFormat: z.string().min(1).optional(),
      important: z.strictObject({ values: z.array(z.string().min(1)).min(1), otherwise: z.string().default('') }).optional(),
      templates: z.strictObject({ video: template, audio: template, photo: template }).partial().default({}),
      examples: z.array(example).min(1),
    }),
    extensions: z.record(
      z.string().regex(/^[a-z0-9]+$/, { message: '扩展名用小写、不带点 / extensions in lower case, without the dot' }),
      mediaKind,
    ),
  }),
  binding: z.union([
    none,
    z.strictObject({
      path: volumePath,
      /** `delimited`: one record, fields split by `separator` and named by position (Info.dat's `devNo;x;polNo;name`). */
      format: z.enum(['ini', 'keyValue', 'json', 'xml', 'delimited']),
      /** Required with `delimited`. */
      separator: z.string().min(1).max(4).optional(),
      encoding,
      fields: z.strictObject({
        deviceSerial: bindingKey.optional(),
        badge: bindingKey.optional(),
        name: bindingKey.optional(),
        unitId: bindingKey.optional(),
        unitName: bindingKey.optional(),
      }),
    }),
  ]),
  clock: z.strictObject({ read: z.union([none, clockRead]), set: z.union([none, clockSet]) }),
  status: z.union([
    none,
    z.strictObject({
      path: volumePath,
      format: structuredFormat,
      encoding,
      fields: z.strictObject({ batteryPercent: key.optional(), freeSpace: space.optional(), totalSpace: space.optional() }),
    }),
  ]),
});

export type ProfileData = z.output<typeof profileSchema>;
export type BindingField = keyof Exclude<ProfileData['binding'], 'none'>['fields'];
export type VendorLibraryData = NonNullable<ProfileData['vendorLibrary']>;
export type TemplateData = string | { folder: string; name: string };

/** A validated profile with its patterns compiled. */
export interface CameraProfile extends ProfileData {
  /** The file it was loaded from. */
  readonly source: string;
  readonly compiled: {
    readonly fileName: RegExp;
    readonly groups: ReadonlySet<NameGroup>;
    readonly startFormat: TimeFormat | null;
    readonly labelPatterns: readonly RegExp[];
    readonly clockRead: TimeFormat | null;
    readonly clockSet: TimeFormat | null;
    /** Pattern markers' name patterns, in the order of `recognise.markers` (null for path markers). */
    readonly markerPatterns: readonly (RegExp | null)[];
    readonly identityLabel: RegExp | null;
    readonly identityFolder: RegExp | null;
    readonly vendorClock: TimeFormat | null;
  };
}
