/**
 * Drawing and editing the AOI with terra-draw and its MapLibre adapter, loaded on first use. The map
 * component owns one `DrawTools`; it reports a finished or edited polygon as plain GeoJSON.
 */
import type { Map as MapLibreMap } from 'maplibre-gl';
import type { AoiGeometry } from '../state/aoi.check.js';

export type DrawKind = 'polygon' | 'rectangle' | 'edit';

const Colour = '#b3261e';

export class DrawTools {
  private constructor(private readonly draw: import('terra-draw').TerraDraw, private onGeometry: (g: AoiGeometry) => void) {}

  /** Load terra-draw and attach it to the map (once). */
  static async create(map: MapLibreMap, onGeometry: (g: AoiGeometry) => void): Promise<DrawTools> {
    const [{ TerraDraw, TerraDrawPolygonMode, TerraDrawRectangleMode, TerraDrawSelectMode, ValidateNotSelfIntersecting }, { TerraDrawMapLibreGLAdapter }] = await Promise.all([
      import('terra-draw'),
      import('terra-draw-maplibre-gl-adapter'),
    ]);
    const styles = { fillColor: Colour as `#${string}`, outlineColor: Colour as `#${string}`, fillOpacity: 0.15, outlineWidth: 3, closingPointColor: Colour as `#${string}`, closingPointWidth: 6 };
    const draw = new TerraDraw({
      adapter: new TerraDrawMapLibreGLAdapter({ map, prefixId: 'aoi-draw' }),
      modes: [
        new TerraDrawPolygonMode({ styles, validation: (feature, { updateType }) => (['finish', 'commit'].includes(String(updateType)) ? ValidateNotSelfIntersecting(feature) : { valid: true }) }),
        new TerraDrawRectangleMode({ styles: { fillColor: styles.fillColor, outlineColor: styles.outlineColor, fillOpacity: 0.15, outlineWidth: 3 } }),
        new TerraDrawSelectMode({
          flags: { polygon: { feature: { draggable: true, coordinates: { midpoints: true, draggable: true, deletable: true } } } },
          styles: { selectedPolygonColor: Colour as `#${string}`, selectedPolygonOutlineColor: Colour as `#${string}`, selectedPolygonFillOpacity: 0.15, selectionPointColor: Colour as `#${string}`, selectionPointWidth: 6, midPointColor: '#ffffff', midPointOutlineColor: Colour as `#${string}`, midPointWidth: 4 },
        }),
      ],
    });
    draw.start();
    const tools = new DrawTools(draw, onGeometry);
    draw.on('finish', (id, ctx) => {
      if (ctx.action === 'draw') tools.emit(id);
      if (ctx.action === 'dragFeature' || ctx.action === 'dragCoordinate' || ctx.action === 'dragCoordinateResize') tools.emit(id);
    });
    draw.on('change', (ids, type) => {
      if (type === 'delete' || draw.getMode() !== 'select') return;
      for (const id of ids) if (draw.getSnapshotFeature(id)?.geometry.type === 'Polygon') tools.emit(id);
    });
    return tools;
  }

  set listener(fn: (g: AoiGeometry) => void) {
    this.onGeometry = fn;
  }

  private emit(id: string | number): void {
    const f = this.draw.getSnapshotFeature(id);
    if (f?.geometry.type === 'Polygon') this.onGeometry({ type: 'Polygon', coordinates: f.geometry.coordinates as AoiGeometry['coordinates'] as [number, number][][] });
    if (this.draw.getMode() !== 'select') {
      this.draw.clear();
      this.draw.setMode('static');
    }
  }

  /** Start drawing a new polygon or rectangle, or edit `aoi`'s vertices. */
  start(kind: DrawKind, aoi?: AoiGeometry): void {
    this.draw.clear();
    if (kind === 'edit') {
      if (!aoi || aoi.type !== 'Polygon') return;
      this.draw.setMode('select');
      const id = crypto.randomUUID();
      this.draw.addFeatures([{ id, type: 'Feature', geometry: { type: 'Polygon', coordinates: aoi.coordinates }, properties: { mode: 'polygon' } }]);
      this.draw.selectFeature(id);
      return;
    }
    this.draw.setMode(kind);
  }

  stop(): void {
    this.draw.clear();
    this.draw.setMode('static');
  }
}
