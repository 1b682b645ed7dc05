/** The page: header (who is signed in), the side panel (area, order, jobs) and the map. */
import { useEffect } from 'preact/hooks';
import { MapView } from '../map/map.view.js';
import { formatUrlState } from '../state/url.state.js';
import { areas, auth, currentArea, jobs, layers, order, selectArea, setAoi, signOut, ui, type Tab } from '../store.js';
import { AreaPanel } from './area.panel.js';
import { JobsPanel } from './jobs.panel.js';
import { OrderPanel } from './order.panel.js';
import { SignIn } from './sign.in.js';

const Tabs: { id: Tab; label: string }[] = [
  { id: 'area', label: 'Area & layers' },
  { id: 'order', label: 'Order' },
  { id: 'jobs', label: 'Jobs' },
];

const basemap = document.querySelector<HTMLMetaElement>('meta[name="geopera-basemap"]')?.content || undefined;

function TabBar() {
  const onKey = (e: KeyboardEvent): void => {
    if (e.key !== 'ArrowRight' && e.key !== 'ArrowLeft') return;
    const i = Tabs.findIndex((t) => t.id === ui.tab.value);
    const next = Tabs[(i + (e.key === 'ArrowRight' ? 1 : Tabs.length - 1)) % Tabs.length]!;
    ui.tab.value = next.id;
    document.getElementById(`tab-${next.id}`)?.focus();
  };
  const active = jobs.list.value.filter((j) => j.status === 'running' || j.status === 'queued').length;
  return (
    <div role="tablist" aria-label="Panels" class="tabs" onKeyDown={onKey}>
      {Tabs.map((t) => (
        <button key={t.id} id={`tab-${t.id}`} type="button" role="tab" aria-selected={ui.tab.value === t.id} aria-controls={`panel-${t.id}`}
          tabIndex={ui.tab.value === t.id ? 0 : -1} class={ui.tab.value === t.id ? 'tab active' : 'tab'} onClick={() => { ui.tab.value = t.id; }}>
          {t.label}{t.id === 'jobs' && active > 0 ? <span class="badge" aria-label={`${active} active`}>{active}</span> : null}
        </button>
      ))}
    </div>
  );
}

export function App() {
  const session = auth.session.value;
  const detail = jobs.detail.value;
  const selectedJob = jobs.selected.value;

  // The URL holds the view, area, previewed mosaic and job (never a credential).
  useEffect(() => {
    const hash = formatUrlState({ view: ui.view.value, area: areas.selected.value, mosaic: layers.preview.value, job: selectedJob });
    if (hash !== location.hash) history.replaceState(null, '', hash || location.pathname);
  }, [ui.view.value, areas.selected.value, layers.preview.value, selectedJob]);

  // A selected job is shown on the Jobs tab; the other tabs show the area and the order's AOI.
  const jobShown = ui.tab.value === 'jobs' && selectedJob ? selectedJob : undefined;
  const result = jobShown && detail.job && detail.tiles && detail.job.id === jobShown ? { id: detail.job.id, tiles: detail.tiles } : undefined;
  const showSource = !jobShown || layers.compareSource.value;

  return (
    <div class="app">
      <header class="top">
        <h1><span class="logo" aria-hidden="true" />geopera <span class="sub">console</span></h1>
        {session ? (
          <div class="who">
            <span data-testid="org">Organization <strong>{session.identity.org}</strong></span>
            <span class="scopes" title="Permissions of your key">{session.identity.scopes.join(' · ')}</span>
            <button type="button" class="secondary" onClick={() => void signOut()}>Sign out</button>
          </div>
        ) : null}
      </header>
      <main class="main" inert={!session}>
        <aside class="panel" aria-label="Console">
          {session ? (
            <>
              <TabBar />
              <div id={`panel-${ui.tab.value}`} role="tabpanel" aria-labelledby={`tab-${ui.tab.value}`} class="panel-body" tabIndex={0}>
                {ui.tab.value === 'area' ? <AreaPanel /> : ui.tab.value === 'order' ? <OrderPanel /> : <JobsPanel />}
              </div>
            </>
          ) : <p class="panel-body hint">Sign in to see your areas and jobs.</p>}
          <p class="status" role="status" aria-live="polite">{ui.announce.value}</p>
        </aside>
        <MapView
          basemap={basemap}
          initialView={ui.view.peek()}
          areas={areas.list.value}
          selectedArea={areas.selected.value}
          showFootprints={layers.footprints.value}
          captures={areas.captures.value?.features}
          showCaptures={layers.captures.value}
          dateRange={[layers.dateFrom.value, layers.dateTo.value]}
          preview={showSource ? layers.previewTiles.value : undefined}
          previewOpacity={layers.previewOpacity.value}
          result={result}
          resultOpacity={layers.resultOpacity.value}
          jobAoi={jobShown ? detail.job?.aoi_geometry : undefined}
          aoi={jobShown ? undefined : order.aoi.value?.geometry}
          drawMode={ui.drawMode.value}
          fit={ui.fit.value}
          onView={(v) => { ui.view.value = v; }}
          onDrawn={(g) => {
            const editing = ui.drawMode.peek() === 'edit';
            if (!editing) ui.drawMode.value = 'off';
            setAoi({ geometry: g, source: editing ? 'edited on the map' : 'drawn on the map', ...(order.aoi.peek()?.name ? { name: order.aoi.peek()!.name! } : {}) });
            ui.tab.value = 'order';
          }}
          onSelectArea={(id) => { if (id !== currentArea.peek()?.id) void selectArea(id); }}
          onReady={() => { ui.mapReady.value = true; document.documentElement.dataset.ready = 'true'; performance.mark('geopera:ready'); }}
        />
      </main>
      {session ? null : <SignIn />}
    </div>
  );
}
