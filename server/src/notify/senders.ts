import type { Agent } from 'node:https';
import nodemailer from 'nodemailer';
import webpush from 'web-push';
import type { MailSender, PushSender } from './notifier.ts';
import type { VapidKeys } from './vapid.ts';

/** Pushes through the subscription's own push service, signed with our VAPID keys. */
export function webPushSender(keys: VapidKeys, subject: string, agent?: Agent): PushSender {
  return {
    async send(target, payload) {
      try {
        await webpush.sendNotification(
          { endpoint: target.endpoint, keys: { p256dh: target.p256dh, auth: target.auth } },
          payload,
          {
            vapidDetails: { subject, ...keys },
            TTL: 24 * 3600,
            timeout: 10_000,
            ...(agent ? { agent } : {}),
          },
        );
        return { kind: 'delivered' };
      } catch (error) {
        const status = (error as { statusCode?: number }).statusCode;
        if (status === 404 || status === 410) return { kind: 'gone' };
        return { kind: 'failed', error: status ? `the push service answered ${status}` : String(error) };
      }
    },
  };
}

/** Mail through the school's SMTP server (SMTP_URL, e.g. smtps://user:pass@mail.example.org). */
export function smtpSender(url: string, from: string): MailSender {
  const transport = nodemailer.createTransport(url);
  return {
    async send(mail) {
      await transport.sendMail({
        from,
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        messageId: mail.messageId,
      });
    },
  };
}
