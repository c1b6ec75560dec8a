// Live video to one viewer: a JSON hello, the init segment, then one fragment per frame.
// The WebSocket's own send buffer is the viewer's bounded queue: the hub skips fragments
// for a viewer whose buffer is full instead of letting memory grow.
import type { WebSocket } from 'ws';
import { LIVE_CLOSE, type LiveHello } from '../../../shared/api';
import type { StreamRole } from '../../../shared/cameras';
import type { CameraService } from '../cameras/camera-service';


export class LiveSockets {
  private readonly byCamera = new Map<string, Set<WebSocket>>();

  constructor(private readonly cameras: CameraService) {
    // A changed or removed camera gets new hubs: tell its viewers to reconnect.
    cameras.on('event', (event) => {
      if (event.type === 'camera.updated') this.closeCamera(event.camera.id, LIVE_CLOSE.CAMERA_RESTARTED, 'camera settings changed');
      if (event.type === 'camera.removed') this.closeCamera(event.id, LIVE_CLOSE.CAMERA_NOT_RUNNING, 'camera removed');
    });
  }

  attach(ws: WebSocket, cameraId: string, role: StreamRole): void {
    const hub = this.cameras.hub(cameraId, role);
    if (!hub) {
      ws.close(LIVE_CLOSE.CAMERA_NOT_RUNNING, 'camera is not running');
      return;
    }
    const unsubscribe = hub.subscribe({
      onInit: (init) => {
        // Without a sub-stream the 'sub' viewer watches the main stream (the same hub).
        const streams = this.cameras.get(cameraId).status.streams;
        const stream = streams.find((s) => s.role === role) ?? streams.find((s) => s.role === 'main')!;
        const hello: LiveHello = { type: 'live.hello', camera: cameraId, stream: { ...stream, mime: init.mime, width: init.width, height: init.height } };
        ws.send(JSON.stringify(hello));
      },
      send: (data) => ws.send(data, { binary: true }),
      bufferedBytes: () => ws.bufferedAmount,
    });
    let set = this.byCamera.get(cameraId);
    if (!set) this.byCamera.set(cameraId, (set = new Set()));
    set.add(ws);
    ws.on('close', () => {
      unsubscribe();
      set.delete(ws);
    });
    // Viewers only listen; anything they send is ignored rather than buffered.
    ws.on('message', () => undefined);
  }

  private closeCamera(cameraId: string, code: number, reason: string): void {
    for (const ws of this.byCamera.get(cameraId) ?? []) ws.close(code, reason);
    this.byCamera.delete(cameraId);
  }

  closeAll(): void {
    for (const id of [...this.byCamera.keys()]) this.closeCamera(id, 1001, 'engine stopping');
  }
}
