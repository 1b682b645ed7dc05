/** The `geopera` command: `serve`, `admin …` (and the API client commands). */
import { loadConfig } from '../config.js';
import { AppError } from '../errors/app.error.js';
import { serve } from '../server/serve.js';
import { AdminUsage, runAdmin, UsageError } from './admin.commands.js';

const Usage = `geopera — self-hosted imagery clip service

  geopera serve                 start the API server (same as npm start)
  geopera admin …               manage organizations, keys and ledgers (geopera admin --help)
`;

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === 'serve') {
      await serve();
      return -1; // keeps running
    }
    if (command === 'admin') {
      runAdmin(rest, loadConfig());
      return 0;
    }
    if (!command || command === '--help' || command === '-h' || command === 'help') {
      process.stdout.write(`${Usage}\n${AdminUsage}\n`);
      return 0;
    }
    process.stderr.write(`Error: unknown command "${command}"\n\n${Usage}`);
    return 1;
  } catch (err) {
    if (err instanceof UsageError || err instanceof AppError) {
      process.stderr.write(`Error: ${err.message}\n`);
      return 1;
    }
    throw err;
  }
}
