import { defineConfig } from '@playwright/test';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const port = Number(process.env.E2E_PORT ?? 4173);
// A fresh SQLite file for every run: the first start loads the demo school, as on a new machine.
// The config is loaded again in every worker, which inherits this environment: one folder for the
// server and the specs (they read its demo sign-ins and run the CLI against it).
process.env.E2E_DATA_DIR ??= mkdtempSync(join(tmpdir(), 'schoolping-e2e-'));
const dataDir = process.env.E2E_DATA_DIR;
// The server key lives outside the data folder, as in production; the CLI the specs run reads it too.
process.env.SECRET_KEY_FILE ??= join(mkdtempSync(join(tmpdir(), 'schoolping-e2e-key-')), 'server-key.json');
const keyFile = process.env.SECRET_KEY_FILE;
// The server, and the command line the specs run, live on a fixed school day whatever the date of
// the run, so what the demo shows does not drift with the calendar. Browsers and authenticator
// codes keep real time, as a phone would.
process.env.SCHOOLPING_CLOCK ??= '2027-03-15T09:00:00Z';
const schoolClock = process.env.SCHOOLPING_CLOCK;
// A second server, on its own data folder, wakes on the morning of the demo's year-6 leave date:
// the year-end flows run against it (its CLI runs `daily --as-of` that date, as a school would).
const yearEndPort = Number(process.env.E2E_YEAR_END_PORT ?? port + 1);
process.env.E2E_YEAR_END_PORT = String(yearEndPort);
process.env.E2E_YEAR_END_DATA_DIR ??= mkdtempSync(join(tmpdir(), 'schoolping-e2e-year-end-'));
const yearEndDataDir = process.env.E2E_YEAR_END_DATA_DIR;
process.env.E2E_YEAR_END_CLOCK ??= '2027-07-23T09:00:00+01:00';
const yearEndClock = process.env.E2E_YEAR_END_CLOCK;

export default defineConfig({
  testDir: '.',
  testMatch: '**/*.spec.ts',
  fullyParallel: false,
  workers: 1,
  forbidOnly: true,
  retries: 0,
  reporter: [['list']],
  timeout: 30_000,
  use: {
    baseURL: `http://localhost:${port}`,
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  webServer: [
    {
      command: 'npx tsx ../server/src/main.ts',
      url: `http://localhost:${port}/api/health`,
      // Requests are logged at info; warnings and errors are enough beside the test report.
      env: {
        PORT: String(port),
        DATA_DIR: dataDir,
        SECRET_KEY_FILE: keyFile,
        SCHOOLPING_CLOCK: schoolClock,
        LOG_LEVEL: 'warn',
      },
      reuseExistingServer: false,
      timeout: 60_000,
      stdout: 'pipe',
    },
    {
      command: 'npx tsx ../server/src/main.ts',
      url: `http://localhost:${yearEndPort}/api/health`,
      env: {
        PORT: String(yearEndPort),
        DATA_DIR: yearEndDataDir,
        SECRET_KEY_FILE: keyFile,
        SCHOOLPING_CLOCK: yearEndClock,
        LOG_LEVEL: 'warn',
      },
      reuseExistingServer: false,
      timeout: 60_000,
      stdout: 'pipe',
    },
  ],
});
