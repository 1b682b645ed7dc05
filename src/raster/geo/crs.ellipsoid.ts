/**
 * Ellipsoid quantities the projection methods of `crs.method.*.ts` share (EPSG Guidance Note 7-2 notation):
 * radii of curvature and the meridian arc, for an ellipsoid of semi-major axis `a` (metres) and eccentricity
 * squared `es`. Angles in radians, lengths in metres.
 */

/** Radius of curvature in the prime vertical ν at latitude `phi`. */
export function primeVerticalRadius(a: number, es: number, phi: number): number {
  const s = Math.sin(phi);
  return a / Math.sqrt(1 - es * s * s);
}

/** Radius of curvature in the meridian ρ at latitude `phi`. */
export function meridianRadius(a: number, es: number, phi: number): number {
  const s = Math.sin(phi);
  return (a * (1 - es)) / Math.pow(1 - es * s * s, 1.5);
}

/** The meridian arc from the equator and its inverse, for one ellipsoid. */
export interface MeridianArc {
  /** Distance along the meridian from the equator to latitude `phi`, metres. */
  distance(phi: number): number;
  /** The latitude at meridian distance `m` metres (Newton's method on `distance`, to 1e-12 rad). */
  latitude(m: number): number;
}

/**
 * The meridian arc by Helmert's series in the third flattening n = (a - b)/(a + b), to n⁴ (well under a
 * millimetre on any Earth ellipsoid).
 */
export function meridianArc(a: number, es: number): MeridianArc {
  const b = a * Math.sqrt(1 - es);
  const n = (a - b) / (a + b);
  const n2 = n * n;
  const n3 = n2 * n;
  const n4 = n3 * n;
  const scale = (a / (1 + n)) * (1 + n2 / 4 + n4 / 64);
  const c2 = -(1.5 * n - (3 / 16) * n3);
  const c4 = (15 / 16) * n2 - (15 / 32) * n4;
  const c6 = -(35 / 48) * n3;
  const c8 = (315 / 512) * n4;
  const distance = (phi: number): number =>
    scale * (phi + c2 * Math.sin(2 * phi) + c4 * Math.sin(4 * phi) + c6 * Math.sin(6 * phi) + c8 * Math.sin(8 * phi));
  const latitude = (m: number): number => {
    let phi = m / scale;
    for (let i = 0; i < 20; i++) {
      const step = (distance(phi) - m) / meridianRadius(a, es, phi);
      phi -= step;
      if (Math.abs(step) < 1e-12) break;
    }
    return phi;
  };
  return { distance, latitude };
}
