/** A usage mistake or a failed check of an admin command: `geopera` exits 1 with the message (no stack). */
export class UsageError extends Error {}
