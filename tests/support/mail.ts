import net from 'node:net';
import { startTestServer, type TestServer } from './server.js';

/** An email as the SMTP sink received it. */
export interface Mail {
  /** The envelope's recipients (`RCPT TO`), in order. */
  to: string[];
  /** The message as sent (headers and body), quoted-printable and RFC 2047 subjects decoded. */
  text: string;
}

/** A local SMTP server that accepts every message and keeps it. */
export interface SmtpSink {
  /** The port it listens on, on 127.0.0.1. */
  port: number;
  /** Every message received so far, in order. */
  mails: Mail[];
  /** Closes the server and every open connection. */
  close(): Promise<void>;
}

/** Decodes quoted-printable parts (what nodemailer uses for French text) and RFC 2047 subjects. */
function decodeQuotedPrintable(raw: string): string {
  const bytes = Buffer.from(
    raw
      .replace(/=\r\n/g, '')
      .replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))),
    'latin1',
  );
  return bytes
    .toString('utf8')
    .replace(/=\?UTF-8\?Q\?([^?]*)\?=/gi, (_, q: string) =>
      Buffer.from(
        q
          .replace(/_/g, ' ')
          .replace(/=([0-9A-F]{2})/g, (__, hex: string) => String.fromCharCode(parseInt(hex, 16))),
        'latin1',
      ).toString('utf8'),
    )
    .replace(/\?=\s+=\?UTF-8\?Q\?/gi, '');
}

/**
 * Starts a minimal SMTP server on 127.0.0.1 (a free port) that answers every command with
 * success and keeps each message (RFC 5321's conversation, no authentication, no TLS).
 */
export async function smtpSink(): Promise<SmtpSink> {
  const mails: Mail[] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    let buffer = '';
    let data: string | null = null;
    let to: string[] = [];
    socket.write('220 puits ESMTP\r\n');
    socket.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('latin1');
      for (;;) {
        if (data !== null) {
          const end = buffer.indexOf('\r\n.\r\n');
          if (end < 0) return;
          data += buffer.slice(0, end);
          buffer = buffer.slice(end + 5);
          mails.push({ to, text: decodeQuotedPrintable(data) });
          data = null;
          to = [];
          socket.write('250 OK\r\n');
          continue;
        }
        const eol = buffer.indexOf('\r\n');
        if (eol < 0) return;
        const line = buffer.slice(0, eol);
        buffer = buffer.slice(eol + 2);
        const verb = line.slice(0, 4).toUpperCase();
        if (verb === 'EHLO' || verb === 'HELO') socket.write('250 puits\r\n');
        else if (verb === 'RCPT') {
          to.push(/<([^>]*)>/.exec(line)?.[1] ?? '');
          socket.write('250 OK\r\n');
        } else if (verb === 'DATA') {
          data = '';
          socket.write('354 OK\r\n');
        } else if (verb === 'QUIT') {
          socket.end('221 Au revoir\r\n');
          return;
        } else socket.write('250 OK\r\n');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    port,
    mails,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A test server that sends its emails to a local sink. */
export interface MailingServer {
  server: TestServer;
  sink: SmtpSink;
  /** The server's PUBLIC_URL (`http://127.0.0.1:<port>`, the address it listens on). */
  publicUrl: string;
  /** Stops the server, then the sink. */
  stop(): Promise<void>;
}

/**
 * Starts an SMTP sink and a test server that sends through it. With SMTP, links in emails come from
 * PUBLIC_URL (required, issue 15): a port free right now is taken first, named in PUBLIC_URL, then
 * listened on. `env` adds to (or overrides) that configuration.
 */
export async function startMailingServer(env: Record<string, string> = {}): Promise<MailingServer> {
  const sink = await smtpSink();
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as net.AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  const publicUrl = `http://127.0.0.1:${port}`;
  const server = await startTestServer({
    env: { PORT: String(port), PUBLIC_URL: publicUrl, SMTP_URL: `smtp://127.0.0.1:${sink.port}`, ...env },
  });
  return {
    server,
    sink,
    publicUrl,
    stop: async () => {
      await server.stop();
      await sink.close();
    },
  };
}
