import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { text } from 'node:stream/consumers';
import { DiskFileStorage } from './disk-file-storage';
import { assertStorageKey, InvalidStorageKeyError } from './file-storage';

describe('DiskFileStorage', () => {
  let root: string;
  let storage: DiskFileStorage;

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'civic-storage-'));
    storage = new DiskFileStorage(join(root, 'nested', 'storage'));
  });

  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('puts, gets and deletes, creating directories as needed', async () => {
    await storage.put('photos/ab/abc-full.jpg', Buffer.from('hello'), 'image/jpeg');
    const file = await storage.get('photos/ab/abc-full.jpg');
    expect(file?.size).toBe(5);
    await expect(text(file!.body)).resolves.toBe('hello');
    await expect(readFile(join(root, 'nested/storage/photos/ab/abc-full.jpg'), 'utf8')).resolves.toBe('hello');

    await storage.delete('photos/ab/abc-full.jpg');
    await expect(storage.get('photos/ab/abc-full.jpg')).resolves.toBeNull();
    // Deleting again is not an error.
    await expect(storage.delete('photos/ab/abc-full.jpg')).resolves.toBeUndefined();
  });

  it('leaves no temporary file behind', async () => {
    await storage.put('a/b.webp', Buffer.alloc(1024), 'image/webp');
    await expect(readdir(join(root, 'nested/storage/a'))).resolves.toEqual(['b.webp']);
  });

  it('answers null for a missing key or a directory', async () => {
    await expect(storage.get('nothing/here.jpg')).resolves.toBeNull();
    await storage.put('dir/file.jpg', Buffer.from('x'), 'image/jpeg');
    await expect(storage.get('dir')).resolves.toBeNull();
  });

  it.each(['../outside.jpg', 'a/../../outside.jpg', '/etc/passwd', 'a//b', 'a/./b', '.hidden', 'A.JPG', 'a\\b', 'a/b/', '', 'a/..b', 'x'.repeat(200)])(
    'refuses the key %j',
    async (key) => {
      expect(() => assertStorageKey(key)).toThrow(InvalidStorageKeyError);
      await expect(storage.put(key, Buffer.from('x'), 'image/jpeg')).rejects.toBeInstanceOf(InvalidStorageKeyError);
      await expect(storage.get(key)).rejects.toBeInstanceOf(InvalidStorageKeyError);
      await expect(storage.delete(key)).rejects.toBeInstanceOf(InvalidStorageKeyError);
    },
  );

  it('does not read outside its root even if a file is there', async () => {
    await storage.put('inside.jpg', Buffer.from('x'), 'image/jpeg');
    await writeFile(join(root, 'nested', 'secret.jpg'), 'secret');
    await expect(storage.get('../secret.jpg')).rejects.toBeInstanceOf(InvalidStorageKeyError);
  });
});
