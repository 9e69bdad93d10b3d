import sharp from 'sharp';

const SKY: Record<string, [string, string]> = {
  voirie: ['#9ca3af', '#374151'],
  eclairage: ['#1e3a8a', '#111827'],
  proprete: ['#a3a3a3', '#57534e'],
  'espaces-verts': ['#86efac', '#166534'],
};

/**
 * A small JPEG standing in for a citizen's photo: a scene in the category's colours (a road with
 * a hole, a lamp post, a heap, a tree), different for each `variant`. Drawn with sharp from SVG,
 * so the demo needs no image files; they go through the real upload pipeline like any photo.
 */
export async function demoPhoto(category: string, variant: number): Promise<Buffer> {
  const [top, bottom] = SKY[category] ?? ['#d1d5db', '#4b5563'];
  const x = 120 + ((variant * 97) % 240);
  const scene: Record<string, string> = {
    voirie: `<rect y="200" width="480" height="160" fill="#4b5563"/><rect x="0" y="275" width="480" height="8" fill="#f9fafb"/><ellipse cx="${x}" cy="250" rx="70" ry="22" fill="#111827"/>`,
    eclairage: `<rect x="${x}" y="80" width="12" height="240" fill="#6b7280"/><circle cx="${x + 6}" cy="78" r="22" fill="${variant % 2 ? '#fde68a' : '#374151'}"/><rect y="320" width="480" height="40" fill="#1f2937"/>`,
    proprete: `<rect y="260" width="480" height="100" fill="#78716c"/><rect x="${x - 60}" y="200" width="90" height="70" fill="#b45309"/><rect x="${x + 20}" y="215" width="70" height="55" fill="#e5e7eb"/><circle cx="${x + 110}" cy="250" r="22" fill="#1f2937"/>`,
    'espaces-verts': `<rect y="260" width="480" height="100" fill="#15803d"/><rect x="${x}" y="130" width="22" height="140" fill="#78350f"/><circle cx="${x + 11}" cy="120" r="60" fill="#166534"/>`,
  };
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="480" height="360">
    <defs><linearGradient id="g" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="${top}"/><stop offset="1" stop-color="${bottom}"/></linearGradient></defs>
    <rect width="480" height="360" fill="url(#g)"/>${scene[category] ?? ''}</svg>`;
  return sharp(Buffer.from(svg)).jpeg({ quality: 80 }).toBuffer();
}
