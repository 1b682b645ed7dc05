/// <reference types="vite/client" />

declare module 'shpjs' {
  /** Parse a zipped Shapefile (with its .prj: reprojected to WGS 84) into GeoJSON. */
  export function parseZip(buffer: ArrayBuffer | Uint8Array): Promise<unknown>;
}
