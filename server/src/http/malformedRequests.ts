import type http from 'node:http';
import type { Duplex } from 'node:stream';

/**
 * Answers of requests Node's HTTP parser refuses before Express sees them, by the parser's error
 * code (Node's `clientError` event, https://nodejs.org/api/http.html#event-clienterror): an
 * address or headers beyond Node's limit (`--max-http-header-size`, 16 KiB by default) get 431,
 * a request that took too long to arrive 408, anything the parser cannot read 400. Node's own
 * answer has no body; a person gets a French sentence, a program the status.
 */
const PARSER_ANSWERS: Record<string, { status: number; reason: string; message: string }> = {
  HPE_HEADER_OVERFLOW: {
    status: 431,
    reason: 'Request Header Fields Too Large',
    message: 'Adresse ou en-têtes de la requête trop longs.',
  },
  ERR_HTTP_REQUEST_TIMEOUT: {
    status: 408,
    reason: 'Request Timeout',
    message: 'La requête est arrivée trop lentement. Réessayez.',
  },
};

const MALFORMED = { status: 400, reason: 'Bad Request', message: 'Requête HTTP mal formée.' };

/**
 * Makes `server` answer the requests its parser refuses with a status and a French plain-text
 * sentence, then close the connection (what Node does, body aside): a request line or headers the
 * parser cannot read, and a body it cannot (a bad chunk size), or that came too slowly. A connection
 * reset by the peer, or one that already sent an answer, is only closed.
 */
export function answerMalformedRequests(server: http.Server): void {
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => {
    // As Node's own handler: an answer is written only on a connection that has sent nothing yet
    // (a bad request pipelined after a good one, whose answer went, only closes it).
    const answered = (socket as Duplex & { bytesWritten?: number }).bytesWritten ?? 0;
    if (err.code === 'ECONNRESET' || !socket.writable || answered > 0) {
      socket.destroy();
      return;
    }
    const answer = (err.code !== undefined ? PARSER_ANSWERS[err.code] : undefined) ?? MALFORMED;
    const body = Buffer.from(answer.message, 'utf8');
    socket.end(
      `HTTP/1.1 ${answer.status} ${answer.reason}\r\n` +
        'Content-Type: text/plain; charset=utf-8\r\n' +
        `Content-Length: ${body.length}\r\n` +
        'Connection: close\r\n\r\n' +
        body.toString('utf8'),
    );
  });
}
