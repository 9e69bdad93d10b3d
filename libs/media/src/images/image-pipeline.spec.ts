import sharp from 'sharp';
import { cameraPhoto, CAMERA_MAKE, forgedImage, metadataMarkersIn, oversizedJpeg, plainPhoto, textFile } from '../../../../test/fixtures/images';
import { ImageTooLargeError, UnreadableImageError, UnsupportedImageTypeError } from '../media.errors';
import { MAX_FULL_SIDE, MAX_IMAGE_BYTES, processImage, sniffImageType, THUMBNAIL_SIDE } from './image-pipeline';

describe('image pipeline', () => {
  describe('sniffImageType', () => {
    it('reads the type from the bytes', async () => {
      expect(sniffImageType(await plainPhoto('jpeg'))).toBe('image/jpeg');
      expect(sniffImageType(await plainPhoto('png'))).toBe('image/png');
      expect(sniffImageType(await plainPhoto('webp'))).toBe('image/webp');
      // Lossless and extended (alpha) WebP start with other chunks.
      expect(sniffImageType(await sharp(await plainPhoto('png', 16, 16)).webp({ lossless: true }).toBuffer())).toBe('image/webp');
      const withAlpha = await sharp({ create: { width: 8, height: 8, channels: 4, background: { r: 1, g: 2, b: 3, alpha: 0.5 } } }).webp().toBuffer();
      expect(sniffImageType(withAlpha)).toBe('image/webp');
    });

    it('accepts nothing else', async () => {
      const gif = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#333' } }).gif().toBuffer();
      const tiff = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#333' } }).tiff().toBuffer();
      const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8"/>');
      for (const bytes of [gif, tiff, svg, textFile(), Buffer.alloc(0), Buffer.from([0xff, 0xd8]), Buffer.from('RIFF\0\0\0\0WAVEfmt ')]) {
        expect(sniffImageType(bytes)).toBeNull();
      }
    });
  });

  it.each(['jpeg', 'png', 'webp'] as const)('strips EXIF (maker, GPS) from a %s and its thumbnail', async (format) => {
    const input = await cameraPhoto(format);
    const inputMeta = await sharp(input).metadata();
    expect(inputMeta.exif).toBeDefined();
    expect(input.includes(CAMERA_MAKE)).toBe(true);

    const out = await processImage(input);
    expect(out.mimeType).toBe(`image/${format}`);
    for (const bytes of [out.full, out.thumbnail]) {
      const meta = await sharp(bytes).metadata();
      expect(meta.exif).toBeUndefined();
      expect(meta.xmp).toBeUndefined();
      expect(meta.iptc).toBeUndefined();
      expect(meta.icc).toBeUndefined();
      expect(metadataMarkersIn(bytes)).toEqual([]);
    }
    expect((await sharp(out.full).metadata()).format).toBe(format);
    expect((await sharp(out.thumbnail).metadata()).format).toBe('webp');
  });

  it('applies the EXIF orientation to the pixels before dropping the tag', async () => {
    const input = await cameraPhoto('jpeg', { width: 400, height: 200, orientation: 6 });
    expect((await sharp(input).metadata()).orientation).toBe(6);
    const out = await processImage(input);
    expect([out.width, out.height]).toEqual([200, 400]);
    const meta = await sharp(out.full).metadata();
    expect([meta.width, meta.height, meta.orientation]).toEqual([200, 400, undefined]);
  });

  it('caps the longest side and makes a small thumbnail', async () => {
    const out = await processImage(await plainPhoto('jpeg', 3000, 1500));
    expect([out.width, out.height]).toEqual([MAX_FULL_SIDE, MAX_FULL_SIDE / 2]);
    const thumb = await sharp(out.thumbnail).metadata();
    expect([thumb.width, thumb.height]).toEqual([THUMBNAIL_SIDE, THUMBNAIL_SIDE / 2]);
    expect(out.thumbnail.length).toBeLessThan(out.full.length);
  });

  it('never enlarges a small image', async () => {
    const out = await processImage(await plainPhoto('png', 100, 50));
    expect([out.width, out.height]).toEqual([100, 50]);
    expect(await sharp(out.thumbnail).metadata()).toMatchObject({ width: 100, height: 50 });
  });

  it('refuses text, whatever it is called', async () => {
    await expect(processImage(textFile())).rejects.toBeInstanceOf(UnsupportedImageTypeError);
  });

  it('refuses a GIF with the accepted types listed', async () => {
    const gif = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#333' } }).gif().toBuffer();
    await expect(processImage(gif)).rejects.toMatchObject({
      code: 'UNSUPPORTED_IMAGE_TYPE',
      kind: 'unsupported_media_type',
      meta: { accepted: ['image/jpeg', 'image/png', 'image/webp'] },
    });
  });

  it.each(['jpeg', 'png', 'webp'] as const)('refuses a %s signature followed by garbage', async (format) => {
    const forged = forgedImage(format);
    expect(sniffImageType(forged)).toBe(`image/${format}`);
    await expect(processImage(forged)).rejects.toMatchObject({ code: 'IMAGE_UNREADABLE', kind: 'invalid' });
  });

  it('refuses a JPEG body behind a PNG signature (decoder and signature must agree)', async () => {
    const jpeg = await plainPhoto('jpeg', 64, 64);
    const png = await plainPhoto('png', 64, 64);
    const chimera = Buffer.concat([png.subarray(0, 33), jpeg]);
    expect(sniffImageType(chimera)).toBe('image/png');
    await expect(processImage(chimera)).rejects.toBeInstanceOf(UnreadableImageError);
  });

  it('refuses a real image cut in half', async () => {
    const png = await plainPhoto('png', 400, 300);
    await expect(processImage(png.subarray(0, Math.floor(png.length / 2)))).rejects.toBeInstanceOf(UnreadableImageError);
  });

  it('refuses more than 10 MB before decoding anything', async () => {
    await expect(processImage(oversizedJpeg(MAX_IMAGE_BYTES + 1))).rejects.toBeInstanceOf(ImageTooLargeError);
  });

  it('refuses a decompression bomb by its declared dimensions', async () => {
    // A flat 12000 × 10000 PNG is a few hundred KB but 120 MP once decoded.
    const bomb = await sharp({ create: { width: 12000, height: 10000, channels: 3, background: '#fff' } }).png().toBuffer();
    expect(bomb.length).toBeLessThan(MAX_IMAGE_BYTES);
    await expect(processImage(bomb)).rejects.toMatchObject({ code: 'IMAGE_TOO_LARGE', kind: 'too_large' });
  });
});
