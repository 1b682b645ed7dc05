/**
 * The map: MapLibre GL JS and the drawing tool behind one component. Everything it shows comes in as
 * plain props (GeoJSON, TileJSON, numbers); what the person does on it goes out through callbacks
 * (view moved, AOI drawn or edited). No internet basemap unless the operator set one.
 *
 * Markers for tests and tools: `data-ready` on `<html>` once the style is loaded, and on the map element
 * `data-preview-loaded` / `data-result-loaded` naming the layer whose tiles are all drawn, `data-draw` the
 * drawing mode once the drawing tool listens.
 */
import { Map as MapLibreMap, Marker, setWorkerUrl, type GeoJSONSource, type StyleSpecification } from 'maplibre-gl';
import 'maplibre-gl/dist/maplibre-gl.css';
import maplibreWorker from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { TileJson } from '../../../src/client/index.js';
import type { AoiGeometry } from '../state/aoi.check.js';
import { DateRamp, type DatedFeature } from '../state/capture.colors.js';
import type { MapView as View } from '../state/url.state.js';
import { DrawTools, type DrawKind } from './draw.tools.js';

setWorkerUrl(maplibreWorker);

/** The map's empty ground when no basemap is set. */
export const BackgroundColour = '#dfe4ea';

export interface FootprintArea {
  id: string;
  title: string;
  bounds: [number, number, number, number] | null;
}

export interface MapViewProps {
  /** `GEOPERA_BASEMAP_URL`: an XYZ template or a style URL */
  basemap?: string;
  initialView?: View;
  areas: FootprintArea[];
  selectedArea?: string;
  showFootprints: boolean;
  captures?: DatedFeature[];
  showCaptures: boolean;
  /** Day-number range of captures to show */
  dateRange?: [number | undefined, number | undefined];
  preview?: TileJson;
  previewOpacity: number;
  result?: { id: string; tiles: TileJson };
  resultOpacity: number;
  jobAoi?: AoiGeometry;
  aoi?: AoiGeometry;
  drawMode: 'off' | DrawKind;
  fit?: { bbox: [number, number, number, number]; minZoom?: number; nonce: number };
  onView: (view: View) => void;
  onDrawn: (g: AoiGeometry) => void;
  onSelectArea: (id: string) => void;
  onReady: () => void;
}

const Empty = { type: 'FeatureCollection', features: [] } as const;

function baseStyle(basemap: string | undefined): StyleSpecification | string {
  if (basemap && !/\{z\}/.test(basemap)) return basemap;
  const style: StyleSpecification = { version: 8, sources: {}, layers: [{ id: 'background', type: 'background', paint: { 'background-color': BackgroundColour } }] };
  if (basemap) {
    style.sources.basemap = { type: 'raster', tiles: [basemap], tileSize: 256, attribution: 'Basemap: site server' };
    style.layers.push({ id: 'basemap', type: 'raster', source: 'basemap' });
  }
  return style;
}

function geo(map: MapLibreMap, id: string): GeoJSONSource | undefined {
  return map.getSource(id) as GeoJSONSource | undefined;
}

function feature(g: AoiGeometry | undefined): GeoJSON.FeatureCollection {
  return g ? { type: 'FeatureCollection', features: [{ type: 'Feature', geometry: g as GeoJSON.Geometry, properties: {} }] } : Empty as unknown as GeoJSON.FeatureCollection;
}

/** Our layers, bottom to top; raster layers are inserted below `captures-fill` (preview) and `job-aoi-line` (result). */
function addOverlays(map: MapLibreMap): void {
  for (const id of ['captures', 'footprints', 'job-aoi', 'aoi']) map.addSource(id, { type: 'geojson', data: Empty as unknown as GeoJSON.FeatureCollection });
  const ramp = DateRamp.flatMap((c, i) => [i / (DateRamp.length - 1), c]);
  map.addLayer({ id: 'captures-fill', type: 'fill', source: 'captures', paint: { 'fill-color': ['interpolate', ['linear'], ['get', 't'], ...ramp] as never, 'fill-opacity': 0.16 } });
  map.addLayer({ id: 'captures-line', type: 'line', source: 'captures', paint: { 'line-color': ['interpolate', ['linear'], ['get', 't'], ...ramp] as never, 'line-width': 1.5 } });
  map.addLayer({ id: 'footprints-line', type: 'line', source: 'footprints', paint: { 'line-color': '#1f2933', 'line-width': ['case', ['get', 'selected'], 2.5, 1.2], 'line-dasharray': [3, 2] } });
  map.addLayer({ id: 'job-aoi-line', type: 'line', source: 'job-aoi', paint: { 'line-color': '#6b21a8', 'line-width': 2.5 } });
  map.addLayer({ id: 'aoi-fill', type: 'fill', source: 'aoi', paint: { 'fill-color': '#b3261e', 'fill-opacity': 0.12 } });
  map.addLayer({ id: 'aoi-line', type: 'line', source: 'aoi', paint: { 'line-color': '#b3261e', 'line-width': 2.5 } });
}

