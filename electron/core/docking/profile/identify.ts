// Identification: which profile describes a docked volume, by USB id, volume
// label and marker files, refusing to guess between equal matches.
import { readdir } from 'node:fs/promises';
import type { CameraProfile } from './schema.js';
import { locate } from './volume-path.js';

export interface VolumeInfo {
  /** Where the volume is mounted (or the watched sub-folder). */
  root: string;
  label?: string | null;
  /** Vendor and product id of the USB device, as numbers or hex strings, when known. */
  usb?: { vendorId: number | string; productId: number | string } | null;
}

export interface ProfileVerdict {
  profileId: string;
  matched: boolean;
  score: number;
  /** How many of the profile's conditions held; breaks a tie of scores in favour of the more specific profile. */
  specificity: number;
  reasons: string[];
}

export interface Identification {
  profile: CameraProfile | null;
  /** No profile, because two or more matched equally. */
  tie: boolean;
  /** The profiles that tied (empty unless `tie`). */
  tied: string[];
  /** Why this profile (or why none): bilingual sentences for the notice and the log. */
  reasons: string[];
  verdicts: ProfileVerdict[];
}

const hex4 = (v: number | string) => (typeof v === 'number' ? v.toString(16) : v.replace(/^0x/i, '')).toLowerCase().padStart(4, '0');

/** A USB id as profiles write it, `vvvv:pppp` (lower-case hex, four digits each), whatever form it came in. */
export const usbIdText = (usb: NonNullable<VolumeInfo['usb']>) => `${hex4(usb.vendorId)}:${hex4(usb.productId)}`;

// Evidence weights: a USB id names the model; a label is a strong hint but
// people rename volumes, so a label that contradicts the model only lowers
// its score. Markers weigh by how much they say: a folder (DCIM/ is on half
// the cameras sold) least, a named file more, a file whose name follows the
// model's own pattern most, so the profile that explains more of the volume
// wins over a generic one.
const SCORE_USB = 100;
const SCORE_LABEL = 20;
const SCORE_LABEL_CONTRADICTED = -15;
const SCORE_FOLDER_MARKER = 5;
const SCORE_FILE_MARKER = 10;
const SCORE_PATTERN_MARKER = 12;

