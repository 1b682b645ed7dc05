/** Types of the parts of `stac-node-validator` (npm, no types shipped) the STAC tests use. */
declare module 'stac-node-validator' {
  export interface ValidatorOptions {
    /** Folder of the STAC core schemas */
    schemas?: string;
    /** Schema URL (prefix) → local path */
    schemaMap?: Record<string, string>;
    /** Loads a schema from a path or URL */
    loader?: (uri: string) => Promise<unknown>;
  }
  /** Validate a STAC document; answers a report with `valid`, `results`, `children` and `messages`. */
  export default function validate(doc: unknown, options?: ValidatorOptions): Promise<unknown>;
}
