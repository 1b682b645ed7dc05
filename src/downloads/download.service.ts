/**
 * Downloads of job outputs: descriptors with short-lived signed GET links, and egress-enforced file
 * answers streamed from the file store: the bytes about to be sent are reserved in the egress ledger before
 * the first one leaves (an org past its quota gets 429 before any byte, on every node), then replaced by the
 * bytes actually sent.
 */
import type { z } from 'zod';
import { requireLiveKey } from '../auth/link.key.js';
import type { Principal } from '../auth/principal.js';
import type { UrlSigner } from '../auth/url.signer.js';
import { AppError } from '../errors/app.error.js';
import type { FileStore } from '../files/file.store.js';
import type { EgressMetrics } from '../metrics/metrics.ports.js';
import type { DownloadInput } from '../operations/op.schemas.js';
import type { FileAnswer, RequestFacts } from '../operations/op.types.js';
import type { DownloadService } from '../services.js';
import type { OutputRow } from '../storage/job.store.js';
import type { NewEgress } from '../storage/ledger.store.js';
import type { Storage } from '../storage/storage.js';

export const CogMediaType = 'image/tiff; application=geotiff; profile=cloud-optimized';

/** Who is downloading, for the ledger. */
export interface Downloader {
  orgId: string;
  keyId: string | null;
  userAgent: string | null;
  requesterIp: string | null;
}

export class FileDownloads implements DownloadService {
  constructor(
    private readonly storage: Storage,
    private readonly signer: UrlSigner,
    private readonly files: FileStore,
    private readonly linkTtlS: number,
    private readonly metrics?: EgressMetrics,
  ) {}

  private async completedOutputs(orgId: string, jobId: string): Promise<OutputRow[]> {
    const job = await this.storage.jobs.getForOrg(orgId, jobId);
    if (!job) throw new AppError('job_not_found', `Job "${jobId}" does not exist`);
    if (job.status !== 'completed') throw new AppError('job_not_ready', `Job "${jobId}" is ${job.status}; files are available once it is completed`, { extra: { job_status: job.status } });
    return this.storage.jobs.outputs(jobId);
  }

  private async output(orgId: string, jobId: string, key: string): Promise<OutputRow> {
    const out = (await this.completedOutputs(orgId, jobId)).find((o) => o.output_key === key);
    if (!out) throw new AppError('output_not_found', `Job "${jobId}" has no output "${key}"`);
    return out;
  }

  private describe(principal: Principal, o: OutputRow, request: RequestFacts): Record<string, unknown> {
    const exp = Math.floor(Date.now() / 1000) + this.linkTtlS;
    const token = this.signer.sign({ purpose: 'dl', orgId: principal.orgId, jobId: o.job_id, subject: o.output_key, keyId: principal.keyId, exp });
    return {
      mosaic_type: o.output_key,
      file_name: o.file_name,
      size_bytes: o.size_bytes,
      media_type: o.media_type,
      sha256: o.sha256,
      url: `${request.baseUrl}/v1/files/${encodeURIComponent(o.job_id)}/${encodeURIComponent(o.output_key)}?token=${token}`,
      expires_at: new Date(exp * 1000).toISOString(),
    };
  }

  async descriptors(principal: Principal, jobId: string, request: RequestFacts): Promise<Record<string, unknown>[]> {
    return (await this.completedOutputs(principal.orgId, jobId)).map((o) => this.describe(principal, o, request));
  }

  async descriptor(principal: Principal, jobId: string, outputKey: string, request: RequestFacts): Promise<Record<string, unknown>> {
    return this.describe(principal, await this.output(principal.orgId, jobId, outputKey), request);
  }

  open(principal: Principal, input: z.output<typeof DownloadInput>, request: RequestFacts): Promise<FileAnswer> {
    return this.fileAnswer({ orgId: principal.orgId, keyId: principal.keyId, userAgent: input.user_agent ?? request.userAgent ?? null, requesterIp: input.requester_ip ?? request.ip }, input.job_id, input.mosaic_type);
  }

  /** For a signed link: verify (and that its key is still live), then the same egress-enforced answer. */
  async openSigned(token: string | undefined, jobId: string, key: string, request: RequestFacts): Promise<FileAnswer> {
    const claims = await requireLiveKey(this.storage, this.signer.verify(token, { purpose: 'dl', jobId, subject: key }));
    return this.fileAnswer({ orgId: claims.orgId, keyId: claims.keyId, userAgent: request.userAgent ?? null, requesterIp: request.ip }, jobId, key);
  }

  private async fileAnswer(who: Downloader, jobId: string, key: string): Promise<FileAnswer> {
    const out = await this.output(who.orgId, jobId, key);
    const row = (bytes: number, range: string | null): NewEgress => ({ org_id: who.orgId, job_id: jobId, output_key: key, key_id: who.keyId, bytes, range, user_agent: who.userAgent, requester_ip: who.requesterIp });
    let reservation: number | undefined;
    return {
      open: async (range) => {
        // Gone or not the size recorded (removed or damaged on the server): a 404, before any byte is answered.
        const stored = await this.files.stat(out.rel_path);
        if (stored?.size !== out.size_bytes) throw new AppError('output_not_found', `The file "${out.file_name}" is missing or damaged on the server`);
        return this.files.stream(out.rel_path, range, stored);
      },
      size: out.size_bytes,
      sha256: out.sha256,
      mediaType: out.media_type,
      fileName: out.file_name,
      reserve: async (bytes, range) => {
        const r = await this.storage.ledger.reserveEgress(row(bytes, range));
        if (!r.ok) {
          this.metrics?.egressRefusedOnce();
          throw new AppError('egress_quota_exceeded', `Egress quota of ${r.limitBytes} bytes is used up (${r.usedBytes} bytes sent)`, {
            headers: { 'Retry-After': '3600' }, extra: { egress_used_bytes: r.usedBytes, egress_limit_bytes: r.limitBytes },
          });
        }
        reservation = r.id;
      },
      onSent: async (bytes) => {
        this.metrics?.egressSent(bytes);
        if (reservation !== undefined) await this.storage.ledger.settleEgress(reservation, bytes);
      },
    };
  }
}
