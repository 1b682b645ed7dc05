/**
 * Hyperbolic Cassini-Soldner (EPSG method 9833; PROJ `cass +hyperbolic`): the Vanua Levu grid of Fiji.
 * Cassini-Soldner's series (Guidance Note 7-2, section 3.2.2) with the northing X reduced by X³/(6ρν);
 * the inverse solves the forward by Newton's method from the ordinary Cassini inverse, as PROJ does.
 */
import { meridianArc, meridianRadius, primeVerticalRadius } from './crs.ellipsoid.js';
import type { MethodParams, PlaneMethod } from './crs.method.types.js';

/** The method for one set of parameters. */
export function hyperbolicCassini(p: MethodParams): PlaneMethod {
  const { a, es, lat0 } = p;
  const arc = meridianArc(a, es);
  const m0 = arc.distance(lat0);
  const forward = (lam: number, phi: number): [number, number] => {
    const nu = primeVerticalRadius(a, es, phi);
    const tan = Math.tan(phi);
    const T = tan * tan;
    const A = lam * Math.cos(phi);
    const C = (es * Math.cos(phi) ** 2) / (1 - es);
    const A2 = A * A;
    const x = nu * A * (1 - A2 * T * (1 / 6 - ((8 - T + 8 * C) * A2) / 120));
    const X = arc.distance(phi) - m0 + nu * tan * A2 * (0.5 + ((5 - T + 6 * C) * A2) / 24);
    return [x, X - (X * X * X) / (6 * meridianRadius(a, es, phi) * nu)];
  };
  const cassiniInverse = (x: number, y: number): [number, number] => {
    const phi1 = arc.latitude(m0 + y);
    const nu = primeVerticalRadius(a, es, phi1);
    const rho = meridianRadius(a, es, phi1);
    const tan = Math.tan(phi1);
    const T = tan * tan;
    const D = x / nu;
    const D2 = D * D;
    return [(D * (1 + T * D2 * (-1 / 3 + ((1 + 3 * T) * D2) / 15))) / Math.cos(phi1), phi1 - ((nu * tan) / rho) * D2 * (0.5 - ((1 + 3 * T) * D2) / 24)];
  };
  return {
    forward,
    inverse(x, y) {
      let [lam, phi] = cassiniInverse(x, y);
      const h = 1e-7;
      for (let i = 0; i < 15; i++) {
        const [fx, fy] = forward(lam, phi);
        const dx = x - fx;
        const dy = y - fy;
        if (Math.abs(dx) < 1e-6 && Math.abs(dy) < 1e-6) break;
        const [ax, ay] = forward(lam + h, phi);
        const [bx, by] = forward(lam, phi + h);
        const [j11, j21, j12, j22] = [(ax - fx) / h, (ay - fy) / h, (bx - fx) / h, (by - fy) / h];
        const det = j11 * j22 - j12 * j21;
        lam += (j22 * dx - j12 * dy) / det;
        phi += (j11 * dy - j21 * dx) / det;
      }
      return [lam, phi];
    },
  };
}
