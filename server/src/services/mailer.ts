import nodemailer from 'nodemailer';
import type { Logger } from '../logger.js';

/** Sends the few emails Essaim writes (invitations, password resets). Optional: never required. */
export interface Mailer {
  readonly enabled: boolean;
  send(message: { to: string; subject: string; text: string }): Promise<void>;
}

/** No SMTP configured: links are shown to copy, nothing is sent. */
export const disabledMailer: Mailer = {
  enabled: false,
  send: async () => {},
};

export function smtpMailer(url: string, from: string, logger: Logger): Mailer {
  const transport = nodemailer.createTransport(url);
  return {
    enabled: true,
    async send({ to, subject, text }) {
      try {
        await transport.sendMail({ from, to, subject, text });
      } catch (error) {
        // The link is also shown to the person who created it: a failed email loses nothing.
        logger.error({ err: error, to }, 'email could not be sent');
      }
    },
  };
}
