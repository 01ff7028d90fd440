// The demo's hands at the counter: one UI connection to the harness's core
// over its loopback socket, exactly as a browser page has (its own session,
// the same calls and events). The demo logs in on it as the custodian.
import WebSocket from 'ws';
import type { CallInput, CallName, CallOutput, EventName, WireMessage, WireRequest } from '../../shared/contract.js';
import type { Result } from '../../shared/errors.js';

export class StationSocket {
  private nextId = 1;
  private readonly pending = new Map<number, (result: Result<unknown>) => void>();
  private readonly listeners = new Set<(event: EventName, payload: unknown) => void>();

  private constructor(private readonly ws: WebSocket) {
    ws.on('message', (data: WebSocket.RawData) => {
      const message = JSON.parse(data.toString()) as WireMessage;
      if (message.kind === 'result') {
        this.pending.get(message.id)?.(message.result);
        this.pending.delete(message.id);
      } else {
        for (const listener of this.listeners) listener(message.event, message.payload);
      }
    });
    ws.on('close', () => {
      for (const settle of this.pending.values()) {
        settle({ ok: false, error: { code: 'core_unavailable', message: '与工作站核心的连接已断开 / the connection to the station core closed' } } as Result<unknown>);
      }
      this.pending.clear();
    });
  }

  /**
   * `url` carries the harness token; `origin` is the harness page this client stands for (the
   * socket serves only its own page's origin, test/harness/socket-server.ts).
   */
  static open(url: string, origin: string): Promise<StationSocket> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, { headers: { Origin: origin } });
      ws.once('open', () => resolve(new StationSocket(ws)));
      ws.once('error', reject);
    });
  }

  call<K extends CallName>(name: K, input: CallInput<K>): Promise<Result<CallOutput<K>>> {
    const id = this.nextId++;
    const request: WireRequest = { kind: 'invoke', id, name, input };
    return new Promise((resolve) => {
      this.pending.set(id, resolve as (r: Result<unknown>) => void);
      this.ws.send(JSON.stringify(request));
    });
  }

  async ok<K extends CallName>(name: K, input: CallInput<K>): Promise<CallOutput<K>> {
    const r = await this.call(name, input);
    if (!r.ok) throw new Error(`${name}: ${r.error.code}: ${r.error.message}`);
    return r.value;
  }

  onEvent(listener: (event: EventName, payload: unknown) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  close(): void {
    this.ws.close();
  }
}
