/**
 * Laborde Oblique Mercator (EPSG method 9813; PROJ `labrd`): Madagascar's grid. The ellipsoid is mapped
 * conformally onto a sphere (Gauss), the sphere by a transverse Mercator series in λ about the origin, and the
 * result turned towards the azimuth of the central line by a complex cubic correction (Laborde 1928). These
 * are the series PROJ evaluates, so positions agree with GDAL's rather than with the closed-form variant of
 * Guidance Note 7-2; the inverse inverts the same series (Newton on the Gauss latitude).
 */
import type { MethodParams, PlaneMethod } from './crs.method.types.js';

const QUARTER_PI = Math.PI / 4;

/** The method for one set of parameters (`azi`: azimuth of the central line, degrees). */
export function laborde(p: MethodParams): PlaneMethod {
  const { a, es, lat0, k0 } = p;
  if (lat0 === 0) throw new Error('Laborde needs a latitude of origin other than 0');
  const e = Math.sqrt(es);
  const azimuth = (Number(p.extra('azi') ?? 0) * Math.PI) / 180;
  const sin0 = Math.sin(lat0);
  const w = 1 - es * sin0 * sin0;
  const nu = 1 / Math.sqrt(w);
  const rho = ((1 - es) * nu) / w;
  const kR = k0 * Math.sqrt(nu * rho); // scale times the Gauss sphere's radius, in units of a
  const sphereLat0 = Math.atan(Math.sqrt(rho / nu) * Math.tan(lat0));
  const A = sin0 / Math.sin(sphereLat0);
  const isometric = (phi: number): number => {
    const t = e * Math.sin(phi);
    return A * Math.log(Math.tan(QUARTER_PI + phi / 2)) - 0.5 * e * A * Math.log((1 + t) / (1 - t));
  };
  const C = Math.log(Math.tan(QUARTER_PI + sphereLat0 / 2)) - isometric(lat0);
  const sphereLat = (phi: number): number => 2 * (Math.atan(Math.exp(isometric(phi) + C)) - QUARTER_PI);
  const c0 = 1 / (12 * kR * kR);
  const ca = (1 - Math.cos(2 * azimuth)) * c0;
  const cb = Math.sin(2 * azimuth) * c0;
  const cc = 3 * (ca * ca - cb * cb);
  const cd = 6 * ca * cb;

  return {
    forward(lam, phi) {
      const ps = sphereLat(phi);
      const cos = Math.cos(ps);
      const sin = Math.sin(ps);
      const cos2 = cos * cos;
      const sin2 = sin * sin;
      const i4 = A * cos;
      const i2 = 0.5 * A * i4 * sin;
      const i3 = (i2 * A * A * (5 * cos2 - sin2)) / 12;
      const i6base = i4 * A * A;
      const i5 = (i6base * (cos2 - sin2)) / 6;
      const i6 = (i6base * A * A * (5 * cos2 * cos2 + sin2 * (sin2 - 18 * cos2))) / 120;
      const l2 = lam * lam;
      let x = kR * lam * (i4 + l2 * (i5 + l2 * i6));
      let y = kR * (ps - sphereLat0 + l2 * (i2 + l2 * i3));
      const [v1, v2] = cubic(x, y);
      x += ca * v1 + cb * v2;
      y += ca * v2 - cb * v1;
      return [x * a, y * a];
    },
    inverse(xm, ym) {
      let x = xm / a;
      let y = ym / a;
      const [v1, v2] = cubic(x, y);
      const x2 = x * x;
      const y2 = y * y;
      const v3 = x * (5 * y2 * y2 + x2 * (-10 * y2 + x2));
      const v4 = y * (5 * x2 * x2 + y2 * (-10 * x2 + y2));
      x += -ca * v1 - cb * v2 + cc * v3 + cd * v4;
      y += cb * v1 - ca * v2 - cd * v3 + cc * v4;
      const ps = sphereLat0 + y / kR;
      let phi = ps + lat0 - sphereLat0;
      for (let i = 0; i < 20; i++) {
        const step = ps - sphereLat(phi);
        phi += step;
        if (Math.abs(step) < 1e-10) break;
      }
      const t = 1 - es * Math.sin(phi) ** 2;
      const re = (1 - es) / (t * Math.sqrt(t));
      const tan = Math.tan(ps);
      const tan2 = tan * tan;
      const s = kR * kR;
      const d1 = re * k0 * kR;
      const d2 = Math.cos(ps) * kR * A;
      const xx = x * x;
      const lat = phi + xx * (-tan / (2 * d1) + ((tan * (5 + 3 * tan2)) / (24 * d1 * s)) * xx);
      const lon = x * (1 / d2 + xx * (-(1 + 2 * tan2) / (6 * d2 * s) + ((5 + tan2 * (28 + 24 * tan2)) / (120 * d2 * s * s)) * xx));
      return [lon, lat];
    },
  };
}

/** The cubic terms of Laborde's complex correction: (3xy² − x³, y³ − 3x²y). */
function cubic(x: number, y: number): [number, number] {
  const x2 = x * x;
  const y2 = y * y;
  return [3 * x * y2 - x * x2, y * y2 - 3 * x2 * y];
}
