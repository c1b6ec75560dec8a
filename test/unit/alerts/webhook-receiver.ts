// A real HTTP webhook receiver on 127.0.0.1 for the alert tests and the benchmark: it records
// every POST as it arrives (raw) and keeps one copy per Idempotency-Key (what a well-behaved
// receiver acts on), and answers as the test tells it to.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedPost {
  key: string;
  event: string | undefined;
  alertId: string | undefined;
  signature: string | undefined;
  raw: string;
  body: Record<string, unknown>;
  at: number;
}

/** How to answer one request: a status (after an optional delay), or never ('hang'). */
export type Answer = { status: number; headers?: Record<string, string>; delayMs?: number } | 'hang';

export interface WebhookReceiver {
  url: string;
  /** Every POST in arrival order, repeats included. */
  posts: ReceivedPost[];
  /** The first POST of each idempotency key. */
  unique: Map<string, ReceivedPost>;
  /** Decides each answer; called when a request's body has arrived. Default 200. */
  answer: (post: ReceivedPost, index: number) => Answer;
  close(): Promise<void>;
}

export async function startReceiver(answer?: WebhookReceiver['answer']): Promise<WebhookReceiver> {
  const hanging = new Set<ServerResponse>();
  const receiver: WebhookReceiver = { url: '', posts: [], unique: new Map(), answer: answer ?? (() => ({ status: 200 })), close: async () => undefined };
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const header = (name: string) => (typeof req.headers[name] === 'string' ? (req.headers[name] as string) : undefined);
      let body: Record<string, unknown> = {};
      try {
        body = JSON.parse(raw) as Record<string, unknown>;
      } catch {
        body = {};
      }
      const post: ReceivedPost = { key: header('idempotency-key') ?? '', event: header('x-vigil-event'), alertId: header('x-vigil-alert-id'), signature: header('x-vigil-signature'), raw, body, at: performance.now() };
      const index = receiver.posts.push(post) - 1;
      if (!receiver.unique.has(post.key)) receiver.unique.set(post.key, post);
      const reply = receiver.answer(post, index);
      if (reply === 'hang') {
        hanging.add(res);
        return;
      }
      const send = () => {
        res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
        res.end('{}');
      };
      if (reply.delayMs) setTimeout(send, reply.delayMs);
      else send();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  receiver.close = () =>
    new Promise((resolve) => {
      for (const res of hanging) res.destroy();
      server.close(() => resolve());
      server.closeAllConnections();
    });
  return receiver;
}
