// Refreshes what the widget ships from npm packages (run after `npm install` in this folder):
//  - api/Widget/Assets/vendor/: Leaflet and Leaflet.markercluster, byte for byte, with their licence files;
//  - api/Widget/Assets/basemap.json: the offline base map, France (mainland, overseas départements and collectivities)
//    from Natural Earth 1:10m and the neighbouring land from Natural Earth 1:50m clipped to the surroundings of each
//    French part (npm world-atlas, public domain). Format (decoded by map.js): {"scale":1000,"france":[polygon...],
//    "land":[polygon...]}, a polygon being a list of rings and a ring a flat list of integer coordinates (longitude,
//    latitude) times `scale`, each pair but the first a difference from the previous one.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as topojson from 'topojson-client';

const here = path.dirname(fileURLToPath(import.meta.url));
const assets = path.resolve(here, '../../api/Widget/Assets');
const modules = path.join(here, 'node_modules');

function copy(from, to) {
  fs.mkdirSync(path.dirname(to), { recursive: true });
  fs.copyFileSync(from, to);
}

copy(path.join(modules, 'leaflet/dist/leaflet.js'), path.join(assets, 'vendor/leaflet/leaflet.js'));
copy(path.join(modules, 'leaflet/dist/leaflet.css'), path.join(assets, 'vendor/leaflet/leaflet.css'));
copy(path.join(modules, 'leaflet/LICENSE'), path.join(assets, 'vendor/leaflet/LICENSE'));
copy(path.join(modules, 'leaflet.markercluster/dist/leaflet.markercluster.js'), path.join(assets, 'vendor/leaflet.markercluster/leaflet.markercluster.js'));
copy(path.join(modules, 'leaflet.markercluster/dist/MarkerCluster.css'), path.join(assets, 'vendor/leaflet.markercluster/MarkerCluster.css'));
copy(path.join(modules, 'leaflet.markercluster/MIT-LICENCE.txt'), path.join(assets, 'vendor/leaflet.markercluster/MIT-LICENCE.txt'));
copy(path.join(modules, 'world-atlas/LICENSE'), path.join(assets, 'vendor/world-atlas/LICENSE'));

// French territories as Natural Earth names them (the "France" feature holds mainland, Corsica and the five DROM).
const french = new Set(['France', 'St-Martin', 'St-Barthélemy', 'St. Pierre and Miquelon', 'New Caledonia', 'Fr. Polynesia', 'Wallis and Futuna Is.']);

function read(scale) {
  const topology = JSON.parse(fs.readFileSync(path.join(modules, `world-atlas/countries-${scale}.json`), 'utf8'));
  return topojson.feature(topology, topology.objects.countries).features;
}

function polygons(feature) {
  const g = feature.geometry;
  if (!g) return [];
  return g.type === 'MultiPolygon' ? g.coordinates : g.type === 'Polygon' ? [g.coordinates] : [];
}

function box(polygon) {
  let w = Infinity, s = Infinity, e = -Infinity, n = -Infinity;
  for (const [x, y] of polygon[0]) { w = Math.min(w, x); e = Math.max(e, x); s = Math.min(s, y); n = Math.max(n, y); }
  return [w, s, e, n];
}

const meets = (a, b) => a[0] <= b[2] && b[0] <= a[2] && a[1] <= b[3] && b[1] <= a[3];

const scale = 1000;

// Rings as flat integer deltas (see the format above), at a grid of `step` thousandths of a degree; points that fall
// on the previous one are dropped, and rings left with fewer than four points.
function encode(polygon, step) {
  const rings = [];
  for (const ring of polygon) {
    const out = [];
    let px = 0, py = 0, count = 0;
    for (const [x, y] of ring) {
      const ix = Math.round(x * scale / step) * step, iy = Math.round(y * scale / step) * step;
      if (count > 0 && ix === px && iy === py) continue;
      out.push(ix - px, iy - py);
      px = ix; py = iy; count++;
    }
    if (count >= 4) rings.push(out);
  }
  return rings;
}

// Sutherland-Hodgman: the part of a ring inside a rectangle [west, south, east, north].
function clip(ring, [w, s, e, n]) {
  const edges = [
    [p => p[0] >= w, (a, b) => cut(a, b, 0, w)],
    [p => p[0] <= e, (a, b) => cut(a, b, 0, e)],
    [p => p[1] >= s, (a, b) => cut(a, b, 1, s)],
    [p => p[1] <= n, (a, b) => cut(a, b, 1, n)],
  ];
  let points = ring;
  for (const [inside, cross] of edges) {
    const out = [];
    for (let i = 0; i < points.length; i++) {
      const cur = points[i], prev = points[(i + points.length - 1) % points.length];
      if (inside(cur)) {
        if (!inside(prev)) out.push(cross(prev, cur));
        out.push(cur);
      } else if (inside(prev)) {
        out.push(cross(prev, cur));
      }
    }
    points = out;
    if (points.length === 0) break;
  }
  return points;
}

function cut(a, b, axis, value) {
  const t = (value - a[axis]) / (b[axis] - a[axis]);
  const p = [a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])];
  p[axis] = value;
  return p;
}

const fine = read('10m');
const coarse = read('50m');
const france = [];
const windows = [];
for (const feature of fine) {
  if (!french.has(feature.properties.name)) continue;
  for (const polygon of polygons(feature)) {
    const b = box(polygon);
    const rings = encode(polygon, 1);
    if (rings.length) france.push(rings);
    // The land around each French part, so that a map of it is not an island in an empty sea.
    const margin = b[2] - b[0] > 5 ? 9 : 4;
    windows.push([b[0] - margin, b[1] - margin, b[2] + margin, b[3] + margin]);
  }
}
const around = [];
for (const feature of coarse) {
  if (french.has(feature.properties.name)) continue;
  for (const polygon of polygons(feature)) {
    const b = box(polygon);
    for (const w of windows) {
      if (!meets(w, b)) continue;
      const outer = clip(polygon[0], w);
      if (outer.length < 4) continue;
      const holes = polygon.slice(1).map(ring => clip(ring, w)).filter(ring => ring.length >= 4);
      const rings = encode([outer, ...holes], 10);
      if (rings.length) around.push(rings);
    }
  }
}

const text = JSON.stringify({ scale, france, land: around });
fs.writeFileSync(path.join(assets, 'basemap.json'), text + '\n');
console.log(`basemap.json: ${france.length} French polygons, ${around.length} neighbouring polygons, ${text.length} bytes`);
