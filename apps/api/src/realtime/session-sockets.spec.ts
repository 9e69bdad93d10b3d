import type { AuthService } from '@app/identity';
import type { ConnectionState } from '@app/realtime';
import type { Server } from 'socket.io';
import { sessionRoom, SessionSockets } from './session-sockets';

/** SessionSockets with stand-ins for the identity watch, the server and sockets (the e2e suites run the real ones). */
function setUp(ended: string[] = []) {
  let onRevoked: (sessionId: string) => void = () => undefined;
  let onMaybeMissed: () => void = () => undefined;
  const auth = {
    watchRevocations: jest.fn(async (revoked: (id: string) => void, missed: () => void) => {
      onRevoked = revoked;
      onMaybeMissed = missed;
      return { stop: async () => undefined };
    }),
    endedSessions: jest.fn(async () => ended),
  };
  const disconnectedRooms: string[] = [];
  const sockets = new Map<string, ReturnType<typeof fakeSocket>>();
  const server = {
    local: { in: (room: string) => ({ disconnectSockets: () => disconnectedRooms.push(room) }) },
    of: () => ({ sockets }),
  };
  const sessions = new SessionSockets(auth as unknown as AuthService);
  sessions.attach(server as unknown as Server);
  sessions.onApplicationBootstrap();
  return { sessions, auth, sockets, disconnectedRooms, revoke: (id: string) => onRevoked(id), missed: () => onMaybeMissed() };
}

function fakeSocket(sessionId: string | null, rooms: string[] = []) {
  const data: ConnectionState = { user: sessionId ? { id: 'u1', sessionId, isPlatformAdmin: false } : null, expiresAt: null, topics: {} };
  return {
    data,
    rooms: new Set(rooms),
    disconnected: false,
    async join(room: string) {
      this.rooms.add(room);
    },
    async leave(room: string) {
      this.rooms.delete(room);
    },
    disconnect() {
      this.disconnected = true;
    },
  };
}

type Placeable = Parameters<SessionSockets['place']>[0];

describe('SessionSockets', () => {
  let current: ReturnType<typeof setUp> | null = null;
  afterEach(async () => {
    await current?.sessions.beforeApplicationShutdown();
    current = null;
  });

  it("keeps a socket in its own session's room only, and in none once anonymous", async () => {
    const { sessions } = (current = setUp());
    const socket = fakeSocket('s2', ['user:u1', sessionRoom('s1')]);
    await expect(sessions.place(socket as unknown as Placeable)).resolves.toBe(true);
    expect([...socket.rooms].sort()).toEqual([sessionRoom('s2'), 'user:u1']);
    socket.data.user = null;
    await sessions.place(socket as unknown as Placeable);
    expect([...socket.rooms]).toEqual(['user:u1']);
  });

  it("disconnects the room of an announced session, and a socket placed just after that session's announcement", async () => {
    const { sessions, revoke, disconnectedRooms } = (current = setUp());
    revoke('s1');
    expect(disconnectedRooms).toEqual([sessionRoom('s1')]);
    const late = fakeSocket('s1');
    await expect(sessions.place(late as unknown as Placeable)).resolves.toBe(false);
    expect(late.disconnected).toBe(true);
    const other = fakeSocket('s2');
    await expect(sessions.place(other as unknown as Placeable)).resolves.toBe(true);
    expect(other.disconnected).toBe(false);
  });

  it('checks the sessions of local sockets when announcements may have been missed', async () => {
    const { auth, sockets, missed, disconnectedRooms } = (current = setUp(['s1']));
    sockets.set('a', fakeSocket('s1'));
    sockets.set('b', fakeSocket('s1'));
    sockets.set('c', fakeSocket('s2'));
    sockets.set('d', fakeSocket(null));
    missed();
    await new Promise((resolve) => setImmediate(resolve));
    expect(auth.endedSessions).toHaveBeenCalledWith(['s1', 's2']);
    expect(disconnectedRooms).toEqual([sessionRoom('s1')]);
  });
});
