// Identification: which profile describes a docked volume, by USB id, volume
// label and marker files, refusing to guess between equal matches.
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
  reasons: string[];
}

export interface Identification {
  profile: CameraProfile | null;
  /** Why this profile (or why none): bilingual sentences for the notice and the log. */
  reasons: string[];
  verdicts: ProfileVerdict[];
}

const hex4 = (v: number | string) => (typeof v === 'number' ? v.toString(16) : v.replace(/^0x/i, '')).toLowerCase().padStart(4, '0');

// Evidence weights: a USB id names the model; a label is a strong hint but
// people rename volumes; each marker present adds a little, so the profile
// that explains more of the volume wins over a generic one.
const SCORE_USB = 100;
const SCORE_LABEL = 20;
const SCORE_MARKER = 10;

async function judge(volume: VolumeInfo, profile: CameraProfile): Promise<ProfileVerdict> {
  const reasons: string[] = [];
  let score = 0;
  let rejected = false;
  const { usb, markers } = profile.recognise;
  if (usb.length > 0) {
    if (volume.usb) {
      const id = `${hex4(volume.usb.vendorId)}:${hex4(volume.usb.productId)}`;
      if (usb.some((u) => `${u.vendorId}:${u.productId}` === id)) {
        score += SCORE_USB;
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
        reasons.push(`卷标“${volume.label}”符合 / label "${volume.label}" matches`);
      } else reasons.push(`卷标“${volume.label}”不符合 / label "${volume.label}" does not match`);
    } else reasons.push('卷标未知 / label unknown');
  }
  for (const marker of markers) {
    const wantFolder = marker.endsWith('/');
    const found = await locate(volume.root, marker);
    if (found.state === (wantFolder ? 'folder' : 'file')) {
      score += SCORE_MARKER;
      reasons.push(`有标志${wantFolder ? '目录' : '文件'} ${marker} / marker ${marker} present`);
    } else {
      rejected = true;
      const why = found.state === 'symlink' ? '是符号链接，不跟随 / is a symbolic link (not followed)' : found.state === 'missing' ? '不存在 / is missing' : `类型不对 / is not a ${wantFolder ? 'folder' : 'file'}`;
      reasons.push(`标志 ${marker} ${why}`);
    }
  }
  if (!rejected && score === 0) reasons.push('没有任何识别依据成立 / no evidence for this model');
  return { profileId: profile.id, matched: !rejected && score > 0, score: rejected ? 0 : score, reasons };
}

/**
 * Which profile describes the volume. Every profile is judged; the best
 * score wins. Two profiles with the same best score are a configuration
 * problem (the station cannot know how to read the camera), so the answer is
 * then null with a reason, rather than a coin toss.
 */
export async function identifyVolume(volume: VolumeInfo, profiles: readonly CameraProfile[]): Promise<Identification> {
  const verdicts = await Promise.all(profiles.map((p) => judge(volume, p)));
  const matched = verdicts.filter((v) => v.matched).sort((a, b) => b.score - a.score);
  const best = matched[0];
  if (!best) {
    return { profile: null, reasons: ['没有相机配置与此卷匹配（可能是普通 U 盘） / no camera profile matches this volume (a plain USB stick?)'], verdicts };
  }
  const tied = matched.filter((v) => v.score === best.score);
  if (tied.length > 1) {
    const ids = tied.map((v) => v.profileId).join(', ');
    return {
      profile: null,
      reasons: [`多个相机配置同样匹配：${ids}；请让其中一个更具体（USB 标识、卷标或标志文件） / profiles ${ids} match equally; make one more specific (USB id, label or markers)`],
      verdicts,
    };
  }
  return { profile: profiles.find((p) => p.id === best.profileId)!, reasons: best.reasons, verdicts };
}
