#!/usr/bin/env bash
# Run HERE, once, from a checkout with `pnpm install` done (Linux x86-64, like the device machine):
# builds .gpu/ (ignored by git) with what bench/gpu/run.sh needs on a bare NVIDIA machine:
#   .gpu/ours.mjs                 bench/train-throughput/ours.ts bundled with @llm/model and tfjs (esbuild)
#   .gpu/node_modules/webgpu/     the `webgpu` package's index.js + linux-x64 dawn.node (loaded at run time)
#   .gpu/node.xz                  this machine's Node binary (the device image has no Node)
#   .gpu/debs/libvulkan1*.deb     the Vulkan loader, unpacked there only if `ldconfig -p` lacks it
# Then, with the device tool: run `bash bench/gpu/run.sh` with carry [".gpu"].
set -euo pipefail
cd "$(dirname "$0")/../.."
G=.gpu
exclude=$(git rev-parse --git-path info/exclude)
grep -qx '/.gpu/' "$exclude" 2>/dev/null || echo '/.gpu/' >>"$exclude"
rm -rf "$G" && mkdir -p "$G/node_modules/webgpu/dist/linux-x64" "$G/debs"

node_modules/.bin/esbuild bench/train-throughput/ours.ts --bundle --platform=node --format=esm \
  --conditions=@llm/source --external:webgpu --log-level=warning --outfile="$G/ours.mjs" \
  --banner:js="import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);"

web=$(node -e "console.log(require('node:path').dirname(require.resolve('webgpu/package.json', { paths: ['packages/model'] })))")
cp "$web/index.js" "$web/package.json" "$G/node_modules/webgpu/"
cp "$web/dist/linux-x64/dawn.node" "$G/node_modules/webgpu/dist/linux-x64/"

xz -T0 -6 -c "$(readlink -f "$(command -v node)")" >"$G/node.xz"

mkdir -p /tmp/amd64-lists/partial
o="-oAPT::Architecture=amd64 -oAPT::Architectures=amd64 -oDir::State::Lists=/tmp/amd64-lists"
apt-get $o update -qq
(cd "$G/debs" && apt-get $o download libvulkan1 >/dev/null)

du -sh "$G" "$G"/* "$G"/node_modules/webgpu/dist/linux-x64/dawn.node
