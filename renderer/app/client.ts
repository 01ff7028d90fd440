// The renderer's one way to the core: a thin, typed layer over window.station.
// It adds two things the screens should not each re-implement: a transport
// failure becomes a `core_unavailable` result (never a thrown promise), and
// answers that mean "your session changed" (locked, gone, PIN must change)
// are reported to the app shell, which switches screens.
import type { CallInput, CallName, CallResult, EventMap, EventName, StationBridge } from '../../shared/contract.js';
import type { ErrorCode } from '../../shared/errors.js';

/** Error codes that say the session, not the request, needs attention. */
export const sessionProblemCodes = ['session_locked', 'unauthenticated', 'must_change_pin', 'not_initialized'] as const;
export type SessionProblem = (typeof sessionProblemCodes)[number];

function isSessionProblem(code: ErrorCode): code is SessionProblem {
  return (sessionProblemCodes as readonly string[]).includes(code);
}

export class StationClient {
  private readonly problemListeners = new Set<(problem: SessionProblem) => void>();

  constructor(private readonly bridge: StationBridge) {}

  async call<K extends CallName>(name: K, input: CallInput<K>): Promise<CallResult<K>> {
    let result: CallResult<K>;
    try {
      result = await this.bridge.invoke(name, input);
    } catch (e) {
      // The bridge rejects only when the transport itself broke (core restarting).
      return { ok: false, error: { code: 'core_unavailable', message: e instanceof Error ? e.message : String(e) } };
    }
    if (!result.ok && isSessionProblem(result.error.code)) {
      const code = result.error.code;
      for (const listener of this.problemListeners) listener(code);
    }
    return result;
  }

  on<E extends EventName>(event: E, listener: (payload: EventMap[E]) => void): () => void {
    return this.bridge.on(event, listener);
  }

  /** Where the player fetches an open view's bytes (the host decides: app:// in the app, the harness's endpoint in a browser). */
  mediaUrl(viewId: string): string {
    return this.bridge.mediaUrl(viewId);
  }

  /** Where a disc image is saved from (exports.download's id). */
  downloadUrl(downloadId: string): string {
    return this.bridge.downloadUrl(downloadId);
  }

  onSessionProblem(listener: (problem: SessionProblem) => void): () => void {
    this.problemListeners.add(listener);
    return () => this.problemListeners.delete(listener);
  }
}

/** The client for this window, or null when no host provided window.station. */
export function clientFromWindow(): StationClient | null {
  return window.station ? new StationClient(window.station) : null;
}
