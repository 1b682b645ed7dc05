/** The scopes an API key can carry; each operation needs one. */
export const Scopes = ['clip:read', 'clip:write', 'clip:destroy', 'processing:process'] as const;
export type Scope = (typeof Scopes)[number];

export function isScope(s: string): s is Scope {
  return (Scopes as readonly string[]).includes(s);
}

/** Parse a space- or comma-separated scope list; unknown names are an error. */
export function parseScopes(text: string): Scope[] {
  const names = text.split(/[\s,]+/).filter(Boolean);
  const bad = names.filter((n) => !isScope(n));
  if (bad.length > 0) throw new Error(`Unknown scope(s): ${bad.join(', ')}; known: ${Scopes.join(', ')}`);
  return [...new Set(names)] as Scope[];
}
