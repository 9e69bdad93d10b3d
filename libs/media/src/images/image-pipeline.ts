import sharp, { FormatEnum, Metadata, OutputInfo, Sharp } from 'sharp';
import { ImageTooLargeError, UnreadableImageError, UnsupportedImageTypeError } from '../media.errors';

/** The largest upload accepted, in bytes (also multer's limit on the upload route). */
export const MAX_IMAGE_BYTES = 10 * 1024 * 1024;
/** Longest side of the stored full image; phones shoot far more than anyone needs to see a pothole. */
export const MAX_FULL_SIDE = 2560;
export const THUMBNAIL_SIDE = 320;
/** Decompression-bomb guard: a 10 MB PNG can claim gigapixels. 100 MP covers today's phones. */
export const MAX_INPUT_PIXELS = 100_000_000;
const PROCESSING_TIMEOUT_SECONDS = 30;

export const ACCEPTED_IMAGE_TYPES = ['image/jpeg', 'image/png', 'image/webp'] as const;
export type AcceptedImageType = (typeof ACCEPTED_IMAGE_TYPES)[number];

const SHARP_FORMAT: Record<AcceptedImageType, keyof FormatEnum> = {
  'image/jpeg': 'jpeg',
  'image/png': 'png',
  'image/webp': 'webp',
};

export const EXTENSION_BY_TYPE: Record<AcceptedImageType, string> = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/webp': 'webp',
};

export interface ProcessedImage {
  /** Type of the stored full image: the type detected from the upload's bytes. */
  mimeType: AcceptedImageType;
  width: number;
  height: number;
  full: Buffer;
  thumbnail: Buffer;
  thumbnailMimeType: 'image/webp';
}

/**
 * The image type the bytes say they are (their signature), whatever name or Content-Type the
 * client sent; null for anything but JPEG, PNG or WebP. libvips then decodes only bytes that
 * passed this check, and must agree (see processImage), so it never sees an SVG, PDF or TIFF.
 *
 * Documents are sniffed by the `file-type` package (documents/document-pipeline.ts, through its
 * `file-type/core` entry that Jest resolves); for the three image types we accept its checks are
 * these same signatures, kept synchronous here.
 */
export function sniffImageType(bytes: Uint8Array): AcceptedImageType | null {
  const view = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const at = (offset: number, ascii: string) => view.toString('latin1', offset, offset + ascii.length) === ascii;
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  // PNG: the 8-byte signature, then the IHDR chunk that must come first.
  if (bytes.length >= 16 && at(0, '\x89PNG\r\n\x1a\n') && at(12, 'IHDR')) return 'image/png';
  // WebP: a RIFF container of type WEBP whose first chunk is lossy, lossless or extended.
  if (bytes.length >= 16 && at(0, 'RIFF') && at(8, 'WEBP') && (at(12, 'VP8 ') || at(12, 'VP8L') || at(12, 'VP8X'))) return 'image/webp';
  return null;
}

/**
 * Turns an upload into what we store: checks the type from the bytes, decodes it fully (a file
 * that only looks like an image is refused), applies the EXIF orientation, caps its size and
 * re-encodes it. Re-encoding without `withMetadata()` drops every metadata block — EXIF (with
 * GPS), XMP, IPTC, ICC (pixels are converted to sRGB first) — so nothing about the phone or the
 * place it was taken reaches the public. The thumbnail is made from that clean image.
 */
export async function processImage(bytes: Buffer): Promise<ProcessedImage> {
  if (bytes.length > MAX_IMAGE_BYTES) {
    throw new ImageTooLargeError(`Images may be at most ${MAX_IMAGE_BYTES / (1024 * 1024)} MB`, { maxBytes: MAX_IMAGE_BYTES });
  }
  const accepted = sniffImageType(bytes);
  if (!accepted) throw new UnsupportedImageTypeError(ACCEPTED_IMAGE_TYPES);

  const input = { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'error' as const, pages: 1 };
  let meta: Metadata;
  try {
    // The header alone, without the pixel limit, so a bomb is refused as too large, not unreadable.
    meta = await sharp(bytes, { ...input, limitInputPixels: false }).metadata();
  } catch {
    throw new UnreadableImageError();
  }
  // The container and the decoder must agree (a PNG signature on a JPEG body is a forgery).
  if (meta.format !== SHARP_FORMAT[accepted]) throw new UnreadableImageError();
  if (meta.width * meta.height > MAX_INPUT_PIXELS) {
    throw new ImageTooLargeError(`Images may have at most ${MAX_INPUT_PIXELS} pixels`, { maxPixels: MAX_INPUT_PIXELS });
  }

  let full: { data: Buffer; info: OutputInfo };
  let thumbnail: Buffer;
  try {
    const pipeline = sharp(bytes, input)
      .timeout({ seconds: PROCESSING_TIMEOUT_SECONDS })
      .autoOrient()
      .resize({ width: MAX_FULL_SIDE, height: MAX_FULL_SIDE, fit: 'inside', withoutEnlargement: true });
    full = await encode(pipeline, accepted).toBuffer({ resolveWithObject: true });
    thumbnail = await sharp(full.data)
      .timeout({ seconds: PROCESSING_TIMEOUT_SECONDS })
      .resize({ width: THUMBNAIL_SIDE, height: THUMBNAIL_SIDE, fit: 'inside', withoutEnlargement: true })
      .webp({ quality: 75 })
      .toBuffer();
  } catch {
    throw new UnreadableImageError();
  }
  return {
    mimeType: accepted,
    width: full.info.width,
    height: full.info.height,
    full: full.data,
    thumbnail,
    thumbnailMimeType: 'image/webp',
  };
}

function encode(pipeline: Sharp, type: AcceptedImageType): Sharp {
  switch (type) {
    case 'image/jpeg':
      return pipeline.jpeg({ quality: 82, mozjpeg: true });
    case 'image/png':
      return pipeline.png();
    case 'image/webp':
      return pipeline.webp({ quality: 82 });
  }
}
