/**
 * Guam Projection (EPSG method 9831; PROJ `aeqd +guam`): the approximate azimuthal equidistant projection of
 * Guam and its islands. Guidance Note 7-2, section 3.3.3: x = ν cos φ·λ, y = M − M0 + x² tan φ/(2ν); the
 * inverse iterates on the latitude until it no longer moves.
 */
import { meridianArc, primeVerticalRadius } from './crs.ellipsoid.js';
import type { MethodParams, PlaneMethod } from './crs.method.types.js';

/** The method for one set of parameters. */
export function guam(p: MethodParams): PlaneMethod {
  const { a, es, lat0 } = p;
  const arc = meridianArc(a, es);
  const m0 = arc.distance(lat0);
  return {
    forward(lam, phi) {
      const nu = primeVerticalRadius(a, es, phi);
      const x = nu * Math.cos(phi) * lam;
      return [x, arc.distance(phi) - m0 + (x * x * Math.tan(phi)) / (2 * nu)];
    },
    inverse(x, y) {
      let phi = lat0;
      for (let i = 0; i < 20; i++) {
        const next = arc.latitude(m0 + y - (x * x * Math.tan(phi)) / (2 * primeVerticalRadius(a, es, phi)));
        const moved = Math.abs(next - phi);
        phi = next;
        if (moved < 1e-12) break;
      }
      return [x / (primeVerticalRadius(a, es, phi) * Math.cos(phi)), phi];
    },
  };
}
