// Plays one clip under a grant (第十八条): opens a view (viewing.open; registered by the core), plays
// it from the media endpoint, whose every range the core checks against the grant, and closes it
// when the player goes away. The picture carries the viewer's name, the grant and the time; there
// is no download, no context menu, no picture-in-picture, and no place in the vault anywhere.
// When the stream stops (the grant expired or was revoked, the window locked), the player asks the
// core why and says so.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { StationErrorBody } from '../../../shared/errors.js';
import type { ClipSummary } from '../../../shared/library.js';
import type { ViewCloseReason, ViewOpened } from '../../../shared/viewing.js';
import { useStation } from '../../app/context.js';
import { ErrorAlert } from '../../app/ui/ErrorAlert.js';
import { useI18n } from '../../i18n/i18n.js';
import { playsOriginal } from './playable.js';
import { ViewOverlay } from './ViewOverlay.js';

type Stopped = { because: ViewCloseReason | null };

/** What the player needs of a clip: which it is, and what the station probed of it. */
export type PlayableClip = Pick<ClipSummary, 'id' | 'kind' | 'name' | 'originalPath' | 'videoCodec' | 'audioCodec'>;

export function Player({ clip, onAskToView, autoOpen = false }: { clip: PlayableClip; onAskToView?: () => void; autoOpen?: boolean }) {
  const { t } = useI18n();
  const { client } = useStation();
  const [view, setView] = useState<ViewOpened | null>(null);
  const [opening, setOpening] = useState(false);
  const [refused, setRefused] = useState<StationErrorBody | null>(null);
  const [stopped, setStopped] = useState<Stopped | null>(null);
  const viewRef = useRef<ViewOpened | null>(null);

  const mediaRef = useRef<HTMLMediaElement | null>(null);
  const close = useCallback(() => {
    // A media element taken out of the page keeps fetching until it is emptied.
    const media = mediaRef.current;
    mediaRef.current = null;
    if (media) {
      media.pause();
      media.removeAttribute('src');
      media.load();
    }
    const v = viewRef.current;
    viewRef.current = null;
    if (v) void client.call('viewing.close', { viewId: v.viewId });
  }, [client]);
  // Leaving the page ends the view (its register row is closed with the bytes it served).
  useEffect(() => close, [close]);

  const open = async (contactSheet = false) => {
    close();
    setOpening(true);
    setRefused(null);
    setStopped(null);
    setView(null);
    const r = await client.call('viewing.open', contactSheet ? { clipId: clip.id, contactSheet: true } : { clipId: clip.id, ...(playsOriginal(clip) ? {} : { proxy: true }) });
    setOpening(false);
    if (!r.ok) return setRefused(r.error);
    viewRef.current = r.value;
    setView(r.value);
  };

  /** The media element failed: the core ended the view (asked why), or the bytes could not be read. */
  const onError = async () => {
    const v = viewRef.current;
    viewRef.current = null;
    setView(null);
    if (!v) return;
    const r = await client.call('viewing.close', { viewId: v.viewId });
    setStopped({ because: r.ok ? (r.value.wasOpen ? null : r.value.because) : null });
  };

  // Opened from a list's 播放 button: start at once (the press was the request to view).
  const autoOpened = useRef(false);
  useEffect(() => {
    if (autoOpen && !autoOpened.current) {
      autoOpened.current = true;
      void open();
    }
  });

  const src = view ? client.mediaUrl(view.viewId) : undefined;
  const common = {
    src,
    onError: () => void onError(),
    onContextMenu: (e: React.MouseEvent) => e.preventDefault(),
  };

  return (
    <div className="player" aria-label={t('player.region')} role="region">
      {!view && (
        <div className="button-row">
          <button type="button" className="btn btn-primary btn-large" onClick={() => void open()} disabled={opening}>
            {opening ? t('common.working') : t(clip.kind === 'photo' ? 'player.show' : 'player.play')}
          </button>
          {clip.kind === 'video' && (
            <button type="button" className="btn btn-secondary btn-large" onClick={() => void open(true)} disabled={opening}>
              {t('player.contactSheet')}
            </button>
          )}
          {onAskToView && (
            <button type="button" className="btn btn-secondary btn-large" onClick={onAskToView}>
              {t('player.askToView')}
            </button>
          )}
        </div>
      )}
      <ErrorAlert error={refused} />
      {stopped && (
        <p className="alert alert-error" role="alert">
          {t(`player.stopped.${stopped.because ?? 'unknown'}`)}
        </p>
      )}
      {view && (
        <>
          <p className="visually-hidden" role="status">
            {t('player.viewing', {
              who: t('common.personRef', { name: view.viewer.name, badge: view.viewer.badge }),
              grant: view.grantId === null ? t('player.ownFootage') : t('player.grantNo', { id: view.grantId }),
            })}
          </p>
          {view.proxy && (
            <p className="tag tag-warn tag-large" data-testid="proxy-label">
              {t('player.proxy')}
            </p>
          )}
          <div className={`player-stage player-${view.contactSheet ? 'photo' : view.kind}`}>
            {view.contactSheet ? (
              <img {...common} alt={t('player.contactAlt', { name: clip.name })} draggable={false} />
            ) : view.kind === 'photo' ? (
              <img {...common} alt={t('player.photoAlt', { name: clip.name })} draggable={false} />
            ) : view.kind === 'audio' ? (
              <audio
                {...common}
                ref={(a) => {
                  if (a) mediaRef.current = a;
                }}
                controls controlsList="nodownload noplaybackrate" autoPlay aria-label={t('player.audioLabel', { name: clip.name })} />
            ) : (
              <video
                {...common}
                ref={(v) => {
                  // Kept after React lets go of it, so leaving the page can still empty it.
                  if (v) mediaRef.current = v;
                }}
                controls
                autoPlay
                playsInline
                disablePictureInPicture
                disableRemotePlayback
                controlsList="nodownload noremoteplayback"
                aria-label={t('player.videoLabel', { name: clip.name })}
              />
            )}
            <ViewOverlay view={view} />
          </div>
          <div className="button-row">
            <button
              type="button"
              className="btn btn-secondary"
              onClick={() => {
                close();
                setView(null);
              }}
            >
              {t('player.close')}
            </button>
          </div>
        </>
      )}
    </div>
  );
}
