/** GDAL_NODATA, the ASCII tag GDAL writes the nodata value into. */

/**
 * GDAL_NODATA text as a number: "nan", "inf", "-inf" and numbers (leading text parsed like C's atof);
 * null when absent or unparseable.
 */
export function parseNodata(text: string | undefined): number | null {
  if (text === undefined) return null;
  const s = text.trim().toLowerCase();
  if (s === '') return null;
  if (/^[+-]?nan/.test(s)) return NaN;
  if (/^\+?inf/.test(s)) return Infinity;
  if (/^-inf/.test(s)) return -Infinity;
  const v = Number.parseFloat(s);
  return Number.isNaN(v) ? null : v;
}
