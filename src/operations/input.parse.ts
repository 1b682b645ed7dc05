/** Parse an input with a zod schema, turning failures into a 422 with every failing field as `{loc, msg, type}`. */
import type { z } from 'zod';
import { AppError, type FieldIssue } from '../errors/app.error.js';

export function zodIssues(error: z.ZodError, prefix: (string | number)[] = ['body']): FieldIssue[] {
  return error.issues.map((i) => ({
    loc: [...prefix, ...i.path.map((p) => (typeof p === 'symbol' ? String(p) : p))],
    msg: i.message,
    type: i.code === 'invalid_type' && i.input === undefined ? 'missing' : i.code,
  }));
}

export function parseInput<S extends z.ZodType>(schema: S, body: unknown): z.output<S> {
  const r = schema.safeParse(body);
  if (r.success) return r.data;
  const issues = zodIssues(r.error);
  throw new AppError('invalid_input', `Invalid input: ${issues.map((i) => `${i.loc.join('.')}: ${i.msg}`).join('; ')}`, { issues });
}
