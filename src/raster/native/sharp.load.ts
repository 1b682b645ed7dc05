/**
 * sharp (libvips), loaded on first use and once per thread. A thread that never needs it does not carry
 * it: a map tile render thread drawing PNG or JPEG tiles through the codec addon saves about 11 MB
 * (measured: a worker thread that imports sharp adds 20 MB of RSS, one that imports nothing 9 MB). libvips' cache
 * of operations is off: every call here is one image, never repeated.
 */
import type Sharp from 'sharp';

export type SharpFn = typeof Sharp;

let loading: Promise<SharpFn> | undefined;

/** The sharp function, loading the module the first time. */
export function loadSharp(): Promise<SharpFn> {
  loading ??= import('sharp').then(({ default: sharp }) => {
    sharp.cache(false);
    return sharp;
  });
  return loading;
}
