// The profile schema: what a `profiles/<id>.json` may say, checked by zod
// (unknown fields refused), and the validated profile's type with its
// compiled patterns. Checks a schema cannot express live in cross-check.ts.
import { z } from 'zod';
import type { TimeFormat } from '../wall-clock.js';

export type ClipKind = 'video' | 'audio' | 'photo' | 'other';
/** The groups a file-name pattern may name; anything else is a typo. */
export const NAME_GROUPS = ['serial', 'badge', 'start', 'seq', 'important'] as const;
export type NameGroup = (typeof NAME_GROUPS)[number];

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
    /** Paths that must exist; a trailing `/` means a folder. */
    markers: z.array(volumePath).default([]),
  }),
  footage: z.strictObject({
    folders: z.array(volumePath).min(1),
    fileName: z.strictObject({
      pattern: z.string().min(1),
      matchOn: z.enum(['name', 'path']).default('name'),
      caseSensitive: z.boolean().default(false),
      startFormat: z.string().min(1).optional(),
      important: z.strictObject({ values: z.array(z.string().min(1)).min(1), otherwise: z.string().default('') }).optional(),
      templates: z.strictObject({ video: z.string().min(1), audio: z.string().min(1), photo: z.string().min(1) }).partial().default({}),
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
      format: structuredFormat,
      encoding,
      fields: z.strictObject({
        deviceSerial: key,
        badge: key,
        name: key.optional(),
        unitId: key.optional(),
        unitName: key.optional(),
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
  };
}
