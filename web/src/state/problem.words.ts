/**
 * Errors in words, not status codes: what a `GeoperaError` (or a network failure) means for the person
 * at the page, and the 422 field issues placed at the form field they name.
 */

/** What the page reads of a `GeoperaError` (duck-typed: any error with these fields). */
export interface ApiErrorLike {
  status: number;
  code?: string;
  problem?: { detail?: unknown; title?: string; [k: string]: unknown };
  retryAfterS?: number;
  requestId?: string;
}

export function isApiError(err: unknown): err is ApiErrorLike {
  return typeof err === 'object' && err !== null && typeof (err as { status?: unknown }).status === 'number' && 'problem' in err;
}

function detailText(e: ApiErrorLike): string | undefined {
  const d = e.problem?.detail;
  return typeof d === 'string' && d ? d : undefined;
}

/** One sentence (or two) for a failed call; `action` names what was tried ("Signing in"). */
export function describeError(err: unknown, action: string): string {
  if (!isApiError(err)) {
    if (err instanceof TypeError || (err instanceof Error && /fetch|network/i.test(err.message))) {
      return `${action} failed: the geopera server cannot be reached. Check that it is running and that this page's address is right.`;
    }
    return `${action} failed: ${err instanceof Error ? err.message : String(err)}`;
  }
  const detail = detailText(err);
  switch (err.status) {
    case 400: return `${action} failed: the request was malformed${detail ? ` (${detail})` : ''}.`;
    case 401: return err.code === 'invalid_credentials' || err.code === 'unauthorized'
      ? 'That API key is not valid: it may be mistyped, revoked, or from another server.'
      : 'Your session has ended. Sign in again with your API key.';
    case 402: {
      const p = err.problem ?? {};
      const cost = typeof p.cost_km2 === 'number' ? p.cost_km2 : undefined;
      const balance = typeof p.balance_km2 === 'number' ? p.balance_km2 : undefined;
      return cost !== undefined && balance !== undefined
        ? `Not enough credits: this order needs ${cost.toFixed(3)} km² and your organization has ${balance.toFixed(3)} km² left. Ask an administrator for more, or draw a smaller AOI.`
        : 'Not enough credits for this order. Ask an administrator for more, or draw a smaller AOI.';
    }
    case 403: return `Your key is not allowed to do this${detail ? `: ${detail}` : ''}. Ask an administrator for a key with that permission.`;
    case 404: return detail ? `Not found: ${detail}.` : `${action} failed: it no longer exists.`;
    case 409: return detail ?? `${action} is not possible right now.`;
    case 410: return 'These outputs have expired and were removed.';
    case 413: return 'The request is too large: simplify the AOI (fewer vertices).';
    case 422: return detail ?? 'Some fields are not valid; see the messages beside them.';
    case 429: return `Too many requests${err.retryAfterS ? `: try again in ${Math.ceil(err.retryAfterS)} s` : '; wait a moment and try again'}.`;
    default:
      if (err.status >= 500) return `The server failed while ${action.toLowerCase()}. If it happens again, report request id ${err.requestId ?? 'unknown'}.`;
      return `${action} failed${detail ? `: ${detail}` : '.'}`;
  }
}

/** The 422 issues by the body field they name (`loc` = ['body', field, ...]); issues without a field under `''`. */
export function fieldIssues(err: unknown): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  if (!isApiError(err) || err.status !== 422 || !Array.isArray(err.problem?.detail)) return out;
  for (const raw of err.problem.detail as unknown[]) {
    const issue = raw as { loc?: unknown; msg?: unknown };
    const loc = Array.isArray(issue.loc) ? issue.loc.filter((p) => p !== 'body') : [];
    const field = typeof loc[0] === 'string' ? loc[0] : '';
    const where = loc.slice(1).join('.');
    const msg = `${typeof issue.msg === 'string' ? issue.msg : 'Not valid'}${where ? ` (at ${where})` : ''}`;
    (out[field] ??= []).push(msg);
  }
  return out;
}
