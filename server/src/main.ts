import { serve } from '@hono/node-server';
import type { Server } from 'node:http';
import { createAppWithContext } from './app.ts';
import { Notifier } from './notify/notifier.ts';
import { notifyStore } from './notify/notify-store.ts';
import { smtpSender, webPushSender } from './notify/senders.ts';
import { loadOrCreateVapidKeys } from './notify/vapid.ts';
import { guardUpgrades } from './http/upgrade.ts';
import { clockNotice, realClock, systemClock } from './clock.ts';
import { readConfig } from './config.ts';
import { createDemoAccounts, readDemoSignIns } from './demo-accounts.ts';
import { loadDemoOnFirstRun } from './demo-data.ts';
import { sendDemoMessages } from './demo-messages.ts';
import { startDailySchedule, startPullSchedule } from './scheduler.ts';
import { table } from './cli/output.ts';
import { createLogger } from './http/request-log.ts';
import { defaultSchool, summarise } from './school-summary.ts';
import { feedWorker } from './ingest/intake/worker/feed-pool.ts';
import { defaultBuildDir } from './static-files.ts';
import { ServerKeyMismatchError } from './secrets/at-rest.ts';
import { KeyFileError } from './secrets/keyring.ts';
import { openServerDatabase } from './secrets/startup.ts';
import { SocketHub } from './sync/socket-hub.ts';

const config = readConfig();
if (clockNotice) console.log(clockNotice);
const db = openOrExplain();

/** A missing or different server key stops the start with its sentence, not a stack trace. */
function openOrExplain(): ReturnType<typeof openServerDatabase> {
  try {
    return openServerDatabase(config.dataDir, config.keyFile, systemClock(), (line) => {
      console.log(line);
    });
  } catch (error) {
    if (error instanceof KeyFileError || error instanceof ServerKeyMismatchError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
}
const loaded = config.loadDemo ? loadDemoOnFirstRun(db, systemClock()) : null;
if (loaded) {
  await createDemoAccounts(db, loaded, config.dataDir, systemClock());
  sendDemoMessages(db, loaded, systemClock());
}
const logger = createLogger(process.env);
const pushKeys = loadOrCreateVapidKeys(config.dataDir);
const { app, context, sync } = createAppWithContext({
  push: { publicKey: pushKeys.publicKey },
  logger,
  db,
  clock: systemClock,
  authenticatorClock: realClock,
  webBuildDir: config.webBuildDir ?? defaultBuildDir(),
  identity: config.identity,
  trustedProxies: config.trustedProxies,
  proxyAddresses: config.proxyAddresses,
  metricsToken: config.metricsToken,
});
const log = (line: string): void => {
  logger.info(line);
};
// Parents who are not looking are told a message is waiting: by push, or by email.
const notifier = new Notifier({
  store: notifyStore(db),
  push: webPushSender(pushKeys, config.pushContact),
  mail: config.smtpUrl ? smtpSender(config.smtpUrl, config.mailFrom) : null,
  appUrl: config.appUrl,
  clock: systemClock,
  log,
});
notifier.start();
sync.onWritten(() => void notifier.kick());
const stopDaily = startDailySchedule(db, systemClock, log);
const stopPulls = startPullSchedule(db, systemClock, log);

const server = serve({ fetch: app.fetch, port: config.port }, (info) => {
  const school = defaultSchool(db);
  const lines = [
    `SchoolPing is running at http://localhost:${info.port}/`,
    `Data: ${config.dataDir}${loaded ? ' (demo school loaded on this first run)' : ''}`,
  ];
  if (school) {
    const { counts, asOf } = summarise(db, school, systemClock());
    lines.push(
      `School: ${school.name}, ${counts.pupils} pupils, ${counts.contacts} contacts, ${counts.classes} classes on ${asOf}`,
    );
  }
  const signIns = readDemoSignIns(config.dataDir);
  if (signIns.length > 0) {
    lines.push(
      '',
      'Demo sign-ins (also in the data folder, demo-sign-ins.txt). These are passwords, not activation codes:',
      '',
      table(
        ['who', 'email', 'password'],
        signIns.map((each) => [each.who, each.email, each.password]),
      ),
      '',
      "The demo's admins sign in without an authenticator app; a real school keeps it on",
      '(`npx schoolping school-set --admin-mfa on` turns it on for the demo too).',
    );
  } else {
    lines.push('Sign in with an account made by `npx schoolping user-add` or a parent activation code.');
  }
  console.log(lines.join('\n'));
});

// The Origin gate stands in front of the sync hub: a socket carries the session cookie.
const syncHub = new SocketHub(context, sync);
guardUpgrades(server as Server, (request, socket, head) => syncHub.accept(request, socket, head));

/**
 * A graceful stop: take no new connections, let requests in flight (a feed being applied among
 * them) finish and be answered, then close the database cleanly. A second signal stops at once.
 */
let stopping = false;
function shutdown(): void {
  if (stopping) process.exit(1);
  stopping = true;
  stopDaily();
  stopPulls();
  // Open sockets would hold the server open; clients reconnect to the next start and resync.
  syncHub.close();
  // A backlog being decided stops at its next batch; its device sends the rest to the next start.
  sync.stop();
  const http = server as Server;
  // Keep-alive connections go as soon as their request is answered, not after their idle timeout.
  const sweep = setInterval(() => {
    http.closeIdleConnections();
  }, 50);
  http.close(() => {
    clearInterval(sweep);
    void Promise.all([feedWorker.stop(), notifier.stop()]).finally(() => {
      db.close();
      process.exit(0);
    });
  });
  http.closeIdleConnections();
}
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