/** The names of the files directly in `folder` (found ignoring case), or null when it is not a folder. */
async function filesIn(root: string, folder: string): Promise<string[] | null> {
  const found = await locate(root, folder);
  if (found.state !== 'folder') return null;
  const entries = await readdir(found.path, { withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).map((e) => e.name);
}

/** Whether a USB id is one of the profile's. */
export function usbMatches(profile: CameraProfile, usb: NonNullable<VolumeInfo['usb']>): boolean {
  const id = usbIdText(usb);
  return profile.recognise.usb.some((u) => `${u.vendorId}:${u.productId}` === id);
}

async function judge(volume: VolumeInfo, profile: CameraProfile): Promise<ProfileVerdict> {
  const reasons: string[] = [];
  let score = 0;
  let rejected = false;
  // How many of the profile's conditions held: among equal scores, the profile that asked more of the volume.
  let specificity = 0;
  const { usb, markers, absent } = profile.recognise;
  if (usb.length > 0) {
    if (volume.usb) {
      const id = usbIdText(volume.usb);
      if (usb.some((u) => `${u.vendorId}:${u.productId}` === id)) {
        score += SCORE_USB;
        specificity += 1;
        reasons.push(`USB 标识 ${id} 符合 / USB id ${id} matches`);
      } else {
        rejected = true;
        reasons.push(`USB 标识 ${id} 不是该型号 / USB id ${id} is not this model's`);
      }
    } else reasons.push('USB 标识未知 / USB id unknown');
  }
  if (profile.compiled.labelPatterns.length > 0) {
    if (volume.label) {
      if (profile.compiled.labelPatterns.some((r) => r.test(volume.label!))) {
        score += SCORE_LABEL;
        specificity += 1;
        reasons.push(`卷标“${volume.label}”符合 / label "${volume.label}" matches`);
      } else {
        score += SCORE_LABEL_CONTRADICTED;
        reasons.push(`卷标“${volume.label}”不符合该型号，降低匹配分 / label "${volume.label}" contradicts this model, lowering its score`);
      }
    } else reasons.push('卷标未知 / label unknown');
  }
  for (const [i, marker] of markers.entries()) {
    if (typeof marker !== 'string') {
      const pattern = profile.compiled.markerPatterns[i]!;
      const names = await filesIn(volume.root, marker.in);
      const hit = names?.find((n) => pattern.test(n));
      if (hit) {
        score += SCORE_PATTERN_MARKER;
        specificity += 1;
        reasons.push(`${marker.in} 中有符合该型号命名的文件 ${hit} / ${marker.in} holds ${hit}, named as this model names files`);
      } else if (marker.required) {
        rejected = true;
        reasons.push(`${marker.in} 中没有名称符合 ${marker.file} 的文件 / ${marker.in} holds no file named like ${marker.file}`);
      } else reasons.push(`${marker.in} 中暂无符合该型号命名的文件 / no file in ${marker.in} named as this model names files yet`);
      continue;
    }
    const wantFolder = marker.endsWith('/');
    const found = await locate(volume.root, marker);
    if (found.state === (wantFolder ? 'folder' : 'file')) {
      score += wantFolder ? SCORE_FOLDER_MARKER : SCORE_FILE_MARKER;
      specificity += 1;
      reasons.push(`有标志${wantFolder ? '目录' : '文件'} ${marker} / marker ${marker} present`);
    } else {
      rejected = true;
      const why = found.state === 'symlink' ? '是符号链接，不跟随 / is a symbolic link (not followed)' : found.state === 'missing' ? '不存在 / is missing' : `类型不对 / is not a ${wantFolder ? 'folder' : 'file'}`;
      reasons.push(`标志 ${marker} ${why}`);
    }
  }
  for (const path of absent) {
    const found = await locate(volume.root, path);
    if (found.state === 'missing') {
      specificity += 1;
      reasons.push(`没有 ${path}，符合该型号 / ${path} is absent, as on this model`);
    } else {
      rejected = true;
      reasons.push(`有 ${path}，该型号没有它 / ${path} is present, which this model never has`);
    }
  }
  // A contradicting label lowers the score (another profile the label fits is preferred) but does
  // not reject: people rename volumes. What matches is a profile with some evidence and none against.
  if (!rejected && specificity === 0) reasons.push('没有任何识别依据成立 / no evidence for this model');
  return { profileId: profile.id, matched: !rejected && specificity > 0, score: rejected ? 0 : score, specificity, reasons };
}

/**
 * Which profile describes the volume. Every profile is judged; the best
 * score wins, and among equal scores the most specific profile (the one with
 * more of its conditions met). Two profiles still equal are a configuration
 * problem (the station cannot know how to read the camera), so the answer is
 * then null with a reason that says so, rather than a coin toss.
 */
export async function identifyVolume(volume: VolumeInfo, profiles: readonly CameraProfile[]): Promise<Identification> {
  const verdicts = await Promise.all(profiles.map((p) => judge(volume, p)));
  const matched = verdicts.filter((v) => v.matched).sort((a, b) => b.score - a.score || b.specificity - a.specificity);
  const best = matched[0];
  if (!best) {
    return { profile: null, tie: false, tied: [], reasons: ['没有相机配置与此卷匹配（可能是普通 U 盘） / no camera profile matches this volume (a plain USB stick?)'], verdicts };
  }
  const tied = matched.filter((v) => v.score === best.score && v.specificity === best.specificity);
  if (tied.length > 1) {
    const ids = tied.map((v) => v.profileId).join(', ');
    return {
      profile: null,
      tie: true,
      tied: tied.map((v) => v.profileId),
      reasons: [`多个相机配置同样匹配（平局）：${ids}；请让其中一个更具体（USB 标识、卷标或标志文件） / a tie: profiles ${ids} match equally; make one more specific (USB id, label or markers)`],
      verdicts,
    };
  }
  return { profile: profiles.find((p) => p.id === best.profileId)!, tie: false, tied: [], reasons: best.reasons, verdicts };
}
