/**
 * The real system of the operation-sequence properties: a geopera over one data directory (restartable),
 * two orgs with keys, and the byte counts that left the server's sockets, measured per connection.
 * Downloads go over raw sockets so a client can hang up after any number of body bytes.
 */
import net from 'node:net';
import { mkdtemp, mkdir, rm, symlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Socket } from 'node:net';
import { repoRoot } from '../support/gdal.js';
import { startTestServer, type TestServer } from '../support/harness.js';

export const Orgs = ['north', 'south'] as const;
export type OrgId = (typeof Orgs)[number];

/** Credit limits: north can afford many clips, south few (so 402 and grants matter). */
export const CreditLimitKm2: Record<OrgId, number> = { north: 50, south: 0.05 };

const Env = { GEOPERA_WORKERS: '1', GEOPERA_LINK_TTL_S: '3600' };

/** A download as the client saw it and as the server's socket sent it. */
export interface DownloadResult {
  status: number;
  headers: Record<string, string>;
  /** Body bytes the client read (all of them unless it hung up) */
  body: Buffer;
  /** Body bytes the server's socket handed to the OS (its bytesWritten minus the header block) */
  serverBodyBytes: number;
}

export class World {
  t!: TestServer;
  keys = {} as Record<OrgId, string>;
  /** Server socket remote port → bytes it wrote, recorded when it closes */
  private written = new Map<number, number>();
  restarts = 0;

  private constructor(readonly dataDir: string) {}

  static async start(): Promise<World> {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'geopera-props-'));
    await symlink(path.join(repoRoot, 'data', 'areas'), path.join(dataDir, 'areas'));
    await mkdir(path.join(dataDir, 'catalog'));
    await symlink(path.join(repoRoot, 'data', 'catalog', 'items'), path.join(dataDir, 'catalog', 'items'));
    const w = new World(dataDir);
    await w.open();
    for (const org of Orgs) w.keys[org] = await w.t.makeKey(org, undefined, { creditLimitKm2: CreditLimitKm2[org] });
    return w;
  }

  private async open(): Promise<void> {
    this.t = await startTestServer({ dataDir: this.dataDir, env: Env });
    this.t.server.on('connection', (s: Socket) => {
      const port = s.remotePort!;
      s.on('close', () => this.written.set(port, s.bytesWritten));
    });
  }

  /** Close the server (running jobs get 1 s, then go back to the queue) and start it again on the same data. */
  async restart(): Promise<void> {
    await this.t.close();
    await this.open();
    this.restarts++;
  }

  async close(): Promise<void> {
    await this.t.close();
    await rm(this.dataDir, { recursive: true, force: true });
  }

  /** POST an operation with an org's key; the status, headers and JSON answer. */
  async op(org: OrgId, id: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; headers: Headers; json: Record<string, any> }> {
    const res = await this.t.op(id, body, { key: this.keys[org], headers });
    return { status: res.status, headers: res.headers, json: (await res.json()) as Record<string, any> };
  }

  /**
   * Download over a raw socket (`Connection: close`): `request` is the request line and headers; the
   * client hangs up after `cutAfter` body bytes when given. Waits (a bounded number of polls) until the
   * server's side of the connection has closed, to read what it wrote.
   */
  async download(request: string, body: string, cutAfter: number | null): Promise<DownloadResult> {
    const { port, hostname } = new URL(this.t.url);
    const sock = net.connect(Number(port), hostname);
    await new Promise<void>((resolve, reject) => sock.once('connect', resolve).once('error', reject));
    const localPort = sock.localPort!;
    sock.write(`${request}\r\nHost: ${hostname}:${port}\r\nConnection: close\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
    const chunks: Buffer[] = [];
    let headerEnd = -1;
    await new Promise<void>((resolve) => {
      sock.on('data', (c: Buffer) => {
        chunks.push(c);
        const all = Buffer.concat(chunks);
        if (headerEnd < 0) headerEnd = all.indexOf('\r\n\r\n');
        if (headerEnd >= 0 && cutAfter !== null && all.length - headerEnd - 4 >= cutAfter) {
          sock.destroy();
          resolve();
        }
      });
      sock.on('close', () => resolve());
      sock.on('error', () => resolve());
    });
    const all = Buffer.concat(chunks);
    const head = all.subarray(0, headerEnd).toString('latin1').split('\r\n');
    const headers = Object.fromEntries(head.slice(1).map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
    for (let poll = 0; !this.written.has(localPort); poll++) {
      if (poll > 2000) throw new Error(`the server never closed the connection from port ${localPort}`);
      await new Promise((r) => setTimeout(r, 5));
    }
    const written = this.written.get(localPort)!;
    this.written.delete(localPort);
    return { status: Number(head[0]!.split(' ')[1]), headers, body: all.subarray(headerEnd + 4), serverBodyBytes: written - (headerEnd + 4) };
  }
}
