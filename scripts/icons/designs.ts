import { type Layer, circle, gradient, hex, polygon, polyline, roundedRect, segment, subtract, union } from './raster';

const WHITE = hex('#ffffff');

/** The extension: a small neural network on Azure blue, with a green "verified" badge. */
export function extensionIcon(): Layer[] {
  const columns = [
    { x: 0.2, ys: [0.3, 0.62] },
    { x: 0.44, ys: [0.2, 0.46, 0.72] },
    { x: 0.68, ys: [0.3, 0.62] },
  ];
  const edges: Layer[] = [];
  for (let c = 0; c < columns.length - 1; c++) {
    const left = columns[c];
    const right = columns[c + 1];
    if (left === undefined || right === undefined) continue;
    for (const ya of left.ys) for (const yb of right.ys) edges.push({ shape: segment(left.x, ya, right.x, yb, 0.022), paint: hex('#ffffff', 150) });
  }
  const nodes = columns.flatMap((column) => column.ys.map((y) => ({ shape: circle(column.x, y, 0.062), paint: WHITE })));
  return [
    { shape: roundedRect(0.02, 0.02, 0.98, 0.98, 0.2), paint: gradient(hex('#0a7fd9'), hex('#5b2fb5'), 0.1, 0.05, 0.9, 0.95) },
    ...edges,
    ...nodes,
    { shape: circle(0.76, 0.76, 0.2), paint: WHITE },
    { shape: circle(0.76, 0.76, 0.165), paint: hex('#23a047') },
    { shape: polyline([[0.675, 0.765], [0.735, 0.825], [0.85, 0.7]], 0.055), paint: WHITE },
  ];
}

/** BuildAndPushAiImage: a container image pushed up to a registry. */
export function buildAndPushIcon(): Layer[] {
  return [
    { shape: roundedRect(0.03, 0.03, 0.97, 0.97, 0.18), paint: gradient(hex('#1890f0'), hex('#0057a8'), 0, 0, 0, 1) },
    { shape: polygon([[0.5, 0.1], [0.77, 0.38], [0.6, 0.38], [0.6, 0.56], [0.4, 0.56], [0.4, 0.38], [0.23, 0.38]]), paint: WHITE },
    { shape: roundedRect(0.16, 0.62, 0.84, 0.88, 0.05), paint: WHITE },
    { shape: union(segment(0.39, 0.67, 0.39, 0.83, 0.05), segment(0.61, 0.67, 0.61, 0.83, 0.05)), paint: hex('#0a6fc8') },
  ];
}

/** DeployToAci: a container landing in the cloud. */
export function deployToAciIcon(): Layer[] {
  const cloud = union(circle(0.36, 0.58, 0.17), circle(0.56, 0.46, 0.22), circle(0.74, 0.6, 0.15), roundedRect(0.2, 0.58, 0.86, 0.75, 0.08));
  return [
    { shape: roundedRect(0.03, 0.03, 0.97, 0.97, 0.18), paint: gradient(hex('#8a55e0'), hex('#4b1f99'), 0, 0, 0, 1) },
    { shape: cloud, paint: WHITE },
    { shape: roundedRect(0.41, 0.45, 0.69, 0.7, 0.04), paint: hex('#5b2bb0') },
    { shape: union(segment(0.505, 0.5, 0.505, 0.65, 0.04), segment(0.595, 0.5, 0.595, 0.65, 0.04)), paint: WHITE },
  ];
}

/** DeployToAks: a ship's wheel (Kubernetes) of seven spokes around the model. */
export function deployToAksIcon(): Layer[] {
  const spokes = Array.from({ length: 7 }, (_, i) => {
    const angle = -Math.PI / 2 + (i * 2 * Math.PI) / 7;
    return segment(0.5 + 0.1 * Math.cos(angle), 0.5 + 0.1 * Math.sin(angle), 0.5 + 0.36 * Math.cos(angle), 0.5 + 0.36 * Math.sin(angle), 0.07);
  });
  return [
    { shape: roundedRect(0.03, 0.03, 0.97, 0.97, 0.18), paint: gradient(hex('#3d7be0'), hex('#1b4aa8'), 0, 0, 0, 1) },
    { shape: union(subtract(circle(0.5, 0.5, 0.31), circle(0.5, 0.5, 0.23)), ...spokes, circle(0.5, 0.5, 0.1)), paint: WHITE },
  ];
}

/** SmokeTestModel: a pulse, the model answering. */
export function smokeTestIcon(): Layer[] {
  return [
    { shape: roundedRect(0.03, 0.03, 0.97, 0.97, 0.18), paint: gradient(hex('#2fb35a'), hex('#107c3a'), 0, 0, 0, 1) },
    {
      shape: polyline([[0.1, 0.56], [0.3, 0.56], [0.4, 0.26], [0.55, 0.8], [0.65, 0.44], [0.72, 0.56], [0.9, 0.56]], 0.1),
      paint: WHITE,
    },
  ];
}
