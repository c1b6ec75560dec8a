// HTTP + WebSocket API on 127.0.0.1, and the renderer's static files. Every API request and
// every WebSocket upgrade passes the access policy first; every error leaves as
// `{ error: { code, message } }` and never takes the engine down.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { ApiErrorBody, Health } from '../../../shared/api';
import { EngineError } from '../engine-error';
import type { CameraService } from '../cameras/camera-service';
import { AccessPolicy } from './access';
import type { AnalysisService } from '../analysis/analysis-service';
import { analysisRoutes } from './analysis-routes';
import { cameraRoutes } from './camera-routes';
import { EventSockets, type EngineEventBus } from './event-socket';
import type { IncidentService } from '../incidents/incident-service';
import { incidentRoutes } from './incident-routes';
import { ruleRoutes } from './rule-routes';
import type { AlertService } from '../alerts/alert-service';
import { alertRoutes } from './alert-routes';
import { whatsappRoutes } from './whatsapp-routes';
import type { ReviewService } from '../review/review-service';
import { reviewRoutes } from './review-routes';
import type { ExportService } from '../evidence/export-service';
import { exportRoutes } from './export-routes';
import { LiveSockets } from './live-socket';
import { securityHeaders, serveStatic } from './static-files';

export interface ApiServerDeps {
  cameras: CameraService;
  analysis: AnalysisService | null;
  incidents: IncidentService;
  events: EngineEventBus;
  health: () => Health;
  token: string;
  rendererDir: string | null;
  // -- review deps --
  review: ReviewService;
  // -- export deps --
  exports: ExportService;
  // -- alert deps --
  alerts: AlertService;
  log: (line: string) => void;
}

export class ApiServer {
  private readonly server: Server;
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024, perMessageDeflate: false });
  private readonly access: AccessPolicy;
  readonly live: LiveSockets;
  private readonly events: EventSockets;

  constructor(private readonly deps: ApiServerDeps) {
    this.access = new AccessPolicy(deps.token, () => this.port);
    this.live = new LiveSockets(deps.cameras);
    this.events = new EventSockets(deps.cameras, deps.events);
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((error) => this.fail(res, error));
    });
    // Footage uploads for analysis can take minutes; the API listens on loopback only.
    this.server.requestTimeout = 0;
    this.server.on('upgrade', (req, socket, head) => this.upgrade(req, socket, head));
    this.server.on('clientError', (_error, socket) => socket.destroy());
  }

  get port(): number {
    const address = this.server.address();
    return typeof address === 'object' && address ? address.port : 0;
  }

  listen(port: number, host = '127.0.0.1'): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.off('error', reject);
        resolve(this.port);
      });
    });
  }

  async close(): Promise<void> {
    this.live.closeAll();
    this.events.closeAll();
    for (const client of this.wss.clients) client.terminate();
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (!url.pathname.startsWith('/api/')) {
      if ((req.method === 'GET' || req.method === 'HEAD') && this.deps.rendererDir) {
        if (serveStatic(this.deps.rendererDir, url.pathname, res, this.port)) return;
        // Client-side routes fall back to the app shell.
        if (!/\.[a-z0-9]+$/i.test(url.pathname) && serveStatic(this.deps.rendererDir, '/', res, this.port)) return;
      }
      throw new EngineError('RESOURCE_NOT_FOUND', undefined, 404);
    }
    this.access.check(req, url);
    if (url.pathname === '/api/health') {
      if (req.method !== 'GET') throw new EngineError('METHOD_NOT_ALLOWED', undefined, 405);
      return this.json(res, 200, this.deps.health());
    }
    const result =
      (await cameraRoutes(this.deps.cameras, req, url.pathname)) ??
      (await ruleRoutes(this.deps.incidents, req, url.pathname)) ??
      (await incidentRoutes(this.deps.incidents, req, url)) ??
      (await analysisRoutes(this.deps.analysis, req, url)) ??
      // -- review routes --
      (await reviewRoutes(this.deps.review, req, res, url, this.port)) ??
      // -- export routes --
      (await exportRoutes(this.deps.exports, req, res, url, this.port, this.deps.log)) ??
      // -- alert routes --
      (await alertRoutes(this.deps.alerts, req, url)) ??
      // -- whatsapp routes --
      (await whatsappRoutes(this.deps.alerts, req, url)) ??
      null;
    // Media routes (review) stream their answer themselves.
    if (result === 'sent') return;
    if (result === 'method') throw new EngineError('METHOD_NOT_ALLOWED', undefined, 405);
    if (!result) throw new EngineError('RESOURCE_NOT_FOUND', undefined, 404);
    this.json(res, result.status, result.body);
  }

  private json(res: ServerResponse, status: number, body: unknown): void {
    const text = JSON.stringify(body);
    res.writeHead(status, { ...securityHeaders(this.port), 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
    res.end(text);
  }

  private fail(res: ServerResponse, error: unknown): void {
    const known = error instanceof EngineError;
    if (!known) this.deps.log(`api: unexpected error: ${(error as Error).stack ?? String(error)}`);
    const body: ApiErrorBody = known
      ? { error: { code: error.code, message: error.message, ...(error.issues ? { issues: error.issues } : {}) } }
      : { error: { code: 'INTERNAL', message: 'The engine hit an unexpected error; it keeps running.' } };
    if (res.headersSent) return void res.destroy();
    this.json(res, known ? error.status : 500, body);
  }

  private upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    try {
      this.access.check(req, url);
    } catch (error) {
      const status = error instanceof EngineError ? error.status : 400;
      socket.end(`HTTP/1.1 ${status} ${status === 401 ? 'Unauthorized' : 'Forbidden'}\r\nConnection: close\r\n\r\n`);
      return;
    }
    if (url.pathname === '/api/events') {
      this.wss.handleUpgrade(req, socket, head, (ws) => this.events.attach(ws));
      return;
    }
    const camera = url.searchParams.get('camera');
    const role = url.searchParams.get('stream') ?? 'sub';
    if (url.pathname === '/api/live' && camera && (role === 'main' || role === 'sub')) {
      this.wss.handleUpgrade(req, socket, head, (ws) => this.live.attach(ws, camera, role));
      return;
    }
    socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
  }
}
