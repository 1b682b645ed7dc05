/**
 * geopera's TypeScript client: `import { GeoperaClient, GeoperaError } from 'geopera/client'`.
 * Typed from the operations registry; see README "TypeScript SDK".
 */
export { GeoperaClient, DEFAULT_BASE_URL, callOperation } from './geopera.client.js';
export type { GeoperaClientOptions, NamespaceHelpers, TileJson, UserInfo } from './geopera.client.js';
export { exchangeApiKey, refreshTokens, revokeToken, OidcBase } from './oidc.session.js';
export type { TokenPair, OidcOptions } from './oidc.session.js';
export { GeoperaError, ChecksumError, problemMessage } from './geopera.error.js';
export type { Problem, FieldIssue } from './geopera.error.js';
export type { CallOptions, DownloadCallOptions, Namespace, MethodOf, ObjectMethod, ListMethod, FileMethod } from './client.namespaces.js';
export type {
  OperationId, OperationInput, OperationOutput, OperationShapes, ListItem, ListOperationId, FileOperationId,
  ResponseKindOf, Job, DownloadDescriptor, MosaicEntry, Quote,
} from './client.types.js';
export type { DownloadOptions, DownloadProgress, DownloadResult } from './file.download.js';
export type { WaitOptions } from './job.wait.js';
export { FinalStatuses } from './job.wait.js';
export { NoEventStream, parseSseFrames } from './sse.frames.js';
export type { SseFrame } from './sse.frames.js';
export type { AuthScheme, RetryNotice } from './http.transport.js';
export type { Sleep } from './retry.policy.js';
