/**
 * Instantiates the WebAssembly modules of the engine and the tile renderer (`simd/*.wasm.ts`, assembled
 * from `*.wat` by `npm run build:wasm`) synchronously, once per thread. A runtime without WebAssembly
 * SIMD gets null, and the JavaScript kernels run instead.
 */

/** A module's linear memory, as this code uses it. */
export interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}

/** What this file uses of WebAssembly (the project's TypeScript libraries leave its globals untyped). */
interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
}

/** The exports of the module whose bytes are `base64`, or null where the runtime cannot run it. */
export function loadWasm<T extends { memory: WasmMemory }>(base64: string): T | null {
  try {
    const wasm = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;
    const bytes = Buffer.from(base64, 'base64');
    if (!wasm?.validate(bytes)) return null;
    return new wasm.Instance(new wasm.Module(bytes), {}).exports as T;
  } catch {
    return null;
  }
}

/** Grows `memory` to at least `bytes`; true when it grew (views of its old buffer are then detached). */
export function reserve(memory: WasmMemory, bytes: number): boolean {
  const have = memory.buffer.byteLength;
  if (bytes <= have) return false;
  memory.grow(Math.ceil((bytes - have) / 65536));
  return true;
}
