import type { EventMap, EventName } from '../../shared/contract.js';

export type ConnectionId = number;
export type EventListener = (event: EventName, payload: unknown, target: ConnectionId | null) => void;

/** Core → hosts. `target` is null for broadcasts, or the one connection it concerns. */
export class EventBus {
  private readonly listeners = new Set<EventListener>();
  on(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  emit<E extends EventName>(event: E, payload: EventMap[E], target: ConnectionId | null = null): void {
    for (const l of this.listeners) {
      try {
        l(event, payload, target);
      } catch {
        // A failing listener (a closed socket) must not stop the others or the change.
      }
    }
  }
}
