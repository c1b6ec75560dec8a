// Engine events to the UI as JSON. A client that cannot keep up is disconnected: it
// reconnects and gets a fresh snapshot in `hello`, which beats replaying a backlog.
import type { WebSocket } from 'ws';
import { API_VERSION, LIVE_CLOSE, type EngineEvent } from '../../../shared/api';
import type { EventEmitter } from 'node:events';
import type { CameraService } from '../cameras/camera-service';

/** Everything the UI hears about, from every part of the engine. */
export type EngineEventBus = EventEmitter<{ event: [EngineEvent] }>;

const MAX_BUFFERED = 1024 * 1024;

export class EventSockets {
  private readonly clients = new Set<WebSocket>();

  constructor(
    private readonly cameras: CameraService,
    bus: EngineEventBus,
  ) {
    bus.on('event', (event) => this.broadcast(event));
  }

  attach(ws: WebSocket): void {
    this.clients.add(ws);
    ws.on('close', () => this.clients.delete(ws));
    ws.on('message', () => undefined);
    this.sendTo(ws, { type: 'hello', apiVersion: API_VERSION, cameras: this.cameras.list() });
  }

  private broadcast(event: EngineEvent): void {
    for (const ws of this.clients) this.sendTo(ws, event);
  }

  private sendTo(ws: WebSocket, event: EngineEvent): void {
    if (ws.bufferedAmount > MAX_BUFFERED) {
      ws.close(LIVE_CLOSE.TOO_SLOW, 'too slow');
      return;
    }
    ws.send(JSON.stringify(event));
  }

  closeAll(): void {
    for (const ws of this.clients) ws.close(1001, 'engine stopping');
  }
}