/** Raster layers that have drawn a tile since they were (re)made: their "loaded" marker is trustworthy. */
const tilesSeen = new Set<string>();

function setRaster(map: MapLibreMap, id: string, tiles: TileJson | undefined, before: string, opacity: number): void {
  const key = tiles?.tiles[0];
  const had = map.getSource(id) as { tiles?: string[] } | undefined;
  if (had && had.tiles?.[0] === key) {
    map.setPaintProperty(id, 'raster-opacity', opacity);
    return;
  }
  tilesSeen.delete(id);
  if (map.getLayer(id)) map.removeLayer(id);
  if (had) map.removeSource(id);
  if (!tiles) return;
  map.addSource(id, { type: 'raster', tiles: tiles.tiles, tileSize: 256, bounds: tiles.bounds, minzoom: tiles.minzoom, maxzoom: tiles.maxzoom, ...(tiles.attribution ? { attribution: tiles.attribution } : {}) });
  map.addLayer({ id, type: 'raster', source: id, paint: { 'raster-opacity': opacity, 'raster-fade-duration': 0 } }, before);
}

export function MapView(props: MapViewProps) {
  const container = useRef<HTMLDivElement>(null);
  const mapRef = useRef<MapLibreMap>();
  const drawRef = useRef<Promise<DrawTools>>();
  const markers = useRef<Marker[]>([]);
  const propsRef = useRef(props);
  propsRef.current = props;
  const [loaded, setLoaded] = useState(false);

  useEffect(() => {
    const v = props.initialView;
    const map = new MapLibreMap({
      container: container.current!,
      style: baseStyle(props.basemap),
      center: v ? [v.lon, v.lat] : [0, 20],
      zoom: v ? v.zoom : 1.5,
      attributionControl: { compact: true, customAttribution: 'MapLibre' },
      dragRotate: false,
      pitchWithRotate: false,
      maxPitch: 0,
      fadeDuration: 0,
    });
    map.touchZoomRotate.disableRotation();
    map.keyboard.enable();
    mapRef.current = map;
    map.on('load', () => {
      addOverlays(map);
      setLoaded(true);
      propsRef.current.onReady();
    });
    map.on('moveend', () => {
      const c = map.getCenter();
      const b = map.getBounds();
      propsRef.current.onView({ zoom: map.getZoom(), lat: c.lat, lon: c.lng, bounds: [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()] });
    });
    const mark = (): void => {
      const el = container.current;
      if (!el) return;
      for (const [id, attr] of [['preview', 'previewLoaded'], ['result', 'resultLoaded']] as const) {
        const tag = id === 'result' ? propsRef.current.result?.id ?? '' : propsRef.current.preview?.mosaic_type ?? '';
        el.dataset[attr] = map.getSource(id) && tilesSeen.has(id) && map.isSourceLoaded(id) ? tag : '';
      }
    };
    map.on('sourcedata', (e) => {
      if ((e.sourceId === 'preview' || e.sourceId === 'result') && e.tile) tilesSeen.add(e.sourceId);
      mark();
    });
    map.on('render', mark);
    map.on('idle', mark);
    map.on('click', 'footprints-line', (e) => {
      const id = e.features?.[0]?.properties?.id as string | undefined;
      if (id) propsRef.current.onSelectArea(id);
    });
    const resize = new ResizeObserver(() => map.resize());
    resize.observe(container.current!);
    return () => {
      resize.disconnect();
      map.remove();
    };
    // The map is made once; later props are applied by the effects below.
  }, []);

  const map = loaded ? mapRef.current : undefined;

  useEffect(() => {
    if (!map) return;
    void geo(map, 'footprints')?.setData({
      type: 'FeatureCollection',
      features: props.areas.filter((a) => a.bounds).map((a) => {
        const [w, s, e, n] = a.bounds!;
        return { type: 'Feature', properties: { id: a.id, selected: a.id === props.selectedArea }, geometry: { type: 'Polygon', coordinates: [[[w, s], [e, s], [e, n], [w, n], [w, s]]] } };
      }),
    });
    for (const m of markers.current) m.remove();
    markers.current = props.areas.filter((a) => a.bounds).map((a) => {
      const el = document.createElement('button');
      el.type = 'button';
      el.className = `area-label${a.id === props.selectedArea ? ' selected' : ''}`;
      el.textContent = a.title;
      el.title = `Select area ${a.title}`;
      el.addEventListener('click', () => propsRef.current.onSelectArea(a.id));
      return new Marker({ element: el, anchor: 'bottom-left' }).setLngLat([a.bounds![0], a.bounds![3]]).addTo(map);
    });
  }, [map, props.areas, props.selectedArea]);

  useEffect(() => {
    if (!map) return;
    map.setLayoutProperty('footprints-line', 'visibility', props.showFootprints ? 'visible' : 'none');
    for (const m of markers.current) m.getElement().hidden = !props.showFootprints;
  }, [map, props.showFootprints, props.areas]);

  useEffect(() => {
    if (!map) return;
    void geo(map, 'captures')?.setData({ type: 'FeatureCollection', features: (props.captures ?? []) as GeoJSON.Feature[] });
  }, [map, props.captures]);

  useEffect(() => {
    if (!map) return;
    const [from, to] = props.dateRange ?? [];
    const filter = ['all', ['>=', ['get', 'day'], from ?? -1e9], ['<=', ['get', 'day'], to ?? 1e9]];
    const show = props.showCaptures && !props.result;
    for (const id of ['captures-fill', 'captures-line']) {
      map.setFilter(id, filter as never);
      map.setLayoutProperty(id, 'visibility', show || (id === 'captures-line' && props.showCaptures) ? 'visible' : 'none');
    }
  }, [map, props.dateRange?.[0], props.dateRange?.[1], props.showCaptures, !!props.result]);

  useEffect(() => {
    if (!map) return;
    setRaster(map, 'preview', props.preview, 'captures-fill', props.previewOpacity);
  }, [map, props.preview, props.previewOpacity]);

  useEffect(() => {
    if (!map) return;
    setRaster(map, 'result', props.result?.tiles, 'job-aoi-line', props.resultOpacity);
  }, [map, props.result?.tiles, props.resultOpacity]);

  useEffect(() => {
    if (!map) return;
    void geo(map, 'job-aoi')?.setData(feature(props.jobAoi));
  }, [map, props.jobAoi]);

  useEffect(() => {
    if (!map) return;
    void geo(map, 'aoi')?.setData(feature(props.aoi));
    const editing = props.drawMode === 'edit';
    for (const id of ['aoi-fill', 'aoi-line']) map.setLayoutProperty(id, 'visibility', editing ? 'none' : 'visible');
  }, [map, props.aoi, props.drawMode]);

  useEffect(() => {
    if (!map || !props.fit) return;
    const [w, s, e, n] = props.fit.bbox;
    map.fitBounds([[w, s], [e, n]], { padding: 48, duration: 0, maxZoom: 19 });
    if (props.fit.minZoom !== undefined && map.getZoom() < props.fit.minZoom) map.jumpTo({ zoom: props.fit.minZoom, center: [(w + e) / 2, (s + n) / 2] });
  }, [map, props.fit?.nonce]);

  useEffect(() => {
    if (!map) return;
    const el = container.current!;
    if (props.drawMode === 'off') {
      el.dataset.draw = 'off';
      void drawRef.current?.then((d) => d.stop());
      return;
    }
    drawRef.current ??= DrawTools.create(map, (g) => propsRef.current.onDrawn(g));
    const mode = props.drawMode;
    void drawRef.current.then((d) => {
      d.start(mode, propsRef.current.aoi);
      el.dataset.draw = mode; // the drawing tool is loaded and listening
    });
  }, [map, props.drawMode]);

  return <div ref={container} class="map" role="region" aria-label="Map: areas, AOI and job results. Arrow keys pan, + and − zoom." />;
}
