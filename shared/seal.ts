// The daily audit seal (issue 19): what crosses the contract, and the few pure
// helpers the renderer and the CLI both need to write a seal for people.

/**
 * What a seal vouches for, every field of which goes into its digest (the
 * core's audit/seal-format.ts serialises them). Hashes are lower-case hex.
 */
export interface SealFields {
  /** The station's name, as configured when the seal was made. */
  station: string;
  /** The day sealed, `YYYY-MM-DD` in the station's zone. */
  day: string;
  /** The day's bounds as UTC instants (the end exclusive): a later change of zone cannot move them. */
  dayStartAt: number;
  dayEndAt: number;
  /** 1 for the station's first seal, each next one more. */
  number: number;
  madeAt: number;
  /** The highest clip id in the index when sealed: clips indexed later are not this seal's. */
  clipsThrough: number;
  /** The audit head when sealed (the seal's own row comes after it); 0 and the genesis hash for an empty log. */
  auditSeq: number;
  auditHash: string;
  /** The clips committed that day (to `clipsThrough`) and the Merkle root over them. */
  clipCount: number;
  merkleRoot: string;
  /** The previous seal's digest; 64 zeros for the first. */
  previous: string;
}

export interface Seal extends SealFields {
  /** SHA-256 of the payload. */
  digest: string;
  /** The 32-character human form (Crockford base32 of the digest's first 20 bytes), without spaces. */
  code: string;
  /** The QR code's text: every field, so the seal can be verified with no stored copy. */
  payload: string;
  /** Made after its day ended (the daily seal), not "so far" during the day. */
  complete: boolean;
}

export interface SealView extends Seal {
  /** The seal's file beside the station's data, or null if it could not be written (the log says why). */
  file: string | null;
  /** The seal's own audit row. */
  auditRow: number;
}

/** A seal sheet to print in the app: the seal and its QR code's modules. */
export interface SealSheet {
  seal: SealView;
  /** The previous seal's human form, to compare with the last sheet filed; null for the first seal. */
  previousCode: string | null;
  /** One string per row of modules, '1' dark; no quiet zone. */
  qr: string[];
}

export const sealFindingKinds = [
  'record_not_found', // the 32-character form matches no seal this station keeps
  'station_differs', // the seal names another station
  'audit_chain_broken', // the chain does not hold from its first row to the sealed head
  'audit_row_missing', // the log no longer reaches the sealed head
  'audit_row_changed', // the row at the sealed head carries another hash: the chain was rewritten
  'clips_differ', // the day's clips are not the ones sealed (count, Merkle root)
  'clip_missing', // a sealed clip is gone from the index
  'clip_changed', // a sealed clip's row holds another hash, size or path
  'clip_added', // a clip of the sealed day the seal did not hold
  'clips_unnamed', // which clips differ cannot be told: the seal's list of clips is gone
  'seal_row_missing', // the seal's own audit row is gone
  'seal_file_missing', // the seal's file is gone or altered
] as const;
export type SealFindingKind = (typeof sealFindingKinds)[number];

export interface SealFinding {
  kind: SealFindingKind;
  /** The sentence in Chinese then English, for the CLI and logs; the renderer words it from kind and params. */
  message: string;
  params: Record<string, string | number>;
}

export interface SealVerification {
  ok: boolean;
  /** What was given: the QR code's payload, or the human form (then the seal came from a stored copy). */
  given: 'payload' | 'code';
  /** The seal checked; null when the human form matched no stored seal. */
  seal: Seal | null;
  /** The day's clips as the index holds them now. */
  now: { clipCount: number; merkleRoot: string } | null;
  findings: SealFinding[];
}

/** `ABCD EFGH …`: the human form in groups of four, as printed. */
export function groupSealCode(code: string): string {
  return code.replace(/(.{4})(?=.)/g, '$1 ');
}
