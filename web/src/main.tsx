/** The geopera console: a single page over the public API, through the TypeScript SDK (`src/client`). */
import { render } from 'preact';
import './styles.css';
import { App } from './ui/app.js';

render(<App />, document.getElementById('app')!);
