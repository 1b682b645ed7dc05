/**
 * The GeoTIFF GeoKeyDirectory as a map from key id to value (GeoTIFF 1.1, section 7.1):
 * values inline in the directory, in GeoDoubleParams or in GeoAsciiParams.
 */

/** One GeoKey's value: a SHORT, DOUBLE values, or ASCII text (without the trailing '|'). */
export type GeoKeyValue = number | number[] | string;

/** GeoKey ids the reader interprets. */
export const GeoKey = {
  GTModelType: 1024,
  GTRasterType: 1025,
  GTCitation: 1026,
  GeographicType: 2048,
  GeogCitation: 2049,
  GeogGeodeticDatum: 2050,
  GeogPrimeMeridian: 2051,
  GeogAngularUnits: 2054,
  GeogEllipsoid: 2056,
  GeogSemiMajorAxis: 2057,
  GeogSemiMinorAxis: 2058,
  GeogInvFlattening: 2059,
  GeogPrimeMeridianLong: 2061,
  GeogTOWGS84: 2062,
  ProjectedCSType: 3072,
  Projection: 3074,
  ProjCoordTrans: 3075,
  ProjLinearUnits: 3076,
  ProjLinearUnitSize: 3077,
  ProjStdParallel1: 3078,
  ProjStdParallel2: 3079,
  ProjNatOriginLong: 3080,
  ProjNatOriginLat: 3081,
  ProjFalseEasting: 3082,
  ProjFalseNorthing: 3083,
  ProjFalseOriginLong: 3084,
  ProjFalseOriginLat: 3085,
  ProjFalseOriginEasting: 3086,
  ProjFalseOriginNorthing: 3087,
  ProjCenterLong: 3088,
  ProjCenterLat: 3089,
  ProjCenterEasting: 3090,
  ProjCenterNorthing: 3091,
  ProjScaleAtNatOrigin: 3092,
  ProjScaleAtCenter: 3093,
  ProjAzimuthAngle: 3094,
  ProjStraightVertPoleLong: 3095,
  VerticalCSType: 4096,
} as const;

/** GeoKey value meaning "user-defined" (the parameters follow in other keys). */
export const USER_DEFINED = 32767;

/** Parsed GeoKeys with typed accessors. */
export class GeoKeys {
  constructor(private readonly values: ReadonlyMap<number, GeoKeyValue>) {}

  /** Parse the three GeoTIFF tags (raw tag values as read from the file). */
  static parse(directory: ArrayLike<number>, doubles?: ArrayLike<number>, ascii?: string): GeoKeys {
    const values = new Map<number, GeoKeyValue>();
    const count = directory.length >= 4 ? directory[3] : 0;
    for (let i = 0; i < count && 4 + i * 4 + 3 < directory.length; i++) {
      const at = 4 + i * 4;
      const [id, location, n, valueOrOffset] = [directory[at], directory[at + 1], directory[at + 2], directory[at + 3]];
      if (location === 0) values.set(id, valueOrOffset);
      else if (location === 34736 && doubles && valueOrOffset + n <= doubles.length) {
        const v = Array.from({ length: n }, (_, k) => doubles[valueOrOffset + k]);
        values.set(id, n === 1 ? v[0] : v);
      } else if (location === 34737 && ascii !== undefined) {
        values.set(id, ascii.slice(valueOrOffset, valueOrOffset + n).replace(/[|\0]+$/, ''));
      } else if (location === 34735 && valueOrOffset + n <= directory.length) {
        values.set(id, n === 1 ? directory[valueOrOffset] : Array.from({ length: n }, (_, k) => directory[valueOrOffset + k]));
      }
    }
    return new GeoKeys(values);
  }

  /** True when no key is set. */
  get empty(): boolean {
    return this.values.size === 0;
  }

  has(id: number): boolean {
    return this.values.has(id);
  }

  /** A numeric key (the first value of a multi-valued one), or undefined. */
  num(id: number): number | undefined {
    const v = this.values.get(id);
    if (typeof v === 'number') return v;
    if (Array.isArray(v) && typeof v[0] === 'number') return v[0];
    return undefined;
  }

  /** The first of several keys that is set (GDAL's fallbacks between equivalent keys). */
  first(...ids: number[]): number | undefined {
    for (const id of ids) {
      const v = this.num(id);
      if (v !== undefined) return v;
    }
    return undefined;
  }

  /** A multi-valued numeric key, or undefined. */
  nums(id: number): number[] | undefined {
    const v = this.values.get(id);
    if (typeof v === 'number') return [v];
    return Array.isArray(v) ? v : undefined;
  }

  /** An ASCII key, or undefined. */
  text(id: number): string | undefined {
    const v = this.values.get(id);
    return typeof v === 'string' ? v : undefined;
  }
}

/**
 * A GeoKeyDirectory naming an EPSG CRS by its code alone (GTModelType, GTRasterType, ProjectedCSType or
 * GeographicType), which GDAL reads as the whole CRS: what a clip of a raster whose CRS GDAL kept only in its
 * `.aux.xml` (Colombia Urban, Equal Earth, ...) carries inside, so the output needs no side file. Undefined
 * for a CRS without an EPSG code.
 */
export function epsgGeoKeys(crs: { epsg?: number; geographic: boolean } | null, pixelIsPoint: boolean): number[] | undefined {
  if (!crs?.epsg) return undefined;
  const key = crs.geographic ? GeoKey.GeographicType : GeoKey.ProjectedCSType;
  return [1, 1, 0, 3, GeoKey.GTModelType, 0, 1, crs.geographic ? 2 : 1, GeoKey.GTRasterType, 0, 1, pixelIsPoint ? 2 : 1, key, 0, 1, crs.epsg];
}
