#!/usr/bin/env bash
# Installs what a fresh machine lacks, then the workspace:
#   - pnpm 10 (npm install -g; corepack's signature check fails against some registries);
#   - Debian's chromium and libvulkan1: SwiftShader's Vulkan driver and the Vulkan loader, so
#     WebGPU (Dawn, the `webgpu` npm package) runs on a machine without a GPU;
#   - the workspace, from the frozen lockfile.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v pnpm >/dev/null 2>&1 || [[ "$(pnpm --version)" != 10.* ]]; then
  npm install -g pnpm@10 --no-fund --no-audit
fi

if [[ ! -f /usr/lib/chromium/vk_swiftshader_icd.json ]] || ! /sbin/ldconfig -p | grep -q 'libvulkan.so.1'; then
  if command -v apt-get >/dev/null 2>&1 && [[ "$(id -u)" == 0 ]]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium libvulkan1 >/dev/null
  else
    echo "setup: cannot install chromium + libvulkan1 (needs apt-get as root); WebGPU tests will be skipped locally and fail under CI=true." >&2
  fi
fi

pnpm install --frozen-lockfile
