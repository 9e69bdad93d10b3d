// The core entry: it has a `default` export condition Jest can resolve (the package's main entry only `import`/`module-sync`).
import { fileTypeFromBuffer } from 'file-type/core';
import { DocumentTooLargeError, UnsupportedDocumentTypeError } from '../media.errors';
import { ACCEPTED_IMAGE_TYPES, AcceptedImageType, processImage } from '../images/image-pipeline';

/** The largest document accepted, in bytes (also multer's limit on the upload route): a scanned plan fits. */
export const MAX_DOCUMENT_BYTES = 15 * 1024 * 1024;

export const ACCEPTED_DOCUMENT_TYPES = ['application/pdf', ...ACCEPTED_IMAGE_TYPES] as const;
export type AcceptedDocumentType = (typeof ACCEPTED_DOCUMENT_TYPES)[number];

const EXTENSION: Record<AcceptedDocumentType, string> = { 'application/pdf': 'pdf', 'image/jpeg': 'jpg', 'image/png': 'png', 'image/webp': 'webp' };
const MAX_NAME_LENGTH = 120;

export interface ProcessedDocument {
  mimeType: AcceptedDocumentType;
  extension: string;
  bytes: Buffer;
}

/**
 * Checks an uploaded document: its type is read from the bytes by `file-type` (never from the
 * name or the client's Content-Type), and only PDF and the photo types are kept. An image is
 * re-encoded by the photo pipeline, which drops its metadata (EXIF with GPS): a document must
 * not leak more than a photo does. A PDF is stored as sent; it is only ever served as a download.
 */
export async function processDocument(bytes: Buffer): Promise<ProcessedDocument> {
  if (bytes.length > MAX_DOCUMENT_BYTES) throw tooLarge();
  const detected = await fileTypeFromBuffer(bytes);
  const mimeType = ACCEPTED_DOCUMENT_TYPES.find((t) => t === detected?.mime);
  if (!mimeType) throw new UnsupportedDocumentTypeError(ACCEPTED_DOCUMENT_TYPES);
  if (mimeType === 'application/pdf') return { mimeType, extension: EXTENSION[mimeType], bytes };
  const image = await processImage(bytes);
  return { mimeType: image.mimeType as AcceptedImageType, extension: EXTENSION[image.mimeType], bytes: image.full };
}

export function tooLarge(): DocumentTooLargeError {
  return new DocumentTooLargeError(MAX_DOCUMENT_BYTES);
}

/**
 * The name a document is downloaded under: the client's name without any path, control or
 * reserved characters, shortened, with the extension of the type the bytes really are
 * ("plan.exe" that is a PDF becomes "plan.pdf"). Header-safe quoting is content-disposition's.
 */
export function cleanFileName(original: string | undefined, extension: string): string {
  const base = (original ?? '')
    .split(/[\\/]/)
    .pop()!
    .normalize('NFC')
    // Control characters and what file systems or headers treat specially.
    .replace(/[\p{Cc}\p{Cf}<>:"|?*]+/gu, ' ')
    .replace(/\.[^.]*$/, '')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^\.+/, '')
    .slice(0, MAX_NAME_LENGTH)
    .trim();
  return `${base || 'document'}.${extension}`;
}
