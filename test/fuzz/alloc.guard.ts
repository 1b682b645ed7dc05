/**
 * The fuzz property "no allocation beyond the guards' limits", observed: while installed, every typed
 * array, ArrayBuffer and Buffer made with a length is measured, and one larger than the budget is
 * refused with `AllocationOverBudget` (so a hostile size never reaches the machine's memory) and
 * remembered, even when the code under test catches the error.
 */

export class AllocationOverBudget extends RangeError {
  override name = 'AllocationOverBudget';
}

type Ctor = new (...args: unknown[]) => unknown;

const TypedArrays = ['Uint8Array', 'Int8Array', 'Uint8ClampedArray', 'Uint16Array', 'Int16Array', 'Uint32Array', 'Int32Array', 'Float32Array', 'Float64Array', 'BigInt64Array', 'BigUint64Array'] as const;

let budget = Infinity;
let largest = 0;
let refused = 0;
let refusedAt = '';
let installed: (() => void) | undefined;

function measure(bytes: number): void {
  if (!Number.isFinite(bytes) || bytes <= largest) return;
  largest = bytes;
  if (bytes > budget) {
    if (bytes > refused) refusedAt = new Error().stack?.split('\n').slice(3, 9).join('\n') ?? '';
    refused = Math.max(refused, bytes);
    throw new AllocationOverBudget(`an allocation of ${bytes} bytes is over the ${budget}-byte budget`);
  }
}

/** Replace the global constructors with measuring proxies (idempotent). */
export function installAllocGuard(): void {
  if (installed) return;
  const g = globalThis as unknown as Record<string, Ctor>;
  const originals: [string, Ctor][] = [];
  for (const name of [...TypedArrays, 'ArrayBuffer', 'SharedArrayBuffer']) {
    const ctor = g[name]!;
    const per = (ctor as unknown as { BYTES_PER_ELEMENT?: number }).BYTES_PER_ELEMENT ?? 1;
    originals.push([name, ctor]);
    g[name] = new Proxy(ctor, {
      construct(target, args: unknown[], newTarget) {
        if (typeof args[0] === 'number') measure(args[0] * per);
        else if (args[0] !== null && typeof args[0] === 'object' && 'length' in args[0] && typeof (args[0] as { length: unknown }).length === 'number' && !(args[0] instanceof ArrayBuffer)) {
          measure((args[0] as { length: number }).length * per);
        }
        return Reflect.construct(target, args, newTarget === g[name] ? target : newTarget) as object;
      },
    });
  }
  const buffer = Buffer as unknown as Record<string, (size: number, ...rest: unknown[]) => Buffer>;
  const fns = ['alloc', 'allocUnsafe', 'allocUnsafeSlow'] as const;
  const bufferOriginals = fns.map((f) => [f, buffer[f]!] as const);
  for (const [f, fn] of bufferOriginals) {
    buffer[f] = (size: number, ...rest: unknown[]) => {
      measure(size);
      return fn.call(Buffer, size, ...rest);
    };
  }
  installed = () => {
    for (const [name, ctor] of originals) g[name] = ctor;
    for (const [f, fn] of bufferOriginals) buffer[f] = fn;
  };
}

/** Put the original constructors back. */
export function uninstallAllocGuard(): void {
  installed?.();
  installed = undefined;
}

/** Start measuring one input with a budget in bytes. */
export function beginAllocations(bytes: number): void {
  budget = bytes;
  largest = 0;
  refused = 0;
  refusedAt = '';
}

/** End measuring: the largest allocation seen, the largest refused one (0 when none) and where it was asked for. */
export function endAllocations(): { largest: number; refused: number; at: string } {
  const r = { largest, refused, at: refusedAt };
  budget = Infinity;
  return r;
}
