// Worker entry when running from TypeScript sources (npm start, tests): registers tsx in this worker
// thread, then loads the real worker. From dist/ the pool loads tile.worker.js directly.
import { register } from 'tsx/esm/api';

register();
const mod = await import('./tile.worker.ts');
export default mod.default;
