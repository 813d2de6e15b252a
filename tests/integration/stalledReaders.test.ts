import { describe, expect, it } from 'vitest';
import { createDocument, invite, type Session } from '../support/accounts.js';
import { sectionId, writeInSection } from '../support/comments.js';
import { useTestInstance } from '../support/instance.js';
import { connectAs, isSettled } from '../support/provider.js';
import { Msg, RawClient } from '../support/rawClient.js';

/**
 * Issue 17, tester BR33 F6: a socket that stops reading made the server keep every broadcast for
 * it until the keepalive closed it, about 35 s later (20 such readers: +220 MiB). A socket with
 * more than 1 MiB waiting that reads nothing for `COLLAB_STALLED_READER_SECONDS` (1 s here, 10 by
 * default) is dropped; the others go on.
 */

const t = useTestInstance({ COLLAB_STALLED_READER_SECONDS: '1' });

/** 256 KiB of French text, different at each `round`. */
const chunk = (round: number): string =>
  `Tour ${round} : ${'aller-vers et pair-aidance '.repeat(Math.ceil((256 * 1024) / 27))}`;

describe('a reader that stops reading', () => {
  it('is dropped once it has read nothing for its grace period, while a reading co-reader gets every change', async () => {
    const membre: Session = await invite(t.admin, t.espaceId, 'membre', 'Marie Membre');
    const { name } = await createDocument(t.admin, t.espaceId);
    const writer = t.open(name);
    const reader = t.track(connectAs(membre, t.server.wsUrl, name));
    await expect.poll(() => isSettled(writer) && isSettled(reader)).toBe(true);
    const stalled = await RawClient.open(t.server.wsUrl, { cookie: membre.cookie });
    stalled.authenticate(name);
    await expect.poll(() => stalled.frames.some((f) => f.type === Msg.Auth && f.authType === 2)).toBe(true);
    const hocuspocus = t.server.app.hocuspocus;
    const connected = hocuspocus.getConnectionsCount();
    // The test's side stops reading: the server's sends pile up for this socket.
    stalled.ws.pause();

    const section = sectionId(writer.ydoc, 1);
    let round = 0;
    while (hocuspocus.getConnectionsCount() === connected && round < 400) {
      writeInSection(writer.ydoc, section, chunk(round));
      round += 1;
      await expect.poll(() => isSettled(writer)).toBe(true);
    }
    expect(hocuspocus.getConnectionsCount()).toBe(connected - 1);
    const last = chunk(round - 1);
    await expect.poll(() => reader.ydoc.getXmlFragment('default').toString().includes(last)).toBe(true);
    // Reading again, the dropped socket finds its connection reset.
    stalled.ws.resume();
    expect(await stalled.closed).toBe(1006);
  });
});
