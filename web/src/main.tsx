import { render } from 'preact';
import { GeoperaClient } from '../../src/client/index.js';
import maplibreWorker from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
console.log(GeoperaClient, maplibreWorker);
render(<p>hello</p>, document.getElementById('app')!);
