#!/usr/bin/env bash
# Builds the local container image of the Jottacloud emulator with no image registry: a scratch root file system
# holding this machine's node binary, the shared libraries it links (from ldd), and the built emulator, loaded
# with `docker import`.  Usage: tools/build-emulator-image.sh [image-tag]   (default jsync/jotta-emulator:local)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
IMAGE=${1:-jsync/jotta-emulator:local}
PKG=packages/jottacloud-emulator
NODE_BIN=$(readlink -f "$(command -v node)")

command -v docker >/dev/null || { echo "build-emulator-image: docker is not installed" >&2; exit 1; }

# 1. Build the emulator and its workspace dependencies (turbo builds ^deps first; cached when up to date).
TURBO_TELEMETRY_DISABLED=1 DO_NOT_TRACK=1 npx --no-install turbo run build --filter=@jsync/jottacloud-emulator... >/dev/null
[ -f "$PKG/dist/bin.js" ] || { echo "build-emulator-image: $PKG/dist/bin.js missing after build" >&2; exit 1; }

WORK=$(mktemp -d "${TMPDIR:-/tmp}/jotta-emulator-image.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
FS=$WORK/rootfs
mkdir -p "$FS/usr/bin" "$FS/app" "$FS/data" "$FS/etc" "$FS/tmp"
chmod 1777 "$FS/tmp"
chmod 0777 "$FS/data"

# 2. node and every shared object it loads (including the dynamic loader), at the same absolute paths.
cp "$NODE_BIN" "$FS/usr/bin/node"
LIBDIRS=()
while read -r lib; do
  [ -n "$lib" ] || continue
  mkdir -p "$FS$(dirname "$lib")"
  cp -L "$lib" "$FS$lib"
  LIBDIRS+=("$(dirname "$lib")")
done < <(ldd "$NODE_BIN" | awk '/=> \// { print $3; next } /^[ \t]*\// { print $1 }')
LD_PATH=$(printf '%s\n' "${LIBDIRS[@]}" | sort -u | paste -sd: -)
printf 'root:x:0:0:root:/root:/sbin/nologin\nnobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin\n' >"$FS/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' >"$FS/etc/group"

# 3. The emulator (package.json for "type": "module", dist/) and the closure of its runtime dependencies.
node --input-type=module - "$ROOT" "$PKG" "$FS/app" <<'EOF'
import { cpSync, existsSync, mkdirSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
const [root, pkgDir, appDir] = process.argv.slice(2);
const copyPackage = (src, dest) => {
  const manifest = JSON.parse(readFileSync(join(src, 'package.json'), 'utf8'));
  mkdirSync(dest, { recursive: true });
  const { devDependencies, scripts, ...runtime } = manifest;
  writeFileSync(join(dest, 'package.json'), `${JSON.stringify(runtime, null, 2)}\n`);
  const isWorkspace = src.startsWith(join(root, 'packages')) || src.startsWith(join(root, 'apps'));
  if (isWorkspace) cpSync(join(src, 'dist'), join(dest, 'dist'), { recursive: true, dereference: true, filter: (p) => !p.endsWith('.map') && !p.endsWith('.test.js') });
  else cpSync(src, dest, { recursive: true, dereference: true, filter: (p) => !p.slice(src.length).includes('/node_modules') });
  return manifest;
};
const seen = new Set();
const visit = (src, dest) => {
  const manifest = copyPackage(src, dest);
  for (const name of Object.keys({ ...manifest.dependencies, ...manifest.optionalDependencies })) {
    if (seen.has(name)) continue;
    seen.add(name);
    const link = join(src, 'node_modules', name);
    if (!existsSync(link)) throw new Error(`dependency ${name} of ${manifest.name} is not installed`);
    visit(realpathSync(link), join(appDir, 'node_modules', name));
  }
};
visit(join(root, pkgDir), appDir);
EOF

# 4. Import as an image: entrypoint is the emulator's bin; /data is where --data-dir state goes.
LABEL_REV=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
tar -C "$FS" --sort=name --owner=0 --group=0 --numeric-owner --mtime='@0' -cf "$WORK/rootfs.tar" .
docker import \
  --change "ENV LD_LIBRARY_PATH=$LD_PATH" \
  --change 'ENV NODE_ENV=production' \
  --change 'WORKDIR /app' \
  --change 'VOLUME /data' \
  --change 'ENTRYPOINT ["/usr/bin/node", "/app/dist/bin.js"]' \
  --change 'CMD ["--host", "127.0.0.1", "--port", "8080", "--data-dir", "/data", "--tls-dir", "/data/tls"]' \
  --change "LABEL org.opencontainers.image.title=jotta-emulator org.opencontainers.image.revision=$LABEL_REV" \
  --message "jsync jotta-emulator (local build, $LABEL_REV)" \
  "$WORK/rootfs.tar" "$IMAGE" >/dev/null
echo "built $IMAGE ($(du -sh "$WORK/rootfs.tar" | cut -f1) rootfs; node $("$NODE_BIN" --version))"
