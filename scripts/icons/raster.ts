/**
 * A tiny vector rasteriser for the icons: shapes are inside-tests in a 0..1 square, painted in order
 * with supersampled anti-aliasing.
 */
export type Rgba = readonly [number, number, number, number];
export type Shape = (x: number, y: number) => boolean;
export type Paint = Rgba | ((x: number, y: number) => Rgba);

export interface Layer {
  shape: Shape;
  paint: Paint;
}

export const circle =
  (cx: number, cy: number, r: number): Shape =>
  (x, y) =>
    (x - cx) ** 2 + (y - cy) ** 2 <= r * r;

export const roundedRect =
  (x0: number, y0: number, x1: number, y1: number, r: number): Shape =>
  (x, y) => {
    if (x < x0 || x > x1 || y < y0 || y > y1) return false;
    const dx = Math.max(x0 + r - x, 0, x - (x1 - r));
    const dy = Math.max(y0 + r - y, 0, y - (y1 - r));
    return dx * dx + dy * dy <= r * r;
  };

/** A thick line with round caps. */
export const segment =
  (ax: number, ay: number, bx: number, by: number, width: number): Shape =>
  (x, y) => {
    const vx = bx - ax;
    const vy = by - ay;
    const t = Math.max(0, Math.min(1, ((x - ax) * vx + (y - ay) * vy) / (vx * vx + vy * vy || 1)));
    return (x - ax - t * vx) ** 2 + (y - ay - t * vy) ** 2 <= (width / 2) ** 2;
  };

export const polyline = (points: readonly (readonly [number, number])[], width: number): Shape =>
  union(...points.slice(1).map((point, index) => segment(points[index]?.[0] ?? 0, points[index]?.[1] ?? 0, point[0], point[1], width)));

export const polygon =
  (points: readonly (readonly [number, number])[]): Shape =>
  (x, y) => {
    let inside = false;
    for (let i = 0, j = points.length - 1; i < points.length; j = i++) {
      const [xi, yi] = points[i] ?? [0, 0];
      const [xj, yj] = points[j] ?? [0, 0];
      if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
    }
    return inside;
  };

export const union =
  (...shapes: Shape[]): Shape =>
  (x, y) =>
    shapes.some((shape) => shape(x, y));

export const subtract =
  (shape: Shape, ...holes: Shape[]): Shape =>
  (x, y) =>
    shape(x, y) && !holes.some((hole) => hole(x, y));


export function hex(colour: string, alpha = 255): Rgba {
  const value = Number.parseInt(colour.replace('#', ''), 16);
  return [(value >> 16) & 255, (value >> 8) & 255, value & 255, alpha];
}

/** A linear gradient from (x0,y0) to (x1,y1). */
export function gradient(from: Rgba, to: Rgba, x0 = 0, y0 = 0, x1 = 1, y1 = 1): (x: number, y: number) => Rgba {
  const lengthSquared = (x1 - x0) ** 2 + (y1 - y0) ** 2;
  return (x, y) => {
    const t = Math.max(0, Math.min(1, ((x - x0) * (x1 - x0) + (y - y0) * (y1 - y0)) / lengthSquared));
    return [0, 1, 2, 3].map((i) => Math.round((from[i] ?? 0) + ((to[i] ?? 0) - (from[i] ?? 0)) * t)) as unknown as Rgba;
  };
}

/** Renders layers into RGBA pixels, `samples`² samples per pixel. */
export function render(size: number, layers: readonly Layer[], samples = 5): Uint8Array {
  const pixels = new Uint8Array(size * size * 4);
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let r = 0;
      let g = 0;
      let b = 0;
      let a = 0;
      for (let sy = 0; sy < samples; sy++) {
        for (let sx = 0; sx < samples; sx++) {
          const x = (px + (sx + 0.5) / samples) / size;
          const y = (py + (sy + 0.5) / samples) / size;
          // Composite this sample's layers (premultiplied, "over").
          let sr = 0;
          let sg = 0;
          let sb = 0;
          let sa = 0;
          for (const layer of layers) {
            if (!layer.shape(x, y)) continue;
            const [cr, cg, cb, ca] = typeof layer.paint === 'function' ? layer.paint(x, y) : layer.paint;
            const alpha = ca / 255;
            sr = cr * alpha + sr * (1 - alpha);
            sg = cg * alpha + sg * (1 - alpha);
            sb = cb * alpha + sb * (1 - alpha);
            sa = alpha + sa * (1 - alpha);
          }
          r += sr;
          g += sg;
          b += sb;
          a += sa;
        }
      }
      const n = samples * samples;
      const offset = (py * size + px) * 4;
      const alpha = a / n;
      pixels[offset] = alpha > 0 ? Math.round(r / n / alpha) : 0;
      pixels[offset + 1] = alpha > 0 ? Math.round(g / n / alpha) : 0;
      pixels[offset + 2] = alpha > 0 ? Math.round(b / n / alpha) : 0;
      pixels[offset + 3] = Math.round(alpha * 255);
    }
  }
  return pixels;
}
