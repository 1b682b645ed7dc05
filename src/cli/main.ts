/** The `geopera` command: `serve`, `admin …`, and the API client commands (`clip …`, `op`, `login`, `whoami`, `logout`). */
import { AppError } from '../errors/app.error.js';
import { ClientRoots, OpCommands, runClient } from './client.commands.js';
import { clientUsage } from './client.help.js';

const Usage = `geopera — self-hosted imagery clip service

  geopera serve                 start the API server (same as npm start)
  geopera admin …               manage organizations, keys and ledgers (geopera admin --help)
`;

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command && ClientRoots.has(command)) return runClient(argv);
  // Server modules load only for the commands that use them, so client commands start fast.
  const { AdminUsage, runAdmin, UsageError } = await import('./admin.commands.js');
  try {
    if (command === 'serve') {
      const { serve } = await import('../server/serve.js');
      await serve();
      return -1; // keeps running
    }
    if (command === 'admin') {
      const { loadConfig } = await import('../config.js');
      await runAdmin(rest, loadConfig());
      return 0;
    }
    if (!command || command === '--help' || command === '-h' || command === 'help') {
      process.stdout.write(`${Usage}\n${clientUsage(OpCommands)}\n\n${AdminUsage}\n`);
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
