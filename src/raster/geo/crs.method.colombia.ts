/**
 * Colombia Urban (EPSG method 1052; PROJ `col_urban`): the city grids of Colombia, a plane tangent at the
 * origin raised to the city's mean height h0. Formulas of EPSG Guidance Note 7-2 (2020), section 3.4.1.
 */
import { meridianRadius, primeVerticalRadius } from './crs.ellipsoid.js';
import type { PlaneMethod, MethodParams } from './crs.method.types.js';

/** The method for one set of parameters (`h_0`: projection plane origin height, metres). */
export function colombiaUrban(p: MethodParams): PlaneMethod {
  const { a, es, lat0 } = p;
  const h0 = Number(p.extra('h_0') ?? 0);
  const nu0 = primeVerticalRadius(a, es, lat0);
  const rho0 = meridianRadius(a, es, lat0);
  const A = 1 + h0 / nu0;
  const B = Math.tan(lat0) / (2 * rho0 * nu0);
  const C = 1 + h0 / a;
  const D = rho0 * (1 + h0 / (a * (1 - es)));
  return {
    forward(lam, phi) {
      const nu = primeVerticalRadius(a, es, phi);
      const l = lam * nu * Math.cos(phi);
      const G = 1 + h0 / meridianRadius(a, es, (phi + lat0) / 2);
      return [A * l, G * rho0 * (phi - lat0 + B * l * l)];
    },
    inverse(x, y) {
      const phi = lat0 + y / D - B * (x / C) * (x / C);
      return [x / (C * primeVerticalRadius(a, es, phi) * Math.cos(phi)), phi];
    },
  };
}
