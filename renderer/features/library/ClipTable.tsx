// The result list. Up to a few hundred rows it is a plain table; past that
// only the rows in the scrolled window (and a margin) are rendered, between two
// spacer rows of the right height, so 100,000 results scroll as smoothly as 50.
// Rows are of one fixed height (app.css .clip-row) for that arithmetic.
import { memo, useLayoutEffect, useRef, useState } from 'react';
import type { ClipSummary } from '../../../shared/library.js';
import { isSecret } from '../../../shared/library.js';
import { useStationTime } from '../../app/context.js';
import { href, navigate } from '../../app/route.js';
import { useI18n } from '../../i18n/i18n.js';
import { durationText, kindText, levelText, officerText, sizeText } from './words.js';

/** Row height in px, as app.css sets it. */
const ROW = 56;
/** Below this many rows every row is rendered. */
const WINDOW_FROM = 300;
const MARGIN = 15;
/** The window moves in steps of this many rows: a scroll within a step renders nothing. */
const STEP = 5;

/** Choosing results to act on together (综合处: export the chosen ones); `toggle` must be stable. */
export interface ClipSelection {
  selected: ReadonlySet<number>;
  toggle(id: number): void;
}

export function ClipTable({ clips, selection }: { clips: ClipSummary[]; selection?: ClipSelection | undefined }) {
  const { t } = useI18n();
  const box = useRef<HTMLDivElement>(null);
  const [view, setView] = useState({ top: 0, height: 800 });
  const windowed = clips.length > WINDOW_FROM;

  useLayoutEffect(() => {
    const el = box.current;
    if (!el || !windowed) return;
    // Quantised, so most scroll events change no state (and React renders nothing for them).
    const update = () => {
      const top = Math.floor(el.scrollTop / (ROW * STEP)) * ROW * STEP;
      const height = Math.ceil(el.clientHeight / (ROW * STEP)) * ROW * STEP;
      setView((v) => (v.top === top && v.height === height ? v : { top, height }));
    };
    update();
    el.addEventListener('scroll', update, { passive: true });
    const resize = new ResizeObserver(update);
    resize.observe(el);
    return () => {
      el.removeEventListener('scroll', update);
      resize.disconnect();
    };
  }, [windowed]);

  const first = windowed ? Math.max(0, Math.floor(view.top / ROW) - MARGIN) : 0;
  const last = windowed ? Math.min(clips.length, Math.ceil((view.top + view.height) / ROW) + MARGIN) : clips.length;
  const rows = clips.slice(first, last);

  return (
    <div ref={box} className={`table-wrap${windowed ? ' clip-scroll' : ''}`} role="region" aria-label={t('library.results')} tabIndex={0}>
      <table className="table clip-table">
        <thead>
          <tr>
            {selection && (
              <th scope="col" className="select-cell">
                {t('library.col.choose')}
              </th>
            )}
            <th scope="col">{t('library.col.time')}</th>
            <th scope="col">{t('library.col.camera')}</th>
            <th scope="col">{t('library.col.officer')}</th>
            <th scope="col">{t('library.col.kind')}</th>
            <th scope="col">{t('library.col.duration')}</th>
            <th scope="col">{t('library.col.size')}</th>
            <th scope="col">{t('library.col.important')}</th>
            <th scope="col">{t('library.col.level')}</th>
            <th scope="col">{t('library.col.damaged')}</th>
          </tr>
        </thead>
        <tbody>
          {first > 0 && <tr aria-hidden="true" style={{ height: first * ROW }} />}
          {rows.map((c) => (
            <ClipRow key={c.id} clip={c} selected={selection ? selection.selected.has(c.id) : null} toggle={selection?.toggle} />
          ))}
          {last < clips.length && <tr aria-hidden="true" style={{ height: (clips.length - last) * ROW }} />}
        </tbody>
      </table>
    </div>
  );
}

/** One result; memoised on the clip, so moving the window renders only the rows that come into it. */
const ClipRow = memo(function ClipRow({ clip: c, selected, toggle }: { clip: ClipSummary; selected: boolean | null; toggle: ((id: number) => void) | undefined }) {
  const { t } = useI18n();
  const time = useStationTime();
  const when = c.startAt === null ? t('library.noTime') : time(c.startAt);
  return (
    // The link in the first cell is the keyboard's way in; the whole row answers a tap.
    <tr className={`clip-row${selected ? ' clip-row-chosen' : ''}`} onClick={() => navigate({ screen: 'clip', id: c.id })}>
      {selected !== null && (
        // The whole cell is the box's target (a finger's width); a tap on it chooses, it does not open the clip.
        <td className="select-cell" onClick={(e) => e.stopPropagation()}>
          <label className="select-target">
            <input type="checkbox" checked={selected} onChange={() => toggle?.(c.id)} aria-label={t('library.chooseClip', { time: when, camera: c.device.serial })} />
          </label>
        </td>
      )}
      <td className="nowrap">
        <a className="table-link" href={href({ screen: 'clip', id: c.id })} onClick={(e) => e.stopPropagation()}>
          {when}
        </a>
      </td>
      <td className="mono nowrap">{c.device.serial}</td>
      <td className="nowrap">{officerText(t, c)}</td>
      <td>{kindText(t, c.kind)}</td>
      <td className="nowrap">{durationText(t, c.durationMs)}</td>
      <td className="nowrap">{sizeText(t, c.size)}</td>
      <td>{c.important ? <span className="tag tag-warn">{t('library.important')}</span> : ''}</td>
      <td className="nowrap">
        {c.confidentiality === 'normal' ? levelText(t, c.confidentiality) : <span className={`tag ${isSecret(c.confidentiality) ? 'tag-bad' : 'tag-off'}`}>{levelText(t, c.confidentiality)}</span>}
      </td>
      <td>{c.damaged ? <span className="tag tag-bad">{t('library.damaged')}</span> : ''}</td>
    </tr>
  );
});
