import type { Notice, NotifyStore, PushTarget } from './notify-store.ts';

export type PushOutcome =
  | { readonly kind: 'delivered' }
  /** The push service says the subscription no longer exists (404, 410): it is removed. */
  | { readonly kind: 'gone' }
  | { readonly kind: 'failed'; readonly error: string };

export interface PushSender {
  send(target: PushTarget, payload: string): Promise<PushOutcome>;
}

export interface Mail {
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  /** The same for every try of one notice, so a mail that did get through can be recognised. */
  readonly messageId: string;
}

export interface MailSender {
  send(mail: Mail): Promise<void>;
}

export interface NotifierOptions {
  readonly store: NotifyStore;
  readonly push: PushSender | null;
  /** None when no SMTP server is configured: then nobody is emailed. */
  readonly mail: MailSender | null;
  /** The app's address, for the link in an email. */
  readonly appUrl: string;
  readonly clock: () => Date;
  readonly log: (line: string) => void;
}

/** Notices handled per pass, and how many are sent at once. */
const BATCH = 200;
const AT_ONCE = 8;
/** Retries: after 30 s, doubling, at most an hour apart; after this many the parent is unreached. */
const FIRST_RETRY_MS = 30_000;
const LONGEST_RETRY_MS = 3_600_000;
const MAX_ATTEMPTS = 12;

/**
 * Tells parents a message is waiting when they are not looking: a push to each of their devices
 * (with no message text in it), or, with no device subscribed, an email. Every notice was queued
 * in the transaction that sent its message; failures are retried with backoff, and a notice is
 * marked done only once sent, so nothing is lost while an SMTP server is down.
 */
export class Notifier {
  readonly #options: NotifierOptions;
  #running: Promise<void> | null = null;
  #again = false;
  #timer: ReturnType<typeof setInterval> | null = null;

  constructor(options: NotifierOptions) {
    this.#options = options;
  }

  /** Works through due notices every `everyMs`, and at once when kicked. */
  start(everyMs = 5_000): void {
    this.#timer = setInterval(() => {
      void this.kick();
    }, everyMs);
    this.#timer.unref();
    void this.kick();
  }

  stop(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    return this.#running ?? Promise.resolve();
  }

  /** A message was just sent: its notices are due now. One pass at a time; a kick during one runs another after. */
  kick(): Promise<void> {
    if (this.#running) {
      this.#again = true;
      return this.#running;
    }
    this.#running = this.#drain()
      .catch((error: unknown) => {
        this.#options.log(`notify: a pass failed and is tried again later: ${String(error)}`);
      })
      .finally(() => {
        this.#running = null;
      });
    return this.#running;
  }

  async #drain(): Promise<void> {
    do {
      this.#again = false;
      const due = this.#options.store.due(this.#options.clock(), BATCH);
      for (let at = 0; at < due.length; at += AT_ONCE) {
        await Promise.all(due.slice(at, at + AT_ONCE).map((notice) => this.#handle(notice)));
      }
      if (due.length === BATCH) this.#again = true;
    } while (this.#again && this.#timer !== null);
  }

  async #handle(notice: Notice): Promise<void> {
    const { store, clock, log } = this.#options;
    const about = store.about(notice);
    if (!about) {
      store.finish(notice, 'unreached', clock(), 'the message no longer exists');
      return;
    }
    let transient: string | null = null;
    const targets = this.#options.push ? store.pushTargets(notice) : [];
    for (const target of targets) {
      const outcome = await this.#pushTo(target, notice, about.school);
      if (outcome.kind === 'delivered') {
        store.finish(notice, 'pushed', clock());
        return;
      }
      if (outcome.kind === 'gone') store.dropSubscription(target.endpoint);
      else transient = outcome.error;
    }
    if (transient !== null) {
      this.#retry(notice, `push: ${transient}`);
      return;
    }
    const address = store.emailOf(notice);
    if (!this.#options.mail || address === null) {
      const why =
        address === null
          ? 'no push subscription and no email address'
          : 'no push subscription, and email is not set up';
      store.finish(notice, 'unreached', clock(), why);
      return;
    }
    try {
      await this.#options.mail.send(this.#mailFor(notice, address, about));
      store.finish(notice, 'emailed', clock());
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error);
      log(`notify: email for message ${notice.messageId} failed (try ${notice.attempts + 1}): ${detail}`);
      this.#retry(notice, `email: ${detail}`);
    }
  }

  async #pushTo(target: PushTarget, notice: Notice, school: string): Promise<PushOutcome> {
    // The words of the message never travel through a push service: only that one is waiting.
    const payload = JSON.stringify({
      title: `New message from ${school}`,
      url: `/inbox/${notice.messageId}`,
    });
    try {
      return (await this.#options.push?.send(target, payload)) ?? { kind: 'failed', error: 'push is off' };
    } catch (error) {
      return { kind: 'failed', error: error instanceof Error ? error.message : String(error) };
    }
  }

  #retry(notice: Notice, error: string): void {
    const { store, clock } = this.#options;
    if (notice.attempts + 1 >= MAX_ATTEMPTS) {
      store.finish(notice, 'unreached', clock(), error);
      return;
    }
    const wait = Math.min(LONGEST_RETRY_MS, FIRST_RETRY_MS * 2 ** notice.attempts);
    store.retry(notice, new Date(clock().getTime() + wait), error);
  }

  #mailFor(
    notice: Notice,
    to: string,
    about: { school: string; includeText: boolean; subject: string; body: string },
  ): Mail {
    const link = `${this.#options.appUrl}/inbox/${encodeURIComponent(notice.messageId)}`;
    const text = about.includeText
      ? `${about.school} has sent you a message.\n\n${about.subject}\n\n${about.body}\n\nRead it in SchoolPing: ${link}\n`
      : `${about.school} has sent you a message. Read it in SchoolPing: ${link}\n`;
    return {
      to,
      subject: about.includeText ? `${about.school}: ${about.subject}` : `New message from ${about.school}`,
      text,
      messageId: `<${notice.schoolId}.${notice.messageId}.${notice.contactId}@schoolping>`,
    };
  }
}
